"""The correlated-equilibrium atoms (`g.correlated_payoff`) and the CE splits
defined with them: the one definition agrees with the direct computation;
the lemmas the form rests on (the CE payoff polytope under shifts, side
payments, burn buttons and parallel sums; scaling and mixture actions are
tested with every other atom in tests/test_form.py; the atom inequalities of
maximin dominance), checked exactly; the cells they decide and the ones they
must not; and a wrong lemma caught as an encoding defect."""

from __future__ import annotations

import random
from collections import OrderedDict
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargaincheck.checkers.form import (FormDefect, atom_inequalities, form_obstacle, form_proof, linear_form,
                                       lipschitz_constant, nonnegative_by_lemmas, shift_vector)
from bargaincheck.checkers.search import random_game, search
from bargaincheck.checkers.smt import smt_check
from bargaincheck.specs.concepts import algebra
from bargaincheck.specs.concepts.algebra import AlgebraError, GameRef, exact_values
from bargaincheck.specs.concepts.correlated import CE_SPLITS, correlated_equilibrium, ce_split_value
from bargaincheck.specs.concepts.registry import get_concept
from bargaincheck.specs.desiderata import base as desiderata_base
from bargaincheck.specs.desiderata.registry import get_desideratum
from bargaincheck.specs.games import Game
from bargaincheck.specs.transforms import destruction_game, identical_players, parallel_sum, payment_game, shift_game

SELECTIONS = ("utilitarian", "egalitarian")
payoff = st.integers(-6, 6).map(Fraction)


def games(shape):
    size = 1
    for k in shape:
        size *= k
    return st.lists(st.lists(payoff, min_size=size, max_size=size), min_size=len(shape),
                    max_size=len(shape)).map(
        lambda flat: Game([[str(a) for a in range(k)] for k in shape], tuple(tuple(r) for r in flat)))


def _ce_atoms(g: GameRef, selections=SELECTIONS):
    """Every player's CE payoff under each selection, on the game and (3 players) a coalition game."""
    found = [g.correlated_payoff(i, s) for s in selections for i in range(g.n_players)]
    if g.n_players == 3:
        pair = g.coalition([0, 2])
        found += [pair.correlated_payoff(i, s) for s in selections for i in range(2)]
    return found


def _agree(shape, count, seed):
    rng = random.Random(seed)
    for k in range(count):
        game = random_game(shape, rng, Fraction(5))
        for selection in SELECTIONS:
            assert CE_SPLITS[selection].exact(game) == ce_split_value(game, selection), (k, selection)


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 3), (2, 2, 2)])
def test_the_definition_equals_the_direct_computation(shape):
    # The CE splits' one definition against `ce_split_value` (the direct computation kept as oracle).
    for selection in SELECTIONS:
        assert get_concept(f"ce-split-{selection}").definition is CE_SPLITS[selection]
    _agree(shape, 150, 2026)


@pytest.mark.slow
@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 3), (2, 2, 2)])
def test_the_definition_equals_the_direct_computation_on_2000_games(shape):
    _agree(shape, 2000, 2027)


def test_the_atom_names_its_selection_and_refuses_others():
    g = GameRef((2, 2))
    assert g.correlated_payoff(1, "egalitarian").text() == "ce[G](egalitarian,1)"
    with pytest.raises(AlgebraError, match="unknown CE selection"):
        g.correlated_payoff(0, "nash")
    with pytest.raises(AlgebraError, match="player 2"):
        g.correlated_payoff(2)


def test_the_chicken_game_gets_its_hand_computed_split():
    # Chicken (dare, swerve): (0,0) (7,2) / (2,7) (6,6). (swerve, swerve) is no CE (dare pays 7); the best
    # CE, for the sum and for the worse-off player alike, puts 1/2 on it and 1/4 on each (dare, swerve)
    # profile (told to swerve, a player is indifferent: 2/3·6 + 1/3·2 = 2/3·7), d = (21/4, 21/4); M = 12,
    # so each gets 21/4 + (12 − 21/2)/2 = 6.
    chicken = Game([["dare", "swerve"], ["dare", "swerve"]], ((0, 7, 2, 6), (0, 2, 7, 6)))
    for selection in SELECTIONS:
        x, d = correlated_equilibrium(chicken, selection)
        assert d == (Fraction(21, 4), Fraction(21, 4)) and x == (0, Fraction(1, 4), Fraction(1, 4), Fraction(1, 2))
        assert CE_SPLITS[selection].exact(chicken) == (6, 6)


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (2, 2, 2)])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_the_utilitarian_atom_moves_by_its_shift_vector(shape, data):
    game = data.draw(games(shape))
    shifts = data.draw(st.lists(st.fractions(-5, 5, max_denominator=3), min_size=len(shape), max_size=len(shape)))
    atoms = _ce_atoms(GameRef(shape), ("utilitarian",))
    for atom, before, after in zip(atoms, exact_values(atoms, game), exact_values(atoms, shift_game(game, shifts))):
        assert after == before + sum(s * c for s, c in zip(shift_vector(atom, len(shape)), shifts)), atom.text()


