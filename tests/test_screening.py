"""Screened search (checkers/screening.py): the float readings agree with the
exact ones, the exact check stays the only judge, and search falls back to
the exact path where there is no float reading."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings

from strategies import games

from bargaincheck.checkers import screening
from bargaincheck.checkers.replay import replay_file
from bargaincheck.checkers.search import run_check, search
from bargaincheck.specs.concepts.registry import evaluate, get_concept
from bargaincheck.specs.desiderata.registry import get_desideratum
from bargaincheck.specs.transforms import identical_players

TOLERANCE = 1e-9  # |float − exact| ≤ TOLERANCE·(1 + max |payoff|), as in tests/test_batch.py


def _first_games(shape, count, seed=1, bound=5):
    return next(screening.game_blocks(shape, Fraction(bound), seed)).head(count)


def test_the_screened_stream_replays_from_its_seed():
    first = next(screening.game_blocks((2, 3), Fraction(5), 7))
    again = next(screening.game_blocks((2, 3), Fraction(5), 7))
    assert np.array_equal(first.numerators, again.numerators)
    assert np.array_equal(first.denominators, again.denominators)


def test_screened_games_keep_the_bound_and_their_exact_twins():
    stream = screening.game_blocks((3, 2), Fraction(4), 3)
    for block in (next(stream) for _ in range(screening.SUBSHAPE_EVERY)):
        assert all(1 <= k <= s for k, s in zip(block.shape, (3, 2)))
        payoffs = block.payoffs()
        for b in range(0, len(block), 97):
            game = block.game(b)
            assert game.max_abs_payoff() <= 4
            assert np.array_equal(payoffs[b].reshape(2, -1), np.array([[float(v) for v in row] for row in game.payoffs]))


def test_the_symmetric_style_makes_players_one_and_two_identical():
    rng = np.random.default_rng(0)
    block = screening._block((2, 2, 3), Fraction(5), rng, 20, np.array(["symmetric"] * 20))
    assert all(identical_players(block.game(b), 0, 1) for b in range(len(block)))


@pytest.mark.parametrize("concept_id, shape", [
    ("coco", (3, 3)), ("rose", (3, 3)), ("rose", (2, 4)), ("shapley-coco", (2, 2, 2)), ("shapley-rose", (2, 2, 2)),
    ("shapley-rose", (2, 1, 3)), ("selfish-split", (2, 3)), ("selfish-split", (2, 2, 2)),
])
def test_float_readings_of_concepts_match_the_exact_values(concept_id, shape):
    block = _first_games(shape, 40)
    values = screening.batch_concept(concept_id, len(shape))(block.payoffs())
    concept = get_concept(concept_id)
    for b in range(len(block)):
        game = block.game(b)
        exact = evaluate(concept, game).values
        assert np.allclose(values[b], [float(v) for v in exact], rtol=0,
                           atol=TOLERANCE * (1 + float(game.max_abs_payoff())))


@settings(max_examples=25, deadline=None)
@given(games(n_players=2, actions=(1, 3), bound=6, denominators=(1, 2, 3)))
def test_the_float_rose_value_matches_the_exact_one_on_generated_games(game):
    from bargaincheck.specs import batch

    values = screening.batch_concept("rose", 2)(batch.payoff_batch([game]))[0]
    exact = evaluate(get_concept("rose"), game).values
    assert np.allclose(values, [float(v) for v in exact], rtol=0, atol=TOLERANCE * (1 + float(game.max_abs_payoff())))


def test_pairs_without_a_float_reading_are_not_screened():
    ce_split, threat = get_concept("ce-split-utilitarian"), get_desideratum("threat")  # a CE atom: no batched reading
    assert screening.batch_concept("ce-split-utilitarian", 2) is None
    assert screening.screening_plan(ce_split, threat, (2, 2), Fraction(5)) is None
    assert screening.screening_plan(get_concept("coco"), get_desideratum("continuity"), (2, 2), Fraction(5)) is None
    assert screening.screening_plan(get_concept("rose"), get_desideratum("pareto"), (2, 2, 2), Fraction(5)) is None
    outcome = search(ce_split, get_desideratum("pareto"), (2, 2), Fraction(5), seed=1, max_games=20)
    assert "screened" not in outcome.extra and outcome.games == 20


def test_bounds_floats_cannot_hold_are_not_screened():
    coco, threat = get_concept("coco"), get_desideratum("threat")
    assert screening.screening_plan(coco, threat, (2, 2), Fraction(10) ** 300) is None
    assert screening.screening_plan(coco, threat, (2, 2), Fraction(10)) is not None


# The desiderata whose float violation is compared with the exact check's gap, per concept and shape.
DIFFERENTIAL = [
    ("coco", "pareto", (3, 3)), ("coco", "maximin", (3, 3)), ("coco", "submax", (2, 3)),
    ("coco", "threat", (2, 2)), ("rose", "threat", (2, 2)), ("rose", "payoff-dominance", (3, 3)),
    ("rose", "symmetry", (3, 3)), ("coco", "shift", (2, 3)), ("rose", "scale", (2, 2)),
    ("rose", "redundancy", (2, 3)), ("coco", "money", (2, 2)), ("shapley-rose", "maximin", (2, 2, 2)),
    ("shapley-rose", "null-player", (2, 2)), ("shapley-coco", "symmetry", (2, 2, 2)),
    ("shapley-coco", "submax", (2, 2, 2)),
]


@pytest.mark.parametrize("concept_id, desideratum_id, shape", DIFFERENTIAL)
def test_the_float_violation_is_the_exact_one(concept_id, desideratum_id, shape):
    """On the stream's first games: a game is a candidate exactly when the
    exact check (with the proposed parameters) finds a violation, and then
    the float violation is the exact gap within the tolerance."""
    concept, desideratum = get_concept(concept_id), get_desideratum(desideratum_id)
    plan = screening.screening_plan(concept, desideratum, shape, Fraction(5))
    block = _first_games(shape, 48)
    with np.errstate(all="ignore"):
        violation, choice = plan.batched.screen(plan.reading, block.payoffs(), 6, plan.skipped)
    for b in range(len(block)):
        game = block.game(b)
        if not desideratum.applies(concept, game):
            assert not violation[b] > 0  # no premise in float either (payoff dominance, symmetry)
            continue
        found = desideratum.check(concept, game, plan.batched.params(game, int(choice[b]), 6))
        slack = TOLERANCE * (1 + float(game.max_abs_payoff()))
        if found is None:
            assert violation[b] <= slack
        else:
            assert abs(violation[b] - float(found.gap)) <= slack


def test_a_float_reading_that_claims_violations_everywhere_logs_nothing(monkeypatch, tmp_path):
    """Screening forced to be wrong: the float Pareto violation of every game
    is made 1. Every game becomes a candidate, the exact check refuses each,
    and nothing is logged."""
    pareto = screening.BATCHED_DESIDERATA["pareto"]
    monkeypatch.setattr(type(pareto), "violation", lambda self, values, payoffs: np.ones(payoffs.shape[0]))
    outcome = search(get_concept("coco"), get_desideratum("pareto"), (2, 2), Fraction(5), seed=0, max_games=300)
    assert outcome.violation is None
    assert outcome.games == outcome.extra["candidates"] == 300
    assert outcome.extra["exact_checks"] == 300
    result = run_check("coco", "pareto", "2x2", 5, "search", timeout=20, max_games=300, catalogue=tmp_path)
    assert result.outcome == "unknown" and result.witness_path is None
    assert not list(tmp_path.glob("*.json"))


def test_a_concept_whose_float_values_are_off_logs_nothing(monkeypatch, tmp_path):
    """A float reading of CoCo off by 1/2 for player 1: in float every game's
    values sum to M + 1/2, so every game is a Pareto candidate; the exact
    check, the judge, refuses every one (CoCo splits exactly M)."""
    real = screening.batch_concept
    shifted = lambda payoffs: real("coco", 2)(payoffs) + np.array([0.5, 0.0])  # noqa: E731
    monkeypatch.setattr(screening, "batch_concept",
                        lambda concept_id, n: shifted if concept_id == "coco" else real(concept_id, n))
    plan = screening.screening_plan(get_concept("coco"), get_desideratum("pareto"), (2, 2), Fraction(5))
    outcome = search(get_concept("coco"), get_desideratum("pareto"), (2, 2), Fraction(5), seed=3, max_games=200)
    assert plan is not None and outcome.violation is None
    assert outcome.extra["candidates"] == 200  # every float sum is off by 1/2 ...
    assert outcome.extra["exact_checks"] == 200  # ... and the exact check refused every one


def test_a_violation_found_by_screening_is_reverified_and_replays(tmp_path):
    """CoCo's threat failure (seed 001), found by screening, confirmed by the
    exact check, minimized, logged and replayed exactly."""
    result = run_check("coco", "threat", "3x3", 10, "search", timeout=30, seed=0, catalogue=tmp_path)
    assert result.outcome == "counterexample"
    assert result.details["screened"] is True and result.details["exact_checks"] >= 1
    assert replay_file(result.witness_path).confirmed
    record = json.loads(open(result.witness_path).read())
    assert record["found_by"]["method"] == "search"


def test_screening_finds_the_shapley_rose_maximin_failure_on_three_players():
    """Shapley-ROSE violates maximin dominance for n ≥ 3 (seed 000, the bomb
    game): screening finds a 2x2x2 game, and the exact check confirms it."""
    concept, maximin = get_concept("shapley-rose"), get_desideratum("maximin")
    outcome = search(concept, maximin, (2, 2, 2), Fraction(5), seed=0, timeout=20)
    assert outcome.extra["screened"] is True
    violation = outcome.violation
    assert violation is not None and violation.gap > 0
    assert maximin.check(concept, violation.game, violation.params).gap == violation.gap


def test_the_screened_search_replays_from_its_seed_and_game_count():
    concept, threat = get_concept("coco"), get_desideratum("threat")
    first = search(concept, threat, (2, 3), Fraction(10), seed=4, timeout=20)
    again = search(concept, threat, (2, 3), Fraction(10), seed=4, timeout=20, max_games=first.games)
    assert first.violation is not None
    assert again.violation.game == first.violation.game and again.games == first.games


def test_a_users_algebraic_concept_gets_its_float_reading_from_its_definition():
    """Equal split above maximin, written in the algebra: screened with the
    float reading of its one definition, equal to its exact values."""
    from bargaincheck.specs.concepts.plugins import algebraic_concept, as_concept
    from bargaincheck.specs.concepts.registry import CONCEPTS

    @algebraic_concept("equal-above-maximin-test")
    def equal_above_maximin(g):
        floors = [g.maximin(i) for i in range(g.n_players)]
        share = (g.M - sum(floors)) / g.n_players
        return [floor + share for floor in floors]

    concept = as_concept(equal_above_maximin)
    CONCEPTS[concept.id] = concept
    try:
        block = _first_games((3, 2), 30)
        values = screening.batch_concept(concept.id, 2)(block.payoffs())
        for b in range(len(block)):
            game = block.game(b)
            assert np.allclose(values[b], [float(v) for v in evaluate(concept, game).values], rtol=0,
                               atol=TOLERANCE * (1 + float(game.max_abs_payoff())))
    finally:
        CONCEPTS.pop(concept.id)
