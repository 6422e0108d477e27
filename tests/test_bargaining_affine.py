"""Affine invariance (the `scale` desideratum) of Nash and Kalai–Smorodinsky by
witness transfer (encoders.bargaining.transfer_lemmas, uniqueness_alternatives,
ideal_lemmas; the route of checkers.bargaining_smt for these two concepts).

The lemmas are only worth something if their hypotheses describe the real
solution and their conclusions are not vacuous: the differential tests pin a
problem T, a map A and y = A⁻¹(f(A(T))) and check that hypotheses, definitions
and targets hold together there; the egalitarian solution (not scale
invariant) must fail a transfer lemma."""

from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pysmt.shortcuts import And, Equals, Symbol, get_model, is_sat
from pysmt.typing import REAL

from bargaincheck.checkers.bargaining_smt import TRANSFER_ROUTE, prove_bargaining
from bargaincheck.checkers.results import PROVED
from bargaincheck.checkers.smt import _cvc5_solve, query_text
from bargaincheck.encoders.bargaining import (
    SymbolicProblem,
    branch_formula,
    ideal_lemmas,
    transfer_lemmas,
    uniqueness_alternatives,
    witness_transfer,
)
from bargaincheck.encoders.symbolic import real_const
from bargaincheck.specs.bargaining.problem import BargainingProblem
from bargaincheck.specs.bargaining.solutions import solution_set

X = (Symbol("v_xa", REAL), Symbol("v_xb", REAL))
Y = (Symbol("v_ya", REAL), Symbol("v_yb", REAL))
SCALE = (Symbol("v_scale_1", REAL), Symbol("v_scale_2", REAL))
SHIFT = (Symbol("v_shift_1", REAL), Symbol("v_shift_2", REAL))


def _pin(symbols, values):
    return [Equals(s, real_const(Fraction(v))) for s, v in zip(symbols, values)]


@st.composite
def pinned_cases(draw):
    coordinate = st.integers(-3, 3)
    pts = tuple(draw(st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=3)))
    problem = BargainingProblem(pts, draw(st.tuples(coordinate, coordinate)), True)
    assume(not problem.is_degenerate())
    scale = draw(st.tuples(st.integers(1, 3), st.integers(1, 3)))
    shift = draw(st.tuples(st.integers(-2, 2), st.integers(-2, 2)))
    return problem, scale, shift


@pytest.mark.parametrize("concept", ["nash", "kalai-smorodinsky"])
@settings(max_examples=12, deadline=None)
@given(pinned_cases())
def test_transfer_holds_at_the_real_solution(concept, case):
    """At y = A⁻¹(f(A(T))) (which is f(T): both concepts are invariant) the
    hypotheses (A(y) is A(T)'s solution) are satisfiable, and together with the
    definitions of the transferred witnesses so are the targets (y is T's
    solution): the lemmas speak about the real solution, not an empty set."""
    problem, scale, shift = case
    (q,) = solution_set(concept, problem.affine([str(a) for a in scale], [str(c) for c in shift]))
    y_ref = tuple((q[c] - shift[c]) / Fraction(scale[c]) for c in range(2))
    assert (y_ref,) == solution_set(concept, problem)
    t = SymbolicProblem.pinned(problem, "t")
    tr = witness_transfer(concept, t, SCALE, SHIFT, Y)
    pins = _pin(SCALE, scale) + _pin(SHIFT, shift) + _pin(Y, y_ref)
    assert is_sat(And(pins + tr.hypotheses), solver_name="z3")
    assert is_sat(And(pins + tr.hypotheses + tr.definitions + tr.targets), solver_name="z3")
    # and at any other y the targets fail (the T characterization is exact)
    other = _pin(Y, (y_ref[0] + 1, y_ref[1]))
    assert not is_sat(And(_pin(SCALE, scale) + _pin(SHIFT, shift) + other + tr.targets), solver_name="z3")


def test_egalitarian_fails_a_transfer_lemma():
    """The egalitarian point is not scale invariant (x − d on the diagonal is not
    kept by u1 ↦ 2u1): some transfer lemma must be satisfiable; the failing one is
    the ray condition y1 − d1 = y2 − d2."""
    p = SymbolicProblem.unknown(2, 10)
    failing = [b.name for b in transfer_lemmas("egalitarian", p, SCALE, SHIFT, Y)
               if get_model(branch_formula(b, p), solver_name="z3") is not None]
    assert failing and all("constraint" in name for name in failing)
    assert any("v_ya - s_d_0" in name for name in failing), failing


def test_utilitarian_has_no_transfer():
    with pytest.raises(ValueError, match="no witness transfer"):
        witness_transfer("utilitarian", SymbolicProblem.unknown(2, 10), SCALE, SHIFT, Y)


def test_uniqueness_pinned():
    """On P = {(0,4), (1,3), (2,0)}, d = 0 (hand-computed: Nash (1, 3), KS (6/5, 12/5))
    the uniqueness alternatives with x pinned to the reference are all UNSAT, and
    without the y ≠ x part (the solution encodings alone) y = x is satisfiable."""
    problem = BargainingProblem(((0, 4), (1, 3), (2, 0)), (0, 0), True)
    t = SymbolicProblem.pinned(problem, "t")
    for concept, ref in (("nash", (1, 3)), ("kalai-smorodinsky", (Fraction(6, 5), Fraction(12, 5)))):
        branches = uniqueness_alternatives(concept, t, X, Y)
        pin = And(_pin(X, ref))
        assert not any(is_sat(And(branch_formula(b, t), pin), solver_name="z3") for b in branches)


def test_ideal_lemmas_are_unsat_and_not_vacuous():
    """Two maximizers of u_i over S_d never differ in u_i; without the 'differ'
    fact the query is satisfiable (on the pinned problem, at the ideal point (2, 4))."""
    problem = BargainingProblem(((0, 4), (1, 3), (2, 0)), (0, 0), True)
    t = SymbolicProblem.pinned(problem, "t")
    for branch in ideal_lemmas(t):
        assert not is_sat(branch_formula(branch, t), solver_name="z3")
        assert is_sat(And(branch.constraints[:-1]), solver_name="z3")


def test_cvc5_falls_back_to_incremental_linearization():
    """The Nash transfer lemma for a support constraint is a degree-4 polynomial
    implication on which cvc5's coverings stop 'unknown (INCOMPLETE)'; the
    fallback chain decides it (UNSAT) and says which configuration did."""
    p = SymbolicProblem.unknown(3, 10)
    lemma = next(b for b in transfer_lemmas("nash", p, SCALE, SHIFT, Y) if "(v_yb - s_d_1) * s_p0_0" in b.name)
    verdict, _, note = _cvc5_solve(query_text(branch_formula(lemma, p)))
    assert verdict == "unsat"
    assert "decided by fallback" in note


def test_nash_scale_proof(tmp_path):
    """A real bounded proof (a few seconds): Nash is invariant under every positive
    affine map on 2-point problems in [−10, 10], by transfer lemmas and uniqueness."""
    result = prove_bargaining("nash", "scale", points=2, bound=10, timeout=60, out_dir=tmp_path, workers=1)
    assert result.outcome == PROVED, result.message
    import json
    from pathlib import Path

    record = json.loads(Path(result.details["proof_record"]).read_text())
    assert TRANSFER_ROUTE in record["splits"]
    names = [q["name"] for q in record["queries"]]
    assert any(n.startswith("transfer lemma") for n in names) and any(n.startswith("uniqueness") for n in names)
    assert all(q["z3"]["verdict"] == "unsat" and q["cvc5"]["verdict"] == "unsat" for q in record["queries"])
