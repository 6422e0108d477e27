"""Error paths, limit boundaries and exact messages of specs/ (limits, games,
transforms, desiderata, nfg, witness, fileio, batch, lp) that no other fast test
pins down: each test states one fact with hand-computed numbers."""

from __future__ import annotations

import json
import math
import os
import re
from decimal import Decimal
from fractions import Fraction as F

import numpy as np
import pytest

from bargaincheck.specs import batch, limits
from bargaincheck.specs.concepts.registry import Concept, Valuation, get_concept
from bargaincheck.specs.desiderata import monotonicity
from bargaincheck.specs.desiderata.base import (
    Desideratum,
    TransformInvariance,
    certain_gap,
    first_distinct,
    param_player,
    payoff_range,
    exceeds,
    game_from_json,
    jsonify,
    param_fraction,
)
from bargaincheck.specs.desiderata.registry import get_desideratum
from bargaincheck.specs.fileio import atomic_write_json, atomic_write_text
from bargaincheck.specs.games import Game, GameError, to_fraction
from bargaincheck.specs.limits import (
    check_bound,
    check_concept_cost,
    check_count,
    check_decimal,
    check_game_size,
    check_int,
    check_json_depth,
    check_problem_size,
    check_seconds,
    concept_cost,
    count_text,
    int_text,
    lp_cells,
    looks_like_number,
    parse_number,
    read_limited_bytes,
    short,
)
from bargaincheck.specs.lp import solve_lp
from bargaincheck.specs.nfg import NfgError, parse_nfg, read_nfg
from bargaincheck.specs.transforms import (
    add_duplicate_action,
    coalition_game,
    destruction_game,
    null_player_map,
    payment_map,
    permute_players,
    scale_game,
    add_mixture_action,
    add_null_player,
    coalition_layout,
    conditional_threat_game,
    evaluate_payoff_map,
    extend_actions,
    identical_players,
    parallel_sum,
    payment_game,
    shift_map,
)
from bargaincheck.specs.witness import game_from_json as witness_game_from_json
from bargaincheck.specs.witness import load_json_file, parse_json_text

BATTLE = Game.from_arrays([[[2, 0], [0, 1]], [[1, 0], [0, 2]]], [["T", "B"], ["L", "R"]])


def toy(name, function, max_players=None):
    return Concept(name, name, f"test concept {name}", function, 1, max_players)


def with_error(values_of, error):
    """A concept whose values come with a stated error bound."""
    return lambda game: Valuation(tuple(F(v) for v in values_of(game)), "numeric", F(error))


def uncertain_on_battle(values_of):
    """A concept whose values carry an error bound of 1/4 on BATTLE only (exact elsewhere)."""
    return lambda game: Valuation(tuple(F(v) for v in values_of(game)), "numeric", F(1, 4) if game == BATTLE else F(0))


# -- limits: numbers -------------------------------------------------------------------------


def test_check_int_accepts_just_below_ten_to_the_300_and_refuses_it_exactly():
    assert check_int(10**300 - 1) == 10**300 - 1
    assert check_int(-(10**300 - 1)) == -(10**300 - 1)
    with pytest.raises(GameError, match=r"^payoff: an integer of about 10\^300 is too large \(\|value\| must be below 10\^300"):
        check_int(10**300)
    with pytest.raises(GameError, match=r"^count: an integer of about 10\^300 is too large"):
        check_int(-(10**300), "count")


def test_a_rational_text_is_accepted_just_below_ten_to_the_300_and_refused_at_it():
    assert parse_number(str(10**301 - 1) + "/10") == F(10**301 - 1, 10)
    with pytest.raises(GameError, match=r"is too large \(\|value\| must be below 10\^300"):
        parse_number(str(10**301) + "/10")
    with pytest.raises(GameError, match=r"is too large"):
        parse_number("-" + str(10**300) + "/1")


def test_a_decimal_text_is_refused_from_ten_to_the_300_on():
    assert parse_number("9.99e299") == 999 * F(10) ** 297
    assert parse_number("9" * 300) == 10**300 - 1
    with pytest.raises(GameError, match=r"^payoff: '1e300' is too large \(\|value\| must be below 10\^300"):
        parse_number("1e300")
    with pytest.raises(GameError, match="is too large"):
        parse_number("1" + "0" * 300)


def test_a_decimal_needing_a_thousand_digit_denominator_is_refused():
    assert parse_number("1e-999") == F(1, 10**999)
    with pytest.raises(GameError, match=r"^x: '1e-1000' needs a denominator of more than 1000 digits"):
        parse_number("1e-1000", "x")
    with pytest.raises(GameError, match="needs a denominator of more than 1000 digits"):
        parse_number("0." + "0" * 999 + "1")


def test_exponents_of_seven_digits_are_out_of_range_unless_the_value_is_zero():
    assert parse_number("0e1000000") == 0
    assert parse_number("-0.000E-9999999") == 0
    assert parse_number("2e0000001") == 20  # leading zeros of the exponent do not count
    with pytest.raises(GameError, match=r"^payoff: '1e1000000' is out of range \(\|value\| must be below 10\^300, with at most 1000 digits"):
        parse_number("1e1000000")
    with pytest.raises(GameError, match="needs a denominator"):
        parse_number("1e-999999")  # six digits: read, then refused by size
    with pytest.raises(GameError, match="is too large"):
        parse_number("1e999999")


def test_number_text_of_2020_characters_is_read_and_of_2021_is_too_long():
    text = "0" * 19 + "1" * 1000 + "/" + "1" * 1000
    assert len(text) == 2020 and parse_number(text) == 1
    with pytest.raises(GameError, match=r"^payoff: '0000000000000000000\S*… \(2021 characters\) is too long \(at most 1000 digits in numerator and in denominator"):
        parse_number("0" + text)


def test_a_rational_with_a_1001_digit_part_is_refused_and_leading_zeros_do_not_count():
    ones = "1" * 1000
    assert parse_number("-000" + ones + "/+0" + ones) == -1
    with pytest.raises(GameError, match=r"has more than 1000 digits \(see docs"):
        parse_number(ones + "1/3")
    with pytest.raises(GameError, match=r"has more than 1000 digits"):
        parse_number("3/" + ones + "1")


def test_bad_number_texts_say_what_is_wrong():
    with pytest.raises(GameError, match=r"^payoff: '3/0' divides by zero$"):
        parse_number("3/0")
    for text in ("nan", "-inf", "+Infinity", "sNaN"):
        with pytest.raises(GameError, match=rf"^w: '{re.escape(text)}' is not a finite number$"):
            parse_number(text, "w")
    for text in ("abc", ".", "1e", "e5", "1/2/3", "--1"):
        with pytest.raises(GameError, match=r"is not a number$"):
            parse_number(text)


def test_short_quotes_up_to_width_characters_and_names_the_length_beyond():
    assert short("a" * 40) == repr("a" * 40)
    assert short("a" * 41) == repr("a" * 40) + "… (41 characters)"
    assert short("abcdef", 5) == "'abcde'… (6 characters)"


def test_looks_like_number_follows_the_grammar_of_parse_number():
    for text in ("3/2", " -7 ", "1.5e3", ".5", "5.", "+2E-3"):
        assert looks_like_number(text), text
    for text in (".", "abc", "1/", "", "+", "1.2.3"):
        assert not looks_like_number(text), text


def test_check_decimal_tells_the_exponent_limit_from_the_denominator_limit():
    assert check_decimal(Decimal("1E-999")) == Decimal("1E-999")
    assert check_decimal(Decimal("0E-99999")) == 0  # zero: no limit on the exponent
    for text in ("1E-1000", "1E-1500", "1E-10000"):
        with pytest.raises(GameError, match=r"needs a denominator of more than 1000 digits"):
            check_decimal(Decimal(text))
    with pytest.raises(GameError, match=r"^payoff: a number with exponent -10001 is out of range \(\|value\| must be below 10\^300, with at most 1000 digits"):
        check_decimal(Decimal("1E-10001"))
    with pytest.raises(GameError, match=r"a number with exponent 10001 is out of range"):
        check_decimal(Decimal("1E+10001"))
    with pytest.raises(GameError, match=r"^payoff: '1\.000000e\+300' is too large"):
        check_decimal(Decimal("1E+300"))
    assert check_decimal(Decimal("9E+299")) == Decimal("9E+299")


