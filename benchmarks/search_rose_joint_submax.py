"""Search ROSE-joint sub-max (φ_i ≤ max_i) on 4-player shapes, the open case of
the joint-context variant (issue 16), screened with the interval engine.

Each random game (seeded, integer payoffs in [−B, B]) is enclosed by
`rose_interval_value(game, joint=True)`; the enclosure is sound, so a player
whose lower end exceeds its largest payoff is a candidate violation, which is
then re-verified by the exact branch and bound (`rose_joint_value`, value minus
its proven error bound above max_i) before it is reported. Prints the games
searched, how many enclosures reached the target, the largest margin
hi_i − max_i seen (how close a violation came), and every verified witness.

    python benchmarks/search_rose_joint_submax.py [--shape 2x2x2x1] [--minutes 10] [--seed 0] [--bound 10]
"""

from __future__ import annotations

import argparse
import random
import time
from fractions import Fraction

from bargaincheck.specs.concepts.basic import max_payoff
from bargaincheck.specs.concepts.rose import rose_joint_value
from bargaincheck.specs.concepts.rose_interval import rose_interval_value
from bargaincheck.specs.games import Game


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", default="2x2x2x1")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bound", type=int, default=10)
    parser.add_argument("--per-game", type=float, default=10.0, help="interval engine budget per game, seconds")
    args = parser.parse_args()
    shape = tuple(int(k) for k in args.shape.split("x"))
    rng = random.Random(args.seed)
    deadline = time.monotonic() + 60 * args.minutes
    games = closed = 0
    closest = None
    witnesses = []
    while time.monotonic() < deadline:
        game = Game.from_function(shape, lambda p: [rng.randint(-args.bound, args.bound) for _ in shape])
        games += 1
        enclosure = rose_interval_value(game, joint=True, target=1e-6, seconds=args.per_game)
        closed += not enclosure.timed_out
        for i, (lo, hi) in enumerate(enclosure.bounds):
            top = max_payoff(game, i)
            margin = Fraction(hi) - top
            if closest is None or margin > closest[0]:
                closest = (margin, games, i)
            if Fraction(lo) > top:
                exact = rose_joint_value(game)
                if exact.values[i] - exact.error_bound > top:
                    witnesses.append((games, i, game.describe()))
                    print(f"witness: game {games}, player {i + 1}: ROSE-joint {float(exact.values[i]):.6f} "
                          f"± {float(exact.error_bound):.1e} > max {top}\n{game.describe()}", flush=True)
    print(f"{args.shape}, payoffs in [-{args.bound}, {args.bound}], seed {args.seed}: {games} games in "
          f"{args.minutes:g} min, {closed} enclosed within 1e-6, {len(witnesses)} verified witnesses; closest: "
          f"hi - max_i = {float(closest[0]):.3g} (game {closest[1]}, player {closest[2] + 1})")


if __name__ == "__main__":
    main()
