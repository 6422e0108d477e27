"""Time limits hold in every thread: the cooperative deadline of
`specs.deadline` interrupts long single computations (an n-player ROSE
value, an exact LP), searches and minimizations off the main thread, where
a signal-based limit would do nothing, and `check --timeout` holds for any
payoff bound."""

from __future__ import annotations

import threading
import time
from fractions import Fraction

import pytest

from bargaincheck.checkers.minimize import minimize
from bargaincheck.checkers.search import run_check, search
from bargaincheck.checkers.survey import run_cell
from bargaincheck.specs.concepts.registry import get_concept
from bargaincheck.specs.concepts.rose import rose_value
from bargaincheck.specs.deadline import TimeLimit, check_deadline, remaining, time_limit, without_time_limit
from bargaincheck.specs.desiderata.registry import get_desideratum
from bargaincheck.specs.games import Game

# A 3-player game on which one ROSE value takes about a minute (branch and
# bound over contexts), far longer than the budgets below.
SLOW_ROSE = Game.from_function((3, 3, 2),
                               lambda p: [(7 * p[0] + 3 * p[1] + 5 * p[2] + 2 * i) % 9 - 4 for i in range(3)])


def _in_thread(function, *arguments):
    """(seconds, result or exception) of `function(*arguments)` run in a new thread."""
    box: list = []

    def target() -> None:
        start = time.monotonic()
        try:
            value = function(*arguments)
        except BaseException as error:  # handed back to the test
            value = error
        box.append((time.monotonic() - start, value))

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(120)
    assert box, "the thread did not finish within 120 s"
    return box[0]


def _rose_within(seconds: float):
    with time_limit(seconds):
        return rose_value(SLOW_ROSE)


def test_check_deadline_is_a_no_op_without_a_time_limit():
    check_deadline()
    assert remaining() is None


def test_an_inner_time_limit_cannot_extend_the_outer_one():
    with time_limit(0.05):
        with time_limit(100):
            assert remaining() <= 0.05
            time.sleep(0.06)
            with pytest.raises(TimeLimit):
                check_deadline()


def test_without_time_limit_lifts_the_deadline_for_its_block_only():
    with time_limit(0):
        with without_time_limit():
            check_deadline()
        with pytest.raises(TimeLimit):
            check_deadline()


def test_each_thread_has_its_own_deadline():
    with time_limit(0):
        seconds, value = _in_thread(check_deadline)
    assert value is None


def test_a_time_limit_interrupts_one_long_rose_value_in_a_thread():
    seconds, value = _in_thread(_rose_within, 0.3)
    assert isinstance(value, TimeLimit)
    assert seconds < 1.5


def test_a_search_in_a_thread_keeps_its_budget_on_slow_games():
    """One game of ROSE × threat on 3x3x2 takes longer than the budget: the
    game in progress is cut at budget + grace (0.5 s), not when it ends."""
    seconds, outcome = _in_thread(
        search, get_concept("rose"), get_desideratum("threat"), (3, 3, 2), Fraction(5), 0, 0.5)
    assert seconds < 2.0
    assert outcome.violation is None and outcome.games >= 1


def test_a_survey_cell_in_a_thread_keeps_its_budget(tmp_path):
    """What a Dask worker thread runs: each search of a cell over slow shapes
    ends after its share of the budget plus the grace (a single Shapley-ROSE
    check on these shapes takes longer than both). The cell is then proved by
    the form of the definition on 3x3 (not on 2x2x2, whose payment game is too
    large to cross-check), which is quick."""
    seconds, result = _in_thread(
        run_cell, "shapley-rose", "money", ["3x3", "2x2x2"], 1.0, Fraction(5), 0, 5.0, str(tmp_path))
    assert result["outcome"] == "proved"
    assert [(p["shape"], p.get("by_form")) for p in result["proofs"]] == [("3x3", "definition")]
    for entry in result["shapes"].values():  # each shape's share of the budget, 0.5 s, and the grace
        assert entry["seconds"] < 0.5 + 0.5 + 0.5
    assert seconds < 15  # reading the proof records included


def test_minimization_in_a_thread_keeps_its_budget():
    """A minimization of a witness with payoffs near 10^300, cut short,
    returns the best witness so far, re-verified exactly."""
    coco, threat = get_concept("coco"), get_desideratum("threat")
    outcome = search(coco, threat, (3, 3), Fraction(10) ** 300, seed=0, timeout=20)
    assert outcome.violation is not None
    seconds, reduced = _in_thread(minimize, outcome.violation, coco, threat, 0.5)
    assert seconds < 2.0
    assert threat.check(coco, reduced.violation.game, reduced.violation.params) is not None


def test_check_honours_its_timeout_for_an_absurd_bound(tmp_path):
    """`check --concept coco --desideratum threat --bound 1e308 --timeout 3`:
    search and minimization together stay within the time-out."""
    start = time.monotonic()
    result = run_check("coco", "threat", shape="2x2", bound=Fraction(10) ** 308, timeout=3, catalogue=tmp_path)
    assert time.monotonic() - start < 3 + 2.0
    assert result.outcome in ("counterexample", "unknown")


def test_the_bargaining_enumeration_keeps_its_budget_inside_one_large_box():
    """Ordering one box of 3-point problems with coordinates in [−6, 6] means
    millions of candidates before the first is yielded: the budget cuts it."""
    from bargaincheck.checkers.bargaining_search import first_violation

    seconds, (violation, checked, complete) = _in_thread(
        first_violation, "nash", "pareto", 3, 6, True, None, 0.5)
    assert seconds < 1.5
    assert not complete
