"""Surveys and proofs that outgrow one machine: survey cells, or a proof's
SMT sub-queries, run on Dask.

`run_survey_dask(settings)` is `run_survey` with the cells submitted to a Dask
cluster: by default a `distributed.LocalCluster` of worker processes (one
thread each) on this machine; with `scheduler="tcp://host:8786"` (the
command line's `--scheduler ADDRESS`), or Dask's own configuration key
`scheduler-address` (e.g. the environment variable
DASK_SCHEDULER_ADDRESS), an existing cluster.

The workers need the same bargaincheck (and any user concept module) importable.
They write nothing on the survey's output folder: a cell's witness files are
written in a temporary folder on the worker and shipped back with the cell's
result, then written here, so the workers need no shared file system.

Identical to the serial run: each cell's search is seeded by the cell alone
(never by the order cells finish), the minimizer is deterministic, and
reports are keyed by cell. Give a game-count budget (`max_games`) for
bit-identical matrices: with a time budget, how many games a cell tries
depends on the machine's speed, serial or not.

A cell runs in a worker's thread, where its time budget holds as anywhere
(the cooperative deadline of `specs.deadline`, not a signal). The local
cluster's worker processes exit when this process dies, even by kill -9:
distributed has each one watch a pipe its parent holds open.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import sys
import contextlib
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from distributed.diagnostics.plugin import WorkerPlugin

from ..specs.fileio import atomic_write_json
from .survey import SurveySettings, run_survey

__all__ = ["ClusterMismatch", "DaskCellExecutor", "DaskSolvers", "dask_client", "dask_solvers", "run_survey_dask",
           "scheduler_from_config"]

WITNESS_DIR_ARGUMENT = 7  # position of witness_dir in survey.run_cell's arguments


def scheduler_from_config() -> str | None:
    """The scheduler address from Dask's configuration, if one is set."""
    import dask

    return dask.config.get("scheduler-address", None) or dask.config.get("scheduler_address", None)


def dask_client(scheduler: str | None = None, workers: int = 2) -> tuple[Any, Any]:
    """(client, cluster): a client of the scheduler at `scheduler` (or the one
    in Dask's configuration; cluster None), else of a new LocalCluster with
    `workers` single-threaded processes (the caller closes both)."""
    from distributed import Client, LocalCluster

    address = scheduler or scheduler_from_config()
    if address:
        return Client(address), None
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40,
        host="127.0.0.1",
    )
    return Client(cluster), cluster


def _remote_cell(function: Callable[..., dict[str, Any]], arguments: tuple) -> tuple[dict[str, Any], dict[str, str]]:
    """On a worker: run one cell with a private witness folder; return its
    result and the witness files it wrote (name -> text)."""
    with tempfile.TemporaryDirectory(prefix="bargaincheck-cell-") as folder:
        arguments = list(arguments)
        arguments[WITNESS_DIR_ARGUMENT] = folder
        result = function(*arguments)
        files = {path.name: path.read_text(encoding="utf-8") for path in Path(folder).glob("*__*.json")}
    return result, files


def _store(witness_dir: Path, name: str, text: str) -> None:
    """Write a shipped witness as the serial run would have: the replay line
    points at this folder; an existing file for the same witness keeps its
    original `found_by`."""
    record = json.loads(text)
    target = witness_dir / name
    if target.exists():
        try:
            old = json.loads(target.read_text(encoding="utf-8"))
            if old.get("canonical_key") == record.get("canonical_key") and isinstance(old.get("found_by"), dict):
                record["found_by"] = old["found_by"]
        except (OSError, ValueError):
            pass
    if "replay" in record:
        record["replay"] = f"bargaincheck replay {target}"
    witness_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_json(target, record)


