"""Facts about the bargaining specs (specs/bargaining) and their SMT encoders
(encoders/bargaining.py) that no other default test checks: error paths with
their exact messages, boundaries, hand-computed values on tiny problems, and
the violation reports of the desiderata (player, gap, message)."""

from __future__ import annotations

import json
import random
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pysmt.shortcuts import GE, Symbol
from pysmt.typing import REAL

from bargaincheck.encoders import bargaining as eb
from bargaincheck.specs.bargaining import desiderata as des
from bargaincheck.specs.bargaining import pmm
from bargaincheck.specs.bargaining.concepts import bargaining_function
from bargaincheck.specs.bargaining.desiderata import (
    BARGAINING_DESIDERATA,
    BargainingDesideratum,
    get_bargaining_desideratum,
    solve,
    sub_problem,
)
from bargaincheck.specs.bargaining.io import (
    problem_from_game,
    problem_from_json,
    problem_to_json,
    read_problem_file,
)
from bargaincheck.specs.bargaining.pmm import pareto_meet_projection, select, selection_key
from bargaincheck.specs.bargaining.problem import (
    BargainingError,
    BargainingProblem,
    frontier_edges,
    ray_exit,
)
from bargaincheck.specs.bargaining.solutions import (
    egalitarian_solution,
    kalai_smorodinsky_solution,
    leximin_solution,
    solution_set,
)
from bargaincheck.specs.games import Game

P = BargainingProblem
TRIANGLE = P(((0, 4), (4, 0)), (0, 0))  # conv{(0,0),(4,0),(0,4)}, b = (4, 4)
ROOF = P(((0, 6), (4, 4), (6, 0)), (0, 0))  # b = (6, 6), every solution (4, 4)
ROOF_FD = P(((0, 6), (4, 4), (6, 0)), (0, 0), True)
PRISONERS = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], actions=[["C", "D"], ["C", "D"]])


def pts(*points):
    return tuple(tuple(F(v) for v in p) for p in points)


# -- problem.py ------------------------------------------------------------------------------


def test_max_abs_coordinate_counts_negative_coordinates_and_the_disagreement_point():
    assert P(((3, -7), (1, 2)), (0, 5)).max_abs_coordinate() == 7
    assert P(((3, 1), (1, 2)), (-9, 0)).max_abs_coordinate() == 9
    assert P(((F(1, 2), 0),), (0, 0)).max_abs_coordinate() == F(1, 2)


def test_is_integer_is_false_when_only_the_disagreement_point_is_fractional():
    assert P(((3, 1), (1, 3)), (0, 0)).is_integer()
    assert not P(((3, 1), (1, 3)), (0, F(1, 2))).is_integer()
    assert not P(((3, F(1, 3)), (1, 3)), (0, 0)).is_integer()


def test_a_problem_without_points_is_refused():
    with pytest.raises(BargainingError, match="^a bargaining problem needs at least one payoff point$"):
        P((), (0, 0))


def test_an_empty_disagreement_point_is_refused():
    with pytest.raises(BargainingError, match="^the disagreement point is empty$"):
        P(((),), ())


def test_a_point_of_the_wrong_length_is_named_with_both_lengths():
    with pytest.raises(BargainingError, match="^point 1 has 3 coordinates, the disagreement point 2$"):
        P(((1, 2), (1, 2, 3)), (0, 0))
    with pytest.raises(BargainingError, match="^point 0 has 1 coordinates, the disagreement point 2$"):
        P(((1,), (1, 2)), (0, 0))


def test_frontier_edges_run_from_the_top_vertex_to_the_right_vertex():
    kite = P(((0, 4), (3, 3), (4, 0)), (0, 0))
    assert frontier_edges(kite.hull()) == [(pts((0, 4))[0], pts((3, 3))[0]), (pts((3, 3))[0], pts((4, 0))[0])]
    assert frontier_edges(TRIANGLE.hull()) == [pts((0, 4), (4, 0))]
    assert frontier_edges([pts((1, 1))[0]]) == []


def test_feasible_frontier_is_the_strong_pareto_chain_with_and_without_free_disposal():
    assert ROOF.feasible_frontier() == list(pts((0, 6), (4, 4), (6, 0)))
    assert ROOF_FD.feasible_frontier() == list(pts((0, 6), (4, 4), (6, 0)))
    # the frontier of F, not of S_d: it runs past the rational region
    assert P(((-2, 10), (10, -2)), (0, 0)).feasible_frontier() == list(pts((-2, 10), (10, -2)))
    # a flat top: only its right end (3, 1) is strongly efficient
    assert P(((0, 1), (3, 1), (3, 0)), (0, 0)).feasible_frontier() == list(pts((3, 1)))


def test_ray_exit_of_a_zero_direction_is_none():
    assert ray_exit(TRIANGLE.hull(), pts((0, 0))[0], (0, 0)) is None


def test_ray_exit_along_an_edge_reaches_the_far_vertex():
    """From (0,0) along (1,0) the ray runs on the square's bottom edge (parallel
    edges are skipped) and leaves at (2,0); along (1,2) it leaves through the top
    edge at (1,2); from (1,0) along (0,1) at (1,2)."""
    square = list(pts((0, 0), (2, 0), (2, 2), (0, 2)))
    origin = pts((0, 0))[0]
    assert ray_exit(square, origin, (F(1), F(0))) == 2
    assert ray_exit(square, origin, (F(1), F(1))) == 2
    assert ray_exit(square, origin, (F(1), F(2))) == 1
    assert ray_exit(square, origin, (F(3), F(1))) == F(2, 3)
    assert ray_exit(square, pts((1, 0))[0], (F(0), F(1))) == 2


def test_contains_without_free_disposal_on_a_single_point():
    problem = P(((1, 1),), (1, 1))
    assert problem.contains((1, 1))
    assert not problem.contains((1, 0))
    assert not problem.contains((0, 0))


def test_contains_without_free_disposal_on_a_segment_includes_both_ends_only():
    problem = P(((2, 2),), (0, 0))
    for inside in ((0, 0), (1, 1), (2, 2), (F(1, 3), F(1, 3))):
        assert problem.contains(inside), inside
    for outside in ((3, 3), (-1, -1), (1, 0), (0, 1), (F(1, 3), F(1, 2))):
        assert not problem.contains(outside), outside


def test_contains_without_free_disposal_on_a_triangle_includes_its_boundary():
    for inside in ((2, 2), (0, 0), (4, 0), (1, 1), (0, 3)):
        assert TRIANGLE.contains(inside), inside
    for outside in ((3, 2), (-1, 0), (0, -1), (F(5, 2), F(3, 2) + F(1, 100))):
        assert not TRIANGLE.contains(outside), outside


def test_free_disposal_adds_the_points_below_the_hull():
    fd = P(((0, 4), (4, 0)), (0, 0), True)
    assert fd.contains((-5, -5)) and fd.contains((4, -1)) and fd.contains((2, 2))
    assert not fd.contains((4, F(1, 10))) and not TRIANGLE.contains((4, -1))


def test_affine_refuses_a_zero_scale_and_maps_exactly_otherwise():
    with pytest.raises(BargainingError, match="^affine scale factors must be positive$"):
        TRIANGLE.affine((0, 1), (0, 0))
    with pytest.raises(BargainingError, match="^affine scale factors must be positive$"):
        TRIANGLE.affine((1, -2), (0, 0))
    moved = TRIANGLE.affine((F(1, 1000), 3), (1, -1))
    assert moved.points == pts((1, 11), (F(1004, 1000), -1))
    assert moved.disagreement == pts((1, -1))[0]


