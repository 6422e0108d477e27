"""Surveys on Dask: a local cluster of 2 worker processes, or a real
scheduler with two worker processes, gives the same matrix and the same
witness files as the serial run (game-count budgets, per-cell seeds);
witness files come back from the workers; a resumed Dask run computes only
the cells left; time budgets hold in the workers' threads."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
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
    assert matrix_of(remote) == matrix_of(serial) == {("coco", "threat"): "counterexample", ("coco", "pareto"): "proved"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dask_processes(tmp_path):
    """The address of a real cluster: `dask scheduler` and two `dask worker`
    processes (one thread each) on free local ports, stopped at the end."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": tmp_path}
    processes = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                                   str(port), "--no-dashboard"], **quiet)]
    try:
        for k in range(2):
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "dask", "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                 "--host", "127.0.0.1", "--local-directory", str(tmp_path / f"worker{k}")], **quiet))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _serial_and_remote(tmp_path, address: str, common: list[str], capsys) -> tuple[dict, dict]:
    """The survey reports of a serial run and of a run on the scheduler at
    `address`, with the same options; their matrices must be equal."""
    from bargaincheck.checkers.cli import main

    assert main(["survey", "--out", str(tmp_path / "serial"), "--jobs", "1", *common]) == 0
    assert main(["survey", "--out", str(tmp_path / "remote"), "--scheduler", address, *common]) == 0
    capsys.readouterr()
    serial = json.loads((tmp_path / "serial" / "survey.json").read_text())
    remote = json.loads((tmp_path / "remote" / "survey.json").read_text())
    assert matrix_of(remote) == matrix_of(serial)
    return serial, remote


def test_cli_survey_on_real_scheduler_and_worker_processes_matches_serial(tmp_path, capsys, dask_processes):
    """`survey --scheduler tcp://127.0.0.1:PORT` against `dask scheduler` and
    two `dask worker` processes: the serial run's matrix, cell for cell."""
    common = ["--concepts", "coco,rose", "--desiderata", "threat,pareto,submax", "--shapes", "2x2,2x1x1",
              "--games", "30", "--quiet", "--no-pictures"]
    serial, remote = _serial_and_remote(tmp_path, dask_processes, common, capsys)
    assert matrix_of(serial)[("coco", "threat")] == "counterexample"
    for key, cell in serial["cells"].items():
        assert remote["cells"][key]["games"] == cell["games"]


EQUAL_SPLIT = """
from fractions import Fraction


def equal_split(game):
    m = max(game.total(p) for p in game.profiles())
    return [Fraction(m) / game.n_players] * game.n_players
"""


def test_a_user_concept_from_a_path_folder_runs_on_separate_worker_processes(tmp_path, capsys, monkeypatch,
                                                                              dask_processes):
    """`--path DIR` reaches the workers (they started elsewhere, with DIR
    not on their sys.path): the user's concept gives the serial matrix, not
    an error cell ("No module named ...")."""
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "dask_user_concepts.py").write_text(EQUAL_SPLIT)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, "dask_user_concepts", raising=False)
    common = ["--concepts", "dask_user_concepts:equal_split", "--desiderata", "pareto,maximin", "--shapes", "2x2",
              "--games", "30", "--quiet", "--no-pictures", "--path", str(lib)]
    serial, remote = _serial_and_remote(tmp_path, dask_processes, common, capsys)
    assert matrix_of(serial) == {("dask_user_concepts:equal_split", "pareto"): "none-found",
                                 ("dask_user_concepts:equal_split", "maximin"): "counterexample"}


def test_a_resumed_dask_survey_runs_only_the_cells_left(tmp_path):
    """The state file of an interrupted Dask run (here: a run over fewer
    concepts) is resumed by the next Dask run, which computes the rest."""
    first = _settings(tmp_path / "out")
    first.concepts, first.resume = ("coco",), True
    run_survey_dask(first, workers=2)
    again = _settings(tmp_path / "out")
    again.resume = True
    resumed = run_survey_dask(again, workers=2)
    assert resumed["resumed"] == 3 and resumed["complete"]
    assert matrix_of(resumed) == matrix_of(run_survey(_settings(tmp_path / "serial")))


def test_time_budgets_hold_in_dask_worker_threads(tmp_path):
    """A cell with a time budget on slow shapes (3-player ROSE) keeps each
    shape's share of its budget plus the grace on a Dask worker (a thread),
    where a signal-based limit would never fire."""
    settings = SurveySettings(out=tmp_path / "out", budget=1.0, shapes=("3x3", "2x2x2"), minimize_seconds=5,
                              jobs=1, resume=False, quiet=True, concepts=("rose",), desiderata=("threat",))
    report = run_survey_dask(settings, workers=1)
    cell = report["cells"]["rose × threat"]
    assert cell["outcome"] != "counterexample"
    for entry in cell["shapes"].values():  # each shape's share of the budget, 0.5 s, and the grace
        assert entry["seconds"] < 0.5 + 0.5 + 0.5


@pytest.mark.slow
def test_default_survey_on_dask_matches_the_serial_default_survey(tmp_path):
    """The full default survey (time budgets, ~5 min each) serial and on a
    2-worker local cluster: the same outcome in every cell, up to what the
    time budget allowed (a cell may differ only when the run that missed the
    violation stopped before the game on which the other found it), and the
    Dask run not slower than the serial one by more than a quarter."""
    start = time.monotonic()
    serial = run_survey(SurveySettings(out=tmp_path / "serial", quiet=True, resume=False, jobs=2))
    serial_seconds = time.monotonic() - start
    start = time.monotonic()
    distributed = run_survey_dask(SurveySettings(out=tmp_path / "dask", quiet=True, resume=False), workers=2)
    dask_seconds = time.monotonic() - start
    assert distributed["cells"].keys() == serial["cells"].keys()
    for key, one in serial["cells"].items():
        other = distributed["cells"][key]
        if one["outcome"] == other["outcome"]:
            continue
        found, missed = (one, other) if one["outcome"] == "counterexample" else (other, one)
        assert found["outcome"] == "counterexample" and missed["outcome"] != "counterexample", key
        shape = found["found_on"]
        assert missed["shapes"][shape]["games"] < found["shapes"][shape]["games"], key
    assert dask_seconds < 1.25 * serial_seconds
