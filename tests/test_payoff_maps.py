"""Transformations defined once, as payoff maps: the exact transformed game
and the symbolic one (`SymbolicGame.mapped`) are two evaluations of the same
map, so on a pinned game with pinned parameters they coincide; and the SMT
encodings built from the maps (shift, redundancy, money, null player) prove
and refute what the exact checkers say."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargaincheck.encoders.symbolic import SymbolicGame, real_const
from bargaincheck.specs.transforms import (
    add_duplicate_action,
    add_mixture_action,
    add_null_player,
    new_action_map,
    null_player_map,
    payment_game,
    payment_map,
    shift_game,
    shift_map,
)
from strategies import games


def _constants(game: SymbolicGame) -> list[list[Fraction]]:
    out = []
    for row in game.payoffs:
        values = []
        for term in row:
            v = term.simplify().constant_value()
            values.append(Fraction(int(v.numerator), int(v.denominator)))
        out.append(values)
    return out


def _symbolic(game, pmap, params):
    pinned = SymbolicGame.pinned(game)
    return pinned.mapped(pmap, {name: real_const(v) for name, v in params.items()}, "h")


@settings(max_examples=25, deadline=None)
@given(games((2, 3), actions=(1, 3), bound=5), st.lists(st.integers(-9, 9), min_size=3, max_size=3))
def test_the_symbolic_shift_is_the_exact_shift(game, shifts):
    shifts = shifts[:game.n_players]
    exact = shift_game(game, shifts)
    symbolic = _symbolic(game, shift_map(game.shape), {f"c{i}": Fraction(c) for i, c in enumerate(shifts)})
    assert symbolic.shape == exact.shape and _constants(symbolic) == [list(r) for r in exact.payoffs]


@settings(max_examples=25, deadline=None)
@given(games((2, 3), actions=(1, 3), bound=5), st.integers(0, 3))
def test_the_symbolic_null_player_is_the_exact_one(game, position):
    position = min(position, game.n_players)
    exact = add_null_player(game, position)
    symbolic = _symbolic(game, null_player_map(game.shape, position), {})
    assert symbolic.shape == exact.shape and _constants(symbolic) == [list(r) for r in exact.payoffs]


@settings(max_examples=25, deadline=None)
@given(games(2, actions=(2, 3), bound=5), st.integers(0, 1), st.data())
def test_the_symbolic_new_actions_are_the_exact_ones(game, player, data):
    k = game.shape[player]
    action = data.draw(st.integers(0, k - 1))
    exact = add_duplicate_action(game, player, action)
    symbolic = _symbolic(game, new_action_map(game.shape, player, "duplicate", action), {})
    assert symbolic.shape == exact.shape and _constants(symbolic) == [list(r) for r in exact.payoffs]
    raw = data.draw(st.lists(st.integers(0, 4), min_size=k, max_size=k).filter(any))
    weights = [Fraction(w, sum(raw)) for w in raw]
    exact = add_mixture_action(game, player, weights)
    symbolic = _symbolic(game, new_action_map(game.shape, player, "mixture"), {f"w{a}": w for a, w in enumerate(weights)})
    assert _constants(symbolic) == [list(r) for r in exact.payoffs]


@settings(max_examples=15, deadline=None)
@given(games((2, 3), actions=(1, 2), bound=5), st.integers(1, 6))
def test_the_symbolic_payment_game_is_the_exact_one(game, amount):
    exact = payment_game(game, amount)
    symbolic = _symbolic(game, payment_map(game.shape), {"T": Fraction(amount)})
    assert symbolic.shape == exact.shape and _constants(symbolic) == [list(r) for r in exact.payoffs]


def test_the_transfer_split_pairs_each_atom_with_its_image_under_a_shift():
    """CoCo under a shift c: M moves by c_0 + c_1 and val((U_0 − U_1)/2) by
    (c_0 − c_1)/2; the split finds both exactly on sample games."""
    from bargaincheck.encoders.desiderata import lemma_split, violation_cases
    from bargaincheck.encoders.symbolic import Domain

    g = SymbolicGame.unknown((2, 2), Domain("real", Fraction(10)))
    first, second = lemma_split("coco", "shift", violation_cases("coco", "shift", g)[0])
    assert repr(first.expression) == "1/2*M[g_t0] + -1/2*M[g] + -1/2*param_c0[g_t0] + -1/2*param_c1[g_t0]"
    assert repr(second.expression).endswith("+ -1/2*param_c0[g_t0] + 1/2*param_c1[g_t0]")


def test_coco_is_shift_invariant_on_2x2_by_both_solvers(tmp_path):
    from bargaincheck.checkers.smt import smt_check

    # the solvers' bounded proof (the form of CoCo's definition proves it on every game: test_form.py)
    result = smt_check("coco", "shift", "2x2", 10, 120, tmp_path, use_form=False)
    assert result.outcome == "proved", result.message
    assert "every shift vector c with c_i in [-10, 10]" in (tmp_path / "proofs" / "coco__shift__2x2__b10.json").read_text()


def test_the_mapped_null_player_encoding_finds_the_selfish_split_witness(tmp_path):
    """The selfish split fails the null-player axiom (the catalogue's 1x2
    witness); the SMT query built from the null-player map finds a model, and
    the exact checker confirms it before anything is logged."""
    from bargaincheck.checkers.smt import smt_check

    result = smt_check("selfish-split", "null-player", "1x2", 10, 60, tmp_path)
    assert result.outcome == "counterexample" and "after inserting a null player" in result.message


def test_an_encoding_too_large_to_decide_is_refused_at_once(tmp_path):
    """The selfish split on the destruction game of a 2x2 game has thousands
    of case distinctions (its favourite profiles on 16 profiles per game):
    the check says so within its budget instead of building them."""
    import time

    from bargaincheck.checkers.smt import smt_check

    start = time.monotonic()
    result = smt_check("selfish-split", "threat", "2x2", 10, 30, tmp_path, budget=30)
    assert result.outcome == "unknown" and result.message.startswith("not decided: ")
    assert time.monotonic() - start < 20


def test_two_players_values_under_one_argmax_combine_branch_by_branch():
    from bargaincheck.encoders.desiderata import violation_cases
    from bargaincheck.encoders.symbolic import Domain

    g = SymbolicGame.unknown((2, 3), Domain("real", Fraction(10)))
    cases = violation_cases("selfish-split", "pareto", g)
    assert len(cases) == 2 * 36  # 6 x 6 favourite pairs, both directions; not 36 x 36
    assert all(not c.expression.coeffs and c.expression.const == 0 for c in cases)  # Σφ = M in every branch


def test_a_violation_splitting_into_too_many_sub_queries_is_not_decided(tmp_path):
    """Shapley-CoCo with a null player on 2x2 (a 3-player game: every
    coalition value's choices multiply): over the limit in total, refused
    before any solver runs."""
    from bargaincheck.checkers.smt import smt_check

    result = smt_check("shapley-coco", "null-player", "2x2", 10, 30, tmp_path, budget=30)
    assert result.outcome == "unknown" and "more than 5000 sub-queries" in result.message
