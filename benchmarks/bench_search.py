"""Games per second of search, screened (checkers/screening.py: float batches,
candidates judged exactly) against baselines measured in the same run: the
exact path before issue 16 (`search(..., screen=False)` with the simplex in
fractions.Fraction: every game judged in rational arithmetic), the exact path
now (the same, the simplex in gmpy2 rationals) and per-game cvxpy (the same
float work as screening, every LP solved by cvxpy game by game). Pairs that
hold (no violation to stop the search), on 2x2, 3x3 and 2x2x2.

    python benchmarks/bench_search.py [--seconds S] [--cvxpy-games N] [--bound B]
"""

from __future__ import annotations

import argparse
import time
import types
from fractions import Fraction

import cvxpy as cp
import numpy as np

from bargaincheck.checkers import screening
from bargaincheck.checkers.search import search
from bargaincheck.specs import batch, lp
from bargaincheck.specs.concepts.registry import get_concept
from bargaincheck.specs.desiderata.registry import get_desideratum

CASES = [
    ((2, 2), "rose", "maximin"), ((2, 2), "rose", "threat"), ((2, 2), "coco", "pareto"),
    ((3, 3), "rose", "maximin"), ((3, 3), "rose", "threat"), ((3, 3), "coco", "pareto"),
    ((2, 2, 2), "shapley-rose", "pareto"), ((2, 2, 2), "shapley-rose", "threat"),
    ((2, 2, 2), "shapley-coco", "symmetry"),
]
GOALS = {2: 100.0, 3: 20.0}  # screened / exact path before issue 16, by player count


def _lp_value(matrix: np.ndarray) -> float:
    """max_x min_c x·A(·,c) over the row player's simplex, one cvxpy LP."""
    x, v = cp.Variable(matrix.shape[0], nonneg=True), cp.Variable()
    cp.Problem(cp.Maximize(v), [matrix.T @ x >= v, cp.sum(x) == 1]).solve()
    return float(v.value)


def _lp_surplus(total: np.ndarray, follower: np.ndarray) -> float:
    """max over b₁ of the LP max ν·X(·,b₁) − t, t ≥ ν·F(·,b) ∀b, ν ∈ Δ."""
    best = -np.inf
    for b1 in range(total.shape[1]):
        x, t = cp.Variable(total.shape[0], nonneg=True), cp.Variable()
        problem = cp.Problem(cp.Maximize(total[:, b1] @ x - t), [follower.T @ x <= t, cp.sum(x) == 1])
        best = max(best, problem.solve())
    return float(best)


def _per_game(function):
    def batched(*arrays):
        return np.array([function(*(a[b] for a in arrays)) for b in range(arrays[0].shape[0])])
    return batched


CVXPY_ATOMS = types.SimpleNamespace(**{name: getattr(batch, name) for name in batch.__all__})
CVXPY_ATOMS.matrix_game_values = _per_game(_lp_value)
CVXPY_ATOMS.extractable_surplus = _per_game(_lp_surplus)
CVXPY_ATOMS.maximin_values = lambda payoffs: np.stack(
    [CVXPY_ATOMS.matrix_game_values(batch.payoff_matrices(payoffs, i)) for i in range(payoffs.shape[1])], axis=1)


def screened_rate(concept, desideratum, shape, bound, seconds):
    outcome = search(concept, desideratum, shape, bound, seed=1, timeout=seconds)
    assert outcome.extra.get("screened"), f"{concept.id} × {desideratum.id} on {shape} is not screened"
    return outcome.games / outcome.seconds, outcome.violation


def exact_rate(concept, desideratum, shape, bound, seconds, rational=None):
    """The exact path's rate, with `rational` (e.g. Fraction) as the simplex's type if given."""
    used = lp.mpq
    lp.mpq = rational or used
    try:
        outcome = search(concept, desideratum, shape, bound, seed=1, timeout=seconds, screen=False)
    finally:
        lp.mpq = used
    return outcome.games / outcome.seconds, outcome.violation


def cvxpy_rate(concept, desideratum, shape, bound, games):
    """The screening's float work on `games` games, every LP a cvxpy solve."""
    plan = screening.screening_plan(concept, desideratum, shape, bound)
    block = next(screening.game_blocks(shape, bound, 1)).head(games)
    plan.batched.screen(lambda n: plan.reading(n), block.payoffs()[:1], 6, plan.skipped)  # warm up cvxpy
    real, screening.batch = screening.batch, CVXPY_ATOMS
    try:
        start = time.perf_counter()
        screening.candidates(plan, block, 6)
        return games / (time.perf_counter() - start)
    finally:
        screening.batch = real


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="search time per case and path")
    parser.add_argument("--cvxpy-games", type=int, default=6, help="games solved with cvxpy per case")
    parser.add_argument("--bound", type=int, default=5)
    args = parser.parse_args()
    bound = Fraction(args.bound)
    print(f"{'shape':<6} {'pair':<26} {'screened/s':>11} {'before/s':>9} {'exact/s':>8} {'cvxpy/s':>8} "
          f"{'scr/before':>10} {'scr/exact':>9} {'scr/cvxpy':>9} {'before/cvxpy':>12}")
    worst: dict[int, float] = {}
    for shape, concept_id, desideratum_id in CASES:
        concept, desideratum = get_concept(concept_id), get_desideratum(desideratum_id)
        fast, found_fast = screened_rate(concept, desideratum, shape, bound, args.seconds)
        before, found_before = exact_rate(concept, desideratum, shape, bound, args.seconds, Fraction)
        slow, found_slow = exact_rate(concept, desideratum, shape, bound, args.seconds)
        per_lp = cvxpy_rate(concept, desideratum, shape, bound, args.cvxpy_games)
        name = "x".join(map(str, shape))
        note = "  (a violation ended a search: rate not steady)" if found_fast or found_before or found_slow else ""
        print(f"{name:<6} {concept_id + ' × ' + desideratum_id:<26} {fast:11.0f} {before:9.1f} {slow:8.1f} "
              f"{per_lp:8.1f} {fast / before:9.0f}x {fast / slow:8.0f}x {fast / per_lp:8.0f}x "
              f"{before / per_lp:11.1f}x{note}")
        worst[len(shape)] = min(worst.get(len(shape), np.inf), fast / before)
    for n, ratio in sorted(worst.items()):
        goal = GOALS.get(n)
        print(f"{n} players: smallest screened/before ratio {ratio:.0f}x" + (f" (goal {goal:.0f}x)" if goal else ""))


if __name__ == "__main__":
    main()
