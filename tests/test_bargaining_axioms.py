"""The textbook axiom table for Nash, Kalai–Smorodinsky, egalitarian and
utilitarian (comprehensive 2-player problems), found by the suite's own search:
every violation has a minimal witness (checked by hand in the docstrings), and
every satisfied axiom survives generated problems. Plus seed 000's ROSE facts."""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargaincheck.checkers.bargaining_search import (
    first_violation,
    random_problem,
    replay_bargaining_witness,
    search_bargaining,
)
from bargaincheck.specs.bargaining import BargainingProblem, random_dictator_point, rose_points
from bargaincheck.specs.bargaining.desiderata import get_bargaining_desideratum
from bargaincheck.specs.bargaining.io import problem_to_json
from bargaincheck.specs.bargaining.problem import weakly_dominates

# (concept, desideratum) → satisfied? on comprehensive problems (the textbook table).
TABLE = {
    ("nash", "pareto"): True, ("nash", "symmetry"): True, ("nash", "scale"): True, ("nash", "iia"): True,
    ("nash", "resource-monotonicity"): False, ("nash", "individual-monotonicity"): False,
    ("kalai-smorodinsky", "pareto"): True, ("kalai-smorodinsky", "symmetry"): True,
    ("kalai-smorodinsky", "scale"): True, ("kalai-smorodinsky", "iia"): False,
    ("kalai-smorodinsky", "resource-monotonicity"): False, ("kalai-smorodinsky", "individual-monotonicity"): True,
    ("egalitarian", "weak-pareto"): True, ("egalitarian", "pareto"): False, ("egalitarian", "symmetry"): True,
    ("egalitarian", "scale"): False, ("egalitarian", "iia"): True, ("egalitarian", "resource-monotonicity"): True,
    ("utilitarian", "pareto"): True, ("utilitarian", "symmetry"): True, ("utilitarian", "scale"): False,
    ("utilitarian", "iia"): True, ("utilitarian", "resource-monotonicity"): False,
}
VIOLATED = sorted(k for k, ok in TABLE.items() if not ok)
SATISFIED = sorted(k for k, ok in TABLE.items() if ok)
SLOW_TO_MINIMIZE = {("nash", "individual-monotonicity")}


def witness(concept, desideratum, points, d, params, free_disposal=True):
    return {"concept": concept, "desideratum": desideratum,
            "problem": problem_to_json(BargainingProblem(points, d, free_disposal)), "transformation": params}


@pytest.mark.parametrize("cell", [c for c in VIOLATED if c not in SLOW_TO_MINIMIZE])
def test_search_finds_a_small_witness_for_every_textbook_violation(cell):
    """Ordered enumeration (fewest points, smallest coordinates first) finds a
    violation with at most 2 points and coordinates in [−2, 2]; replay confirms it."""
    concept, desideratum = cell
    violation, _, _ = first_violation(concept, desideratum, 2, 2, True, seconds=60)
    assert violation is not None
    assert len(set(violation.problem.points)) <= 2
    confirmed, _ = replay_bargaining_witness(
        witness(concept, desideratum, violation.problem.points, violation.problem.disagreement, violation.params))
    assert confirmed


def test_nash_resource_monotonicity_minimal_witness_by_hand():
    """T: below (0,1) and (1,0), d = (−1,0). On the frontier x = (t, 1−t) the Nash
    product (t+1)(1−t) = 1 − t² peaks at t = 0: (0, 1); along the top edge
    (u2 = 1, u1 ≤ 0) the product u1 + 1 also peaks at (0,1). S = T ∩ {u2 ≤ 1/2}:
    at (1/2,1/2) the product is 3/4 and it falls along the edge to (1,0), so
    Nash(S) = (1/2, 1/2): player 1 gets more in the smaller problem."""
    ok, message = replay_bargaining_witness(
        witness("nash", "resource-monotonicity", ((0, 1), (1, 0)), (-1, 0), {"cap": [1, "1/2"]}))
    assert ok, message


def test_nash_individual_monotonicity_witness_by_hand():
    """T: below (0,2), (1,2), (2,0), d = (0,−1); S keeps (0,2), (2,0). Both ideals
    are (2, 2). Nash(T): on (1,2)–(2,0), (1+t)(3−2t) peaks at t = 1/4: (5/4, 3/2),
    product 25/8 > 3 at (1,2). Nash(S): 2t(3−2t) peaks at t = 3/4: (3/2, 1/2).
    Player 1 gets 5/4 < 3/2 in the larger T, though player 2's ideal is unchanged."""
    ok, message = replay_bargaining_witness(
        witness("nash", "individual-monotonicity", ((0, 2), (1, 2), (2, 0)), (0, -1), {"keep": [0, 2]}))
    assert ok, message


def test_kalai_smorodinsky_iia_minimal_witness_by_hand():
    """T: below (0,1), (1,0), d = 0: KS = (1/2, 1/2). S = T ∩ {u1 ≤ 1/2} still
    contains it, but its ideal is (1/2, 1): t(1/2, 1) on u1 + u2 = 1 gives
    t = 2/3: KS(S) = (1/3, 2/3) ≠ (1/2, 1/2)."""
    ok, message = replay_bargaining_witness(
        witness("kalai-smorodinsky", "iia", ((0, 1), (1, 0)), (0, 0), {"cap": [0, "1/2"]}))
    assert ok, message


def test_egalitarian_strong_pareto_minimal_witness_by_hand():
    """Below the single point (0,1), d = (−1,−1): equal gains stop at (0,0), which
    (0,1) dominates: Kalai's egalitarian solution is only weakly Pareto optimal."""
    ok, message = replay_bargaining_witness(witness("egalitarian", "pareto", ((0, 1),), (-1, -1), {}))
    assert ok, message