def test_a_free_disposal_set_is_not_a_subset_of_a_set_without_free_disposal():
    assert not ROOF_FD.subset_of(ROOF)
    assert ROOF.subset_of(ROOF_FD)
    assert TRIANGLE.subset_of(ROOF) and not ROOF.subset_of(TRIANGLE)


# -- solutions.py ----------------------------------------------------------------------------


def test_leximin_finds_the_diagonal_crossing_inside_a_frontier_edge():
    """Frontier (0,4)–(4,0), d = 0: equal gains at (2,2), no vertex has them."""
    assert leximin_solution(TRIANGLE) == pts((2, 2))[0]


def test_leximin_crossing_is_measured_in_gains_over_d():
    """d = (1,0): S_d has frontier (1,3)–(4,0); x1 − 1 = x2 on x1 + x2 = 4 gives (5/2, 3/2)."""
    assert leximin_solution(P(((0, 4), (4, 0)), (1, 0))) == (F(5, 2), F(3, 2))


def test_leximin_crossing_on_the_second_edge_of_a_three_vertex_chain():
    """Frontier (0,6)–(2,5)–(6,0), d = 0: gains are equal on the second edge,
    x = (2 + 4t, 5 − 5t) with 2 + 4t = 5 − 5t: t = 1/3 → (10/3, 10/3)."""
    assert leximin_solution(P(((0, 6), (2, 5), (6, 0)), (0, 0))) == (F(10, 3), F(10, 3))


def test_leximin_crossing_on_the_first_edge_of_a_three_vertex_chain():
    """Frontier (0,6)–(5,2)–(6,0), d = 0: x = (5t, 6 − 4t) with 5t = 6 − 4t:
    t = 2/3 → (10/3, 10/3), better than the vertex (5,2) (min gain 2)."""
    assert leximin_solution(P(((0, 6), (5, 2), (6, 0)), (0, 0))) == (F(10, 3), F(10, 3))


def test_kalai_smorodinsky_on_a_segment_from_d_is_its_far_end():
    assert kalai_smorodinsky_solution(P(((3, 0),), (0, 0))) == pts((3, 0))[0]
    assert kalai_smorodinsky_solution(P(((0, 3),), (0, 0))) == pts((0, 3))[0]
    assert kalai_smorodinsky_solution(P(((-1, -1),), (0, 0))) == pts((0, 0))[0]


def test_egalitarian_on_a_segment_from_d_is_its_far_end():
    assert egalitarian_solution(P(((3, 0),), (0, 0))) == pts((3, 0))[0]
    assert egalitarian_solution(P(((0, 3),), (0, 0))) == pts((0, 3))[0]
    assert egalitarian_solution(P(((-1, -1),), (0, 0))) == pts((0, 0))[0]


def test_solution_set_of_an_unknown_concept_lists_the_known_ones():
    with pytest.raises(BargainingError, match=r"^unknown bargaining concept 'shapley'; known: nash, "
                                              r"kalai-smorodinsky, egalitarian, utilitarian, random-dictator, "
                                              r"rose-points, pmm$"):
        solution_set("shapley", TRIANGLE)


# -- concepts.py -----------------------------------------------------------------------------


def test_a_bargaining_concept_refuses_what_is_neither_a_problem_nor_a_game():
    with pytest.raises(BargainingError, match="^nash takes a bargaining problem or a game$"):
        bargaining_function("nash")([[1, 2], [3, 4]])


def test_a_set_valued_rose_solution_is_refused_with_its_points():
    kite = P(((0, 4), (3, 3), (4, 0)), (0, 0))
    with pytest.raises(BargainingError, match=r"^rose-points is set-valued here: 3 points "
                                              r"\{\(2, 10/3\), \(3, 3\), \(10/3, 2\)\}$"):
        bargaining_function("rose-points")(kite)
    assert bargaining_function("rose-points")(TRIANGLE) == pts((2, 2))[0]
    assert bargaining_function("kalai-smorodinsky").__name__ == "kalai_smorodinsky"


# -- io.py -----------------------------------------------------------------------------------


def test_problem_json_refuses_an_empty_or_non_list_disagreement_point():
    for bad in ([], "0,0", {"a": 1}):
        with pytest.raises(BargainingError,
                           match="^bargaining JSON: disagreement must be a non-empty list of numbers$"):
            problem_from_json({"points": [[1, 2]], "disagreement": bad})
    with pytest.raises(BargainingError, match=r"^bargaining JSON: points\[1\] must be a non-empty list"):
        problem_from_json({"points": [[1, 2], []], "disagreement": [0, 0]})


def test_problem_json_must_be_an_object():
    for bad in ([[1, 2]], "points", None, {"problem": [1, 2]}):
        with pytest.raises(BargainingError,
                           match="^bargaining JSON: expected an object with points and disagreement$"):
            problem_from_json(bad)


def test_problem_json_refuses_empty_or_non_list_points():
    for bad in ([], "1,2", {"0": [1, 2]}):
        with pytest.raises(BargainingError, match="^bargaining JSON: points must be a non-empty list of points$"):
            problem_from_json({"points": bad, "disagreement": [0, 0]})


def test_problem_json_accepts_10000_points_and_refuses_10001():
    ok = problem_from_json({"points": [[0, 0]] * 10_000, "disagreement": [0, 0]})
    assert len(ok.points) == 10_000
    with pytest.raises(BargainingError, match=r"^bargaining JSON: 10,001 points of 2 coordinates; the limit is "
                                              r"10,000 points and 100,000 coordinates"):
        problem_from_json({"points": [[0, 0]] * 10_001, "disagreement": [0, 0]})


def test_problem_json_refuses_more_than_100000_coordinates():
    with pytest.raises(BargainingError, match=r"^bargaining JSON: 10 points of 10001 coordinates; "
                                              r"the limit is 10,000 points and 100,000 coordinates"):
        problem_from_json({"points": [[0] * 10_001] * 10, "disagreement": [0] * 10_001})


def test_read_problem_file_gives_back_the_written_problem(tmp_path):
    problem = P(((F(9, 2), 1), (1, 3)), (0, F(-1, 3)), True, "a title")
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(problem_to_json(problem)))
    back = read_problem_file(path)
    assert back == problem
    assert back.title == "a title" and back.free_disposal is True
    assert back.disagreement == (F(0), F(-1, 3))


def test_problem_from_game_refuses_an_unknown_disagreement_rule():
    with pytest.raises(BargainingError, match="^unknown disagreement rule 'minimax': use 'maximin' or a profile$"):
        problem_from_game(PRISONERS, "minimax")


def test_problem_from_game_takes_action_numbers_up_to_the_last_action():
    assert problem_from_game(PRISONERS, [1, 1]).disagreement == pts((1, 1))[0]
    assert problem_from_game(PRISONERS, [0, 1]).disagreement == pts((0, 5))[0]
    with pytest.raises(BargainingError, match="^player 1 has no action number 2$"):
        problem_from_game(PRISONERS, [2, 0])
    with pytest.raises(BargainingError, match="^player 2 has no action number -1$"):
        problem_from_game(PRISONERS, [0, -1])


def test_problem_from_game_does_not_read_true_as_action_number_one():
    with pytest.raises(BargainingError, match=r"^player 1 has no action True; actions: \['C', 'D'\]$"):
        problem_from_game(PRISONERS, [True, 0])


