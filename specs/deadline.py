"""Wall-clock budgets that hold in every thread and process: a cooperative
deadline.

`time_limit(seconds)` sets the deadline of a block (the earlier of its own
and any enclosing one) in a context variable, so each thread has its own:
the main thread, a process-pool worker, a Dask worker's task thread alike.
The long loops (the search over games, the exhaustive enumeration, the
minimizer, the exact simplex's pivots, ROSE's branch and bound) call
`check_deadline()`, which raises TimeLimit once the deadline has passed, so a
long single computation is interrupted at its next inner step, not only
between games. No signals are involved (SIGALRM reaches the main thread only).
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import time
from typing import Iterator

__all__ = ["TimeLimit", "time_limit", "check_deadline", "remaining", "without_time_limit"]

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("bargaincheck_deadline", default=None)


class TimeLimit(BaseException):
    """The wall-clock budget is over. A BaseException, so the `except
    Exception` that keeps a search going past a failing game does not
    swallow it."""


def check_deadline() -> None:
    """Raise TimeLimit if the current deadline has passed (a no-op outside
    any `time_limit`). Cheap: one context-variable read and one clock read."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() >= deadline:
        raise TimeLimit()


def remaining() -> float | None:
    """Seconds left before the current deadline (at least 0), or None when
    there is none."""
    deadline = _DEADLINE.get()
    return None if deadline is None else max(0.0, deadline - time.monotonic())


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """The block's deadline: `seconds` from now, or the enclosing deadline if
    that is earlier. None or infinity sets no new limit (an enclosing one
    still holds). TimeLimit is raised by the block's own `check_deadline`
    calls, never from outside."""
    outer = _DEADLINE.get()
    deadline = outer
    if seconds is not None and not math.isinf(seconds):
        own = time.monotonic() + max(0.0, seconds)
        deadline = own if outer is None else min(own, outer)
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


@contextlib.contextmanager
def without_time_limit() -> Iterator[None]:
    """The block runs with no deadline: for one short step that must finish,
    such as re-verifying a witness already found."""
    token = _DEADLINE.set(None)
    try:
        yield
    finally:
        _DEADLINE.reset(token)
