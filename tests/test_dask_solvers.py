"""A proof's SMT sub-queries on Dask workers (`dask_sweep.DaskSolvers`,
`check --method smt --dask` / `--scheduler ADDRESS`, `proofs resolve
--dask`): the same sub-queries, verdicts and record as local solver
processes; every time limit holds in the workers' threads (per process, and
the proof's deadline); a verified counterexample stops the other jobs; a
crash on a worker is an error, never an UNSAT; and the solvers die with a
killed check."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

pytest.importorskip("distributed")

from bargaincheck.checkers import dask_sweep, smt  # noqa: E402
from bargaincheck.checkers.cli import main  # noqa: E402
from bargaincheck.checkers.proofs import verify_record  # noqa: E402
from bargaincheck.checkers.smt import smt_check  # noqa: E402

from test_child_processes import _kill_and_watch, _python  # noqa: E402


@pytest.fixture(scope="module")
def threads_pool():
    """DaskSolvers on a cluster whose 2 workers are threads of this process,
    so that a test can replace the solver (monkeypatch reaches them)."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield dask_sweep.DaskSolvers(client)


def _record(path: str) -> dict:
    return json.loads(open(path).read())


def test_a_proof_on_two_local_dask_workers_is_the_serial_proof(tmp_path):
    """ROSE maximin dominance on 2x2 (the seed's Proposition 11.2 for two
    players): the same 8 sub-queries, every one UNSAT for both solvers, a
    record that `proofs verify` finds current."""
    serial = smt_check("rose", "maximin", "2x2", 10, 120, tmp_path / "serial", use_form=False)
    with dask_sweep.dask_solvers(workers=2) as pool:
        remote = smt_check("rose", "maximin", "2x2", 10, 120, tmp_path / "dask", use_form=False, workers=pool)
    assert serial.outcome == remote.outcome == "proved"
    one, two = _record(serial.details["proof_record"]), _record(remote.details["proof_record"])
    assert [q["sha256"] for q in one["queries"]] == [q["sha256"] for q in two["queries"]]
    assert len(two["queries"]) == 8
    assert all(q[s]["verdict"] == "unsat" for q in two["queries"] for s in ("z3", "cvc5"))
    assert verify_record({**two, "path": remote.details["proof_record"]}).current


def test_a_counterexample_found_on_dask_is_reverified_and_stops_the_rest(tmp_path, threads_pool):
    """CoCo is not threat resistant (seed 000): the SAT answer comes back from
    a worker, is re-verified exactly, and the witness is the minimal 1x1 one."""
    result = smt_check("coco", "threat", "2x2", 10, 60, tmp_path, workers=threads_pool)
    assert result.outcome == "counterexample"
    assert result.details["minimal"] and "1x1" in result.details["game"]


def test_the_per_process_limit_holds_in_a_dask_worker_thread(threads_pool, monkeypatch):
    monkeypatch.setattr(smt, "_z3_solve", lambda text, core_ms: time.sleep(600))
    start = time.monotonic()
    answers = smt.solve_texts([("(check-sat)", "z3")] * 2, timeout=1.5, workers=threads_pool)
    assert [a.verdict for a in answers] == ["timeout", "timeout"]
    assert time.monotonic() - start < 20


def test_the_proofs_deadline_holds_on_dask(threads_pool, monkeypatch):
    """Four jobs of 600 s each on two workers, the proof's deadline in 2 s:
    the running ones are killed and the queued ones never run."""
    monkeypatch.setattr(smt, "_z3_solve", lambda text, core_ms: time.sleep(600))
    start = time.monotonic()
    answers = smt.solve_texts([("(check-sat)", "z3")] * 4, timeout=600, workers=threads_pool,
                              deadline=time.monotonic() + 2)
    assert {a.verdict for a in answers} == {"timeout"}
    assert time.monotonic() - start < 20


def test_an_answer_that_stops_the_run_cancels_the_running_jobs(threads_pool, monkeypatch):
    def solve(text, core_ms):
        if "slow" in text:
            time.sleep(600)
        return "sat", {}, "quick"

    monkeypatch.setattr(smt, "_z3_solve", solve)
    start = time.monotonic()
    answers = smt.solve_texts([("; slow\n(check-sat)", "z3"), ("(check-sat)", "z3")], timeout=600,
                              workers=threads_pool, stop=lambda k, answer: answer.verdict == "sat")
    assert [a.verdict for a in answers] == ["skipped", "sat"]
    assert time.monotonic() - start < 30


def test_a_solver_crash_on_a_worker_is_an_error_never_unsat(threads_pool, monkeypatch):
    def crash(text, core_ms):
        raise RuntimeError("segfault stand-in")

    monkeypatch.setattr(smt, "_z3_solve", crash)
    answers = smt.solve_texts([("(check-sat)", "z3")], timeout=60, workers=threads_pool)
    assert answers[0].verdict == "error" and "segfault stand-in" in answers[0].note


def test_workers_with_other_solver_versions_are_refused(threads_pool, monkeypatch):
    """A record names one set of solver versions: a cluster that would solve
    with others is refused before any job runs."""
    monkeypatch.setattr(dask_sweep, "_worker_versions", lambda: {"z3": "0.0", "cvc5": "0.0"})
    with pytest.raises(dask_sweep.ClusterMismatch, match="has solvers"):
        threads_pool.check_versions()
    assert issubclass(dask_sweep.ClusterMismatch, OSError)  # the command line's one-line error, exit 2


def test_check_sends_its_sub_queries_to_the_cluster_at_scheduler(tmp_path, capsys):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        code = main(["check", "--concept", "rose", "--desideratum", "submax", "--shape", "2x2", "--method", "smt",
                     "--no-form", "--scheduler", cluster.scheduler_address, "--catalogue", str(tmp_path), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0 and ": proved" in out and "UNSAT on all 12 sub-queries" in out


@pytest.mark.parametrize("argv", [
    ["check", "--concept", "coco", "--desideratum", "pareto", "--method", "search", "--dask"],
    ["proofs", "list", "--dask"],
    ["check", "--concept", "coco", "--desideratum", "pareto", "--method", "smt", "--jobs", "0"],
])
def test_dask_options_outside_their_use_are_refused_clearly(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("bargaincheck: error:") and "Traceback" not in err


def test_solver_processes_on_dask_workers_die_with_the_killed_check(tmp_path):
    """kill -9 of a process waiting for Dask jobs: its local cluster's
    workers and the solver children they forked are all gone 5 s later."""
    waiting = _python("""
        from bargaincheck.checkers import smt
        from bargaincheck.checkers.dask_sweep import dask_solvers
        text = smt.tu_query_texts("rose", "symmetry", {"shape": "3x3", "bound": "10"})[0]  # z3 needs > 900 s
        with dask_solvers(workers=2) as pool:
            smt.solve_texts([(text, "z3")] * 2, timeout=600, workers=pool)
    """, tmp_path)
    # its resource tracker, 2 worker processes and the 2 solver children they forked
    assert _kill_and_watch(waiting, 5, wait=120) == set()
