"""Surveys on Dask: a local cluster of 2 worker processes gives the same
matrix and the same witness files as the serial run (game-count budgets,
per-cell seeds), and witness files come back from the workers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from bargaincheck.checkers.dask_sweep import DaskCellExecutor, run_survey_dask, scheduler_from_config  # noqa: E402
from bargaincheck.checkers.expect import matrix_of  # noqa: E402
from bargaincheck.checkers.survey import SurveySettings, run_survey  # noqa: E402


def _settings(out: Path) -> SurveySettings:
    return SurveySettings(
        out=out,
        budget=1e9,
        shapes=("2x2",),
        seed=3,
        minimize_seconds=120,
        jobs=1,
        resume=False,
        quiet=True,
        concepts=("coco", "selfish-split"),
        desiderata=("threat", "submax", "pareto"),
        max_games=60,
    )


def _witness_files(folder: Path) -> dict[str, dict]:
    files = {}
    for path in sorted(folder.glob("*__*.json")):
        record = json.loads(path.read_text())
        record.pop("replay")  # names the folder it lives in
        files[path.name] = record
    return files


def test_two_worker_local_cluster_equals_the_serial_survey(tmp_path):
    serial = run_survey(_settings(tmp_path / "serial"))
    distributed = run_survey_dask(_settings(tmp_path / "dask"), workers=2)
    assert matrix_of(distributed) == matrix_of(serial)
    # CoCo fails threat resistance and sub-max (one torture button; seed 000), so
    # the matrix is not trivially empty.
    assert matrix_of(serial)[("coco", "threat")] == "counterexample"
    assert matrix_of(serial)[("coco", "submax")] == "counterexample"
    assert _witness_files(tmp_path / "dask" / "counterexamples") == _witness_files(tmp_path / "serial" / "counterexamples")
    shipped = json.loads(next((tmp_path / "dask" / "counterexamples").glob("coco__threat__*.json")).read_text())
    assert shipped["replay"].startswith(f"bargaincheck replay {tmp_path / 'dask' / 'counterexamples'}")
    for key, cell in serial["cells"].items():
        assert distributed["cells"][key]["games"] == cell["games"]


def test_executor_reports_a_failing_cell_as_an_exception():
    from distributed import Client, LocalCluster

    def broken(*arguments):
        raise ValueError("cell exploded")

    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        future = DaskCellExecutor(client).submit(broken, *[str(k) for k in range(10)])
        with pytest.raises(ValueError, match="cell exploded"):
            future.result(timeout=60)


def test_scheduler_address_comes_from_dask_config():
    import dask

    with dask.config.set({"scheduler-address": "tcp://10.0.0.1:8786"}):
        assert scheduler_from_config() == "tcp://10.0.0.1:8786"
    with dask.config.set({"scheduler-address": None}):
        assert scheduler_from_config() is None


def test_cli_survey_on_an_existing_scheduler_matches_serial(tmp_path, capsys):
    """`--scheduler ADDRESS` connects to a running cluster (here a local one
    started by the test) instead of starting its own."""
    from distributed import LocalCluster

    from bargaincheck.checkers.cli import main

    common = ["--concepts", "coco", "--desiderata", "threat,pareto", "--shapes", "2x2", "--games", "40",
              "--quiet", "--no-pictures"]
    assert main(["survey", "--out", str(tmp_path / "serial"), "--jobs", "1", *common]) == 0
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        assert main(["survey", "--out", str(tmp_path / "remote"), "--scheduler", cluster.scheduler_address, *common]) == 0
    capsys.readouterr()
    serial = json.loads((tmp_path / "serial" / "survey.json").read_text())
    remote = json.loads((tmp_path / "remote" / "survey.json").read_text())
    assert matrix_of(remote) == matrix_of(serial) == {("coco", "threat"): "counterexample", ("coco", "pareto"): "none-found"}
