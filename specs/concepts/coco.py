"""The CoCo value of Kalai & Kalai (SPEC §3; seed 001): cooperate on the
total surplus, compete in the zero-sum game of (U_1 − U_2)/2."""

from __future__ import annotations

from fractions import Fraction

from ..games import Game, GameError
from .basic import total_surplus, zero_sum_value

__all__ = ["coco_value"]


def coco_value(game: Game) -> tuple[Fraction, Fraction]:
    """coco_1 = M/2 + val((U_1 − U_2)/2), coco_2 = M/2 − val((U_1 − U_2)/2),
    player 1 maximizing the zero-sum game. Two players only. Exact."""
    if game.n_players != 2:
        raise GameError(f"coco is a two-player value; this game has {game.n_players} players")
    half = Fraction(1, 2)
    k0, k1 = game.shape
    matrix = [[(game.payoff(0, (a, b)) - game.payoff(1, (a, b))) * half for b in range(k1)] for a in range(k0)]
    competition = zero_sum_value(matrix)
    cooperation = total_surplus(game) * half
    return cooperation + competition, cooperation - competition
