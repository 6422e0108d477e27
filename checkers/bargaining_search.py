"""Search, minimal witnesses, bounded exhaustive checks and replay for the
bargaining cells of the matrix (concept kind "bargaining").

- `random_problem`: small random integer bargaining problems (non-degenerate).
- `search_bargaining(concept_id, desideratum_id, seed, budget)`: random search;
  on a hit, the witness is replaced by the first violation in the minimality
  order (fewest points, then the smallest max |coordinate|, then fewest
  non-zero coordinates, then the smallest Σ|coordinate|), found by enumerating
  every problem in that order up to the hit's size; without a hit, an
  exhaustive check of every problem in a small finite scope (stated in the
  result): a counterexample, or "unknown" with the scope that was covered.
  An enumeration of finitely many integer problems is not a proof over the
  real problems of the bound, so it is never reported as "proved".
- `replay_bargaining_witness(obj)`: re-runs the exact check of a witness.
"""

from __future__ import annotations

import itertools
import json
import random
import time
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator

from .. import __version__ as SUITE_VERSION
from ..specs.bargaining.desiderata import (
    BARGAINING_DESIDERATA,
    BargainingDesideratum,
    BargainingViolation,
    get_bargaining_desideratum,
)
from ..specs.bargaining.io import problem_from_json, problem_to_json
from ..specs.bargaining.problem import BargainingError, BargainingProblem
from ..specs.bargaining.solutions import SOLUTIONS
from ..specs.deadline import TimeLimit, check_deadline, time_limit
from .results import COUNTEREXAMPLE, NOT_APPLICABLE, PROVED, UNKNOWN, CheckResult

__all__ = [
    "random_problem",
    "problems_in_order",
    "first_violation",
    "search_bargaining",
    "replay_bargaining_witness",
    "witness_json",
    "bargaining_cells",
    "default_free_disposal",
    "shrink",
    "survey_bargaining",
    "bargaining_matrix_markdown",
    "bargaining_value_command",
    "with_proof_record",
    "refresh_matrix",
]

# Seed 002's results are about finite outcome sets (their hull); the classical
# axioms are stated for comprehensive problems (free disposal).
_HULL_ONLY = {"pmm", "transitivity"}
PARAMETER_COUNT = 8
ENUMERATION_COUNT = 2  # the deterministic parameter family, plus at most a couple of random ones


def default_free_disposal(desideratum_id: str) -> bool:
    return desideratum_id not in _HULL_ONLY


def bargaining_cells() -> list[tuple[str, str]]:
    """Every (concept, desideratum) pair of the bargaining part of the matrix."""
    probe = BargainingProblem(((0, 2), (2, 1)), (0, 0))
    return [(c, d) for c in SOLUTIONS for d, des in BARGAINING_DESIDERATA.items() if des.applies(c, probe)]


def random_problem(rng: random.Random, bound: int = 4, max_points: int = 4, free_disposal: bool = False) -> BargainingProblem:
    """A non-degenerate problem with 1..max_points distinct integer points in [−bound, bound]²;
    d = (0, 0) half of the time, else random in the same box."""
    while True:
        k = rng.randint(1, max_points)
        points = {(rng.randint(-bound, bound), rng.randint(-bound, bound)) for _ in range(k)}
        d = (0, 0) if rng.random() < 0.5 else (rng.randint(-bound, bound), rng.randint(-bound, bound))
        problem = BargainingProblem(tuple(sorted(points)), d, free_disposal)
        if not problem.is_degenerate():
            return problem


def _size(problem: BargainingProblem) -> tuple:
    coords = [v for p in problem.points + (problem.disagreement,) for v in p]
    return (len(set(problem.points)), max(abs(v) for v in coords),
            sum(1 for v in coords if v != 0), sum(abs(v) for v in coords))


def problems_in_order(max_points: int, max_bound: int, free_disposal: bool) -> Iterator[BargainingProblem]:
    """Every non-degenerate integer problem with ≤ max_points distinct points and
    coordinates in [−max_bound, max_bound], in the minimality order."""
    for k in range(1, max_points + 1):
        for bound in range(0, max_bound + 1):
            cells = [(x, y) for x in range(-bound, bound + 1) for y in range(-bound, bound + 1)]
            batch = []
            for pts in itertools.combinations(cells, k):
                check_deadline()  # one box can hold millions of problems: a budget may end the ordering
                for d in cells:
                    coords = [v for p in pts + (d,) for v in p]
                    if max(abs(v) for v in coords) != bound:
                        continue  # seen at a smaller bound
                    batch.append((sum(1 for v in coords if v != 0), sum(abs(v) for v in coords), pts, d))
            batch.sort()
            for _, _, pts, d in batch:
                problem = BargainingProblem(pts, d, free_disposal)
                if not problem.is_degenerate():
                    yield problem


