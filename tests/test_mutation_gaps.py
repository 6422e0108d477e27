"""Facts that the mutation-testing sample (docs/howto/mutation-testing.md) found untested
by the fast selection: each test kills one surviving mutant."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bargaincheck.specs.bargaining.io import problem_from_game
from bargaincheck.specs.bargaining.problem import BargainingError, clip_halfplane
from bargaincheck.specs.concepts.rose import initiative_values
from bargaincheck.specs.games import Game, GameError
from bargaincheck.specs.limits import MAX_NUMBER_DIGITS, parse_number

PRISONERS = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], actions=[["C", "D"], ["C", "D"]])


def test_payoffs_array_gives_back_the_nested_arrays_of_a_2x2_game():
    assert PRISONERS.payoffs_array(0) == [[3, 0], [5, 1]]
    assert PRISONERS.payoffs_array(1) == [[3, 5], [0, 1]]


def test_payoffs_array_gives_back_the_nested_array_of_a_2x3x2_game():
    array = [[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]
    game = Game.from_arrays([array, array, array])
    assert game.payoffs_array(2) == [[[Fraction(x) for x in row] for row in block] for block in array]


def test_an_unknown_disagreement_action_names_its_player_counting_from_one():
    with pytest.raises(BargainingError, match=r"^player 1 has no action 'X'"):
        problem_from_game(PRISONERS, ["X", "C"])
    with pytest.raises(BargainingError, match=r"^player 2 has no action 'X'"):
        problem_from_game(PRISONERS, ["C", "X"])


def test_a_decimal_of_exactly_max_number_digits_digits_is_accepted():
    ones = "1" * MAX_NUMBER_DIGITS
    assert parse_number(ones + "e-700") == Fraction(int(ones), 10**700)  # about 1.1e299
    with pytest.raises(GameError, match="more than"):
        parse_number(ones + "1e-701")


def test_clipping_a_square_to_its_right_half_gives_the_right_half():
    square = [(Fraction(0), Fraction(0)), (Fraction(2), Fraction(0)), (Fraction(2), Fraction(2)), (Fraction(0), Fraction(2))]
    right = clip_halfplane(square, (Fraction(1), Fraction(0)), Fraction(1))
    assert set(right) == {(1, 0), (2, 0), (2, 2), (1, 2)}


def test_a_bad_ordering_of_three_players_names_the_players_0_to_2():
    game = Game.from_arrays([[[[0, 0], [0, 0]], [[0, 0], [0, 0]]]] * 3)
    with pytest.raises(GameError, match=r"players 0\.\.2$"):
        initiative_values(game, [0, 0, 1])


def test_a_rational_written_as_text_parses_to_its_exact_value():
    assert parse_number("-3/2") == Fraction(-3, 2)
