"""The survey: a deliberately broken concept is caught, interrupted surveys
resume, and the report is valid JSON and Markdown."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from bargaincheck.checkers.replay import replay_file
from bargaincheck.checkers.survey import SurveySettings, cell_id, run_survey
from bargaincheck.specs.concepts.basic import total_surplus
from bargaincheck.specs.concepts.registry import CONCEPTS, Concept, register
from bargaincheck.specs.games import Game


def _min_extraction(game: Game, leader: int) -> Fraction:
    """ROSE's S_leader with the inner max over the follower's replies to its
    own utility replaced by a min: max_ν [max_b ν·X(·,b) − min_b ν·U_f(·,b)].
    The bracket is then a max of linear functions of ν, so the max over ν is
    at a pure action: max over (a, b1, b2) of X(a,b1) − U_f(a,b2)."""
    follower = 1 - leader

    def profile(a: int, b: int) -> tuple[int, int]:
        return (a, b) if leader == 0 else (b, a)

    return max(
        game.total(profile(a, b1)) - game.payoff(follower, profile(a, b2))
        for a in range(game.shape[leader])
        for b1 in range(game.shape[follower])
        for b2 in range(game.shape[follower])
    )


def broken_rose(game: Game) -> tuple[Fraction, Fraction]:
    """2-player ROSE with one max replaced by a min (a deliberate bug)."""
    s1, s2 = _min_extraction(game, 0), _min_extraction(game, 1)
    m = total_surplus(game)
    return m / 2 + (s1 - s2) / 2, m / 2 + (s2 - s1) / 2


@pytest.fixture
def broken_concept():
    concept = register(Concept("test-broken-rose", "broken ROSE", "ROSE with a max replaced by a min", broken_rose, 2, 2))
    try:
        yield concept
    finally:
        CONCEPTS.pop(concept.id, None)


def _settings(tmp_path, **changes) -> SurveySettings:
    values = dict(out=tmp_path / "survey", budget=1.5, shapes=("2x2",), minimize_seconds=10, jobs=1, quiet=True)
    values.update(changes)
    return SurveySettings(**values)


def test_broken_rose_is_caught_by_a_small_survey(tmp_path, broken_concept):
    """Correct ROSE satisfies sub-max (seed 000, Proposition 12); the broken one,
    which lets the leader assume the follower's worst reply for itself, does not."""
    report = run_survey(_settings(tmp_path, concepts=(broken_concept.id, "rose"), desiderata=("submax", "pareto")))
    broken = report["cells"][cell_id(broken_concept.id, "submax")]
    assert broken["outcome"] == "counterexample"
    # Sub-max for ROSE is not searched into a proof: the cell is proved by the
    # committed bounded proof records (both solvers), read, not re-run.
    rose_submax = report["cells"][cell_id("rose", "submax")]
    assert rose_submax["outcome"] == "proved"
    assert {"2x2", "2x3"} <= {p["shape"] for p in rose_submax["proofs"]}
    # Both values still sum to M: Pareto cannot see this bug.
    assert report["cells"][cell_id(broken_concept.id, "pareto")]["outcome"] == "unknown"
    witness = tmp_path / "survey" / "counterexamples" / broken["witness"]
    assert replay_file(witness).confirmed


def test_the_survey_writes_valid_json_and_markdown(tmp_path):
    report = run_survey(_settings(tmp_path, concepts=("coco", "rose"), desiderata=("submax", "pareto")))
    out = tmp_path / "survey"
    data = json.loads((out / "survey.json").read_text())
    assert data["complete"] and set(data["cells"]) == {
        cell_id(c, d) for c in ("coco", "rose") for d in ("submax", "pareto")
    }
    assert data == json.loads(json.dumps(report))
    markdown = (out / "survey.md").read_text()
    assert "| concept | submax | pareto |" in markdown
    assert "| coco | ✗ counterexample (1x2" in markdown
    assert "| rose | ✓ proved (2x1x1, 2x2, 2x3, 3x3 in [−10, 10]; z3 " in markdown  # submax, 2x1x1 on three players
    assert "| coco | ✗ counterexample (1x2" in markdown and "| ✓ by the form of the definition (2x2" in markdown  # pareto
    index = json.loads((out / "counterexamples" / "index.json").read_text())
    assert [e["concept"] for e in index["witnesses"]] == ["coco"]


def test_the_survey_resumes_without_recomputing_done_cells(tmp_path):
    out = tmp_path / "survey"
    out.mkdir()
    marker = {"concept": "coco", "desideratum": "pareto", "outcome": "unknown", "games": 424242,
              "budget": 1.5, "shapes": {}, "seconds": 0.0}
    (out / "survey-state.json").write_text(json.dumps({"cells": {cell_id("coco", "pareto"): marker}}))
    report = run_survey(_settings(tmp_path, concepts=("coco",), desiderata=("pareto", "submax")))
    assert report["resumed"] == 1
    assert report["cells"][cell_id("coco", "pareto")]["games"] == 424242
    assert report["cells"][cell_id("coco", "submax")]["outcome"] == "counterexample"
    again = run_survey(_settings(tmp_path, concepts=("coco",), desiderata=("pareto", "submax"), resume=False))
    assert again["resumed"] == 0
    assert again["cells"][cell_id("coco", "pareto")]["games"] != 424242