def test_the_egalitarian_atom_has_no_shift_vector_and_does_move():
    atom = GameRef((2, 2)).correlated_payoff(0, "egalitarian")
    assert "max-min objective" in shift_vector(atom, 2)
    assert "max-min objective" in form_obstacle("ce-split-egalitarian", "shift", (2, 2))
    # Battle of the sexes (2,1) (0,0) / (0,0) (1,2): the egalitarian CE mixes the two pure equilibria
    # equally, d = (3/2, 3/2); with player 1's payoffs raised by 2 it puts all weight on (1,1) instead.
    battle = Game([["a", "b"], ["a", "b"]], ((2, 0, 0, 1), (1, 0, 0, 2)))
    assert correlated_equilibrium(battle, "egalitarian")[1] == (Fraction(3, 2), Fraction(3, 2))
    shifted = correlated_equilibrium(shift_game(battle, [Fraction(2), Fraction(0)]), "egalitarian")[1]
    assert shifted != (Fraction(7, 2), Fraction(3, 2))


@pytest.mark.parametrize("shape", [(2, 2), (1, 3)])
@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_side_payments_leave_both_selections_alone(shape, data):
    game = data.draw(games(shape))
    amount = data.draw(st.sampled_from([Fraction(1, 2), Fraction(3), Fraction(20)]), "T")
    paid = payment_game(game, amount)
    assert exact_values(_ce_atoms(GameRef(paid.shape)), paid) == exact_values(_ce_atoms(GameRef(shape)), game)


@pytest.mark.parametrize("shape", [(2, 2), (1, 3)])
@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_the_utilitarian_atom_is_additive_over_parallel_games(shape, data):
    game, other = data.draw(games(shape)), data.draw(games(shape))
    d, e = data.draw(st.sampled_from([(Fraction(1), Fraction(1)), (Fraction(2), Fraction(1, 3)),
                                      (Fraction(0), Fraction(3, 2))]))
    parallel = parallel_sum(game, other, d, e)
    narrow, wide = _ce_atoms(GameRef(shape), ("utilitarian",)), _ce_atoms(GameRef(parallel.shape), ("utilitarian",))
    assert [linear_form(a) for a in narrow] == [linear_form(a) for a in wide]
    on_g, on_h = exact_values(narrow, game), exact_values(narrow, other)
    assert exact_values(wide, parallel) == tuple(d * x + e * y for x, y in zip(on_g, on_h))


def test_the_egalitarian_atom_is_not_additive_and_neither_is_lipschitz():
    g = GameRef((2, 2))
    assert "not additive" in linear_form(g.correlated_payoff(0, "egalitarian"))
    for selection in SELECTIONS:
        assert "can jump" in lipschitz_constant(g.correlated_payoff(0, selection), 2)
        assert "can jump" in form_obstacle(f"ce-split-{selection}", "continuity", (2, 2))


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (2, 2, 2)])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_the_atom_inequalities_hold(shape, data):
    # Every L ≥ 0 of `atom_inequalities`, on the game and a coalition game, exactly.
    game = data.draw(games(shape))
    g = GameRef(shape)
    handles = [g] + ([g.coalition([0, 2])] if len(shape) == 3 else [])
    atoms = [a for h in handles for a in [h.M] + [h.max_payoff(i) for i in range(h.n_players)]
             + [h.maximin(i) for i in range(h.n_players)]
             + [h.correlated_payoff(i, s) for s in SELECTIONS for i in range(h.n_players)]]
    values = dict(zip([(a.kind, a.game.path, a.args) for a in atoms], exact_values(atoms, game)))
    lemmas = atom_inequalities(set(values), len(shape))
    assert len(lemmas) >= 5 * len(shape)
    for lemma in lemmas:
        assert sum(c * values[key] for key, c in lemma.items()) >= 0, lemma