def test_check_decimal_refuses_non_finite_values_and_too_many_digits():
    with pytest.raises(GameError, match=r"^v: NaN is not a finite number$"):
        check_decimal(Decimal("NaN"), "v")
    with pytest.raises(GameError, match=r"^payoff: -Infinity is not a finite number$"):
        check_decimal(Decimal("-Infinity"))
    assert check_decimal(Decimal("0." + "1" * 999))
    assert check_decimal(Decimal("1" * 1000 + "E-700"))
    with pytest.raises(GameError, match=r"^payoff: '1\.111111e\+1000' has more than 1000 digits"):
        check_decimal(Decimal("1" * 1001))


# -- limits: sizes ----------------------------------------------------------------------------


def test_a_game_of_exactly_100000_payoffs_is_accepted_and_one_row_more_is_not():
    check_game_size((250, 200))  # 2 × 50,000
    with pytest.raises(GameError, match=r"^g: a 250x201 game has 100,500 payoffs \(profiles × players\); the limit is 100,000"):
        check_game_size((250, 201), "g")
    with pytest.raises(GameError, match=r"^game: a 2x2x2x2x2x2x2x2x2x2x2x5 game has 122,880 payoffs"):
        check_game_size((2,) * 11 + (5,))  # 12 players are still named by their shape
    with pytest.raises(GameError, match=r"^game: a 64-player game has about 10\^21 payoffs"):
        check_game_size((2,) * 64)  # 64 · 2^64 = 2^70
    with pytest.raises(GameError, match=r"^game: a 65-player game has too many payoffs"):
        check_game_size((2,) * 65)
    with pytest.raises(GameError, match=r"a 13-player game has 106,496 payoffs"):
        check_game_size((2,) * 13)  # 13 × 8192


def test_a_problem_is_limited_to_10000_points_and_100000_coordinates():
    check_problem_size(10_000, 10)
    check_problem_size(1, 100_000)
    with pytest.raises(GameError, match=r"^bargaining problem: 10,001 points of 1 coordinates; the limit is 10,000 points and 100,000 coordinates"):
        check_problem_size(10_001, 1)
    with pytest.raises(GameError, match=r"^p: 5,000 points of 21 coordinates"):
        check_problem_size(5_000, 21, "p")
    with pytest.raises(GameError):
        check_problem_size(1, 100_001)


def test_json_nested_64_deep_is_accepted_and_65_is_not():
    check_json_depth("[" * 64 + "]" * 64, "f")
    check_json_depth('["' + "[{" * 100 + '"]', "f")  # brackets inside strings do not nest
    check_json_depth("[]" * 100, "f")  # many, but side by side
    check_json_depth("[" * 64 + "]" * 64 + "[]", "f")  # 66 brackets, 64 deep
    with pytest.raises(GameError, match=r"^f: JSON nested more than 64 levels deep"):
        check_json_depth("[" * 65 + "]" * 65, "f")
    with pytest.raises(GameError, match="nested more than 64"):
        parse_json_text("{\"a\": " * 65 + "1" + "}" * 65, "t")


def test_a_file_of_exactly_8_mib_is_read_and_one_byte_more_is_refused(tmp_path):
    path = tmp_path / "big"
    path.write_bytes(b"x" * (8 * 2**20))
    assert len(read_limited_bytes(path)) == 8 * 2**20
    path.write_bytes(b"x" * (8 * 2**20 + 1))
    with pytest.raises(GameError, match=r"the file is larger than 8 MiB, the input limit"):
        read_limited_bytes(path)


def test_int_text_writes_integers_beyond_python_str_limit():
    assert int_text(10**5000) == "1" + "0" * 5000
    assert int_text(-12) == "-12"
    assert int_text(2**14_000) == str(Decimal(2**14_000)) and int_text(2**13_000) == str(2**13_000)


def test_count_text_groups_digits_up_to_64_bits_and_then_gives_a_power_of_ten():
    assert count_text(2**64 - 1) == "18,446,744,073,709,551,615"
    assert count_text(-1234567) == "1,234,567"
    assert count_text(2.9e3) == "2,900"
    assert count_text(2**64) == "about 10^19"
    assert count_text(10**300) == "about 10^300"


# -- limits: work estimates -------------------------------------------------------------------


def test_lp_cells_of_a_3_by_4_matrix_is_96():
    assert lp_cells(3, 4) == 6 * 16


def test_the_two_player_rose_cost_counts_one_lp_per_follower_action():
    """rose on 2 × 3: three 2 × 3 LPs (65 cells) and two 3 × 2 LPs (48), 4 pivots each."""
    cost = concept_cost("rose", (2, 3))
    assert (cost.lp_cells, cost.work, cost.largest) == (65, (3 * 65 + 2 * 48) * 4, "the 2 × 3 leader LPs")


def test_the_coco_cost_is_one_zero_sum_lp():
    cost = concept_cost("coco", (3, 4))
    assert (cost.lp_cells, cost.work, cost.largest) == (96, 96 * 5, "the 3 × 4 zero-sum game")


def test_the_correlated_equilibrium_cost_on_2x2_is_hand_computed():
    """4 incentive rows (2·1 per player), 4 profiles: (4+3)·(4+8+3) = 105 cells,
    × (n + 2) = 4 × (min(4, 4) + 2) = 6 pivots."""
    cost = concept_cost("ce-split-utilitarian", (2, 2))
    assert (cost.lp_cells, cost.work) == (105, 105 * 4 * 6)
    assert cost.largest == "the correlated-equilibrium LP (4 profiles, 4 incentive constraints)"
    assert concept_cost("ce-split-egalitarian", (2, 3)).lp_cells == (2 + 6 + 3) * (6 + 16 + 3)


def test_the_shapley_coco_cost_on_2x2_sums_its_four_coalition_games():
    """{}: 1 × 4, 84 cells, work 84·3; {1}, {2}: 2 × 2, 44 cells, 44·4 each;
    {1,2}: 4 × 1, 33 cells, 33·3; plus 4 profiles × 2 players per coalition."""
    cost = concept_cost("shapley-coco", (2, 2))
    assert cost.lp_cells == 84
    assert cost.work == 252 + 176 + 176 + 99 + 4 * 8
    assert cost.largest == "the empty coalition against everyone: 1 × 4 joint actions"


def test_the_shapley_cost_names_the_first_coalition_with_the_largest_lp():
    """On 1×5×1 every coalition LP is 1 × 5 (lp_cells = 7·16 = 112) or 5 × 1
    (3·12 = 36); the empty coalition reaches 112 first, {1} and {3} only tie it. The work sums
    all 8 coalitions: four 1 × 5 games (112 cells × 3 pivots), four 5 × 1 (36 × 3), and 5
    profiles × 3 players for each."""
    for shape in ((1, 5, 1), (5, 1, 1), (1, 1, 5)):
        cost = concept_cost("shapley-coco", shape)
        assert cost.lp_cells == 112
        assert cost.work == 4 * 112 * 3 + 4 * 36 * 3 + 8 * 5 * 3
        assert cost.largest == "the empty coalition against everyone: 1 × 5 joint actions"
    assert concept_cost("shapley-coco", (1, 2)).largest == "the empty coalition against everyone: 1 × 2 joint actions"


def test_more_than_16_players_have_too_many_coalitions_for_shapley():
    cost = concept_cost("shapley-coco", (1,) * 17)
    assert (cost.lp_cells, cost.work, cost.largest) == (0, 2**17, "131,072 coalitions")
    with pytest.raises(GameError, match=r"^g: shapley-rose on a 17-player game needs 131,072 coalition games; the limit is 16 players \(see docs"):
        check_concept_cost("shapley-rose", (1,) * 17, "g")
    check_concept_cost("shapley-coco", (1,) * 16)  # 65,536 one-profile coalition games are fine


def test_sixteen_players_get_a_real_shapley_estimate():
    """Every coalition game of a 1×…×1 game is 1 × 1: lp_cells(1, 1) = 3·8 = 24
    cells, 24·3 work, plus 1 profile × 16 players."""
    cost = concept_cost("shapley-coco", (1,) * 16)
    assert (cost.lp_cells, cost.work) == (24, 2**16 * (72 + 16))
    assert cost.largest == "the empty coalition against everyone: 1 × 1 joint actions"


def test_work_equal_to_the_limit_is_allowed_and_one_step_more_is_not(monkeypatch):
    """coco on 3 × 4: 96 cells × (3 + 2) pivots = 480 steps."""
    monkeypatch.setattr(limits, "MAX_WORK", 480)
    check_concept_cost("coco", (3, 4))
    monkeypatch.setattr(limits, "MAX_WORK", 479)
    with pytest.raises(GameError, match=r"^coco on a 3x4 game needs about 480 steps of exact work \(the 3 × 4 zero-sum game\); the limit is 479 "):
        check_concept_cost("coco", (3, 4))


