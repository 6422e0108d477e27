"""Differential tests: each SMT encoding, pinned to a concrete game, has
exactly the reference value as the end point of its feasible bounds.

For a quantity q (a linear combination of atoms) and the exact reference r,
"q − r > 0" and "r − q > 0" must both be UNSAT (so the encoding's q is r), and
"q − (r − 1/1000) > 0" must be SAT (the queries are not vacuous). Each check
is the disjunction of the choice-split sub-queries, solved by z3."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from pysmt.shortcuts import Solver

from bargaincheck.encoders.algebra import symbolic_values
from bargaincheck.encoders.concepts import Linear, max_payoff, maximin, total_surplus, zero_sum_value
from bargaincheck.encoders.desiderata import ViolationCase, subqueries
from bargaincheck.encoders.symbolic import SymbolicGame
from bargaincheck.specs.concepts.basic import maximin_value, total_surplus as ref_total
from bargaincheck.specs.concepts.basic import zero_sum_value as ref_zero_sum
from bargaincheck.specs.concepts.coco import COCO
from bargaincheck.specs.concepts.rose2 import ROSE2
from bargaincheck.specs.concepts.shapley import shapley_amplify, shapley_definition
from bargaincheck.specs.games import Game
from oracles import coco_formula as coco_value
from oracles import rose2_formula as rose2_value
from strategies import games

SETTINGS = settings(max_examples=20, deadline=None)


def _linear(definition, g: SymbolicGame) -> tuple[Linear, ...]:
    """The SMT reading of a definition without case distinctions."""
    values = symbolic_values(definition, g)
    assert all(v.is_linear() for v in values)
    return tuple(v.branches[0][1] for v in values)


def coco(g: SymbolicGame) -> tuple[Linear, ...]:
    return _linear(COCO, g)


def rose2(g: SymbolicGame) -> tuple[Linear, ...]:
    return _linear(ROSE2, g)


def _sat(expression: Linear, g: SymbolicGame, vertex_split: bool = False, cuts: bool = False) -> bool:
    case = ViolationCase("test", expression, [g])
    for query in subqueries(case, vertex_split=vertex_split, split_choices=False, cuts=cuts):
        with Solver(name="z3") as solver:
            solver.add_assertion(query.formula)
            if solver.solve():
                return True
    return False


def assert_encodes(quantity: Linear, reference: Fraction, g: SymbolicGame, vertex_split: bool = False,
                   cuts: bool = False) -> None:
    ref = Linear(const=reference)
    assert not _sat(quantity - ref, g, vertex_split, cuts), "encoding allows a value above the reference"
    assert not _sat(ref - quantity, g, vertex_split, cuts), "encoding allows a value below the reference"
    assert _sat(quantity - ref + Linear(const=Fraction(1, 1000)), g, vertex_split, cuts), "vacuous encoding"


def test_bomb_like_2x2_rose_value_is_encoded_exactly():
    """Chicken-like game: hand-computed M = 6, ROSE = (3, 3) by symmetry."""
    game = Game.from_arrays([[[0, 4], [1, 3]], [[0, 1], [4, 3]]])
    g = SymbolicGame.pinned(game)
    r1, r2 = rose2(g)
    assert rose2_value(game) == (3, 3)
    assert_encodes(r1, Fraction(3), g)
    assert_encodes(r2, Fraction(3), g)


@SETTINGS
@given(games(2, shape=(2, 3), bound=6))
def test_total_surplus_and_maximin_encodings_match_reference(game):
    g = SymbolicGame.pinned(game)
    assert_encodes(total_surplus(g), ref_total(game), g)
    for i in range(2):
        assert_encodes(maximin(g, i), maximin_value(game, i), g)


@SETTINGS
@given(games(2, shape=(3, 2), bound=6))
def test_zero_sum_value_encoding_matches_reference(game):
    g = SymbolicGame.pinned(game)
    matrix = g.matrix(0, 0)
    reference = ref_zero_sum([[game.payoff(0, (a, b)) for b in range(2)] for a in range(3)])
    assert_encodes(zero_sum_value(g, "u0", matrix), reference, g)


@SETTINGS
@given(games(2, actions=(2, 3), bound=6))
def test_coco_encoding_matches_reference(game):
    g = SymbolicGame.pinned(game)
    for encoded, reference in zip(coco(g), coco_value(game)):
        assert_encodes(encoded, reference, g)


@SETTINGS
@given(games(2, actions=(2, 3), bound=6))
def test_rose2_encoding_matches_reference(game):
    g = SymbolicGame.pinned(game)
    for encoded, reference in zip(rose2(g), rose2_value(game)):
        assert_encodes(encoded, reference, g)


@settings(max_examples=8, deadline=None)
@given(games(2, shape=(2, 2), bound=5))
def test_vertex_split_keeps_rose2_exact(game):
    g = SymbolicGame.pinned(game)
    assert_encodes(rose2(g)[0], rose2_value(game)[0], g, vertex_split=True)


def test_cuts_keep_maximin_violation_expressions_exact_on_the_chicken_game():
    """Chicken-like game (as above): ROSE = (3, 3), maximin_1 = 1 (row 2
    guarantees min(1, 3)); coco_1 = M/2 + val((U_1 − U_2)/2) = 3 + 0 by
    symmetry. With the cuts on, maximin_1 − ROSE_1 = −2 and
    maximin_1 − coco_1 = −2 exactly."""
    game = Game.from_arrays([[[0, 4], [1, 3]], [[0, 1], [4, 3]]])
    g = SymbolicGame.pinned(game)
    assert maximin_value(game, 0) == 1 and coco_value(game)[0] == 3
    assert_encodes(maximin(g, 0) - rose2(g)[0], Fraction(-2), g, cuts=True)
    assert_encodes(maximin(g, 0) - coco(g)[0], Fraction(-2), g, cuts=True)


@pytest.mark.slow
@settings(max_examples=5, deadline=None)
@given(games(2, actions=(2, 3), bound=6))
def test_cuts_keep_the_violation_expressions_exact(game):
    """The RLT cuts and best-response disjunctions (`encoders.cuts`) are
    implied constraints: with them, maximin_i − ROSE_i, ROSE_i − max_i and
    maximin_1 − coco_1 still have exactly the reference value (a cut that
    excluded a genuine solution would make the first assertion fail, where the
    witnesses of different atoms meet)."""
    g = SymbolicGame.pinned(game)
    rose, cc = rose2(g), coco(g)
    rose_ref, coco_ref = rose2_value(game), coco_value(game)
    for i in range(2):
        assert_encodes(maximin(g, i) - rose[i], maximin_value(game, i) - rose_ref[i], g, cuts=True)
        assert_encodes(rose[i] - max_payoff(g, i), rose_ref[i] - max(game.payoffs[i]), g, cuts=True)
    assert_encodes(maximin(g, 0) - cc[0], maximin_value(game, 0) - coco_ref[0], g, cuts=True)


def _assert_shapley_encodes(game, two_player_definition, two_player_value):
    """The SMT reading of the amplified definition, pinned to `game`, has
    exactly the reference amplification's value for every player."""
    g = SymbolicGame.pinned(game)
    phi = _linear(shapley_definition(two_player_definition), g)
    reference = shapley_amplify(game, two_player_value)
    for i in range(game.n_players):
        assert_encodes(phi[i], reference[i], g)


