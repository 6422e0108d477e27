"""SMT proofs and SMT time-to-witness, against the random search on the same
pairs, measured in the same run.

Prints, for each bounded proof attempted (real payoffs in [−B, B]), the
verdict, the number of sub-queries and the wall time (z3 then cvc5, 2
worker processes); and for each counterexample pair the SMT time-to-witness
(real payoffs, first exactly re-verified model, no minimization) next to the
search method's time to its first violation (seed 0), with their ratio.

    python benchmarks/bench_smt.py [--bound 10] [--timeout 120] [--only rose-maximin-2x2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from fractions import Fraction

from bargaincheck.checkers.search import search
from bargaincheck.checkers.smt import smt_check
from bargaincheck.specs.concepts.registry import get_concept
from bargaincheck.specs.desiderata.registry import get_desideratum

PROOFS = [
    ("rose", "pareto", "2x2"), ("rose", "submax", "2x2"), ("rose", "maximin", "2x2"), ("rose", "threat", "2x2"),
    ("coco", "maximin", "2x2"),
    ("rose", "pareto", "2x3"), ("rose", "submax", "2x3"), ("rose", "maximin", "2x3"), ("rose", "threat", "2x3"),
]
WITNESSES = [("coco", "threat", "1x1"), ("coco", "threat", "2x2"), ("shapley-rose", "maximin", "2x1x1"),
             ("shapley-rose", "maximin", "1x1x2"), ("shapley-rose", "maximin", "2x2x2")]


def _selected(args, name: str) -> bool:
    return args.only in name and (args.skip is None or args.skip not in name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bound", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--only", default="", help="run only pairs whose 'concept-desideratum-shape' contains this")
    parser.add_argument("--skip", default=None, help="skip pairs whose 'concept-desideratum-shape' contains this")
    args = parser.parse_args()
    out = tempfile.mkdtemp(prefix="bench_smt_")
    print(f"proofs (real payoffs in [-{args.bound}, {args.bound}], per-query limit {args.timeout:g} s):")
    for concept, desideratum, shape in PROOFS:
        if not _selected(args, f"{concept}-{desideratum}-{shape}"):
            continue
        result = smt_check(concept, desideratum, shape, args.bound, args.timeout, out_dir=out)
        d = result.details
        refined = d.get("refined", {}).get("z3")
        print(f"  {concept:13} {desideratum:8} {shape:6} {result.outcome:9} {result.seconds:8.2f} s"
              f"  ({d.get('subqueries')} sub-queries, {d.get('distinct_subqueries')} distinct; z3 {d.get('z3_seconds')} s"
              f", cvc5 {d.get('cvc5_seconds')} s"
              + (f"; z3 refined {refined['queries']} into {refined['cases']} cases" if refined else "") + ")"
              f"  {'' if result.outcome == 'proved' else result.message}")
    print("time to witness (SMT vs random search, same pair, same bound):")
    for concept, desideratum, shape in WITNESSES:
        if not _selected(args, f"{concept}-{desideratum}-{shape}"):
            continue
        result = smt_check(concept, desideratum, shape, args.bound, args.timeout, out_dir=out,
                           minimize_witness=False, write=False)
        smt_time = result.details.get("seconds_to_witness")
        start = time.monotonic()
        found = search(get_concept(concept), get_desideratum(desideratum),
                       tuple(int(k) for k in shape.split("x")), Fraction(args.bound), seed=0, timeout=args.timeout)
        search_time = time.monotonic() - start
        ratio = f"{smt_time / search_time:8.2f}" if smt_time is not None and found.violation else "       -"
        smt_text = f"{smt_time:7.2f} s" if smt_time is not None else f"{result.outcome} after {result.seconds:.0f} s"
        print(f"  {concept:13} {desideratum:8} {shape:6} smt: {smt_text:>22}   search: "
              f"{'found' if found.violation else 'none'} {search_time:7.2f} s ({found.games} games)   "
              f"smt/search {ratio}")


if __name__ == "__main__":
    main()
