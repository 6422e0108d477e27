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


# -- survivors of the 2026-12-07 sample (seed 16) ------------------------------------------------


def test_random_fractions_fill_their_interval_at_every_denominator():
    import random

    from bargaincheck.specs.desiderata.base import random_fraction

    rng = random.Random(3)
    for q in (2, 4):
        draws = [random_fraction(rng, Fraction(6), (q,)) for _ in range(400)]
        assert all(-6 <= x <= 6 and (x * q).denominator == 1 for x in draws)
        assert max(draws) == 6 and min(draws) == -6  # the whole of [−6, 6], not [−6/q², 6/q²]


def test_the_vertex_work_estimate_counts_candidates_times_unknowns_squared():
    import math

    import numpy as np

    from bargaincheck.specs import batch

    for rows, planes in ((2, 1), (3, 3), (4, 2), (3, 6)):
        sizes = range(2, min(rows, planes + 1) + 1)
        candidates = rows + sum(math.comb(rows, s) * math.comb(planes, s - 1) for s in sizes)
        vertices = batch._simplex_vertices(np.random.default_rng(0).normal(size=(2, planes, rows)))
        assert vertices.shape == (2, candidates, rows)
        assert batch._work(rows, planes) == rows + sum(math.comb(rows, s) * math.comb(planes, s - 1) * s * s
                                                       for s in sizes)
    assert batch._work(3, 3) == 3 + 3 * 3 * 4 + 1 * 3 * 9  # 66: by hand


def test_a_game_too_large_says_how_many_payoffs_it_has():
    from bargaincheck.specs.limits import MAX_GAME_ENTRIES, check_game_size

    side = int(MAX_GAME_ENTRIES ** 0.5)  # two players: 2·side² > MAX_GAME_ENTRIES
    with pytest.raises(GameError, match=f"has {2 * side * side:,} payoffs"):
        check_game_size((side, side))


def test_a_wrong_permutation_names_the_players_range():
    from bargaincheck.specs.transforms import permute_players

    with pytest.raises(GameError, match=r"is not a permutation of 0\.\.1$"):
        permute_players(PRISONERS, [0, 0])


def test_the_monotonicity_sub_queries_name_each_player():
    from bargaincheck.encoders.desiderata import violation_cases
    from bargaincheck.encoders.symbolic import SymbolicGame

    names = [case.name for case in violation_cases("coco", "monotonicity", SymbolicGame.unknown((2, 2)))]
    assert [name.split(" / ")[0] for name in names] == ["player 1 loses from an extra action",
                                                        "player 2 loses from an extra action"]


def test_a_registered_bargaining_concept_returns_its_single_point():
    from bargaincheck.specs.bargaining.concepts import bargaining_function

    # prisoners' dilemma: points (3,3), (0,5), (5,0), (1,1), d = maximin = (1,1); on both frontier
    # edges from (3,3) the Nash product (u1 − 1)(u2 − 1) and the sum u1 + u2 fall, so both pick (3,3)
    assert bargaining_function("nash")(PRISONERS) == (3, 3)
    assert bargaining_function("utilitarian")(problem_from_game(PRISONERS)) == (3, 3)


def test_the_lp_cost_estimate_counts_tableau_cells_and_leader_lps():
    from bargaincheck.specs.limits import concept_cost, lp_cells

    # (cols + 2) tableau rows of (rows + 2·cols + 5) cells, as lp_cells' docstring counts them
    assert lp_cells(2, 3) == 5 * 13
    assert lp_cells(3, 2) == 4 * 12
    # 2-player ROSE: one leader LP per follower action for each leader, min(2, 3) + 2 pivots each
    assert concept_cost("rose", (2, 3)).work == (3 * 65 + 2 * 48) * 4
    assert concept_cost("coco", (2, 3)).work == 65 * 4


def test_pmm_proposals_stay_within_their_budget():
    import random

    from bargaincheck.specs.bargaining.desiderata import PMMGuarantee

    problem = problem_from_game(PRISONERS)
    defaults = len(set(problem.points + (problem.disagreement,)))
    for count in (defaults, 3 * defaults, 50):
        proposals = PMMGuarantee().parameters(problem, random.Random(0), count)
        assert defaults < len(proposals) <= count + defaults  # one bare proposal per default, then the budget


