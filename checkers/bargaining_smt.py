"""Bounded proofs (and counterexamples) by SMT for the bargaining cells.

`prove_bargaining(concept, desideratum, points=k, bound=B)` states the
violation on every non-degenerate problem with k payoff points and d, all
coordinates real in [−B, B], free disposal (the survey's domain for the
classical axioms), as the conjunctive alternatives of
`encoders.bargaining.violation_alternatives` (their disjunction is the
violation). Each alternative is written as SMT-LIB2 (identical texts are
solved once, by hash) and solved with z3 in killable processes
(`checkers.smt.solve_texts`); every query is then re-solved with cvc5. The
outcome is `proved` only when both solvers say UNSAT on every query; a
time-out or "unknown" is never a proof. A SAT model becomes an exact problem
that is re-verified with the desideratum's exact checker
(`specs.bargaining.desiderata`) before it is reported as a counterexample.

A proof record (JSON, the TU records' fields) and the SMT-LIB2 file of every
query go to `<out_dir>/proofs/bargaining/` (default: counterexamples/).
`proof_records(out_dir)` reads the committed records for the matrix.
"""

from __future__ import annotations

import hashlib
import random
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from pysmt.shortcuts import GT, Symbol
from pysmt.typing import REAL

from ..encoders.bargaining import ENCODED_DESIDERATA, ENCODED_SOLUTIONS, PAIR_DESIDERATA, SymbolicProblem, \
    affine_violation_alternatives, branch_formula, complementarity_split, ideal_lemmas, pair_violation_alternatives, \
    ideal_monotonicity_lemmas, sub_problem, symmetric_ideal_lemmas, transfer_lemmas, uniqueness_alternatives, \
    violation_alternatives
from ..encoders.symbolic import real_const
from ..specs.bargaining.desiderata import get_bargaining_desideratum
from ..specs.fileio import atomic_write_json, atomic_write_text
from ..specs.games import format_fraction
from .results import COUNTEREXAMPLE, PROVED, UNKNOWN, CheckResult
from . import smt
from .proofs import fingerprint
from .smt import CVC5_FALLBACKS, CVC5_OPTIONS, DEFAULT_OUT, SolverAnswer, query_text, solve_texts, solver_versions

__all__ = ["prove_bargaining", "proof_records", "query_texts", "record_stem", "PROOF_FOLDER", "ENCODING"]

PROOF_FOLDER = Path("proofs") / "bargaining"
MAX_REFINE_DEPTH = 4
OPEN = ("timeout", "unknown", "error")
Z3_CORE_MS = 30000

ENCODING = ("encoders.bargaining: free-disposal problems F = conv(P ∪ {d}) − R²₊; membership by convex "
            "weights; each solution by an exact existential characterization (Nash: supporting-line "
            "condition of the Nash product's gradient; egalitarian/Kalai–Smorodinsky: the ray's point with a "
            "supporting normal w ≥ 0; utilitarian: LP optimality with KKT multipliers and the tie-break as a "
            "lexicographic second objective; ROSE points: a supporting normal a > 0 with a1(b1−x1) = a2(b2−x2); "
            "ideal point by maximizers with KKT multipliers)")

SPLITS = [
    "violation: per player / per strict coordinate (Pareto: which coordinate improves; rationality and "
    "random-dictator dominance: which player loses; symmetry: which coordinate is larger)",
    "solution choice split: the utilitarian tie-break's three alternatives (equal gains, top end, right end "
    "of the optimal face), each exactly the reference's case",
    "symmetry: the symmetrization's disagreement point (m, m) with m = d1 (d1 ≤ d2) or m = d2 (d2 ≤ d1)",
    "cuts: RLT aggregations of each convex-weight membership witness with each supporting normal over the "
    "same generators (implied as weights and normals are ≥ 0); the solution set of every query is unchanged",
]


KS_PARETO_SPLIT = ("Kalai–Smorodinsky × strong Pareto: the normal w at x split into w1 = 0, w2 = 0, w > 0 and the ray "
                   "parameter into s < 1, s > 1, s = 1 (exhaustive; encoders.bargaining._ks_cases), with the ideal "
                   "point's KKT multipliers multiplied by these facts and by x − d ≥ 0 (implied) in the cuts")