def test_egalitarian_scale_minimal_witness_by_hand():
    """Below (0,0), d = (−1,−1): egalitarian (0,0). Doubling u1 gives d = (−2,−1):
    equal gains stop at t = 1, (−1, 0), not the image (0, 0)."""
    ok, message = replay_bargaining_witness(
        witness("egalitarian", "scale", ((0, 0),), (-1, -1), {"scale": ["2", "1"], "shift": ["0", "0"]}))
    assert ok, message


def _problems():
    coords = st.integers(-3, 3)
    point = st.tuples(coords, coords)
    return st.builds(
        lambda pts, d: BargainingProblem(tuple(sorted(set(pts))), d, True),
        st.lists(point, min_size=1, max_size=4), point,
    ).filter(lambda p: not p.is_degenerate())


@pytest.mark.parametrize("cell", SATISFIED)
@settings(max_examples=30, deadline=None)
@given(problem=_problems(), seed=st.integers(0, 10**6))
def test_satisfied_textbook_axioms_hold_on_generated_problems(cell, problem, seed):
    concept, desideratum_id = cell
    desideratum = get_bargaining_desideratum(desideratum_id)
    for params in desideratum.parameters(problem, random.Random(seed), 6):
        assert desideratum.check(concept, problem, params) is None, (problem.describe(), params)


@settings(max_examples=60, deadline=None)
@given(problem=_problems())
def test_rose_points_exist_and_dominate_the_random_dictator(problem):
    """Seed 000: every ROSE point is Pareto-superior to the random-dictator point
    (proof in solutions.py); and the set is never empty on these problems."""
    points = rose_points(problem)
    assert points
    r = random_dictator_point(problem)
    assert all(weakly_dominates(x, r) for x in points)


@pytest.mark.parametrize("desideratum", ["pareto", "symmetry", "scale", "individual-rationality",
                                         "random-dictator", "disagreement-invariance"])
@settings(max_examples=25, deadline=None)
@given(problem=_problems(), seed=st.integers(0, 10**6))
def test_rose_points_satisfy_seed_000_properties(desideratum, problem, seed):
    d = get_bargaining_desideratum(desideratum)
    for params in d.parameters(problem, random.Random(seed), 4):
        assert d.check("rose-points", problem, params) is None


def test_minimal_problem_where_nash_is_below_the_random_dictator():
    """The first problem in the minimality order: below (0,1) and (1,0), d = (−1,0).
    Nash: (0, 1) (see the resource-monotonicity witness); dictators: (1,0) and
    (0,1) → random dictator (1/2, 1/2), so player 1 gets 0 < 1/2. No problem with a
    single point can do it: then every solution is the point itself."""
    violation, _, complete = first_violation("nash", "random-dictator", 2, 1, True)
    assert complete and violation is not None
    assert violation.problem.points == ((0, 1), (1, 0)) and violation.problem.disagreement == (-1, 0)
    assert violation.gap == F(1, 2)


def test_search_reports_a_counterexample_with_a_replayable_minimal_witness():
    result = search_bargaining("kalai-smorodinsky", "iia", seed=1, budget=50)
    assert result.outcome == "counterexample"
    w = result.details["witness"]
    assert w["minimal"] is True
    assert replay_bargaining_witness(w)[0]


def test_replay_refuses_a_witness_that_does_not_violate():
    ok, message = replay_bargaining_witness(witness("nash", "iia", ((0, 1), (1, 0)), (0, 0), {"cap": [0, "1/2"]}))
    assert not ok and "not confirmed" in message


def test_random_problems_are_non_degenerate():
    rng = random.Random(3)
    assert all(not random_problem(rng).is_degenerate() for _ in range(50))


def test_every_satisfied_textbook_cell_has_a_bounded_proof():
    """The other half of the table: every satisfied cell has a committed SMT proof
    record (z3 and cvc5 UNSAT on every query, every SMT-LIB2 file matching its
    sha256: `proof_records` reads only those) on real problems with 3 payoff
    points in [−10, 10]; and ROSE points dominate the random-dictator point there too."""
    from bargaincheck.checkers.bargaining_smt import proof_records

    records = proof_records()
    missing = [cell for cell in SATISFIED + [("rose-points", "random-dictator")] if cell not in records]
    assert not missing, missing
    for cell in SATISFIED + [("rose-points", "random-dictator")]:
        record = records[cell]
        assert record["verdict"] == "proved" and record["confirmed_by_both"], cell
        assert int(record["scope"]["points"]) >= 3 and record["scope"]["bound"] == "10", cell


def test_random_dictator_pareto_witness_is_minimal_in_its_box():
    """The random-dictator point can be Pareto-dominated: P = {(−2,2), (0,1), (1,0)},
    d = (−1, 0). Dictator 1 takes (1, 0); dictator 2 maximizes u2 over S_d, where
    u1 ≥ −1 cuts the edge (−2,2)–(0,1) at (−1, 3/2); r = (0, 3/4), and (1/4, 3/4)
    on the edge (0,1)–(1,0) dominates it. The search shrinks its hit to box 4, where
    the ordered enumeration would first visit every 2-point problem; the growing
    boxes certify this witness as the first violation in box 2."""
    result = search_bargaining("random-dictator", "pareto", seed=0, budget=150)
    w = result.details["witness"]
    assert w["minimal"] and "[-2, 2]" in w["minimal_scope"]
    problem = BargainingProblem(((-2, 2), (0, 1), (1, 0)), (-1, 0), True)
    assert random_dictator_point(problem) == (0, F(3, 4))
    assert w["problem"] == problem_to_json(problem)
    assert replay_bargaining_witness(w)[0]
