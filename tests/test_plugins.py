"""User concepts (issue 7): a concept in a file outside the project, checked end
to end through the command line; its errors as one line with exit status 2;
an installed entry point showing up in `bargaincheck list`; the `concept`
decorator's player counts; the SMT-encoding interface checked exactly."""

from __future__ import annotations

import json
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest

from bargaincheck.checkers import plugins
from bargaincheck.checkers.cli import main
from bargaincheck.specs.concepts.registry import CONCEPTS, ConceptError, evaluate, get_concept
from bargaincheck.specs.games import Game

# U_1 = [[2, 1], [1, 6]], U_2 = [[0, 1], [1, 4]]; Gambit order (T,L) (B,L) (T,R) (B,R).
HAND_GAME = """NFG 1 R "hand game" { "Row" "Column" }
{ { "T" "B" } { "L" "R" } }
""
2 0  1 1  1 1  6 4
"""

USER_MODULE = '''
"""A researcher's own concepts, outside the project."""
from fractions import Fraction


def equal_split(game):
    """The surplus M split equally (exact)."""
    m = max(game.total(p) for p in game.profiles())
    return [Fraction(m) / game.n_players] * game.n_players


def raises(game):
    raise RuntimeError("kaboom")


def one_value(game):
    return [Fraction(0)]


def not_a_number(game):
    return [float("nan")] * game.n_players
'''


@pytest.fixture
def clean_registry():
    """Concepts registered by a test (plugins) are removed afterwards."""
    get_concept("coco")
    saved = dict(CONCEPTS)
    loaded = dict(plugins._LOADED)
    problems = list(plugins._PROBLEMS)
    yield
    CONCEPTS.clear()
    CONCEPTS.update(saved)
    plugins._LOADED.clear()
    plugins._LOADED.update(loaded)
    plugins._PROBLEMS[:] = problems