AFFINE_TRANSFER = ("nash", "kalai-smorodinsky")
TRANSFER_ROUTE = (
    "affine invariance by witness transfer (encoders.bargaining.transfer_lemmas): a violation is x = f(T), "
    "A(y) = f(A(T)) with A(u) = a⊙u + c, a > 0, y ≠ x. Lemma queries show that the witnesses of 'A(y) is f(A(T))' "
    "(points A(p), convex weights, ray parameters unchanged; normals and KKT multipliers rescaled by a, each "
    "definition's denominator > 0) witness 'y is f(T)', one encoding constraint at a time; the uniqueness queries "
    "show that f(T) has one solution of its characterization (x = y); for Kalai–Smorodinsky the second solution "
    "reuses the first's ideal-point maximizers, sound by the ideal-point lemmas (any two maximizers of u_i over "
    "S_d agree in u_i), and x ≠ y is relaxed to a different ray parameter. All queries UNSAT ⟹ no violation")
# cells whose encoding adds a fact proved by lemma queries in the same record:
# (the lemma queries, the note in the record's splits)
LEMMAS = {
    ("kalai-smorodinsky", "symmetry"): (
        symmetric_ideal_lemmas,
        "Kalai–Smorodinsky × symmetry: the encoding adds b1 = b2 (the ideal point of the symmetrization is on "
        "the diagonal), proved by the lemma queries 'lemma: symmetric ideal point' of this record (maximizers "
        "y1 of u1 and y2 of u2 over S_d with y1_1 ≠ y2_2, UNSAT for both choices of m)"),
    ("kalai-smorodinsky", "individual-monotonicity"): (
        ideal_monotonicity_lemmas,
        "Kalai–Smorodinsky × individual monotonicity: the encoding adds b^S_i ≤ b^T_i (S ⊆ T), proved by the "
        "lemma queries 'lemma: ideal point monotone' of this record, and splits the ray parameters s' ≤ s / "
        "s' > s (exhaustive; with s' > s, x'_j > x_j is implied by b^S_j = b^T_j > d_j)"),
}
REFINEMENT = ("refinement: a sub-query a solver left open (time-out/unknown) is split on its KKT complementarity "
              "pairs z·(y − d) = 0 into z = 0 and y = d (exhaustive), recursively (at most 4 levels); the query is "
              "closed for that solver when every leaf is UNSAT (entries 'refined', 'closed')")


def record_stem(concept_id: str, desideratum_id: str, points: int, bound, sub_points: int | None = None) -> str:
    stem = f"{concept_id}__{desideratum_id}__k{points}__b{format_fraction(Fraction(bound)).replace('/', '_')}"
    return stem if sub_points is None else f"{stem}__m{sub_points}"


def _scope(points: int, bound: Fraction, desideratum_id: str = "", sub_points: int | None = None) -> dict[str, Any]:
    scope = {"points": points, "bound": format_fraction(bound), "domain": "real", "method": "smt",
             "problems": "non-degenerate, free disposal"}
    if desideratum_id in PAIR_DESIDERATA:
        m = points if sub_points is None else sub_points
        scope["sub_points"] = m
        scope["sub_problems"] = (f"every free-disposal S ⊆ T with the same d and {m} payoff points, coordinates "
                                 f"real in [-{format_fraction(bound)}, {format_fraction(bound)}], S non-degenerate")
    elif desideratum_id == "scale":
        scope["transformations"] = "every u ↦ (a1·u1 + c1, a2·u2 + c2) with real a1, a2 > 0 and real c1, c2"
    return scope


def _claim(concept_id: str, desideratum_id: str, scope: dict[str, Any]) -> str:
    b = scope["bound"]
    base = (f"no non-degenerate bargaining problem T with {scope['points']} payoff points and disagreement point, "
            f"coordinates real in [-{b}, {b}], free disposal")
    if desideratum_id in PAIR_DESIDERATA:
        return (f"{base}, and no S: {scope['sub_problems']}, give a violation of {desideratum_id} for "
                f"{concept_id} (the exact checker's sub-problems 'keep' and 'cap' of a {scope['points']}-point T "
                f"are such S when sub_points ≥ points: a cap's comprehensive hull has at most {scope['points']} "
                f"generators besides d)")
    if desideratum_id == "scale":
        return f"{base}, and no transformation ({scope['transformations']}), give a violation of scale for {concept_id}"
    return (f"no non-degenerate bargaining problem with {scope['points']} payoff points and disagreement point, "
            f"coordinates real in [-{b}, {b}], free disposal, violates {desideratum_id} for {concept_id}")