def test_an_lp_of_two_million_cells_is_allowed_and_one_more_cell_is_not():
    """lp_cells(2999, 498) = 500 · 4000 = 2,000,000 exactly: not refused for
    its size, but its work 2,000,000 × 500 pivots is above 200,000,000."""
    assert lp_cells(2999, 498) == 2_000_000
    with pytest.raises(GameError, match=r"^coco on a 2999x498 game needs about 1,000,000,000 steps of exact work \(the 2999 × 498 zero-sum game\); the limit is 200,000,000"):
        check_concept_cost("coco", (2999, 498))
    with pytest.raises(GameError, match=r"^w: coco on a 3000x498 game needs an exact LP of about 2,000,500 tableau cells \(the 3000 × 498 zero-sum game\); the limit is 2,000,000"):
        check_concept_cost("coco", (3000, 498), "w")


def test_the_three_player_rose_work_limit_lies_between_833_and_834_profiles():
    """3! orderings · 2 searches · 20000 nodes · profiles = 240,000 · profiles
    against the limit 200,000,000."""
    assert concept_cost("rose", (1, 1, 1)).work == 240_000
    check_concept_cost("rose", (7, 7, 17))  # 833 profiles: 199,920,000
    with pytest.raises(GameError, match=r"^rose on a 2x3x139 game needs about 200,160,000 steps of exact work \(the branch and bound\); the limit is 200,000,000"):
        check_concept_cost("rose", (2, 3, 139))
    assert concept_cost("rose-joint", (2, 2, 2)).lp_cells == lp_cells(2, 2) == 44


def test_a_twelve_player_cost_message_names_the_shape_and_thirteen_the_player_count():
    """12! · 11 · 20000 = 105,380,352,000,000 branch-and-bound steps."""
    with pytest.raises(GameError, match=r"^rose on a 1x1x1x1x1x1x1x1x1x1x1x1 game needs about 105,380,352,000,000 steps"):
        check_concept_cost("rose", (1,) * 12)
    with pytest.raises(GameError, match=r"^rose on a 13-player game needs about"):
        check_concept_cost("rose", (1,) * 13)


def test_concepts_without_an_estimate_are_never_refused():
    assert concept_cost("nash-bargaining", (1000, 1000)) is None
    assert concept_cost("coco", (2, 2, 2)) is None
    check_concept_cost("user-thing", (10**4, 10**4))


# -- limits: command-line values --------------------------------------------------------------


def test_bounds_up_to_a_million_with_denominators_up_to_a_million_are_accepted():
    assert check_bound("1000000") == 10**6
    assert check_bound("1/1000000") == F(1, 10**6)
    assert check_bound(F(3, 2)) == F(3, 2) and check_bound(5) == 5
    allowed = r"the payoff bound must be a positive rational at most 1,000,000 with denominator at most 1,000,000"
    for text in ("1000001", "1/1000001", "0", "-1"):
        with pytest.raises(GameError, match=rf"^--bound '{text}': {allowed}"):
            check_bound(text)
    with pytest.raises(GameError, match=rf"^-b '1e400': {allowed}"):
        check_bound("1e400", "-b")


def test_a_bound_that_is_not_a_number_says_what_a_bound_looks_like():
    for text, cause in (("abc", "is not a number"), ("1/0", "divides by zero"), ("nan", "is not a finite number")):
        with pytest.raises(GameError, match=rf"^--bound: '{re.escape(text)}' {cause}; the bound must be a positive rational like 10 or 5/2$"):
            check_bound(text)


def test_time_budgets_are_in_zero_to_a_million_seconds():
    check_seconds(None, "--time")
    check_seconds(1e6, "--time")
    check_seconds(1e-9, "--time")
    for value in (0, -1.0, 1e6 + 1, float("nan")):
        with pytest.raises(GameError, match=r"^--time .*: must be a number of seconds in \(0, 1,000,000\]"):
            check_seconds(value, "--time")


def test_counts_run_from_one_to_the_limit():
    check_count(None, "--jobs", 256)
    check_count(1, "--jobs", 256)
    check_count(256, "--jobs", 256)
    for value in (0, 257):
        with pytest.raises(GameError, match=rf"^--jobs {value}: must be a whole number from 1 to 256 "):
            check_count(value, "--jobs", 256)
    with pytest.raises(GameError, match=r"from 1 to 1,000,000,000"):
        check_count(0, "--games", 10**9)


# -- games ------------------------------------------------------------------------------------


def test_to_fraction_takes_rationals_by_numerator_and_denominator():
    class Ratio:
        numerator, denominator = 6, 4

    assert to_fraction(Ratio()) == F(3, 2)
    assert to_fraction(np.int64(7)) == 7
    assert to_fraction(np.float32(0.5)) == F(1, 2)
    with pytest.raises(GameError, match=r"^p: object is not a number$"):
        to_fraction(object(), "p")
    with pytest.raises(GameError, match=r"^payoff: True"):
        to_fraction(True)


def test_game_construction_errors_count_players_and_names():
    with pytest.raises(GameError, match="^a game needs at least one player$"):
        Game((), ())
    with pytest.raises(GameError, match="^a game needs at least one player$"):
        Game.from_arrays([])
    with pytest.raises(GameError, match=r"^3 player names for 2 action sets"):
        Game((("a",), ("b",)), ((0,), (0,)), ("x", "y", "z"))
    with pytest.raises(GameError, match=r"^payoffs are given for 1 players, the game has 2"):
        Game((("a",), ("b",)), ((0,),))


def test_from_arrays_refuses_mismatched_and_ragged_arrays():
    with pytest.raises(GameError, match=r"^payoff array of player 1 has shape \(2, 3\)"):
        Game.from_arrays([[[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]]])
    with pytest.raises(GameError, match="^ragged payoff array$"):
        Game.from_arrays([[[1, 2], [3]], [[1, 2], [3]]])
    with pytest.raises(GameError, match="^player 0 has an empty action set$"):
        Game.from_arrays([[]])
    with pytest.raises(GameError, match="^player 1 has an empty action set$"):
        Game.from_arrays([np.zeros((2, 0)), np.zeros((2, 0))])


def test_from_arrays_reads_numpy_arrays_exactly():
    a = np.array([[2, 0], [0, 1]])
    game = Game.from_arrays([a, np.array([[1, 0], [0, 2]])])
    assert game == Game.from_arrays([[[2, 0], [0, 1]], [[1, 0], [0, 2]]])
    assert game.payoff(1, (1, 1)) == 2


def test_a_game_is_integer_when_every_payoff_is():
    assert BATTLE.is_integer()
    assert not BATTLE.with_payoffs([[2, 0, 0, 1], [1, 0, 0, F(5, 2)]]).is_integer()


def test_game_json_payoffs_are_exact_and_a_bad_one_is_shown_briefly():
    game = witness_game_from_json({"actions": [["a", "b"]], "payoffs": [[0.1, "3/2"]]})
    assert game.payoffs == ((F(1, 10), F(3, 2)),)  # a float is taken as the decimal it was written as
    with pytest.raises(GameError, match=r"^game JSON: payoffs\[0\]\[1\]: True is not a number \(use an exact string like \"3/2\"\)$"):
        witness_game_from_json({"actions": [["a", "b"]], "payoffs": [[0, True]]})
    with pytest.raises(GameError, match=r"^game JSON: payoffs\[0\]\[0\]: \[1, 2\] is not a number"):
        witness_game_from_json({"actions": [["a"]], "payoffs": [[[1, 2]]]})
    sixty = [1] * 20  # '[1, 1, …, 1]' is 60 characters: shown whole
    assert len(json.dumps(sixty)) == 60
    with pytest.raises(GameError, match=rf"^game JSON: payoffs\[0\]\[0\]: {re.escape(json.dumps(sixty))} is not a number"):
        witness_game_from_json({"actions": [["a"]], "payoffs": [[sixty]]})
    long = list(range(40))
    shown = json.dumps(long)[:60] + "… (list)"
    with pytest.raises(GameError, match=rf"^game JSON: payoffs\[0\]\[0\]: {re.escape(shown)} is not a number"):
        witness_game_from_json({"actions": [["a"]], "payoffs": [[long]]})


def test_a_payoff_function_must_give_one_value_per_player():
    with pytest.raises(GameError, match=r"^payoff function gave 1 values for 2 players$"):
        Game.from_function((2, 2), lambda p: [0])


# -- transforms -------------------------------------------------------------------------------


def test_a_coalition_with_an_outside_player_is_refused():
    with pytest.raises(GameError, match=r"^coalition \[0, 3\] names a player outside 0\.\.2$"):
        coalition_layout((2, 2, 2), [0, 3])
    with pytest.raises(GameError, match=r"outside 0\.\.1"):
        coalition_layout((2, 2), [-1])