@pytest.fixture
def user_module(tmp_path: Path, monkeypatch) -> str:
    """A module written to tmp_path (outside the project), importable by name."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    name = f"user_concepts_{abs(hash(str(tmp_path))) % 10**8}"
    (folder / f"{name}.py").write_text(USER_MODULE)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, name, raising=False)
    return name


@pytest.fixture
def hand_game(tmp_path: Path) -> Path:
    path = tmp_path / "hand.nfg"
    path.write_text(HAND_GAME)
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_user_concept_value_splits_the_hand_games_surplus_equally(capsys, user_module, hand_game):
    """M = max(2+0, 1+1, 1+1, 6+4) = 10, so the equal split is 5 each."""
    status, out, err = run(capsys, "value", str(hand_game), "--concept", f"{user_module}:equal_split", "--json")
    assert status == 0 and err == ""
    data = json.loads(out)
    assert data["values"] == ["5", "5"] and data["exact"] is True


def test_user_concept_check_finds_replays_and_draws_a_maximin_violation(capsys, user_module, tmp_path):
    """The equal split gives M/2 each, below a player's guarantee when the
    other's losses drag M down (e.g. one profile with payoffs (1, −1): M = 0,
    maximin_1 = 1). The check must find such a witness, re-verify it, and
    replay it from its file."""
    catalogue = tmp_path / "witnesses"
    status, out, err = run(capsys, "check", "--concept", f"{user_module}:equal_split", "--desideratum", "maximin",
                           "--games", "500", "--catalogue", str(catalogue), "--quiet", "--json")
    assert status == 1, err
    result = json.loads(out)
    assert result["outcome"] == "counterexample"
    record = json.loads(Path(result["witness"]).read_text())
    values, guarantees = record["values"]["values"], record["values"]["maximin"]
    assert any(Fraction(v) < Fraction(g) for v, g in zip(values, guarantees))
    assert Path(result["witness"]).with_suffix(".png").exists()  # a 2-player witness gets its picture
    status, out, err = run(capsys, "replay", result["witness"])
    assert status == 0 and out.startswith("confirmed")


def test_user_concept_satisfying_pareto_has_no_counterexample(capsys, user_module, tmp_path):
    """Σ_i M/n = M on every game: the search cannot find a Pareto violation."""
    status, out, err = run(capsys, "check", "--concept", f"{user_module}:equal_split", "--desideratum", "pareto",
                           "--games", "300", "--catalogue", str(tmp_path / "w"), "--quiet", "--json")
    assert status == 0, err
    assert json.loads(out)["outcome"] == "unknown"


@pytest.mark.parametrize(
    "function, fragment",
    [("raises", "raised RuntimeError: kaboom"), ("one_value", "returned 1 values for 2 players"),
     ("not_a_number", "non-finite value nan")],
)
@pytest.mark.parametrize("command", ["value", "check"])
def test_broken_user_concept_exits_2_with_one_line(capsys, user_module, hand_game, tmp_path, function, fragment, command):
    spec = f"{user_module}:{function}"
    if command == "value":
        argv = ["value", str(hand_game), "--concept", spec]
    else:
        argv = ["check", "--concept", spec, "--desideratum", "pareto", "--games", "20", "--quiet",
                "--catalogue", str(tmp_path / "w")]
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("bargaincheck: error:")
    assert fragment in err


def test_missing_user_function_is_a_one_line_error(capsys, user_module, hand_game):
    status, _, err = run(capsys, "value", str(hand_game), "--concept", f"{user_module}:nothing_here")
    assert status == 2 and "has no function 'nothing_here'" in err


def _install_fake_distribution(site: Path, entries: str, module: str | None = None) -> None:
    """A dist-info folder on sys.path is what importlib.metadata sees for an
    installed package: its entry_points.txt declares the concepts."""
    info = site / "fake_bargaining_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-bargaining-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entries))
    if module is not None:
        (site / "fake_plugin_concepts.py").write_text(module)


def test_installed_entry_point_shows_up_in_list_and_checks(capsys, tmp_path, monkeypatch, clean_registry, hand_game):
    site = tmp_path / "site"
    _install_fake_distribution(
        site,
        """
        [bargaincheck.concepts]
        equal-split = fake_plugin_concepts:equal_split
        """,
        USER_MODULE,
    )
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "fake_plugin_concepts", raising=False)
    status, out, _ = run(capsys, "list", "--json")
    assert status == 0
    listed = {c["id"]: c for c in json.loads(out)["concepts"]}
    assert "equal-split" in listed and listed["equal-split"]["description"] == "The surplus M split equally (exact)."
    status, out, _ = run(capsys, "value", str(hand_game), "--concept", "equal-split", "--json")
    assert status == 0 and json.loads(out)["values"] == ["5", "5"]


def test_broken_plugin_is_reported_and_others_still_listed(capsys, tmp_path, monkeypatch, clean_registry):
    site = tmp_path / "site"
    _install_fake_distribution(
        site,
        """
        [bargaincheck.concepts]
        missing = no_such_module_for_bargaincheck:value
        coco = fake_plugin_concepts:equal_split
        """,
        USER_MODULE,
    )
    monkeypatch.syspath_prepend(str(site))
    status, out, err = run(capsys, "list")
    assert status == 0
    assert "plugin concept 'missing'" in err and "cannot be loaded" in err
    assert "clashes with a built-in id" in err
    assert get_concept("coco").description.startswith("Kalai & Kalai")  # the built-in is not replaced


def test_decorator_player_counts_keep_shapes_out(capsys, clean_registry):
    @plugins.concept("two-only", min_players=2, max_players=2, description="two players only")
    def two_only(game):
        return [Fraction(0)] * game.n_players

    concept = plugins.as_concept(two_only)
    assert (concept.id, concept.min_players, concept.max_players) == ("two-only", 2, 2)
    three = Game.from_function((1, 1, 1), lambda p: [0, 0, 0])
    with pytest.raises(ConceptError, match="takes exactly 2 players"):
        evaluate(concept, three)


def _coco_like(game):
    from bargaincheck.specs.concepts.coco import coco_value

    return coco_value(game)


def test_smt_encoding_agrees_with_the_function_exactly():
    """A user concept equal to CoCo with CoCo's encoding agrees on every game
    tried; the 2-player ROSE encoding for it does not on a game where the two
    values differ (the bomb-free threat game: one profile, (0, 0), and a
    second action of player 2 burning player 1: CoCo (−1/2, 1/2), ROSE (0, 0))."""
    encoders = pytest.importorskip("bargaincheck.encoders.concepts")
    from bargaincheck.encoders.algebra import symbolic_values
    from bargaincheck.specs.concepts.coco import COCO
    from bargaincheck.specs.concepts.rose2 import ROSE2

    def reading(definition):
        return lambda g: [v.branches[0][1] for v in symbolic_values(definition, g)]

    good = plugins.as_concept(plugins.concept("coco-copy", min_players=2, max_players=2,
                                              smt_encoding=reading(COCO))(_coco_like))
    games = [
        Game.from_arrays([[[2, 1], [1, 6]], [[0, 1], [1, 4]]]),
        Game.from_arrays([[[0, -1]], [[0, 0]]]),
        Game.from_arrays([[[3, 0, 1], [0, 2, -1]], [[1, 0, 2], [-2, 1, 0]]]),
    ]
    for game in games:
        assert plugins.check_encoding(good, game) == []
    wrong = plugins.as_concept(_coco_like, id="coco-with-rose-encoding")
    plugins.register_smt_encoding(wrong.id, reading(ROSE2))
    try:
        problems = plugins.check_encoding(wrong, games[1])
    finally:
        encoders.CONCEPT_ENCODINGS.pop(wrong.id, None)
        encoders.CONCEPT_ENCODINGS.pop("coco-copy", None)
    assert problems == ["player 1: function -1/2, encoding 0", "player 2: function 1/2, encoding 0"]


HALF_WITH_ENCODING = '''
from fractions import Fraction

from bargaincheck.checkers.plugins import concept
from bargaincheck.encoders.concepts import total_surplus


def _half_encoding(g):
    m = total_surplus(g)
    return (m * Fraction(1, 2), m * Fraction(1, 2))


@concept(min_players=2, max_players=2, smt_encoding=_half_encoding)
def half(game):
    """M/2 each, with its SMT encoding M/2."""
    m = max(game.total(p) for p in game.profiles())
    return [Fraction(m, 2)] * 2
'''


def test_user_smt_encoding_gives_a_bounded_proof_and_a_counterexample(capsys, tmp_path, monkeypatch):
    """M/2 + M/2 = M for every game: the SMT method proves Pareto on all 2x2
    games with payoffs in [−3, 3]; M/2 falls below a maximin value (one profile
    with payoffs (1, −1): M = 0 < 1), so maximin gets a counterexample."""
    pytest.importorskip("bargaincheck.checkers.smt")
    folder = tmp_path / "user"
    folder.mkdir()
    (folder / "half_with_encoding.py").write_text(HALF_WITH_ENCODING)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, "half_with_encoding", raising=False)
    common = ["--method", "smt", "--bound", "3", "--timeout", "60", "--catalogue", str(tmp_path / "w"), "--json"]
    status, out, err = run(capsys, "check", "--concept", "half_with_encoding:half", "--desideratum", "pareto", *common)
    assert status == 0, err
    result = json.loads(out)
    assert result["outcome"] == "proved" and result["scope"]["bound"] == "3"
    status, out, err = run(capsys, "check", "--concept", "half_with_encoding:half", "--desideratum", "maximin", *common)
    assert status == 1, err
    assert json.loads(out)["outcome"] == "counterexample"
