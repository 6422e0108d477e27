"""A seeded uniform sample of a cosmic-ray session, and its score per file.

    python benchmarks/mutation/sample.py sample SESSION --size 60 --seed 14
    python benchmarks/mutation/sample.py report SESSION

`sample` marks every mutant outside the sample as skipped, so `cosmic-ray exec` runs the
sample only; `report` prints killed / survived / timeout per file and each survivor's diff.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult


def sample(session: str, size: int, seed: int) -> None:
    """Keep `size` mutants drawn uniformly with `seed` (job ids sorted first, so the draw
    depends on the seed and the code only); mark the rest skipped."""
    with use_db(session, WorkDB.Mode.open) as db:
        jobs = sorted(item.job_id for item in db.work_items)
        kept = set(random.Random(seed).sample(jobs, size))
        db.set_multiple_results([j for j in jobs if j not in kept],
                                WorkResult(worker_outcome=WorkerOutcome.SKIPPED))
    print(f"{len(jobs)} mutants, {size} kept (seed {seed})")


def _outcome(result: WorkResult) -> str:
    if result.worker_outcome != WorkerOutcome.NORMAL:
        return str(result.worker_outcome.value)
    if result.test_outcome == TestOutcome.KILLED and result.output == "timeout":
        return "timeout"
    return str(result.test_outcome.value)


def report(session: str) -> None:
    """Counts per file and overall, then every survivor as file:line, operator and diff."""
    with use_db(session, WorkDB.Mode.open) as db:
        items = {item.job_id: item for item in db.work_items}
        done = [(items[job], result) for job, result in db.results
                if result.worker_outcome != WorkerOutcome.SKIPPED]
    counts: dict[str, Counter] = {}
    for item, result in done:
        counts.setdefault(str(item.mutations[0].module_path), Counter())[_outcome(result)] += 1
    kinds = ("killed", "timeout", "survived", "incompetent", "exception", "abnormal")
    print(f"{'file':40} " + " ".join(f"{k:>11}" for k in kinds))
    total: Counter = Counter()
    for path in sorted(counts):
        total.update(counts[path])
        print(f"{path:40} " + " ".join(f"{counts[path][k]:>11}" for k in kinds))
    print(f"{'total':40} " + " ".join(f"{total[k]:>11}" for k in kinds))
    dead = total["killed"] + total["timeout"]
    scored = dead + total["survived"]
    if scored:
        print(f"score: {dead}/{scored} killed = {100 * dead / scored:.1f}%")
    for item, result in sorted(done, key=lambda d: (str(d[0].mutations[0].module_path), d[0].mutations[0].start_pos)):
        if _outcome(result) == "survived":
            m = item.mutations[0]
            print(f"\n{m.module_path}:{m.start_pos[0]} {m.operator_name} #{m.occurrence}\n{result.diff}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sampling = commands.add_parser("sample", help="mark all but a seeded random sample as skipped")
    sampling.add_argument("session")
    sampling.add_argument("--size", type=int, required=True)
    sampling.add_argument("--seed", type=int, required=True)
    reporting = commands.add_parser("report", help="killed / survived / timeout per file, and the survivors")
    reporting.add_argument("session")
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.session, args.size, args.seed)
    else:
        report(args.session)


if __name__ == "__main__":
    main()
