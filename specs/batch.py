"""The reference quantities of `concepts.basic` and `concepts.rose2`, in
floating point on batches of games at once (numpy float64), for screening.

A batch of n-player games of shape (k_0, …, k_{n−1}) is an array `payoffs`
of shape (B, n, k_0, …, k_{n−1}): `payoffs[b, i]` is player i's payoff array
in game b (player 0's action the slowest axis, as in `Game`). Every function
takes the batch axis first and returns one number (or one row) per game.

The LP atoms (zero-sum values, maximin values, the two-player ROSE
extractable surplus) are computed by vertex enumeration, a method that is
exact in exact arithmetic. Each is the maximum over the leader's simplex
Δ(A) of a piecewise-linear function f that is linear on every cell of an
arrangement of hyperplanes through the simplex:

* the value of a zero-sum matrix A: f(ν) = min_b ν·A(·,b) (concave, linear
  where the column attaining the minimum does not change), hyperplanes
  ν·(A(·,b) − A(·,b')) = 0;
* the extractable surplus S: f(ν) = max_b ν·X(·,b) − max_b ν·F(·,b); for each
  b₁, ν·X(·,b₁) − max_b ν·F(·,b) is concave and linear where the follower's
  best reply does not change, hyperplanes ν·(F(·,b) − F(·,b')) = 0.

A linear function's maximum over a polytope cell is at one of its vertices,
and every vertex of a cell is the point of the simplex where r − 1 linearly
independent hyperplanes meet (the coordinate facets ν_a = 0 included, r the
number of leader actions). So the maximum of f over these candidate points
is the maximum over the simplex. Every candidate is a point of the simplex
(candidates outside it, or of singular systems, are replaced by a vertex of
the simplex), so in floating point each candidate's f is a value f attains
up to rounding, and the result errs only by the rounding of the solves and
sums: tests/test_batch.py bounds it against the exact functions. For two
leader actions the candidates are closed forms (no linear solve). Shapes
whose work per game (candidate points × leader actions²) exceeds MAX_WORK
are computed game by game with the exact functions and rounded.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import threading
from fractions import Fraction
from typing import Iterator

import numpy as np

__all__ = [
    "MAX_WORK",
    "TooManyCandidates",
    "without_exact_fallback",
    "payoff_batch",
    "total_surplus",
    "max_payoffs",
    "payoff_matrices",
    "maximin_values",
    "matrix_game_values",
    "leader_matrices",
    "extractable_surplus",
    "coalition_payoffs",
]

MAX_WORK = 20_000  # candidate points × leader actions² per game, beyond which the exact functions are used
_CHUNK_ENTRIES = 2_000_000  # floats of linear systems held at once (memory)
_SINGULAR = 1e-10  # |det| of a system of unit-norm rows below which it is taken as singular
_OUTSIDE = 1e-9  # a solved point this far outside the simplex is no vertex of it


class TooManyCandidates(ValueError):
    """A shape beyond MAX_WORK, met inside `without_exact_fallback`."""


_STRICT = threading.local()  # per thread: inside `without_exact_fallback`


@contextlib.contextmanager
def without_exact_fallback() -> Iterator[None]:
    """Inside (in this thread), a shape beyond MAX_WORK raises
    TooManyCandidates instead of being computed game by game exactly (for
    callers with a faster way out)."""
    before = getattr(_STRICT, "on", False)
    _STRICT.on = True
    try:
        yield
    finally:
        _STRICT.on = before


def _too_many(rows: int, cols: int) -> bool:
    work = _value_candidates(rows, cols) * rows * rows
    if work <= MAX_WORK:
        return False
    if getattr(_STRICT, "on", False):
        raise TooManyCandidates(f"{rows} x {cols}: {work} units of work per game (MAX_WORK {MAX_WORK})")
    return True


def _batch(payoffs: np.ndarray) -> np.ndarray:
    payoffs = np.asarray(payoffs, dtype=np.float64)
    if payoffs.ndim < 3 or payoffs.shape[1] != payoffs.ndim - 2:
        raise ValueError(
            f"a batch of n-player games has shape (B, n, k_0, ..., k_(n-1)), not {payoffs.shape}"
        )
    return payoffs


def payoff_batch(games) -> np.ndarray:
    """The batch of exact games of one shape, rounded to float64. Shape (B, n, k_0, …)."""
    games = list(games)
    shapes = {g.shape for g in games}
    if len(shapes) != 1:
        raise ValueError(f"a batch holds games of one shape, not {sorted(shapes)}")
    shape = shapes.pop()
    flat = np.array([[[float(v) for v in row] for row in g.payoffs] for g in games], dtype=np.float64)
    return flat.reshape((len(games), len(shape)) + shape)


def total_surplus(payoffs: np.ndarray) -> np.ndarray:
    """M(G) per game: the largest total payoff over pure profiles. Shape (B,)."""
    payoffs = _batch(payoffs)
    return payoffs.sum(axis=1).reshape(payoffs.shape[0], -1).max(axis=1)


def max_payoffs(payoffs: np.ndarray) -> np.ndarray:
    """max_i per game and player: the largest payoff of each player. Shape (B, n)."""
    payoffs = _batch(payoffs)
    return payoffs.reshape(payoffs.shape[0], payoffs.shape[1], -1).max(axis=2)


def payoff_matrices(payoffs: np.ndarray, player: int) -> np.ndarray:
    """Player's payoffs with rows its actions and columns the others' joint
    pure profiles in storage order (as `concepts.basic`). Shape (B, k_i, Π_{j≠i} k_j)."""
    payoffs = _batch(payoffs)
    own = np.moveaxis(payoffs[:, player], player + 1, 1)
    return own.reshape(own.shape[0], own.shape[1], -1)


def maximin_values(payoffs: np.ndarray) -> np.ndarray:
    """maximin_i per game and player: max over i's mixed strategies of the min
    over the others' joint pure profiles. Shape (B, n)."""
    payoffs = _batch(payoffs)
    return np.stack([matrix_game_values(payoff_matrices(payoffs, i)) for i in range(payoffs.shape[1])], axis=1)


