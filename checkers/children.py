"""Child processes that die with their parent.

A survey's pool workers and the SMT solver processes are forked children;
when their parent is killed (`kill -9`, the OOM killer) nothing calls their
shutdown, and a pool worker blocked in `Queue.get` or a solver mid-query
would live on, re-parented to PID 1. `die_with_parent(parent)`, called first
thing in the child, prevents that twice over:

* on Linux, prctl(PR_SET_PDEATHSIG, SIGKILL): the kernel kills the child when
  the parent *thread* that forked it exits, so fork from the main thread or
  from a thread that outlives the child (the pool forks from the thread that
  submits; `smt.solve_texts` waits for every process it starts);
* everywhere, a daemon watchdog thread that exits the child as soon as
  os.getppid() is no longer `parent`.

Dask's local-cluster worker processes watch their parent already (a pipe
the parent holds open, distributed.process.AsyncProcess), so they need
nothing from here.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import pickle
import select
import signal
import sys
import threading
import time
from typing import Any, Callable

__all__ = ["die_with_parent", "fork_context", "run_forked", "WATCHDOG_SECONDS"]

PR_SET_PDEATHSIG = 1
WATCHDOG_SECONDS = 0.5


def _set_parent_death_signal() -> bool:
    """prctl(PR_SET_PDEATHSIG, SIGKILL) on Linux; False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)


def die_with_parent(parent: int | None = None) -> None:
    """In a child process: be killed when process `parent` (default: the
    current parent) goes away. Exits at once if it is already gone (the
    parent may die between the fork and this call)."""
    parent = os.getppid() if parent is None else parent
    _set_parent_death_signal()
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="bargaincheck parent watchdog", daemon=True).start()


def fork_context() -> Any:
    """The multiprocessing context for children that watch this process: fork
    on Linux (the child's parent is this process, not a fork server), the
    platform's default elsewhere."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


POLL_SECONDS = 0.25


def run_forked(function: Callable[..., Any], args: tuple, seconds: float,
               cancelled: Callable[[], bool] | None = None) -> tuple[str, Any]:
    """`function(*args)` in a child made by os.fork (not multiprocessing: this
    runs inside daemonic processes, e.g. the SMT solver workers and Dask's
    worker processes, which multiprocessing does not let have children). The
    child dies with this process and is killed after `seconds`, or as soon as
    `cancelled()` (polled every POLL_SECONDS) returns True.

    Returns ("done", result), ("timeout", None), ("cancelled", None), or
    ("died", message) when the child ended without an answer (a crash of the
    function is "died" with its message, never a result)."""
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: answer through the pipe, then leave without cleanup
        os.close(read_end)
        try:
            die_with_parent(parent)
            try:
                payload = ("done", function(*args))
            except BaseException as error:  # reported to the parent, never taken as an answer
                payload = ("died", f"{type(error).__name__}: {error}")
            with os.fdopen(write_end, "wb") as out:
                out.write(pickle.dumps(payload))
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    end = time.monotonic() + max(0.0, seconds)
    try:
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return "timeout", None
            if cancelled is not None and cancelled():
                return "cancelled", None
            if not select.select([read_end], [], [], min(left, POLL_SECONDS))[0]:
                continue
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        try:
            return pickle.loads(b"".join(chunks))
        except (pickle.UnpicklingError, EOFError, ValueError):
            return "died", "the child process died without an answer"
    finally:
        os.close(read_end)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
