"""The concept implementations the concept algebra replaced, kept as test
oracles: each is the hand-written exact formula that was the reference
before the concept had one definition (`specs.concepts.algebra`)."""

from __future__ import annotations

from fractions import Fraction

from bargaincheck.specs.concepts.basic import total_surplus, zero_sum_value
from bargaincheck.specs.concepts.rose import rose_joint_value
from bargaincheck.specs.concepts.rose2 import rose2_initiative_values
from bargaincheck.specs.concepts.selfish import selfish_disagreement_point
from bargaincheck.specs.concepts.shapley import shapley_amplify
from bargaincheck.specs.games import Game

__all__ = ["ORACLES"]


def coco_formula(game: Game) -> tuple[Fraction, Fraction]:
    half = Fraction(1, 2)
    k0, k1 = game.shape
    matrix = [[(game.payoff(0, (a, b)) - game.payoff(1, (a, b))) * half for b in range(k1)] for a in range(k0)]
    competition = zero_sum_value(matrix)
    cooperation = total_surplus(game) * half
    return cooperation + competition, cooperation - competition


def rose2_formula(game: Game) -> tuple[Fraction, Fraction]:
    s1, s2 = rose2_initiative_values(game)
    half = Fraction(1, 2)
    m = total_surplus(game)
    return m * half + (s1 - s2) * half, m * half + (s2 - s1) * half


def selfish_formula(game: Game) -> tuple[Fraction, ...]:
    _, d = selfish_disagreement_point(game)
    share = (total_surplus(game) - sum(d, Fraction(0))) / game.n_players
    return tuple(v + share for v in d)


# concept id -> (oracle, player counts it is compared on)
ORACLES = {
    "coco": (coco_formula, (2,)),
    "rose": (rose2_formula, (2,)),
    # the branch and bound over joint contexts, which the definition replaced on 2 players
    "rose-joint": (lambda game: rose_joint_value(game).values, (2,)),
    "shapley-coco": (lambda game: shapley_amplify(game, coco_formula), (2, 3)),
    "shapley-rose": (lambda game: shapley_amplify(game, rose2_formula), (2, 3)),
    "selfish-split": (selfish_formula, (2, 3)),
}