def test_a_disagreement_profile_needs_one_action_per_player():
    with pytest.raises(BargainingError, match="^a disagreement profile needs 2 actions$"):
        problem_from_game(PRISONERS, ["C"])


# -- pmm.py ----------------------------------------------------------------------------------


FD_TRIANGLE = P(((0, 4), (4, 0)), (0, 0), True)  # PMM = (0, 0)


def test_free_disposal_pmp_of_player_one_runs_right_along_the_other_players_level():
    """a = (1,1): x2 = 1, x1 from 1 up to the hull's 3 at u2 = 1."""
    assert pareto_meet_projection(FD_TRIANGLE, 0, pts((1, 1))[0]) == list(pts((1, 1), (3, 1)))
    assert pareto_meet_projection(FD_TRIANGLE, 0, pts((1, 2))[0]) == list(pts((1, 2), (2, 2)))


def test_free_disposal_pmp_of_player_two_runs_up_along_the_other_players_level():
    assert pareto_meet_projection(FD_TRIANGLE, 1, pts((1, 1))[0]) == list(pts((1, 1), (1, 3)))
    assert pareto_meet_projection(FD_TRIANGLE, 1, pts((1, 2))[0]) == list(pts((1, 2), (1, 3)))


def test_free_disposal_pmp_is_one_point_at_the_frontier_and_empty_beyond():
    assert pareto_meet_projection(FD_TRIANGLE, 0, pts((2, 2))[0]) == list(pts((2, 2)))
    assert pareto_meet_projection(FD_TRIANGLE, 0, pts((3, 2))[0]) == []
    assert pareto_meet_projection(FD_TRIANGLE, 1, pts((2, 3))[0]) == []


def test_pmp_is_empty_when_the_other_players_level_is_above_the_hull():
    for problem in (FD_TRIANGLE, TRIANGLE):
        assert pareto_meet_projection(problem, 0, pts((0, 5))[0]) == []
        assert pareto_meet_projection(problem, 1, pts((5, 0))[0]) == []


def test_free_disposal_pmp_below_the_hull_starts_at_the_level_below_the_pmm():
    """PMM = (0,0); a = (−2, −1) for player 1: x2 = max(0, −1) = 0 and x1 from
    max(0, −2) = 0 to 4; without free disposal the same segment of the hull."""
    assert pareto_meet_projection(FD_TRIANGLE, 0, pts((-2, -1))[0]) == list(pts((0, 0), (4, 0)))
    assert pareto_meet_projection(TRIANGLE, 0, pts((-2, -1))[0]) == list(pts((0, 0), (4, 0)))


def test_renegotiation_with_an_empty_pmp_does_not_add_the_meet():
    """r1 = r2 = {(10,−1)} (outside F): o = (10,−1), both PMP sets are empty, so
    the meet (10, 0) is not added and the outcome stays o."""
    result = pmm.renegotiate(TRIANGLE, "nash", pts((0, 0))[0], pts((10, -1)), pts((10, -1)))
    assert result.pmp1 == () and result.pmp2 == ()
    assert result.agreement == pts((10, -1)) and result.new == pts((10, -1))[0]


def test_selection_of_an_unknown_welfare_function_lists_the_known_ones():
    with pytest.raises(BargainingError, match="^no selection function for 'rose-points'; known: nash, "
                                              "kalai-smorodinsky, egalitarian, utilitarian$"):
        selection_key("rose-points", [], pts((0, 0))[0])


def test_selecting_from_an_empty_set_is_refused():
    with pytest.raises(BargainingError, match="^cannot select from an empty agreement set$"):
        select("nash", [], pts((0, 0))[0])


# -- desiderata.py: solve, sub_problem, registry ---------------------------------------------


def test_solve_wraps_a_callable_returning_one_point():
    assert solve(lambda p: (1, F(1, 2)), TRIANGLE) == ((F(1), F(1, 2)),)
    assert solve(lambda p: [3, 1], TRIANGLE) == ((F(3), F(1)),)


def test_solve_sorts_and_deduplicates_a_callable_returning_points():
    assert solve(lambda p: [(3, 1), (1, 3), (3, 1)], TRIANGLE) == pts((1, 3), (3, 1))
    assert solve(lambda p: [], TRIANGLE) == ()


def test_a_cap_below_the_disagreement_point_is_refused_and_a_cap_at_it_is_not():
    with pytest.raises(BargainingError, match="^a cap below the disagreement point removes d$"):
        sub_problem(P(((0, 4), (4, 0)), (1, 0)), {"cap": [0, "1/2"]})
    capped = sub_problem(P(((0, 4), (4, 0)), (1, 0)), {"cap": [0, "1"]})
    assert capped.ideal_point() == (F(1), F(3))


def test_the_base_desideratum_has_no_check_and_shows_its_id():
    with pytest.raises(NotImplementedError):
        BargainingDesideratum().check("nash", TRIANGLE, {})
    assert repr(BARGAINING_DESIDERATA["weak-pareto"]) == "<bargaining desideratum weak-pareto>"
    assert BargainingDesideratum().parameters(TRIANGLE, random.Random(0), 5) == [{}]


def test_an_unknown_desideratum_is_refused_with_the_known_ids():
    with pytest.raises(BargainingError, match=r"^unknown bargaining desideratum 'iia2'; known: weak-pareto, pareto, "
                                              r"symmetry, scale, iia, resource-monotonicity, "
                                              r"individual-monotonicity, individual-rationality, random-dictator, "
                                              r"disagreement-invariance, pmm, transitivity$"):
        get_bargaining_desideratum("iia2")
    assert get_bargaining_desideratum("iia").id == "iia"


# -- desiderata.py: violation reports --------------------------------------------------------


def test_weak_pareto_finds_the_improvement_inside_a_frontier_edge():
    """x = (1,0) in conv{(0,0),(4,0),(0,4)}: the line x + t(1,1) leaves through the
    edge u1 + u2 = 4 at (5/2, 3/2), a gain 3/2 for both (every vertex gains < 0)."""
    def at_one_zero(problem):
        return (1, 0)

    v = get_bargaining_desideratum("weak-pareto").check(at_one_zero, TRIANGLE, {})
    assert v.gap == F(3, 2)
    assert v.values == {"solution": ["1", "0"], "better": ["5/2", "3/2"]}
    assert v.message == "at_one_zero selects (1, 0), but (5/2, 3/2) is feasible and better for both by 3/2"
    assert get_bargaining_desideratum("weak-pareto").check(lambda p: (3, 1), TRIANGLE, {}) is None


def test_strong_pareto_reports_the_dominating_point_of_largest_sum():
    """(0,2) on ROOF: the feasible points ≥ it with the largest u1 + u2 are on the
    frontier; the clipped polygon's best vertex is (4,4), sum gap 6."""
    v = get_bargaining_desideratum("pareto").check(lambda p: (0, 2), ROOF, {})
    assert v.gap == 6 and v.values["better"] == ["4", "4"]
    assert get_bargaining_desideratum("pareto").check(lambda p: (0, 6), ROOF, {}) is None


def test_individual_rationality_names_the_player_below_d():
    ir = get_bargaining_desideratum("individual-rationality")
    problem = P(((0, 4), (4, 0)), (1, 1))
    v = ir.check(lambda p: (3, -1), problem, {})
    assert v.gap == 2 and v.message.endswith("gives player 2 -1, below its disagreement payoff 1")
    v = ir.check(lambda p: (-1, 0), problem, {})
    assert v.gap == 2 and "gives player 1 -1," in v.message
    assert ir.check(lambda p: (1, 1), problem, {}) is None


