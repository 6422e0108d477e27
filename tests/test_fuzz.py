"""Fuzzing the readers and the command line (issue 17): for every generated
input, either it parses, or the reader raises the project's user-error type
(`GameError`, or `BargainingError` for bargaining problems) and the command
line exits 2 with one line `bargaincheck: error: ...`, never a traceback or an
"internal error".

Inputs are mutations of the real files in examples/ and counterexamples/
(spans deleted or repeated, characters swapped, numbers replaced by hostile
ones, JSON nodes replaced by values of the wrong type), random tokens, huge
numbers, deep nesting, NaN and infinities.

A short run by default (about 400 inputs, a few seconds); a long one on demand:

    BARGAINCHECK_FUZZ_EXAMPLES=10000 python -m pytest tests/test_fuzz.py -q

(the count is the total over the tests here; docs/reference/limits.md records
the last long run and what it found)."""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import re
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bargaincheck.checkers.cli import main
from bargaincheck.checkers.expect import expected_settings, load_expected
from bargaincheck.checkers.replay import replay_record
from bargaincheck.specs.bargaining.io import problem_from_json
from bargaincheck.specs.bargaining.problem import BargainingError
from bargaincheck.specs.games import Game, GameError
from bargaincheck.specs.nfg import parse_nfg, read_game_file
from bargaincheck.specs.witness import game_from_json, parse_json_text

ROOT = Path(__file__).resolve().parents[1]
TOTAL = int(os.environ.get("BARGAINCHECK_FUZZ_EXAMPLES", "400"))
SECONDS_PER_INPUT = 20  # an input taking longer is reported as a hang


def _share(weight: float) -> int:
    """This test's part of TOTAL inputs (the weights below sum to 1)."""
    return max(10, int(TOTAL * weight))


FUZZ = dict(deadline=None, derandomize=False, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

NFG_SEEDS = [p.read_text() for p in sorted((ROOT / "examples").glob("*.nfg"))] + [
    'NFG 1 R "outcomes" { "A" "B" } { 2 1 }\n""\n{ { "x" 1, 3/2 } { "" -0.5e1 2 } }\n1 2\n',
    'NFG 1 D "labels" { "A" "B" } { { "a" "a" } { "" "c" } }\n"comment"\n1 2 3 4 5 6 7 8\n',
]
WITNESS_SEEDS = [p.read_text() for p in sorted((ROOT / "counterexamples").glob("*__*.json"))]
PROBLEM_SEEDS = [(ROOT / "examples" / "widget.json").read_text()] + [
    p.read_text() for p in sorted((ROOT / "counterexamples" / "bargaining").glob("*__*.json"))
][:6]
EXPECTED_SEEDS = [
    json.dumps({"bargaincheck-expected": 1, "cells": {"coco/threat": "counterexample", "rose/pareto": "proved"},
                "settings": {"shapes": ["2x2"], "bound": "5", "max_games_per_shape": 50, "seed": 0}}),
    json.dumps({"coco/threat": "counterexample", "coco × pareto": "none-found"}),
]

HOSTILE = [
    "1e999999999", "-1e-999999999", "9" * 5000, "1/" + "3" * 5000, "0." + "0" * 3000 + "1", "1e300", "1e299",
    "nan", "NaN", "-inf", "Infinity", "1/0", "0/0", "-0", "1_000", "\u0663", "1e", "e5", ".", "+", "--1", "0x10",
    "99999999999", "-1", "2.5", "3/2", "0", "{", "}", "[", "]", ",", ":", '"', "\\", '\\"', "\x00", "\ufeff", "é",
    "NFG", "NFG 1 R", "R", "D", "null", "true", "false", "[" * 100, '{"a":' * 70, " ", "\n", "\t",
]
hostile_token = st.sampled_from(HOSTILE)
_NUMBER_SPAN = re.compile(r"-?\d+(?:[./]\d+)?(?:[eE][+-]?\d+)?")


@st.composite
def mutated_text(draw: Any, seeds: list[str]) -> str:
    """A seed file with 1 to 4 random edits."""
    text = draw(st.sampled_from(seeds))
    rng = draw(st.randoms(use_true_random=True))  # positions spread over the file, not near its start
    for _ in range(draw(st.integers(1, 4))):
        size = len(text)
        kind = draw(st.sampled_from(["insert", "number", "delete", "repeat", "swap", "truncate"]))
        at = rng.randint(0, size)
        if kind == "insert":
            token = draw(hostile_token | st.text(max_size=8))
            text = text[:at] + token + text[at:]
        elif kind == "number":
            spans = list(_NUMBER_SPAN.finditer(text))
            if spans:
                span = spans[rng.randrange(len(spans))]
                text = text[:span.start()] + draw(hostile_token) + text[span.end():]
        elif kind == "delete":
            text = text[:at] + text[at + rng.randint(1, 40):]
        elif kind == "repeat":
            piece = text[at:at + rng.randint(1, 60)]
            text = text[:at] + piece * rng.randint(2, 50) + text[at:]
        elif kind == "swap" and size >= 2:
            k = min(at, size - 2)
            text = text[:k] + text[k + 1] + text[k] + text[k + 2:]
        elif kind == "truncate":
            text = text[:at]
    return text


json_leaf = (st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.integers(10**299, 10**400)
             | st.floats(allow_nan=True, allow_infinity=True) | hostile_token | st.text(max_size=6))
json_value = st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=12)


