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
sums: tests/test_batch.py bounds it against the exact functions. The
vertices are enumerated by support, so a system has at most H + 1 unknowns
(H hyperplanes), solved by closed forms (Cramer's rule) up to four. Shapes
whose work per game (candidate points × unknowns²) exceeds MAX_WORK
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

MAX_WORK = 20_000  # candidate points × unknowns² per game, beyond which the exact functions are used
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
    work = _value_work(rows, cols)
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


def _value_work(rows: int, cols: int) -> int:
    """The work of enumerating the vertices of a rows × cols problem (the
    leader on the rows, one hyperplane per pair of columns)."""
    return _work(rows, cols * (cols - 1) // 2)


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
    if _value_work(cols, rows) < _value_work(rows, cols):
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
    Shape (B, C(r + H, r − 1), r); every row is in the simplex.

    Enumerated by support: a vertex with support I (|I| = s, the facets off
    I active) is where s − 1 hyperplanes, restricted to I, meet Σ ν_I = 1,
    so each system has s ≤ H + 1 unknowns (closed forms up to s = 4)."""
    batch, count, rows = hyperplanes.shape
    step = max(1, _CHUNK_ENTRIES // max(1, _work(rows, count)))
    if batch > step:
        return np.concatenate([_simplex_vertices(hyperplanes[start:start + step])
                               for start in range(0, batch, step)], axis=0)
    parts = [np.broadcast_to(np.eye(rows), (batch, rows, rows))]
    for size in range(2, min(rows, count + 1) + 1):
        supports, ties = _choices(rows, size), _choices(count, size - 1)
        restricted = hyperplanes[:, :, supports]  # (B, H, S, size)
        chosen = np.moveaxis(restricted[:, ties], 3, 1)  # (B, S, T, size − 1, size)
        norms = np.sqrt(_along_last(np.add, chosen * chosen))[..., None]
        chosen = np.divide(chosen, norms, out=np.zeros_like(chosen), where=norms > 0)
        local, singular = _local_vertices(chosen.reshape(batch, -1, size - 1, size))
        embed = np.zeros((len(supports), size, rows))
        embed[np.arange(len(supports))[:, None], np.arange(size)[None, :], supports] = 1.0
        points = local.reshape(batch, len(supports), len(ties), size) @ embed[None]
        parts.append(_into_simplex(points.reshape(batch, -1, rows), singular.reshape(batch, -1)))
    return np.concatenate(parts, axis=1)


def _work(rows: int, hyperplanes: int) -> int:
    """Candidate points × unknowns² per game of `_simplex_vertices`."""
    return rows + sum(math.comb(rows, s) * math.comb(hyperplanes, s - 1) * s * s
                      for s in range(2, min(rows, hyperplanes + 1) + 1))


def _local_vertices(chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points where s − 1 unit-norm hyperplanes (chosen: (B, K, s − 1, s))
    meet Σ ν = 1, and which systems are singular. By Cramer's rule: with the
    first row of the system all ones, ν is the row of cofactors C_k (the
    generalized cross product of the hyperplanes) over Σ_k C_k, and
    |Σ_k C_k|/√s is the determinant of the system with unit-norm rows."""
    size = chosen.shape[-1]
    if size > 4:
        return _solved_vertices(chosen)
    if size == 2:
        cofactors = np.stack([chosen[..., 0, 1], -chosen[..., 0, 0]], axis=-1)
    elif size == 3:
        cofactors = np.cross(chosen[..., 0, :], chosen[..., 1, :])
    else:
        a, b, c = chosen[..., 0, :], chosen[..., 1, :], chosen[..., 2, :]
        minor = {(i, j): a[..., i] * b[..., j] - a[..., j] * b[..., i] for i, j in itertools.combinations(range(4), 2)}

        def without(k: int) -> np.ndarray:  # det of (a; b; c) with column k removed
            i, j, m = (x for x in range(4) if x != k)
            return c[..., i] * minor[j, m] - c[..., j] * minor[i, m] + c[..., m] * minor[i, j]

        cofactors = np.stack([without(0), -without(1), without(2), -without(3)], axis=-1)
    total = _along_last(np.add, cofactors)
    singular = np.abs(total) / math.sqrt(size) < _SINGULAR
    return cofactors / np.where(singular, 1.0, total)[..., None], singular


def _solved_vertices(chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`_local_vertices` for five or more unknowns, by LAPACK."""
    batch, count, _, size = chosen.shape
    systems = np.empty((batch, count, size, size))
    systems[:, :, 0, :] = 1.0 / math.sqrt(size)  # Σ ν = 1, as a unit-norm row
    systems[:, :, 1:, :] = chosen
    singular = np.abs(np.linalg.det(systems)) < _SINGULAR
    systems[singular] = np.eye(size)
    rhs = np.zeros((size, 1))
    rhs[0, 0] = 1.0 / math.sqrt(size)
    return np.linalg.solve(systems, np.broadcast_to(rhs, systems.shape[:2] + (size, 1)))[..., 0], singular


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
