"""Hostile and mistaken inputs (issue 17): every one ends in one line
`bargaincheck: error: ...` and exit status 2, within 10 s and 1 GiB of address
space, never a traceback, a hang or a runaway in memory. Each test runs the
installed console script in a child process; the limits are stated in
docs/reference/limits.md (a normal `check` with a picture needs under 512 MiB
of address space and about 0.3 s to start)."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import pytest

from bargaincheck.checkers.cli import main
from bargaincheck.specs.games import GameError, format_fraction, to_fraction
from bargaincheck.specs.limits import MAX_FILE_BYTES, MAX_GAME_ENTRIES, check_concept_cost, parse_number

ROOT = Path(__file__).resolve().parents[1]
WITNESS = ROOT / "counterexamples" / "coco__threat__1x1__2d07d88c.json"
PROOF = ROOT / "counterexamples" / "proofs" / "coco__maximin__2x2__b10.json"
MEMORY_BOUND = 2**30  # bytes of address space for the child
TIME_BOUND = 10.0  # seconds

SMALL_NFG = 'NFG 1 R "g" { "A" "B" } { 1 1 }\n'


def console_script() -> str:
    """The `bargaincheck` executable of this environment (next to sys.executable)."""
    beside = Path(sys.executable).parent / "bargaincheck"
    found = str(beside) if beside.exists() else shutil.which("bargaincheck")
    assert found, "the bargaincheck console script is not installed"
    return found


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BOUND, MEMORY_BOUND))


def run_cli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The console script in a child with MEMORY_BOUND; fails the test past TIME_BOUND."""
    start = time.monotonic()
    done = subprocess.run(
        [console_script(), *argv], capture_output=True, text=True, timeout=TIME_BOUND + 5,
        preexec_fn=_limit_memory, cwd=cwd, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert time.monotonic() - start < TIME_BOUND, f"took {time.monotonic() - start:.1f} s"
    return done


def assert_user_error(done: subprocess.CompletedProcess, *fragments: str, warnings: int = 0) -> str:
    """Exit 2, one error line (after `warnings` warning lines), no traceback; returns the line."""
    lines = done.stderr.splitlines()
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert len(lines) == warnings + 1, done.stderr[-2000:]
    assert all(line.startswith("bargaincheck: warning: ") for line in lines[:warnings])
    line = lines[-1]
    assert line.startswith("bargaincheck: error: ") and "internal error" not in line, line
    for fragment in fragments:
        assert fragment in line, line
    return line


def witness_with(tmp_path: Path, name: str = "w.json", **changes) -> Path:
    record = json.loads(WITNESS.read_text())
    for key, value in changes.items():
        if key == "payoff":
            record["game"]["payoffs"][0][0] = value
        else:
            record[key] = value
    path = tmp_path / name
    path.write_text(json.dumps(record))
    return path


@pytest.fixture(autouse=True)
def _allow_huge_int_text():
    """The tests write 100,000-digit numbers themselves."""
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    yield
    sys.set_int_max_str_digits(old)


# -- numbers ---------------------------------------------------------------------------


def test_a_huge_exponent_in_an_nfg_payoff_is_refused_at_once(tmp_path):
    path = tmp_path / "big.nfg"
    path.write_text(SMALL_NFG + "1e999999999 0\n")
    assert_user_error(run_cli("value", str(path), "--concept", "coco"), "big.nfg:2:1", "out of range", "10^300")


@pytest.mark.parametrize("command", ["value", "replay"])
def test_a_huge_exponent_in_a_witness_payoff_is_refused_at_once(tmp_path, command):
    path = witness_with(tmp_path, payoff="1e999999999")
    extra = ["--concept", "coco"] if command == "value" else []
    assert_user_error(run_cli(command, str(path), *extra), "payoffs[0][0]", "out of range")


def test_a_huge_exponent_as_a_json_number_is_refused_at_once(tmp_path):
    path = tmp_path / "w.json"
    text = WITNESS.read_text()
    path.write_text(text.replace('"payoffs": [\n      [\n        "0"', '"payoffs": [\n      [\n        1e999999999', 1))
    assert "1e999999999" in path.read_text()
    assert_user_error(run_cli("replay", str(path)), "exponent")


def test_a_json_number_beyond_decimals_exponent_range_is_refused(tmp_path):
    """Found by tests/test_fuzz.py: Decimal("1e9999999999") raises InvalidOperation."""
    path = witness_with(tmp_path, found_by={"games": "PLACEHOLDER"})
    path.write_text(path.read_text().replace('"PLACEHOLDER"', "1e9999999999"))
    assert_user_error(run_cli("replay", str(path)), "out of range")


def test_a_huge_exponent_in_a_bargaining_problem_is_refused_at_once(tmp_path):
    path = tmp_path / "problem.json"
    path.write_text(json.dumps({"points": [["1e999999999", "0"], ["0", "1"]], "disagreement": ["0", "0"]}))
    assert_user_error(run_cli("value", str(path), "--concept", "nash"), "problem.json", "points[0][0]", "out of range")


def test_a_100001_digit_integer_payoff_is_refused(tmp_path):
    path = tmp_path / "digits.nfg"
    path.write_text(SMALL_NFG + "1" * 100_001 + " 0\n")
    assert_user_error(run_cli("value", str(path), "--concept", "coco"), "100001 characters", "1000 digits")


@pytest.mark.parametrize("command", ["value", "replay"])
def test_a_100001_digit_integer_in_a_witness_is_refused(tmp_path, command):
    path = witness_with(tmp_path, payoff="7" * 100_001)
    extra = ["--concept", "coco"] if command == "value" else []
    assert_user_error(run_cli(command, str(path), *extra), "1000 digits")


def test_a_100001_digit_json_integer_literal_is_refused(tmp_path):
    path = witness_with(tmp_path, payoff=0)
    path.write_text(path.read_text().replace('"payoffs": [[0]', '"payoffs": [[' + "9" * 100_001, 1))
    assert_user_error(run_cli("replay", str(path)), "100001 digits")


def test_a_rational_with_a_47712_digit_denominator_is_refused(tmp_path):
    path = tmp_path / "third.nfg"
    path.write_text(SMALL_NFG + f"1/{3**99999} 0\n")
    assert_user_error(run_cli("value", str(path), "--concept", "coco"), "third.nfg:2:1", "digits")


def test_a_rational_with_a_huge_denominator_in_a_witness_is_refused(tmp_path):
    path = witness_with(tmp_path, payoff=f"1/{3**99999}")
    assert_user_error(run_cli("replay", str(path)), "digits")


def test_a_huge_number_in_the_transformation_is_refused(tmp_path):
    path = witness_with(tmp_path, transformation={"caps": [["0", "9" * 5000], ["0", "0"]]})
    assert_user_error(run_cli("replay", str(path)), "transformation", "digits")


def test_values_with_more_than_4300_digits_still_print():
    """Computed values can outgrow Python's int-to-string limit; printing them must not fail."""
    value = Fraction(3**20000, 7**9000)
    text = format_fraction(value)
    assert Fraction(*map(int, text.split("/"))) == value


def test_the_number_grammar_is_one_for_every_reader():
    assert parse_number("-1.5e3") == to_fraction("-1.5e3") == -1500
    assert parse_number("7.600000") == Fraction(38, 5)
    with pytest.raises(GameError, match="not a number"):
        to_fraction("1_000")


# -- nesting and size ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["value", "replay"])
def test_json_nested_200000_levels_is_refused(tmp_path, command):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    extra = ["--concept", "coco"] if command == "value" else []
    assert_user_error(run_cli(command, str(path), *extra), "nested more than 64 levels")


def _nfg(shape: tuple[int, ...]) -> str:
    rng = random.Random(0)
    n, size = len(shape), 1
    for k in shape:
        size *= k
    head = 'NFG 1 R "big" { ' + " ".join(f'"P{i}"' for i in range(n)) + " } { " + " ".join(map(str, shape)) + " }\n"
    return head + " ".join(str(rng.randint(-9, 9)) for _ in range(size * n)) + "\n"


def test_a_ten_player_three_action_game_is_refused_at_read_time(tmp_path):
    path = tmp_path / "ten.nfg"
    path.write_text(_nfg((3,) * 10))
    assert path.stat().st_size > 10**6
    assert_user_error(run_cli("value", str(path), "--concept", "shapley-coco"), "payoffs", f"{MAX_GAME_ENTRIES:,}")


def test_shapley_on_eight_players_is_refused_naming_the_estimate_and_the_limit(tmp_path):
    path = tmp_path / "eight.nfg"
    path.write_text(_nfg((3,) * 8))
    line = assert_user_error(run_cli("value", str(path), "--concept", "shapley-coco"), "tableau cells", "2,000,000")
    assert "86,159,064" in line and "1 × 6561 joint actions" in line


def test_the_estimate_passes_every_survey_shape():
    for concept in ("coco", "rose", "shapley-coco", "shapley-rose", "ce-split-utilitarian", "ce-split-egalitarian"):
        for shape in ((2, 2), (2, 3), (3, 3), (2, 1, 1), (2, 2, 2), (4, 4, 4), (2, 2, 2, 2)):
            check_concept_cost(concept, shape)


def test_a_file_over_the_size_limit_is_refused_before_reading_it_all(tmp_path):
    path = tmp_path / "huge.nfg"
    path.write_text(SMALL_NFG + "0 " * (MAX_FILE_BYTES // 2 + 10))
    assert_user_error(run_cli("value", str(path), "--concept", "coco"), "MiB")


def test_a_memory_error_in_a_concept_has_a_message(tmp_path, capsys):
    (tmp_path / "greedy.py").write_text("def value(game):\n    raise MemoryError()\n")
    status = main(["value", str(ROOT / "examples" / "bomb.nfg"), "--concept", "greedy:value", "--path", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2 and len(err.splitlines()) == 1
    assert err.startswith("bargaincheck: error: concept 'greedy:value' ran out of memory on a 1x1x2 game")


# -- command-line values ---------------------------------------------------------------


def test_an_absurd_bound_is_refused_before_the_check(tmp_path):
    done = run_cli("check", "--concept", "coco", "--desideratum", "threat", "--bound", "1e308", "--timeout", "10",
                   "--catalogue", str(tmp_path / "w"))
    assert_user_error(done, "--bound", "1,000,000")


@pytest.mark.parametrize("option, value", [("--timeout", "nan"), ("--timeout", "-1"), ("--games", "0"),
                                           ("--shape", "2x99999999"), ("--shape", "2x" + "9" * 5000)])
def test_absurd_check_options_are_refused(tmp_path, option, value):
    done = run_cli("check", "--concept", "coco", "--desideratum", "threat", option, value,
                   "--catalogue", str(tmp_path / "w"))
    assert_user_error(done, option)


def test_check_catalogue_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("")
    done = run_cli("check", "--concept", "coco", "--desideratum", "threat", "--catalogue", str(tmp_path / "file"))
    assert_user_error(done, "--catalogue", "is a file")


@pytest.mark.parametrize("below", ["", "/sub"])
def test_survey_out_that_is_a_file_is_refused(tmp_path, below):
    (tmp_path / "file").write_text("")
    assert_user_error(run_cli("survey", "--out", str(tmp_path / "file") + below), "--out", "file")


def test_survey_expect_names_the_malformed_cell_key(tmp_path):
    (tmp_path / "e.json").write_text('{"foo": 1}')
    assert_user_error(run_cli("survey", "--expect", str(tmp_path / "e.json"), "--out", str(tmp_path / "out")),
                      "e.json", "'foo'", "concept/desideratum")


def test_survey_expect_names_the_malformed_outcome(tmp_path):
    (tmp_path / "e.json").write_text('{"coco/threat": 1}')
    assert_user_error(run_cli("survey", "--expect", str(tmp_path / "e.json"), "--out", str(tmp_path / "out")),
                      "cell 'coco/threat'", "counterexample, proved")


def test_argparse_errors_are_one_bargaincheck_line():
    assert_user_error(run_cli("value"), "required", "bargaincheck value --help")
    assert_user_error(run_cli("frobnicate"), "invalid choice")


# -- replay and pictures ---------------------------------------------------------------


def test_pictures_of_malformed_witnesses_warn_per_file_and_exit_2(tmp_path):
    (tmp_path / "a__b.json").write_text('{"concept": "coco", "game": {"actions": 5}}')
    (tmp_path / "c__d.json").write_text("not json")
    assert_user_error(run_cli("pictures", str(tmp_path)), "2 file(s) could not be read", warnings=2)


@pytest.mark.parametrize("caps", [5, [["a"]], "caps", [[None, None], [None, None]]])
def test_malformed_caps_are_a_user_error(tmp_path, caps):
    path = witness_with(tmp_path, transformation={"caps": caps})
    assert_user_error(run_cli("replay", str(path)), "transformation", "threat")


def test_replay_of_an_nfg_points_to_value():
    line = assert_user_error(run_cli("replay", str(ROOT / "examples" / "bomb.nfg")), "not a witness")
    assert "bargaincheck value" in line


def test_replay_of_a_proof_record_says_so():
    assert_user_error(run_cli("replay", str(PROOF)), "a proof record", "survey --prove")


# -- your own concept ------------------------------------------------------------------

MYMODULE = """from fractions import Fraction
def half_and_half(game):
    m = max(game.total(p) for p in game.profiles())
    return [m / game.n_players] * game.n_players
"""


def test_the_console_script_imports_a_concept_from_the_current_folder(tmp_path):
    (tmp_path / "mymodule.py").write_text(MYMODULE)
    done = run_cli("check", "--concept", "mymodule:half_and_half", "--desideratum", "maximin", "--shape", "2x2",
                   "--games", "20", "--quiet", "--no-pictures", cwd=tmp_path)
    assert done.returncode == 1 and "counterexample" in done.stdout, done.stderr


def test_path_makes_a_concept_folder_importable(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "othermodule.py").write_text(MYMODULE)
    done = run_cli("value", str(ROOT / "examples" / "bomb.nfg"), "--concept", "othermodule:half_and_half",
                   "--path", str(tmp_path / "lib"))
    assert done.returncode == 0 and "19/3" in done.stdout, done.stderr


def test_the_rerun_line_of_a_check_keeps_its_path(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "othermodule.py").write_text(MYMODULE)
    done = run_cli("check", "--concept", "othermodule:half_and_half", "--desideratum", "maximin", "--shape", "2x2",
                   "--games", "20", "--no-pictures", "--catalogue", str(tmp_path / "out"),
                   "--path", str(tmp_path / "lib"), cwd=tmp_path)
    rerun = next(line for line in done.stdout.splitlines() if "rerun:" in line).split("rerun: ", 1)[1]
    assert rerun.endswith(f"--path {tmp_path / 'lib'}"), done.stdout
    again = run_cli(*rerun.split()[1:], "--quiet", "--no-pictures", "--catalogue", str(tmp_path / "again"), cwd=ROOT)
    assert again.returncode == 1 and "counterexample" in again.stdout, again.stderr


def test_path_that_is_not_a_folder_is_refused(tmp_path):
    assert_user_error(run_cli("value", str(ROOT / "examples" / "bomb.nfg"), "--concept", "x:y",
                              "--path", str(tmp_path / "absent")), "--path", "not a folder")


def test_a_concept_calling_sys_exit_is_a_concept_error(tmp_path, capsys):
    (tmp_path / "quitter.py").write_text("import sys\ndef value(game):\n    sys.exit(0)\n")
    status = main(["value", str(ROOT / "examples" / "bomb.nfg"), "--concept", "quitter:value", "--path", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2 and "called sys.exit(0)" in err and len(err.splitlines()) == 1


def test_a_bug_is_reported_on_one_line_as_an_internal_error(monkeypatch, capsys):
    from bargaincheck.checkers import cli

    def broken(args):
        raise TypeError("something the suite got wrong")

    monkeypatch.setattr(cli, "cmd_list", broken)
    monkeypatch.delenv("BARGAINCHECK_DEBUG", raising=False)
    assert main(["list"]) == 2
    err = capsys.readouterr().err
    assert err == ("bargaincheck: error: internal error in `list`: TypeError: something the suite got wrong "
                   "(please report it; BARGAINCHECK_DEBUG=1 shows the traceback)\n")


@pytest.mark.parametrize("change", [{"desideratum": []}, {"problem": "none"}, {"concept": "no-such"},
                                    {"transformation": {"disagreement": ["x", "1"]}}])
def test_a_malformed_bargaining_witness_is_a_user_error(tmp_path, change):
    """Found by tests/test_fuzz.py: a list as the desideratum raised TypeError (unhashable type)."""
    source = sorted((ROOT / "counterexamples" / "bargaining").glob("egalitarian__*.json"))[0]
    record = {**json.loads(source.read_text()), **change}
    path = tmp_path / "b.json"
    path.write_text(json.dumps(record))
    assert_user_error(run_cli("replay", str(path)), "b.json")


def test_survey_refuses_a_shape_beyond_a_surveyed_concepts_estimate(tmp_path):
    done = run_cli("survey", "--concepts", "shapley-coco", "--shapes", "2x2,3x3x3x3x3x3x3x3", "--out", str(tmp_path))
    assert_user_error(done, "--shapes 3x3x3x3x3x3x3x3", "tableau cells")


def test_value_stops_at_its_time_limit_with_one_line(tmp_path):
    """A 60 x 60 CoCo LP is within the size limits but takes minutes in exact arithmetic."""
    rng = random.Random(1)
    body = " ".join(str(rng.randint(-5, 5)) for _ in range(60 * 60 * 2))
    path = tmp_path / "sixty.nfg"
    path.write_text(f'NFG 1 R "s" {{ "A" "B" }} {{ 60 60 }}\n{body}\n')
    assert_user_error(run_cli("value", str(path), "--concept", "coco", "--timeout", "2"), "time limit", "2.0 s")