def test_random_dictator_dominance_names_the_player_below_it():
    """ROOF's random-dictator point is ((6,0) + (0,6))/2 = (3,3)."""
    rd = get_bargaining_desideratum("random-dictator")
    v = rd.check(lambda p: (4, 2), ROOF, {})
    assert v.gap == 1 and v.values["random-dictator"] == ["3", "3"]
    assert "gives player 2 2 at (4, 2), below the random-dictator point (3, 3)" in v.message
    assert rd.check(lambda p: (3, 3), ROOF, {}) is None


def test_symmetry_gap_is_the_largest_payoff_difference_of_a_selected_point():
    sym = get_bargaining_desideratum("symmetry")
    v = sym.check(lambda p: [(1, 1), (4, 1)], TRIANGLE, {})
    assert v.gap == 3 and v.values == {"solution": ["(1, 1)", "(4, 1)"]}
    assert sym.check(lambda p: [(0, 3)], TRIANGLE, {}).gap == 3
    assert sym.check(lambda p: [(4, 1), (1, 4)], TRIANGLE, {}) is None


def test_symmetry_checks_an_asymmetric_problem_through_its_symmetrization():
    """P = {(0,4)}, d = (1,0): the symmetrization has the points P, swap(P), d and
    swap(d), and d = (0,0); its rightmost vertex (4,0) is 4 off the diagonal."""
    def rightmost(problem):
        return max(problem.hull())

    v = get_bargaining_desideratum("symmetry").check(rightmost, P(((0, 4),), (1, 0)), {})
    assert v.problem.disagreement == pts((0, 0))[0]
    assert v.problem.points == pts((0, 4), (4, 0), (1, 0), (0, 1))
    assert v.gap == 4 and v.values == {"solution": ["(4, 0)"]}
    assert v.message.startswith("rightmost selects {(4, 0)} on the symmetric problem P = {(0, 4), (4, 0), (1, 0)")


def test_affine_invariance_gap_is_measured_in_the_original_units():
    """A constant (1,1) after u ↦ (2u1, u2) should have become (2,1): the gap
    |1 − 2| / 2 = 1/2 in player 1's original units."""
    def constant(problem):
        return (1, 1)

    v = get_bargaining_desideratum("scale").check(constant, TRIANGLE, {"scale": ["2", "1"], "shift": ["0", "0"]})
    assert v.gap == F(1, 2)
    assert v.message == ("constant selects {(1, 1)}; after u ↦ (2·u1 + 0, 1·u2 + 0) it selects {(1, 1)} "
                         "instead of {(2, 1)}")
    assert v.extra_problems["transformed"].points == pts((0, 4), (8, 0))


def test_affine_invariance_gap_is_one_when_the_number_of_points_changes():
    """A set-valued solution listing the integer points of P loses (1/2, 3) after
    halving u1, so the numbers of points differ (2 then 1): gap 1."""
    def integer_points(problem):
        return [p for p in problem.points if all(v.denominator == 1 for v in p)]

    v = get_bargaining_desideratum("scale").check(integer_points, P(((1, 3), (2, 2)), (0, 0)),
                                                  {"scale": ["1/2", "1"], "shift": ["0", "0"]})
    assert v.gap == 1 and v.values["transformed solution"] == ["(1, 2)"]
    assert v.values["expected"] == ["(1/2, 3)", "(1, 2)"]


def test_iia_reports_the_largest_coordinate_change_on_the_sub_problem():
    """T = ROOF, S = conv{(0,6),(4,4),(0,0)} still contains T's choice (4,4); a
    'solution' switching to (0,6) on S moves by |4 − 0| = 4 (and |4 − 6| = 2)."""
    iia = get_bargaining_desideratum("iia")

    def switch(problem):
        return (4, 4) if len(problem.points) == 3 else (0, 6)

    v = iia.check(switch, ROOF, {"keep": [0, 1]})
    assert v.gap == 4 and v.values == {"solution": ["(4, 4)"], "sub-problem solution": ["(0, 6)"]}
    assert v.extra_problems["sub-problem"].points == pts((0, 6), (4, 4))
    assert v.message.endswith("on the sub-problem S = P = {(0, 6), (4, 4)}, d = (0, 0), which still contains it, "
                              "it selects {(0, 6)}")
    # S = conv{(4,4),(6,0),(0,0)} does not contain T's choice (0,6): no instance
    assert iia.check(lambda p: (0, 6) if len(p.points) == 3 else (6, 0), ROOF, {"keep": [1, 2]}) is None
    # S = conv{(0,6),(0,0)} contains T's choice (0,6) but is degenerate (a segment from d): no instance
    assert iia.check(lambda p: (0, 6) if len(p.points) == 3 else (0, 3), ROOF, {"keep": [0]}) is None
    assert iia.check("nash", ROOF, {"cap": [0, "9/2"]}) is None


def test_resource_monotonicity_names_the_player_worse_off_in_the_larger_problem():
    rm = get_bargaining_desideratum("resource-monotonicity")

    def by_size(problem):
        return (3, 3) if len(problem.points) == 3 else (4, 4)

    v = rm.check(by_size, ROOF, {"keep": [0, 1]})
    assert v.gap == 1 and "gives player 1 3 on T" in v.message and "but 4 on the smaller" in v.message
    assert rm.check(lambda p: (4, 4) if len(p.points) == 3 else (3, 3), ROOF, {"keep": [0, 1]}) is None

    def second_only(problem):
        return (4, 3) if len(problem.points) == 3 else (4, 4)

    v = rm.check(second_only, ROOF, {"keep": [0, 1]})
    assert v.gap == 1 and "gives player 2 3 on T" in v.message


def test_individual_monotonicity_needs_the_other_players_ideal_payoff_unchanged():
    """keep (0,6),(4,4): b^S = (4,6), b^T = (6,6): only player 1 qualifies
    (player 2's ideal 6 is the same); keep (4,4),(6,0): b^S = (6,4), only player 2."""
    im = get_bargaining_desideratum("individual-monotonicity")

    def by_size(problem):
        return (3, 3) if len(problem.points) == 3 else (4, 4)

    v = im.check(by_size, ROOF, {"keep": [0, 1]})
    assert v.gap == 1
    assert v.message.endswith("with the same ideal payoff 6 for player 2")
    assert "gives player 1 3 on T" in v.message
    v = im.check(by_size, ROOF, {"keep": [1, 2]})
    assert v.message.endswith("with the same ideal payoff 6 for player 1") and "gives player 2 3" in v.message
    assert v.values["sub-problem ideal"] == ["6", "4"]
    assert im.check(lambda p: (4, 4) if len(p.points) == 3 else (3, 3), ROOF, {"keep": [0, 1]}) is None


def test_disagreement_invariance_proposes_the_legal_moves_in_order():
    """With free disposal, d' = (−1,−1), (−1,0), (0,−1), (−2,0), (0,−2) keep the
    caps (6,6); (1,0) and (0,1) lower a cap."""
    params = get_bargaining_desideratum("disagreement-invariance").parameters(ROOF_FD, random.Random(0), 5)
    assert params == [{"disagreement": ["-1", "-1"]}, {"disagreement": ["-1", "0"]}, {"disagreement": ["0", "-1"]},
                      {"disagreement": ["-2", "0"]}, {"disagreement": ["0", "-2"]}]
    assert di_params_without_count() == [{"disagreement": ["-1", "-1"]}]


