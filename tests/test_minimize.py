"""Minimization to canonical minimal witnesses (SPEC §6)."""

from __future__ import annotations

import json
import time
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargaincheck.checkers.minimize import (
    _cost_preserving_shifts,
    _equal_cost_shifts,
    canonical_key,
    minimize,
    restrict_game,
    witness_cost,
)
from bargaincheck.specs.concepts.registry import get_concept
from bargaincheck.specs.desiderata.registry import get_desideratum
from bargaincheck.specs.games import Game
from bargaincheck.specs.witness import game_from_json

COCO = get_concept("coco")
SUBMAX = get_desideratum("submax")
THREAT = get_desideratum("threat")


def _violation(desideratum, game, params=None):
    violation = desideratum.check(COCO, game, params or {})
    assert violation is not None
    return violation


# A CoCo sub-max violation with room to shrink (hand computation in the first test).
WIDE = Game.from_arrays([[[0, 3], [0, 3]], [[0, 0], [-2, -2]]])


def test_the_wide_game_violates_submax_by_hand():
    """Rows T, B; the row player gets 0 or 3 by column, the column player 0
    (row T) or −2 (row B). M = 3; (U1−U2)/2 = [[0, 3/2], [1, 5/2]], row B
    dominates, saddle (B, L) = 1: coco = (3/2 + 1, 3/2 − 1) = (5/2, 1/2);
    max_2 = 0 < 1/2."""
    violation = _violation(SUBMAX, WIDE)
    assert violation.values["values"] == ["5/2", "1/2"]


def test_minimized_submax_witness_is_smaller_and_still_a_violation():
    result = minimize(_violation(SUBMAX, WIDE), COCO, SUBMAX, seconds=30)
    game = result.violation.game
    assert result.minimal
    assert witness_cost(game, {}) < witness_cost(WIDE, {})
    assert SUBMAX.check(COCO, game, {}) is not None
    # Two players are needed and three actions: with one action each, coco = the outcome.
    assert game.n_players == 2 and sum(game.shape) == 3
    assert game.is_integer() and game.max_abs_payoff() == 1


def test_minimization_is_idempotent():
    once = minimize(_violation(SUBMAX, WIDE), COCO, SUBMAX, seconds=30)
    twice = minimize(once.violation, COCO, SUBMAX, seconds=30)
    assert twice.key == once.key
    assert twice.violation.game == once.violation.game


def _relabelled(game: Game, players, actions) -> Game:
    return restrict_game(game, players, actions)


@settings(max_examples=12, deadline=None)
@given(swap_players=st.booleans(), swap_rows=st.booleans(), swap_columns=st.booleans())
def test_permuted_copies_minimize_to_the_same_canonical_key(swap_players, swap_rows, swap_columns):
    players = [1, 0] if swap_players else [0, 1]
    rows = [1, 0] if swap_rows else [0, 1]
    columns = [1, 0] if swap_columns else [0, 1]
    actions = [rows, columns] if not swap_players else [columns, rows]
    copy = _relabelled(WIDE, players, actions)
    reference = minimize(_violation(SUBMAX, WIDE), COCO, SUBMAX, seconds=30)
    permuted = minimize(_violation(SUBMAX, copy), COCO, SUBMAX, seconds=30)
    assert permuted.key == reference.key


def test_threat_witness_shrinks_to_a_one_action_game_with_one_button():
    """Seed 001: one costless torture button is enough. On the 1x1 game with
    payoffs (0, 0), letting player 2 burn 1 of player 1's utility makes the
    zero-sum part (U1−U2)/2 = −1/2 when it burns, so coco = (−1/2, 1/2)."""
    game = Game.from_arrays([[[3, -1], [0, 2]], [[1, 0], [2, -2]]])
    params = {"caps": [["0", "7"], ["5", "0"]]}
    result = minimize(_violation(THREAT, game, params), COCO, THREAT, seconds=30)
    assert result.minimal
    assert result.violation.game.shape == (1, 1)
    assert result.violation.game.max_abs_payoff() == 0
    caps = result.violation.params["caps"]
    assert sorted(Fraction(caps[i][j]) for i in range(2) for j in range(2) if i != j) == [0, 1]


def test_canonical_key_depends_on_payoffs_and_params():
    game = Game.from_arrays([[[0]], [[0]]])
    a = canonical_key("coco", "threat", game, {"caps": [["0", "1"], ["0", "0"]]})
    b = canonical_key("coco", "threat", game, {"caps": [["0", "0"], ["1", "0"]]})
    c = canonical_key("coco", "threat", game.with_payoffs([[1], [0]]), {"caps": [["0", "1"], ["0", "0"]]})
    assert len({a, b, c}) == 3


