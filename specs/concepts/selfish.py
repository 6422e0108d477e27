"""The selfish-threat split (SPEC §3; seed 000, "Continuity"): the rejected
alternative to ROSE. If negotiations break down, every player plays its part
of its own favourite outcome; the surplus above that point is split equally.
It is in the suite to be caught: it violates continuity, because an argmax
jumps when payoffs are perturbed."""

from __future__ import annotations

import itertools
from fractions import Fraction

from ..games import Game
from .basic import total_surplus

__all__ = ["favourite_profile", "selfish_disagreement_point", "selfish_split_value"]


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


def selfish_split_value(game: Game) -> tuple[Fraction, ...]:
    """φ_i = d_i + (M − Σ_j d_j)/n with d the selfish disagreement point. Exact."""
    _, d = selfish_disagreement_point(game)
    share = (total_surplus(game) - sum(d, Fraction(0))) / game.n_players
    return tuple(v + share for v in d)