def _check_problem(concept_id: str, desideratum: BargainingDesideratum, problem: BargainingProblem,
                   rng: random.Random, count: int) -> BargainingViolation | None:
    if not desideratum.applies(concept_id, problem):
        return None
    return first_violation_among(concept_id, desideratum, problem, desideratum.parameters(problem, rng, count))


def first_violation_among(concept_id: str, desideratum: BargainingDesideratum, problem: BargainingProblem,
                          params_list) -> BargainingViolation | None:
    """The exact checker over a family of parameters: the first violation, or
    None (parameters the problem cannot take are skipped)."""
    for params in params_list:
        try:
            violation = desideratum.check(concept_id, problem, params)
        except BargainingError:
            continue
        if violation is not None:
            return violation
    return None


def first_violation(concept_id: str, desideratum_id: str, max_points: int, max_bound: int,
                    free_disposal: bool, limit: int | None = None,
                    seconds: float | None = None) -> tuple[BargainingViolation | None, int, bool]:
    """The first violation in the minimality order (deterministic parameters);
    returns (violation, problems checked, whether the enumeration was complete).
    `seconds` (and any enclosing `specs.deadline.time_limit`) also cuts the
    ordering of a large box and the problem in progress."""
    desideratum = get_bargaining_desideratum(desideratum_id)
    checked = 0
    try:
        with time_limit(seconds):
            for problem in problems_in_order(max_points, max_bound, free_disposal):
                if limit is not None and checked >= limit:
                    return None, checked, False
                violation = _check_problem(concept_id, desideratum, problem, random.Random(0), ENUMERATION_COUNT)
                checked += 1
                if violation is not None:
                    return violation, checked, True
    except TimeLimit:
        return None, checked, False
    return None, checked, True


