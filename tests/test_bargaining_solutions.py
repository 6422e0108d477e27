"""Exact bargaining solutions on hand-computed problems (seed 000 "ROSE
Bargaining"), JSON round trips, conversion from a game, and `bargaincheck value`."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest

from bargaincheck.checkers.cli import main
from bargaincheck.specs.bargaining import BargainingError, BargainingProblem, solution_set
from bargaincheck.specs.bargaining.io import problem_from_game, problem_from_json, problem_to_json
from bargaincheck.specs.bargaining.solutions import (
    egalitarian_solution,
    kalai_smorodinsky_solution,
    leximin_solution,
    nash_solution,
    random_dictator_point,
    rose_points,
    utilitarian_solution,
)
from bargaincheck.specs.games import Game

TRIANGLE = BargainingProblem(((0, 6), (3, 0)), (0, 0))
PENTAGON = BargainingProblem(((0, 0), (6, 0), (5, 2), (2, 4), (0, 5)), (0, 0))


def test_triangle_solutions_by_hand():
    """Frontier u2 = 6 − 2u1 from (0,6) to (3,0), d = 0.
    Nash: max u1(6 − 2u1) at u1 = 3/2 → (3/2, 3). KS: ideal (3,6), t(3,6) on the
    frontier: 6t = 6 − 6t, t = 1/2 → (3/2, 3). Egalitarian: u = 6 − 2u → (2, 2).
    Utilitarian: u1 + u2 = 6 − u1, max at u1 = 0 → (0, 6). Random dictator:
    ((3,0) + (0,6))/2 = (3/2, 3). ROSE: normal (2,1), b = (3,6):
    2(3 − x1) = 6 − x2 = 2x1 → x1 = 3/2 → {(3/2, 3)}."""
    assert nash_solution(TRIANGLE) == (F(3, 2), F(3))
    assert kalai_smorodinsky_solution(TRIANGLE) == (F(3, 2), F(3))
    assert egalitarian_solution(TRIANGLE) == (F(2), F(2))
    assert utilitarian_solution(TRIANGLE) == (F(0), F(6))
    assert random_dictator_point(TRIANGLE) == (F(3, 2), F(3))
    assert rose_points(TRIANGLE) == ((F(3, 2), F(3)),)


def test_pentagon_nash_by_hand():
    """Frontier (0,5)–(2,4)–(5,2)–(6,0). On (2,4)–(5,2), x = (2+3t, 4−2t) and the
    product is 8 + 8t − 6t², maximal at t = 2/3: (4, 8/3) with product 32/3,
    which beats the other edges' best (8 at (2,4), 10 at (5,2))."""
    assert nash_solution(PENTAGON) == (F(4), F(8, 3))


def test_pentagon_ks_and_egalitarian_by_hand():
    """The middle edge lies on 2u1 + 3u2 = 16. KS: ideal (6,5), 12t + 15t = 16,
    t = 16/27 → (32/9, 80/27). Egalitarian: 5u = 16 → (16/5, 16/5)."""
    assert kalai_smorodinsky_solution(PENTAGON) == (F(32, 9), F(80, 27))
    assert egalitarian_solution(PENTAGON) == (F(16, 5), F(16, 5))


def test_pentagon_utilitarian_and_random_dictator_by_hand():
    """Sums at the frontier vertices: 5, 6, 7, 6 → (5, 2). Dictator points (6,0)
    and (0,5) → random dictator (3, 5/2)."""
    assert utilitarian_solution(PENTAGON) == (F(5), F(2))
    assert random_dictator_point(PENTAGON) == (F(3), F(5, 2))


def test_pentagon_has_one_rose_point_by_hand():
    """b = (6,5). Middle edge, normal (2,3), x = (2+3t, 4−2t):
    2(4 − 3t) = 3(1 + 2t) → t = 5/12 → (13/4, 19/6). The outer edges' solutions
    (t = 3/2, t = −1/4) leave their edges, and no vertex cone contains a zero."""
    assert rose_points(PENTAGON) == ((F(13, 4), F(19, 6)),)


def test_kite_has_three_rose_points():
    """conv{(0,4),(3,3),(4,0)}, d = 0, b = (4,4) (seed 000: 'three ROSE points').
    Edge (0,4)–(3,3), normal (1,3): 4 − 3t = 3t → t = 2/3 → (2, 10/3); the vertex
    (3,3): h = a1 − a2 changes sign between the normals (1,3) and (3,1); the
    mirror edge gives (10/3, 2). All three dominate the random dictator (2, 2)."""
    kite = BargainingProblem(((0, 4), (3, 3), (4, 0)), (0, 0))
    assert rose_points(kite) == ((F(2), F(10, 3)), (F(3), F(3)), (F(10, 3), F(2)))
    assert random_dictator_point(kite) == (F(2), F(2))


def test_widget_price_is_halfway_for_rose_and_nash():
    """Seller values the widget at 5, buyer at 13; trading at price p gives
    (p − 5, 13 − p). Trades at 5 and 13 span the frontier; d = no trade = 0.
    ROSE and Nash both give (4, 4): price 5 + 4 = 9, halfway (seed 000)."""
    widget = BargainingProblem(((0, 8), (8, 0)), (0, 0))
    (rose,) = rose_points(widget)
    assert 5 + rose[0] == 9 and 13 - rose[1] == 9
    assert nash_solution(widget) == rose


