"""Bounded proofs solved from scratch: wall time and sub-query counts per
proof, with one solver worker process (the baseline) and with two, in one
run; the ratio is the speed-up of the two workers. `--dask` adds a column:
the same proof with its sub-queries on a 2-worker local Dask cluster
(`dask_sweep.DaskSolvers`; the cluster's start-up is timed once, apart),
and its ratio to the baseline.

The proofs are written to a temporary folder (the committed records are not
touched). Payoffs real in [−10, 10], caps ≤ 10 for threat. A cell is
desideratum:shape (ROSE) or concept:desideratum:shape; `--mapped` runs the
encodings derived from payoff maps (shift, money, redundancy, null player).

    python benchmarks/bench_proofs.py                      # the ROSE proofs
    python benchmarks/bench_proofs.py threat:2x3 maximin:3x3
    python benchmarks/bench_proofs.py --mapped --timeout 600
    python benchmarks/bench_proofs.py --dask threat:2x3
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
import time
from pathlib import Path

from bargaincheck.checkers.results import PROVED
from bargaincheck.checkers.smt import smt_check

DEFAULT = ["maximin:2x2", "maximin:2x3", "maximin:3x3", "submax:2x2", "submax:2x3", "submax:3x3",
           "threat:2x2", "threat:2x3", "threat:3x3", "symmetry:2x2"]
MAPPED = [f"{c}:{d}:{shape}" for d in ("shift", "money", "redundancy") for c in ("coco", "rose") for shape in ("2x2", "2x3")]
MAPPED += ["shapley-coco:null-player:2x2", "shapley-rose:null-player:2x2"]


def _prove(concept: str, desideratum: str, shape: str, workers, timeout: float) -> tuple[str, float, int, int]:
    with tempfile.TemporaryDirectory(prefix="bench-proofs-") as folder:
        start = time.perf_counter()
        result = smt_check(concept, desideratum, shape, 10, timeout, folder, workers=workers, minimize_witness=False)
        seconds = time.perf_counter() - start
        queries = distinct = 0
        if result.details.get("proof_record"):
            record = json.loads(Path(result.details["proof_record"]).read_text())
            queries, distinct = len(record["queries"]), len({q["sha256"] for q in record["queries"]})
    return result.outcome, seconds, queries, distinct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cells", nargs="*", help="desideratum:shape (ROSE) or concept:desideratum:shape; "
                                                 "default: the ROSE proofs")
    parser.add_argument("--mapped", action="store_true", help="the payoff-map encodings instead")
    parser.add_argument("--timeout", type=float, default=300.0, help="each solver process's limit, seconds")
    parser.add_argument("--dask", action="store_true", help="also on a 2-worker local Dask cluster")
    args = parser.parse_args()
    cells = args.cells or (MAPPED if args.mapped else DEFAULT)
    with contextlib.ExitStack() as stack:
        pool = None
        if args.dask:
            from bargaincheck.checkers.dask_sweep import dask_solvers

            start = time.perf_counter()
            pool = stack.enter_context(dask_solvers(workers=2))
            print(f"local Dask cluster of 2 workers started in {time.perf_counter() - start:.1f} s")
        _table(cells, args.timeout, pool)


def _table(cells: list[str], timeout: float, pool) -> None:
    dask_head = f" {'2 Dask':>9} {'ratio':>6}" if pool is not None else ""
    print(f"{'concept × desideratum':34} {'shape':5} {'outcome':8} {'queries':>7} {'distinct':>8} "
          f"{'1 worker':>9} {'2 workers':>9} {'ratio':>6}{dask_head}")
    for cell in cells:
        parts = cell.split(":")
        concept, desideratum, shape = (["rose"] + parts) if len(parts) == 2 else parts
        outcome, one, queries, distinct = _prove(concept, desideratum, shape, 1, timeout)
        outcomes = {outcome}
        outcome_two, two, _, _ = _prove(concept, desideratum, shape, 2, timeout)
        outcomes.add(outcome_two)
        dask_cell = ""
        if pool is not None:
            outcome_dask, on_dask, _, _ = _prove(concept, desideratum, shape, pool, timeout)
            outcomes.add(outcome_dask)
            dask_cell = f" {on_dask:8.1f}s {one / on_dask:6.2f}"
        same = outcome if len(outcomes) == 1 else "/".join(sorted(outcomes))
        mark = "" if outcomes == {PROVED} else "  (not proved)"
        print(f"{concept + ' × ' + desideratum:34} {shape:5} {same:8} {queries:7} {distinct:8} {one:8.1f}s {two:8.1f}s "
              f"{one / two:6.2f}{dask_cell}{mark}")


if __name__ == "__main__":
    main()
