"""Exhaustive search: every integer payoff grid of one shape with payoffs in a
small set (default {−1, 0, 1}), sparsest games first, within a time budget.

Optionally (`symmetry=True`) only one game per orbit under relabelling each
player's actions is tried: the lexicographically smallest payoff table. That
is sound only for concepts that ignore action order (the selfish-threat split
breaks ties by storage order, so it is off by default)."""

from __future__ import annotations

import itertools
import math
import random
import time
from fractions import Fraction
from typing import Iterator, Sequence

from ..specs.concepts.registry import Concept
from ..specs.deadline import TimeLimit, check_deadline, time_limit
from ..specs.desiderata.base import Desideratum
from ..specs.games import Game
from .progress import Progress
from .search import GRACE_SECONDS, SearchOutcome, try_game

__all__ = ["grid_values", "integer_grids", "exhaustive_search"]


def grid_values(bound: Fraction) -> tuple[Fraction, ...]:
    """The payoff set: the integers in [−b, b] with b = min(⌊bound⌋, 2), at least 1
    (the grid grows as (2b+1)^cells, so larger ranges are never finished)."""
    top = max(1, min(2, math.floor(bound)))
    return tuple(Fraction(v) for v in range(-top, top + 1))


def _action_permutations(shape: Sequence[int]) -> list[list[int]]:
    """Flat-index maps for every relabelling of the actions (identity excluded)."""
    maps = []
    for perms in itertools.product(*(itertools.permutations(range(k)) for k in shape)):
        if all(p == tuple(range(len(p))) for p in perms):
            continue
        index = []
        for profile in itertools.product(*(range(k) for k in shape)):
            flat = 0
            for k, p, a in zip(shape, perms, profile):
                flat = flat * k + p[a]
            index.append(flat)
        maps.append(index)
    return maps


def integer_grids(
    shape: Sequence[int], values: Sequence[Fraction], symmetry: bool = False
) -> Iterator[Game]:
    """Every game of `shape` with payoffs in `values`, by increasing number of
    non-zero payoffs (so structured, sparse games come first)."""
    shape = tuple(shape)
    n = len(shape)
    size = math.prod(shape)
    cells = n * size
    nonzero = [v for v in values if v != 0]
    zero = Fraction(0) if Fraction(0) in values else None
    maps = _action_permutations(shape) if symmetry else []
    for support in range(0 if zero is not None else cells, cells + 1):
        for positions in itertools.combinations(range(cells), support):
            for chosen in itertools.product(nonzero, repeat=support):
                check_deadline()  # the symmetry filter may skip many games between two yields
                flat = [zero] * cells
                for pos, v in zip(positions, chosen):
                    flat[pos] = v
                rows = [flat[i * size:(i + 1) * size] for i in range(n)]
                if maps and any(
                    tuple(tuple(row[m[k]] for k in range(size)) for row in rows) < tuple(tuple(r) for r in rows)
                    for m in maps
                ):
                    continue
                yield Game.from_function(shape, lambda p, rows=rows: [row[_flat(shape, p)] for row in rows])


def _flat(shape: Sequence[int], profile: Sequence[int]) -> int:
    index = 0
    for k, a in zip(shape, profile):
        index = index * k + a
    return index


def exhaustive_search(
    concept: Concept,
    desideratum: Desideratum,
    shape: Sequence[int],
    bound: Fraction,
    seed: int = 0,
    timeout: float = 60.0,
    values: Sequence[Fraction] | None = None,
    symmetry: bool = False,
    param_count: int = 6,
    progress: Progress | None = None,
) -> SearchOutcome:
    """Try every grid game until a violation or the time-out; `complete` says
    whether the whole grid was covered."""
    values = tuple(values) if values is not None else grid_values(bound)
    rng = random.Random(seed)
    start = time.monotonic()
    games = errors = skipped = 0
    first_error = ""
    complete = True
    extra = {"values": "{" + ", ".join(str(v) for v in values) + "}", "symmetry": symmetry}
    violation = None
    try:
        with time_limit(timeout + GRACE_SECONDS):
            for game in integer_grids(shape, values, symmetry):
                if time.monotonic() - start > timeout:
                    complete = False
                    break
                games += 1
                if progress is not None:
                    progress.update()
                if not concept.accepts(game):
                    skipped += 1
                    continue
                try:
                    violation = try_game(concept, desideratum, game, rng, param_count)
                except Exception as error:  # counted and reported, never fatal
                    errors += 1
                    first_error = first_error or f"{type(error).__name__}: {error}"
                    continue
                if violation is not None:
                    break
    except TimeLimit:
        complete = False
    if violation is not None:
        return SearchOutcome(violation, games, time.monotonic() - start, errors, first_error, skipped, False, extra)
    extra["complete"] = complete
    return SearchOutcome(None, games, time.monotonic() - start, errors, first_error, skipped, complete, extra)