class DaskCellExecutor:
    """A concurrent.futures-style executor (what `run_survey` needs: `submit`
    returning a concurrent.futures.Future) that runs survey cells on Dask and
    writes their witness files locally when each cell finishes."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._dask_futures: list[Any] = []
        self._lock = threading.Lock()

    def submit(self, function: Callable[..., dict[str, Any]], *arguments: Any) -> concurrent.futures.Future:
        local: concurrent.futures.Future = concurrent.futures.Future()
        witness_dir = Path(arguments[WITNESS_DIR_ARGUMENT])
        remote = self.client.submit(_remote_cell, function, tuple(arguments), pure=False)

        def finished(future: Any) -> None:
            try:
                result, files = future.result()
                with self._lock:
                    for name, text in sorted(files.items()):
                        _store(witness_dir, name, text)
            except BaseException as error:  # handed to the survey, which records the cell as an error
                local.set_exception(error)
            else:
                local.set_result(result)

        remote.add_done_callback(finished)
        self._dask_futures.append(remote)
        return local

    def __enter__(self) -> "DaskCellExecutor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._dask_futures.clear()


class ImportPaths(WorkerPlugin):
    """A Dask worker plugin: the folders a user's `module:function` concepts
    are imported from (the CLI's --path folders and the current folder) go
    first on every worker's sys.path, on workers that join later too. A folder
    a worker does not have (a worker on another machine) is skipped there: the
    module must then be installed on that machine."""

    name = "bargaincheck-import-paths"

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = [os.path.abspath(p) for p in paths]

    def setup(self, worker: Any = None) -> None:
        for folder in reversed(self.paths):
            if os.path.isdir(folder):
                if folder in sys.path:
                    sys.path.remove(folder)
                sys.path.insert(0, folder)


def run_survey_dask(settings: SurveySettings, scheduler: str | None = None, workers: int | None = None) -> dict[str, Any]:
    """Run the survey with its cells on Dask (a local cluster of `workers`
    processes, default `settings.jobs` or 2, unless a scheduler address is
    given or configured); `settings.import_paths` are put on each worker's
    sys.path (`ImportPaths`). Returns the report, as `run_survey`."""
    client, cluster = dask_client(scheduler, workers or max(2, settings.jobs))
    try:
        if settings.import_paths:
            client.register_plugin(ImportPaths(settings.import_paths), name=ImportPaths.name)
        settings.executor = DaskCellExecutor(client)
        return run_survey(settings)
    finally:
        settings.executor = None
        client.close()
        if cluster is not None:
            cluster.close()


# -- a proof's sub-queries on Dask --------------------------------------------------------

STOP_POLL_SECONDS = 1.0  # how often a running job asks whether the proof has stopped
RESULT_GRACE_SECONDS = 30.0  # how long past the proof's deadline an answer may take to come back


class _StopFlag:
    """On a worker: has the proof set its Dask Event (a verified
    counterexample: the other jobs are "skipped")? Asked at most every
    STOP_POLL_SECONDS; a scheduler that cannot be asked means no."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._asked = 0.0
        self._set = False

    def __call__(self) -> bool:
        now = time.monotonic()
        if not self._set and now - self._asked >= STOP_POLL_SECONDS:
            self._asked = now
            try:
                from distributed import Event

                self._set = Event(self.name).is_set()
            except Exception:  # the scheduler is unreachable: the job's own limits still hold
                self._set = False
        return self._set


def _remote_solve(text: str, solver: str, timeout: float, z3_core_ms: int, wall_deadline: float | None,
                  stop_name: str):
    """On a worker (a thread of a daemonic process): one job in a forked child
    with the job's limits (`smt.solve_in_child`)."""
    from .smt import solve_in_child

    return solve_in_child(text, solver, timeout, z3_core_ms, wall_deadline, _StopFlag(stop_name))


class ClusterMismatch(OSError):
    """The cluster cannot solve for this machine (other solver versions): an
    error of the environment, reported as one line with exit 2."""


class DaskSolvers:
    """A `smt.SolverPool` on a Dask cluster: each (text, solver) job is a task
    that solves it in a forked child on a worker, with the same per-process
    `timeout`, the proof's deadline (sent as wall-clock time) and the same
    answers as local worker processes. A verified counterexample sets a Dask
    Event: queued jobs are cancelled and running ones stop within
    STOP_POLL_SECONDS, all "skipped". A task lost with its worker (or any
    error on the cluster) is an "error" answer, never an UNSAT.

    The workers need the same bargaincheck, z3 and cvc5: a record names the
    solver versions of the machine that writes it, so a cluster with other
    versions is refused (`check_versions`)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def check_versions(self) -> None:
        from .smt import solver_versions

        here = solver_versions()
        for worker, versions in self.client.run(_worker_versions).items():
            if versions != here:
                raise ClusterMismatch(f"Dask worker {worker} has solvers {versions}, this machine {here}: "
                                      f"a proof record names one set of versions")

    def solve_texts(self, jobs, timeout, stop, deadline, z3_core_ms):
        from distributed import Event, as_completed

        from .smt import SolverAnswer

        if not jobs:
            return []
        name = f"bargaincheck-stop-{uuid.uuid4().hex}"
        flag = Event(name, client=self.client)
        wall_deadline = None if deadline is None else time.time() + (deadline - time.monotonic())
        futures = [self.client.submit(_remote_solve, text, solver, timeout, z3_core_ms, wall_deadline, name,
                                      pure=False, key=f"bargaincheck-solve-{k}-{uuid.uuid4().hex}")
                   for k, (text, solver) in enumerate(jobs)]
        index = {future.key: k for k, future in enumerate(futures)}
        answers: list[Any] = [None] * len(jobs)
        wait = None if deadline is None else max(0.0, deadline - time.monotonic()) + RESULT_GRACE_SECONDS
        stopped = ""
        try:
            for future in as_completed(futures, timeout=wait):
                k = index[future.key]
                try:
                    answers[k] = future.result()
                except Exception as error:  # a lost worker, a crash on the cluster: never an answer
                    answers[k] = SolverAnswer("error", 0.0, {}, f"Dask task failed: {type(error).__name__}: {error}")
                if stop is not None and stop(k, answers[k]):
                    stopped = "stopped: an answer was found"
                    break
        except TimeoutError:
            stopped = "not answered by the overall deadline"
        finally:
            flag.set()
            self.client.cancel([f for k, f in enumerate(futures) if answers[k] is None])
        verdict = "skipped" if stopped.startswith("stopped") else "timeout"
        return [answer if answer is not None else SolverAnswer(verdict, 0.0, {}, stopped) for answer in answers]


def _worker_versions() -> dict[str, str]:
    from .smt import solver_versions

    return solver_versions()


@contextlib.contextmanager
def dask_solvers(scheduler: str | None = None, workers: int = 2) -> Iterator[DaskSolvers]:
    """A DaskSolvers on the cluster at `scheduler` (or the configured one),
    else on a new local cluster of `workers` single-threaded processes; the
    client (and a local cluster) are closed on leaving."""
    client, cluster = dask_client(scheduler, workers)
    try:
        pool = DaskSolvers(client)
        pool.check_versions()
        yield pool
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