def _minimal_violation(concept_id: str, desideratum_id: str, hit: BargainingViolation, free_disposal: bool,
                       limit: int, seconds: float) -> tuple[BargainingViolation | None, int, bool, int]:
    """(violation, problems checked, complete, box b): the first violation in
    the minimality order among the problems with at most the hit's number of
    points and integer coordinates in [−b, b]. First with b = the hit's largest
    |coordinate| (half the time); if that enumeration cannot finish, in growing
    boxes b = 0, 1, … stopping at the first box with a violation (it then has
    largest |coordinate| b and is the first in order in its own box: the
    random-dictator Pareto witnesses are found in box 2, where box 4 means all
    262,000 two-point problems first)."""
    points, bound = _size(hit.problem)[:2]
    deadline = time.monotonic() + seconds
    found, checked, complete = first_violation(concept_id, desideratum_id, points, int(bound), free_disposal,
                                               limit=limit // 2, seconds=seconds / 2)
    if complete:
        return found, checked, True, int(bound)
    for box in range(0, int(bound) + 1):
        left = deadline - time.monotonic()
        if left <= 0 or checked >= limit:
            break
        found, n, complete = first_violation(concept_id, desideratum_id, points, box, free_disposal,
                                             limit=limit - checked, seconds=left)
        checked += n
        if found is not None or not complete:
            return found, checked, complete, box
    return None, checked, False, int(bound)


def shrink(concept_id: str, violation: BargainingViolation) -> BargainingViolation:
    """Greedy shrinking of a violating problem: drop points, move coordinates
    towards 0, keep any change that still violates and is smaller."""
    desideratum = get_bargaining_desideratum(violation.desideratum)
    current = violation
    improved = True
    while improved:
        improved = False
        problem = current.problem
        points = list(dict.fromkeys(problem.points))
        candidates = []
        if len(points) > 1:
            candidates += [(points[:k] + points[k + 1:], problem.disagreement) for k in range(len(points))]
        slots = [(k, c) for k in range(len(points) + 1) for c in range(2)]
        for k, c in slots:
            base = points[k] if k < len(points) else problem.disagreement
            v = base[c]
            for target in {Fraction(0), v - (1 if v > 0 else -1)} if v != 0 else ():
                moved = tuple(target if j == c else base[j] for j in range(2))
                if k < len(points):
                    candidates.append((points[:k] + [moved] + points[k + 1:], problem.disagreement))
                else:
                    candidates.append((points, moved))
        for pts, d in candidates:
            try:
                trial = BargainingProblem(tuple(pts), d, problem.free_disposal)
                if trial.is_degenerate() or _size(trial) >= _size(problem):
                    continue
                found = _check_problem(concept_id, desideratum, trial, random.Random(0), ENUMERATION_COUNT)
            except BargainingError:
                continue
            if found is not None:
                current, improved = found, True
                break
    return current


def witness_json(violation: BargainingViolation, found_by: str, minimal: bool) -> dict[str, Any]:
    """The witness record (SPEC §7, with "problem" in place of "game")."""
    return {
        "kind": "bargaining",
        "concept": violation.concept,
        "desideratum": violation.desideratum,
        "problem": problem_to_json(violation.problem),
        "transformation": violation.params,
        "values": violation.values,
        "violation": violation.message,
        "gap": str(violation.gap),
        "found_by": found_by,
        "minimal": minimal,
        "suite_version": SUITE_VERSION,
    }


def replay_bargaining_witness(obj: dict[str, Any]) -> tuple[bool, str]:
    """Re-verify a bargaining witness exactly: (confirmed, message)."""
    try:
        problem = problem_from_json(obj["problem"])
        desideratum = get_bargaining_desideratum(obj["desideratum"])
        concept = obj["concept"]
        if concept not in SOLUTIONS:
            return False, f"unknown bargaining concept {concept!r}"
        violation = desideratum.check(concept, problem, obj.get("transformation", {}) or {})
    except (KeyError, BargainingError) as error:
        return False, f"malformed bargaining witness: {error}"
    if violation is None:
        return False, f"not confirmed: {concept} satisfies {desideratum.id} on {problem.describe()}"
    recorded = obj.get("values")
    if recorded is not None and json.loads(json.dumps(violation.values)) != recorded:
        return False, (f"the recorded values {recorded} differ from the recomputed {violation.values}: "
                       "the file was edited or the concept changed")
    return True, f"confirmed: {violation.message}"


def search_bargaining(concept_id: str, desideratum_id: str, seed: int = 0, budget: int = 400,
                      free_disposal: bool | None = None, out_dir: str | Path | None = None,
                      exhaustive_points: int = 3, exhaustive_bound: int = 1,
                      minimize_limit: int = 50000, minimize_seconds: float = 30.0,
                      exhaustive_seconds: float | None = None) -> CheckResult:
    """Random search, then minimal witness or a bounded exhaustive check (see module doc).
    `exhaustive_seconds` caps the exhaustive check (then its scope is reported as incomplete)."""
    start = time.monotonic()
    desideratum = get_bargaining_desideratum(desideratum_id)
    if concept_id not in SOLUTIONS:
        raise BargainingError(f"unknown bargaining concept {concept_id!r}")
    fd = default_free_disposal(desideratum_id) if free_disposal is None else free_disposal
    domain = "comprehensive (free disposal)" if fd else "convex hull of the points and d"
    probe = BargainingProblem(((0, 2), (2, 1)), (0, 0), fd)
    if not desideratum.applies(concept_id, probe):
        return CheckResult(concept_id, desideratum_id, NOT_APPLICABLE, method="search",
                           message=f"{desideratum_id} does not apply to {concept_id}")
    rng = random.Random(seed)
    hit: BargainingViolation | None = None
    tried = 0
    for _ in range(budget):
        tried += 1
        problem = random_problem(rng, free_disposal=fd)
        hit = _check_problem(concept_id, desideratum, problem, rng, PARAMETER_COUNT)
        if hit is not None:
            break
    scope: dict[str, Any] = {"domain": domain, "players": 2}
    details: dict[str, Any] = {"seed": seed, "random_problems": tried}
    if hit is not None:
        hit = shrink(concept_id, hit)
        found, checked, complete, box = _minimal_violation(concept_id, desideratum_id, hit, fd, minimize_limit,
                                                           minimize_seconds)
        minimal = found is not None and complete
        violation = found if found is not None else hit
        details.update({"minimize_checked": checked})
        witness = witness_json(violation, f"random search (seed {seed}) + ordered enumeration", minimal)
        if minimal:
            witness["minimal_scope"] = (f"first in the minimality order among the problems with at most "
                                        f"{_size(hit.problem)[0]} points and integer coordinates in [-{box}, {box}]")
        path = None
        if out_dir is not None:
            path = _write_witness(witness, out_dir)
        return CheckResult(concept_id, desideratum_id, COUNTEREXAMPLE, scope, "search",
                           time.monotonic() - start, path, [], violation.message,
                           {**details, "witness": witness})
    found, checked, complete = first_violation(concept_id, desideratum_id, exhaustive_points,
                                               exhaustive_bound, fd, seconds=exhaustive_seconds)
    scope.update({"points": f"1..{exhaustive_points} distinct", "coordinates":
                  f"integers in [-{exhaustive_bound}, {exhaustive_bound}] (points and d)",
                  "parameters": "the desideratum's deterministic parameter family",
                  "problems": checked})
    details["exhaustive_checked"] = checked
    details["exhaustive_complete"] = complete
    if found is not None:
        witness = witness_json(found, "exhaustive enumeration", True)
        path = _write_witness(witness, out_dir) if out_dir is not None else None
        return CheckResult(concept_id, desideratum_id, COUNTEREXAMPLE, scope, "exhaustive",
                           time.monotonic() - start, path, [], found.message, {**details, "witness": witness})
    covered = f"all {checked} problems of the scope" if complete else f"the first {checked} problems of the scope"
    return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "exhaustive",
                       time.monotonic() - start, None, [],
                       f"none found: no violation in {tried} random problems nor in {covered}",
                       details)