def test_player_and_action_indices_are_checked():
    with pytest.raises(GameError, match=r"^player must be a player index, not True$"):
        identical_players(BATTLE, True, 0)
    with pytest.raises(GameError, match=r"^player 2 is outside 0\.\.1$"):
        identical_players(BATTLE, 0, 2)
    with pytest.raises(GameError, match=r"^player 0 has no action 2 \(it has 2\)$"):
        add_duplicate_action(BATTLE, 0, 2)
    with pytest.raises(GameError, match=r"^player 0 has no action -1 \(it has 2\)$"):
        add_duplicate_action(BATTLE, 0, -1)  # not Python's last element
    with pytest.raises(GameError, match=r"^player 0 has no action 'X'; its actions are \['T', 'B'\]$"):
        add_duplicate_action(BATTLE, 0, "X")


def test_a_player_is_identical_to_itself_even_in_an_asymmetric_game():
    assert identical_players(BATTLE, 1, 1)
    assert not identical_players(BATTLE, 0, 1)
    swapped = Game.from_arrays([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])  # U2 = U1ᵀ
    assert identical_players(swapped, 0, 1)


def test_a_duplicate_is_labelled_like_its_original_unless_named():
    assert add_duplicate_action(BATTLE, 0, 1).actions[0] == ("T", "B", "B#2")
    assert add_duplicate_action(BATTLE, 1, "L", "copy").actions[1] == ("L", "R", "copy")
    assert add_duplicate_action(BATTLE, 1, "L").payoffs[1] == (1, 0, 1, 0, 2, 0)


def test_new_action_labels_skip_taken_numbers():
    game = extend_actions(BATTLE, 0, [[[0, 0], [0, 0]]], ["T"])
    assert game.actions[0] == ("T", "B", "T#2")
    game = extend_actions(game, 0, [[[0, 0], [0, 0]]], ["T"])
    assert game.actions[0] == ("T", "B", "T#2", "T#3")


def test_extend_actions_checks_labels_and_payoff_tuples():
    with pytest.raises(GameError, match=r"^2 labels for 1 new actions$"):
        extend_actions(BATTLE, 0, [[[0, 0], [0, 0]]], ["a", "b"])
    with pytest.raises(GameError, match=r"^new action 0 against \(1,\): 3 payoffs for 2 players$"):
        extend_actions(BATTLE, 0, [[[0, 0], [0, 0, 0]]])
    with pytest.raises(GameError, match=r"^new action 0 has 1 payoff tuples; the other players have 2 joint profiles$"):
        extend_actions(BATTLE, 0, [[[0, 0]]])


def test_payoff_map_parameters_must_all_have_values():
    with pytest.raises(GameError, match=r"^payoff map parameters without a value: c0, c1$"):
        evaluate_payoff_map(shift_map((2, 2)), BATTLE.payoffs, {})
    assert evaluate_payoff_map(shift_map((2, 2)), BATTLE.payoffs, {"c0": 1, "c1": F(-1, 2)})[1] == [F(1, 2), F(-1, 2), F(-1, 2), F(3, 2)]


def test_conditional_threat_penalties_list_one_amount_per_other_player():
    three = Game.from_function((2, 1, 1), lambda p: [0, 0, 0])
    with pytest.raises(GameError, match=r"^penalties against \(0, 0\) list 1 amounts for 2 other players$"):
        conditional_threat_game(three, 0, 0, [[1]])
    game = conditional_threat_game(three, 0, 1, [[1, 2]])
    assert game.actions[0][-1] == "2|threat" and game.outcome((2, 0, 0)) == (0, -1, -2)


def test_payment_amounts_must_be_non_negative_and_zero_adds_nothing():
    with pytest.raises(GameError, match=r"^the payment amount must be non-negative, not -1/2$"):
        payment_game(BATTLE, "-1/2")
    titled = Game(BATTLE.actions, BATTLE.payoffs, BATTLE.players, "Battle")
    same = payment_game(titled, 0)
    assert same.shape == (2, 2) and same.payoffs == BATTLE.payoffs and same.title == "Battle payment game"


def test_parallel_sums_need_the_same_player_count():
    with pytest.raises(GameError, match=r"^parallel sum of a 2-player and a 3-player game$"):
        parallel_sum(BATTLE, Game.from_function((1, 1, 1), lambda p: [0, 0, 0]))


def test_a_null_player_goes_last_by_default_and_a_position_outside_is_refused():
    game = add_null_player(BATTLE)
    assert game.shape == (2, 2, 1) and game.payoffs[2] == (0, 0, 0, 0)
    assert add_null_player(BATTLE, 2) == game
    assert add_null_player(BATTLE, 0).shape == (1, 2, 2)
    for position in (3, -1, True):
        with pytest.raises(GameError, match=rf"^null player position {position!r} is outside 0\.\.2$"):
            add_null_player(BATTLE, position)


THREE = Game.from_function((2, 1, 2), lambda p: [p[0] + 2 * p[2], 3 * p[0] - p[2], 5 - p[0] * p[2]])


def test_transform_argument_errors_name_the_numbers():
    with pytest.raises(GameError, match=r"^caps must be an 2x2 matrix \(one row and column per player\)$"):
        destruction_game(BATTLE, [[0, 1]])
    with pytest.raises(GameError, match=r"^caps must be an 2x2 matrix"):
        destruction_game(BATTLE, [[0, 1], [0]])
    with pytest.raises(GameError, match=r"^caps\[1\]\[0\] = -1/2 is negative$"):
        destruction_game(BATTLE, [[0, 0], ["-1/2", 0]])
    assert destruction_game(BATTLE, [["-3", 0], [0, "3"]]).shape == (2, 2)  # the diagonal is ignored
    assert destruction_game(BATTLE, [[0, 0], ["1/2", 0]]).actions[1] == ("L", "L|burn1", "R", "R|burn1")
    with pytest.raises(GameError, match=r"^the scale factor must be positive, not 0$"):
        scale_game(BATTLE, 0)
    assert scale_game(BATTLE, "1/1000").payoff(0, (0, 0)) == F(2, 1000)
    with pytest.raises(GameError, match=r"^\[0, 0\] is not a permutation of 0\.\.1$"):
        permute_players(BATTLE, [0, 0])
    with pytest.raises(GameError, match=r"^mixture weights must be non-negative: \['3/2', '-1/2'\]$"):
        add_mixture_action(BATTLE, 0, ["3/2", "-1/2"])
    assert add_mixture_action(BATTLE, 0, [1, 0]).actions[0] == ("T", "B", "mix")
    with pytest.raises(GameError, match=r"^parallel-sum weights must be non-negative, not d=1, e=-1$"):
        parallel_sum(BATTLE, BATTLE, 1, -1)
    with pytest.raises(GameError, match=r"^parallel-sum weights must be non-negative, not d=-1, e=0$"):
        parallel_sum(BATTLE, BATTLE, -1, 0)


def test_a_coalition_of_player_one_alone_plays_against_player_two():
    game = coalition_game(BATTLE, [0])
    assert game.actions == (("T", "B"), ("L", "R")) and game.players == ("{Player 1}", "{Player 2}")
    assert game.payoffs == BATTLE.payoffs
    empty = coalition_game(BATTLE, [])
    assert empty.actions == (("-",), ("T+L", "T+R", "B+L", "B+R")) and empty.payoffs == ((0, 0, 0, 0), (3, 0, 0, 3))


def test_the_parallel_sum_weighs_both_games():
    game = parallel_sum(BATTLE, BATTLE, 2, 3)
    assert game.shape == (4, 4) and game.actions[0][1] == "T&B"
    # action 1 is T&B for player 1 and L&R for player 2: G is played at (T, L), H at (B, R):
    # 2·2 + 3·1 = 7 and 2·1 + 3·2 = 8
    assert game.actions[1][1] == "L&R" and game.outcome((1, 1)) == (7, 8)


def test_the_three_player_identity_check_looks_at_the_third_player():
    """Players 1 and 2 mirror each other, but player 3 is paid only when player 1 plays 1."""
    mirror = Game.from_function((2, 2, 2), lambda p: [p[0] - p[1], p[1] - p[0], p[0]])
    assert not identical_players(mirror, 0, 1)
    fair = Game.from_function((2, 2, 2), lambda p: [p[0] - p[1], p[1] - p[0], p[0] + p[1]])
    assert identical_players(fair, 0, 1)


@pytest.mark.parametrize("position", [0, 1, 2, 3])
def test_the_null_player_map_builds_the_null_player_game(position):
    pmap = null_player_map(THREE.shape, position)
    assert pmap.shape == add_null_player(THREE, position).shape
    assert evaluate_payoff_map(pmap, THREE.payoffs) == [list(r) for r in add_null_player(THREE, position).payoffs]


