"""Bargaining solutions through `check`, `replay` and `survey`."""

import json
from pathlib import Path

import pytest

from bargaincheck.checkers.cli import main

CATALOGUE = Path(__file__).resolve().parent.parent / "counterexamples" / "bargaining"
WITNESSES = sorted(CATALOGUE.glob("*__*.json"))


def test_check_finds_nash_below_the_random_dictator_point(tmp_path, capsys):
    """Minimal witness (seed 000 'ROSE Bargaining'): free disposal below (0,1) and (1,0), d = (−1, 0).
    Nash maximizes (u1+1)·u2 on the segment u1 + u2 = 1, u1 ∈ [0, 1]: (u1+1)(1−u1) is largest at
    u1 = 0, so Nash = (0, 1); the dictators' points are (1, 0) and (0, 1), averaging (1/2, 1/2)."""
    status = main(["check", "--concept", "nash", "--desideratum", "random-dictator", "--catalogue", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 1
    assert "(1/2, 1/2)" in out and "counterexample" in out
    witness = json.loads((tmp_path / "nash__random-dictator.json").read_text())
    assert witness["minimal"] is True and witness["kind"] == "bargaining"
    assert main(["replay", str(tmp_path / "nash__random-dictator.json")]) == 0


def test_replay_rejects_a_tampered_bargaining_witness(tmp_path, capsys):
    main(["check", "--concept", "nash", "--desideratum", "random-dictator", "--catalogue", str(tmp_path)])
    path = tmp_path / "nash__random-dictator.json"
    witness = json.loads(path.read_text())
    witness["values"] = {key: ["7"] * len(value) for key, value in witness["values"].items()}
    path.write_text(json.dumps(witness))
    capsys.readouterr()
    assert main(["replay", str(path)]) == 1
    assert "NOT CONFIRMED" in capsys.readouterr().err


def test_check_reports_no_proof_when_nothing_is_found(capsys):
    """Nash satisfies IIA: an exhaustive finite scope is reported as 'unknown', never 'proved'."""
    status = main(["check", "--concept", "nash", "--desideratum", "iia", "--json", "--games", "20", "--timeout", "2"])
    result = json.loads(capsys.readouterr().out)
    assert status == 0 and result["outcome"] == "unknown" and result["message"].startswith("none found")


def test_survey_has_a_bargaining_section(tmp_path, capsys):
    out = tmp_path / "survey"
    status = main(["survey", "--out", str(out), "--concepts", "kalai-smorodinsky", "--desiderata", "iia",
                   "--quiet"])
    assert status == 0
    report = json.loads((out / "survey.json").read_text())
    (cell,) = report["bargaining"]["cells"]
    assert (cell["concept"], cell["desideratum"], cell["outcome"]) == ("kalai-smorodinsky", "iia", "counterexample")
    assert "## Bargaining solutions" in (out / "survey.md").read_text()
    assert main(["replay", str(out / "counterexamples" / "bargaining" / cell["witness"])]) == 0


@pytest.mark.parametrize("path", WITNESSES, ids=[p.name for p in WITNESSES])
def test_every_catalogued_bargaining_witness_replays(path):
    assert main(["replay", str(path)]) == 0
