"""The concept algebra: each built-in definition's exact reading against the
hand-written formula it replaced, on seeded random games of every shape
(200 per shape by default, 2,000 in the slow run), and the algebra's rules."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from bargaincheck.specs.concepts.algebra import (
    AlgebraError,
    Definition,
    GameRef,
    argmax,
    cases,
    maximum,
    minimum,
)
from bargaincheck.specs.concepts.registry import evaluate
from bargaincheck.specs.games import Game
from oracles import ORACLES

SHAPES = {2: [(2, 2), (2, 3), (3, 3)], 3: [(2, 2, 2)]}


def random_games(shape: tuple[int, ...], count: int, seed: int) -> list[Game]:
    """Seeded games, integer payoffs in [−10, 10], a quarter with halves."""
    rng = random.Random(seed)
    size = 1
    for k in shape:
        size *= k
    games = []
    for k in range(count):
        q = 2 if k % 4 == 3 else 1
        flat = [tuple(Fraction(rng.randint(-10 * q, 10 * q), q) for _ in range(size)) for _ in shape]
        games.append(Game([[str(a) for a in range(k)] for k in shape], tuple(flat)))
    return games


def _cases():
    for concept_id, (oracle, counts) in ORACLES.items():
        for n in counts:
            for shape in SHAPES[n]:
                yield concept_id, shape


def _agree(concept_id: str, shape: tuple[int, ...], count: int) -> None:
    oracle = ORACLES[concept_id][0]
    for game in random_games(shape, count, seed=hash((concept_id, shape)) % 1000):
        assert evaluate(concept_id, game).values == tuple(oracle(game)), game.describe()


@pytest.mark.parametrize("concept_id,shape", list(_cases()))
def test_definition_equals_the_formula_it_replaced(concept_id, shape):
    _agree(concept_id, shape, 200 if len(shape) == 2 and max(shape) < 3 else 40)


@pytest.mark.slow
@pytest.mark.parametrize("concept_id,shape", list(_cases()))
def test_definition_equals_the_formula_it_replaced_on_2000_games(concept_id, shape):
    _agree(concept_id, shape, 2000)


def _game(rows):
    """A 2x2 game from [[(u1, u2), ...], ...]."""
    return Game.from_arrays([[[c[0] for c in r] for r in rows], [[c[1] for c in r] for r in rows]])


def test_equal_split_above_maximin_by_hand():
    # Prisoner's dilemma: maximin 1 each, M = 6: each gets 1 + (6 − 2)/2 = 3.
    def equal_above_maximin(g):
        floors = [g.maximin(i) for i in range(g.n_players)]
        share = (g.M - sum(floors)) / g.n_players
        return [floor + share for floor in floors]

    game = _game([[(3, 3), (0, 5)], [(5, 0), (1, 1)]])
    assert Definition(equal_above_maximin).exact(game) == (3, 3)


def test_maximum_minimum_and_cases_read_exactly():
    game = _game([[(3, 3), (0, 5)], [(5, 0), (1, 1)]])

    def build(g):
        a, b = g.payoff(0, (0, 1)), g.payoff(1, (0, 1))  # 0 and 5
        return [maximum(a, b) + minimum(a, b, 2), cases(a >= b, 1, -1) + cases(b > a, 10, 0)]

    assert Definition(build).exact(game) == (5, 9)


def test_argmax_breaks_ties_by_the_first_key():
    game = _game([[(2, 0), (2, 0)], [(1, 0), (2, 0)]])

    def build(g):
        keys = [g.payoff(0, p) for p in g.profiles()]  # 2, 2, 1, 2
        return [argmax(keys, [10, 20, 30, 40]), argmax([1, 1], [g.M, 0])]

    assert Definition(build).exact(game) == (10, 2)


@pytest.mark.parametrize("build,message", [
    (lambda g: [g.M * g.M, g.M], "product of two game quantities"),
    (lambda g: [g.M * 0.5, g.M], "floats are not exact"),
    (lambda g: [g.M if g.M > 0 else -g.M, g.M], "cases(condition, then, otherwise)"),
    (lambda g: [g.M], "returned 1 expressions for 2 players"),
    (lambda g: [g.maximin(2), g.M], "player 2 is not one of 0..1"),
    (lambda g: [g.maximin(-1), g.M], "player -1 is not one of 0..1"),
    (lambda g: [GameRef((3, 3)).M, g.M], "not the 2x2 game it was given"),
    (lambda g: [g.payoff(0, (0, 5)), g.M], "not a pure profile"),
])
def test_steps_outside_the_algebra_are_clear_errors(build, message):
    game = _game([[(3, 3), (0, 5)], [(5, 0), (1, 1)]])
    with pytest.raises(AlgebraError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Definition(build).exact(game)


def test_canonical_text_names_the_atoms():
    from bargaincheck.specs.concepts.coco import COCO

    assert COCO.text((2, 2)) == ("(1/2*M[G]() + 1*val[G]((1/2*U0 + -1/2*U1)))\n"
                                 "(1/2*M[G]() + -1*val[G]((1/2*U0 + -1/2*U1)))")
