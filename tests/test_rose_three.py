"""Three-player ROSE's hand-written SMT encoding on shapes with a one-action
player (`encoders.rose_three`): its values equal the exact implementation's
(the branch and bound of `specs.concepts.rose`) on random games of every
covered shape, by hand on one game, and a wrong formula is refused as an
encoding defect before any proof; a proof record made with it names the
encoding in its fingerprint."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargaincheck.checkers import agreement
from bargaincheck.checkers.plugins import check_encoding
from bargaincheck.checkers.proofs import fingerprint
from bargaincheck.encoders import rose_three
from bargaincheck.encoders.concepts import CONCEPT_ENCODINGS
from bargaincheck.specs.concepts.rose import rose_value
from bargaincheck.specs.games import Game

SHAPES = [(2, 2, 1), (2, 1, 2), (1, 2, 2), (2, 1, 1), (1, 1, 2)]


def _random_game(shape, rng: random.Random, bound: int = 5) -> Game:
    size = shape[0] * shape[1] * shape[2]
    return Game(tuple(tuple(str(a + 1) for a in range(k)) for k in shape),
                tuple(tuple(Fraction(rng.randint(-bound, bound)) for _ in range(size)) for _ in range(3)))


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s)))
def test_the_encoding_equals_the_branch_and_bound_on_random_games(shape):
    rng = random.Random(hash(shape) % 1000)
    for _ in range(150 if shape.count(1) == 1 else 300):
        game = _random_game(shape, rng)
        assert rose_value(game).kind == "rational"  # the reference is exact on these shapes
        assert check_encoding("rose", game) == [], game.describe()


@pytest.mark.slow
@pytest.mark.parametrize("shape", [(2, 2, 1), (2, 1, 2), (1, 2, 2)], ids=lambda s: "x".join(map(str, s)))
def test_the_encoding_equals_the_branch_and_bound_on_2000_games(shape):
    rng = random.Random(7)
    for _ in range(2000):
        game = _random_game(shape, rng, bound=10)
        assert check_encoding("rose", game) == [], game.describe()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.fractions(min_value=-10, max_value=10, max_denominator=6), min_size=12, max_size=12),
       st.sampled_from([(2, 2, 1), (2, 1, 2), (1, 2, 2)]))
def test_the_encoding_equals_the_branch_and_bound_on_rational_payoffs(payoffs, shape):
    game = Game(tuple(tuple(str(a + 1) for a in range(k)) for k in shape),
                tuple(tuple(payoffs[4 * i:4 * i + 4]) for i in range(3)))
    assert check_encoding("rose-joint", game) == []


def test_one_game_by_hand():
    """U_1 = [[2, 0], [0, 0]], U_2 = [[0, 0], [0, 1]], player 3 has one action
    and U_3 = [[1, 0], [0, 0]]; M = 3 at the first profile. By the formulas
    of `encoders.rose_three` (ranks' values W₁, W₂ − W₁, M − W₂):
    * order (1, 2, 3): W₁ = S of player 1 in (U_1, U_2) = 2 (row 1, player 2
      indifferent), W₂ = max(U_1 + U_2) = 2: values 2, 0, 1;
    * order (2, 1, 3): W₁ = S of player 2 = 1 (column 2; mixing only lowers
      1 − 3α), W₂ = 2: values 1, 1, 1;
    * order (1, 3, 2): W₁ = S(U_1 | U_3 + U_2) = 2, W₂ = S(U_1 + U_3 | U_2) = 3:
      values 2, 1, 0;
    * order (3, 1, 2): W₁ = S(U_3 + U_1 | U_2) − S(U_1 | U_2) = 3 − 2 = 1,
      W₂ = 3: values 1, 2, 0.
    Averaged over the six orders: ROSE = (11/6, 1/2, 2/3), which is what
    the branch and bound computes and what the encoding gives."""
    from bargaincheck.specs.concepts.rose import initiative_values

    game = Game.from_arrays([[[[2], [0]], [[0], [0]]], [[[0], [0]], [[0], [1]]], [[[1], [0]], [[0], [0]]]])
    by_hand = {(0, 1, 2): (2, 0, 1), (1, 0, 2): (1, 1, 1), (0, 2, 1): (2, 1, 0), (2, 0, 1): (1, 2, 0)}
    for order, values in by_hand.items():
        assert initiative_values(game, order).values == tuple(Fraction(v) for v in values)
    reference = rose_value(game)
    assert reference.kind == "rational" and reference.values == (Fraction(11, 6), Fraction(1, 2), Fraction(2, 3))
    assert check_encoding("rose", game) == []


def test_shapes_outside_the_encoding_have_no_encoding():
    from bargaincheck.encoders.symbolic import SymbolicGame

    assert not rose_three.covers((2, 2, 2)) and not rose_three.covers((2, 2)) and not rose_three.covers((2, 2, 1, 1))
    with pytest.raises(ValueError, match="one-action player"):
        rose_three.rose_three_players(SymbolicGame.pinned(_random_game((2, 2, 2), random.Random(0))))


def test_both_rose_concepts_are_registered_and_the_two_player_definition_still_rules():
    from bargaincheck.encoders.desiderata import _player_values
    from bargaincheck.encoders.symbolic import SymbolicGame
    from bargaincheck.specs.concepts.registry import get_concept

    assert CONCEPT_ENCODINGS["rose"] is CONCEPT_ENCODINGS["rose-joint"] is rose_three.rose_three_players
    assert get_concept("rose").symbolic_on((2, 2))  # two players: the algebra, never the hand encoding
    game = SymbolicGame.pinned(Game.from_arrays([[[1, 0], [0, 2]], [[0, 3], [1, 0]]]))
    assert len(_player_values("rose", game)) == 2


def test_a_wrong_formula_is_an_encoding_defect_not_a_proof(monkeypatch):
    """W₁ and W₂ swapped in the orders whose last player has one action: the
    values still sum to M (Pareto would be 'proved' by the form of the
    encoding), but the agreement check catches the change on pinned games."""
    original = rose_three._initiative

    def swapped(g, order):
        w1, w2 = original(g, order)
        return (w2, w1) if g.shape[order[2]] == 1 else (w1, w2)

    monkeypatch.setattr(rose_three, "_initiative", swapped)
    with pytest.raises(agreement.EncodingDefect, match="exact implementation"):
        agreement.check_agreement("rose", (2, 2, 1), Fraction(10))


def test_a_record_made_with_the_encoding_names_it_in_its_fingerprint():
    three = fingerprint("rose", "maximin", "tu", "2x2x1")["sources"]
    two = fingerprint("rose", "maximin", "tu", "2x2")["sources"]
    assert "encoders/rose_three.py" in three and "encoders/__init__.py" in three
    assert "encoders/rose_three.py" not in two
    assert "encoders/rose_three.py" not in fingerprint("coco", "maximin", "tu", "2x2x1")["sources"]


def test_three_player_pareto_holds_by_the_encodings_form_and_says_it_is_the_formula(tmp_path):
    """Three-player ROSE sums to M in every order (W₁ + (W₂ − W₁) + (M − W₂)),
    so the Pareto queries are constants; the record must not claim the
    algebra's 'as implemented' reading: the hand encoding is a formula, tied
    to the implementation by the agreement check only."""
    from bargaincheck.checkers.smt import BY_FORM, smt_check

    result = smt_check("rose", "pareto", "2x2x1", 10, 60, tmp_path, use_form=False)
    assert result.outcome == "proved" and BY_FORM in result.message
    assert result.details["checks"]["agreement_pinned_games"] == 9


def test_agreement_with_a_numeric_reference_is_within_its_proven_error(monkeypatch):
    """n-player ROSE may come back numeric, with a proven error bound: the
    encoding must match within that bound, and is a defect outside it."""
    from bargaincheck.specs.concepts.registry import Valuation

    exact = agreement.evaluate

    def loosened(by: Fraction, bound: Fraction):
        def evaluate(concept, game):
            values = exact(concept, game).values
            return Valuation(tuple(v + by for v in values), "numeric", bound, "test")
        return evaluate

    monkeypatch.setattr(agreement, "evaluate", loosened(Fraction(1, 10**7), Fraction(1, 10**6)))
    assert agreement.check_agreement("rose", (2, 1, 1), Fraction(10)) == 9
    monkeypatch.setattr(agreement, "evaluate", loosened(Fraction(1, 10**5), Fraction(1, 10**6)))
    with pytest.raises(agreement.EncodingDefect, match="within 1/1000000"):
        agreement.check_agreement("rose", (2, 1, 1), Fraction(10))