def test_the_lemma_lp_proves_only_what_follows():
    m, mm0, ce0, ce1 = ("M", (), ()), ("maximin", (), (0,)), ("ce", (), ("utilitarian", 0)), ("ce", (), ("utilitarian", 1))
    # ce_0 + (M − ce_0 − ce_1)/2 − maximin_0 = (ce_0 − maximin_0) + (M − ce_0 − ce_1)/2
    assert nonnegative_by_lemmas({m: Fraction(1, 2), ce0: Fraction(1, 2), ce1: Fraction(-1, 2), mm0: Fraction(-1)}, 2)
    assert not nonnegative_by_lemmas({m: Fraction(1, 2), mm0: Fraction(-1)}, 2)  # M/2 can be below maximin_0
    assert not nonnegative_by_lemmas({(): Fraction(-1)}, 2)
    assert nonnegative_by_lemmas({(): Fraction(1), ce0: Fraction(1), mm0: Fraction(-1)}, 2)


CE_FORM_CELLS = {
    "utilitarian": ("shift", "scale", "redundancy", "linearity", "money", "pareto", "maximin", "threat",
                    "payoff-dominance"),
    "egalitarian": ("scale", "redundancy", "money", "pareto", "maximin", "threat", "payoff-dominance"),
}


@pytest.mark.parametrize("selection", SELECTIONS)
def test_the_ce_splits_cells_decided_by_form(selection):
    concept = f"ce-split-{selection}"
    for desideratum in CE_FORM_CELLS[selection]:
        for shape in [(2, 2), (2, 3)]:
            proof = form_proof(concept, desideratum, shape)
            assert proof is not None and proof.pinned_checks >= 9, (desideratum, shape)
    for desideratum in ("continuity", "submax") + (("shift", "linearity") if selection == "egalitarian"
                                                   else ("symmetry",)):
        assert form_proof(concept, desideratum, (2, 2)) is None
    assert (form_proof(concept, "symmetry", (3, 3)) is not None) == (selection == "egalitarian")


def test_equal_split_above_maximin_is_maximin_dominant_by_form(monkeypatch):
    from bargaincheck.specs.concepts.algebra import Definition
    from bargaincheck.specs.concepts.registry import CONCEPTS, Concept

    def above(g):
        floors = [g.maximin(i) for i in range(g.n_players)]
        return [f + (g.M - sum(floors)) / g.n_players for f in floors]

    def half(g):
        return [g.M / g.n_players for _ in range(g.n_players)]

    for cid, build in (("test-above-maximin", above), ("test-half", half)):
        definition = Definition(build)
        monkeypatch.setitem(CONCEPTS, cid, Concept(cid, cid, cid, definition.exact, 1, definition=definition))
    assert form_proof("test-above-maximin", "maximin", (2, 3)) is not None
    assert form_proof("test-above-maximin", "maximin", (2, 2, 2)) is not None
    assert "not a nonnegative combination" in form_obstacle("test-half", "maximin", (2, 2))
    found = search(get_concept("test-half"), get_desideratum("maximin"), (2, 2), Fraction(5), seed=0, timeout=10)
    assert found.violation is not None  # the even split of M is refuted, as it must be


@pytest.mark.parametrize("desideratum", ["shift", "maximin"])
def test_a_wrong_ce_reading_is_an_encoding_defect_not_a_proof(monkeypatch, desideratum):
    # Read the CE payoff as its absolute value (shift covariance breaks), or one below its floor
    # for player 1 (maximin breaks): the pinned exact checks must refuse the form proof.
    reading = algebra.ExactReading._atom

    def wrong(self, atom):
        if atom.kind != "ce":
            return reading(self, atom)
        if desideratum == "shift":
            return abs(reading(self, atom))
        below = 3 if atom.args[1] == 0 else 0  # player 1 alone below its floor: the split cannot cancel it
        return reading(self, algebra.Atom("maximin", atom.game, (atom.args[1],))) - below

    monkeypatch.setattr(algebra.ExactReading, "_atom", wrong)
    monkeypatch.setattr(desiderata_base, "_VALUE_CACHE", OrderedDict())
    with pytest.raises(FormDefect, match="exact implementation says"):
        form_proof("ce-split-utilitarian", desideratum, (2, 2))


def test_smt_says_the_ce_atom_has_no_encoding():
    result = smt_check("ce-split-utilitarian", "monotonicity", (2, 2), Fraction(10), timeout=5)
    assert result.outcome == "unknown" and "correlated-equilibrium atom" in result.message
    proved = smt_check("ce-split-egalitarian", "maximin", (2, 2), Fraction(10), timeout=5)
    assert proved.outcome == "proved" and proved.method == "form"


