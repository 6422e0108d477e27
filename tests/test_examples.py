"""The example files the README uses give the values the README states."""

from fractions import Fraction
from pathlib import Path

from bargaincheck import evaluate
from bargaincheck.specs.bargaining.io import problem_from_json
from bargaincheck.specs.bargaining.solutions import nash_solution, rose_points
from bargaincheck.specs.nfg import read_game_file
from bargaincheck.specs.witness import load_json_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_bomb_example_rose_respects_maximin_where_shapley_rose_does_not():
    """Seed 000's bomb with h = 2 housemates (stakes 10): Shapley-ROSE gives the bomb −(h−1)/(h+1) = −1/3;
    ROSE: the bomb's maximin and its largest payoff are both 0, so maximin dominance and sub-max
    (Propositions 11, 12) pin it to 0; the housemates are identical (Proposition 9) and Pareto
    (Proposition 4) gives them M = 19 in all: 19/2 each."""
    game = read_game_file(EXAMPLES / "bomb.nfg")
    assert evaluate("rose", game).values == (Fraction(19, 2), Fraction(19, 2), 0)
    assert evaluate("shapley-rose", game).values == (Fraction(29, 3), Fraction(29, 3), Fraction(-1, 3))


def test_price_line_example_trades_at_nine():
    """Values 5 and 13: the surplus 8 is split equally by CoCo and ROSE: price 9."""
    game = read_game_file(EXAMPLES / "price_line.nfg")
    assert evaluate("coco", game).values == (4, 4)
    assert evaluate("rose", game).values == (4, 4)


def test_widget_problem_nash_and_rose_points_agree_on_price_nine():
    problem = problem_from_json(load_json_file(EXAMPLES / "widget.json"))
    assert tuple(nash_solution(problem)) == (4, 4)
    assert [tuple(p) for p in rose_points(problem)] == [(4, 4)]
