"""Seed 002: the Pareto meet minimum of the Scheduling Game, the Pareto meet
projections, and the renegotiation guarantee (Theorem 3) with PMP-extended sets."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction as F

import pytest

from bargaincheck.specs.bargaining import BargainingProblem
from bargaincheck.specs.bargaining.io import problem_from_game
from bargaincheck.specs.bargaining.pmm import (
    SELECTIONS,
    pareto_meet_minimum,
    pareto_meet_projection,
    renegotiate,
    select,
)
from bargaincheck.specs.bargaining.problem import weakly_dominates
from bargaincheck.specs.games import Game

SCHEDULING = Game.from_arrays(
    [[[3, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 3, 0], [0, 0, 1]]],
    actions=[["Slot 1", "Slot 2", "Slot 3"]] * 2,
    title="Scheduling Game (seed 002, Table 1)",
)
TRANSITIVE = SELECTIONS  # all four welfare selections (KS too: see pmm.py)


def scheduling_problem() -> BargainingProblem:
    return problem_from_game(SCHEDULING, ("Slot 1", "Slot 2"))


def test_scheduling_game_pmm_is_one_one():
    """Outcomes (3,1), (1,3), (1,1), (0,0); the efficient ones are (3,1) and (1,3)
    ((1,1) is dominated by (3,1)), so PMM = (min(3,1), min(1,3)) = (1, 1)."""
    assert pareto_meet_minimum(scheduling_problem()) == (F(1), F(1))


def test_scheduling_game_pmp_of_miscoordination():
    """PMP_1((0,0)) = {x : x1 ≥ max(1, 0), x2 = max(1, 0) = 1} = the segment from
    (1,1) to (3,1) (seed 002, Fig. 1); PMP_2 mirrors it."""
    problem = scheduling_problem()
    assert pareto_meet_projection(problem, 0, (0, 0)) == [(1, 1), (3, 1)]
    assert pareto_meet_projection(problem, 1, (0, 0)) == [(1, 1), (1, 3)]


@pytest.mark.parametrize("welfare", TRANSITIVE)
def test_renegotiation_guarantee_holds_for_every_default_outcome(welfare):
    """Theorem 3: with both sets PMP-extended, every default outcome of the
    Scheduling Game and every pair of base sets drawn from the pure outcomes
    that improve on it renegotiate to at least PMM = (1, 1)."""
    problem = scheduling_problem()
    pmm = pareto_meet_minimum(problem)
    for profile in SCHEDULING.profiles():
        default = SCHEDULING.outcome(profile)
        improvements = sorted({x for x in problem.points if weakly_dominates(x, default) and x != default})
        subsets = [list(c) for k in range(len(improvements) + 1) for c in itertools.combinations(improvements, k)]
        for r1, r2 in itertools.product(subsets, repeat=2):
            result = renegotiate(problem, welfare, default, r1, r2)
            assert weakly_dominates(result.new, pmm), (default, r1, r2, result)
            assert weakly_dominates(result.new, result.old)


def test_miscoordination_agreement_set_is_the_pmm_and_both_best_outcomes():
    """Default (Slot 1, Slot 2) = (0,0); base sets {(1,3)} and {(3,1)} do not meet,
    so o = (0,0). Player 1's set gains PMP_1(o) = [(1,1),(3,1)] ∋ (3,1) ∈ R2 and
    player 2's gains PMP_2(o) = [(1,1),(1,3)] ∋ (1,3) ∈ R1; the two PMP sets meet
    at (1,1). Agreement set {(1,1), (1,3), (3,1)} (seed 002, Fig. 2)."""
    result = renegotiate(scheduling_problem(), "egalitarian", (0, 0), [(1, 3)], [(3, 1)])
    assert result.agreement == ((F(1), F(1)), (F(1), F(3)), (F(3), F(1)))
    assert result.new in {(F(1), F(3)), (F(3), F(1))}


def test_disjoint_base_sets_fall_back_to_the_pmm():
    """Default (0,0) and empty base sets: the agreement set is
    PMP_1 ∩ PMP_2 = {(1,1)}, so renegotiation yields exactly the PMM."""
    result = renegotiate(scheduling_problem(), "utilitarian", (0, 0), [], [])
    assert result.agreement == ((F(1), F(1)),)
    assert result.new == (F(1), F(1))


@pytest.mark.parametrize("welfare", TRANSITIVE)
def test_welfare_selections_are_transitive_on_random_sets(welfare):
    """sel(S ∪ S') ≥ sel(S) whenever every point of S' is ≥ sel(S): the keys are
    fixed and strictly Pareto-monotone (the proof in pmm.py); checked on random sets."""
    rng = random.Random(5)
    d = (F(0), F(0))
    for _ in range(300):
        s = [(F(rng.randint(-3, 4)), F(rng.randint(-3, 4))) for _ in range(rng.randint(1, 4))]
        o = select(welfare, s, d)
        extra = [(o[0] + rng.randint(0, 3), o[1] + rng.randint(0, 3)) for _ in range(rng.randint(1, 3))]
        assert weakly_dominates(select(welfare, s + extra, d), o)


def test_selections_pick_efficient_points():
    """Definition 6: sel(S) is Pareto efficient in S."""
    s = [(F(1), F(1)), (F(2), F(1)), (F(0), F(3)), (F(1), F(3))]
    for welfare in SELECTIONS:
        chosen = select(welfare, s, (F(0), F(0)))
        assert not any(weakly_dominates(x, chosen) and x != chosen for x in s)
