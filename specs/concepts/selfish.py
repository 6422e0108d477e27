"""The selfish-threat split (SPEC §3; seed 000, "Continuity"): the rejected
alternative to ROSE. If negotiations break down, every player plays its part
of its own favourite outcome; the surplus above that point is split equally.
It is in the suite to be caught: it violates continuity, because an argmax
jumps when payoffs are perturbed.

Defined once, in the concept algebra (`selfish_split`): the favourite profile
is an `argmax` over pure profiles with the storage-order tie-break, so the
exact value and the SMT encoding are two readings of one definition."""

from __future__ import annotations

import functools
import itertools
from fractions import Fraction

from ..games import Game
from .algebra import Definition, Expr, GameRef, argmax

__all__ = ["favourite_profile", "selfish_disagreement_point", "selfish_split", "SELFISH_SPLIT", "selfish_split_value"]


def favourite_profile(game: Game, player: int) -> tuple[int, ...]:
    """The pure profile maximizing `player`'s payoff; ties are broken by the
    first such profile in storage order (player 0's action varies slowest)."""
    row = game.payoffs[player]
    index = row.index(max(row))
    return next(itertools.islice(game.profiles(), index, None))


def selfish_disagreement_point(game: Game) -> tuple[tuple[int, ...], tuple[Fraction, ...]]:
    """The profile where each player i plays its own component of its
    favourite profile (`favourite_profile`), and the payoffs there. Exact."""
    profile = tuple(favourite_profile(game, i)[i] for i in range(game.n_players))
    return profile, game.outcome(profile)


def selfish_split(g: GameRef) -> tuple[Expr, ...]:
    """φ_i = d_i + (M − Σ_j d_j)/n, d = U(a*) where a*_i is player i's part of
    its favourite profile (first in storage order among its best)."""
    n, profiles = g.n_players, g.profiles()

    @functools.lru_cache(maxsize=None)
    def split(player: int, chosen: tuple[int, ...]) -> tuple[Expr, ...]:
        # players before `player` have chosen their parts; branch on its favourite
        if player == n:
            d = [g.payoff(j, chosen) for j in range(n)]
            share = (g.M - sum(d)) / n
            return tuple(dj + share for dj in d)
        keys = [g.payoff(player, p) for p in profiles]
        branches = [split(player + 1, chosen + (p[player],)) for p in profiles]
        return tuple(argmax(keys, [b[j] for b in branches]) for j in range(n))

    return split(0, ())


SELFISH_SPLIT = Definition(selfish_split, 1)


def selfish_split_value(game: Game) -> tuple[Fraction, ...]:
    """The selfish-threat split. Exact."""
    return SELFISH_SPLIT.exact(game)