def test_the_payment_map_builds_the_payment_game():
    for game in (BATTLE, THREE):
        pmap = payment_map(game.shape)
        assert pmap.params == ("T",)
        expected = [list(r) for r in payment_game(game, F(5, 2)).payoffs]
        assert evaluate_payoff_map(pmap, game.payoffs, {"T": F(5, 2)}) == expected


def test_a_two_player_payment_game_moves_the_amount_between_the_players():
    """Each player may pay the other 2 or nothing: row 'T' paying against 'L'
    not paying gives (2 − 2, 1 + 2)."""
    game = payment_game(BATTLE, 2)
    assert game.shape == (4, 4)
    paid = [a for a in range(4) if game.actions[0][a] != "T" and game.actions[0][a].startswith("T")][0]
    assert game.outcome((paid, 0)) == (0, 3)
    assert game.outcome((0, 0)) == (2, 1)


# -- desiderata: base -------------------------------------------------------------------------


def test_exceeds_is_strict():
    assert exceeds(F(1, 2), F(1, 3)) and not exceeds(F(1, 2), F(1, 2))


def test_game_from_json_returns_a_game_as_is_and_jsonify_writes_games_and_decimals():
    assert game_from_json(BATTLE) is BATTLE
    assert game_from_json(jsonify(BATTLE)) == BATTLE
    assert jsonify({"d": Decimal("1.5"), 3: (F(1, 3), 0.25, None, True)}) == {"d": "3/2", "3": ["1/3", "1/4", None, True]}


def test_a_missing_parameter_is_named_or_takes_its_default():
    with pytest.raises(GameError, match=r"^parameter 'factor' is missing$"):
        param_fraction({}, "factor")
    assert param_fraction({}, "d", "3/2") == F(3, 2)
    assert param_fraction({"d": "1/3"}, "d", 5) == F(1, 3)
    with pytest.raises(GameError, match=r"^parameter 'd': 'x' is not a number$"):
        param_fraction({"d": "x"}, "d")


def test_the_base_desideratum_needs_a_check_and_a_parameter_object():
    base = Desideratum()
    with pytest.raises(NotImplementedError):
        base.check(None, BATTLE, {})
    base.id = "demo"
    assert repr(base) == "<desideratum demo>"
    with pytest.raises(GameError, match=r"^parameters of demo must be a JSON object, not list$"):
        base.params_from_json([1])
    assert base.params_from_json({"x": F(1, 2)}) == {"x": "1/2"}


def test_a_transform_invariance_subclass_must_give_its_transformation():
    invariance = TransformInvariance()
    assert invariance.structures((2, 2)) == []
    for call in (lambda: invariance.transformed(BATTLE, {}), lambda: invariance.describe(BATTLE, {}),
                 lambda: invariance.payoff_map((2, 2), {}), lambda: invariance.params_for({}, {})):
        with pytest.raises(NotImplementedError):
            call()


def test_an_invariance_violation_beyond_the_error_bounds_records_them():
    """A constant (0, 0) with error 1/4: after shifting by (1, 0) player 1
    should get 1 ± 1/4 but gets 0 ± 1/4; 1 − 1/4 − 1/4 > 0."""
    shift = get_desideratum("shift")
    concept = toy("flat", with_error(lambda g: [0] * g.n_players, F(1, 4)))
    violation = shift.check(concept, BATTLE, {"shifts": ["1", "0"]})
    assert violation.gap == 1
    assert violation.values["error_bounds"] == ["1/4", "1/4"]
    assert violation.values["expected"] == ["1", "0"]
    assert violation.message.endswith("Player 1's value is off by 1")
    wide = toy("flat", with_error(lambda g: [0] * g.n_players, F(1, 2)))
    assert shift.check(wide, BATTLE, {"shifts": ["1", "0"]}) is None  # 1 − 1/2 − 1/2 = 0
    once = toy("flat", uncertain_on_battle(lambda g: [0] * g.n_players))
    assert shift.check(once, BATTLE, {"shifts": ["1", "0"]}).values["error_bounds"] == ["1/4", "0"]
    exact = toy("flat", lambda g: [0] * g.n_players)
    assert "error_bounds" not in shift.check(exact, BATTLE, {"shifts": ["1", "0"]}).values


def test_a_player_parameter_must_be_an_index_of_the_game():
    assert param_player({"player": 1}, BATTLE) == 1 and param_player({"p": 0}, BATTLE, "p") == 0
    for value in (2, -1, True, "0", None):
        with pytest.raises(GameError, match=rf"^parameter 'player' = {re.escape(repr(value))} is not a player index 0\.\.1$"):
            param_player({"player": value}, BATTLE)


def test_the_payoff_range_spans_all_players_and_is_one_for_a_constant_game():
    assert payoff_range(BATTLE) == 2
    assert payoff_range(Game.from_arrays([[[1, 5]], [[-3, 0]]])) == 8
    assert payoff_range(Game.from_arrays([[[7, 7]], [[7, 7]]])) == 1


def test_a_certain_gap_must_exceed_the_sum_of_the_error_bounds():
    a, b = Valuation((F(0),), "numeric", F(1, 3)), Valuation((F(0),), "numeric", F(1, 6))
    assert not certain_gap(F(1, 2), a, b) and certain_gap(F(1, 2) + F(1, 10**9), a, b)
    assert certain_gap(F(1, 10**9)) and not certain_gap(F(0))


def test_first_distinct_keeps_the_first_count_distinct_parameter_sets():
    items = [{"x": F(1, 2)}, {"x": "1/2"}, {"x": 1}, {"x": 2}, {"x": 3}]
    assert first_distinct(items, 2) == [{"x": F(1, 2)}, {"x": 1}]
    assert first_distinct(items, 10) == [{"x": F(1, 2)}, {"x": 1}, {"x": 2}, {"x": 3}]


def test_a_null_player_applies_only_when_the_concept_takes_one_more_player():
    null = get_desideratum("null-player")
    assert null.applies(Concept("c", "c", "", lambda g: [0] * g.n_players, 2, 3), BATTLE)
    assert not null.applies(Concept("c", "c", "", lambda g: [0] * g.n_players, 2, 2), BATTLE)
    assert not null.applies(Concept("c", "c", "", lambda g: [0] * g.n_players, 4, None), BATTLE)
    assert not null.applies(Concept("c", "c", "", lambda g: [0] * g.n_players, 3, None), BATTLE)  # G itself too
    assert null.applies(Concept("c", "c", "", lambda g: [0] * g.n_players, 2, None), BATTLE)


# -- desiderata: invariance -------------------------------------------------------------------


def test_the_shift_proof_parameters_become_a_shift_vector():
    assert get_desideratum("shift").params_for({}, {"c0": F(1), "c1": F(-2)}) == {"shifts": [1, -2]}


def test_redundancy_structures_are_duplicates_and_one_mixture_per_player_with_two_actions():
    redundancy = get_desideratum("redundancy")
    assert redundancy.structures((2, 1)) == [
        {"player": 0, "duplicate": 0}, {"player": 0, "duplicate": 1}, {"player": 0, "mixture": True},
        {"player": 1, "duplicate": 0},
    ]
    assert redundancy.parameter_domain((3, 2), {"player": 0, "mixture": True}, F(5)) == {
        "w0": ("simplex", "w"), "w1": ("simplex", "w"), "w2": ("simplex", "w")}
    assert redundancy.parameter_domain((3, 2), {"player": 0, "duplicate": 1}, F(5)) == {}
    assert redundancy.params_for({"player": 1, "duplicate": 0}, {}) == {"player": 1, "duplicate": 0}
    assert redundancy.params_for({"player": 1, "mixture": True}, {"w0": F(1, 3), "w1": F(2, 3)}) == {
        "player": 1, "weights": [F(1, 3), F(2, 3)]}
    assert redundancy.scope_note(F(3)) == "every duplicate of an action and every mixture action of every player"


def test_redundancy_payoff_maps_build_the_same_games_as_the_exact_transformations():
    redundancy = get_desideratum("redundancy")
    duplicate = redundancy.payoff_map((2, 2), {"player": 1, "duplicate": 0})
    assert duplicate.shape == (2, 3)
    assert evaluate_payoff_map(duplicate, BATTLE.payoffs) == [list(r) for r in add_duplicate_action(BATTLE, 1, 0).payoffs]
    mixture = redundancy.payoff_map((2, 2), {"player": 0, "mixture": True})
    weights = {"w0": F(1, 4), "w1": F(3, 4)}
    assert evaluate_payoff_map(mixture, BATTLE.payoffs, weights) == [
        list(r) for r in add_mixture_action(BATTLE, 0, [F(1, 4), F(3, 4)]).payoffs]


