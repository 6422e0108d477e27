"""Game JSON (SPEC §7): layout, exact strings, round trips, clear errors; JSON
files with one-line errors; atomic writes; reading games from any game file."""

from __future__ import annotations

import json
import os
from fractions import Fraction

import pytest
from hypothesis import given, settings

import bargaincheck
from bargaincheck.specs.fileio import atomic_write_json, atomic_write_text
from bargaincheck.specs.games import Game, GameError
from bargaincheck.specs.nfg import NfgError, read_game_file, write_nfg
from bargaincheck.specs.witness import SUITE_VERSION, game_from_json, game_to_json, load_json_file
from strategies import games


def test_payoffs_are_flat_exact_strings_with_player_zero_slowest():
    """Row's actions T, B; Column's L, R: the profiles are (T,L), (T,R), (B,L), (B,R)."""
    game = Game.from_arrays(
        [[[3, 0], [Fraction(5, 2), 1]], [[3, 5], [0, Fraction(-1, 2)]]],
        [["T", "B"], ["L", "R"]],
        ["Row", "Column"],
    )
    assert game_to_json(game) == {
        "players": ["Row", "Column"],
        "actions": [["T", "B"], ["L", "R"]],
        "payoffs": [["3", "0", "5/2", "1"], ["3", "5", "0", "-1/2"]],
    }


def test_title_is_written_first_and_only_when_set():
    game = Game.from_arrays([[1]], title="one")
    assert list(game_to_json(game)) == ["title", "players", "actions", "payoffs"]
    assert "title" not in game_to_json(Game.from_arrays([[1]]))


@settings(max_examples=50, deadline=None)
@given(game=games(n_players=(1, 4), actions=(1, 3), bound=8, denominators=(1, 2, 3, 7)))
def test_game_json_round_trips_through_text(game):
    assert game_from_json(json.loads(json.dumps(game_to_json(game)))) == game


def test_numbers_may_be_ints_decimals_or_exact_strings():
    obj = {"actions": [["a", "b"]], "payoffs": [[2, "0.25"]]}
    assert game_from_json(obj).payoffs == ((Fraction(2), Fraction(1, 4)),)
    assert game_from_json({"actions": [["a"]], "payoffs": [[0.1]]}).payoffs == ((Fraction(1, 10),),)
    assert game_from_json(obj).players == ("Player 1",)


@pytest.mark.parametrize(
    "obj, message",
    [
        ([1, 2], "game JSON: expected an object, got list"),
        ({"payoffs": [[1]]}, "game JSON: missing key 'actions'"),
        ({"actions": [["a"]]}, "game JSON: missing key 'payoffs'"),
        ({"actions": [], "payoffs": []}, "game JSON: 'actions' must be a non-empty list"),
        ({"actions": [["a"], []], "payoffs": [[], []]}, "game JSON: player 1 has an empty action set"),
        ({"actions": [["a", 2]], "payoffs": [[1, 2]]}, "game JSON: actions[0] must be a list of strings"),
        ({"players": ["x", "y"], "actions": [["a"]], "payoffs": [[1]]}, "game JSON: 2 player names for 1 action sets"),
        ({"players": ["x"], "actions": [["a"], ["b"]], "payoffs": [[1], [2]]}, "game JSON: 1 player names for 2 action sets"),
        ({"actions": [["a"], ["b"]], "payoffs": [[1]]}, "game JSON: 'payoffs' must hold one flat list per player: 1 lists for 2 players"),
        ({"actions": [["a", "b"], ["c"]], "payoffs": [[1, 2], [1]]}, "game JSON: payoffs[1] has 1 entries, shape 2x1 needs a flat list of 2"),
        ({"actions": [["a"]], "payoffs": [["nan"]]}, "game JSON: payoffs[0][0]: 'nan' is not a finite number"),
        ({"actions": [["a"]], "payoffs": [["x"]]}, "game JSON: payoffs[0][0]: 'x' is not a number"),
        ({"actions": [["a"]], "payoffs": [[True]]}, "game JSON: payoffs[0][0]: True is not a number"),
        ({"actions": [["a"]], "payoffs": [[[1]]]}, "game JSON: payoffs[0][0]: [1] is not a number"),
        ({"actions": [["a", "a"]], "payoffs": [[1, 2]]}, "player 0 has duplicate action labels"),
        ({"title": 3, "actions": [["a"]], "payoffs": [[1]]}, "game JSON: 'title' must be a string"),
    ],
)
def test_bad_game_json_gives_a_clear_error(obj, message):
    with pytest.raises(GameError) as caught:
        game_from_json(obj)
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def test_suite_version_is_the_package_version():
    assert SUITE_VERSION == bargaincheck.__version__


