"""Every integer 3-player game of a small shape, judged exactly: the seed's
Propositions 11.2 and 12.2 (each player's ROSE value is at least its maximin
value and at most its largest payoff) and Pareto optimality (the values sum
to M) for n = 3, where no bounded SMT proof exists (issue "Proof reach").

The games are those of `checkers.exhaustive.integer_grids` with payoffs in
{−1, 0, 1} (`--values`), one game per orbit under relabelling each player's
actions (`symmetry=True`: ROSE depends on mixed strategies only, never on the
order of actions). Each game's ROSE value is computed once
(`specs.concepts.rose`, branch and bound with proven accuracy) and the
desiderata are the suite's own (`specs.desiderata`, the same checks that
search and `check --method exhaustive` use). A game counts as decided only
when the desideratum holds with the value's proven error bound to spare;
the script prints how many values were exact (rational), the smallest
margins, and every game that is violated or undecided.

    python benchmarks/exhaust_rose_three.py                  # 2x2x1, {-1, 0, 1}
    python benchmarks/exhaust_rose_three.py --shape 2x1x1 --values=-2,-1,0,1,2
    python benchmarks/exhaust_rose_three.py --part 0/2 &  python benchmarks/exhaust_rose_three.py --part 1/2
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction

from bargaincheck.checkers.exhaustive import integer_grids
from bargaincheck.specs.concepts.basic import max_payoff, maximin_value, total_surplus
from bargaincheck.specs.concepts.registry import get_concept
from bargaincheck.specs.desiderata.base import cached_value
from bargaincheck.specs.desiderata.registry import get_desideratum

DESIDERATA = ("maximin", "submax", "pareto")


def judge(concept, desiderata, game, bad: list[str]):
    """The game's valuation (computed once), after the suite's own check of
    each desideratum that applies; each violation is appended to `bad`."""
    valuation = cached_value(concept, game)
    for desideratum in desiderata:
        for params in desideratum.parameters(game, None, 1) if desideratum.applies(concept, game) else ():
            violation = desideratum.check(concept, game, params)
            if violation is not None:
                bad.append(f"{desideratum.id}: {violation.message}\n{game.describe()}")
    return valuation


def tick(games: int, every: int, start: float) -> None:
    if games % every == 0:
        print(f"  {games} games, {time.perf_counter() - start:.0f} s", flush=True)


def timing(games: int, start: float) -> str:
    seconds = time.perf_counter() - start
    return f"in {seconds:.1f} s ({1000 * seconds / max(games, 1):.2f} ms/game)"


def report(bad: list[str], what: str) -> None:
    print(f"  {what}: {len(bad)}")
    for line in bad[:10]:
        print("   ", line.replace("\n", "\n    "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", default="2x2x1")
    parser.add_argument("--values", default="-1,0,1", help="the payoff set, comma-separated integers")
    parser.add_argument("--concept", default="rose")
    parser.add_argument("--part", default="0/1", help="i/k: every k-th game from the i-th (to split the work)")
    parser.add_argument("--report", type=int, default=100000, help="print progress every this many games")
    args = parser.parse_args()
    shape = tuple(int(k) for k in args.shape.split("x"))
    values = tuple(Fraction(int(v)) for v in args.values.split(","))
    part, parts = (int(x) for x in args.part.split("/"))
    concept = get_concept(args.concept)
    desiderata = [get_desideratum(d) for d in DESIDERATA]
    start = time.perf_counter()
    games = exact = 0
    bad: list[str] = []
    margin = {"maximin": None, "submax": None}
    worst_error = Fraction(0)
    for k, game in enumerate(integer_grids(shape, values, symmetry=True)):
        if k % parts != part:
            continue
        games += 1
        valuation = judge(concept, desiderata, game, bad)
        exact += valuation.kind == "rational"
        worst_error = max(worst_error, valuation.error_bound)
        phi = valuation.values
        for i in range(game.n_players):
            low = phi[i] - maximin_value(game, i) - valuation.error_bound
            high = max_payoff(game, i) - phi[i] - valuation.error_bound
            margin["maximin"] = low if margin["maximin"] is None else min(margin["maximin"], low)
            margin["submax"] = high if margin["submax"] is None else min(margin["submax"], high)
            if low < 0 or high < 0:
                bad.append(f"undecided within the error bound {valuation.error_bound}: player {i + 1}\n"
                           f"{game.describe()}")
        if sum(phi) != total_surplus(game):
            bad.append(f"pareto: the values sum to {sum(phi)}, M = {total_surplus(game)}\n{game.describe()}")
        tick(games, args.report, start)
    print(f"{args.concept} on {args.shape}, payoffs in {{{args.values}}}, part {part}/{parts}: {games} games "
          f"(one per orbit of action relabellings) {timing(games, start)}")
    print(f"  exact values: {exact} of {games}; largest proven error bound {float(worst_error):.3g}")
    print(f"  smallest margin: phi_i - maximin_i >= {margin['maximin']}, max_i - phi_i >= {margin['submax']}")
    report(bad, "violated or undecided")


if __name__ == "__main__":
    main()