def _model_problem(problem: SymbolicProblem, model: dict[str, str]):
    values = {}
    for name in problem.unknowns:
        text = model.get(name, "0")
        if text.startswith("~"):
            return None
        values[name] = Fraction(text)
    return problem.problem_from_model(values)


def _reverify(concept_id: str, desideratum_id: str, problem, params_list=None):
    """The exact checker on the model's problem, over its parameter family (or
    the given parameters)."""
    if problem.is_degenerate():
        return None
    from .bargaining_search import first_violation_among

    desideratum = get_bargaining_desideratum(desideratum_id)
    if params_list is None:
        params_list = desideratum.parameters(problem, random.Random(0), 8)
    return first_violation_among(concept_id, desideratum, problem, params_list)


def prove_bargaining(concept_id: str, desideratum_id: str, points: int = 3, bound=10, timeout: float = 60.0,
                     out_dir: str | Path | None = None, *, workers: int = 2, confirm: bool = True,
                     cuts: bool = True, write: bool = True, z3_core_ms: int | None = Z3_CORE_MS,
                     sub_points: int | None = None, refine_open: bool = True) -> CheckResult:
    """Prove (concept, desideratum) on every non-degenerate problem with `points`
    payoff points and d in [−bound, bound]² (free disposal), or find a verified
    counterexample; `timeout` is each solver process's wall-clock limit;
    `z3_core_ms` the time z3's SMT core gets before nlsat (`checkers.smt.solve_texts`): the
    bargaining queries (contradictions linear in the monomials once the cuts are in) are found by
    the core, sometimes after more than its default 3 s, while nlsat does not finish on them."""
    return _prove(concept_id, desideratum_id, points, bound, timeout, out_dir, workers, confirm, cuts, write,
                  z3_core_ms, sub_points, refine_open)


def _alternatives(concept_id: str, desideratum_id: str, problem: SymbolicProblem, scope: dict[str, Any], bound):
    """The violation's alternatives (domain constraints of every unknown added to
    each) and a function from a solver model to (exact problem, checker
    parameters or None for the desideratum's own family), or None."""
    if desideratum_id in PAIR_DESIDERATA:
        second = sub_problem(problem, int(scope["sub_points"]), bound, "u")
        branches = pair_violation_alternatives(concept_id, desideratum_id, problem, second)
        if (concept_id, desideratum_id) in LEMMAS:
            branches = LEMMAS[concept_id, desideratum_id][0](problem, second) + branches
        for br in branches:
            br.constraints[:0] = second.constraints
        k = len(problem.points)

        def instance(model):
            big = _model_problem(problem, model)
            small = _model_problem(second, model)
            if big is None or small is None:
                return None
            merged = big.with_points(big.points + small.points[: len(second.points)])
            return merged, [{"keep": list(range(k, k + len(second.points)))}]
        return branches, instance
    if desideratum_id == "scale":
        scale = (Symbol("v_scale_1", REAL), Symbol("v_scale_2", REAL))
        shift = (Symbol("v_shift_1", REAL), Symbol("v_shift_2", REAL))
        if concept_id in AFFINE_TRANSFER:
            return _transfer_route(concept_id, problem, scale, shift), lambda model: None
        branches = affine_violation_alternatives(concept_id, problem, scale, shift)
        for br in branches:
            br.constraints[:0] = [GT(scale[0], real_const(0)), GT(scale[1], real_const(0))]

        def instance(model):
            big = _model_problem(problem, model)
            texts = [model.get(v.symbol_name(), "0") for v in scale + shift]
            if big is None or any(t.startswith("~") for t in texts):
                return None
            values = [format_fraction(Fraction(t)) for t in texts]
            return big, [{"scale": values[:2], "shift": values[2:]}]
        return branches, instance
    branches = violation_alternatives(concept_id, desideratum_id, problem)
    if (concept_id, desideratum_id) in LEMMAS:  # point cells: lemmas over the problem alone
        branches = LEMMAS[concept_id, desideratum_id][0](problem) + branches

    def instance(model):
        concrete = _model_problem(problem, model)
        return None if concrete is None else (concrete, None)
    return branches, instance