def _write_witness(witness: dict[str, Any], out_dir: str | Path) -> str:
    from ..specs.fileio import atomic_write_json

    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{witness['concept']}__{witness['desideratum']}.json"
    atomic_write_json(path, witness)
    return str(path)


def bargaining_value_command(path: str, concept_id: str, as_json: bool) -> int | None:
    """`bargaincheck value PROBLEM.json --concept ID`: None when `path` is not a
    bargaining-problem JSON (the caller then reads a game); else prints the
    solution set and returns the exit status."""
    if not str(path).lower().endswith(".json"):
        return None
    from ..specs.bargaining.io import is_problem_json
    from ..specs.bargaining.problem import format_point
    from ..specs.bargaining.solutions import solution_set
    from ..specs.concepts.registry import ConceptError
    from ..specs.games import format_fraction
    from ..specs.witness import load_json_file

    obj = load_json_file(path)
    if not is_problem_json(obj) or "payoffs" in obj:
        return None
    try:
        problem = problem_from_json(obj)
        points = solution_set(concept_id, problem)
    except BargainingError as error:
        raise ConceptError(str(error)) from None
    if as_json:
        print(json.dumps({
            "concept": concept_id,
            "points": [[format_fraction(v) for v in p] for p in points],
            "floats": [[float(v) for v in p] for p in points],
            **({"values": [format_fraction(v) for v in points[0]]} if len(points) == 1 else {}),
            "exact": True,
        }, indent=2))
        return 0
    label = "point" if len(points) == 1 else f"{len(points)} points"
    print(f"{concept_id} on {problem.title or path} ({problem.describe()}; exact, {label}):")
    for p in points:
        print(f"  {format_point(p)}")
    return 0


def survey_bargaining(out_dir: str | Path | None = None, seed: int = 0, budget: int = 150,
                      cells: list[tuple[str, str]] | None = None, minimize_seconds: float = 30.0,
                      exhaustive_seconds: float | None = None, progress: Any = None) -> list[CheckResult]:
    """Every bargaining cell (`bargaining_cells`): search, minimal witness or bounded
    exhaustive check. With `out_dir`, writes the witnesses and
    bargaining-matrix.md / bargaining-matrix.json there. A cell with a committed
    SMT proof record (`checkers.bargaining_smt.proof_records`, verdict proved by
    z3 and cvc5) and no counterexample is reported as proved in that record's
    scope (the proof is read, not re-run)."""
    from .bargaining_smt import proof_records

    records = proof_records()
    results = []
    for c, d in (cells if cells is not None else bargaining_cells()):
        results.append(with_proof_record(search_bargaining(c, d, seed=seed, budget=budget, out_dir=out_dir,
                                                           minimize_seconds=minimize_seconds,
                                                           exhaustive_seconds=exhaustive_seconds),
                                         records))
        if progress is not None:
            progress.update(1)
    if out_dir is not None:
        from ..specs.fileio import atomic_write_json, atomic_write_text

        directory = Path(out_dir)
        directory.mkdir(parents=True, exist_ok=True)
        atomic_write_json(directory / "bargaining-matrix.json", [r.to_json() for r in results])
        atomic_write_text(directory / "bargaining-matrix.md", bargaining_matrix_markdown(results))
    return results


