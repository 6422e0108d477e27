"""The survey reports how many games each cell searched, per shape, and
which shapes were screened (checkers/screening.py)."""

from __future__ import annotations

from bargaincheck.checkers.survey import SurveySettings, cell_id, run_survey


def test_the_report_counts_the_games_of_every_cell_and_shape(tmp_path):
    settings = SurveySettings(out=tmp_path / "survey", shapes=("2x2", "2x1x1"), jobs=1, quiet=True, max_games=60,
                              concepts=("coco", "shapley-rose", "ce-split-utilitarian"), desiderata=("pareto",))
    report = run_survey(settings)
    shapley = report["cells"][cell_id("shapley-rose", "pareto")]["shapes"]
    assert shapley["2x2"]["games"] == shapley["2x1x1"]["games"] == 60  # Shapley-ROSE splits exactly M
    assert shapley["2x1x1"]["screened"] and shapley["2x1x1"]["exact_checks"] == 0
    ce_split = report["cells"][cell_id("ce-split-utilitarian", "pareto")]["shapes"]
    assert "screened" not in ce_split["2x2"]  # a CE atom has no float reading: the exact path
    markdown = (tmp_path / "survey" / "survey.md").read_text()
    assert "## Games searched per cell" in markdown
    assert "| `shapley-rose` × pareto | 60 s | 60 s | 120 |" in markdown
    assert "| `coco` × pareto | 60 s |  | 60 |" in markdown  # coco takes two players only