def di_params_without_count():
    return get_bargaining_desideratum("disagreement-invariance").parameters(ROOF_FD, random.Random(0), 0)


def test_disagreement_invariance_proposals_are_legal_moves():
    di = get_bargaining_desideratum("disagreement-invariance")
    for seed in range(3):
        for param in di.parameters(ROOF_FD, random.Random(seed), 12):
            d = tuple(F(v) for v in param["disagreement"])
            assert d != ROOF_FD.disagreement and ROOF_FD.contains(d)
            assert ROOF_FD.with_disagreement(d).ideal_point() == (6, 6)


def test_disagreement_invariance_skips_moves_that_change_a_cap_or_leave_f():
    di = get_bargaining_desideratum("disagreement-invariance")

    def walk_away(problem):
        return problem.disagreement

    assert di.check(walk_away, ROOF_FD, {"disagreement": ["1", "0"]}) is None  # lowers b2 to 11/2
    assert di.check(walk_away, ROOF, {"disagreement": ["0", "-1"]}) is None  # not in F without free disposal
    v = di.check(walk_away, ROOF_FD, {"disagreement": ["-2", "0"]})
    assert v.gap == 2
    assert v.message == ("walk_away selects {(0, 0)} with d = (0, 0) and {(-2, 0)} with d' = (-2, 0), "
                         "though both caps stay at (6, 6)")


def test_disagreement_invariance_gap_is_one_when_the_number_of_points_changes():
    """S_d's vertices: 4 with d = (0,0), 6 with d = (−1,−1) (free-disposal boxes)."""
    def rational_vertices(problem):
        return problem.rational_set()

    v = get_bargaining_desideratum("disagreement-invariance").check(rational_vertices, ROOF_FD,
                                                                   {"disagreement": ["-1", "-1"]})
    assert v.gap == 1 and len(v.values["solution"]) == 4 and len(v.values["moved solution"]) == 6


def test_subset_parameters_for_two_points_drop_each_and_cap_each_player():
    """TRIANGLE, n = 2: no keep-one entries; Nash (2,2) and b = (4,4)
    give the caps {2, 3} for each player (2 is the midpoint and Nash's payoff)."""
    assert des._subset_parameters(TRIANGLE, "nash", random.Random(0), 0) == [
        {"keep": [1]}, {"keep": [0]}, {"cap": [0, "2"]}, {"cap": [0, "3"]}, {"cap": [1, "2"]}, {"cap": [1, "3"]}]


def test_subset_parameters_cap_at_the_solution_payoff():
    """ROOF: Nash (4,4), b = (6,6): caps 3, 9/2 and the solution's 4; three points
    add the keep-one entries."""
    assert des._subset_parameters(ROOF, "nash", random.Random(0), 0) == [
        {"keep": [1, 2]}, {"keep": [0, 2]}, {"keep": [0, 1]}, {"keep": [0]}, {"keep": [1]}, {"keep": [2]},
        {"cap": [0, "3"]}, {"cap": [0, "4"]}, {"cap": [0, "9/2"]},
        {"cap": [1, "3"]}, {"cap": [1, "4"]}, {"cap": [1, "9/2"]}]


def test_subset_parameters_without_a_solution_keep_the_fixed_caps():
    def refuses(problem):
        raise BargainingError("no solution here")

    caps = [p["cap"] for p in des._subset_parameters(ROOF, refuses, random.Random(0), 0) if "cap" in p]
    assert caps == [[0, "3"], [0, "9/2"], [1, "3"], [1, "9/2"]]


def test_subset_parameters_cap_from_d_included_and_at_the_ideal_excluded():
    """A solution (6,0) on ROOF: a cap at b1 = 6 would change nothing and is
    left out; a cap at d2 = 0 is kept."""
    caps = [p["cap"] for p in des._subset_parameters(ROOF, lambda p: (6, 0), random.Random(0), 0) if "cap" in p]
    assert caps == [[0, "3"], [0, "9/2"], [1, "0"], [1, "3"], [1, "9/2"]]


def test_subset_parameters_fill_up_to_count_with_proper_subsets():
    params = des._subset_parameters(ROOF, "nash", random.Random(1), 20)
    assert len(params) == 20
    for extra in params[12:]:
        assert 1 <= len(extra["keep"]) <= 2 and extra["keep"] == sorted(set(extra["keep"]))


# -- desiderata.py: the seed-002 selection desiderata ------------------------------------------


def test_pmm_guarantee_holds_with_zero_gap_at_the_pmm():
    """r1 = r2 = {(−1,3)}: o = (−1,3); the meet (0,3) is on both PMP sets and
    Nash picks it: exactly PMM_1 = 0 for player 1, no violation."""
    params = {"default": ["0", "0"], "r1": [["-1", "3"]], "r2": [["-1", "3"]]}
    assert BARGAINING_DESIDERATA["pmm"].check("nash", TRIANGLE, params) is None


def test_pmm_guarantee_reports_a_selection_that_drops_below_the_pmm(monkeypatch):
    """A selection minimizing u1 + u2 (not monotone) keeps o = (−1,3) out of
    {(−1,3), (0,3)}: player 1 gets 1 less than PMM_1 = 0."""
    monkeypatch.setattr(pmm, "select", lambda welfare, agreement, d: min(agreement, key=lambda x: (x[0] + x[1], x)))
    params = {"default": ["0", "0"], "r1": [["-1", "3"]], "r2": [["-1", "3"]]}
    v = BARGAINING_DESIDERATA["pmm"].check("nash", TRIANGLE, params)
    assert v.gap == 1
    assert v.values["agreement set"] == ["(-1, 3)", "(0, 3)"] and v.values["new outcome"] == ["-1", "3"]
    assert v.message == ("with default (0, 0), the nash selection renegotiates to (-1, 3) from the PMP-extended "
                         "agreement set {(-1, 3), (0, 3)}, giving player 1 less than its PMM payoff 0")
    params = {"default": ["0", "0"], "r1": [["3", "-2"]], "r2": [["3", "-2"]]}
    v = BARGAINING_DESIDERATA["pmm"].check("nash", TRIANGLE, params)
    assert v.gap == 2 and v.message.endswith("giving player 2 less than its PMM payoff 0")


def test_selection_desiderata_apply_only_to_welfare_selections():
    t = BARGAINING_DESIDERATA["transitivity"]
    assert t.applies("nash", TRIANGLE) and t.applies("utilitarian", TRIANGLE)
    assert not t.applies("rose-points", TRIANGLE) and not t.applies(lambda p: (0, 0), TRIANGLE)


def test_transitivity_proposes_one_step_up_from_every_welfare_choice():
    """P = {(0,10),(4,5),(6,3),(10,0)}: Nash, Kalai–Smorodinsky and egalitarian
    choose (4,5); utilitarian (sum 10 tie, equal |gain difference|) (10,0)."""
    problem = P(((0, 10), (4, 5), (6, 3), (10, 0)), (0, 0))
    params = BARGAINING_DESIDERATA["transitivity"].parameters(problem, random.Random(0), 0)
    assert len(params) == 12
    fixed = [params[k] for k in range(12) if k % 3 != 2]
    assert fixed == [{"extra": [["5", "5"]]}, {"extra": [["4", "6"]]}] * 3 + [{"extra": [["11", "0"]]},
                                                                             {"extra": [["10", "1"]]}]
    for k, choice in ((2, (4, 5)), (5, (4, 5)), (8, (4, 5)), (11, (10, 0))):
        extra = params[k]["extra"]
        assert 1 <= len(extra) <= 2
        for x in extra:
            gain = (F(x[0]) - choice[0], F(x[1]) - choice[1])
            assert 0 <= gain[0] <= 3 and 0 <= gain[1] <= 3