CATALOGUE_WITNESSES = sorted(
    (Path(__file__).resolve().parent.parent / "counterexamples").glob("*__*.json")
)


@pytest.mark.parametrize("path", CATALOGUE_WITNESSES, ids=[p.name for p in CATALOGUE_WITNESSES])
def test_catalogue_witnesses_marked_minimal_are_fixpoints_of_the_minimizer(path):
    record = json.loads(path.read_text())
    if not record["minimal"]:
        pytest.skip("logged before its minimization finished")
    concept, desideratum = get_concept(record["concept"]), get_desideratum(record["desideratum"])
    violation = desideratum.check(concept, game_from_json(record["game"]), record["transformation"])
    again = minimize(violation, concept, desideratum, seconds=60)
    assert again.minimal and again.key == record["canonical_key"]


def test_a_player_swapped_threat_witness_minimizes_to_the_same_key():
    """Swapping the players (and transposing the caps) gives the same canonical
    witness: the parameters are re-proposed for the permuted games."""
    game = Game.from_arrays([[[3, -1], [0, 2]], [[1, 0], [2, -2]]])
    params = {"caps": [["0", "7"], ["5", "0"]]}
    swapped = restrict_game(game, [1, 0], [[0, 1], [0, 1]])
    swapped_params = {"caps": [["0", "5"], ["7", "0"]]}
    one = minimize(_violation(THREAT, game, params), COCO, THREAT, seconds=30)
    two = minimize(_violation(THREAT, swapped, swapped_params), COCO, THREAT, seconds=30)
    assert one.key == two.key


@settings(max_examples=10, deadline=None)
@given(shifts=st.tuples(st.integers(-1, 1), st.integers(-1, 1), st.integers(-1, 1)))
def test_equal_cost_shifted_copies_of_the_bomb_witness_reach_one_canonical_form(shifts):
    """Shapley-ROSE maximin dominance, 1x1x2 (the bomb game with two
    housemates): the bomb (player 3) chooses between (0, 0, 0) and (1, 1, −1)
    and gets −1/3 < 0 = its maximin. Shifting each player's payoffs by a
    constant keeps the violation (the concept is shift-covariant) and, when
    the shift keeps each player's row cost, the witness cost: search found the
    0/1 form, SMT the copy (−1, 0), (−1, 0), (0, −1). All reach one canonical
    witness, the one with no negative payoff: (0, 0, 1) | (1, 1, 0), where the
    bomb gets 2/3 < 1."""
    concept, maximin = get_concept("shapley-rose"), get_desideratum("maximin")
    rows = [[0, 1], [0, 1], [0, -1]]
    shifted = [[v + s for v in row] for row, s in zip(rows, shifts)]
    game = Game.from_function([1, 1, 2], lambda p: tuple(shifted[i][p[2]] for i in range(3)))
    violation = maximin.check(concept, game, {})
    assert violation is not None
    result = minimize(violation, concept, maximin, seconds=60)
    assert result.minimal
    assert [list(map(int, row)) for row in result.violation.game.payoffs] == [[0, 1], [0, 1], [1, 0]]
    assert result.violation.values["values"][2] == "2/3"


def _brute_force_shifts(row: list[Fraction], low: int, high: int) -> list[Fraction]:
    """Every non-zero integer shift in [low, high] keeping the row's number of
    non-zero payoffs and Σ|payoff|, by trying each one."""
    def cost(values):
        return sum(1 for v in values if v != 0), sum(abs(v) for v in values)

    return [Fraction(s) for s in range(low, high + 1) if s != 0 and cost([v + s for v in row]) == cost(row)]


@settings(max_examples=300, deadline=None)
@given(row=st.lists(st.integers(-6, 6), min_size=1, max_size=7), slack=st.integers(0, 4))
def test_cost_preserving_shifts_are_those_found_by_trying_every_shift(row, slack):
    row = [Fraction(v) for v in row]
    bound = max(abs(v) for v in row) + slack
    low, high = int(-bound - min(row)), int(bound - max(row))
    assert list(_cost_preserving_shifts(row, low, high)) == _brute_force_shifts(row, low, high)


def test_equal_cost_shifts_do_not_loop_over_the_payoff_bound():
    """Payoffs near 10^308 (an absurd --bound): the shifts come from the
    breakpoints of Σ|v + s|, not from trying every integer up to the bound."""
    huge = 10 ** 308
    game = Game.from_arrays([[[huge, -huge], [0, 3]], [[1, -1], [-1, 1]]])
    start = time.monotonic()
    variants = _equal_cost_shifts(game)
    assert time.monotonic() - start < 1.0
    assert game in variants and len(variants) <= 16
