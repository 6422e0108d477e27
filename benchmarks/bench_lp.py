"""The exact simplex of specs/lp.py with three rational types in its tableau:
Python's fractions.Fraction (the baseline, what the suite used before),
gmpy2.mpq (what it uses) and python-flint's fmpq, on the LPs of exact
CoCo + 2-player ROSE (one zero-sum value, two extractable surpluses) of
random games. The type is swapped in for the run only (specs/lp.py reads
`mpq` from its module globals); every result is compared with the Fraction
one, exactly.

    pip install gmpy2 python-flint   # optional: a missing type is skipped
    python benchmarks/bench_lp.py [--games N] [--shapes 2x2,3x3,4x4]
"""

from __future__ import annotations

import argparse
import random
import time
from fractions import Fraction

from bargaincheck.specs import lp
from bargaincheck.specs.concepts.basic import zero_sum_value
from bargaincheck.specs.concepts.rose2 import extractable_surplus, leader_matrices
from bargaincheck.specs.games import Game


def rational_types() -> dict[str, object]:
    types: dict[str, object] = {"Fraction": Fraction}
    try:
        import gmpy2

        types["gmpy2.mpq"] = gmpy2.mpq
    except ImportError:
        pass
    try:
        import flint

        def fmpq(value=0, denominator=None):
            if denominator is not None:
                return flint.fmpq(value, denominator)
            if isinstance(value, flint.fmpq):
                return value
            value = Fraction(value)
            return flint.fmpq(value.numerator, value.denominator)

        types["flint.fmpq"] = fmpq
    except ImportError:
        pass
    return types


def lp_values(game: Game) -> tuple[Fraction, ...]:
    """val((U_1 − U_2)/2), S_1, S_2: the LPs of exact CoCo and ROSE."""
    rows, cols = game.shape
    matrix = [[(game.payoff(0, (r, c)) - game.payoff(1, (r, c))) / 2 for c in range(cols)] for r in range(rows)]
    return (zero_sum_value(matrix),) + tuple(extractable_surplus(*leader_matrices(game, k)) for k in (0, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=60)
    parser.add_argument("--shapes", default="2x2,3x3,4x4")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    types = rational_types()
    for name in args.shapes.split(","):
        shape = tuple(int(k) for k in name.split("x"))
        rng = random.Random(args.seed)
        games = [Game.from_function(shape, lambda p: [Fraction(rng.randint(-20, 20), rng.choice((1, 2, 3)))
                                                      for _ in shape]) for _ in range(args.games)]
        baseline, reference = None, None
        for label, rational in types.items():
            used, lp.mpq = lp.mpq, rational
            try:
                start = time.perf_counter()
                results = [lp_values(g) for g in games]
                seconds = (time.perf_counter() - start) / len(games)
            finally:
                lp.mpq = used
            reference = reference or results
            baseline = baseline or seconds
            same = "same values" if results == reference else "VALUES DIFFER"
            print(f"{name:<4} {label:<11} {seconds * 1e3:8.2f} ms/game  ratio vs Fraction {baseline / seconds:5.2f}x  {same}")


if __name__ == "__main__":
    main()