def _transfer_route(concept_id: str, problem: SymbolicProblem, scale, shift) -> list:
    """Affine invariance as lemmas plus uniqueness (see TRANSFER_ROUTE): no query
    of this route is a violation by itself, so a SAT answer is never a
    counterexample (it leaves the cell unproved)."""
    x = (Symbol("v_xa", REAL), Symbol("v_xb", REAL))
    y = (Symbol("v_ya", REAL), Symbol("v_yb", REAL))
    branches = transfer_lemmas(concept_id, problem, scale, shift, y)
    if concept_id == "kalai-smorodinsky":
        branches += ideal_lemmas(problem)
    for branch in uniqueness_alternatives(concept_id, problem, x, y):
        branch.name = "uniqueness: " + branch.name
        branches.append(branch)
    return branches


def _queries(concept_id: str, desideratum_id: str, scope: dict[str, Any], cuts: bool = True):
    """The symbolic problem of the scope, the violation's branches, the model
    reader and the branches' query texts (ValueError: no encoding)."""
    bound = Fraction(scope["bound"])
    problem = SymbolicProblem.unknown(int(scope["points"]), bound)
    branches, instance = _alternatives(concept_id, desideratum_id, problem, scope, bound)
    return problem, branches, instance, [query_text(branch_formula(b, problem, cuts=cuts)) for b in branches]


def query_texts(concept_id: str, desideratum_id: str, points: int, bound, sub_points: int | None = None) -> list[str]:
    """The query texts `prove_bargaining` builds for this scope (with cuts), in the record's order."""
    scope = _scope(points, Fraction(bound), desideratum_id, sub_points)
    return _queries(concept_id, desideratum_id, scope)[3]


