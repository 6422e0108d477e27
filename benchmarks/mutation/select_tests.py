"""Run, for each mutant, the tests that execute the mutated lines.

    python benchmarks/mutation/select_tests.py map          # once, on the unmutated clone
    python benchmarks/mutation/select_tests.py run          # cosmic-ray's test command

`map` runs the default test selection once under coverage with one context per test
(pytest-cov's `--cov-context=test`) and writes `mutation-map.json`: for every line of
`specs/` and `encoders/`, the tests that execute it, fastest first (durations from the
same run). `run` reads the mutant from `git diff` (cosmic-ray edits the file in place),
collects the tests of the changed lines and runs them with `-x`:

- a line executed by tests: those tests;
- a line executed only while modules are imported (a constant, a default, a decorator,
  a class body: coverage gives it no test context): every test that executes any line of
  the mutated file, since any of them may read the value;
- a line no test executes: nothing runs and the mutant survives ("no test runs it").

Tests run with the proof records' fingerprints pinned to the committed sources
(`sitecustomize.py` in this folder): a mutant makes every record in its closure stale, and the tests
that expect a record to be current would otherwise kill every mutant for that reason
alone. Regenerated query texts are still compared with the recorded ones, so a mutant
that changes what an encoder writes is caught by that comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MAP = ROOT / "mutation-map.json"
FOLDERS = ("specs", "encoders")
# The selected tests' wall-time limit (an infinite loop counts as killed); cosmic-ray's
# own timeout in cosmic-ray.toml is longer.
LIMIT = 480.0
# Each mutant runs the selected tests fastest first until their recorded durations (from the
# map's run) add up to BUDGET seconds, at least one test: on a shared 2-core machine the
# slowest tests of a busy module (Dask clusters, full proofs) would otherwise cost minutes per
# mutant. A mutant that only a test beyond the budget kills counts as surviving, so the
# score is a lower bound.
BUDGET = 60.0
TIMEOUT_MARK = "mutation run: tests stopped at the time limit"
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")


def build_map(reuse: bool = False) -> None:
    """Run the default tests once under coverage and write the line -> tests map.
    A test that fails on the unmutated code is left out of every selection (it
    would kill every mutant); `reuse` reads the data of the last run instead."""
    junit = ROOT / ".mutation-junit.xml"
    data_file = ROOT / ".coverage.mutation"
    env = dict(os.environ, COVERAGE_FILE=str(data_file))
    if not (reuse and junit.exists() and data_file.exists()):
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        *[f"--cov={ROOT / f}" for f in FOLDERS], "--cov-context=test", "--cov-report=",
                        f"--junitxml={junit}"], cwd=ROOT, env=env)
    durations, failing = _durations(junit)
    for node in failing:
        print(f"left out (fails on the unmutated code): {node}")
    import coverage

    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    lines: dict[str, dict[str, list[str]]] = {}
    for measured in data.measured_files():
        path = Path(measured).resolve()
        try:
            relative = str(path.relative_to(ROOT))
        except ValueError:
            continue
        if relative.split("/")[0] not in FOLDERS:
            continue
        by_line = data.contexts_by_lineno(measured)
        lines[relative] = {str(k): sorted({_node(c) for c in v if _node(c) and _node(c) not in failing},
                                          key=lambda t: (durations.get(t, 0.0), t))
                           for k, v in by_line.items()}
    MAP.write_text(json.dumps({"durations": durations, "failing": sorted(failing), "lines": lines}, sort_keys=True))
    covered = sum(1 for f in lines.values() for t in f.values() if t)
    print(f"{len(lines)} files, {covered} lines run by a test, {len(durations)} tests -> {MAP}")


def _node(context: str) -> str:
    """pytest-cov's context `tests/test_x.py::test_y[p]|run` -> the node id; '' for import time."""
    return context.rsplit("|", 1)[0] if "|" in context else ""