@pytest.mark.parametrize("shape", [(2, 2), (1, 3), (2, 1)])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_burning_leaves_both_selections_alone(shape, data):
    # The CE payoffs of every destruction game equal the game's (burns lower payoffs, never help).
    game = data.draw(games(shape))
    caps = [[Fraction(0), data.draw(st.sampled_from([Fraction(0), Fraction(1), Fraction(5, 2)]))],
            [data.draw(st.sampled_from([Fraction(0), Fraction(2), Fraction(9)])), Fraction(0)]]
    burnt = destruction_game(game, caps)
    assert exact_values(_ce_atoms(GameRef(burnt.shape)), burnt) == exact_values(_ce_atoms(GameRef(shape)), game)


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (2, 2, 2)])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_a_dominating_player_gets_at_least_as_much_at_every_selected_ce(shape, data):
    game = data.draw(games(shape))
    rows = [list(r) for r in game.payoffs]
    rows[0] = [b + abs(a) for a, b in zip(rows[0], rows[1])]  # U_0 ≥ U_1 everywhere
    dominated = game.with_payoffs(rows)
    for selection in SELECTIONS:
        d = correlated_equilibrium(dominated, selection)[1]
        assert d[0] >= d[1]


@pytest.mark.parametrize("k", [2, 3])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_identical_players_get_equal_egalitarian_ce_payoffs(k, data):
    game = data.draw(games((k, k)))
    rows = [list(game.payoffs[0]), [game.payoffs[0][b * k + a] for a in range(k) for b in range(k)]]
    symmetric = game.with_payoffs(rows)
    assert identical_players(symmetric, 0, 1)
    d = correlated_equilibrium(symmetric, "egalitarian")[1]
    assert d[0] == d[1]


def test_the_utilitarian_tie_break_is_not_symmetric():
    # The catalogued witness: players identical once player 2's actions are relabelled; the utilitarian
    # optimum is a segment of CEs with the same total, and E[U_0] first breaks the tie for player 1.
    from bargaincheck.specs.desiderata.structure import identical_pairs

    game = Game([["1", "2"], ["1", "2"]], ((-1, -1, -1, 0), (0, -1, -1, -1)))
    assert identical_pairs(game) == [(0, 1, (1, 0))]
    d = correlated_equilibrium(game, "utilitarian")[1]
    assert d[0] > d[1]
    assert correlated_equilibrium(game, "egalitarian")[1][0] == correlated_equilibrium(game, "egalitarian")[1][1]
    assert "not zero by the atom equalities" in form_obstacle("ce-split-utilitarian", "symmetry", (2, 2))


def test_a_burn_sensitive_ce_reading_is_an_encoding_defect():
    # Read the CE payoff as the maximin value (which a burn button lowers): the threat lemma is then
    # false for that reading, and the pinned destruction games must say so.
    reading = algebra.ExactReading._atom

    def wrong(self, atom):
        if atom.kind == "ce":
            return reading(self, algebra.Atom("maximin", atom.game, (atom.args[1],)))
        return reading(self, atom)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(algebra.ExactReading, "_atom", wrong)
        patch.setattr(desiderata_base, "_VALUE_CACHE", OrderedDict())
        with pytest.raises(FormDefect, match="exact implementation says"):
            form_proof("ce-split-utilitarian", "threat", (2, 2))


def test_a_generous_new_action_lowers_the_ce_split(tmp_path):
    # 1x2: (0, 0) (1, 0); player 1 is indifferent, the utilitarian CE plays the second column: d = (1, 0),
    # M = 1, φ_1 = 1. A new row (0, 2) (0, 0) for player 1 (worth 0 to it either way) lets the CE reach
    # M = 2 with everything to player 2: d = (0, 2), φ_1 = 0. The survey's search misses it (its row
    # proposals never build such an action); the catalogued witness decides the cell, re-verified.
    from bargaincheck.checkers.survey import run_cell

    game = Game([["top"], ["L", "R"]], ((0, 1), (0, 0)))
    extended = Game([["top", "new"], ["L", "R"]], ((0, 1, 0, 0), (0, 0, 2, 0)))
    assert CE_SPLITS["utilitarian"].exact(game) == (1, 0) and CE_SPLITS["utilitarian"].exact(extended) == (0, 2)
    violation = get_desideratum("monotonicity").check(get_concept("ce-split-utilitarian"), game,
                                                      {"player": 0, "rows": [[["0", "2"], ["0", "0"]]]})
    assert violation is not None and violation.gap == 1
    cell = run_cell("ce-split-utilitarian", "monotonicity", ["2x2"], 1.0, Fraction(5), 0, 5.0, str(tmp_path),
                    max_games=3)
    assert cell["outcome"] == "counterexample" and cell["from_catalogue"] and cell["shape"] == "1x2"
    assert (tmp_path / cell["witness"]).exists()
    from bargaincheck.checkers.survey import _cell_text

    assert _cell_text(cell, "").startswith("✗ counterexample (1x2, catalogued, re-verified today, [witness](")