def test_transitivity_premise_and_zero_gap_are_not_violations():
    t = BARGAINING_DESIDERATA["transitivity"]
    problem = P(((0, 10), (4, 5), (10, 0)), (0, 0))
    assert t.check("nash", problem, {"extra": [["5", "4"]]}) is None  # not ≥ sel(S) = (4,5)
    assert t.check("nash", problem, {"extra": [["4", "5"]]}) is None  # sel(S) again: gap 0
    assert t.check("nash", problem, {"extra": [["5", "6"]]}) is None


def _median_by(order):
    """sel(S) = the lower-median point of S in the order of `order(x)`: not transitive."""
    def sel(welfare, agreement, d):
        ordered = sorted(set(tuple(x) for x in agreement), key=lambda x: (order(x), x))
        return ordered[(len(ordered) - 1) // 2]
    return sel


def _median_selection(coordinate):
    return _median_by(lambda x: x[coordinate])


def test_transitivity_reports_player_two_worse_off_after_adding_better_points(monkeypatch):
    """Median by u1 of {(0,10),(4,5),(10,0)} is (4,5); adding (11,5), (12,5) moves
    the median to (10,0): player 2 loses 5 (player 1 gains)."""
    monkeypatch.setattr(des, "select", _median_selection(0))
    problem = P(((0, 10), (4, 5), (10, 0)), (0, 0))
    v = BARGAINING_DESIDERATA["transitivity"].check("nash", problem, {"extra": [["11", "5"], ["12", "5"]]})
    assert v.gap == 5
    assert v.values == {"sel(S)": ["4", "5"], "sel(S ∪ S')": ["10", "0"]}
    assert v.message == ("the nash selection picks (4, 5) from S = {(0, 10), (4, 5), (10, 0)}, but after adding "
                         "{(11, 5), (12, 5)} (all at least as good for both) it picks (10, 0), worse for player 2")


def test_transitivity_reports_player_one_worse_off_after_adding_better_points(monkeypatch):
    monkeypatch.setattr(des, "select", _median_selection(1))
    problem = P(((0, 10), (4, 5), (10, 0)), (0, 0))
    v = BARGAINING_DESIDERATA["transitivity"].check("egalitarian", problem, {"extra": [["5", "11"], ["5", "12"]]})
    assert v.gap == 4 and v.message.endswith("it picks (0, 10), worse for player 1")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=3),
       st.sampled_from(pmm.SELECTIONS))
def test_welfare_selections_pass_the_transitivity_check(points, offsets, welfare):
    """Every registered welfare selection is transitive (seed 002): adding points
    that are all ≥ sel(S) never leaves a player worse off."""
    problem = P(tuple(points), (0, 0))
    o = select(welfare, problem.points, problem.disagreement)
    extra = [[str(o[0] + a), str(o[1] + b)] for a, b in offsets]
    assert BARGAINING_DESIDERATA["transitivity"].check(welfare, problem, {"extra": extra}) is None


# -- encoders/bargaining.py: refusals and case counts -------------------------------------------


SP = eb.SymbolicProblem.unknown(2, 5)
X = (Symbol("g_xa", REAL), Symbol("g_xb", REAL))
SCALE = (Symbol("g_sa", REAL), Symbol("g_sb", REAL))
SHIFT = (Symbol("g_ta", REAL), Symbol("g_tb", REAL))


def test_solution_alternatives_refuse_an_unencoded_concept():
    with pytest.raises(ValueError, match="^no SMT encoding of the bargaining solution 'pmm'$"):
        eb.solution_alternatives("pmm", SP, X)


def test_two_problem_encodings_refuse_the_set_valued_rose_points():
    with pytest.raises(ValueError, match="^the two-problem encodings are for point-valued concepts; "
                                         "not 'rose-points'$"):
        eb.pair_violation_alternatives("rose-points", "iia", SP, eb.sub_problem(SP, 1, 5))


def test_two_problem_encodings_refuse_a_one_problem_desideratum():
    with pytest.raises(ValueError, match="^no two-problem encoding of 'pareto'$"):
        eb.pair_violation_alternatives("nash", "pareto", SP, eb.sub_problem(SP, 1, 5))


def test_individual_monotonicity_is_encoded_for_kalai_smorodinsky_only():
    with pytest.raises(ValueError, match="^individual monotonicity is encoded for kalai-smorodinsky only$"):
        eb.pair_violation_alternatives("nash", "individual-monotonicity", SP, eb.sub_problem(SP, 1, 5))


def test_kalai_smorodinsky_individual_monotonicity_has_sixteen_alternatives():
    """2 half-splits on T × 2 on S × 2 players × 2 ray orders (s' ≤ s, s' > s)."""
    alts = eb.pair_violation_alternatives("kalai-smorodinsky", "individual-monotonicity", SP, eb.sub_problem(SP, 2, 5))
    assert len(alts) == 16
    assert alts[0].name.endswith("on S: b^S2 = b^T2, x'1 > x1: s' ≤ s")
    assert alts[3].name.endswith("on S: b^S1 = b^T1, x'2 > x2: s' > s")


def test_the_affine_encoding_refuses_the_set_valued_rose_points():
    with pytest.raises(ValueError, match="^the affine encoding is for point-valued concepts; not 'rose-points'$"):
        eb.affine_violation_alternatives("rose-points", SP, SCALE, SHIFT)


def test_symmetry_of_the_rose_points_has_no_encoding():
    with pytest.raises(ValueError, match="^symmetry of the set-valued ROSE points has no SMT encoding here$"):
        eb.violation_alternatives("rose-points", "symmetry", SP)


def test_violation_alternatives_refuse_a_two_problem_desideratum():
    with pytest.raises(ValueError, match="^no SMT encoding of the bargaining desideratum 'iia'$"):
        eb.violation_alternatives("nash", "iia", SP)


def test_random_dictator_violation_of_nash_has_one_alternative_per_player():
    alts = eb.violation_alternatives("nash", "random-dictator", SP)
    assert [b.name for b in alts] == ["nash: x1 < r1", "nash: x2 < r2"]
    assert all(b.extra["multiplier_cuts"] for b in alts)


def test_complementarity_split_stops_after_the_last_pair():
    """A maximizer records two KKT pairs: depth 1 splits the second, depth 2 has nothing."""
    br = eb.Branch("m", "g")
    br.maximizes((eb.ONE, eb.ZERO), X, SP)
    assert len(br.complementary) == 2
    assert [b.name.split(" | ")[1][:16] for b in eb.complementarity_split(br, 1)] == ["split 2: z = 0 (", "split 2: y = d ("]
    assert eb.complementarity_split(br, 2) == []


def test_uniqueness_is_for_point_valued_concepts_only():
    with pytest.raises(ValueError, match="^uniqueness is for point-valued concepts; not 'rose-points'$"):
        eb.uniqueness_alternatives("rose-points", SP, X, (Symbol("g_ya", REAL), Symbol("g_yb", REAL)))


def test_witness_transfer_refuses_the_utilitarian_solution():
    with pytest.raises(ValueError, match="^no witness transfer under affine maps for 'utilitarian'$"):
        eb.witness_transfer("utilitarian", SP, SCALE, SHIFT, X)