def _paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(obj, dict):
        for key, value in obj.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(obj, list):
        for k, value in enumerate(obj):
            found += _paths(value, prefix + (k,))
    return found


@st.composite
def mutated_json(draw: Any, seeds: list[str]) -> str:
    """A seed JSON file with 1 to 3 nodes replaced by random values (wrong
    types, huge numbers, NaN, nesting), sometimes then edited as text."""
    obj = json.loads(draw(st.sampled_from(seeds)))
    rng = draw(st.randoms(use_true_random=True))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(obj)
        path = paths[rng.randrange(len(paths))]
        value = draw(json_value)
        if not path:
            obj = value
            continue
        parent = obj
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = value
    text = json.dumps(obj, allow_nan=True, indent=draw(st.sampled_from([None, 2])))
    if draw(st.booleans()):
        text = draw(mutated_text([text]))
    return text


def any_json(seeds: list[str]) -> st.SearchStrategy[str]:
    return mutated_json(seeds) | mutated_text(seeds)


@contextlib.contextmanager
def _huge_int_text():
    """Hypothesis draws ints of up to 400 digits; json.dumps needs them as text."""
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(old)


class _Hang(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: int):
    def alarm(signum: int, frame: Any) -> None:
        raise _Hang(f"an input took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


_FOLDER = Path(tempfile.mkdtemp(prefix="bargaincheck-fuzz-"))
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)


def _write(text: str, suffix: str) -> Path:
    """The input file (one per suffix, overwritten by each input)."""
    path = _FOLDER / f"input{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def run_main(argv: list[str]) -> tuple[int, str]:
    """cli.main in-process, in the fuzz folder: (exit status, stderr); the
    working folder and sys.path are restored afterwards."""
    saved_path, saved_folder = list(sys.path), os.getcwd()
    err, out = io.StringIO(), io.StringIO()
    os.chdir(_FOLDER)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out), _time_limit(SECONDS_PER_INPUT):
            status = main(argv)
    finally:
        sys.path[:] = saved_path
        os.chdir(saved_folder)
    return status, err.getvalue()


def assert_clean_exit(status: int, stderr: str) -> None:
    """Exit 0 or 1, or exit 2 with one error line (after any warnings), no traceback."""
    assert "Traceback" not in stderr
    if status in (0, 1):
        return
    assert status == 2, (status, stderr)
    lines = stderr.splitlines()
    assert lines and lines[-1].startswith("bargaincheck: error: "), stderr
    assert "internal error" not in lines[-1], lines[-1]
    assert all(line.startswith("bargaincheck: warning: ") for line in lines[:-1]), stderr