def test_redundancy_needs_weights_or_a_duplicate():
    with pytest.raises(GameError, match=r"^redundancy needs 'weights' \(a list\) or 'duplicate' \(an action index\)$"):
        get_desideratum("redundancy").transformed(BATTLE, {"player": 0, "weights": "1/2"})


def test_money_and_null_player_proof_scopes_are_stated_exactly():
    money = get_desideratum("money")
    assert money.params_for({}, {"T": F(5, 2)}) == {"amount": F(5, 2)}
    assert money.scope_note(F(5)) == "every payment amount T in (0, 5]"
    assert money.parameter_domain((2, 2), {}, F(5)) == {"T": ("interval", 0, 5, True)}
    null = get_desideratum("null-player")
    assert null.transformed(BATTLE, {"position": 2}).shape == (2, 2, 1)
    assert null.transformed(BATTLE, {"position": 0}).shape == (1, 2, 2)
    assert null.transformed(BATTLE, {}).shape == (2, 2, 1)
    assert null.scope_note(F(5)) == "a null player inserted at every position"
    for position in (3, -1, True, "1"):
        with pytest.raises(GameError, match=rf"^null-player position {re.escape(repr(position))} is outside 0\.\.2$"):
            null.transformed(BATTLE, {"position": position})


def test_every_invariance_describes_its_transformation_with_exact_numbers():
    d = get_desideratum
    assert d("shift").describe(BATTLE, {"shifts": ["1", "-1/2"]}) == "after adding (1, -1/2) to the players' payoffs"
    assert d("scale").describe(BATTLE, {"factor": "3/2"}) == "after multiplying every payoff by 3/2"
    assert d("redundancy").describe(BATTLE, {"player": 0, "duplicate": 1}) == "after giving Player 1 a duplicate of action 1"
    assert d("redundancy").describe(BATTLE, {"player": 1, "weights": ["1/3", "2/3"]}) == (
        "after giving Player 2 the mixture action with weights (1/3, 2/3)")
    assert d("threat").describe(BATTLE, {"caps": [["0", "4"], ["1/2", "0"]]}) == (
        "in the destruction game (Player 1 burns Player 2 by 4; Player 2 burns Player 1 by 1/2)")
    assert d("threat").describe(BATTLE, {"caps": [["5", "0"], ["0", "5"]]}) == "in the destruction game (no buttons)"
    assert d("money").describe(BATTLE, {"amount": "5/2"}) == "in the payment game with amount 5/2"
    assert d("null-player").describe(BATTLE, {"position": 0}) == "after inserting a null player at position 0"
    assert d("shift").scope_note(F(3, 2)) == "every shift vector c with c_i in [-3/2, 3/2]"


def test_scale_covariance_scales_the_error_bound_with_the_values():
    """A constant (1, 0) ± e: after scaling by 3 it should be (3, 0) ± 3e, and
    is (1, 0) ± e: off by 2, certain when 2 > 3e + e."""
    scale = get_desideratum("scale")
    certain = scale.check(toy("flat", with_error(lambda g: [1, 0], F(1, 4))), BATTLE, {"factor": "3"})
    assert certain.gap == 2 and certain.values["expected"] == ["3", "0"]
    assert scale.check(toy("flat", with_error(lambda g: [1, 0], F(1, 2))), BATTLE, {"factor": "3"}) is None


def test_a_null_player_with_a_value_is_reported_at_its_position():
    """Values 1 ± 1/4 for everyone: the inserted player should get exactly 0
    (no slack of its own), so it is off by 1 > 1/4; the others match."""
    null = get_desideratum("null-player")
    concept = toy("ones", with_error(lambda g: [1] * g.n_players, F(1, 4)))
    violation = null.check(concept, BATTLE, {"position": 0})
    assert violation.gap == 1 and violation.values["expected"] == ["0", "1", "1"]
    assert violation.message.endswith("where null player requires (0, 1, 1): Null's value is off by 1")
    last = null.check(concept, BATTLE, {"position": 2})
    assert last.values["expected"] == ["1", "1", "0"] and last.message.endswith("Null's value is off by 1")
    half = toy("ones", with_error(lambda g: [1] * g.n_players, F(1, 2)))
    for position in (0, 1, 2):  # off by 1 > 0 (its own slack) + 1/2 (the valuation's)
        assert null.check(half, BATTLE, {"position": position}).gap == 1
    fair = toy("ones", with_error(lambda g: [1] * g.n_players, F(1)))
    assert null.check(fair, BATTLE, {"position": 1}) is None  # 1 − 0 (its own slack) − 1 = 0


# -- desiderata: monotonicity -----------------------------------------------------------------


def fewer_actions_worse(game):
    """Player 1's value falls by 1 with each action it has."""
    return [-game.shape[0]] + [0] * (game.n_players - 1)


def test_monotonicity_needs_rows():
    for params in ({"player": 0}, {"player": 0, "rows": []}, {"player": 0, "rows": "x"}):
        with pytest.raises(GameError, match=r"^'rows' must list the new actions"):
            get_desideratum("monotonicity").transform(BATTLE, params)


def test_a_monotonicity_loss_beyond_the_error_bounds_is_a_violation_that_records_them():
    monotone = get_desideratum("monotonicity")
    rows = [[["0", "0"], ["0", "0"]]]
    certain = toy("shrinking", with_error(fewer_actions_worse, F(1, 4)))
    violation = monotone.check(certain, BATTLE, {"player": 0, "rows": rows})
    assert violation.gap == 1 and violation.values["error_bounds"] == ["1/4", "1/4"]
    assert violation.message == "giving Player 1 1 extra action lowers its shrinking value from -2 to -3"
    two = monotone.check(certain, BATTLE, {"player": 0, "rows": rows * 2})
    assert two.gap == 2 and "2 extra actions lowers" in two.message
    unsure = toy("shrinking", with_error(fewer_actions_worse, F(1, 2)))
    assert monotone.check(unsure, BATTLE, {"player": 0, "rows": rows}) is None
    exact = toy("shrinking", fewer_actions_worse)
    assert "error_bounds" not in monotone.check(exact, BATTLE, {"player": 0, "rows": rows}).values
    once = toy("shrinking", uncertain_on_battle(fewer_actions_worse))
    assert monotone.check(once, BATTLE, {"player": 0, "rows": rows}).values["error_bounds"] == ["1/4", "0"]


def test_first_initiative_monotonicity_uses_a_registered_initiative_function(monkeypatch):
    first = get_desideratum("monotonicity-first")
    concept = toy("initiative-toy", fewer_actions_worse)

    def initiative(game, ordering):
        return fewer_actions_worse(game), [F(1, 8)] * game.n_players

    assert first.check(concept, BATTLE, {"player": 0, "rows": [[["0", "0"], ["0", "0"]]]}) is None
    assert not first.applies(concept, BATTLE)
    monkeypatch.setitem(monotonicity.INITIATIVE_VALUES, "initiative-toy", initiative)
    monotonicity._INITIATIVE_CACHE.clear()
    assert first.applies(concept, BATTLE)
    violation = first.check(concept, BATTLE, {"player": 0, "rows": [[["0", "0"], ["0", "0"]]], "ordering": [0, 1]})
    assert violation.gap == 1
    assert violation.values == {"initiative_original": ["-2", "0"], "initiative_extended": ["-3", "0"],
                                "ordering": ["0", "1"], "error_bounds": ["1/8", "1/8"]}
    assert violation.message == ("moving first, Player 1 has initiative-toy initiative value -2, "
                                 "but only -3 after gaining extra actions")
    monotonicity._INITIATIVE_CACHE.clear()


def test_first_initiative_violations_need_a_loss_beyond_both_error_bounds(monkeypatch):
    first = get_desideratum("monotonicity-first")
    concept = toy("initiative-toy", fewer_actions_worse)
    params = {"player": 0, "rows": [[["0", "0"], ["0", "0"]]]}
    errors = {}

    def initiative(game, ordering):
        return fewer_actions_worse(game), [errors[game.shape[0]]] * game.n_players

    monkeypatch.setitem(monotonicity.INITIATIVE_VALUES, "initiative-toy", initiative)
    for before, after, bounds in ((F(1, 2), F(1, 2), None), (F(1, 4), F(0), ["1/4", "0"]), (F(0), F(1, 4), ["0", "1/4"]),
                                  (F(0), F(0), "none")):
        errors.update({2: before, 3: after})
        monotonicity._INITIATIVE_CACHE.clear()
        violation = first.check(concept, BATTLE, params)
        if bounds is None:
            assert violation is None  # a loss of 1 within 1/2 + 1/2
        elif bounds == "none":
            assert "error_bounds" not in violation.values
        else:
            assert violation.values["error_bounds"] == bounds
    monotonicity._INITIATIVE_CACHE.clear()