def _candidate_count(rows: int, hyperplanes: int) -> int:
    return math.comb(rows + hyperplanes, rows - 1)


def _value_candidates(rows: int, cols: int) -> int:
    return _candidate_count(rows, cols * (cols - 1) // 2)


def matrix_game_values(matrices: np.ndarray) -> np.ndarray:
    """The value of each zero-sum matrix game, the row player maximizing
    matrices[b][r][c]. Shape (B,). Vertex enumeration on the side with
    fewer candidates (val(A) = −val(−Aᵀ)); closed forms for 2 × m and m × 2."""
    matrices = np.asarray(matrices, dtype=np.float64)
    if matrices.ndim != 3:
        raise ValueError(f"a batch of matrices has shape (B, rows, cols), not {matrices.shape}")
    _, rows, cols = matrices.shape
    if cols == 1:
        return matrices[:, :, 0].max(axis=1)
    if rows == 1:
        return matrices[:, 0, :].min(axis=1)
    if _value_candidates(cols, rows) * cols < _value_candidates(rows, cols) * rows:
        return -_row_player_value(-np.swapaxes(matrices, 1, 2))
    return _row_player_value(matrices)


def _row_player_value(matrices: np.ndarray) -> np.ndarray:
    _, rows, cols = matrices.shape
    if _too_many(rows, cols):
        from .concepts.basic import zero_sum_value

        return _exact_per_game(lambda a: zero_sum_value(a), matrices)
    points = _simplex_vertices(_column_ties(matrices))  # (B, K, rows)
    return _along_last(np.minimum, points @ matrices).max(axis=1)


def leader_matrices(payoffs: np.ndarray, leader: int) -> tuple[np.ndarray, np.ndarray]:
    """(U_1 + U_2, U_follower) of two-player games, both indexed
    [leader action][follower action] (as `concepts.rose2.leader_matrices`)."""
    payoffs = _batch(payoffs)
    if payoffs.shape[1] != 2:
        raise ValueError(f"leader matrices are defined for two-player games, not {payoffs.shape[1]}")
    total, follower = payoffs.sum(axis=1), payoffs[:, 1 - leader]
    if leader == 1:
        total, follower = np.swapaxes(total, 1, 2), np.swapaxes(follower, 1, 2)
    return total, follower


def extractable_surplus(total: np.ndarray, follower: np.ndarray) -> np.ndarray:
    """max over the leader's mixed ν of max_b ν·total(·,b) − max_b ν·follower(·,b),
    matrices indexed [game][leader action][follower action]. Shape (B,)."""
    total, follower = np.asarray(total, dtype=np.float64), np.asarray(follower, dtype=np.float64)
    if total.shape != follower.shape or total.ndim != 3:
        raise ValueError(f"total and follower must both have shape (B, rows, cols), not {total.shape}, {follower.shape}")
    _, rows, cols = total.shape
    if cols == 1:
        return (total - follower)[:, :, 0].max(axis=1)
    if rows == 1:
        return total[:, 0].max(axis=1) - follower[:, 0].max(axis=1)
    if _too_many(rows, cols):
        from .concepts.rose2 import extractable_surplus as exact

        return _exact_per_game(exact, total, follower)
    points = _simplex_vertices(_column_ties(follower))
    gain = _along_last(np.maximum, points @ total)
    reply = _along_last(np.maximum, points @ follower)
    return (gain - reply).max(axis=1)


def coalition_payoffs(payoffs: np.ndarray, members) -> np.ndarray:
    """The two-player games "S vs N∖S" (as `transforms.coalition_game`): the
    coalition's joint actions are rows and its complement's are columns, both
    in storage order, each side getting its members' summed payoff (an empty
    side has one action and payoff 0). Shape (B, 2, Π_S k_i, Π_{N∖S} k_i)."""
    payoffs = _batch(payoffs)
    batch, n = payoffs.shape[:2]
    side = sorted(set(members))
    other = [i for i in range(n) if i not in side]
    shape = payoffs.shape[2:]
    order = [0] + [1 + i for i in side] + [1 + i for i in other]
    rows, cols = math.prod(shape[i] for i in side), math.prod(shape[i] for i in other)
    result = np.zeros((batch, 2, rows, cols))
    for position, group in enumerate((side, other)):
        if group:
            summed = payoffs[:, group].sum(axis=1)
            result[:, position] = np.transpose(summed, order).reshape(batch, rows, cols)
    return result


# -- vertex enumeration ----------------------------------------------------------------------


def _column_ties(matrices: np.ndarray) -> np.ndarray:
    """The hyperplanes ν·(A(·,b) − A(·,b')) = 0, b < b': shape (B, C(cols, 2), rows)."""
    first, second = _pairs(matrices.shape[2])
    return np.swapaxes(matrices[:, :, first] - matrices[:, :, second], 1, 2)


@functools.lru_cache(maxsize=None)
def _pairs(count: int) -> tuple[np.ndarray, np.ndarray]:
    pairs = np.array(list(itertools.combinations(range(count), 2)), dtype=np.intp).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


@functools.lru_cache(maxsize=None)
def _choices(total: int, size: int) -> np.ndarray:
    return np.array(list(itertools.combinations(range(total), size)), dtype=np.intp).reshape(-1, size)


def _simplex_vertices(hyperplanes: np.ndarray) -> np.ndarray:
    """Every point of the simplex Δ_r where r − 1 of the hyperplanes (the
    given ones, shape (B, H, r), and the facets ν_a = 0) meet in exactly one
    point; a choice that meets in no such point gives the vertex e_0 instead.
    Shape (B, C(r + H, r − 1), r); every row is in the simplex."""
    batch, _, rows = hyperplanes.shape
    if rows == 2:
        return _segment_vertices(hyperplanes)
    facets = np.broadcast_to(np.eye(rows), (batch, rows, rows))
    planes = np.concatenate([facets, hyperplanes], axis=1)
    norms = np.sqrt(_along_last(np.add, planes * planes))[..., None]
    planes = np.divide(planes, norms, out=np.zeros_like(planes), where=norms > 0)
    choice = _choices(planes.shape[1], rows - 1)  # (K, rows − 1)
    step = max(1, _CHUNK_ENTRIES // (len(choice) * rows * rows))
    parts = [_solve_vertices(planes[start:start + step], choice) for start in range(0, batch, step)]
    return np.concatenate(parts, axis=0)


def _solve_vertices(planes: np.ndarray, choice: np.ndarray) -> np.ndarray:
    batch, _, rows = planes.shape
    if rows in (3, 4):
        return _cross_vertices(planes[:, choice, :])
    systems = np.empty((batch, len(choice), rows, rows))
    systems[:, :, 0, :] = 1.0 / math.sqrt(rows)  # Σ ν = 1, as a unit-norm row
    systems[:, :, 1:, :] = planes[:, choice, :]
    singular = np.abs(np.linalg.det(systems)) < _SINGULAR
    systems[singular] = np.eye(rows)
    rhs = np.zeros((rows, 1))
    rhs[0, 0] = 1.0 / math.sqrt(rows)
    points = np.linalg.solve(systems, np.broadcast_to(rhs, systems.shape[:2] + (rows, 1)))[..., 0]
    return _into_simplex(points, singular)


def _cross_vertices(chosen: np.ndarray) -> np.ndarray:
    """The point where r − 1 unit-norm hyperplanes (chosen: (B, K, r − 1, r),
    r = 3 or 4) meet the plane Σ ν = 1, by Cramer's rule: with the first
    row of the system all ones, ν is the row of cofactors C_k (the
    generalized cross product of the hyperplanes) over Σ_k C_k, and
    |Σ_k C_k|/√r is the determinant of the system with unit-norm rows."""
    rows = chosen.shape[-1]
    if rows == 3:
        cofactors = np.cross(chosen[..., 0, :], chosen[..., 1, :])
    else:
        a, b, c = chosen[..., 0, :], chosen[..., 1, :], chosen[..., 2, :]
        minor = {(i, j): a[..., i] * b[..., j] - a[..., j] * b[..., i] for i, j in itertools.combinations(range(4), 2)}

        def without(k: int) -> np.ndarray:  # det of (a; b; c) with column k removed
            i, j, m = (x for x in range(4) if x != k)
            return c[..., i] * minor[j, m] - c[..., j] * minor[i, m] + c[..., m] * minor[i, j]

        cofactors = np.stack([without(0), -without(1), without(2), -without(3)], axis=-1)
    total = _along_last(np.add, cofactors)
    singular = np.abs(total) / math.sqrt(rows) < _SINGULAR
    points = cofactors / np.where(singular, 1.0, total)[..., None]
    return _into_simplex(points, singular)


def _segment_vertices(hyperplanes: np.ndarray) -> np.ndarray:
    """Two leader actions, ν = (x, 1 − x): x ∈ {0, 1} and x = d₁/(d₁ − d₀)
    for every hyperplane d (closed form)."""
    d0, d1 = hyperplanes[:, :, 0], hyperplanes[:, :, 1]
    denominator = d1 - d0
    scale = np.maximum(np.abs(d0), np.abs(d1))
    singular = np.abs(denominator) <= _SINGULAR * scale
    x = np.divide(d1, denominator, out=np.ones_like(d1), where=~singular)
    x = np.concatenate([np.zeros((x.shape[0], 1)), np.ones((x.shape[0], 1)), x], axis=1)
    singular = np.concatenate([np.zeros((x.shape[0], 2), dtype=bool), singular], axis=1)
    return _into_simplex(np.stack([x, 1.0 - x], axis=2), singular)


def _into_simplex(points: np.ndarray, invalid: np.ndarray) -> np.ndarray:
    """Points within _OUTSIDE of the simplex clipped onto it; the others, and
    the invalid ones, replaced by the vertex e_0."""
    invalid = invalid | _along_last(np.logical_or, (points < -_OUTSIDE) | ~np.isfinite(points))
    points = np.clip(points, 0.0, None)
    points /= np.where(invalid, 1.0, _along_last(np.add, points))[..., None]
    points[invalid] = 0.0
    points[..., 0][invalid] = 1.0
    return points


def _along_last(operation, array: np.ndarray) -> np.ndarray:
    """`operation` folded over the last (short) axis, one elementwise step per
    entry: numpy's reductions over a short innermost axis are far slower."""
    result = array[..., 0]
    for k in range(1, array.shape[-1]):
        result = operation(result, array[..., k])
    return result


def _exact_per_game(function, *arrays: np.ndarray) -> np.ndarray:
    """`function` (exact, on nested lists of Fractions) game by game, rounded."""
    result = np.empty(arrays[0].shape[0])
    for b in range(len(result)):
        exact = [[[Fraction(float(v)) for v in row] for row in a[b]] for a in arrays]
        result[b] = float(function(*exact))
    return result
