"""A pytest helper, so a researcher's own test suite can state what a concept
does and get a red light when a change breaks it::

    from bargaincheck.checkers.pytest_plugin import assert_satisfies, assert_violates

    def test_my_value_resists_threats():
        assert_satisfies("mypackage.values:my_value", "threat", shape="2x2", bound=10, games=2000)

    def test_my_value_can_fall_below_maximin():
        witness = assert_violates("mypackage.values:my_value", "maximin", shape="2x2", bound=10)
        assert witness.game.n_players == 2

The same functions are on the `bargaincheck` fixture (installed with the
package as the pytest plugin `bargaincheck`, entry point `pytest11`), which
also logs witnesses in the test's tmp_path::

    def test_threats(bargaincheck):
        bargaincheck.assert_satisfies(my_value, "threat", bound=10)

`assert_satisfies` with the search or exhaustive method passes when no
violation is found within the budget: a regression test, not a proof (the
failure message says so); with method="smt" it passes only on a bounded
proof. `assert_violates` passes when a counterexample is found and returns
its minimal, exactly re-verified witness (`api.Witness`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

__all__ = ["assert_satisfies", "assert_violates", "BargaincheckHelper", "bargaincheck"]


def _check(concept: Any, desideratum: str, **options: Any) -> Any:
    from .api import check

    return check(concept, desideratum, **options)


def assert_satisfies(
    concept: Any,
    desideratum: str,
    shape: str = "2x2",
    bound: Any = 10,
    method: str = "search",
    **options: Any,
) -> Any:
    """Fail the test when `concept` violates `desideratum` on `shape` games
    with payoffs in [−bound, bound] (showing the minimal witness), or, for
    method "smt", when no bounded proof is obtained. Returns the CheckOutcome."""
    __tracebackhide__ = True
    result = _check(concept, desideratum, shape=shape, bound=bound, method=method, **options)
    if result.violated:
        pytest.fail(f"{result.concept} violates {result.desideratum} on {shape} games within bound {bound}:\n"
                    + result.summary(), pytrace=False)
    if method == "smt" and not result.proved:
        pytest.fail(f"no bounded proof that {result.concept} satisfies {result.desideratum} on {shape} games "
                    f"within bound {bound}: {result.outcome}: {result.message}", pytrace=False)
    return result


def assert_violates(
    concept: Any,
    desideratum: str,
    shape: str = "2x2",
    bound: Any = 10,
    method: str = "search",
    **options: Any,
) -> Any:
    """Fail the test unless a counterexample is found; return its minimal witness."""
    __tracebackhide__ = True
    result = _check(concept, desideratum, shape=shape, bound=bound, method=method, **options)
    if not result.violated:
        pytest.fail(f"expected {result.concept} to violate {result.desideratum} on {shape} games within bound "
                    f"{bound}, but the check says {result.outcome}: {result.message}", pytrace=False)
    return result.witness


class BargaincheckHelper:
    """What the `bargaincheck` fixture gives a test: the two assertions, the
    `check` function, and witnesses logged under the test's tmp_path."""

    def __init__(self, catalogue: Path | None = None) -> None:
        self.catalogue = catalogue

    def check(self, concept: Any, desideratum: str, **options: Any) -> Any:
        options.setdefault("catalogue", self.catalogue)
        return _check(concept, desideratum, **options)

    def assert_satisfies(self, concept: Any, desideratum: str, **options: Any) -> Any:
        __tracebackhide__ = True
        options.setdefault("catalogue", self.catalogue)
        return assert_satisfies(concept, desideratum, **options)

    def assert_violates(self, concept: Any, desideratum: str, **options: Any) -> Any:
        __tracebackhide__ = True
        options.setdefault("catalogue", self.catalogue)
        return assert_violates(concept, desideratum, **options)


@pytest.fixture
def bargaincheck(tmp_path: Path) -> BargaincheckHelper:
    """Check concepts against desiderata inside a test (see the module docstring)."""
    return BargaincheckHelper(tmp_path / "witnesses")
