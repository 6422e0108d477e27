"""Scale covariance by the form of a definition (`checkers.form`): the atom
lemma it rests on, checked exactly; the built-in concepts it decides; the
definitions it must not decide; and the exact cross-check that turns a wrong
lemma into an encoding defect instead of a proof."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargaincheck.checkers.form import FormDefect, form_obstacle, form_proof
from bargaincheck.checkers.results import PROVED, UNKNOWN
from bargaincheck.checkers.search import search
from bargaincheck.checkers.smt import smt_check
from bargaincheck.checkers.survey import open_reason
from bargaincheck.specs.concepts import algebra
from bargaincheck.specs.concepts.algebra import Definition, GameRef, cases, exact_values
from bargaincheck.specs.concepts.registry import CONCEPTS, Concept, get_concept
from bargaincheck.specs.desiderata.registry import get_desideratum
from bargaincheck.specs.games import Game
from bargaincheck.specs.transforms import scale_game

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


def _atoms(g: GameRef):
    """One atom of every kind the lemma names, on the game and its coalitions."""
    found = [g.M] + [g.max_payoff(i) for i in range(g.n_players)] + [g.maximin(i) for i in range(g.n_players)]
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
    atoms = _atoms(GameRef(shape))
    assert exact_values(atoms, scale_game(game, lam)) == tuple(lam * v for v in exact_values(atoms, game))


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
        assert proof is not None and proof.pinned_games == 9
        assert "every game of shape" in proof.message


def test_no_form_proof_without_a_definition_on_the_shape():
    assert form_obstacle("ce-split-utilitarian", "scale", (2, 2)) == "no symbolic form on this shape"
    assert form_obstacle("rose", "scale", (2, 2, 2)) == "no symbolic form on this shape"
    assert form_obstacle("coco", "maximin", (2, 2)) == "no form argument for maximin"


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
