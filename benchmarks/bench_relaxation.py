"""z3's first stage, the linear relaxation over monomials, on the committed
proof records' queries: with z3's default expansion limit (`som_blowup` 10,
the baseline) against the suite's (`checkers.smt.SOM_BLOWUP`), in one run.

For each record: how many of its distinct query files the relaxation decides
(UNSAT) with each limit, and the time. A query the relaxation does not decide
goes on to z3's SMT core and nlsat, which is where proofs spend minutes.

    python benchmarks/bench_relaxation.py                 # every record
    python benchmarks/bench_relaxation.py rose__threat    # records whose name contains the text
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import z3

from bargaincheck.checkers.smt import SOM_BLOWUP, _monomial_relaxation

PROOFS = Path(__file__).resolve().parents[1] / "counterexamples" / "proofs"
BASELINE_BLOWUP = 10  # z3's default for simplify(som=True)


def _decide(files: list[Path], blowup: int) -> tuple[int, float]:
    start = time.perf_counter()
    decided = sum(_monomial_relaxation(z3.parse_smt2_string(f.read_text()), som_blowup=blowup) == z3.unsat
                  for f in files)
    return decided, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="only records whose name contains one of these")
    args = parser.parse_args()
    records = sorted([*PROOFS.glob("*.json"), *(PROOFS / "bargaining").glob("*.json")])
    total = {"baseline": 0, "suite": 0, "queries": 0}
    print(f"{'record':60} {'distinct':>8} {'baseline':>14} {'suite':>14}")
    for path in records:
        name = str(path.relative_to(PROOFS))[:-5]
        if args.names and not any(n in name for n in args.names):
            continue
        record = json.loads(path.read_text())
        files = [path.parent / f for f in sorted({q["file"] for q in record["queries"]})]
        base, base_s = _decide(files, BASELINE_BLOWUP)
        suite, suite_s = _decide(files, SOM_BLOWUP)
        total["baseline"] += base
        total["suite"] += suite
        total["queries"] += len(files)
        print(f"{name:60} {len(files):8} {base:5} in {base_s:5.2f} s {suite:5} in {suite_s:5.2f} s")
    print(f"decided by the relaxation: baseline (som_blowup {BASELINE_BLOWUP}) {total['baseline']} of "
          f"{total['queries']}, suite (som_blowup {SOM_BLOWUP}) {total['suite']} of {total['queries']}; "
          f"ratio {total['suite'] / max(1, total['baseline']):.2f}")


if __name__ == "__main__":
    main()