def _prove(concept_id, desideratum_id, points, bound, timeout, out_dir, workers, confirm, cuts, write,
           z3_core_ms, sub_points=None, refine_open=True) -> CheckResult:
    start = time.monotonic()
    bound = Fraction(bound)
    scope = _scope(points, bound, desideratum_id, sub_points)
    if concept_id not in ENCODED_SOLUTIONS or desideratum_id not in ENCODED_DESIDERATA:
        return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "smt", 0.0,
                           message=f"no SMT encoding for {concept_id} × {desideratum_id} (encoded solutions: "
                                   f"{', '.join(ENCODED_SOLUTIONS)}; desiderata: {', '.join(ENCODED_DESIDERATA)})")
    try:
        problem, branches, instance, texts = _queries(concept_id, desideratum_id, scope, cuts)
    except ValueError as error:
        return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "smt", 0.0, message=f"no SMT encoding: {error}")
    hashes = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    unique = list(dict.fromkeys(hashes))
    text_of = dict(zip(hashes, texts))
    details: dict[str, Any] = {"subqueries": len(branches), "distinct": len(unique)}
    found: list[Any] = []

    def run(solver: str) -> dict[str, SolverAnswer]:
        def verify(k: int, answer: SolverAnswer) -> bool:
            if answer.verdict != "sat":
                return False
            made = instance(answer.model)
            if made is None:
                details.setdefault("unverified", []).append(
                    f"{solver}: SAT model with no exact instance (irrational values, or a lemma query)")
                return False
            concrete, params_list = made
            violation = _reverify(concept_id, desideratum_id, concrete, params_list)
            if violation is None:
                details.setdefault("unverified", []).append(
                    f"{solver}: model {concrete.describe()} does not violate exactly")
                return False
            found.append(violation)
            return True

        def refine(branch, depth: int) -> tuple[bool, list[dict[str, Any]]]:
            """Split an open query on its complementarity pairs (exhaustive), recursively."""
            children = complementarity_split(branch, depth) if depth < MAX_REFINE_DEPTH else []
            if not children:
                return False, []
            ctexts = [query_text(branch_formula(c, problem, cuts=cuts)) for c in children]
            answers = solve_texts([(t, solver) for t in ctexts], timeout, workers, stop=verify,
                                  z3_core_ms=z3_core_ms)
            ok, nodes = True, []
            for child, text, answer in zip(children, ctexts, answers):
                h = hashlib.sha256(text.encode()).hexdigest()
                text_of[h] = text
                node: dict[str, Any] = {"name": child.name, "sha256": h, "verdict": answer.verdict,
                                        "seconds": round(answer.seconds, 3), **({"note": answer.note} if answer.note else {})}
                closed = answer.verdict == "unsat"
                if not closed and not found and answer.verdict in OPEN:
                    closed, below = refine(child, depth + 1)
                    if below:
                        node["refined"] = below
                node["closed"] = closed
                ok = ok and closed
                nodes.append(node)
            return ok, nodes

        answers = solve_texts([(text_of[h], solver) for h in unique], timeout, workers, stop=verify,
                              z3_core_ms=z3_core_ms)
        result = dict(zip(unique, answers))
        for h, answer in result.items():
            closed[solver][h] = answer.verdict == "unsat"
            if answer.verdict in OPEN and not found and refine_open:
                closed[solver][h], nodes = refine(branch_of[h], 0)
                if nodes:
                    refinements[solver][h] = nodes
        return result

    branch_of = {h: b for h, b in zip(hashes, branches)}
    closed: dict[str, dict[str, bool]] = {"z3": {}, "cvc5": {}}
    refinements: dict[str, dict[str, list]] = {"z3": {}, "cvc5": {}}
    z3_answers = run("z3")
    cvc5_answers: dict[str, SolverAnswer] = {}
    if not found and confirm:
        cvc5_answers = run("cvc5")
    versions = solver_versions()
    seconds = time.monotonic() - start
    if found:
        violation = found[0]
        from .bargaining_search import witness_json

        witness = witness_json(violation, f"smt ({points} points, bound {format_fraction(bound)})", False)
        return CheckResult(concept_id, desideratum_id, COUNTEREXAMPLE, scope, "smt", seconds, None,
                           [], violation.message, {**details, "witness": witness})
    z3_ok = all(closed["z3"].get(h, False) for h in z3_answers)
    cvc5_ok = bool(cvc5_answers) and all(closed["cvc5"].get(h, False) for h in cvc5_answers)
    proved = z3_ok and cvc5_ok
    if proved:
        # UNSAT alone proves nothing about a vacuous or mistaken encoding (checkers.agreement).
        from .agreement import EncodingDefect, bargaining_checks

        try:
            details["checks"] = bargaining_checks(concept_id, points, bound, timeout)
        except EncodingDefect as defect:
            details["encoding_defect"] = str(defect)
            return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "smt", seconds, None, [],
                               f"encoding defect, not a proof: {defect}", details)
        against = smt.refuted_by_catalogue(concept_id, desideratum_id, scope,
                                           Path(out_dir) if out_dir is not None else DEFAULT_OUT, "bargaining")
        if against:
            return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "smt", seconds, None, [],
                               f"proof refused: both solvers say UNSAT, but the catalogued witness {against} lies "
                               f"inside this scope; the encoding and the exact checker disagree (a defect to "
                               f"fix, not a result)", details)
    solvers = [f"{name} {versions[name]}" for name, ok in (("z3", z3_ok), ("cvc5", cvc5_ok)) if ok]
    details["z3_seconds"] = round(sum(a.seconds for a in z3_answers.values()), 3)
    if cvc5_answers:
        details["cvc5_seconds"] = round(sum(a.seconds for a in cvc5_answers.values()), 3)
    if write:
        path = _write_record(Path(out_dir) if out_dir is not None else DEFAULT_OUT, concept_id, desideratum_id,
                             points, bound, scope, branches, hashes, text_of, z3_answers, cvc5_answers, proved,
                             seconds, cuts, z3_core_ms, closed, refinements, details.get("checks"))
        details["proof_record"] = str(path)
    if proved:
        return CheckResult(concept_id, desideratum_id, PROVED, scope, "smt", seconds, None, solvers,
                           f"{_claim(concept_id, desideratum_id, scope)}: z3 and cvc5 UNSAT on all {len(unique)} "
                           f"distinct sub-queries", details)
    def summary(answers: dict[str, SolverAnswer], name: str) -> str:
        counts: dict[str, int] = {}
        for a in answers.values():
            counts[a.verdict] = counts.get(a.verdict, 0) + 1
        return f"{name}: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))
    message = summary(z3_answers, "z3") + "; " + (summary(cvc5_answers, "cvc5") if cvc5_answers else "cvc5 not run")
    if details.get("unverified"):
        message += f"; {len(details['unverified'])} SAT model(s) not confirmed by the exact checker"
    return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "smt", seconds, None, solvers, message, details)


