"""The same survey serially and on a local Dask cluster: wall-clock times,
the speed-up (with and without the cluster's start-up), and a check that
the matrices and witness files are identical.

    python benchmarks/bench_dask.py [--games 300] [--workers 2]

Game-count budgets (not seconds) make both runs do exactly the same work.
The speed-up is bounded by the number of free cores and by the slowest cell.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from bargaincheck.checkers.dask_sweep import DaskCellExecutor, dask_client
from bargaincheck.checkers.expect import matrix_of
from bargaincheck.checkers.survey import SurveySettings, run_survey

CONCEPTS = ("coco", "rose", "shapley-coco", "selfish-split")
DESIDERATA = ("pareto", "maximin", "shift", "scale", "submax", "threat")


def settings(out: Path, games: int) -> SurveySettings:
    return SurveySettings(out=out, budget=1e9, shapes=("2x2",), seed=0, minimize_seconds=300, jobs=1,
                          resume=False, quiet=True, concepts=CONCEPTS, desiderata=DESIDERATA, max_games=games)


def witnesses(folder: Path) -> dict[str, dict]:
    result = {}
    for path in sorted(folder.glob("*__*.json")):
        record = json.loads(path.read_text())
        record.pop("replay", None)
        result[path.name] = record
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=300, help="games per cell")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        cells = len(CONCEPTS) * len(DESIDERATA)
        print(f"survey: {len(CONCEPTS)} concepts x {len(DESIDERATA)} desiderata = {cells} cells, 2x2, "
              f"{args.games} games per cell; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")

        start = time.perf_counter()
        serial = run_survey(settings(root / "serial", args.games))
        serial_seconds = time.perf_counter() - start
        print(f"serial:                      {serial_seconds:7.1f} s")

        start = time.perf_counter()
        client, cluster = dask_client(None, args.workers)
        startup = time.perf_counter() - start
        try:
            run = settings(root / "dask", args.games)
            run.executor = DaskCellExecutor(client)
            start = time.perf_counter()
            distributed = run_survey(run)
            dask_seconds = time.perf_counter() - start
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        print(f"dask, {args.workers} workers (cluster start {startup:4.1f} s): {dask_seconds:7.1f} s")
        print(f"speed-up: {serial_seconds / dask_seconds:.2f}x without start-up, "
              f"{serial_seconds / (dask_seconds + startup):.2f}x with it")
        same_matrix = matrix_of(serial) == matrix_of(distributed)
        same_files = witnesses(root / "serial" / "counterexamples") == witnesses(root / "dask" / "counterexamples")
        found = sum(1 for v in matrix_of(serial).values() if v == "counterexample")
        print(f"identical matrix: {same_matrix}; identical witness files: {same_files} ({found} counterexamples)")
        if not (same_matrix and same_files):
            raise SystemExit("the Dask run differs from the serial run")


if __name__ == "__main__":
    main()
