"""Lemma-justified facts in the Kalai–Smorodinsky encodings
(encoders.bargaining.symmetric_ideal_lemmas, ideal_monotonicity_lemmas) and the
ray-parameter split of individual monotonicity: the lemmas must be UNSAT and
not vacuous, and the facts they justify must not exclude the real solutions."""

from fractions import Fraction

import pytest
from pysmt.shortcuts import And, Equals, Minus, Symbol, is_sat
from pysmt.typing import REAL

from bargaincheck.encoders.bargaining import (
    SymbolicProblem,
    branch_formula,
    ideal_monotonicity_lemmas,
    pair_violation_alternatives,
    symmetric_ideal_lemmas,
    violation_alternatives,
)
from bargaincheck.encoders.symbolic import real_const
from bargaincheck.specs.bargaining.desiderata import sub_problem
from bargaincheck.specs.bargaining.problem import BargainingProblem
from bargaincheck.specs.bargaining.solutions import solution_set

T = BargainingProblem(((0, 4), (1, 3), (2, 0)), (0, 0), True)


def _pin(symbols, values):
    return [Equals(s, real_const(Fraction(v))) for s, v in zip(symbols, values)]


def _without_last(branch):
    """The branch's constraints without its last one (the fact the lemma refutes), no cuts."""
    return And(branch.constraints[:-1])


@pytest.mark.parametrize("problem", [T, BargainingProblem(((0, 1), (3, 0)), (-1, 0), True)])
def test_symmetric_ideal_lemmas(problem):
    """The symmetrization of any problem has its ideal point on the diagonal: each
    lemma is UNSAT on the pinned problem; without its 'b_i > b_j' fact it is SAT."""
    t = SymbolicProblem.pinned(problem, "t")
    lemmas = symmetric_ideal_lemmas(t)
    assert len(lemmas) == 4
    d = problem.disagreement
    for branch in lemmas:
        assert not is_sat(branch_formula(branch, t), solver_name="z3")
        # the branch whose order constraint (d1 ≤ d2 or d2 ≤ d1) holds is satisfiable without the fact
        if ("m = d1" in branch.name) == (d[0] <= d[1]):
            assert is_sat(_without_last(branch), solver_name="z3"), branch.name


@pytest.mark.parametrize("params", [{"cap": [0, "3/2"]}, {"keep": [0, 2]}, {"cap": [1, "2"]}])
def test_ideal_monotonicity_lemmas(params):
    """b^S ≤ b^T for S ⊆ T: UNSAT with the strict 'b^S_i > b^T_i', SAT without it
    (S and T pinned: T = {(0,4),(1,3),(2,0)}, d = 0, ideal (2, 4))."""
    small = sub_problem(T, params)
    t = SymbolicProblem.pinned(T, "t")
    s = SymbolicProblem.pinned(small, "u")
    s = SymbolicProblem(s.points, t.disagreement, "u")
    for branch in ideal_monotonicity_lemmas(t, s):
        assert not is_sat(branch_formula(branch, t), solver_name="z3")
        assert is_sat(_without_last(branch), solver_name="z3")


@pytest.mark.parametrize("params", [{"cap": [0, "3/2"]}, {"keep": [0, 2]}, {"keep": [1, 2]}, {"cap": [1, "3"]}])
def test_individual_monotonicity_split_keeps_the_real_solutions(params):
    """With x = KS(T) and x' = KS(S) pinned to the reference points, the encoding's
    alternatives for a player i whose other coordinate of the ideal point is
    unchanged, with the violation fact x'_i > x_i removed, stay satisfiable: the
    added fact b^S_i ≤ b^T_i and the exhaustive split s' ≤ s / s' > s lose no real
    pair (hand check, cap u1 ≤ 3/2: b^S = (3/2, 4), KS(S) on the ray u2 = 8u1/3
    meets the edge (1,3)–(2,0) at (18/17, 48/17) < (6/5, 12/5) in u1)."""
    small = sub_problem(T, params)
    t = SymbolicProblem.pinned(T, "t")
    s = SymbolicProblem.pinned(small, "u")
    s = SymbolicProblem(s.points, t.disagreement, "u")
    branches = pair_violation_alternatives("kalai-smorodinsky", "individual-monotonicity", t, s)
    (r,), (q,) = solution_set("kalai-smorodinsky", T), solution_set("kalai-smorodinsky", small)
    x, y = (Symbol("v_xa", REAL), Symbol("v_xb", REAL)), (Symbol("v_ya", REAL), Symbol("v_yb", REAL))
    pins = _pin(x, r) + _pin(y, q)
    bt, bs = T.ideal_point(), small.ideal_point()
    kept = 0
    for branch in branches:
        i = 0 if "x'1 > x1" in branch.name else 1
        if bs[1 - i] != bt[1 - i]:
            continue
        violation = (Minus(y[i], x[i]))
        rest = [c for c in branch.constraints if violation not in c.args()]
        if is_sat(And(rest + pins), solver_name="z3"):
            kept += 1
    assert kept >= 1
    # and with the violation fact back, nothing is satisfiable (KS is individually monotone)
    assert not any(is_sat(And(branch_formula(b, t), *pins), solver_name="z3") for b in branches)


def test_ks_symmetry_encoding_keeps_the_symmetric_solution():
    """On the symmetrization of T (generators T ∪ swap(T), d = 0) the ideal point is
    (4, 4) and KS is (2, 2), where the diagonal meets the line u1 + u2 = 4 through
    (0,4), (1,3), (3,1), (4,0); the encoding without the violation fact accepts it."""
    t = SymbolicProblem.pinned(T, "t")
    x = (Symbol("v_xa", REAL), Symbol("v_xb", REAL))
    sym = BargainingProblem(T.points + tuple((b, a) for a, b in T.points), (0, 0), True)
    (r,) = solution_set("kalai-smorodinsky", sym)
    assert r == (2, 2)
    branches = violation_alternatives("kalai-smorodinsky", "symmetry", t)
    assert any(is_sat(And(_without_last(b), *_pin(x, r)), solver_name="z3") for b in branches)
    assert not any(is_sat(And(branch_formula(b, t), *_pin(x, r)), solver_name="z3") for b in branches)


def test_individual_monotonicity_is_encoded_for_kalai_smorodinsky_only():
    # Its split rests on KS's ray lemmas; for another concept the encoder refuses, loudly.
    t = SymbolicProblem.pinned(T, "t")
    s = SymbolicProblem(SymbolicProblem.pinned(sub_problem(T, {"keep": [0, 2]}), "u").points, t.disagreement, "u")
    with pytest.raises(ValueError, match="encoded for kalai-smorodinsky only"):
        pair_violation_alternatives("nash", "individual-monotonicity", t, s)