def test_widget_rose_point_is_capped_by_walking_away():
    """Prices 3 and 15 allowed too: points (−2, 10) and (10, −2), d = no trade = 0.
    The frontier u1 + u2 = 8 runs past the rational region, but walking away caps
    each player at b = (8, 8); with normal (1,1), 8 − x1 = 8 − x2 on the frontier
    gives (4, 4): price 9 again, for ROSE and for Nash."""
    wide = BargainingProblem(((-2, 10), (10, -2)), (0, 0))
    assert rose_points(wide) == ((F(4), F(4)),)
    assert nash_solution(wide) == (F(4), F(4))


def test_rose_point_stays_when_d_drops_below_the_caps():
    """P = {(0,2),(2,1)} with free disposal. Caps: b1 = max u1 with u2 ≥ d2 and
    b2 = max u2 with u1 ≥ d1; both are 2 for d = (0,0) and for d = (−3,−1). The
    ROSE point (1, 3/2) (normal (1,2): 2 − x1 = 2(2 − x2) on x = (2t, 2 − t)) is
    unchanged; the Nash point moves, since it weighs gains over d."""
    base = BargainingProblem(((0, 2), (2, 1)), (0, 0), True)
    moved = base.with_disagreement((-3, -1))
    assert base.ideal_point() == moved.ideal_point() == (F(2), F(2))
    assert rose_points(base) == rose_points(moved) == ((F(1), F(3, 2)),)
    assert nash_solution(base) != nash_solution(moved)


def test_nash_gives_player_two_less_than_the_random_dictator():
    """P = {(0,2),(2,1)}, d = 0: Nash maximizes 2t(2 − t) on x = (2t, 2 − t), t ≤ 1,
    at t = 1: (2, 1); the random dictator is ((2,1) + (0,2))/2 = (1, 3/2)."""
    problem = BargainingProblem(((0, 2), (2, 1)), (0, 0))
    assert nash_solution(problem) == (F(2), F(1))
    assert random_dictator_point(problem) == (F(1), F(3, 2))


def test_leximin_differs_from_kalai_egalitarian_on_a_flat_top():
    """Free disposal below (3,1), d = 0: Kalai's egalitarian point is (1,1) (only
    weakly Pareto); seed 003's 'min gain subject to Pareto optimality' picks (3,1)."""
    flat = BargainingProblem(((3, 1),), (0, 0), True)
    assert egalitarian_solution(flat) == (F(1), F(1))
    assert leximin_solution(flat) == (F(3), F(1))


def test_free_disposal_rational_set_is_the_box_union():
    """Below (3,1) and (1,3) with d = 0: S_d has vertices (0,0), (3,0), (3,1), (1,3), (0,3)."""
    problem = BargainingProblem(((3, 1), (1, 3)), (0, 0), True)
    assert sorted(problem.rational_set()) == sorted([(0, 0), (3, 0), (3, 1), (1, 3), (0, 3)])


def test_problem_json_round_trip():
    problem = BargainingProblem(((F(1, 2), 3), (4, -1)), (0, F(-1, 3)), True, "t")
    assert problem_from_json(json.loads(json.dumps(problem_to_json(problem)))) == problem


def test_problem_json_rejects_a_non_number():
    with pytest.raises(BargainingError):
        problem_from_json({"points": [["1", "x"]], "disagreement": ["0", "0"]})


def test_problem_from_game_with_a_named_disagreement_profile():
    """The Scheduling Game (seed 002, Table 1) with d = (Slot 1, Slot 2) = (0, 0)."""
    game = Game.from_arrays(
        [[[3, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 3, 0], [0, 0, 1]]],
        actions=[["Slot 1", "Slot 2", "Slot 3"]] * 2,
    )
    problem = problem_from_game(game, ("Slot 1", "Slot 2"))
    assert problem.disagreement == (0, 0)
    assert set(problem.points) == {(3, 1), (1, 3), (1, 1), (0, 0)}


def test_problem_from_game_with_maximin_disagreement():
    """Scheduling Game security levels: player 1 mixes over a diagonal (3,1,1):
    value 1/(1/3 + 1 + 1) = 3/7; symmetric for player 2."""
    game = Game.from_arrays([[[3, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, 0, 0], [0, 3, 0], [0, 0, 1]]])
    assert problem_from_game(game).disagreement == (F(3, 7), F(3, 7))


def test_value_command_reads_a_problem_json(tmp_path, capsys):
    path = tmp_path / "widget.json"
    path.write_text(json.dumps({"type": "bargaining-problem", "points": [["0", "8"], ["8", "0"]],
                                "disagreement": ["0", "0"]}))
    assert main(["value", str(path), "--concept", "nash", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["values"] == ["4", "4"]


def test_rose_points_are_set_valued_in_solution_set():
    kite = BargainingProblem(((0, 4), (3, 3), (4, 0)), (0, 0))
    assert len(solution_set("rose-points", kite)) == 3


def test_three_players_are_refused_with_a_clear_error():
    with pytest.raises(BargainingError, match="2 players"):
        nash_solution(BargainingProblem(((1, 1, 1),), (0, 0, 0)))
