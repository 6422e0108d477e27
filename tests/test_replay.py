"""`bargaincheck replay`: every logged witness re-verifies exactly; tampered
or malformed files are rejected with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bargaincheck.checkers.cli import main
from bargaincheck.checkers.replay import replay_file
from bargaincheck.checkers.search import run_check

CATALOGUE = Path(__file__).resolve().parent.parent / "counterexamples"
WITNESSES = sorted(CATALOGUE.glob("*__*.json"))


def test_the_catalogue_is_not_empty():
    assert WITNESSES, f"no witness files in {CATALOGUE}"


@pytest.mark.parametrize("path", WITNESSES, ids=[p.name for p in WITNESSES])
def test_every_catalogue_witness_replays(path):
    result = replay_file(path)
    assert result.confirmed, result.message
    record = json.loads(path.read_text())
    assert result.violation.message == record["violation"]


def test_the_catalogue_index_lists_every_witness():
    index = json.loads((CATALOGUE / "index.json").read_text())
    assert sorted(e["file"] for e in index["witnesses"]) == [p.name for p in WITNESSES]
    text = (CATALOGUE / "INDEX.md").read_text()
    assert all(p.name in text for p in WITNESSES)


@pytest.fixture
def witness(tmp_path):
    """A fresh CoCo sub-max witness (the minimal 1x2 game)."""
    result = run_check("coco", "submax", "2x2", 10, "search", timeout=10, seed=0, catalogue=tmp_path)
    path = Path(result.witness_path)
    return path, json.loads(path.read_text())


def _write(path: Path, record: dict) -> Path:
    path.write_text(json.dumps(record, indent=2))
    return path


def test_replay_cli_confirms_with_exit_0(witness, capsys):
    path, record = witness
    assert main(["replay", str(path)]) == 0
    assert record["violation"] in capsys.readouterr().out


def test_a_changed_payoff_is_rejected(witness, tmp_path, capsys):
    path, record = witness
    record["game"]["payoffs"][0][0] = "7"
    tampered = _write(tmp_path / "tampered.json", record)
    assert main(["replay", str(tampered)]) == 1
    assert "NOT CONFIRMED" in capsys.readouterr().err


def test_changed_values_are_rejected(witness, tmp_path, capsys):
    path, record = witness
    record["values"]["values"] = ["3", "-2"]
    tampered = _write(tmp_path / "values.json", record)
    assert main(["replay", str(tampered)]) == 1
    assert "differ from the recorded" in capsys.readouterr().err


def test_a_wrong_concept_is_rejected(witness, tmp_path, capsys):
    """On the 1x2 game (0,0) | (1,0) ROSE gives (1, 0): the column player cannot
    extract anything, so ROSE satisfies sub-max here (seed 000, Proposition 12)
    and the file no longer shows a violation."""
    path, record = witness
    record["concept"] = "rose"
    tampered = _write(tmp_path / "concept.json", record)
    assert main(["replay", str(tampered)]) == 1
    assert "satisfies submax" in capsys.readouterr().err


def test_malformed_files_exit_2(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["replay", str(broken)]) == 2
    missing = _write(tmp_path / "missing.json", {"concept": "coco"})
    assert main(["replay", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "invalid JSON" in err and "missing key" in err
