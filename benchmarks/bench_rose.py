"""Time per game of the n-player ROSE value on random games, against
baselines measured in the same run: the exact 2-player formula (rose2_value)
on 2x2 games and a float dense grid (independent brute force) on the same
2x2x2 games. Prints seconds per game, the ratio, how many results were
exact, and the largest proven error bound. The interval engine
(`rose_interval_value`) runs on the same 2x2x2, 3x3x3 and 2x2x2x2 games as
the exact one (rose.py), with the ratio of their times, its largest
enclosure width and how many enclosures timed out.

    python benchmarks/bench_rose.py [--games N] [--seed S] [--four N] [--three3 N]
                                    [--target W] [--interval-seconds S]
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from fractions import Fraction

import numpy as np

from bargaincheck.specs.concepts.rose import rose_value
from bargaincheck.specs.concepts.rose2 import rose2_value
from bargaincheck.specs.concepts.rose_interval import rose_interval_value
from bargaincheck.specs.games import Game


def random_game(rng: random.Random, shape, bound: int = 5) -> Game:
    return Game.from_function(shape, lambda p: [rng.randint(-bound, bound) for _ in shape])


def grid_rose_2x2x2(game: Game, steps: int = 200) -> list[float]:
    """Float brute force: nested grid maxima over the two mixed strategies."""
    grid = np.linspace(0.0, 1.0, steps + 1)
    p = np.stack([1 - grid, grid])
    totals = np.zeros(3)
    for ordering in itertools.permutations(range(3)):
        ranked = np.zeros((3, 2, 2, 2))
        for profile in game.profiles():
            r = tuple(profile[ordering[k]] for k in range(3))
            for k in range(3):
                ranked[k][r] = float(game.payoff(ordering[k], profile))
        e = [np.einsum("xi,yj,xyz->ijz", p, p, f) for f in (ranked.sum(0), ranked[1] + ranked[2], ranked[2])]
        v0 = (e[0].max(2) - e[2].max(2)).max(1)
        v1 = (e[1].max(2) - e[2].max(2)).max(1)
        w1, w2 = (v0 - v1).max(), v0.max()
        m = max(float(game.total(q)) for q in game.profiles())
        for rank, value in enumerate((w1, w2 - w1, m - w2)):
            totals[ordering[rank]] += value
    return list(totals / 6)


def timed(function, items):
    start = time.perf_counter()
    results = [function(x) for x in items]
    return (time.perf_counter() - start) / max(len(items), 1), results


def report(label, seconds, results=None, baseline=None):
    line = f"{label:<34} {seconds * 1000:9.1f} ms/game"
    if baseline:
        line += f"   ratio vs baseline {seconds / baseline:8.1f}x"
    if results is not None:
        exact = sum(r.kind == "rational" for r in results)
        worst = max(r.error_bound for r in results)
        line += f"   exact {exact}/{len(results)}   max error bound {float(worst):.2e}"
    print(line, flush=True)


def report_interval(label, seconds, enclosures, baseline):
    """One line for the interval engine: time, ratio against rose.py on the
    same games, largest enclosure width, enclosures that hit their budget."""
    worst = max(e.width for e in enclosures)
    late = sum(e.timed_out for e in enclosures)
    print(
        f"{label:<34} {seconds * 1000:9.1f} ms/game   ratio vs rose.py     {seconds / baseline:8.3f}x"
        f"   timed out {late}/{len(enclosures)}   max width {worst:.2e}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=20, help="random 2x2x2 games")
    parser.add_argument("--four", type=int, default=1, help="random 2x2x2x2 games (slow)")
    parser.add_argument("--three3", type=int, default=0, help="random 3x3x3 games")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--target", type=float, default=1e-6, help="interval engine: width goal per player")
    parser.add_argument("--interval-seconds", type=float, default=30.0, help="interval engine: budget per game")
    args = parser.parse_args()

    def interval(game: Game):
        return rose_interval_value(game, target=args.target, seconds=args.interval_seconds)

    rng = random.Random(args.seed)

    two = [random_game(rng, (2, 2)) for _ in range(args.games)]
    base2, _ = timed(rose2_value, two)
    report("rose2_value 2x2 (baseline)", base2)
    t2, r2 = timed(rose_value, two)
    report("rose 2x2", t2, r2, base2)

    three = [random_game(rng, (2, 2, 2), 3) for _ in range(args.games)]
    grid, _ = timed(grid_rose_2x2x2, three)
    report("float grid 2x2x2 (baseline)", grid)
    t3, r3 = timed(rose_value, three)
    report("rose 2x2x2", t3, r3, grid)
    loose, r3l = timed(lambda g: rose_value(g, tolerance=Fraction(1, 10**3)), three)
    report("rose 2x2x2 (tolerance 1e-3)", loose, r3l, grid)
    ti, ri = timed(interval, three)
    report_interval("interval 2x2x2", ti, ri, t3)

    if args.three3:
        games = [random_game(rng, (3, 3, 3), 3) for _ in range(args.three3)]
        t, r = timed(rose_value, games)
        report("rose 3x3x3", t, r, grid)
        ti, ri = timed(interval, games)
        report_interval("interval 3x3x3", ti, ri, t)
    if args.four:
        games = [random_game(rng, (2, 2, 2, 2), 3) for _ in range(args.four)]
        t, r = timed(rose_value, games)
        report("rose 2x2x2x2", t, r, grid)
        ti, ri = timed(interval, games)
        report_interval("interval 2x2x2x2", ti, ri, t)


if __name__ == "__main__":
    main()
