"""Child processes die with their parent: after `kill -9` of a running
survey (its pool workers), of a process waiting for SMT solver processes,
or of a Dask survey (its local-cluster workers), no child is left behind,
re-parented to PID 1 (`checkers.children.die_with_parent`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PROC = Path("/", "proc")  # the kernel's process table, not a file of ours
pytestmark = pytest.mark.skipif(not (PROC / "self" / "stat").exists(), reason="reads /proc (Linux)")


def _ppid_and_state(pid: int) -> tuple[int, str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), fields[0]


def _descendants(root: int) -> set[int]:
    """Every live process below `root` (from /proc: pid -> parent pid)."""
    parents = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            info = _ppid_and_state(int(entry.name))
            if info is not None and info[1] != "Z":
                parents[int(entry.name)] = info[0]
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if (info := _ppid_and_state(pid)) is not None and info[1] != "Z"}


def _kill_and_watch(process: subprocess.Popen, expected_children: int, wait: float = 60.0) -> set[int]:
    """Wait until `process` has `expected_children` descendants, kill -9 it,
    and return the descendants still alive 5 s later (after killing them, so
    a failing test leaves nothing behind)."""
    deadline = time.monotonic() + wait
    children: set[int] = set()
    while time.monotonic() < deadline and process.poll() is None:
        children = _descendants(process.pid)
        if len(children) >= expected_children:
            break
        time.sleep(0.1)
    assert len(children) >= expected_children, f"only {len(children)} children appeared"
    time.sleep(0.5)
    children |= _descendants(process.pid)
    process.kill()
    process.wait()
    limit = time.monotonic() + 5
    while _alive(children) and time.monotonic() < limit:
        time.sleep(0.1)
    left = _alive(children)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def _python(code: str, tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_survey_pool_workers_die_with_the_killed_survey(tmp_path):
    survey = subprocess.Popen(
        [sys.executable, "-m", "bargaincheck", "survey", "--out", str(tmp_path / "out"), "--jobs", "2", "--quiet",
         "--no-pictures", "--concepts", "rose,shapley-rose", "--budget", "30"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _kill_and_watch(survey, 2) == set()


def test_smt_solver_processes_die_with_the_killed_check(tmp_path):
    """A solver process that would run for long (here: one that sleeps) is
    killed with the process waiting for it."""
    waiting = _python("""
        import time
        from bargaincheck.checkers import smt
        smt._z3_solve = lambda text, core_ms: time.sleep(600)
        smt.solve_texts([("(check-sat)", "z3"), ("(check-sat)", "z3")], timeout=600, workers=2)
    """, tmp_path)
    assert _kill_and_watch(waiting, 2) == set()


def test_die_with_parent_exits_at_once_when_the_parent_is_already_gone(tmp_path):
    """The parent may die between the fork and the child's call: the child
    then exits instead of watching a parent it no longer has."""
    code = textwrap.dedent("""
        import time
        from bargaincheck.checkers.children import die_with_parent
        die_with_parent(1)  # PID 1 is not this process's parent
        time.sleep(600)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (1, "")


def test_dask_local_cluster_workers_die_with_the_killed_survey(tmp_path):
    pytest.importorskip("distributed")
    survey = subprocess.Popen(
        [sys.executable, "-m", "bargaincheck", "survey", "--dask", "--jobs", "2", "--out", str(tmp_path / "out"),
         "--quiet", "--no-pictures", "--concepts", "rose", "--budget", "30"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _kill_and_watch(survey, 2, wait=90) == set()