def test_the_closed_form_vertices_solve_their_systems_up_to_four_unknowns():
    # ν with Σν = 1 on s − 1 hyperplanes (h·ν = 0), by cofactors for s ≤ 4: the same as solving
    import numpy as np

    from bargaincheck.specs import batch

    rng = np.random.default_rng(5)
    for size in (2, 3, 4):
        chosen = rng.normal(size=(3, 5, size - 1, size))
        local, singular = batch._local_vertices(chosen)
        assert not singular.any()
        for b in range(3):
            for k in range(5):
                system = np.vstack([np.ones(size), chosen[b, k]])
                expected = np.linalg.solve(system, np.eye(size)[0])
                assert np.allclose(local[b, k], expected, atol=1e-9), (size, b, k)


def test_conditions_joined_by_and_hold_only_together():
    from bargaincheck.specs.concepts.algebra import AlgebraError, GameRef, cases, exact_values

    g = GameRef((2, 2))
    both = (g.max_payoff(0) >= 3) & (g.max_payoff(1) >= 3)
    expr = cases(both, g.M, 0 * g.M)
    assert exact_values([expr], PRISONERS) == (Fraction(6),)  # max payoffs 5 and 5
    lopsided = Game.from_arrays([[[5, 0], [0, 0]], [[1, 0], [0, 0]]])
    assert exact_values([expr], lopsided) == (Fraction(0),)  # 5 ≥ 3 but 1 < 3
    with pytest.raises(AlgebraError, match="joins two conditions"):
        (g.max_payoff(0) >= 3) & g.M


def test_a_product_context_given_jointly_has_the_factorized_value():
    import random

    from bargaincheck.specs.concepts.rose import contextual_value

    rng = random.Random(1)
    x = (Fraction(1, 3), Fraction(2, 3))
    for shape, y in (((2, 2, 2), (Fraction(1, 4), Fraction(3, 4))),
                     ((2, 3, 2), (Fraction(1, 6), Fraction(1, 3), Fraction(1, 2)))):  # rank 2 with 3 actions
        game = Game.from_function(shape, lambda p: [rng.randint(-5, 5) for _ in range(3)])
        joint = tuple(a * b for a in x for b in y)  # rank 1 slowest
        for a in (1, 2, 3):
            assert contextual_value(game, (0, 1, 2), [joint], a, 3) == contextual_value(game, (0, 1, 2), [x, y], a, 3)


def test_nfg_text_of_exactly_the_limit_is_read_and_one_byte_more_is_not():
    from bargaincheck.specs.limits import MAX_FILE_BYTES
    from bargaincheck.specs.nfg import NfgError, parse_nfg

    game = 'NFG 1 R "" { "1" "2" } { 1 1 }\n3 4\n'
    padded = game + " " * (MAX_FILE_BYTES - len(game))  # trailing white space: still the same game
    assert parse_nfg(padded).payoffs == ((Fraction(3),), (Fraction(4),))
    with pytest.raises(NfgError, match="more than 8 MiB of text"):
        parse_nfg(padded + " ")


def test_a_definition_that_does_not_cover_the_shape_has_no_encoding_there():
    from bargaincheck.encoders.desiderata import violation_cases
    from bargaincheck.encoders.symbolic import SymbolicGame

    with pytest.raises(ValueError, match="the definition of 'coco' does not cover 2x2x2 games"):
        violation_cases("coco", "maximin", SymbolicGame.unknown((2, 2, 2)))