def test_nash_transfer_lemmas_are_one_per_constraint_without_denominators():
    tr = eb.witness_transfer("nash", SP, SCALE, SHIFT, X)
    assert tr.denominators == [] and len(tr.hypotheses) == len(tr.targets) == 10
    assert len(eb.transfer_lemmas("nash", SP, SCALE, SHIFT, X)) == 10


def test_egalitarian_transfer_has_one_normal_denominator():
    tr = eb.witness_transfer("egalitarian", SP, SCALE, SHIFT, X)
    assert len(tr.denominators) == 1 and len(tr.hypotheses) == 12
    lemmas = eb.transfer_lemmas("egalitarian", SP, SCALE, SHIFT, X)
    assert len(lemmas) == 13 and lemmas[0].name == "transfer lemma: denominator 1 > 0"


def _fake_nash(roles, extra_on_image=0, repeated=0):
    """An encoding that creates witnesses of the given roles (a function of whether
    the branch is A(T)'s run) and adds constraints."""
    def encode(br, problem, x):
        moved = br.image is not None
        for role in roles(moved):
            br.add(GE(br.fresh("q", role), eb.ZERO))
        for _ in range(extra_on_image if moved else 0):
            br.add(GE(x[0], eb.ZERO))
        for _ in range(repeated):
            br.add(GE(eb.ONE, eb.ZERO))
        return [br]
    return encode


def test_witness_transfer_refuses_encodings_whose_witnesses_do_not_pair(monkeypatch):
    monkeypatch.setitem(eb.ENCODED_SOLUTIONS, "nash", _fake_nash(lambda moved: [("normal",) if moved else ("same",)]))
    with pytest.raises(ValueError, match="^the encodings of 'nash' on T and A\\(T\\) do not pair their witnesses$"):
        eb.witness_transfer("nash", SP, SCALE, SHIFT, X)


def test_witness_transfer_refuses_a_witness_without_a_rule(monkeypatch):
    monkeypatch.setitem(eb.ENCODED_SOLUTIONS, "nash", _fake_nash(lambda moved: [("same",), ("unmapped",)]))
    with pytest.raises(ValueError, match=r"^no transfer rule for a witness of role \('unmapped',\) in 'nash'$"):
        eb.witness_transfer("nash", SP, SCALE, SHIFT, X)


def test_transfer_lemmas_refuse_encodings_whose_constraints_do_not_pair(monkeypatch):
    monkeypatch.setitem(eb.ENCODED_SOLUTIONS, "nash", _fake_nash(lambda moved: [("same",)], extra_on_image=1))
    with pytest.raises(ValueError, match=r"^the encodings of 'nash' on T and A\(T\) do not pair their constraints$"):
        eb.transfer_lemmas("nash", SP, SCALE, SHIFT, X)


def test_transfer_lemmas_ask_a_repeated_constraint_once(monkeypatch):
    """Witness q ≥ 0 and the constant 1 ≥ 0 three times: two distinct lemmas."""
    monkeypatch.setitem(eb.ENCODED_SOLUTIONS, "nash", _fake_nash(lambda moved: [("same",)], repeated=3))
    lemmas = eb.transfer_lemmas("nash", SP, SCALE, SHIFT, X)
    assert len(lemmas) == 2
    assert lemmas[0].name.startswith("transfer lemma: constraint 1") and lemmas[1].name.startswith(
        "transfer lemma: constraint 2")


# -- pmm.py and desiderata.py: asymmetric cases, zero gaps and ties ---------------------------


def test_pmp_uses_each_players_own_pmm_level_when_the_pmm_is_asymmetric():
    """P = {(1,5),(5,2)}, d = (0,0): both points are efficient, PMM = (1, 2).
    PMP_1((0,0)): x2 = 2, x1 from 1 to the hull's 5; PMP_2((0,0)): x1 = 1, x2
    from 2 to 5; with a = (3,0) player 1's segment starts at x1 = 3."""
    for fd in (False, True):
        problem = P(((1, 5), (5, 2)), (0, 0), fd)
        assert pmm.pareto_meet_minimum(problem) == (F(1), F(2))
        assert pareto_meet_projection(problem, 0, pts((0, 0))[0]) == list(pts((1, 2), (5, 2)))
        assert pareto_meet_projection(problem, 1, pts((0, 0))[0]) == list(pts((1, 2), (1, 5)))
        assert pareto_meet_projection(problem, 0, pts((3, 0))[0]) == list(pts((3, 2), (5, 2)))


def test_weak_pareto_gain_from_a_point_with_negative_coordinates():
    """x = (−5,0) on ROOF: the line x + t(1,1) (u1 − u2 = −5) leaves F through the
    edge (4,4)–(0,6) at (2/3, 17/3), gain 17/3; the vertex (4,4) gains only
    min(9, 4) = 4 and the crossing (0,5) of the edge (0,6)–(0,0) gains 5.
    x = (−1,−2) on TRIANGLE: the line u1 − u2 = 1 leaves through u1 + u2 = 4 at
    (5/2, 3/2), gain 7/2 (the vertex (4,0) and the crossing (1,0) gain 2)."""
    wp = get_bargaining_desideratum("weak-pareto")

    def far_left(problem):
        return (-5, 0)

    v = wp.check(far_left, ROOF, {})
    assert v.gap == F(17, 3)
    assert v.values == {"solution": ["-5", "0"], "better": ["2/3", "17/3"]}
    assert v.message == "far_left selects (-5, 0), but (2/3, 17/3) is feasible and better for both by 17/3"

    def below(problem):
        return (-1, -2)

    v = wp.check(below, TRIANGLE, {})
    assert v.gap == F(7, 2)
    assert v.values == {"solution": ["-1", "-2"], "better": ["5/2", "3/2"]}
    assert v.message == "below selects (-1, -2), but (5/2, 3/2) is feasible and better for both by 7/2"


def test_subset_parameters_caps_are_measured_from_a_nonzero_disagreement_point():
    """P = {(0,6),(6,0)}, d = (1,0): S_d = conv{(1,0),(6,0),(1,5)}, b = (6,5).
    Player 1: (1 + 6)/2 = 7/2 and 1 + (6 − 1)·3/4 = 19/4; player 2: 5/2 and 15/4."""
    def refuses(problem):
        raise BargainingError("no solution here")

    problem = P(((0, 6), (6, 0)), (1, 0))
    assert problem.ideal_point() == (F(6), F(5))
    caps = [p["cap"] for p in des._subset_parameters(problem, refuses, random.Random(0), 0) if "cap" in p]
    assert caps == [[0, "7/2"], [0, "19/4"], [1, "5/2"], [1, "15/4"]]


def test_subset_parameters_leave_out_solution_caps_below_d_and_above_the_ideal():
    """A solution (5,−1) on TRIANGLE (b = (4,4)): the cap 5 for player 1 is past
    b1 and the cap −1 for player 2 below d2; only the fixed caps 2 and 3 remain."""
    caps = [p["cap"] for p in des._subset_parameters(TRIANGLE, lambda p: (5, -1), random.Random(0), 0) if "cap" in p]
    assert caps == [[0, "2"], [0, "3"], [1, "2"], [1, "3"]]


