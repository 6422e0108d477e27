"""Game transformations (SPEC §4). Each returns a new `Game`; none mutates."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Sequence

from .games import Game, GameError

__all__ = ["coalition_game"]


def coalition_game(game: Game, coalition: Sequence[int]) -> Game:
    """The two-player game "S vs N∖S": player 0 is the coalition S, player 1 its
    complement; each chooses a joint pure action of its members (joint mixed
    strategies come from mixing these) and gets its members' summed utility.
    An empty side has one action and utility 0. Joint actions are labelled
    by their members' action labels joined with '+', in storage order."""
    n = game.n_players
    side = sorted(set(coalition))
    if any(i < 0 or i >= n for i in side):
        raise GameError(f"coalition {list(coalition)} names a player outside 0..{n - 1}")
    other = [i for i in range(n) if i not in side]

    def joint_actions(members: list[int]) -> list[tuple[int, ...]]:
        return list(itertools.product(*(range(game.shape[i]) for i in members)))

    s_actions = joint_actions(side)
    o_actions = joint_actions(other)

    def label(members: list[int], joint: tuple[int, ...]) -> str:
        return "+".join(game.actions[i][a] for i, a in zip(members, joint)) or "-"

    payoff_s, payoff_o = [], []
    for js in s_actions:
        for jo in o_actions:
            profile = [0] * n
            for i, a in zip(side, js):
                profile[i] = a
            for i, a in zip(other, jo):
                profile[i] = a
            outcome = game.outcome(profile)
            payoff_s.append(sum((outcome[i] for i in side), Fraction(0)))
            payoff_o.append(sum((outcome[i] for i in other), Fraction(0)))
    return Game(
        (tuple(label(side, j) for j in s_actions), tuple(label(other, j) for j in o_actions)),
        (tuple(payoff_s), tuple(payoff_o)),
        ("{" + ",".join(game.players[i] for i in side) + "}", "{" + ",".join(game.players[i] for i in other) + "}"),
        f"{game.title} coalition game".strip(),
    )