def test_a_bargaining_problem_is_immutable():
    import dataclasses

    problem = problem_from_game(PRISONERS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.disagreement = (Fraction(0), Fraction(0))


def test_the_threat_sub_queries_name_each_player():
    from bargaincheck.encoders.desiderata import violation_cases
    from bargaincheck.encoders.symbolic import SymbolicGame

    names = {case.name.split(" / ")[0] for case in violation_cases("coco", "threat", SymbolicGame.unknown((1, 1)))}
    assert names == {f"player {i} {what} from buttons" for i in (1, 2) for what in ("gains", "loses")}


def test_the_utilitarian_selection_breaks_ties_by_equal_gains_over_d():
    from bargaincheck.specs.bargaining.pmm import select

    # both sum to 6; over d = (0, 2) the gains are (2, 2) and (4, 0): the first is the more equal
    assert select("utilitarian", [(Fraction(4), Fraction(2)), (Fraction(2), Fraction(4))],
                  (Fraction(0), Fraction(2))) == (2, 4)


def test_the_n_player_rose_cost_counts_orderings_searches_nodes_and_profiles():
    import math

    from bargaincheck.specs.limits import concept_cost

    # 3! orderings x (3 − 1) searches x 20000 nodes x 8 profiles (the comment in concept_cost)
    assert concept_cost("rose", (2, 2, 2)).work == math.factorial(3) * 2 * 20_000 * 8


def test_a_size_message_counts_the_payoffs_of_a_64_player_game():
    from bargaincheck.specs.limits import check_game_size

    shape = (2,) * 11 + (1,) * 53  # 64 players, 2048 profiles: 131,072 payoffs
    with pytest.raises(GameError, match="a 64-player game has 131,072 payoffs"):
        check_game_size(shape)


# The searches' first proposals: what the desiderata's docstrings promise to try before random ones.


def test_shift_proposals_first_move_each_player_alone_by_the_payoff_range():
    import random

    from bargaincheck.specs.desiderata.registry import get_desideratum

    first = get_desideratum("shift").parameters(PRISONERS, random.Random(0), 8)[:4]  # payoff range 5
    assert first == [{"shifts": s} for s in (["5", "0"], ["-5", "0"], ["0", "5"], ["0", "-5"])]


def test_threat_proposals_include_a_unit_cap_on_each_pair_alone():
    import random

    from bargaincheck.specs.desiderata.registry import get_desideratum

    proposals = get_desideratum("threat").parameters(PRISONERS, random.Random(0), 30)
    assert {"caps": [["0", "1"], ["0", "0"]]} in proposals and {"caps": [["0", "0"], ["1", "0"]]} in proposals


def test_money_proposals_fill_their_count_with_random_amounts():
    import random

    from bargaincheck.specs.desiderata.registry import get_desideratum

    proposals = get_desideratum("money").parameters(PRISONERS, random.Random(0), 20)
    amounts = [Fraction(p["amount"]) for p in proposals]
    assert len(set(amounts)) == 20 and all(0 < t <= 15 for t in amounts)  # 5 fixed, 15 random in (0, 3·range]


# -- seed-18 sample (commit dfaccf7) --------------------------------------------------------------


def test_a_middle_rank_contextual_value_sums_the_ranks_from_a_on():
    """n = 3, b = 2, μ = (1/3, 2/3) for rank 1. With U_1 = 1, U_2 = 2(1 − y) + z, U_3 = 3yz
    (y, z: the probabilities of action 1 of ranks 2 and 3), V(μ, 2, 3) = max_z E[U_2 + U_3]
    = 3 + y and V(μ, 3, 3) = max_z E[U_3] = 3y, so V(μ, 2, 2) = max_y (3 − 2y) = 3, and rank
    1's constant payoff adds 1 to V(μ, 1, 2)."""
    from bargaincheck.specs.concepts.rose import contextual_value

    game = Game.from_function((2, 2, 2), lambda p: (1, 2 * (1 - p[1]) + p[2], 3 * p[2] * p[1]))
    mu = [(Fraction(1, 3), Fraction(2, 3))]
    assert contextual_value(game, (0, 1, 2), mu, 2, 2) == (3, 3)
    assert contextual_value(game, (0, 1, 2), mu, 1, 2) == (4, 4)


def test_the_symmetry_encoding_splits_on_which_coordinate_is_larger():
    from bargaincheck.encoders import bargaining as eb

    names = [b.name for b in eb.violation_alternatives("nash", "symmetry", eb.SymbolicProblem.unknown(2, 5))]
    assert names == ["nash (m = d1): x1 > x2", "nash (m = d1): x2 > x1",
                     "nash (m = d2): x1 > x2", "nash (m = d2): x2 > x1"]


def test_rlt_cuts_skip_a_family_they_cannot_aggregate_and_keep_the_next():
    """A family over three action sets (or an unnamed one) gives no cut; the families after it
    in the same piece still give theirs: Σ_k z_k·d_k ≥ 0 for another piece's z over the set."""
    from pysmt.shortcuts import GE, REAL, Symbol, Times

    from bargaincheck.encoders.concepts import Piece
    from bargaincheck.encoders.cuts import rlt_cuts
    from bargaincheck.encoders.symbolic import linear_sum, real_const

    key = ("g", 0)
    d = [Symbol(f"cut_d{k}", REAL) for k in range(2)]
    z = [Symbol(f"cut_z{k}", REAL) for k in range(2)]
    skipped = {(a, b, c): d[0] for a in range(2) for b in range(2) for c in range(2)}
    first = Piece(Symbol("cut_t", REAL),
                  families=[((key, key, key), skipped), ((None,), {(0,): d[0]}), ((key,), {(0,): d[0], (1,): d[1]})])
    second = Piece(Symbol("cut_s", REAL), strategies=[(key, z)])
    constraints, choices = rlt_cuts([first, second])
    assert choices == []
    assert constraints == [GE(linear_sum([Times(z[0], d[0]), Times(z[1], d[1])]), real_const(0))]


def test_the_last_rank_chooses_among_all_of_its_own_actions():
    """Ranks 1, 2 with 2 actions, rank 3 with 3: U_1 = x, U_2 = y, U_3 = 7y on action 1 and 5 on
    action 2. At μ = (½,½) × (¾,¼): action 2 gives the total ½ + ¼ + 5 = 23/4, action 1 only
    ½ + ¼ + 7/4; at (¼,¾) for rank 2, rank 3 alone gets 7·¾ = 21/4 from action 1 (5 from 2)."""
    from bargaincheck.specs.concepts.rose import contextual_value

    game = Game.from_function((2, 2, 3), lambda p: (p[0], p[1], 5 * (p[2] == 2) + 7 * p[1] * (p[2] == 1)))
    half = (Fraction(1, 2), Fraction(1, 2))
    assert contextual_value(game, (0, 1, 2), [half, (Fraction(3, 4), Fraction(1, 4))], 1, 3) == (Fraction(23, 4),) * 2
    assert contextual_value(game, (0, 1, 2), [half, (Fraction(1, 4), Fraction(3, 4))], 3, 3) == (Fraction(21, 4),) * 2


def test_the_resource_monotonicity_encoding_splits_on_which_player_gains():
    from bargaincheck.encoders import bargaining as eb

    sp = eb.SymbolicProblem.unknown(2, 5)
    names = [b.name for b in eb.pair_violation_alternatives("egalitarian", "resource-monotonicity", sp,
                                                            eb.sub_problem(sp, 1, 5))]
    assert len(names) == 8
    assert [n.rsplit(": ", 1)[1] for n in names] == ["x'1 > x1", "x'2 > x2"] * 4


def test_a_one_player_correlated_equilibrium_is_the_best_action():
    """With one player every CE constraint says: no action is better than the recommended one,
    so every selection puts all weight on the best payoff, 5."""
    from bargaincheck.specs.concepts.correlated import SELECTIONS, correlated_equilibrium

    game = Game.from_arrays([[3, -1, 5]])
    for selection in SELECTIONS:
        assert correlated_equilibrium(game, selection) == ((0, 0, 1), (5,))


def test_the_strong_pareto_encoding_splits_on_which_player_strictly_gains():
    from bargaincheck.encoders import bargaining as eb

    names = [b.name for b in eb.violation_alternatives("nash", "pareto", eb.SymbolicProblem.unknown(2, 5))]
    assert names == ["nash: y ≥ x, y1 > x1", "nash: y ≥ x, y2 > x2"]
    weak = [b.name for b in eb.violation_alternatives("nash", "weak-pareto", eb.SymbolicProblem.unknown(2, 5))]
    assert weak == ["nash: y > x"]


# -- seed-19 sample (commit 3aaec65) --------------------------------------------------------------


def test_a_desideratum_needs_a_transformation_exactly_when_it_proposes_parameters():
    """`needs_transformation` (documented in specs/desiderata/base.py) against what each
    desideratum's `parameters` proposes: only the single empty proposal means no transformation."""
    import random

    from bargaincheck.specs.bargaining.desiderata import BARGAINING_DESIDERATA
    from bargaincheck.specs.bargaining.problem import BargainingProblem
    from bargaincheck.specs.desiderata.registry import DESIDERATA

    problem = BargainingProblem(((0, 10), (4, 5), (10, 0)), (0, 0))
    for desideratum in BARGAINING_DESIDERATA.values():
        proposed = desideratum.parameters(problem, random.Random(0), 3)
        assert desideratum.needs_transformation == (proposed != [{}]), desideratum.id
    for desideratum in DESIDERATA.values():
        proposed = desideratum.parameters(PRISONERS, random.Random(0), 3)
        assert desideratum.needs_transformation == (proposed != [{}]), desideratum.id


def test_linearity_proposes_its_fixed_weights_first():
    """G itself with d = e = 1, then the seven fixed (d, e) before any random one."""
    import random

    from bargaincheck.specs.desiderata.registry import DESIDERATA

    proposals = DESIDERATA["linearity"].parameters(PRISONERS, random.Random(0), 8)
    weights = [(Fraction(p["d"]), Fraction(p["e"])) for p in proposals]
    assert weights == [(1, 1), (1, 1), (2, 1), (1, 3), (Fraction(1, 2), 2), (0, 1), (1, 0),
                       (Fraction(3, 2), Fraction(2, 3))]


def test_the_ideal_point_lemmas_name_the_coordinate_they_compare():
    from bargaincheck.encoders import bargaining as eb

    names = [b.name for b in eb.ideal_lemmas(eb.SymbolicProblem.unknown(2, 5))]
    assert names == ["lemma: ideal point unique: two maximizers of u1 differ in u1",
                     "lemma: ideal point unique: two maximizers of u2 differ in u2"]


def test_a_saddle_point_tied_by_an_earlier_column_is_not_strict():
    """[[1, 1], [2, 0]]: value 1 at (row 0, column 1), but column 0 also gives row 0 exactly 1,
    so every y = (q, 1 − q) with q ≤ 1/2 is optimal for the column player: not unique. In
    [[2, 1, 3], [0, 0, 0]] the saddle point (0, 1) is strict."""
    from bargaincheck.specs.concepts.rose import _solve_matrix_game

    F = Fraction
    assert _solve_matrix_game([[F(1), F(1)], [F(2), F(0)]]) == (1, (1, 0), (0, 1), False)
    assert _solve_matrix_game([[F(2), F(1), F(3)], [F(0), F(0), F(0)]]) == (1, (1, 0), (0, 1, 0), True)


def test_an_unknown_problem_names_its_disagreement_point_for_any_number_of_points():
    """The Python API does not cap the points (the CLI's SMT limit is 12): with 300 points the
    unknowns are s_p0_0 … s_p299_1 and the disagreement point's s_d_0, s_d_1 (index 300)."""
    from bargaincheck.encoders import bargaining as eb

    problem = eb.SymbolicProblem.unknown(300, 1)
    assert problem.unknowns["s_d_0"] == (300, 0) and problem.unknowns["s_d_1"] == (300, 1)
    assert problem.unknowns["s_p299_1"] == (299, 1) and "s_p300_0" not in problem.unknowns
    assert len(problem.unknowns) == 602


def test_the_per_player_violation_cases_are_named_by_players_counted_from_one():
    from bargaincheck.encoders import desiderata as des
    from bargaincheck.encoders.symbolic import SymbolicGame

    g = SymbolicGame.unknown((2, 2), name="names")
    assert [c.name for c in des.violation_cases("coco", "maximin", g)] == [
        "player 1 below maximin", "player 2 below maximin"]
    assert [c.name for c in des.violation_cases("coco", "submax", g)] == ["player 1 above max", "player 2 above max"]
    assert [c.name for c in des.violation_cases("coco", "pareto", g)] == ["values sum above M", "values sum below M"]


def test_pmm_proposals_reach_every_size_of_both_renegotiation_sets():
    """Each of r1, r2 draws 0 to 3 of the outcomes that improve on the default; with the
    default d = (0, 0) of a 3-point problem there are more than 3, and 40 draws reach every size."""
    import random

    from bargaincheck.specs.bargaining.desiderata import BARGAINING_DESIDERATA
    from bargaincheck.specs.bargaining.problem import BargainingProblem

    problem = BargainingProblem(((0, 10), (4, 5), (10, 0)), (0, 0))
    proposals = BARGAINING_DESIDERATA["pmm"].parameters(problem, random.Random(0), 160)
    at_d = [p for p in proposals if p["default"] == ["0", "0"]]
    assert len(at_d) == 41 and at_d[0] == {"default": ["0", "0"], "r1": [], "r2": []}
    for key in ("r1", "r2"):
        assert {len(p[key]) for p in at_d} == {0, 1, 2, 3}


# -- the names of the encodings' cases, by rule ---------------------------------------------------


def test_every_per_player_case_of_every_tu_encoding_names_its_player():
    """A case's name says which player it is about, counted from one; names are distinct."""
    import bargaincheck.specs.concepts.builtin  # noqa: F401  (registers the built-in concepts)
    from bargaincheck.encoders import desiderata as des
    from bargaincheck.encoders.algebra import EncodingTooLarge, NoEncoding
    from bargaincheck.encoders.symbolic import SymbolicGame
    from bargaincheck.specs.concepts.registry import CONCEPTS

    seen = 0
    two = ("coco", "rose", "rose-joint", "shapley-coco", "shapley-rose", "selfish-split")
    for dims, concepts in (((2, 2), two), ((2, 2, 2), ("shapley-coco", "shapley-rose"))):
        for concept_id in concepts:
            assert CONCEPTS[concept_id].symbolic_on(dims)
            for desideratum_id in des.DESIDERATUM_ENCODINGS:
                try:
                    cases = des.violation_cases(concept_id, desideratum_id, SymbolicGame.unknown(dims, name="nm"))
                except (ValueError, EncodingTooLarge, NoEncoding):
                    continue
                names = [c.name for c in cases]
                assert len(set(names)) == len(names), (concept_id, desideratum_id)
                for case in cases:
                    if "player" in case.name:
                        seen += 1
                        assert f"player {case.player + 1}" in case.name, (concept_id, desideratum_id, case.name)
                        players = max(g.n_players for g in case.games)  # null-player adds one
                        assert "player 0" not in case.name and f"player {players + 1}" not in case.name
    assert seen > 500


_COMPARISON = r"(x'|x|y|b\^S|b\^T|d|r|u)(\d) ([<>]|=) (x'|x|y|b\^S|b\^T|d|r|u)(\d)"


def test_every_bargaining_branch_compares_matching_coordinates():
    """In a branch name "a_i op b_j", two different points are compared in the same coordinate
    (x'1 > x1, y2 > x2, x1 < d1, b^S1 = b^T1); one point's coordinates only with each other
    (x1 > x2, the symmetry split). Names are distinct within an encoding."""
    import re

    from bargaincheck.encoders import bargaining as eb

    sp = eb.SymbolicProblem.unknown(2, 5)
    lists = [eb.violation_alternatives(c, d, sp) for c in eb.ENCODED_SOLUTIONS for d in eb._POINT_DESIDERATA
             if not (c == "rose-points") or d == "random-dictator"]
    lists += [eb.violation_alternatives(c, "symmetry", sp) for c in eb.ENCODED_SOLUTIONS if c != "rose-points"]
    lists += [eb.pair_violation_alternatives(c, d, sp, eb.sub_problem(sp, 1, 5))
              for c in eb.ENCODED_SOLUTIONS if c != "rose-points" for d in eb.PAIR_DESIDERATA
              if d != "individual-monotonicity" or c == "kalai-smorodinsky"]
    lists += [eb.ideal_lemmas(sp), eb.ideal_monotonicity_lemmas(sp, eb.sub_problem(sp, 1, 5))]
    compared = 0
    for branches in lists:
        names = [b.name for b in branches]
        assert len(set(names)) == len(names), names
        for name in names:
            for a, i, _, b, j in re.findall(_COMPARISON, name):
                compared += 1
                assert (i != j) if a == b else (i == j), name
                assert {i, j} <= {"1", "2"}, name
            assert set(re.findall(r"(?<![\w^])(?:x'|x|y|b\^S|b\^T|d|r|u|w)(\d+)\b", name)) <= {"1", "2"}, name
    assert compared > 100


# -- negative indices: never Python's "from the end" ----------------------------------------------


_NFG_WITH_OUTCOME_MINUS_ONE = """NFG 1 R "t" { "A" "B" }
{ { "1" "2" } { "1" "2" } }
""
{ { "" 1, 2 } { "" 3, 4 } }
1 2 -1 0"""


def _refusals():
    from bargaincheck.specs import transforms
    from bargaincheck.specs.bargaining.io import problem_from_game
    from bargaincheck.specs.concepts.algebra import Definition
    from bargaincheck.specs.desiderata.base import param_player
    from bargaincheck.specs.desiderata.registry import DESIDERATA
    from bargaincheck.specs.nfg import parse_nfg

    return [
        (lambda: transforms.coalition_game(PRISONERS, [-1]), r"coalition \[-1\] names a player outside 0\.\.1", "GameError"),
        (lambda: transforms.identical_players(PRISONERS, -1, 0), r"player -1 is outside 0\.\.1", "GameError"),
        (lambda: transforms.add_null_player(PRISONERS, -1), r"null player position -1 is outside 0\.\.2", "GameError"),
        (lambda: param_player({"player": -1}, PRISONERS), r"parameter 'player' = -1 is not a player index 0\.\.1", "GameError"),
        (lambda: DESIDERATA["null-player"]._position(PRISONERS, {"position": -1}),
         r"null-player position -1 is outside 0\.\.2", "GameError"),
        (lambda: problem_from_game(PRISONERS, [-1, 0]), r"player 1 has no action number -1", "BargainingError"),
        (lambda: problem_from_game(PRISONERS, [0, -1]), r"player 2 has no action number -1", "BargainingError"),
        (lambda: Definition(lambda g: [g.payoff(0, (-1, 0)), g.M]).exact(PRISONERS),
         r"\(-1, 0\) is not a pure profile of a 2x2 game", "AlgebraError"),
        (lambda: parse_nfg(_NFG_WITH_OUTCOME_MINUS_ONE),
         r"<string>:5:5: outcome index -1 out of range \(the file defines 2 outcomes; 0 is the null outcome\)", "NfgError"),
    ]


@pytest.mark.parametrize("case", range(len(_refusals())))
def test_a_negative_index_is_refused_with_its_message(case):
    call, message, error = _refusals()[case]
    with pytest.raises(Exception, match=f"^{message}$") as raised:
        call()
    assert type(raised.value).__name__ == error


# -- seed-20 sample (commit 2b2eca4) --------------------------------------------------------------


def test_integer_and_grid_domains_reach_both_ends_of_the_bound_and_nothing_between_steps():
    """Integer payoffs in [−3, 3]: −3 and 3 are possible, −4, 4 and 1/2 are not; the grid of
    thirds in [−2, 2]: −2 and −5/3 are, −7/3 and 1/2 are not (z3 on the domain constraints)."""
    from pysmt.shortcuts import And, Equals, is_sat

    from bargaincheck.encoders.symbolic import Domain, SymbolicGame, real_const

    for domain, possible, impossible in ((Domain("integer", 3), (-3, 3), (-4, 4, Fraction(1, 2))),
                                         (Domain("grid", 2, 3), (-2, Fraction(-5, 3)), (Fraction(-7, 3), Fraction(1, 2)))):
        g = SymbolicGame.unknown((1, 1), domain, name="dom" + domain.kind[0])
        term = g.payoffs[0][0]
        for value, expected in [(v, True) for v in possible] + [(v, False) for v in impossible]:
            assert is_sat(And(g.constraints + [Equals(term, real_const(value))]), solver_name="z3") is expected


def test_an_affine_fit_through_one_sample_puts_the_value_on_the_slope():
    """One sample (x = 2, value 5): b is free and set to 0, so a = 5/2."""
    from bargaincheck.encoders.desiderata import _affine_fit

    assert _affine_fit([[Fraction(2)]], [Fraction(5)]) == ([Fraction(5, 2)], 0)


def test_a_ray_along_a_segment_leaves_it_at_the_far_end():
    """The polygon is the segment from (0, 0) to (4, 2), every edge parallel to the direction
    (2, 1): the exit is at the vertex, t = (4·2 + 2·1)/5 = 2; likewise (6, 0) along (3, 0)."""
    from bargaincheck.specs.bargaining.problem import ray_exit

    F = Fraction
    assert ray_exit([(F(0), F(0)), (F(4), F(2))], (F(0), F(0)), (F(2), F(1))) == 2
    assert ray_exit([(F(0), F(0)), (F(6), F(0))], (F(0), F(0)), (F(3), F(0))) == 2


def test_a_mirror_symmetric_problem_is_symmetric_only_with_d_on_the_diagonal():
    from bargaincheck.specs.bargaining.problem import BargainingProblem

    assert BargainingProblem(((0, 1), (1, 0)), (0, 0)).is_symmetric()
    assert not BargainingProblem(((0, 1), (1, 0)), (0, 1)).is_symmetric()
    assert not BargainingProblem(((0, 2), (1, 0)), (0, 0)).is_symmetric()


def test_the_selfish_split_is_defined_from_one_player_on():
    """A lone player picks its favourite profile and there is nothing to share: 5."""
    from bargaincheck.specs.concepts.selfish import SELFISH_SPLIT, selfish_split_value

    assert not SELFISH_SPLIT.accepts(()) and SELFISH_SPLIT.accepts((3,)) and SELFISH_SPLIT.accepts((2, 2, 2))
    assert selfish_split_value(Game.from_arrays([[3, -1, 5]])) == (5,)


def test_a_model_is_scaled_back_to_payoffs_only_on_the_grid():
    """The grid's Int symbols count steps of 1/q; a real domain's symbols are the payoffs, whatever
    its denominator field says."""
    from bargaincheck.encoders.symbolic import Domain, SymbolicGame

    real = SymbolicGame.unknown((1, 2), Domain("real", 5, 3), name="gm")
    assert real.game_from_model({k: Fraction(i + 1, 2) for i, k in enumerate(real.unknowns)}).payoffs == (
        (Fraction(1, 2), 1), (Fraction(3, 2), 2))
    grid = SymbolicGame.unknown((1, 2), Domain("grid", 5, 3), name="gg")
    assert grid.game_from_model({k: i + 1 for i, k in enumerate(grid.unknowns)}).payoffs == (
        (Fraction(1, 3), Fraction(2, 3)), (1, Fraction(4, 3)))


def test_a_transfer_lemma_is_named_by_its_target_cut_at_80_characters():
    from pysmt.shortcuts import REAL, Symbol

    from bargaincheck.encoders import bargaining as eb

    scale = (Symbol("tl_sa", REAL), Symbol("tl_sb", REAL))
    shift = (Symbol("tl_ta", REAL), Symbol("tl_tb", REAL))
    y = (Symbol("tl_ya", REAL), Symbol("tl_yb", REAL))
    lemmas = [b for b in eb.transfer_lemmas("nash", eb.SymbolicProblem.unknown(2, 10), scale, shift, y)
              if b.name.startswith("transfer lemma: constraint ")]
    assert lemmas
    longer = 0
    for k, branch in enumerate(lemmas):
        target = branch.constraints[-1].arg(0).serialize()  # the branch ends with Not(target)
        longer += len(target) > 80
        assert branch.name == f"transfer lemma: constraint {k + 1} ({target[:80]})"
    assert longer


def test_threat_proposes_its_fixed_buttons_first():
    """Prisoner's dilemma, payoff range r = 5: each single button of size r, both, then each
    single button of size 1, 3r and r/2, then both of size 3r; random ones only after these."""
    import random

    from bargaincheck.specs.desiderata.registry import DESIDERATA

    def one(i, j, size):
        caps = [[Fraction(0)] * 2 for _ in range(2)]
        caps[i][j] = Fraction(size)
        return caps

    def both(size):
        return [[0, Fraction(size)], [Fraction(size), 0]]

    expected = [one(0, 1, 5), one(1, 0, 5), both(5)]
    for size in (1, 15, Fraction(5, 2)):
        expected += [one(0, 1, size), one(1, 0, size)]
    expected.append(both(15))
    proposals = DESIDERATA["threat"].parameters(PRISONERS, random.Random(0), 10)
    assert [[[Fraction(v) for v in row] for row in p["caps"]] for p in proposals] == expected


def test_the_concept_decorator_takes_its_id_by_keyword_and_the_rest_by_keyword_only():
    from bargaincheck.specs.concepts.plugins import concept

    decorated = concept(id="kw-id", name="By keyword")(lambda game: (0,))
    assert decorated(PRISONERS) == (0,)
    with pytest.raises(TypeError):
        concept("an-id", "a positional name")


# -- seed-21 sample (commit ecbcbef) --------------------------------------------------------------


def test_time_left_after_a_deadline_has_passed_is_zero_not_negative():
    import time

    from bargaincheck.specs.deadline import remaining, time_limit

    assert remaining() is None
    with time_limit(0.0):
        time.sleep(0.01)
        assert remaining() == 0.0


def test_the_file_size_limit_is_the_documented_8_mib():
    """docs/reference/limits.md: "at most 8 MiB (MAX_FILE_BYTES)"."""
    from bargaincheck.specs.limits import MAX_FILE_BYTES

    assert MAX_FILE_BYTES == 8 * 1024 * 1024


def test_the_symmetry_encoding_refuses_a_one_player_game_clearly():
    from bargaincheck.encoders import desiderata as des
    from bargaincheck.encoders.symbolic import SymbolicGame

    with pytest.raises(ValueError, match=r"^the SMT encoding of symmetry covers two players with equally many "
                                         r"actions \(k x k\)$"):
        des.violation_cases("coco", "symmetry", SymbolicGame.unknown((2,), name="one"))
