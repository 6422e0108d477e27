"""Expected-results tables: the comparison names every differing cell with
its meaning, and `bargaincheck survey --expect FILE` catches a regression
injected into a user's concept (exit 1, the cell named), with no false alarm
on an unchanged concept."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest

from bargaincheck.checkers.cli import main
from bargaincheck.checkers.expect import compare, load_expected, matrix_of, write_expected
from bargaincheck.specs.games import GameError

FAIR = '''
from fractions import Fraction


def fair(game):
    """M split equally: Pareto by construction, below maximin on some games."""
    m = max(game.total(p) for p in game.profiles())
    return [Fraction(m) / game.n_players] * game.n_players
'''

# The regression: player 1's share is cut by 1, so the values no longer sum to M.
FAIR_BROKEN = '''
from fractions import Fraction


def fair(game):
    """M split equally ... after a careless edit that drops one unit of surplus."""
    m = max(game.total(p) for p in game.profiles())
    values = [Fraction(m) / game.n_players] * game.n_players
    values[0] -= 1
    return values
'''


def test_every_kind_of_difference_is_named():
    expected = {
        ("a", "pareto"): "proved",
        ("a", "maximin"): "proved",
        ("a", "threat"): "counterexample",
        ("a", "submax"): "none-found",
        ("a", "shift"): "none-found",
    }
    actual = {
        ("a", "pareto"): "counterexample",
        ("a", "maximin"): "none-found",
        ("a", "threat"): "none-found",
        ("a", "submax"): "none-found",
        ("a", "symmetry"): "counterexample",
    }
    kinds = {(d.cell, d.kind, d.failing) for d in compare(expected, actual)}
    assert kinds == {
        ("a/pareto", "property lost: new counterexample", True),
        ("a/maximin", "proof became unknown", True),
        ("a/threat", "counterexample no longer found", True),
        ("a/shift", "cell missing from the run", True),
        ("a/symmetry", "not in the expected table", False),
    }


def test_equal_tables_have_no_difference():
    table = {("coco", "threat"): "counterexample", ("rose", "threat"): "none-found"}
    assert compare(table, dict(table)) == []


def test_survey_json_short_form_and_bare_form_read_alike(tmp_path):
    survey_json = {
        "cells": {
            "coco × threat": {"concept": "coco", "desideratum": "threat", "outcome": "counterexample"},
            "rose × threat": {"concept": "rose", "desideratum": "threat", "outcome": "unknown"},
        }
    }
    (tmp_path / "survey.json").write_text(json.dumps(survey_json))
    bare = {"coco/threat": "counterexample", "rose/threat": "none-found"}
    (tmp_path / "bare.json").write_text(json.dumps(bare))
    short = write_expected(tmp_path / "short.json", matrix_of(survey_json))
    tables = [load_expected(tmp_path / name) for name in ("survey.json", "bare.json", short.name)]
    assert tables[0] == tables[1] == tables[2] == {
        ("coco", "threat"): "counterexample",
        ("rose", "threat"): "none-found",
    }


def test_unknown_outcome_word_is_refused(tmp_path):
    (tmp_path / "bad.json").write_text(json.dumps({"coco/threat": "maybe"}))
    with pytest.raises(GameError, match="unknown outcome 'maybe'"):
        load_expected(tmp_path / "bad.json")


@pytest.fixture
def fair_module(tmp_path: Path, monkeypatch):
    """A user concept module outside the project, rewritable by the test."""
    folder = tmp_path / "user"
    folder.mkdir()
    name = f"fair_concept_{abs(hash(str(tmp_path))) % 10**8}"
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = folder / f"{name}.py"

    def write(source: str) -> str:
        path.write_text(source)
        sys.modules.pop(name, None)
        importlib.invalidate_caches()
        return f"{name}:fair"

    yield write
    sys.modules.pop(name, None)


def survey(capsys, out: Path, *extra: str) -> tuple[int, str, str]:
    status = main(["survey", "--out", str(out), "--quiet", "--no-pictures", "--jobs", "1", *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_expect_catches_an_injected_regression(capsys, tmp_path, fair_module):
    concept = fair_module(FAIR)
    table = tmp_path / "expected.json"
    status, _, err = survey(capsys, tmp_path / "run1", "--concepts", concept, "--desiderata", "pareto,maximin",
                            "--shapes", "2x2", "--games", "150", "--write-expected", str(table))
    assert status == 0, err
    recorded = load_expected(table)
    assert recorded == {(concept, "pareto"): "none-found", (concept, "maximin"): "counterexample"}

    # Unchanged concept: the table's own settings rerun it, no false alarm.
    status, out, err = survey(capsys, tmp_path / "run2", "--expect", str(table))
    assert status == 0 and "matches the expected table" in out

    fair_module(FAIR_BROKEN)
    status, out, err = survey(capsys, tmp_path / "run3", "--expect", str(table))
    assert status == 1
    assert f"{concept}/pareto: expected none-found, got counterexample (property lost: new counterexample)" in err
    assert f"{concept}/maximin" not in err  # still a counterexample, as recorded


def test_expect_catches_a_proof_recorded_but_not_reproduced(capsys, tmp_path):
    """An expected 'proved' cell that the run (search only, no --prove, and
    committed proof record nor form argument for ROSE × monotonicity-first)
    leaves at 'none-found' is a proof that became unknown; ROSE × Pareto has
    committed records and stays proved."""
    table = tmp_path / "expected.json"
    table.write_text(json.dumps({"cells": {"rose/monotonicity-first": "proved", "rose/pareto": "proved"},
                                 "settings": {"shapes": ["2x2"], "max_games_per_shape": 30}}))
    status, _, err = survey(capsys, tmp_path / "run", "--expect", str(table))
    assert status == 1
    assert "rose/monotonicity-first: expected proved, got none-found (proof became unknown)" in err
    assert "rose/pareto" not in err