def test_iia_gap_is_the_largest_change_of_the_same_players_payoff():
    """T = ROOF chooses (5,2) on its edge (4,4)–(6,0); S = conv{(4,4),(6,0),(0,0)}
    contains it and the 'solution' moves to (6,0): |5 − 6| = 1, |2 − 0| = 2, gap 2
    (comparing across players would give |5 − 0| = 5)."""
    def switch(problem):
        return (5, 2) if len(problem.points) == 3 else (6, 0)

    v = get_bargaining_desideratum("iia").check(switch, ROOF, {"keep": [1, 2]})
    assert v.gap == 2
    assert v.values == {"solution": ["(5, 2)"], "sub-problem solution": ["(6, 0)"]}
    assert v.message == ("switch selects {(5, 2)} on T = P = {(0, 6), (4, 4), (6, 0)}, d = (0, 0); on the sub-problem "
                         "S = P = {(4, 4), (6, 0)}, d = (0, 0), which still contains it, it selects {(6, 0)}")


def test_resource_monotonicity_reports_the_player_with_the_larger_loss():
    """T gives (2,3), S = conv{(0,6),(4,4),(0,0)} gives (4,4): losses 2 and 1,
    player 1's is reported. T (4,4), S (4,3): losses 0 and −1, no violation."""
    rm = get_bargaining_desideratum("resource-monotonicity")

    def worse_in_t(problem):
        return (2, 3) if len(problem.points) == 3 else (4, 4)

    v = rm.check(worse_in_t, ROOF, {"keep": [0, 1]})
    assert v.gap == 2
    assert v.message == ("worse_in_t gives player 1 2 on T = P = {(0, 6), (4, 4), (6, 0)}, d = (0, 0), but 4 on the "
                         "smaller S = P = {(0, 6), (4, 4)}, d = (0, 0)")
    assert rm.check(lambda p: (4, 4) if len(p.points) == 3 else (4, 3), ROOF, {"keep": [0, 1]}) is None


def test_individual_monotonicity_compares_ideal_payoffs_by_value():
    """T = conv{(0,6),(6,0),(3,1),(1,0)}, d = (1,0), and S = keep (0,6),(6,0): the
    same set, b = (6,5) for both, b2 = 5 at the crossing (1,5) of x1 = 1. T gives
    (1,5), S gives (4,2): player 1 loses 3 in T. T (4,2), S (2,4): player 1 gains
    in T, player 2 loses 2."""
    im = get_bargaining_desideratum("individual-monotonicity")
    problem = P(((0, 6), (6, 0), (3, 1)), (1, 0))

    def first(problem):
        return (1, 5) if len(problem.points) == 3 else (4, 2)

    v = im.check(first, problem, {"keep": [0, 1]})
    assert v.gap == 3
    assert v.values["ideal"] == ["6", "5"] and v.values["sub-problem ideal"] == ["6", "5"]
    assert v.message == ("first gives player 1 1 on T = P = {(0, 6), (6, 0), (3, 1)}, d = (1, 0), but 4 on the "
                         "smaller S = P = {(0, 6), (6, 0)}, d = (1, 0) with the same ideal payoff 5 for player 2")

    def second(problem):
        return (4, 2) if len(problem.points) == 3 else (2, 4)

    v = im.check(second, problem, {"keep": [0, 1]})
    assert v.gap == 2 and v.message.endswith("but 4 on the smaller S = P = {(0, 6), (6, 0)}, d = (1, 0) with the "
                                             "same ideal payoff 6 for player 1")


def test_individual_monotonicity_with_an_unchanged_payoff_is_no_violation():
    """The same (4,4) on ROOF and on keep (0,6),(4,4) (b2 = 6 in both): gap 0."""
    assert get_bargaining_desideratum("individual-monotonicity").check(lambda p: (4, 4), ROOF, {"keep": [0, 1]}) is None


def test_disagreement_invariance_proposes_moves_up_that_keep_the_caps():
    """P = {(4,4)} with free disposal: F = {u ≤ (4,4)}, b = (4,4) for every d ≤ (4,4),
    so all seven fixed moves are legal, the two upward ones included."""
    params = get_bargaining_desideratum("disagreement-invariance").parameters(P(((4, 4),), (0, 0), True),
                                                                               random.Random(0), 7)
    assert [p["disagreement"] for p in params] == [["-1", "-1"], ["-1", "0"], ["0", "-1"], ["-2", "0"], ["0", "-2"],
                                                   ["1", "0"], ["0", "1"]]


def test_disagreement_invariance_gap_is_the_largest_change_of_a_players_payoff():
    """P = {(1,7),(5,5),(7,1)}, d = (1,1), free disposal: b = (7,7), also with
    d' = (0,−1). Walking away moves (1,1) to (0,−1): |1 − 0| = 1, |1 + 1| = 2."""
    problem = P(((1, 7), (5, 5), (7, 1)), (1, 1), True)

    def walk_away(problem):
        return problem.disagreement

    v = get_bargaining_desideratum("disagreement-invariance").check(walk_away, problem, {"disagreement": ["0", "-1"]})
    assert v.gap == 2
    assert v.message == ("walk_away selects {(1, 1)} with d = (1, 1) and {(0, -1)} with d' = (0, -1), "
                         "though both caps stay at (7, 7)")


def test_disagreement_invariance_gap_is_one_when_the_moved_solution_has_fewer_points():
    """ROOF_FD with d = (−1,−1) (b = (6,6)) moved to d' = (0,0): S_d has 6 vertices,
    S_d' 4."""
    def rational_vertices(problem):
        return problem.rational_set()

    v = get_bargaining_desideratum("disagreement-invariance").check(
        rational_vertices, ROOF_FD.with_disagreement((-1, -1)), {"disagreement": ["0", "0"]})
    assert v.gap == 1
    assert v.message == ("rational_vertices selects {(-1, -1), (-1, 6), (0, 6), (4, 4), (6, -1), (6, 0)} with "
                         "d = (-1, -1) and {(0, 0), (0, 6), (4, 4), (6, 0)} with d' = (0, 0), though both caps "
                         "stay at (6, 6)")


def test_disagreement_invariance_compares_three_hundred_points_pairwise():
    """300 points (d1 + k, d2), k < 300: d' = (−2,0) shifts every one by 2."""
    def row(problem):
        return [(problem.disagreement[0] + k, problem.disagreement[1]) for k in range(300)]

    v = get_bargaining_desideratum("disagreement-invariance").check(row, ROOF_FD, {"disagreement": ["-2", "0"]})
    assert v.gap == 2 and len(v.values["solution"]) == len(v.values["moved solution"]) == 300


def test_transitivity_reports_player_one_when_both_lose_equally(monkeypatch):
    """Median by u1 − u2 of {(3,4),(4,5),(9,0)} is (4,5); adding (4,7), (4,8)
    (u1 − u2 = −3, −4) moves it to (3,4): both players lose 1, player 1 is named."""
    monkeypatch.setattr(des, "select", _median_by(lambda x: x[0] - x[1]))
    problem = P(((3, 4), (4, 5), (9, 0)), (0, 0))
    v = BARGAINING_DESIDERATA["transitivity"].check("nash", problem, {"extra": [["4", "7"], ["4", "8"]]})
    assert v.gap == 1
    assert v.values == {"sel(S)": ["4", "5"], "sel(S ∪ S')": ["3", "4"]}
    assert v.message == ("the nash selection picks (4, 5) from S = {(3, 4), (4, 5), (9, 0)}, but after adding "
                         "{(4, 7), (4, 8)} (all at least as good for both) it picks (3, 4), worse for player 1")