# -- JSON files -------------------------------------------------------------------------


def test_load_json_file_reads_fractions_of_numbers_as_exact_decimals(tmp_path):
    path = tmp_path / "g.json"
    path.write_text('{"actions": [["a"]], "payoffs": [[0.3]]}')
    assert game_from_json(load_json_file(path)).payoffs == ((Fraction(3, 10),),)


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"actions": [["a"]],\n "payoffs": [[1]', "g.json:2:17: invalid JSON: Expecting ',' delimiter"),
        ('{"a": NaN}', "g.json: invalid JSON: NaN is not a finite number"),
        ('{"a": -Infinity}', "g.json: invalid JSON: -Infinity is not a finite number"),
        ("", "g.json:1:1: invalid JSON: Expecting value"),
    ],
)
def test_invalid_json_file_gives_one_line(tmp_path, text, message):
    path = tmp_path / "g.json"
    path.write_text(text)
    with pytest.raises(GameError) as caught:
        load_json_file(path)
    assert str(caught.value).startswith(str(tmp_path / message)), str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_json_file_gives_one_line(tmp_path):
    with pytest.raises(GameError, match=r"cannot read .*absent\.json: No such file or directory$"):
        load_json_file(tmp_path / "absent.json")


# -- read_game_file dispatch ----------------------------------------------------------------

PD = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], [["C", "D"], ["C", "D"]], ["Ann", "Bob"], "PD")


def test_read_game_file_takes_a_game_json(tmp_path):
    path = atomic_write_json(tmp_path / "game.json", game_to_json(PD))
    assert read_game_file(path) == PD


def test_read_game_file_takes_the_game_of_a_witness(tmp_path):
    witness = {"concept": "coco", "desideratum": "submax", "game": game_to_json(PD), "suite_version": SUITE_VERSION}
    path = atomic_write_json(tmp_path / "w.json", witness)
    assert read_game_file(path) == PD


def test_read_game_file_recognises_nfg_content_without_the_suffix(tmp_path):
    path = atomic_write_text(tmp_path / "game.txt", write_nfg(PD))
    assert read_game_file(path) == PD


def test_read_game_file_refuses_other_content(tmp_path):
    path = atomic_write_text(tmp_path / "notes.txt", "hello")
    with pytest.raises(NfgError, match="not a game file"):
        read_game_file(path)


def test_read_game_file_names_the_file_in_game_json_errors(tmp_path):
    path = atomic_write_json(tmp_path / "bad.json", {"actions": [["a"]]})
    with pytest.raises(GameError, match=r"bad\.json: game JSON: missing key 'payoffs'"):
        read_game_file(path)


# -- atomic writes --------------------------------------------------------------------------


def test_atomic_write_json_keeps_insertion_order_indent_and_newline(tmp_path):
    path = atomic_write_json(tmp_path / "x.json", {"b": 1, "a": ["é", 2]})
    assert path.read_text(encoding="utf-8") == '{\n  "b": 1,\n  "a": [\n    "é",\n    2\n  ]\n}\n'


def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "f.txt"
    atomic_write_text(path, "old")
    atomic_write_text(path, "new")
    assert path.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "f.json"
    atomic_write_text(path, "old")
    with pytest.raises(TypeError):
        atomic_write_json(path, {"x": object()})
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(path, "\ud800")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_atomic_write_gives_a_new_file_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        path = atomic_write_text(tmp_path / "p.txt", "x")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_atomic_write_keeps_an_existing_files_permissions(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("x")
    path.chmod(0o600)
    atomic_write_text(path, "y")
    assert path.stat().st_mode & 0o777 == 0o600