def _durations(junit: Path) -> tuple[dict[str, float], set[str]]:
    """Node id -> seconds, and the node ids that failed, from the junit report
    (classname tests.test_x, name test_y[p])."""
    found, failing = {}, set()
    for case in ET.parse(junit).iter("testcase"):
        parts = case.get("classname", "").split(".")
        # classname is "tests.test_x" or "tests.test_x.TestClass"
        file_parts = [p for p in parts if not p[:1].isupper()]
        class_parts = [p for p in parts if p[:1].isupper()]
        node = "/".join(file_parts) + ".py::" + "::".join(class_parts + [case.get("name", "")])
        found[node] = float(case.get("time", 0.0))
        if case.find("failure") is not None or case.find("error") is not None:
            failing.add(node)
    return found, failing


def changed_lines() -> dict[str, set[int]]:
    """The mutated file(s) and line numbers (old side) from `git diff`."""
    diff = subprocess.run(["git", "diff", "-U0", "--no-color", "--", *FOLDERS], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    found: dict[str, set[int]] = {}
    current = None
    for line in diff.splitlines():
        if line.startswith("--- a/"):
            current = line[6:]
        elif (m := HUNK.match(line)) and current:
            start, count = int(m.group(1)), int(m.group(2) or 1)
            found.setdefault(current, set()).update(range(start, start + max(count, 1)))
    return found


def select(lines_map: dict[str, dict[str, list[str]]], changed: dict[str, set[int]],
           durations: dict[str, float]) -> tuple[list[str], str]:
    """The tests to run for a mutant, and why those."""
    chosen: set[str] = set()
    reasons = []
    for path, lines in changed.items():
        by_line = lines_map.get(path, {})
        direct = {t for k in lines for t in by_line.get(str(k), [])}
        if direct:
            chosen |= direct
            reasons.append(f"{path}: {len(direct)} tests run the line")
        elif any(str(k) in by_line for k in lines):  # executed, at import time only
            users = {t for ts in by_line.values() for t in ts}
            chosen |= users
            reasons.append(f"{path}: import-time line, {len(users)} tests use the module")
        else:
            reasons.append(f"{path}: no test runs it")
    ordered = sorted(chosen, key=lambda t: (durations.get(t, 0.0), t))
    kept, spent = [], 0.0
    for test in ordered:
        if kept and spent + durations.get(test, 0.0) > BUDGET:
            break
        kept.append(test)
        spent += durations.get(test, 0.0)
    if len(kept) < len(ordered):
        reasons.append(f"{len(kept)} of {len(ordered)} tests within the {BUDGET:.0f} s budget")
    return kept, "; ".join(reasons)


def run() -> int:
    data = json.loads(MAP.read_text())
    changed = changed_lines()
    if not changed:
        print("no change under specs/ or encoders/")
        return 0
    tests, why = select(data["lines"], changed, data["durations"])
    print(why, flush=True)
    if not tests:
        return 0
    args_file = ROOT / ".mutation-tests.txt"
    args_file.write_text("\n".join(tests) + "\n")
    # No bytecode for a mutant: cosmic-ray restores the file within the same second at times,
    # with the same size, and Python would then run the mutant's cached bytecode for the
    # restored source in the next mutant's tests.
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])))
    # Our own limit, below cosmic-ray's: cosmic-ray kills only its shell, this kills the
    # whole process group (pytest and the solver processes its tests start).
    with subprocess.Popen([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                           f"@{args_file}"], cwd=ROOT, env=env, start_new_session=True) as tests_run:
        try:
            return tests_run.wait(timeout=LIMIT)
        except subprocess.TimeoutExpired:
            os.killpg(tests_run.pid, signal.SIGKILL)
            tests_run.wait()
            print(f"{TIMEOUT_MARK} after {LIMIT:.0f} s")
            return 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("map", "run"))
    parser.add_argument("--reuse", action="store_true", help="map: read the last run's coverage data")
    args = parser.parse_args()
    if args.command == "map":
        build_map(args.reuse)
    else:
        sys.exit(run())


if __name__ == "__main__":
    main()