def test_pairs_that_do_not_apply_are_marked_na(tmp_path):
    """CoCo takes exactly two players: on 2x2x2 alone its cells are n/a."""
    report = run_survey(_settings(tmp_path, concepts=("coco",), desiderata=("pareto",), shapes=("2x2x2",)))
    assert report["cells"][cell_id("coco", "pareto")]["outcome"] == "n/a"
    assert "| coco | n/a |" in (tmp_path / "survey" / "survey.md").read_text()


def test_survey_catalogue_option_copies_witnesses(tmp_path):
    catalogue = tmp_path / "catalogue"
    run_survey(_settings(tmp_path, concepts=("coco",), desiderata=("submax",), catalogue=catalogue))
    files = sorted(catalogue.glob("coco__submax__*.json"))
    assert len(files) == 1
    assert replay_file(files[0]).confirmed
    assert json.loads(files[0].read_text())["replay"] == f"bargaincheck replay {files[0]}"
    assert (catalogue / "INDEX.md").exists()


def test_a_scale_cell_is_decided_by_the_form_of_the_definition(tmp_path):
    from bargaincheck.checkers.survey import _cell_text, run_cell

    cell = run_cell("shapley-coco", "scale", ["2x2", "2x2x2"], 0.2, Fraction(5), 0, 1.0, str(tmp_path))
    assert cell["outcome"] == "proved"
    assert [(p["shape"], p["by_form"]) for p in cell["proofs"]] == [("2x2", "definition"), ("2x2x2", "definition")]
    assert _cell_text(cell, "").startswith("✓ by the form of the definition (2x2, 2x2x2, every real game")


def test_a_cell_proved_several_ways_names_each_way_with_its_shapes():
    """ROSE Pareto: by the definition's form on two players, by the form of the
    hand-written encoding on three (2x1x1), by solvers elsewhere; none of the
    shapes is dropped and no form proof is given a bound it does not have."""
    from bargaincheck.checkers.survey import _cell_text

    cell = {"outcome": "proved", "proofs": [
        {"shape": "2x2", "outcome": "proved", "by_form": "definition"},
        {"shape": "2x1x1", "bound": "10", "outcome": "proved", "by_form": True, "solvers": ["z3 5", "cvc5 1"]},
        {"shape": "2x3", "bound": "10", "outcome": "proved", "solvers": ["z3 5", "cvc5 1"]},
        {"shape": "3x3", "bound": "10", "outcome": "stale"}]}
    assert _cell_text(cell, "") == (
        "✓ by the form of the definition (2x2, every real game; agrees with the implementation on pinned games); "
        "by the form of the encoding (2x1x1 in [−10, 10]; agrees with the implementation on pinned games); "
        "proved (2x3 in [−10, 10]; z3 5 + cvc5 1)")


def test_an_open_cell_says_why_it_is_open():
    from bargaincheck.checkers.survey import open_reason

    assert "correlated-equilibrium atom ce[G](utilitarian,0) has no SMT encoding" in open_reason(
        "ce-split-utilitarian", "threat", ["2x2"], [])
    # a cell the SMT method would not even ask a solver about says so, from building its sub-queries
    assert "more than 1024 cases" in open_reason("selfish-split", "threat", ["2x2"], [])
    assert "more than 5000 sub-queries" in open_reason("shapley-coco", "null-player", ["2x2"], [])
    assert open_reason("rose", "maximin", ["2x2x2"], []) == "no symbolic form on these shapes"
    assert open_reason("coco", "conditional-threat", ["2x2"], []) == "no SMT encoding of conditional-threat"
    selfish = open_reason("selfish-split", "continuity", ["2x2"], [])
    assert "no Lipschitz constant by its form" in selfish and selfish.endswith("no SMT encoding of continuity")
    assert open_reason("coco", "money", ["2x2"], []).startswith("no proof on record")
    tried = [{"shape": "2x2", "outcome": "unknown", "message": "z3: 44 unsat; cvc5: 4 timeout, 40 unsat"}]
    assert open_reason("coco", "money", ["2x2"], tried) == "2x2: z3: 44 unsat; cvc5: 4 timeout, 40 unsat"


def test_a_pair_that_cannot_apply_is_not_applicable_not_searched(tmp_path):
    """CoCo is a two-player concept without initiative values: a null player
    would make three players, and the first-initiative monotonicity has nothing
    to compare, so neither cell is searched (a "none found" there would count
    games whose check cannot fail); ROSE has both. Symmetry needs players with
    as many actions, so 2x3 is left out of it."""
    from bargaincheck.checkers.survey import applicable_shapes
    from bargaincheck.specs.concepts.registry import get_concept
    from bargaincheck.specs.desiderata.registry import get_desideratum

    shapes = ["2x2", "2x3", "2x1x1"]
    assert applicable_shapes(get_concept("coco"), get_desideratum("null-player"), shapes) == []
    assert applicable_shapes(get_concept("coco"), get_desideratum("monotonicity-first"), shapes) == []
    assert applicable_shapes(get_concept("rose"), get_desideratum("monotonicity-first"), shapes) == shapes
    assert applicable_shapes(get_concept("coco"), get_desideratum("symmetry"), shapes) == ["2x2"]
    assert applicable_shapes(get_concept("rose"), get_desideratum("payoff-dominance"), shapes) == shapes
    report = run_survey(_settings(tmp_path, budget=0.5, concepts=("coco",), desiderata=("null-player", "monotonicity-first")))
    assert {c["outcome"] for c in report["cells"].values()} == {"n/a"}
