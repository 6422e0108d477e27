"""The CoCo value of Kalai & Kalai (SPEC §3; seed 001): cooperate on the
total surplus, compete in the zero-sum game of (U_1 − U_2)/2. Defined once,
in the concept algebra (`algebra`): the exact value below and the SMT
encoding are both readings of `coco`."""

from __future__ import annotations

from fractions import Fraction

from ..games import Game, GameError
from .algebra import Definition, Expr, GameRef

__all__ = ["coco", "COCO", "coco_value"]


def coco(g: GameRef) -> tuple[Expr, Expr]:
    """coco_1 = M/2 + val((U_1 − U_2)/2), coco_2 = M/2 − val((U_1 − U_2)/2),
    player 1 maximizing the zero-sum game."""
    competition = g.value((g.U[0] - g.U[1]) / 2)
    cooperation = g.M / 2
    return cooperation + competition, cooperation - competition


COCO = Definition(coco, 2, 2)


def coco_value(game: Game) -> tuple[Fraction, Fraction]:
    """The CoCo value of a two-player game. Exact."""
    if game.n_players != 2:
        raise GameError(f"coco is a two-player value; this game has {game.n_players} players")
    return COCO.exact(game)
