"""Pictures: a catalogued 2-player witness gets a valid PNG next to its JSON,
linked and shown in the index, carrying the witness's exact numbers; the
survey matrix picture; the exact convex hull; every 2-player witness in the
project's catalogue has its picture."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from bargaincheck.checkers.cli import main
from bargaincheck.checkers.pictures import _hull, survey_matrix_picture, witness_figure, witness_picture
from bargaincheck.specs.witness import game_to_json
from bargaincheck.specs.games import Game

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CATALOGUE = Path(__file__).resolve().parent.parent / "counterexamples"


def _assert_png(path: Path) -> None:
    import matplotlib.image

    assert path.read_bytes()[:8] == PNG_SIGNATURE
    height, width, _ = matplotlib.image.imread(path).shape
    assert height >= 300 and width >= 300


@pytest.fixture
def coco_threat_witness(tmp_path, capsys) -> Path:
    """CoCo's torture-button witness, logged by `bargaincheck check`."""
    catalogue = tmp_path / "catalogue"
    status = main(["check", "--concept", "coco", "--desideratum", "threat", "--games", "200",
                   "--catalogue", str(catalogue), "--quiet", "--json"])
    assert status == 1
    return Path(json.loads(capsys.readouterr().out)["witness"])


def test_check_draws_the_witness_next_to_its_json_and_the_index_shows_it(coco_threat_witness):
    picture = coco_threat_witness.with_suffix(".png")
    _assert_png(picture)
    index = (coco_threat_witness.parent / "INDEX.md").read_text()
    assert f"([picture]({picture.name}))" in index
    assert f"![coco × threat]({picture.name})" in index
    assert "dashed diagonal is the Pareto line u1 + u2 = M" in index  # how to read the pictures
    assert "(1, 1) -> (0, 0)" in index  # the game itself, next to its picture
    entry = json.loads((coco_threat_witness.parent / "index.json").read_text())["witnesses"][0]
    assert entry["picture"] == picture.name


def test_the_picture_carries_the_witness_numbers(coco_threat_witness):
    """The witness: one profile (0, 0); player 2's button burns 1 of player 1's
    payoff: CoCo (0, 0) -> (−1/2, 1/2), threat resistance requires (0, 0);
    M = 0, both maximin values 0."""
    record = json.loads(coco_threat_witness.read_text())
    figure = witness_figure(record)
    axes = figure.axes[0]
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert "coco on G: (0, 0)" in labels
    assert "coco on the destruction game: (-1/2, 1/2)" in labels
    assert "required by threat: (0, 0)" in labels
    assert "maximin lines: u1 = 0, u2 = 0" in labels
    assert "Pareto line u1 + u2 = M = 0" in labels
    assert "new outcomes of the destruction game" in labels
    assert record["violation"].split()[0] in axes.get_title(loc="left")
    assert axes.get_xlabel() == "Player 1's payoff u1"


def test_games_without_two_players_get_no_picture(tmp_path):
    three = Game.from_function((1, 1, 1), lambda p: [0, 0, -1])
    record = {"concept": "shapley-rose", "desideratum": "maximin", "game": game_to_json(three),
              "values": {"values": ["0", "0", "-1"]}, "violation": "x"}
    assert witness_picture(record, tmp_path / "w.png") is None
    assert not (tmp_path / "w.png").exists()


def test_hull_is_exact_and_drops_interior_and_collinear_points():
    square = [(Fraction(0), Fraction(0)), (Fraction(2), Fraction(0)), (Fraction(2), Fraction(2)),
              (Fraction(0), Fraction(2)), (Fraction(1), Fraction(1)), (Fraction(1), Fraction(0))]
    assert _hull(square) == [(0, 0), (2, 0), (2, 2), (0, 2)]
    line = [(Fraction(0), Fraction(0)), (Fraction(1, 3), Fraction(1, 3)), (Fraction(1), Fraction(1))]
    assert _hull(line) == [(0, 0), (1, 1)]


def test_survey_matrix_picture_and_link(tmp_path, capsys):
    out = tmp_path / "survey"
    status = main(["survey", "--out", str(out), "--concepts", "coco", "--desiderata", "threat,pareto",
                   "--shapes", "2x2", "--games", "60", "--quiet", "--jobs", "1"])
    assert status == 0
    _assert_png(out / "survey.png")
    assert "![The survey matrix at a glance](survey.png)" in (out / "survey.md").read_text()
    pictures = list((out / "counterexamples").glob("coco__threat__*.png"))
    assert len(pictures) == 1
    _assert_png(pictures[0])


def test_matrix_picture_from_a_report(tmp_path):
    report = {
        "concepts": ["coco", "rose"],
        "desiderata": ["threat", "pareto"],
        "settings": {"shapes": ["2x2"], "bound": "5"},
        "cells": {
            "coco × threat": {"concept": "coco", "desideratum": "threat", "outcome": "counterexample", "shape": "1x1"},
            "coco × pareto": {"concept": "coco", "desideratum": "pareto", "outcome": "unknown"},
            "rose × threat": {"concept": "rose", "desideratum": "threat", "outcome": "proved"},
            "rose × pareto": {"concept": "rose", "desideratum": "pareto", "outcome": "n/a"},
        },
    }
    _assert_png(survey_matrix_picture(report, tmp_path / "m.png"))


def _catalogued_two_player_witnesses() -> list[Path]:
    found = []
    for path in sorted(CATALOGUE.glob("*__*.json")):
        record = json.loads(path.read_text())
        if len(record.get("game", {}).get("payoffs", [])) == 2:
            found.append(path)
    return found


@pytest.mark.parametrize("witness", _catalogued_two_player_witnesses() or [None])
def test_every_catalogued_two_player_witness_has_its_picture_in_the_index(witness):
    if witness is None:
        pytest.skip("the project's catalogue has no 2-player witness yet")
    picture = witness.with_suffix(".png")
    _assert_png(picture)
    assert f"]({picture.name})" in (CATALOGUE / "INDEX.md").read_text()
