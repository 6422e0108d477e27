"""Seeded random search for a desideratum's violation (SPEC §1, step 1).

Games are drawn from `random.Random(seed)`, so a search replays from its seed
and the number of games tried. The generator mixes uniform payoffs with
structured games (many zeros, ties, constant players, zero-sum and
common-interest games, duplicate actions, one-action players), because
violations such as threats live on thin sets that uniform sampling rarely
hits. Each game is tried with the parameter sets the desideratum proposes.

`run_check` is the one entry point for `bargaincheck check` and the survey:
search (or exhaustive enumeration, or SMT), then minimize, re-verify and log.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..specs.concepts.registry import Concept, get_concept
from ..specs.deadline import TimeLimit, check_deadline, time_limit
from ..specs.desiderata.base import Desideratum, Violation
from ..specs.desiderata.registry import get_desideratum
from ..specs.games import Game, GameError, format_fraction, to_fraction
from .progress import Progress
from .results import COUNTEREXAMPLE, UNKNOWN, CheckResult

__all__ = [
    "parse_shape",
    "parse_bound",
    "random_game",
    "games_from_seed",
    "try_game",
    "SearchOutcome",
    "search",
    "run_check",
    "replay_command",
    "TimeLimit",
    "time_limit",
]

DENOMINATORS = (2, 3, 4)
GRACE_SECONDS = 0.5  # a game started before the time-out may run this much longer
STYLES = (
    "uniform",
    "small",
    "sparse",
    "rational",
    "ties",
    "zero-sum",
    "common",
    "constant-player",
    "duplicate-action",
    "subshape",
)


def parse_shape(text: str) -> tuple[int, ...]:
    """'2x3' -> (2, 3); every player needs at least one action."""
    try:
        shape = tuple(int(part) for part in str(text).lower().split("x"))
    except ValueError:
        raise GameError(f"shape {text!r} is not like '2x2' or '2x2x2'") from None
    if not shape or any(k < 1 for k in shape):
        raise GameError(f"shape {text!r}: every player needs at least one action")
    return shape


def parse_bound(value: Any) -> Fraction:
    bound = to_fraction(value, "bound")
    if bound <= 0:
        raise GameError(f"the payoff bound must be positive, not {format_fraction(bound)}")
    return bound


def shape_name(shape: Iterable[int]) -> str:
    return "x".join(str(k) for k in shape)


def _integer(rng: random.Random, bound: Fraction) -> Fraction:
    top = max(1, math.floor(bound))
    return Fraction(rng.randint(-top, top))


def _rational(rng: random.Random, bound: Fraction) -> Fraction:
    q = rng.choice(DENOMINATORS)
    top = math.floor(bound * q)
    return Fraction(rng.randint(-top, top), q)


def random_game(shape: tuple[int, ...], rng: random.Random, bound: Fraction, style: str | None = None) -> Game:
    """One game of `shape` (or, for style 'subshape', of a random sub-shape)
    with payoffs in [−bound, bound]: integers, or rationals with denominator
    2, 3 or 4 for style 'rational'. `style` None draws one of STYLES."""
    style = style or rng.choice(STYLES)
    n = len(shape)
    if style == "subshape":
        shape = tuple(rng.randint(1, k) for k in shape)
        style = rng.choice(("small", "sparse", "uniform"))
    size = math.prod(shape)
    draw: Callable[[], Fraction]
    if style == "small":
        draw = lambda: Fraction(rng.choice((-1, 0, 0, 1)))  # noqa: E731
    elif style == "sparse":
        draw = lambda: _integer(rng, bound) if rng.random() < 0.25 else Fraction(0)  # noqa: E731
    elif style == "rational":
        draw = lambda: _rational(rng, bound)  # noqa: E731
    elif style == "ties":
        pool = [_integer(rng, bound) for _ in range(rng.randint(1, 3))]
        draw = lambda: rng.choice(pool)  # noqa: E731
    else:
        draw = lambda: _integer(rng, bound)  # noqa: E731
    payoffs = [[draw() for _ in range(size)] for _ in range(n)]
    if style == "zero-sum" and n >= 2:
        payoffs[-1] = [-sum((payoffs[i][k] for i in range(n - 1)), Fraction(0)) for k in range(size)]
        if n > 2 or any(abs(v) > bound for v in payoffs[-1]):
            payoffs[-1] = [max(-bound, min(bound, v)) for v in payoffs[-1]]
    elif style == "common" and n >= 2:
        payoffs = [list(payoffs[0]) for _ in range(n)]
    elif style == "constant-player":
        player = rng.randrange(n)
        value = _integer(rng, bound) if rng.random() < 0.5 else Fraction(0)
        payoffs[player] = [value] * size
    elif style == "duplicate-action":
        candidates = [i for i in range(n) if shape[i] >= 2]
        if candidates:
            player = rng.choice(candidates)
            source, target = rng.sample(range(shape[player]), 2)
            for profile in itertools.product(*(range(k) for k in shape)):
                if profile[player] == target:
                    copy = profile[:player] + (source,) + profile[player + 1:]
                    for i in range(n):
                        payoffs[i][_flat(shape, profile)] = payoffs[i][_flat(shape, copy)]
    return Game.from_function(shape, lambda p: [payoffs[i][_flat(shape, p)] for i in range(n)])


def _flat(shape: tuple[int, ...], profile: tuple[int, ...]) -> int:
    index = 0
    for k, a in zip(shape, profile):
        index = index * k + a
    return index


def games_from_seed(shape: tuple[int, ...], bound: Fraction, seed: int) -> Iterator[tuple[Game, random.Random]]:
    """The endless stream of search games for `seed`, each with the generator
    state its parameters are drawn from (so the stream replays exactly)."""
    rng = random.Random(seed)
    while True:
        yield random_game(shape, rng, bound), rng


def try_game(
    concept: Concept, desideratum: Desideratum, game: Game, rng: random.Random, count: int
) -> Violation | None:
    """The first violation on `game` among the desideratum's proposed parameter
    sets, or None. Errors propagate (the caller counts them)."""
    if not desideratum.applies(concept, game):
        return None
    for params in desideratum.parameters(game, rng, count):
        check_deadline()
        violation = desideratum.check(concept, game, params)
        if violation is not None:
            return violation
    return None


@dataclass
class SearchOutcome:
    """What a search did: the violation (or None), how many games were tried,
    how many raised errors (with the first message), and the time taken."""

    violation: Violation | None
    games: int
    seconds: float
    errors: int = 0
    first_error: str = ""
    skipped: int = 0
    complete: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def search(
    concept: Concept,
    desideratum: Desideratum,
    shape: tuple[int, ...],
    bound: Fraction,
    seed: int = 0,
    timeout: float = 60.0,
    max_games: int | None = None,
    param_count: int = 6,
    progress: Progress | None = None,
    screen: bool = True,
) -> SearchOutcome:
    """Try seeded random games until a violation, the time-out or `max_games`.
    No game starts after the time-out; the one in progress then has
    GRACE_SECONDS more before the deadline (`specs.deadline`, also any
    enclosing one) interrupts it, whichever thread or process it runs in.

    With `screen` (the default), a pair with float readings is searched by
    screening (`checkers.screening`: games judged in float in batches, the
    candidates judged exactly, the exact check the only judge); other pairs,
    and every pair with `screen=False`, game by game exactly."""
    if screen:
        from .screening import screened_search, screening_plan

        plan = screening_plan(concept, desideratum, shape, bound, param_count)
        if plan is not None:
            violation, counts, seconds = screened_search(plan, shape, bound, seed, timeout, max_games, param_count,
                                                         progress, GRACE_SECONDS)
            return SearchOutcome(violation, counts.games, seconds, counts.errors, counts.first_error,
                                 extra=counts.extra(plan, shape))
    start = time.monotonic()
    counts = {"games": 0, "errors": 0, "skipped": 0}
    first_error = ""
    violation = None
    try:
        with time_limit(timeout + GRACE_SECONDS):
            for game, rng in games_from_seed(shape, bound, seed):
                if max_games is not None and counts["games"] >= max_games:
                    break
                if time.monotonic() - start > timeout:
                    break
                counts["games"] += 1
                if progress is not None:
                    progress.update()
                if not concept.accepts(game):
                    counts["skipped"] += 1
                    continue
                try:
                    violation = try_game(concept, desideratum, game, rng, param_count)
                except Exception as error:  # a concept or desideratum bug must not stop the search
                    counts["errors"] += 1
                    first_error = first_error or f"{type(error).__name__}: {error}"
                    continue
                if violation is not None:
                    break
    except TimeLimit:
        violation = None
    return SearchOutcome(
        violation, counts["games"], time.monotonic() - start, counts["errors"], first_error, counts["skipped"]
    )


def replay_command(
    concept: str, desideratum: str, shape: str, bound: Fraction, method: str, seed: int, games: int | None
) -> str:
    """The one line that reruns a search exactly (seed and game count)."""
    line = (
        f"bargaincheck check --concept {concept} --desideratum {desideratum} --shape {shape} "
        f"--bound {format_fraction(bound)} --method {method} --seed {seed}"
    )
    return line + (f" --games {games}" if games is not None else "")


def run_check(
    concept_id: str,
    desideratum_id: str,
    shape: str = "2x2",
    bound: Any = 10,
    method: str = "search",
    timeout: float = 60.0,
    seed: int = 0,
    catalogue: str | Path | None = None,
    max_games: int | None = None,
    minimize_seconds: float = 60.0,
    progress: Progress | None = None,
    query_timeout: float | None = None,
    use_form: bool = True,
    workers: Any = 2,
) -> CheckResult:
    """Check one (concept, desideratum) pair on one shape: find a violation,
    minimize it, re-verify it exactly and log it in `catalogue` (a directory;
    None: no file). Returns the CheckResult (outcome counterexample or unknown;
    'proved' only from the SMT method). `timeout` bounds the whole check (the
    minimization gets at most `minimize_seconds` of what the search left;
    for SMT, see `smt.smt_check`'s budget); for SMT, `query_timeout`
    (default: `timeout`) bounds each solver process, `workers` is how many
    run at once (or an `smt.SolverPool`, e.g. Dask workers), and `use_form=False`
    runs the solvers even where the form of the definition decides the pair."""
    concept = get_concept(concept_id)
    desideratum = get_desideratum(desideratum_id)
    shape_tuple = parse_shape(shape)
    bound = parse_bound(bound)
    name = shape_name(shape_tuple)
    scope = {"shape": name, "bound": format_fraction(bound), "method": method}
    if method == "smt":
        return _smt_check(concept.id, desideratum.id, name, bound, timeout, catalogue, query_timeout, use_form,
                          workers)
    if not (concept.min_players <= len(shape_tuple) and (concept.max_players is None or len(shape_tuple) <= concept.max_players)):
        raise GameError(f"concept {concept.id!r} does not take {len(shape_tuple)}-player games (shape {name})")
    with time_limit(timeout):  # the whole check: the search, then the minimization in what is left
        if method == "exhaustive":
            from .exhaustive import exhaustive_search

            outcome = exhaustive_search(concept, desideratum, shape_tuple, bound, seed=seed, timeout=timeout,
                                        progress=progress)
            scope["values"] = outcome.extra.get("values")
        elif method == "search":
            outcome = search(concept, desideratum, shape_tuple, bound, seed=seed, timeout=timeout,
                             max_games=max_games, progress=progress)
            scope["seed"] = seed
        else:
            raise GameError(f"unknown method {method!r}: use search, exhaustive or smt")
        details: dict[str, Any] = {"games": outcome.games, "seed": seed, "errors": outcome.errors}
        if outcome.first_error:
            details["first_error"] = outcome.first_error
        details.update(outcome.extra)
        if outcome.violation is None:
            if outcome.games and outcome.errors == outcome.games - outcome.skipped and outcome.errors:
                raise GameError(f"every game raised an error; the first: {outcome.first_error}")
            what = "all" if outcome.complete else ""
            message = (
                f"no violation found within budget: {what + ' ' if what else ''}{outcome.games} games, "
                f"shape {name}, bound {format_fraction(bound)}, "
                + (f"seed {seed}" if method == "search" else f"values {scope['values']}")
            )
            if outcome.complete:
                message += " (the whole grid: still no proof for other payoffs)"
            return CheckResult(concept.id, desideratum.id, UNKNOWN, scope, method, outcome.seconds, message=message,
                               details=details)
        from .minimize import minimize

        found = outcome.violation
        reduced = minimize(found, concept, desideratum, seconds=minimize_seconds)
    from .catalogue import write_witness

    details["found"] = {"shape": found.game.shape_name, "violation": found.message}
    details["minimal"] = reduced.minimal
    details["violation"] = reduced.violation.message
    details["canonical_key"] = reduced.key
    details["game"] = reduced.violation.game.describe()
    if method == "search":
        details["replay_search"] = replay_command(concept.id, desideratum.id, name, bound, method, seed, outcome.games)
    found_by = {"method": method, "seed": seed, "shape": name, "bound": format_fraction(bound), "games": outcome.games}
    path = None
    if catalogue is not None:
        path = str(write_witness(catalogue, reduced, found_by))
    seconds = outcome.seconds + reduced.seconds
    return CheckResult(
        concept.id,
        desideratum.id,
        COUNTEREXAMPLE,
        scope,
        method,
        seconds,
        witness_path=path,
        message=reduced.violation.message,
        details=details,
    )


def _smt_check(concept_id: str, desideratum_id: str, shape: str, bound: Fraction, timeout: float, out_dir: Any,
               query_timeout: float | None = None, use_form: bool = True, workers: Any = 2) -> CheckResult:
    try:
        from .smt import smt_check
    except ImportError:
        return CheckResult(
            concept_id,
            desideratum_id,
            UNKNOWN,
            {"shape": shape, "bound": format_fraction(bound), "method": "smt"},
            "smt",
            message="smt method not available",
        )
    return smt_check(concept_id, desideratum_id, shape, bound, query_timeout or timeout, out_dir, budget=timeout,
                     use_form=use_form, workers=workers)
