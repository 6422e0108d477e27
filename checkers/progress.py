"""A progress bar on stderr: tqdm when stderr is a terminal, silent otherwise
or when asked to be quiet (so logs and pipes stay clean)."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["Progress", "progress_bar"]


class Progress:
    """The few calls the checkers make: `update`, `set_description`, `write`, `close`.
    A no-op unless a tqdm bar is attached."""

    def __init__(self, bar: Any = None) -> None:
        self._bar = bar

    def update(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def set_description(self, text: str) -> None:
        if self._bar is not None:
            self._bar.set_description_str(text, refresh=True)

    def write(self, text: str) -> None:
        """A line above the bar (or nothing when the bar is silent)."""
        if self._bar is not None:
            self._bar.write(text, file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def progress_bar(total: int | None, description: str = "", quiet: bool = False) -> Progress:
    """A bar over `total` steps on stderr; silent when `quiet` or stderr is not a TTY."""
    if quiet or not sys.stderr.isatty():
        return Progress()
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is a dependency, but a bar is never essential
        return Progress()
    return Progress(tqdm(total=total, desc=description, file=sys.stderr, leave=False, dynamic_ncols=True))
