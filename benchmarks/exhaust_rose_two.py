"""Every integer 2-player game of a shape that satisfies a desideratum's
premise, judged exactly: ROSE symmetry (identical players, U_2(b, a) =
U_1(a, b), on k x k) and ROSE payoff dominance (U_1 >= U_2 at every profile,
or U_2 >= U_1), where the bounded SMT proofs on 3x3 (and payoff dominance on
2x3) are open (issue "Proof reach"). A weaker result than a proof over real
payoffs: every game of the integer grid, none skipped.

Only games satisfying the premise are generated, one or more per orbit under
relabelling actions (ROSE depends on mixed strategies only, never on the
order of actions): rows, and columns, in lexicographically nondecreasing
order, which every orbit has a member with (a doubly lexical ordering exists
for every matrix, Lubiw 1987); for symmetric games, one relabelling for
both players. Values are the suite's exact 2-player ROSE
(`specs.concepts.rose2`, rational LPs) and the verdict is the suite's own
desideratum (`specs.desiderata`, the check that search and `check --method
exhaustive` use); the script also prints the smallest margin φ_i − φ_j.

    python benchmarks/exhaust_rose_two.py symmetry 3x3
    python benchmarks/exhaust_rose_two.py payoff-dominance 2x3
    python benchmarks/exhaust_rose_two.py payoff-dominance 3x3 --values=0,1
"""

from __future__ import annotations

import argparse
import itertools
import time
from fractions import Fraction
from typing import Iterator

from bargaincheck.specs.concepts.registry import get_concept
from bargaincheck.specs.desiderata.registry import get_desideratum
from bargaincheck.specs.games import Game
from exhaust_rose_three import judge, report, tick, timing  # the same judge: the suite's own desideratum checks


def _sorted_columns(rows: tuple[tuple, ...]) -> bool:
    columns = list(zip(*rows))
    return all(columns[k] <= columns[k + 1] for k in range(len(columns) - 1))


def symmetric_games(k: int, values: tuple[Fraction, ...]) -> Iterator[Game]:
    """U_1 any k x k matrix over `values`, U_2 = U_1 transposed (player 2's
    action b against a is player 1's a against b); one relabelling for both."""
    for flat in itertools.product(values, repeat=k * k):
        u = [flat[r * k:(r + 1) * k] for r in range(k)]
        canonical = min(tuple(u[p[r]][p[c]] for r in range(k) for c in range(k))
                        for p in itertools.permutations(range(k)))
        if canonical != flat:
            continue
        yield Game.from_arrays([u, [[u[b][a] for b in range(k)] for a in range(k)]])


def dominance_games(rows_n: int, cols_n: int, values: tuple[Fraction, ...]) -> Iterator[Game]:
    """U_1 >= U_2 at every profile, and (as separate games) U_2 >= U_1, over
    `values`; rows and columns of (U_1, U_2) pairs in nondecreasing order."""
    cells = [(a, b) for a in values for b in values if a >= b]
    for high_first in (True, False):
        row_choices = list(itertools.product(cells, repeat=cols_n))
        for rows in itertools.combinations_with_replacement(row_choices, rows_n):
            if not _sorted_columns(rows):
                continue
            if not high_first and all(a == b for row in rows for a, b in row):
                continue  # U_1 = U_2: already generated
            first = [[(a if high_first else b) for a, b in row] for row in rows]
            second = [[(b if high_first else a) for a, b in row] for row in rows]
            yield Game.from_arrays([first, second])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("desideratum", choices=("symmetry", "payoff-dominance"))
    parser.add_argument("shape", help="k x k for symmetry, any 2-player shape for payoff dominance")
    parser.add_argument("--values", default="-1,0,1", help="the payoff set, comma-separated integers")
    parser.add_argument("--concept", default="rose")
    parser.add_argument("--report", type=int, default=50000, help="print progress every this many games")
    args = parser.parse_args()
    shape = tuple(int(k) for k in args.shape.split("x"))
    values = tuple(Fraction(int(v)) for v in args.values.split(","))
    if args.desideratum == "symmetry":
        if len(shape) != 2 or shape[0] != shape[1]:
            parser.error("symmetry needs a k x k shape")
        games_of = symmetric_games(shape[0], values)
    else:
        if len(shape) != 2:
            parser.error("a 2-player shape")
        games_of = dominance_games(shape[0], shape[1], values)
    concept, desideratum = get_concept(args.concept), get_desideratum(args.desideratum)
    start = time.perf_counter()
    games = exact = applies = 0
    bad: list[str] = []
    margin: Fraction | None = None
    for game in games_of:
        games += 1
        if not desideratum.applies(concept, game):
            bad.append(f"the premise does not hold (a generator defect):\n{game.describe()}")
            continue
        applies += 1
        valuation = judge(concept, [desideratum], game, bad)
        exact += valuation.kind == "rational"
        phi = valuation.values
        u1, u2 = game.payoffs
        if args.desideratum == "symmetry":
            gap = -abs(phi[0] - phi[1])
        else:
            gap = (phi[0] - phi[1]) if all(a >= b for a, b in zip(u1, u2)) else (phi[1] - phi[0])
        gap -= valuation.error_bound
        margin = gap if margin is None else min(margin, gap)
        if gap < 0:
            bad.append(f"violated or undecided (margin {gap}):\n{game.describe()}")
        tick(games, args.report, start)
    print(f"{args.concept} × {args.desideratum} on {args.shape}, payoffs in {{{args.values}}}: {games} games "
          f"(premise holds on {applies}) {timing(games, start)}")
    print(f"  exact values: {exact} of {applies}; smallest margin {margin}")
    report(bad, "violated, undecided or defective")


if __name__ == "__main__":
    main()
