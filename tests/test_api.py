"""The Python API (`check`, `survey`) and the pytest helper, the latter run in
a temporary project through pytest's own `pytester`."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bargaincheck.checkers.api import Witness, check, survey
from bargaincheck.specs.concepts.registry import CONCEPTS

pytest_plugins = ["pytester"]


def equal_split(game):
    """M/n to each player."""
    m = max(game.total(p) for p in game.profiles())
    return [Fraction(m) / game.n_players] * game.n_players


def test_coco_threat_witness_is_one_profile_and_a_torture_button():
    """The minimal witness: one profile with payoffs (0, 0). With a button by
    which player 2 burns 1 of player 1's utility, (U_1 − U_2)/2 = [0, −1/2]
    (player 2 minimizing picks −1/2), M = 0: CoCo moves from (0, 0) to
    (−1/2, 1/2)."""
    result = check("coco", "threat", shape="2x2", bound=10, games=200)
    assert result.violated and not result.proved
    witness = result.witness
    assert isinstance(witness, Witness) and witness.minimal
    assert witness.game.shape == (1, 1) and witness.game.payoffs == ((0,), (0,))
    assert witness.values["original"] == (0, 0)
    assert witness.values["transformed"] == (Fraction(-1, 2), Fraction(1, 2))
    assert witness.gap == Fraction(1, 2)
    assert witness.replay().confirmed


def test_a_callable_concept_is_checked_and_not_left_registered():
    before = set(CONCEPTS)
    result = check(equal_split, "pareto", shape="2x2", bound=5, games=150)
    assert result.unknown and result.witness is None
    assert result.details["games"] == 150  # a game-count budget is exact
    assert set(CONCEPTS) == before


def test_callable_violation_replays_with_the_callable():
    """The equal split gives M/2 each: on one profile with payoffs (1, −1),
    M = 0 < maximin_1 = 1."""
    result = check(equal_split, "maximin", shape="2x2", bound=5, games=400)
    assert result.violated
    values, guarantees = result.witness.values["values"], result.witness.values["maximin"]
    assert any(v < g for v, g in zip(values, guarantees))
    assert sum(values) == max(result.witness.game.total(p) for p in result.witness.game.profiles())
    assert result.witness.replay(equal_split).confirmed


def test_catalogue_keeps_the_witness_file(tmp_path):
    result = check("coco", "submax", games=200, catalogue=tmp_path)
    assert result.witness_path is not None and result.witness.path.exists()
    assert Witness.load(result.witness_path).record["canonical_key"] == result.details["canonical_key"]


def test_survey_matrix_and_expected_differences(tmp_path):
    """CoCo violates threat resistance (the torture button above); the equal
    split of M is Pareto by construction: proved by the form of its definition."""
    result = survey(
        concepts=["coco"],
        desiderata=["threat", "pareto"],
        games=100,
        out=tmp_path / "s",
        expect={"coco/threat": "none-found", "coco/pareto": "proved"},
    )
    assert result.matrix == {("coco", "threat"): "counterexample", ("coco", "pareto"): "proved"}
    assert [(d.cell, d.kind) for d in result.differences] == [("coco/threat", "property lost: new counterexample")]
    assert [w.concept for w in result.witnesses()] == ["coco"]


HELPER_PROJECT_TESTS = '''
from bargaincheck.checkers.pytest_plugin import assert_satisfies, assert_violates
from my_concepts import equal_split


def test_pareto_holds():
    result = assert_satisfies("my_concepts:equal_split", "pareto", shape="2x2", bound=10, games=200)
    assert result.unknown


def test_maximin_fails_with_a_witness():
    witness = assert_violates("my_concepts:equal_split", "maximin", shape="2x2", bound=10, games=500)
    assert witness.game.n_players == 2 and witness.minimal


def test_fixture_logs_the_witness(bargaincheck):
    witness = bargaincheck.assert_violates(equal_split, "maximin", games=500)
    assert witness.path is not None and witness.path.exists()


def test_wrong_claim_is_red():
    assert_satisfies("my_concepts:equal_split", "maximin", games=500)


def test_wrong_violation_claim_is_red():
    assert_violates("my_concepts:equal_split", "pareto", games=100)
'''


def test_pytest_helper_in_a_temporary_project(pytester):
    pytester.makepyfile(
        my_concepts='''
from fractions import Fraction

def equal_split(game):
    m = max(game.total(p) for p in game.profiles())
    return [Fraction(m) / game.n_players] * game.n_players
''',
        test_my_concepts=HELPER_PROJECT_TESTS,
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=2)
    result.stdout.fnmatch_lines([
        "*my_concepts:equal_split violates maximin on 2x2 games within bound 10*",
        "*below its maximin value*",
        "*expected my_concepts:equal_split to violate pareto*but the check says unknown*",
    ])