def test_initiative_values_are_computed_once_per_game_and_ordering(monkeypatch):
    first = get_desideratum("monotonicity-first")
    concept = toy("initiative-toy", fewer_actions_worse)
    calls = []

    def initiative(game, ordering):
        calls.append((game.shape, tuple(ordering)))
        return fewer_actions_worse(game), [F(0)] * game.n_players

    monkeypatch.setitem(monotonicity.INITIATIVE_VALUES, "initiative-toy", initiative)
    monotonicity._INITIATIVE_CACHE.clear()
    params = {"player": 0, "rows": [[["0", "0"], ["0", "0"]]]}
    first.check(concept, BATTLE, params)
    first.check(concept, BATTLE, params)
    assert calls == [((2, 2), (0, 1)), ((3, 2), (0, 1))]
    monotonicity._INITIATIVE_CACHE.clear()


def test_n_player_rose_initiative_values_are_mapped_from_ranks_to_players(monkeypatch):
    from types import SimpleNamespace

    from bargaincheck.specs.concepts import rose as rose_module

    seen = []

    def fake_initiative_values(game, ordering, joint):
        seen.append((tuple(ordering), joint))
        return SimpleNamespace(values=[F(10), F(20), F(30)], errors=[F(1), F(2), F(3)])

    monkeypatch.setattr(rose_module, "initiative_values", fake_initiative_values)
    three = Game.from_function((1, 1, 1), lambda p: [0, 0, 0])
    values, errors = monotonicity.initiative_function(get_concept("rose"), three)(three, [2, 0, 1])
    assert values == [20, 30, 10] and errors == [2, 3, 1]  # rank 0 is player 3, rank 1 player 1, rank 2 player 2
    monotonicity.initiative_function(get_concept("rose-joint"), three)(three, [0, 1, 2])
    assert seen == [((2, 0, 1), False), ((0, 1, 2), True)]


def test_first_initiative_orderings_must_start_with_the_player():
    first = get_desideratum("monotonicity-first")
    for ordering in ([1, 0], [0, 0], [0]):
        with pytest.raises(GameError, match=rf"^ordering {re.escape(repr(ordering))} must be a permutation of the players starting with 0$"):
            first._ordering(BATTLE, {"player": 0, "ordering": ordering})
    assert first._ordering(BATTLE, {"player": 1}) == [1, 0]


def test_without_the_n_player_rose_two_player_rose_uses_the_exact_formula(monkeypatch):
    from bargaincheck.specs.concepts import rose as rose_module
    from bargaincheck.specs.concepts.basic import total_surplus
    from bargaincheck.specs.concepts.rose2 import rose2_initiative_values

    monkeypatch.delattr(rose_module, "initiative_values")
    rose, joint = get_concept("rose"), get_concept("rose-joint")
    function = monotonicity.initiative_function(rose, BATTLE)
    assert function is monotonicity._two_player_rose_initiative
    assert monotonicity.initiative_function(joint, BATTLE) is None
    assert monotonicity.initiative_function(rose, Game.from_function((1, 1, 1), lambda p: [0, 0, 0])) is None
    s = rose2_initiative_values(BATTLE)
    for leader in (0, 1):
        values, errors = function(BATTLE, [leader, 1 - leader])
        assert values[leader] == s[leader] and values[1 - leader] == total_surplus(BATTLE) - s[leader] == 3 - s[leader]
        assert errors == [0, 0]


def test_a_conditional_threat_needs_an_action_and_penalties():
    threat = get_desideratum("conditional-threat")
    for params in ({"player": 0, "action": 0}, {"player": 0, "penalties": [["1"], ["1"]]}):
        with pytest.raises(GameError, match=r"^conditional-threat needs 'action' and 'penalties'$"):
            threat.transform(BATTLE, params)


def test_a_conditional_threat_gain_beyond_the_error_bounds_is_a_violation_that_records_them():
    threat = get_desideratum("conditional-threat")
    more_is_better = toy("growing", with_error(lambda g: [g.shape[0]] + [0] * (g.n_players - 1), F(1, 4)))
    params = {"player": 0, "action": 1, "penalties": [["1"], ["0"]]}
    violation = threat.check(more_is_better, BATTLE, params)
    assert violation.gap == 1 and violation.values["error_bounds"] == ["1/4", "1/4"]
    assert violation.values["original"] == ["2", "0"] and violation.values["threat"] == ["3", "0"]
    assert "a copy of Player 1's action 'B' that punishes" in violation.message
    assert violation.message.endswith("raises its growing value from 2 to 3")
    by_label = threat.check(more_is_better, BATTLE, {**params, "action": "T"})
    assert "action 'T'" in by_label.message
    unsure = toy("growing", with_error(lambda g: [g.shape[0], 0], F(1, 2)))
    assert threat.check(unsure, BATTLE, params) is None
    once = toy("growing", uncertain_on_battle(lambda g: [g.shape[0], 0]))
    assert threat.check(once, BATTLE, params).values["error_bounds"] == ["1/4", "0"]
    exact = toy("growing", lambda g: [g.shape[0], 0])
    assert "error_bounds" not in threat.check(exact, BATTLE, params).values


# -- desiderata: structure and continuity -----------------------------------------------------


def test_linearity_needs_a_second_game_the_concept_accepts():
    linearity = get_desideratum("linearity")
    with pytest.raises(GameError, match=r"^linearity needs 'other': the second game H as game JSON$"):
        linearity.transform(BATTLE, {})

    class SquareGamesOnly(Concept):
        def accepts(self, game):
            return len(set(game.shape)) == 1

    picky = SquareGamesOnly("picky", "picky", "square games only", lambda g: [0, 0], 2, 2)
    other = jsonify(Game.from_function((2, 1), lambda p: [0, 0]))
    with pytest.raises(GameError, match=r"^concept picky does not accept the second game H$"):
        linearity.check(picky, BATTLE, {"other": other})


def test_a_linearity_violation_records_the_error_bounds():
    """A value k² ± 1/8 for player 1 with k actions: G = H = BATTLE give 4
    each, their parallel sum (4 × 4 actions) 16 instead of 4 + 4; the value k
    is linear (2 + 2 = 4)."""
    linearity = get_desideratum("linearity")
    square = toy("square", with_error(lambda g: [g.shape[0] ** 2, 0], F(1, 8)))
    violation = linearity.check(square, BATTLE, {"other": jsonify(BATTLE)})
    assert violation.gap == 8
    assert violation.values["error_bounds"] == ["1/8", "1/8", "1/8"]
    assert violation.values["parallel"] == ["16", "0"] and violation.values["expected"] == ["8", "0"]
    edge = toy("square", with_error(lambda g: [g.shape[0] ** 2, 0], F(8, 3)))
    assert linearity.check(edge, BATTLE, {"other": jsonify(BATTLE)}) is None  # gap 8 = 3 · 8/3
    linear = toy("linear", with_error(lambda g: [g.shape[0], 0], F(1, 8)))
    assert linearity.check(linear, BATTLE, {"other": jsonify(BATTLE)}) is None


def test_symmetry_finds_nothing_to_check_without_identical_players():
    symmetry = get_desideratum("symmetry")
    lopsided = Game.from_arrays([[[1, 2], [3, 4]], [[0, 0], [0, 0]]])
    assert symmetry.check(toy("any", lambda g: [1, 0]), lopsided, {}) is None
    assert symmetry.check(toy("any", lambda g: [1, 0]), BATTLE, {}).gap == 1  # BATTLE's players are identical


def test_continuity_needs_one_delta_row_per_player():
    continuity = get_desideratum("continuity")
    for delta in (None, [[0, 0, 0, 0]], "x"):
        with pytest.raises(GameError, match=r"^continuity needs 'delta': one list of payoff changes per player \(2\)$"):
            continuity.transform(BATTLE, {"delta": delta})
    with pytest.raises(GameError, match=r"^delta\[1\] must list 4 payoff changes \(storage order\)$"):
        continuity.transform(BATTLE, {"delta": [[0] * 4, [0] * 3]})


