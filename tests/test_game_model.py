"""The exact game model: construction, validation, exact payoffs."""

from fractions import Fraction

import pytest

from bargaincheck.specs.games import Game, GameError, format_fraction, to_fraction
from bargaincheck.specs.concepts.basic import max_payoff, maximin_value, total_surplus
from bargaincheck.specs.concepts.coco import coco_value
from bargaincheck.specs.concepts.rose2 import rose2_initiative_values, rose2_value


def test_payoffs_are_exact_fractions():
    game = Game.from_arrays([[["3/2", 0.25]], [[1, "-7"]]])
    assert game.payoffs == ((Fraction(3, 2), Fraction(1, 4)), (Fraction(1), Fraction(-7)))


def test_profiles_index_player_zero_slowest():
    game = Game.from_function((2, 3), lambda p: (10 * p[0] + p[1], 0))
    assert game.payoff(0, (1, 2)) == 12
    assert [game.payoff(0, p) for p in game.profiles()] == [0, 1, 2, 10, 11, 12]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "inf", "NaN", "abc", True, "1/0"])
def test_non_finite_or_non_numeric_payoffs_are_rejected(bad):
    with pytest.raises(GameError):
        Game.from_arrays([[[bad, 0]], [[0, 0]]])


def test_wrong_payoff_count_is_rejected():
    with pytest.raises(GameError, match="needs 4"):
        Game((("a", "b"), ("c", "d")), ((1, 2, 3), (1, 2, 3, 4)))


def test_empty_action_set_is_rejected():
    with pytest.raises(GameError, match="empty action set"):
        Game(((), ("c",)), ((), ()))


def test_format_fraction_is_exact():
    assert format_fraction(Fraction(9, 2)) == "9/2" and format_fraction(Fraction(-3)) == "-3"
    assert to_fraction("4.5") == Fraction(9, 2)


def test_hand_computed_2x2_values():
    """U1 = [[2,0],[0,1]], U2 = [[0,1],[1,0]]. M = 2, max_1 = 2, max_2 = 1.
    maximin_1: p·2 = (1−p)·1 ⇒ p = 1/3, value 2/3. CoCo: (U1−U2)/2 = [[1,−1/2],[−1/2,1/2]],
    value 1/10 at p = 2/5, so CoCo = (1 + 1/10, 1 − 1/10) = (11/10, 9/10).
    ROSE: S_1 = max_p [(1+p) − max(p, 1−p)] = 1; S_2 = max_q [(1+q) − max(2q, 1−q)] = 2/3 at q = 1/3;
    ROSE_1 = 1 + (1 − 2/3)/2 = 7/6, ROSE_2 = 5/6."""
    game = Game.from_arrays([[[2, 0], [0, 1]], [[0, 1], [1, 0]]])
    assert total_surplus(game) == 2
    assert (max_payoff(game, 0), max_payoff(game, 1)) == (2, 1)
    assert maximin_value(game, 0) == Fraction(2, 3)
    assert coco_value(game) == (Fraction(11, 10), Fraction(9, 10))
    assert rose2_initiative_values(game) == (1, Fraction(2, 3))
    assert rose2_value(game) == (Fraction(7, 6), Fraction(5, 6))