def _write_record(out: Path, concept_id, desideratum_id, points, bound, scope, branches, hashes, text_of,
                  z3_answers, cvc5_answers, proved, seconds, cuts, z3_core_ms, closed=None, refinements=None,
                  checks=None) -> Path:
    stem = record_stem(concept_id, desideratum_id, points, bound, scope.get("sub_points"))
    folder = out / PROOF_FOLDER / stem
    folder.mkdir(parents=True, exist_ok=True)
    for stale in [*folder.glob("*.smt2"), *folder.glob("*.cert.json")]:  # the folder holds this record's files only
        stale.unlink()
    files: dict[str, str] = {}
    for h in dict.fromkeys(hashes):
        name = f"q{len(files):03d}.smt2"
        atomic_write_text(folder / name, text_of[h])
        files[h] = name
    queries = []
    for branch, h in zip(branches, hashes):
        entry: dict[str, Any] = {"name": branch.name, "file": f"{stem}/{files[h]}", "sha256": h}
        for solver, answers in (("z3", z3_answers), ("cvc5", cvc5_answers)):
            if h in answers:
                a = answers[h]
                entry[solver] = {"verdict": a.verdict, "seconds": round(a.seconds, 3),
                                 **({"note": a.note} if a.note else {})}
                nodes = (refinements or {}).get(solver, {}).get(h)
                if nodes:
                    entry[solver]["refined"] = [_node_files(n, folder, stem, files, text_of) for n in nodes]
                    entry[solver]["closed"] = bool((closed or {}).get(solver, {}).get(h))
        queries.append(entry)
    from .certificates import certify_files

    certified = certify_files(out / PROOF_FOLDER, queries) if proved else 0
    z3_all = all((closed or {}).get("z3", {}).get(h, a.verdict == "unsat") for h, a in z3_answers.items())
    record = {
        "kind": "bargaining",
        "concept": concept_id,
        "desideratum": desideratum_id,
        "claim": _claim(concept_id, desideratum_id, scope),
        "scope": scope,
        "verdict": "proved" if proved else "z3-only" if z3_all else "open",
        "confirmed_by_both": proved,
        "solvers": solver_versions(),
        "cvc5_options": CVC5_OPTIONS,
        "cvc5_fallback_options": list(CVC5_FALLBACKS),
        "normalization": "none: every coordinate of the points and of d is an unknown in the bound",
        "splits": (SPLITS if cuts else SPLITS[:-1])
                  + ([KS_PARETO_SPLIT] if (concept_id, desideratum_id) == ("kalai-smorodinsky", "pareto") else [])
                  + ([TRANSFER_ROUTE] if desideratum_id == "scale" and concept_id in AFFINE_TRANSFER else [])
                  + ([LEMMAS[concept_id, desideratum_id][1]] if (concept_id, desideratum_id) in LEMMAS else [])
                  + ([REFINEMENT] if refinements and any(refinements.values()) else []),
        "encoding": ENCODING,
        "z3_engine": smt.Z3_ENGINE.format(ms=z3_core_ms if z3_core_ms is not None else smt.Z3_SMT_CORE_MS),
        "seconds": round(seconds, 3),
        "fingerprint": fingerprint(concept_id, desideratum_id, "bargaining"),
        **({"checks": checks} if checks else {}),
        "certified_subqueries": certified,
        "distinct_queries": len(files),
        "queries": queries,
    }
    path = out / PROOF_FOLDER / f"{stem}.json"
    atomic_write_json(path, record)
    return path


def _node_files(node: dict[str, Any], folder: Path, stem: str, files: dict[str, str], text_of) -> dict[str, Any]:
    """A refinement node with its query written (once per distinct text) and named by file."""
    h = node["sha256"]
    if h not in files:
        files[h] = f"q{len(files):03d}.smt2"
        atomic_write_text(folder / files[h], text_of[h])
    out = {**node, "file": f"{stem}/{files[h]}"}
    if "refined" in node:
        out["refined"] = [_node_files(n, folder, stem, files, text_of) for n in node["refined"]]
    return out


def proof_records(out_dir: str | Path | None = None) -> dict[tuple[str, str], dict[str, Any]]:
    """The committed bargaining proof records with verdict "proved" (both
    solvers, every SMT-LIB2 file intact: `smt.committed_proofs`), by cell;
    for several scopes of one cell, the one with the most points, then the
    largest bound."""
    from .smt import committed_proofs

    def rank(record: dict[str, Any]) -> tuple:
        return int(record["scope"]["points"]), Fraction(record["scope"]["bound"])

    return {cell: max(records, key=rank) for cell, records in committed_proofs(out_dir, PROOF_FOLDER).items()}