@settings(max_examples=6, deadline=None)
@given(games(3, shape=(2, 2, 2), bound=4))
def test_shapley_rose_encoding_matches_reference_for_three_players(game):
    _assert_shapley_encodes(game, ROSE2, rose2_value)


@settings(max_examples=5, deadline=None)
@given(games(3, shape=(1, 2, 2), bound=4))
def test_shapley_coco_encoding_matches_reference_for_three_players(game):
    _assert_shapley_encodes(game, COCO, coco_value)


def test_destruction_game_symbolic_matches_reference_transform():
    """Pinned caps: the symbolic destruction game's payoffs are the reference's."""
    from pysmt.shortcuts import Real

    from bargaincheck.specs.transforms import destruction_game

    game = Game.from_arrays([[[1, -2], [0, 3]], [[2, 0], [-1, 1]]])
    caps = [[0, Fraction(5, 2)], [1, 0]]
    reference = destruction_game(game, caps)
    g = SymbolicGame.pinned(game).destruction_game([[None, Real(Fraction(5, 2))], [Real(1), None]])
    assert g.shape == reference.shape
    for i in range(2):
        assert [t.simplify().constant_value() for t in g.payoffs[i]] == list(reference.payoffs[i])


def test_the_symbolic_extra_action_is_the_reference_extension():
    """`SymbolicGame.with_extra_action` lays the new action out as
    `specs.transforms.extend_actions` does: with its unknowns set to the
    payoffs of a concrete new row, every payoff equals the reference's."""
    import dataclasses

    from pysmt.shortcuts import Real as RealConst

    from bargaincheck.encoders.symbolic import Domain, SymbolicGame
    from bargaincheck.specs.games import Game
    from bargaincheck.specs.transforms import extend_actions

    game = Game.from_arrays([[[1, -2, 3], [0, 4, -1]], [[2, 2, -3], [5, 0, 1]]])
    for player in (0, 1):
        others = game.shape[1 - player]
        row = [[Fraction(7 * r + j + 1, 3) for j in range(2)] for r in range(others)]
        reference = extend_actions(game, player, [row])
        symbolic = dataclasses.replace(SymbolicGame.pinned(game), domain=Domain("real", Fraction(10)))
        extended, rows, _ = symbolic.with_extra_action(player)
        values = {x: RealConst(row[r][j]) for r, xs in enumerate(rows) for j, x in enumerate(xs)}
        assert extended.shape == reference.shape
        for j in range(2):
            for k, term in enumerate(extended.payoffs[j]):
                got = term.substitute(values).simplify().constant_value()
                assert Fraction(got.numerator, got.denominator) == reference.payoffs[j][k]
