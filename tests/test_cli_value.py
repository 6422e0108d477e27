"""`bargaincheck value` (SPEC §7): exact output on a hand-computed game, the
JSON contract, and bad input giving exit status 2 with one line on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bargaincheck.checkers.cli import main
from bargaincheck.specs.witness import game_to_json
from bargaincheck.specs.nfg import read_nfg

# U_1 = [[2, 1], [1, 6]], U_2 = [[0, 1], [1, 4]] (rows T, B; columns L, R), written
# in Gambit order (T,L) (B,L) (T,R) (B,R).
HAND_GAME = """NFG 1 R "hand game" { "Row" "Column" }
{ { "T" "B" } { "L" "R" } }
""
2 0  1 1  1 1  6 4
"""


@pytest.fixture
def hand_game(tmp_path: Path) -> Path:
    path = tmp_path / "hand.nfg"
    path.write_text(HAND_GAME)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_coco_of_the_hand_game_is_eleven_halves_and_nine_halves(capsys, hand_game):
    """M = max(2+0, 1+1, 1+1, 6+4) = 10. (U_1 − U_2)/2 = [[1, 0], [0, 1]]: no saddle
    point; each side mixing 1/2-1/2 holds the value to 1/2. So coco_1 = 10/2 + 1/2 =
    11/2 and coco_2 = 10/2 − 1/2 = 9/2."""
    status, out, err = run(capsys, "value", str(hand_game), "--concept", "coco")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "coco on hand game (2x2; exact):"
    assert lines[1:] == ["  Row: 11/2  (≈ 5.5)", "  Column: 9/2  (≈ 4.5)"]


def test_value_json_has_exact_strings_floats_and_exact_flag(capsys, hand_game):
    status, out, err = run(capsys, "value", str(hand_game), "--concept", "coco", "--json")
    assert status == 0 and err == ""
    result = json.loads(out)
    assert result["concept"] == "coco"
    assert result["values"] == ["11/2", "9/2"]
    assert result["floats"] == [5.5, 4.5]
    assert result["exact"] is True


def test_value_reads_the_game_of_a_witness_json(capsys, tmp_path, hand_game):
    witness = tmp_path / "w.json"
    witness.write_text(json.dumps({"concept": "coco", "game": game_to_json(read_nfg(hand_game))}))
    status, out, _ = run(capsys, "value", str(witness), "--concept", "coco", "--json")
    assert status == 0
    assert json.loads(out)["values"] == ["11/2", "9/2"]


def test_value_of_an_outcome_version_file_with_rationals(capsys, tmp_path):
    """U_1 = [[3/2, 0], [0, 0]] and U_2 = 0 (the null outcome elsewhere): M = 3/2 and
    (U_1 − U_2)/2 = [[3/4, 0], [0, 0]] has the saddle value 0 (row B guarantees 0, column
    R holds Row to 0). coco = (3/4, 3/4)."""
    path = tmp_path / "oc.nfg"
    path.write_text('NFG 1 R "oc" { "A" "B" } { 2 2 }\n{ { "" 3/2, 0 } }\n1 0 0 0\n')
    status, out, _ = run(capsys, "value", str(path), "--concept", "coco", "--json")
    assert status == 0
    assert json.loads(out)["values"] == ["3/4", "3/4"]


THREE_PLAYERS = 'NFG 1 R "three" { "A" "B" "C" } { 1 1 1 } 1 2 3\n'
BAD_INPUTS = {
    "malformed header": ('NFG 1 X "g" { "A" "B" } { 1 1 } 0 0', "malformed header"),
    "wrong payoff count": ('NFG 1 R "g" { "A" "B" } { 2 2 } 1 2 3 4 5 6 7', "expected 8 payoffs for shape 2x2, found 7"),
    "NaN payoff": ('NFG 1 R "g" { "A" "B" } { 1 1 } nan 0', "'nan' is not a finite number"),
    "infinite payoff": ('NFG 1 R "g" { "A" "B" } { 1 1 } 0 -inf', "'-inf' is not a finite number"),
    "empty action set": ('NFG 1 R "g" { "A" "B" } { { "a" } { } } 0 0', "player 'B' has an empty strategy set"),
    "coco on three players": (THREE_PLAYERS, "concept 'coco' takes exactly 2 players; this game has 3"),
    "invalid JSON": ('{"actions": [["a"]], "payoffs": ', "invalid JSON"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_game_file_exits_2_with_one_error_line(capsys, tmp_path, case):
    text, reason = BAD_INPUTS[case]
    path = tmp_path / ("game.json" if text.startswith("{") else "game.nfg")
    path.write_text(text)
    status, out, err = run(capsys, "value", str(path), "--concept", "coco")
    assert status == 2
    assert out == ""
    assert err.startswith("bargaincheck: error: ") and err.count("\n") == 1, err
    assert reason in err
    assert "Traceback" not in err


def test_unknown_concept_exits_2_with_one_error_line(capsys, hand_game):
    status, out, err = run(capsys, "value", str(hand_game), "--concept", "no-such-concept")
    assert status == 2 and out == ""
    assert err.startswith("bargaincheck: error: unknown concept 'no-such-concept'") and err.count("\n") == 1


def test_missing_file_exits_2_with_one_error_line(capsys, tmp_path):
    status, out, err = run(capsys, "value", str(tmp_path / "absent.nfg"), "--concept", "coco")
    assert status == 2 and out == ""
    assert err == f"bargaincheck: error: cannot read {tmp_path / 'absent.nfg'}: No such file or directory\n"


def _console(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bargaincheck.checkers.cli", *argv], capture_output=True, text=True, timeout=120
    )


def test_console_script_reports_bad_input_without_traceback(tmp_path):
    path = tmp_path / "bad.nfg"
    path.write_text('NFG 1 R "g" { "A" "B" } { 2 2 } 1 2 3')
    done = _console("value", str(path), "--concept", "coco")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"bargaincheck: error: {path}: expected 8 payoffs for shape 2x2, found 3\n"


def test_console_script_prints_the_exact_value(hand_game):
    done = _console("value", str(hand_game), "--concept", "coco", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["values"] == ["11/2", "9/2"]
