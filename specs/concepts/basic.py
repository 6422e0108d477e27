"""The reference quantities every concept and desideratum is stated with:
the total surplus M, each player's best payoff max_i, its maximin value, and
the value of a two-player zero-sum game. All exact (rational)."""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from ..games import Game
from ..lp import matrix_game_value

__all__ = [
    "total_surplus",
    "max_payoff",
    "maximin_value",
    "maximin_strategy",
    "zero_sum_value",
    "opponent_profiles",
]


def total_surplus(game: Game) -> Fraction:
    """M(G): the largest total payoff Σ_i U_i over pure profiles."""
    return max(game.total(p) for p in game.profiles())


def max_payoff(game: Game, player: int) -> Fraction:
    """max_i: the largest payoff `player` gets at any pure profile."""
    return max(game.payoffs[player])


def opponent_profiles(game: Game, player: int) -> list[tuple[int, ...]]:
    """The joint pure profiles of everyone but `player`, in storage order."""
    return [p[:player] + p[player + 1:] for p in game.profiles() if p[player] == 0]


def _payoff_matrix(game: Game, player: int) -> list[list[Fraction]]:
    """Rows: player's actions; columns: the others' joint pure profiles."""
    rows = []
    for a in range(game.shape[player]):
        row = []
        for rest in opponent_profiles(game, player):
            profile = rest[:player] + (a,) + rest[player:]
            row.append(game.payoff(player, profile))
        rows.append(row)
    return rows


def maximin_value(game: Game, player: int) -> Fraction:
    """What `player` can guarantee alone: max over its mixed strategies of the
    min over the others' joint pure profiles. Exact (rational LP)."""
    return maximin_strategy(game, player)[0]


def maximin_strategy(game: Game, player: int) -> tuple[Fraction, tuple[Fraction, ...]]:
    """The maximin value and one mixed strategy that guarantees it."""
    return matrix_game_value(_payoff_matrix(game, player))


def zero_sum_value(matrix: Sequence[Sequence[Fraction]]) -> Fraction:
    """Value of the zero-sum matrix game, the row player maximizing."""
    return matrix_game_value(matrix)[0]
