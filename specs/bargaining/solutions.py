"""Exact 2-player bargaining solutions on a `BargainingProblem` (SPEC §3).

All of them work on the individually rational set S_d = F ∩ {u ≥ d} (a convex
polygon with rational vertices) and return exact rational points:

- Nash: argmax (u1−d1)(u2−d2) over S_d. The product is a concave quadratic
  along each frontier edge, so its maximizer on an edge is the rational
  stationary point clamped to the edge; the best candidate is the solution.
  (Degenerate S_d, no point strictly better for both: S_d is a segment on a
  ray from d and every solution here returns its far end.)
- Kalai–Smorodinsky: the last point of S_d on the segment from d to the ideal
  point b (b_i = max u_i over S_d).
- egalitarian (Kalai 1977): the last point of S_d on the ray d + t(1, 1).
  Only weakly Pareto optimal, by design: the seed-003 variant "max min gain
  subject to Pareto optimality" is `leximin_solution` (not registered).
- utilitarian: argmax u1 + u2 over S_d; tie-break: on the optimal face (a
  segment) the point with the smallest |(u1−d1) − (u2−d2)| (unique, symmetric,
  and consistent with IIA).
- random dictator: the average of the two dictator points (each dictator's best
  point of F subject to the other getting ≥ d; ties: the best for the other).
- ROSE points (seed 000, "ROSE Bargaining"): x on the strong Pareto frontier of F
  with a supporting normal a > 0 (a·x = max_F a·u) such that
  a1(b1 − x1) = a2(b2 − x2): x is equally far, in the a-currency, from the two
  caps u1 = b1, u2 = b2. Derivation: with currency a, player 1 moving first
  claims a1·b1 and leaves player 2 the rest M_a − a1·b1 (M_a = max_F a·u); the
  ROSE split gives a1·x1 = (M_a + a1 b1 − a2 b2)/2, which is the displayed
  condition on the supporting line a·x = M_a. On an edge (fixed a) the
  condition is linear along the edge; at a vertex it is linear in a over the
  vertex's normal cone; so the ROSE set is finite and exact. Since
  M_a ≥ a·(player 2's dictator point), a1 x1 ≥ a1 (b1 + w1)/2: every ROSE point
  dominates the random-dictator point (a > 0 is what makes this work).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

from .problem import BargainingError, BargainingProblem, Point, ray_exit, right, strong_frontier, top

__all__ = [
    "nash_solution",
    "kalai_smorodinsky_solution",
    "egalitarian_solution",
    "leximin_solution",
    "utilitarian_solution",
    "random_dictator_point",
    "rose_points",
    "SOLUTIONS",
    "solution_set",
]

ZERO = Fraction(0)


def _gains(x: Point, d: Point) -> tuple[Fraction, Fraction]:
    return (x[0] - d[0], x[1] - d[1])


def nash_solution(problem: BargainingProblem) -> Point:
    """argmax (u1−d1)(u2−d2) over S_d; exact (rational)."""
    problem.require_two_players()
    d = problem.disagreement
    s = problem.rational_set()
    chain = strong_frontier(s)
    candidates = list(chain)
    for a, b in zip(chain, chain[1:]):
        alpha, beta = a[0] - d[0], a[1] - d[1]
        e1, e2 = b[0] - a[0], b[1] - a[1]  # e1 > 0 > e2 on the strong frontier
        # g(t) = (alpha + t e1)(beta + t e2): g'(t) = alpha e2 + beta e1 + 2 t e1 e2 = 0
        t = -(alpha * e2 + beta * e1) / (2 * e1 * e2)
        if 0 < t < 1:
            candidates.append((a[0] + t * e1, a[1] + t * e2))

    def product(x: Point) -> Fraction:
        g = _gains(x, d)
        return g[0] * g[1] if g[0] >= 0 and g[1] >= 0 else Fraction(-1)

    best = max(candidates, key=product)
    if product(best) <= 0:
        return right(s)  # degenerate S_d: a segment from d; its far end
    return best


def kalai_smorodinsky_solution(problem: BargainingProblem) -> Point:
    """The maximal point of S_d on the segment from d to the ideal point; exact."""
    problem.require_two_players()
    d = problem.disagreement
    b = problem.ideal_point()
    direction = (b[0] - d[0], b[1] - d[1])
    if direction[0] == 0 or direction[1] == 0:
        return right(problem.rational_set()) if direction[0] else top(problem.rational_set())
    t = ray_exit(problem.rational_set(), d, direction)
    return (d[0] + t * direction[0], d[1] + t * direction[1])


def egalitarian_solution(problem: BargainingProblem) -> Point:
    """Kalai's egalitarian solution: the maximal point of S_d with equal gains; exact.
    Degenerate S_d (no point strictly better for both): its far end."""
    problem.require_two_players()
    d = problem.disagreement
    s = problem.rational_set()
    t = ray_exit(s, d, (Fraction(1), Fraction(1)))
    if t == 0:
        return right(s) if right(s) != d else top(s)
    return (d[0] + t, d[1] + t)


def leximin_solution(problem: BargainingProblem) -> Point:
    """Seed 003's egalitarian welfare "min gain subject to Pareto optimality":
    the strong-Pareto point of S_d maximizing the smaller gain (unique for 2
    players); exact. Not registered: kept to contrast with Kalai's version."""
    problem.require_two_players()
    d = problem.disagreement
    chain = strong_frontier(problem.rational_set())
    candidates = list(chain)
    for a, b in zip(chain, chain[1:]):
        # where gain1 = gain2 on the edge, if it crosses the diagonal
        ga, gb = _gains(a, d), _gains(b, d)
        fa, fb = ga[0] - ga[1], gb[0] - gb[1]
        if fa < 0 < fb:
            t = -fa / (fb - fa)
            candidates.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    return max(candidates, key=lambda x: (min(_gains(x, d)), max(_gains(x, d))))


