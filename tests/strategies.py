"""Shared Hypothesis strategies for games (import as `from strategies import games`).

`games(...)` draws exact games of any number of players and shape, with
integer or small-denominator rational payoffs within a bound. Shrinking goes
towards fewer players and actions, denominator 1 and payoffs near 0."""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from hypothesis import strategies as st

from bargaincheck.specs.games import Game

__all__ = ["payoffs", "shapes", "games", "two_player_games", "caps_matrices"]


def payoffs(bound: int = 10, denominators: Sequence[int] = (1,)) -> st.SearchStrategy[Fraction]:
    """Rationals k/q with q drawn from `denominators` and |k/q| ≤ bound."""
    if bound < 0 or not denominators or any(q < 1 for q in denominators):
        raise ValueError("payoffs: bound ≥ 0 and positive denominators, please")
    return st.sampled_from(tuple(denominators)).flatmap(
        lambda q: st.integers(-bound * q, bound * q).map(lambda k: Fraction(k, q))
    )


def _as_range(value: int | tuple[int, int], what: str) -> tuple[int, int]:
    lo, hi = (value, value) if isinstance(value, int) else value
    if not 1 <= lo <= hi:
        raise ValueError(f"{what}: need 1 ≤ min ≤ max, got {value!r}")
    return lo, hi


def shapes(
    n_players: int | tuple[int, int] = 2, actions: int | tuple[int, int] = (1, 3)
) -> st.SearchStrategy[tuple[int, ...]]:
    """Shapes (k_0, ..., k_{n-1}): n in the `n_players` range, each k_i in the
    `actions` range (an int means exactly that many)."""
    n_lo, n_hi = _as_range(n_players, "n_players")
    a_lo, a_hi = _as_range(actions, "actions")
    return st.integers(n_lo, n_hi).flatmap(
        lambda n: st.tuples(*(st.integers(a_lo, a_hi) for _ in range(n)))
    )


@st.composite
def games(
    draw,
    n_players: int | tuple[int, int] = 2,
    actions: int | tuple[int, int] = (1, 3),
    shape: Sequence[int] | None = None,
    bound: int = 10,
    denominators: Sequence[int] = (1,),
) -> Game:
    """A game with the given `shape`, or with a shape drawn by `shapes(n_players,
    actions)`; every payoff drawn from `payoffs(bound, denominators)`."""
    if shape is None:
        shape = draw(shapes(n_players, actions))
    shape = tuple(shape)
    size = 1
    for k in shape:
        size *= k
    entry = payoffs(bound, denominators)
    flat = [draw(st.lists(entry, min_size=size, max_size=size)) for _ in shape]
    return Game(tuple(tuple(str(a + 1) for a in range(k)) for k in shape), tuple(tuple(row) for row in flat))


def two_player_games(
    actions: int | tuple[int, int] = (1, 3), bound: int = 10, denominators: Sequence[int] = (1, 2, 3)
) -> st.SearchStrategy[Game]:
    """Two-player games up to 3x3 by default, with payoffs in halves and thirds."""
    return games(2, actions, bound=bound, denominators=denominators)


def caps_matrices(n: int, bound: int = 5, denominators: Sequence[int] = (1,)) -> st.SearchStrategy[list[list[Fraction]]]:
    """n×n matrices of non-negative caps D_ij ≤ bound (diagonal 0), as for
    `destruction_game`."""
    entry = payoffs(bound, denominators).map(abs)
    return st.lists(st.lists(entry, min_size=n, max_size=n), min_size=n, max_size=n).map(
        lambda rows: [[Fraction(0) if i == j else v for j, v in enumerate(row)] for i, row in enumerate(rows)]
    )
