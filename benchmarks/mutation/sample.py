"""A seeded uniform sample of a cosmic-ray session, and its score per file.

    python benchmarks/mutation/sample.py sample SESSION --size 60 --seed 14
    python benchmarks/mutation/sample.py report SESSION

`sample` marks every mutant outside the sample as skipped, so `cosmic-ray exec` runs the
sample only; `report` prints killed / survived / timeout per file and each survivor's diff.
"""

from __future__ import annotations

import argparse
import ast
import functools
import random
from collections import Counter
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult
from select_tests import TIMEOUT_MARK


@functools.lru_cache(maxsize=None)
def _annotation_spans(path: str) -> tuple[tuple[tuple[int, int], tuple[int, int]], ...]:
    """(start, end) positions of every annotation in a module that postpones them
    (`from __future__ import annotations`): there an annotation is never evaluated."""
    tree = ast.parse(Path(path).read_text())
    postponed = any(isinstance(n, ast.ImportFrom) and n.module == "__future__"
                    and any(a.name == "annotations" for a in n.names) for n in tree.body)
    if not postponed:
        return ()
    found = []
    for node in ast.walk(tree):
        notes = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            notes.append(node.returns)
        elif isinstance(node, ast.arg):
            notes.append(node.annotation)
        elif isinstance(node, ast.AnnAssign):
            notes.append(node.annotation)
        found += [((n.lineno, n.col_offset), (n.end_lineno, n.end_col_offset)) for n in notes if n is not None]
    return tuple(found)


def in_annotation(mutation) -> bool:
    """True for a mutant of a postponed annotation: equivalent by construction."""
    start = tuple(mutation.start_pos)
    return any(a <= start < b for a, b in _annotation_spans(str(mutation.module_path)))


def sample(session: str, size: int, seed: int) -> None:
    """Keep `size` mutants drawn uniformly with `seed` from those that are not in a
    postponed annotation (job ids sorted first, so the draw depends on the seed and
    the code only); mark the rest skipped."""
    with use_db(session, WorkDB.Mode.open) as db:
        items = sorted(db.work_items, key=lambda item: item.job_id)
        eligible = [item.job_id for item in items if not in_annotation(item.mutations[0])]
        kept = set(random.Random(seed).sample(eligible, size))
        db.set_multiple_results([item.job_id for item in items if item.job_id not in kept],
                                WorkResult(worker_outcome=WorkerOutcome.SKIPPED))
    print(f"{len(items)} mutants, {len(items) - len(eligible)} in postponed annotations (equivalent, "
          f"left out), {size} of the other {len(eligible)} kept (seed {seed})")


def _outcome(result: WorkResult) -> str:
    if result.worker_outcome != WorkerOutcome.NORMAL:
        return str(result.worker_outcome.value)
    if result.test_outcome == TestOutcome.KILLED and (result.output == "timeout"
                                                       or TIMEOUT_MARK in (result.output or "")):
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
            why = (result.output or "").splitlines()[:1]
            print(f"\n{m.module_path}:{m.start_pos[0]} {m.operator_name} #{m.occurrence} "
                  f"({why[0] if why else ''})\n{result.diff}")


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
