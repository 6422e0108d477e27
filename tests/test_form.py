"""Properties by the form of a definition (`checkers.form`): scale, linearity,
continuity, shift, redundancy and money. The atom lemmas they rest on, checked exactly; the built-in
concepts they decide; the definitions they must not decide; and the exact
cross-check that turns a wrong lemma into an encoding defect instead of a
proof."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import OrderedDict
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargaincheck.checkers.form import (MONEY_ATOMS, FormDefect, form_obstacle, form_proof, linear_form,
                                       lipschitz_constant, shift_vector)
from bargaincheck.checkers.results import PROVED, UNKNOWN
from bargaincheck.checkers.search import search
from bargaincheck.checkers.smt import smt_check
from bargaincheck.checkers.survey import open_reason
from bargaincheck.specs.concepts import algebra
from bargaincheck.specs.concepts.algebra import Definition, GameRef, argmax, cases, exact_values, maximum, minimum
from bargaincheck.specs.concepts.registry import CONCEPTS, Concept, get_concept
from bargaincheck.specs.desiderata import base as desiderata_base
from bargaincheck.specs.desiderata.registry import get_desideratum
from bargaincheck.specs.games import Game
from bargaincheck.specs.transforms import (add_duplicate_action, add_mixture_action, parallel_sum, payment_game,
                                          scale_game, shift_game)

payoff = st.integers(-10, 10).map(Fraction)
factor = st.fractions(min_value=Fraction(1, 20), max_value=20, max_denominator=20).filter(lambda f: f > 0)


def _game(shape, flat_payoffs):
    return Game([[str(a) for a in range(k)] for k in shape], tuple(tuple(row) for row in flat_payoffs))


def games(shape):
    size = 1
    for k in shape:
        size *= k
    return st.lists(st.lists(payoff, min_size=size, max_size=size), min_size=len(shape),
                    max_size=len(shape)).map(lambda flat: _game(shape, flat))


def _atoms(g: GameRef, ce: bool = False):
    """One atom of every kind the lemma names, on the game and its coalitions; with `ce`, the
    correlated-equilibrium payoffs of both selections too (for the lemmas both obey)."""
    found = [g.M] + [g.max_payoff(i) for i in range(g.n_players)] + [g.maximin(i) for i in range(g.n_players)]
    if ce:
        found += [g.correlated_payoff(i, s) for s in ("utilitarian", "egalitarian") for i in range(g.n_players)]
    found.append(g.payoff(g.n_players - 1, (0,) * g.n_players))
    if g.n_players == 2:
        u = g.U
        found += [g.value(u[0] - u[1]), g.value(u[0] * Fraction(1, 3) + u[1] * 2),
                  g.extractable_surplus(0), g.extractable_surplus(1)]
    else:
        pair = g.coalition([0, 1])
        found += [pair.M, pair.maximin(0), pair.extractable_surplus(1), pair.value(pair.U[0] - pair.U[1])]
    return found


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 3), (2, 2, 2)])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_atom_kind_is_positively_homogeneous(shape, data):
    # The lemma of the form argument, checked on the exact reading: a(λG) = λ·a(G).
    game, lam = data.draw(games(shape)), data.draw(factor)
    atoms = _atoms(GameRef(shape), ce=True)
    assert exact_values(atoms, scale_game(game, lam)) == tuple(lam * v for v in exact_values(atoms, game))


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (2, 2, 2)])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_every_additive_atom_is_additive_over_parallel_games(shape, data):
    # a(dG + eH) = d·a(G) + e·a(H) for every atom but the payoff entries, coalition atoms too.
    game, other = data.draw(games(shape)), data.draw(games(shape))
    d, e = data.draw(st.sampled_from([Fraction(0), Fraction(1), Fraction(2), Fraction(1, 3)]), "d"), data.draw(
        st.sampled_from([Fraction(1), Fraction(3, 2)]), "e")
    parallel = parallel_sum(game, other, d, e)
    narrow = [a for a in _atoms(GameRef(shape)) if a.kind != "entry"]
    wide = [a for a in _atoms(GameRef(parallel.shape)) if a.kind != "entry"]
    assert [linear_form(a) for a in narrow] == [linear_form(a) for a in wide]  # named alike on both shapes
    on_g, on_h = exact_values(narrow, game), exact_values(narrow, other)
    assert exact_values(wide, parallel) == tuple(d * x + e * y for x, y in zip(on_g, on_h))


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (2, 2, 2)])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_atom_moves_at_most_its_lipschitz_constant(shape, data):
    # |a(G + Δ) − a(G)| ≤ L_a·‖Δ‖∞ with the constants of the form argument.
    game = data.draw(games(shape))
    delta = [data.draw(st.lists(st.fractions(-1, 1, max_denominator=8), min_size=len(row), max_size=len(row)))
             for row in game.payoffs]
    epsilon = max(abs(v) for row in delta for v in row)
    moved = game.with_payoffs([[u + v for u, v in zip(row, drow)] for row, drow in zip(game.payoffs, delta)])
    atoms = _atoms(GameRef(shape))
    for atom, before, after in zip(atoms, exact_values(atoms, game), exact_values(atoms, moved)):
        assert abs(after - before) <= lipschitz_constant(atom, len(shape)) * epsilon, atom.text()


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (2, 2, 2)])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_atom_moves_by_its_shift_vector(shape, data):
    # a(G + c) = a(G) + s_a·c with the vectors of the form argument, coalition atoms too.
    game = data.draw(games(shape))
    shifts = data.draw(st.lists(st.fractions(-5, 5, max_denominator=6), min_size=len(shape), max_size=len(shape)))
    atoms = _atoms(GameRef(shape))
    moved = exact_values(atoms, shift_game(game, shifts))
    for atom, before, after in zip(atoms, exact_values(atoms, game), moved):
        vector = shift_vector(atom, len(shape))
        assert after == before + sum(s * c for s, c in zip(vector, shifts)), atom.text()


@pytest.mark.parametrize("concept_id,shapes", [
    ("coco", [(2, 2), (3, 3)]), ("rose", [(2, 2), (2, 3), (3, 3)]), ("rose-joint", [(2, 3)]),
    ("shapley-coco", [(2, 3), (2, 1, 1), (2, 2, 2)]), ("shapley-rose", [(2, 2), (2, 2, 2)]),
    ("selfish-split", [(2, 2), (3, 3), (2, 2, 2)]),
])
def test_built_in_definitions_are_shift_covariant_by_form(concept_id, shapes):
    for shape in shapes:
        proof = form_proof(concept_id, "shift", shape)
        assert proof is not None and proof.pinned_checks == 9 * (len(shape) + 1)  # unit shifts and a mixed one


def test_shift_needs_each_players_own_shift_and_fixed_choices(user_concept):
    # M/2 each: Pareto and symmetric, but player 1's value moves by (c_1 + c_2)/2.
    halves = user_concept("test-halves", lambda g: [g.M / 2, g.M / 2])
    assert "moves by 1/2·1/2 times the shifts" in form_obstacle(halves.id, "shift", (2, 2))
    found = search(halves, get_desideratum("shift"), (1, 1), Fraction(5), seed=0, timeout=10)
    assert found.violation is not None
    # equal split above maximin: maximin_i + (M − Σ_j maximin_j)/2 moves by c_i
    above = user_concept("test-above", lambda g: [g.maximin(i) + (g.M - g.maximin(0) - g.maximin(1)) / 2
                                                  for i in range(2)])
    assert form_proof(above.id, "shift", (2, 3)) is not None
    threshold = user_concept("test-shift-threshold", lambda g: [cases(g.M >= g.maximin(0), g.maximin(0), g.M),
                                                                g.maximin(1)])
    assert "moves with the shift" in form_obstacle(threshold.id, "shift", (2, 2))
    # an argmax whose keys are different players' payoffs: the choice moves with c_1 − c_2
    pick = user_concept("test-pick", lambda g: [argmax([g.max_payoff(0), g.max_payoff(1)],
                                                       [g.maximin(0), g.max_payoff(0)]), g.maximin(1)])
    assert "keys" in form_obstacle(pick.id, "shift", (2, 2))


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (2, 2, 2)])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_atom_is_unchanged_by_a_mixture_action(shape, data):
    # a(G') = a(G) when a player gets a new, last action that mixes (or copies) its actions; the
    # atoms are named alike on both shapes, coalition atoms too.
    game = data.draw(games(shape))
    player = data.draw(st.integers(0, len(shape) - 1), "player")
    raw = data.draw(st.lists(st.integers(0, 4), min_size=shape[player], max_size=shape[player]).filter(any))
    wider = (add_mixture_action(game, player, [Fraction(w, sum(raw)) for w in raw])
             if data.draw(st.booleans(), "mixture") else add_duplicate_action(game, player, raw.index(max(raw))))
    narrow, wide = _atoms(GameRef(shape), ce=True), _atoms(GameRef(wider.shape), ce=True)
    assert [a.text() for a in narrow] == [a.text() for a in wide]
    assert exact_values(wide, wider) == exact_values(narrow, game)


@pytest.mark.parametrize("concept_id,shapes", [
    ("coco", [(2, 2), (3, 3)]), ("rose", [(2, 2), (2, 3)]), ("rose-joint", [(3, 3)]),
    ("shapley-coco", [(2, 2), (2, 2, 2)]), ("shapley-rose", [(2, 3), (2, 1, 1)]),
])
def test_built_in_definitions_ignore_redundant_actions_by_form(concept_id, shapes):
    for shape in shapes:
        proof = form_proof(concept_id, "redundancy", shape)
        assert proof is not None and proof.pinned_checks == 5 * 3 * len(shape)  # a duplicate and two mixtures each


def test_redundancy_by_form_needs_the_same_atoms_on_the_wider_shape(user_concept):
    assert "is a choice" in form_obstacle("selfish-split", "redundancy", (2, 2))
    # the payoff at the last row: another entry once player 1 has one more action
    corner = user_concept("test-last-row", lambda g: [g.payoff(0, (g.shape[0] - 1, 0)), g.maximin(1)])
    assert "different combination of atoms on the player 1's wider shape 3x2" in form_obstacle(
        corner.id, "redundancy", (2, 2))
    found = search(corner, get_desideratum("redundancy"), (2, 2), Fraction(5), seed=0, timeout=10)
    assert found.violation is not None


def test_a_pure_maximin_would_be_an_encoding_defect(monkeypatch, user_concept):
    # Read maximin over pure strategies only: a mixture action can then raise it, so the
    # redundancy lemma is false for that reading and the pinned checks must say so.
    reading = algebra.ExactReading._atom

    def pure(self, atom):
        if atom.kind != "maximin":
            return reading(self, atom)
        g, i = self.game(atom.game), atom.args[0]
        rows = {}
        for profile in g.profiles():
            rows.setdefault(profile[i], []).append(g.payoff(i, profile))
        return max(min(r) for r in rows.values())

    monkeypatch.setattr(algebra.ExactReading, "_atom", pure)
    monkeypatch.setattr(desiderata_base, "_VALUE_CACHE", OrderedDict())
    above = user_concept("test-above-pure", lambda g: [g.maximin(i) + (g.M - g.maximin(0) - g.maximin(1)) / 2
                                                       for i in range(2)])
    with pytest.raises(FormDefect, match="exact implementation says"):
        form_proof(above.id, "redundancy", (2, 2))


def _money_atom(atom) -> bool:
    if atom.kind != "val":
        return atom.kind in MONEY_ATOMS
    weight = dict(atom.args[0])
    return weight.get(0, 0) >= weight.get(1, 0)


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (2, 1, 1)])
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_side_payments_leave_the_money_atoms_alone(shape, data):
    # a(payment game) = a(G) for M, maximin, S and val(c_0 U_0 + c_1 U_1) with c_0 ≥ c_1, named
    # alike on both shapes; max_i grows by what the others can pay (n − 1)·T.
    game = data.draw(games(shape))
    amount = data.draw(st.fractions(Fraction(1, 4), 30, max_denominator=4), "T")
    paid = payment_game(game, amount)
    narrow, wide = _atoms(GameRef(shape)), _atoms(GameRef(paid.shape))
    kept = [k for k, a in enumerate(narrow) if _money_atom(a)]
    assert len(kept) >= 5
    before, after = exact_values(narrow, game), exact_values(wide, paid)
    assert [after[k] for k in kept] == [before[k] for k in kept]
    n = len(shape)
    assert [after[1 + i] for i in range(n)] == [before[1 + i] + (n - 1) * amount for i in range(n)]  # max_i


@pytest.mark.parametrize("concept_id,shapes", [
    ("coco", [(2, 2), (3, 3)]), ("rose", [(2, 2), (2, 3)]), ("rose-joint", [(3, 3)]),
    ("shapley-coco", [(2, 3)]), ("shapley-rose", [(2, 2)]),
])
def test_built_in_definitions_ignore_side_payments_by_form(concept_id, shapes):
    for shape in shapes:
        proof = form_proof(concept_id, "money", shape)
        assert proof is not None and proof.pinned_checks == 27  # 9 pinned games x 3 amounts
    assert "too many to check" in form_obstacle("shapley-rose", "money", (2, 1, 1))


def test_money_by_form_needs_atoms_that_payments_cannot_move(user_concept):
    best = user_concept("test-max", lambda g: [g.max_payoff(0), g.max_payoff(1)])
    assert "not unchanged by side payments" in form_obstacle(best.id, "money", (2, 2))
    found = search(best, get_desideratum("money"), (1, 1), Fraction(5), seed=0, timeout=10)
    assert found.violation is not None  # the other player can pay: max_i grows by T
    # The zero-sum game turned around: its maximizer gains by paying, which the lemma does not
    # cover. Not a claim that money fails: with two players both sides pay T and the payments
    # cancel in the value (the exact check agrees), the form only does not say so.
    turned = user_concept("test-turned", lambda g: [g.M / 2 - g.value((g.U[1] - g.U[0]) / 2),
                                                    g.M / 2 + g.value((g.U[1] - g.U[0]) / 2)])
    assert "gains by paying" in form_obstacle(turned.id, "money", (2, 2))
    game = _game((2, 2), [[3, -1, 0, 4], [2, 5, -3, 1]])
    assert get_desideratum("money").check(turned, game, {"amount": "2"}) is None


def test_a_payment_sensitive_surplus_is_an_encoding_defect(monkeypatch):
    # S_0 read as S_0 + max_0/4: still homogeneous, but not money-proof (player 2 can pay
    # player 1, so max_0 grows by T), and ROSE's values move in the payment game.
    from bargaincheck.specs.concepts.basic import max_payoff

    reading = algebra.ExactReading._atom
    monkeypatch.setattr(algebra.ExactReading, "_atom", lambda self, atom: reading(self, atom) + (
        max_payoff(self.game(atom.game), 0) / 4 if atom.kind == "S" and atom.args[0] == 0 else 0))
    monkeypatch.setattr(desiderata_base, "_VALUE_CACHE", OrderedDict())
    with pytest.raises(FormDefect, match="exact implementation says"):
        form_proof("rose", "money", (2, 2))


@pytest.mark.parametrize("concept_id,shapes", [
    ("coco", [(2, 2), (2, 3), (3, 3)]),
    ("rose", [(2, 2), (2, 3), (3, 3)]),
    ("rose-joint", [(2, 2), (3, 3)]),
    ("shapley-coco", [(2, 2), (2, 1, 1), (2, 2, 2)]),
    ("shapley-rose", [(2, 3), (2, 1, 1), (2, 2, 2)]),
    ("selfish-split", [(2, 2), (3, 3), (2, 2, 2)]),
])
def test_built_in_definitions_are_scale_covariant_by_form(concept_id, shapes):
    for shape in shapes:
        proof = form_proof(concept_id, "scale", shape)
        assert proof is not None and proof.pinned_checks == 27  # 9 pinned games x 3 factors
        assert "every game of shape" in proof.message


@pytest.mark.parametrize("concept_id,shapes,constant", [
    ("coco", [(2, 2), (3, 3)], 2), ("rose", [(2, 2), (2, 3)], 4), ("rose-joint", [(3, 3)], 4),
    ("shapley-coco", [(2, 3), (2, 2, 2)], None), ("shapley-rose", [(2, 2), (2, 1, 1)], None),
])
def test_linear_definitions_are_linear_and_lipschitz_by_form(concept_id, shapes, constant):
    for shape in shapes:
        assert form_proof(concept_id, "linearity", shape) is not None
        proof = form_proof(concept_id, "continuity", shape)
        assert proof is not None
        if constant is not None:  # the elementary bounds: CoCo 2, 2-player ROSE 4 (M/2 + two S/2 of 3 each)
            assert f"with constant {constant} ≤ L = 20" in proof.message
    assert "with constant 12 ≤ L = 30" in form_proof("shapley-rose", "continuity", (2, 2, 2)).message


def test_choices_are_neither_linear_nor_lipschitz_by_form():
    # The selfish split picks each player's favourite profile: an argmax over payoff entries.
    assert "not linear by its form" in form_obstacle("selfish-split", "linearity", (2, 2))
    assert "no Lipschitz constant by its form" in form_obstacle("selfish-split", "continuity", (2, 2))


def test_entries_are_not_additive_and_maxima_keep_their_constant(user_concept):
    corner = user_concept("test-corner", lambda g: [g.payoff(0, (0, 0)), g.payoff(1, (0, 0))])
    assert "not additive over parallel games" in form_obstacle(corner.id, "linearity", (2, 2))
    assert form_proof(corner.id, "continuity", (2, 2)) is not None
    best = user_concept("test-best", lambda g: [maximum(g.maximin(0), g.M / 4), minimum(g.maximin(1), g.M)])
    assert form_obstacle(best.id, "continuity", (2, 2)) is None
    assert "with constant 2 ≤ L = 20" in form_proof(best.id, "continuity", (2, 2)).message
    assert "not linear by its form" in form_obstacle(best.id, "linearity", (2, 2))


@pytest.mark.parametrize("factor,desideratum", [(2, "shift"), (100, "continuity")])
def test_a_wrong_shift_or_lipschitz_lemma_is_an_encoding_defect(monkeypatch, factor, desideratum):
    # S read as factor·S: still homogeneous and additive, but S_l would move by 2·c_l under a
    # shift (and ROSE's values with it), and 100·S is not 3-Lipschitz any more.
    reading = algebra.ExactReading._atom
    monkeypatch.setattr(algebra.ExactReading, "_atom",
                        lambda self, atom: reading(self, atom) * (factor if atom.kind == "S" else 1))
    monkeypatch.setattr(desiderata_base, "_VALUE_CACHE", OrderedDict())
    with pytest.raises(FormDefect, match="exact implementation says"):
        form_proof("rose", desideratum, (2, 2))
    assert form_proof("rose", "scale", (2, 2)) is not None


def test_no_form_proof_without_a_definition_on_the_shape():
    assert form_obstacle("rose", "scale", (2, 2, 2)) == "no symbolic form on this shape"
    assert form_obstacle("coco", "submax", (2, 2)) == "no form argument for submax"
    assert "not a nonnegative combination" in form_obstacle("coco", "maximin", (2, 2))  # val needs the solvers
    assert form_obstacle("rose", "linearity", (2, 2)) is None


@pytest.fixture
def user_concept(monkeypatch):
    def add(concept_id, build):
        definition = Definition(build, 2, 2)
        monkeypatch.setitem(CONCEPTS, concept_id, Concept(concept_id, concept_id, "test", definition.exact, 2, 2,
                                                          definition=definition))
        return get_concept(concept_id)
    return add


def test_a_constant_is_not_homogeneous_and_the_search_refutes_it(user_concept):
    # maximin + (M − Σ maximin)/2, plus 1 for player 1 and −1 for player 2: Pareto, not scale covariant.
    concept = user_concept("test-plus-one", lambda g: [g.maximin(0) + (g.M - g.maximin(0) - g.maximin(1)) / 2 + 1,
                                                       g.maximin(1) + (g.M - g.maximin(0) - g.maximin(1)) / 2 - 1])
    assert "the constant 1" in form_obstacle(concept.id, "scale", (2, 2))
    assert form_proof(concept.id, "scale", (2, 2)) is None
    reason = open_reason(concept.id, "scale", ["2x2"], [])
    assert "the constant 1" in reason and reason.endswith("no SMT encoding of scale")
    assert smt_check(concept.id, "scale", "2x2", 10, 30, write=False).outcome == UNKNOWN
    found = search(concept, get_desideratum("scale"), (1, 1), Fraction(5), seed=0, timeout=10)
    assert found.violation is not None  # φ(2G) = 2φ(G) fails on any game: the constant does not double


def test_a_condition_against_a_constant_is_not_homogeneous(user_concept):
    concept = user_concept("test-threshold", lambda g: [cases(g.M >= 1, g.M, 0), 0 * g.M])
    assert "the condition" in form_obstacle(concept.id, "scale", (2, 2))
    # the same condition against another homogeneous quantity is fine
    fine = user_concept("test-compare", lambda g: [cases(g.M >= g.maximin(0), g.M, g.maximin(0)), 0 * g.M])
    assert form_obstacle(fine.id, "scale", (2, 2)) is None


def test_a_wrong_lemma_is_an_encoding_defect_not_a_proof(monkeypatch):
    # Pretend the exact M were M + 1 (not homogeneous) while the form still counts M as an atom
    # of degree 1: the pinned exact check must refuse the form proof.
    reading = algebra.ExactReading._atom

    def shifted(self, atom):
        value = reading(self, atom)
        return value + 1 if atom.kind == "M" else value

    monkeypatch.setattr(algebra.ExactReading, "_atom", shifted)
    monkeypatch.setattr(desiderata_base, "_VALUE_CACHE", OrderedDict())  # values of the real reading
    with pytest.raises(FormDefect, match="exact implementation says"):
        form_proof("coco", "scale", (2, 2))
    result = smt_check("coco", "scale", "2x2", 10, 30, write=False)
    assert result.outcome == UNKNOWN and "encoding defect" in result.message


def test_check_command_proves_scale_by_form(tmp_path):
    run = subprocess.run([sys.executable, "-m", "bargaincheck", "check", "--concept", "rose", "--desideratum",
                          "scale", "--shape", "3x3", "--method", "smt", "--catalogue", str(tmp_path), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["outcome"] == PROVED and result["method"] == "form" and result["solvers"] == []
    assert "by the form of the definition" in result["message"]