def utilitarian_solution(problem: BargainingProblem) -> Point:
    """argmax u1 + u2 over S_d; on an optimal segment the point with the smallest
    |gain1 − gain2| (unique); exact."""
    problem.require_two_players()
    d = problem.disagreement
    chain = strong_frontier(problem.rational_set())
    best = max(x[0] + x[1] for x in chain)
    face = [x for x in chain if x[0] + x[1] == best]  # one vertex or two adjacent ones
    a, b = face[0], face[-1]  # u1 increasing along the chain
    fa = (a[0] - d[0]) - (a[1] - d[1])
    fb = (b[0] - d[0]) - (b[1] - d[1])
    if fa >= 0:
        return a
    if fb <= 0:
        return b
    t = -fa / (fb - fa)
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))


def random_dictator_point(problem: BargainingProblem) -> Point:
    """½ (player 1's dictator point + player 2's dictator point); exact."""
    problem.require_two_players()
    p1, p2 = problem.dictator_points()
    return ((p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2)


def _rose_h(a: Point, b: Point, x: Point) -> Fraction:
    return a[0] * (b[0] - x[0]) - a[1] * (b[1] - x[1])


def rose_points(problem: BargainingProblem) -> tuple[Point, ...]:
    """All ROSE points (set-valued), sorted by u1; exact (see the module docstring)."""
    problem.require_two_players()
    b = problem.ideal_point()
    chain = strong_frontier(problem.hull())
    one, zero = Fraction(1), Fraction(0)
    normals = [(p[1] - q[1], q[0] - p[0]) for p, q in zip(chain, chain[1:])]  # both > 0
    found: set[Point] = set()
    for k, v in enumerate(chain):
        left = normals[k - 1] if k > 0 else (zero, one)
        left_open = k == 0
        right_n = normals[k] if k < len(normals) else (one, zero)
        right_open = k == len(normals)
        hl, hr = _rose_h(left, b, v), _rose_h(right_n, b, v)
        if hl == 0 and hr == 0:
            found.add(v)
        elif (hl < 0 < hr) or (hr < 0 < hl):
            found.add(v)
        elif hl == 0 and not left_open:
            found.add(v)
        elif hr == 0 and not right_open:
            found.add(v)
    for (p, q), a in zip(zip(chain, chain[1:]), normals):
        e = (q[0] - p[0], q[1] - p[1])
        # h(p + t e) = h(p) − t (a1 e1 − a2 e2), with a1 e1 − a2 e2 > 0
        t = _rose_h(a, b, p) / (a[0] * e[0] - a[1] * e[1])
        if 0 <= t <= 1:
            found.add((p[0] + t * e[0], p[1] + t * e[1]))
    return tuple(sorted(found))


def _single(function: Callable[[BargainingProblem], Point]) -> Callable[[BargainingProblem], tuple[Point, ...]]:
    return lambda problem: (function(problem),)


def _pmm_set(problem: BargainingProblem) -> tuple[Point, ...]:
    from .pmm import pareto_meet_minimum

    return (pareto_meet_minimum(problem),)


SOLUTIONS: dict[str, Callable[[BargainingProblem], tuple[Point, ...]]] = {
    "nash": _single(nash_solution),
    "kalai-smorodinsky": _single(kalai_smorodinsky_solution),
    "egalitarian": _single(egalitarian_solution),
    "utilitarian": _single(utilitarian_solution),
    "random-dictator": _single(random_dictator_point),
    "rose-points": rose_points,
    "pmm": _pmm_set,
}


def solution_set(concept_id: str, problem: BargainingProblem) -> tuple[Point, ...]:
    """The solution of a bargaining concept as a tuple of points (singletons for
    point-valued concepts)."""
    if concept_id not in SOLUTIONS:
        raise BargainingError(f"unknown bargaining concept {concept_id!r}; known: {', '.join(SOLUTIONS)}")
    return SOLUTIONS[concept_id](problem)