def _safe_concepts(text: str) -> bool:
    """Keep the fuzzer from importing arbitrary modules named in mutated witnesses."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        return True
    return not (isinstance(obj, dict) and ":" in str(obj.get("concept", "")))


# -- the readers, in-process ---------------------------------------------------------------


@settings(max_examples=_share(0.2), **FUZZ)
@given(mutated_text(NFG_SEEDS))
def test_the_nfg_reader_raises_only_game_errors(text):
    try:
        game = parse_nfg(text, "fuzz.nfg")
    except GameError as error:
        assert str(error).startswith("fuzz.nfg") and "\n" not in str(error)
        return
    assert isinstance(game, Game)


@settings(max_examples=_share(0.1), **FUZZ)
@given(st.data())
def test_the_witness_and_game_json_readers_raise_only_game_errors(data):
    with _huge_int_text():
        text = data.draw(any_json(WITNESS_SEEDS))
    try:
        obj = parse_json_text(text, "fuzz.json")
        game = game_from_json(obj["game"] if isinstance(obj, dict) and "game" in obj else obj)
    except GameError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert isinstance(game, Game)
    path = _write(text, ".json")
    try:
        read_game_file(path)
    except GameError:
        pass


@settings(max_examples=_share(0.1), **FUZZ)
@given(st.data())
def test_the_bargaining_reader_raises_only_user_errors(data):
    with _huge_int_text():
        text = data.draw(any_json(PROBLEM_SEEDS))
    try:
        problem_from_json(parse_json_text(text, "fuzz.json"))
    except (BargainingError, GameError) as error:
        assert str(error) and "\n" not in str(error)


@settings(max_examples=_share(0.1), **FUZZ)
@given(st.data())
def test_the_expected_table_reader_raises_only_game_errors(data):
    with _huge_int_text():
        text = data.draw(any_json(EXPECTED_SEEDS))
    path = _write(text, ".json")
    try:
        load_expected(path)
        expected_settings(path)
    except GameError as error:
        assert str(error) and "\n" not in str(error)


@settings(max_examples=_share(0.1), **FUZZ)
@given(st.data())
def test_replaying_a_mutated_witness_confirms_refuses_or_raises_a_game_error(data):
    with _huge_int_text():
        text = data.draw(mutated_json(WITNESS_SEEDS + PROBLEM_SEEDS))
    assume(_safe_concepts(text))
    try:
        record = parse_json_text(text, "fuzz.json")
        with _time_limit(SECONDS_PER_INPUT):
            replay_record(record, "fuzz.json")
    except GameError as error:
        assert str(error) and "\n" not in str(error)


# -- the command line, in-process ----------------------------------------------------------


@settings(max_examples=_share(0.1), **FUZZ)
@given(mutated_text(NFG_SEEDS), st.sampled_from(["coco", "rose", "shapley-coco", "selfish-split", "nash"]))
def test_value_on_a_mutated_nfg_exits_cleanly(text, concept):
    path = _write(text, ".nfg")
    assert_clean_exit(*run_main(["value", str(path), "--concept", concept]))


@settings(max_examples=_share(0.1), **FUZZ)
@given(st.data(), st.sampled_from(["value", "replay"]))
def test_value_and_replay_on_mutated_json_exit_cleanly(data, command):
    with _huge_int_text():
        text = data.draw(any_json(WITNESS_SEEDS + PROBLEM_SEEDS))
    assume(_safe_concepts(text))
    path = _write(text, ".json")
    extra = ["--concept", data.draw(st.sampled_from(["coco", "nash", "shapley-rose"]))] if command == "value" else []
    assert_clean_exit(*run_main([command, str(path), *extra]))


coordinate = st.sampled_from(["0", "1", "-1", "1/3", "9" * 299, "-" + "9" * 299, "1e-999", "1e299", "7/2"]) | st.integers(-3, 3)
BARGAINING = ["nash", "kalai-smorodinsky", "egalitarian", "utilitarian", "random-dictator", "rose-points", "pmm"]


@st.composite
def bargaining_problem(draw: Any) -> str:
    """A well-formed bargaining problem: few points (repeated, collinear, below
    d, in 1 to 3 dimensions), coordinates from tiny to huge."""
    n = draw(st.sampled_from([2, 2, 2, 1, 3]))
    point = st.lists(coordinate, min_size=n, max_size=n)
    return json.dumps({"points": draw(st.lists(point, min_size=1, max_size=5)), "disagreement": draw(point),
                       "free_disposal": draw(st.booleans())})


@settings(max_examples=_share(0.05), **FUZZ)
@given(bargaining_problem(), st.sampled_from(BARGAINING))
def test_value_on_a_generated_bargaining_problem_exits_cleanly(text, concept):
    path = _write(text, ".json")
    assert_clean_exit(*run_main(["value", str(path), "--concept", concept]))


@st.composite
def small_game(draw: Any) -> str:
    """A well-formed game JSON of up to 3 players and 3 actions, payoffs from tiny to huge."""
    shape = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    size = 1
    for k in shape:
        size *= k
    actions = [[str(a + 1) for a in range(k)] for k in shape]
    payoffs = [draw(st.lists(coordinate, min_size=size, max_size=size)) for _ in shape]
    return json.dumps({"actions": actions, "payoffs": payoffs})


TU = ["coco", "rose", "shapley-coco", "shapley-rose", "selfish-split", "ce-split-utilitarian", "ce-split-egalitarian"]


@settings(max_examples=_share(0.05), **FUZZ)
@given(small_game(), st.sampled_from(TU + ["nash"]))
def test_value_on_a_generated_game_exits_cleanly(text, concept):
    game = json.loads(text)
    assume(not (concept.startswith("rose") and len(game["actions"]) >= 3
                and max(map(len, game["actions"])) >= 2))  # the n-player branch and bound takes minutes
    path = _write(text, ".json")
    assert_clean_exit(*run_main(["value", str(path), "--concept", concept]))


@settings(max_examples=_share(0.05), **FUZZ)
@given(st.data())
def test_survey_expect_on_a_malformed_table_exits_cleanly(data):
    with _huge_int_text():
        text = data.draw(any_json(EXPECTED_SEEDS))
    path = _write(text, ".json")
    try:
        load_expected(path)
        expected_settings(path)
    except GameError:
        pass
    else:
        return  # a table that reads would start a survey: not a reader test
    status, stderr = run_main(["survey", "--expect", str(path), "--out", str(path.parent / "out"), "--quiet"])
    assert status == 2
    assert_clean_exit(status, stderr)


@settings(max_examples=_share(0.05), **FUZZ)
@given(st.lists(hostile_token | st.text(max_size=12), min_size=1, max_size=6),
       st.sampled_from(["check", "survey", "value", "replay", "pictures", "list"]))
def test_random_arguments_exit_cleanly(words, command):
    """Random option values for the up-front checks (no run gets far enough to search)."""
    argv = [command]
    options = {"check": ["--bound", "--shape", "--timeout", "--games", "--catalogue"],
               "survey": ["--bound", "--shapes", "--budget", "--jobs", "--out"]}.get(command, [])
    for k, word in enumerate(words):
        argv += [options[k % len(options)], word] if options else [word]
    if command == "check":
        argv += ["--concept", "coco", "--desideratum", "threat", "--games", "1", "--quiet", "--no-pictures"]
    if command == "survey":
        argv += ["--concepts", "no-such-concept"]
    try:
        status, stderr = run_main(argv)
    except SystemExit as exit_:  # argparse: already one line (cli._Parser.error)
        assert exit_.code == 2
        return
    assert_clean_exit(status, stderr)


@pytest.mark.parametrize("seed", WITNESS_SEEDS[:3])
def test_the_seeds_themselves_read(seed):
    assert isinstance(game_from_json(parse_json_text(seed, "seed")["game"]), Game)