def refresh_matrix(directory: str | Path) -> list[CheckResult]:
    """Re-write bargaining-matrix.md/.json in `directory` from its JSON with the
    committed proof records applied (no search, no proof is re-run)."""
    from ..specs.fileio import atomic_write_json, atomic_write_text
    from .bargaining_smt import proof_records

    directory = Path(directory)
    records = proof_records()
    rows = json.loads((directory / "bargaining-matrix.json").read_text())
    results = []
    for r in rows:
        result = CheckResult(r["concept"], r["desideratum"], r["outcome"], r["scope"], r["method"], r["seconds"],
                             r["witness"], r["solvers"], r["message"], r["details"])
        if "search" in result.details:  # an earlier refresh: start from the search's own outcome
            search = result.details.pop("search")
            result.details.pop("proof", None)
            result.outcome, result.message, result.scope = search["outcome"], search["message"], search["scope"]
            result.method, result.solvers = "exhaustive", []
        results.append(with_proof_record(result, records))
    atomic_write_json(directory / "bargaining-matrix.json", [r.to_json() for r in results])
    atomic_write_text(directory / "bargaining-matrix.md", bargaining_matrix_markdown(results))
    return results


def with_proof_record(result: CheckResult, records: dict) -> CheckResult:
    """`result` marked proved when its cell has a committed proof record and the
    search found no counterexample (a counterexample wins and is flagged)."""
    record = records.get((result.concept, result.desideratum))
    if record is None:
        return result
    scope = record["scope"]
    summary = {"record": Path(record["path"]).name, "points": scope["points"], "bound": scope["bound"],
               "seconds": record["seconds"], "solvers": record["solvers"]}
    if result.outcome == COUNTEREXAMPLE:
        result.details["proof_conflict"] = summary  # cannot happen unless an encoding or a checker is wrong
        return result
    result.details["search"] = {"outcome": result.outcome, "message": result.message, "scope": result.scope}
    result.details["proof"] = summary
    result.outcome = PROVED
    result.method = "smt"
    result.scope = dict(scope)
    result.solvers = [f"{name} {record['solvers'][name]}" for name in ("z3", "cvc5")]
    result.message = (f"proved (bounded): {record['claim']}; z3 and cvc5 UNSAT on all "
                      f"{record.get('distinct_queries', len(record['queries']))} sub-queries "
                      f"({record['seconds']} s); record {Path(record['path']).name}")
    return result


def bargaining_matrix_markdown(results: list[CheckResult]) -> str:
    """Concepts as rows, desiderata as columns: ✗ counterexample (minimal witness),
    ✓ no violation in the stated exhaustive scope, ? unknown, blank n/a."""
    concepts = list(dict.fromkeys(r.concept for r in results))
    desiderata = list(dict.fromkeys(r.desideratum for r in results))
    cell = {(r.concept, r.desideratum): r for r in results}
    def mark(result: CheckResult) -> str:
        if result.outcome == COUNTEREXAMPLE:
            return "✗"
        if result.outcome == UNKNOWN:
            return "–" if result.details.get("exhaustive_complete") else "?"
        if result.outcome == PROVED:
            scope = result.scope
            if scope.get("sub_points") is not None:
                return f"proved (T {scope.get('points')} points, S {scope.get('sub_points')} points, bound {scope.get('bound')})"
            return f"proved ({scope.get('points')} points, bound {scope.get('bound')})"
        return {NOT_APPLICABLE: ""}.get(result.outcome, "?")

    lines = ["# Bargaining solutions × desiderata", "",
             "✗ = counterexample (minimal witness below), – = none found: no violation in random search nor "
             "in any problem of the exhaustive scope (≤ 3 integer points, coordinates in [−1, 1]; not a proof "
             "over all real problems), ? = none found but the exhaustive scope was cut short by its time budget, "
             "proved (k points, bound B) = bounded proof by SMT (z3 and cvc5 UNSAT on every sub-query) over every "
             "non-degenerate free-disposal problem with k payoff points and d, real coordinates in [−B, B] "
             "(records in counterexamples/proofs/bargaining/); for iia and the monotonicity axioms, proved (T k "
             "points, S m points, bound B) = over every such T and every free-disposal S ⊆ T with the same d and m "
             "payoff points in [−B, B] (this covers the exact checker's 'keep' and 'cap' sub-problems when m ≥ k).",
             "",
             "| concept | " + " | ".join(desiderata) + " |",
             "|---|" + "---|" * len(desiderata)]
    for c in concepts:
        row = [mark(cell[(c, d)]) if (c, d) in cell else "" for d in desiderata]
        lines.append(f"| {c} | " + " | ".join(row) + " |")
    lines += ["", "## Witnesses", ""]
    for r in results:
        if r.outcome == COUNTEREXAMPLE:
            w = r.details["witness"]
            minimal = "minimal" if w["minimal"] else "not proven minimal"
            problem = problem_from_json(w["problem"]).describe()
            lines.append(f"- **{r.concept} / {r.desideratum}** ({minimal}) on {problem}: {w['violation']}")
    return "\n".join(lines) + "\n"