def test_a_continuity_jump_records_the_error_bounds():
    """A value that is 0 unless player 1's first payoff is exactly 2, then 100:
    ε = 1/100 moves it by 100 > L·ε + 2·(1/4) with L = 20."""
    continuity = get_desideratum("continuity")
    jumpy = toy("jumpy", with_error(lambda g: [0 if g.payoffs[0][0] == 2 else 100, 0], F(1, 4)))
    delta = [["1/100", "0", "0", "0"], ["0"] * 4]
    violation = continuity.check(jumpy, BATTLE, {"delta": delta})
    assert violation.gap == 100 - F(20, 100)
    assert violation.values["error_bounds"] == ["1/4", "1/4"]
    assert violation.values["jump"] == ["100"] and violation.values["lipschitz"] == ["20"]
    edge = toy("jumpy", with_error(lambda g: [0 if g.payoffs[0][0] == 2 else 100, 0], F(499, 10)))
    assert continuity.check(edge, BATTLE, {"delta": delta}) is None  # 100 − 1/5 = 2 · 499/10
    once = toy("jumpy", uncertain_on_battle(lambda g: [0 if g.payoffs[0][0] == 2 else 100, 0]))
    assert continuity.check(once, BATTLE, {"delta": delta}).values["error_bounds"] == ["1/4", "0"]
    exact = toy("jumpy", lambda g: [0 if g.payoffs[0][0] == 2 else 100, 0])
    assert "error_bounds" not in continuity.check(exact, BATTLE, {"delta": delta}).values


# -- nfg, witness JSON, fileio ----------------------------------------------------------------


def test_nfg_strategy_counts_must_be_whole_numbers():
    with pytest.raises(NfgError, match=r"strategy count '3/2' is not a whole number"):
        parse_nfg('NFG 1 R "t" { "a" "b" } { 2 3/2 }\n0 0 0 0')
    with pytest.raises(NfgError, match=r"strategy count '-1' is not a whole number"):
        parse_nfg('NFG 1 R "t" { "a" "b" } { 2 -1 }\n0 0 0 0')


def test_nfg_text_of_exactly_the_token_limit_is_tokenized_and_one_token_more_is_not(monkeypatch):
    """The header `NFG 1 R "t" { "a" } { 1 }` is 10 tokens; the limit is
    lowered to 20 to keep the test fast (610,000 = 6 · 100,000 + 10,000 by default)."""
    from bargaincheck.specs import nfg

    assert nfg.MAX_TOKENS == 610_000
    monkeypatch.setattr(nfg, "MAX_TOKENS", 20)
    header = 'NFG 1 R "t" { "a" } { 1 }\n'
    with pytest.raises(NfgError, match=r"^<string>: expected 1 payoffs for shape 1, found 10$"):
        parse_nfg(header + "0 " * 10)
    with pytest.raises(NfgError, match=r"^<string>: more than 20 tokens; a game of at most 100,000 payoffs needs fewer"):
        parse_nfg(header + "0 " * 11)


def test_an_nfg_file_in_latin_1_is_read(tmp_path):
    path = tmp_path / "old.nfg"
    path.write_bytes('NFG 1 R "caf\xe9" { "A" "B" } { 1 1 }\n1 2'.encode("latin-1"))
    game = read_nfg(path)
    assert game.title == "caf\xe9" and game.payoffs == ((1,), (2,))


def test_an_nfg_game_with_labelled_strategies_above_the_size_limit_is_an_nfg_error():
    players = " ".join(f'"p{i}"' for i in range(17))
    strategies = ' { "a" "b" }' * 17
    text = f'NFG 1 R "t" {{ {players} }} {{{strategies} }}\n'
    with pytest.raises(NfgError, match=r"^<string>: a 17-player game has 2,228,224 payoffs \(profiles × players\); the limit is 100,000"):
        parse_nfg(text)


def test_witness_json_refuses_long_integers_and_non_utf8_files(tmp_path):
    with pytest.raises(GameError, match=r"^t: invalid JSON: an integer of 1001 digits has more than 1000"):
        parse_json_text("[" + "1" * 1001 + "]", "t")
    with pytest.raises(GameError, match=r"^t: invalid JSON: an integer of about 10\^999 is too large"):
        parse_json_text("[-" + "1" * 1000 + "]", "t")  # 1000 digits: read, then too large
    assert parse_json_text("[-" + "9" * 300 + "]", "t") == [1 - 10**300]
    with pytest.raises(GameError, match=r"^t: invalid JSON: an integer of about 10\^300 is too large"):
        parse_json_text("[" + "1" + "0" * 300 + "]", "t")
    path = tmp_path / "w.json"
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(GameError, match=r"w\.json: not a UTF-8 text file$"):
        load_json_file(path)
    with pytest.raises(GameError, match=r"^cannot read .*missing\.json"):
        load_json_file(tmp_path / "missing.json")


def test_json_too_deep_for_the_parser_is_a_one_line_error(monkeypatch):
    from bargaincheck.specs import witness

    monkeypatch.setattr(witness, "check_json_depth", lambda text, where: None)
    with pytest.raises(GameError, match=r"^deep: JSON nested too deeply \(see docs/reference/limits\.md\)$"):
        witness.parse_json_text("[" * 100_000 + "]" * 100_000, "deep")


def test_a_failed_atomic_write_leaves_no_temporary_file(tmp_path):
    class Unwritable:
        pass

    with pytest.raises(TypeError):
        atomic_write_text(tmp_path / "a.txt", Unwritable())
    assert os.listdir(tmp_path) == []
    atomic_write_json(tmp_path / "b.json", {"é": [1]})
    assert (tmp_path / "b.json").read_text(encoding="utf-8") == '{\n  "é": [\n    1\n  ]\n}\n'
    assert os.listdir(tmp_path) == ["b.json"]


def test_a_rename_that_fails_after_the_temporary_file_is_gone_raises_its_own_error(tmp_path, monkeypatch):
    def replace_loses_the_file(source, target):
        os.unlink(source)
        raise PermissionError("rename refused")

    monkeypatch.setattr(os, "replace", replace_loses_the_file)
    with pytest.raises(PermissionError, match="^rename refused$"):
        atomic_write_text(tmp_path / "a.txt", "text")
    assert os.listdir(tmp_path) == []


def test_an_atomic_write_survives_a_directory_that_cannot_be_synced(tmp_path, monkeypatch):
    real_open, real_fsync = os.open, os.fsync

    def no_directory_open(path, flags, *args):
        if os.path.isdir(path):
            raise OSError("no")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_directory_open)
    atomic_write_text(tmp_path / "a.txt", "one")
    monkeypatch.setattr(os, "open", real_open)
    calls = []

    def fsync_fails_on_directories(descriptor):
        calls.append(descriptor)
        if len(calls) > 1:
            raise OSError("no")
        return real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync_fails_on_directories)
    atomic_write_text(tmp_path / "b.txt", "two")
    assert len(calls) == 2
    assert (tmp_path / "a.txt").read_text() == "one" and (tmp_path / "b.txt").read_text() == "two"


# -- batch, lp --------------------------------------------------------------------------------


def test_batch_functions_refuse_arrays_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"shape \(B, n, k_0, \.\.\., k_\(n-1\)\), not \(2, 2\)"):
        batch.total_surplus(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"not \(3, 0\)"):
        batch.total_surplus(np.zeros((3, 0)))
    with pytest.raises(ValueError, match=r"not \(1, 3, 2, 2\)"):
        batch.total_surplus(np.zeros((1, 3, 2, 2)))
    with pytest.raises(ValueError, match=r"^a batch of matrices has shape \(B, rows, cols\), not \(2, 2\)$"):
        batch.matrix_game_values(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"^leader matrices are defined for two-player games, not 3$"):
        batch.leader_matrices(np.zeros((1, 3, 1, 1, 1)), 0)
    with pytest.raises(ValueError, match=r"not \(1, 2, 2\), \(1, 2, 3\)"):
        batch.extractable_surplus(np.zeros((1, 2, 2)), np.zeros((1, 2, 3)))


def test_vertex_enumeration_in_chunks_gives_the_same_vertices(monkeypatch):
    rng = np.random.default_rng(5)
    hyperplanes = rng.normal(size=(5, 3, 3))
    whole = batch._simplex_vertices(hyperplanes)
    monkeypatch.setattr(batch, "_CHUNK_ENTRIES", 1)
    chunked = batch._simplex_vertices(hyperplanes)
    assert chunked.shape == whole.shape == (5, math.comb(6, 2), 3)
    assert np.array_equal(chunked, whole)


def test_solve_lp_refuses_a_constraint_row_of_the_wrong_length():
    with pytest.raises(ValueError, match="^constraint row length does not match the objective$"):
        solve_lp([1, 1], [[1]], [1])
    with pytest.raises(ValueError, match="^constraint row length does not match the objective$"):
        solve_lp([1, 1], a_eq=[[1, 1, 1]], b_eq=[1])
