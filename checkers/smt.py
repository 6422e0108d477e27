"""`bargaincheck check --method smt`: bounded proofs and counterexamples by SMT.

The violation of (concept, desideratum) on a symbolic game of `shape` with
payoffs in [−bound, bound] is split into conjunctive sub-queries
(`encoders.desiderata`: per player and direction, lemma split, choice split).
Each sub-query is written as SMT-LIB2 text and solved from that text in a
separate process (z3 through pysmt; cvc5 through its own parser), several in
parallel, each killed when its wall-clock limit passes: a time-out is
reported as such, never as an answer.

* Some sub-query SAT: the model's game (and caps) is re-verified exactly with
  the reference semantics (the registered desideratum's checker); only then
  is it a counterexample. It is then tightened by SMT over integer payoffs
  (the smallest bound with a violation), shrunk by `checkers.minimize`, and
  logged with `checkers.catalogue.write_witness`.
* All sub-queries UNSAT under z3: every one is re-solved by cvc5; the result
  is `proved` only when cvc5 also says UNSAT for all of them. A proof record
  (JSON) with the SMT-LIB2 file of every sub-query is written under
  `<out_dir>/proofs/`.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

from pysmt.shortcuts import And, Equals, Real
from pysmt.smtlib.script import smtlibscript_from_formula

from ..encoders.desiderata import MAX_SUBQUERIES, SubQuery, TooManySubqueries, lemma_split, subqueries, violation_cases
from ..encoders.symbolic import Domain, SymbolicGame
from ..specs.concepts.registry import get_concept
from ..specs.deadline import remaining
from ..specs.desiderata.registry import get_desideratum
from ..specs.fileio import atomic_write_json, atomic_write_text
from ..specs.games import Game, format_fraction
from .children import die_with_parent, fork_context, run_forked
from .form import FORM_DESIDERATA
from .proofs import fingerprint
from .results import COUNTEREXAMPLE, PROVED, UNKNOWN, CheckResult

__all__ = [
    "smt_check",
    "committed_proofs",
    "solve_texts",
    "solve_in_child",
    "SolverPool",
    "query_text",
    "SolverAnswer",
    "build_subqueries",
    "solver_versions",
    "tu_query_texts",
    "version_text",
    "CVC5_OPTIONS",
    "CVC5_FALLBACK_OPTIONS",
    "CVC5_FALLBACKS",
    "DEFAULT_OUT",
]

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "counterexamples"

# cvc5 on QF_NRA: cylindrical algebraic coverings, forced (the incremental-
# linearization default answers "unknown (INCOMPLETE)" on these queries).
CVC5_OPTIONS = {"nl-ext": "none", "nl-cov-force": "true", "produce-models": "true"}
# What a claim covers beyond "violates D", where the encoding narrows it.
CLAIM_NOTES = {
    "symmetry": "identical players under the identity matching of their actions: U_2(b, a) = U_1(a, b)",
    "payoff-dominance": "for every ordered pair i, j with U_i(a) >= U_j(a) at every profile a: phi_i >= phi_j",
    "monotonicity": "one extra action for one player, appended after its own, its payoffs in the same box",
}



def _claim_note(desideratum_id: str, bound: Fraction) -> str:
    """What the claim covers of the desideratum's premise or parameters."""
    if desideratum_id in CLAIM_NOTES:
        return CLAIM_NOTES[desideratum_id]
    desideratum = get_desideratum(desideratum_id)
    return desideratum.scope_note(bound) if hasattr(desideratum, "scope_note") else ""


# When that answers "unknown": cvc5's default non-linear solving with coverings.
CVC5_FALLBACK_OPTIONS = {"nl-cov": "true", "produce-models": "true"}
CVC5_FALLBACKS = (CVC5_FALLBACK_OPTIONS, {"nl-ext": "full", "nl-cov": "false", "produce-models": "true"})


# z3's first stage (SMT core) gets this many milliseconds before nlsat takes over.
Z3_SMT_CORE_MS = 3000
Z3_ENGINE = ("z3: the linear relaxation over monomials (products expanded, each monomial a fresh real; QF_LRA, "
             "its UNSAT is UNSAT), then the SMT core (tactic smt, {ms} ms), then nlsat (SolverFor QF_NRA)")


def solver_versions() -> dict[str, str]:
    import cvc5
    import pysmt
    import z3

    return {
        "z3": z3.get_version_string(),
        "cvc5": cvc5.Solver(cvc5.TermManager()).getVersion().decode() if hasattr(cvc5, "TermManager") else "?",
        "pysmt": pysmt.__version__,
    }


def version_text() -> str:
    """One line naming the suite and the solvers it runs (`bargaincheck --version`):
    the same versions the proof records it writes carry."""
    from .. import __version__

    versions = solver_versions()
    return f"bargaincheck {__version__} (z3 {versions['z3']}, cvc5 {versions['cvc5']}, pysmt {versions['pysmt']})"


def query_text(formula) -> str:
    """The SMT-LIB2 script (declarations, one assert, check-sat) of `formula`.
    The logic is QF_NRA, or QF_NIRA when some symbol is an Int (integer and
    grid payoff domains): under QF_NRA a parser reads every numeral as a Real,
    which would make `(<= (- 10) k)` ill-sorted for an Int k."""
    import warnings

    from pysmt.smtlib import commands

    buffer = io.StringIO()
    logic = "QF_NIRA" if any(v.symbol_type().is_int_type() for v in formula.get_free_variables()) else "QF_NRA"
    with warnings.catch_warnings():  # pysmt warns that QF_NRA is "non-standard"; it is standard SMT-LIB
        warnings.simplefilter("ignore")
        script = smtlibscript_from_formula(formula, logic=logic)
    # Canonical: pysmt declares the symbols in set order, which changes from run
    # to run; sorted by name, the same formula always gives the same text (and sha256).
    declarations = sorted((c for c in script.commands if c.name == commands.DECLARE_FUN),
                          key=lambda c: c.args[0].symbol_name())
    others = iter(c for c in script.commands if c.name != commands.DECLARE_FUN)
    script.commands = [next(others)] + declarations + list(others)  # set-logic first
    script.serialize(buffer, daggify=False)
    return buffer.getvalue()


# -- solving in killable worker processes -----------------------------------------------


@dataclass
class SolverAnswer:
    """verdict: "sat", "unsat", "unknown", "timeout" or "error"; `model` maps
    symbol names to exact strings (or decimal approximations prefixed '~')."""

    verdict: str
    seconds: float
    model: dict[str, str] = field(default_factory=dict)
    note: str = ""


class SolverPool(Protocol):
    """Somewhere else to solve jobs (`dask_sweep.DaskSolvers`): what
    `solve_texts` hands its jobs to when given one in place of a worker count.
    `deadline` is on this process's time.monotonic() clock."""

    def solve_texts(self, jobs: list[tuple[str, str]], timeout: float,
                    stop: Callable[[int, "SolverAnswer"], bool] | None, deadline: float | None,
                    z3_core_ms: int) -> list["SolverAnswer"]: ...


def _z3_solve(text: str, core_ms: int = Z3_SMT_CORE_MS) -> tuple[str, dict[str, str], str]:
    """z3 on the SMT-LIB2 text: first the linear relaxation over monomials
    (`_monomial_relaxation`: UNSAT there is UNSAT here; it finds the
    contradictions that the implied cuts make linear in the monomials); then
    the SMT core (tactic "smt": linear arithmetic with incremental
    linearization of the products); if it gives up, the complete non-linear
    procedure (nlsat, z3's default for QF_NRA)."""
    import z3

    formula = z3.parse_smt2_string(text)
    logic = "QF_NIRA" if "QF_NIRA" in text else "QF_NRA"
    if _monomial_relaxation(formula) == z3.unsat:
        return "unsat", {}, RELAXATION_NOTE
    solver = z3.Tactic("smt").solver()
    solver.set("timeout", core_ms)
    solver.add(formula)
    result = solver.check()
    if result == z3.unknown:
        solver = z3.SolverFor(logic)
        solver.add(formula)
        result = solver.check()
    if result == z3.unsat:
        return "unsat", {}, ""
    if result == z3.unknown:
        return "unknown", {}, str(solver.reason_unknown())
    model: dict[str, str] = {}
    native = solver.model()
    for decl in native.decls():
        value = native[decl]
        if value.is_real() or value.is_int():
            try:
                if hasattr(value, "as_fraction"):
                    f = value.as_fraction()
                    model[decl.name()] = format_fraction(Fraction(f.numerator, f.denominator))
                    continue
            except Exception:
                pass
            try:
                model[decl.name()] = str(int(value.as_long()))
                continue
            except Exception:
                pass
            model[decl.name()] = "~" + value.approx(30).as_decimal(30).rstrip("?")
    return "sat", model, ""


RELAXATION_NOTE = "decided by the linear relaxation over monomials (z3 QF_LRA)"
# z3's `som` leaves a product of sums unexpanded when expanding it would grow the
# term more than `som_blowup` times (default 10); the relaxation needs every
# monomial, and the encodings' products have degree at most 4, so the limit is
# raised. (With the default, 39 of the 69 distinct ROSE threat 2x3 queries
# escape the relaxation and z3 spends 27 minutes on them.)
SOM_BLOWUP = 1_000_000


def _monomial_relaxation(formula, som_blowup: int = SOM_BLOWUP):
    """The conjunction of arithmetic atoms with every polynomial expanded to a
    sum of monomials (z3's simplifier, som) and every non-linear monomial
    replaced by a fresh real: a linear relaxation (each real model of the
    formula gives one of the relaxation), solved by z3's linear arithmetic.
    Its UNSAT proves the formula UNSAT; it finds the contradictions the
    implied cuts make linear in the monomials when the SMT core, which does not
    expand products of sums, misses them. None for a formula that is not a
    conjunction of (in)equalities over the reals."""
    import z3

    atoms: list[tuple[str, Any]] = []

    def walk(node) -> bool:
        if z3.is_and(node):
            return all(walk(c) for c in node.children())
        negated = z3.is_not(node)
        atom = node.children()[0] if negated else node
        kids = atom.children()
        if len(kids) != 2 or not all(z3.is_arith(k) for k in kids):
            return False
        left, right = kids
        table = {z3.Z3_OP_LE: ("le", left - right), z3.Z3_OP_LT: ("lt", left - right),
                 z3.Z3_OP_GE: ("le", right - left), z3.Z3_OP_GT: ("lt", right - left),
                 z3.Z3_OP_EQ: ("eq", left - right)}
        kind = table.get(atom.decl().kind())
        if kind is None or (negated and kind[0] == "eq"):
            return False
        if negated:  # ¬(e ≤ 0) is −e < 0, ¬(e < 0) is −e ≤ 0
            kind = ("lt" if kind[0] == "le" else "le", -kind[1])
        atoms.append(kind)
        return True

    if not all(walk(f) for f in formula):
        return None
    monomials: dict[tuple[str, ...], Any] = {}

    def factors(term) -> list:
        return [f for c in term.children() for f in factors(c)] if z3.is_mul(term) else [term]

    def linear(expr):
        expr = z3.simplify(expr, som=True, som_blowup=som_blowup)
        out = []
        for term in (expr.children() if z3.is_add(expr) else [expr]):
            coefficient, names = z3.RealVal(1), []
            for f in factors(term):
                if z3.is_rational_value(f) or z3.is_int_value(f):
                    coefficient = coefficient * f
                elif z3.is_app_of(f, z3.Z3_OP_POWER) and z3.is_const(f.children()[0]) \
                        and z3.is_rational_value(f.children()[1]) and f.children()[1].denominator_as_long() == 1:
                    base, exponent = f.children()
                    names += [base.sexpr()] * exponent.numerator_as_long()
                elif z3.is_const(f):
                    names.append(f.sexpr())
                else:
                    raise ValueError(f"not a monomial factor: {f}")
            key = tuple(sorted(names))
            if not key:
                out.append(coefficient)
                continue
            if key not in monomials:
                monomials[key] = z3.Real(key[0]) if len(key) == 1 else z3.FreshReal("mono")
            out.append(coefficient * monomials[key])
        return z3.Sum(out) if out else z3.RealVal(0)

    solver = z3.SolverFor("QF_LRA")
    try:
        for kind, expr in atoms:
            e = linear(expr)
            solver.add(e <= 0 if kind == "le" else e < 0 if kind == "lt" else e == 0)
    except (ValueError, z3.Z3Exception):
        return None
    solver.set("timeout", 60000)
    return solver.check()


def _cvc5_solve(text: str, budget: float | None = None) -> tuple[str, dict[str, str], str]:
    """cvc5 on the SMT-LIB2 text: first on its linear relaxation over
    monomials (`_cvc5_relaxation`; UNSAT there is UNSAT here), then with CVC5_OPTIONS (coverings forced,
    fast on most queries); while a configuration answers "unknown", again with
    the next of CVC5_FALLBACKS (cvc5's default non-linear strategy with
    coverings; then the full incremental linearization without coverings, which
    decides the affine-transfer lemmas, polynomial identities of degree 4, on
    which coverings alone stop "INCOMPLETE"). The note names the deciding one.

    With a `budget` (seconds), every configuration but the last runs in its
    own process and gets a fair share of the time left (time left / number of
    configurations still to try): a configuration that neither answers nor
    gives up must not spend the time of the next one, which may decide the
    query in seconds (cvc5 ignores its own time limit inside coverings)."""
    configurations = (CVC5_OPTIONS, *CVC5_FALLBACKS)
    start = time.monotonic()
    relaxed = _cvc5_relaxation(text, None if budget is None else budget * CVC5_RELAXATION_SHARE)
    if relaxed is not None:
        return relaxed
    tried: list[str] = []
    answer, model, note = "unknown", {}, ""
    for k, options in enumerate(configurations):
        last = k == len(configurations) - 1
        if budget is None or last:
            answer, model, note = _cvc5_attempt(text, options)
        else:
            share = (budget - (time.monotonic() - start)) / (len(configurations) - k)
            answer, model, note = _cvc5_attempt_within(text, options, share)
        tried.append((f"fallback {k}: " if k else "first configuration: ") + note)
        if answer != "unknown":
            break
    if len(tried) == 1:
        return answer, model, note
    if answer in ("sat", "unsat"):
        deciding = len(tried) - 1
        return answer, model, ("; ".join(tried[:-1])
                               + f"; decided by fallback {deciding} ({_options_text(CVC5_FALLBACKS[deciding - 1])})")
    return answer, model, "; ".join(tried)


# cvc5's first stage: the linear relaxation over monomials, read by
# `checkers.certificates` (a parser of our own, not z3's simplifier nor
# pysmt), solved as QF_LRA; it gets this share of the query's time.
CVC5_RELAXATION_SHARE = 0.2
CVC5_RELAXATION_NOTE = ("decided by the linear relaxation over monomials (read by bargaincheck.checkers.certificates, "
                        "each monomial a fresh real; cvc5 QF_LRA)")


def _cvc5_relaxation(text: str, seconds: float | None) -> tuple[str, dict[str, str], str] | None:
    """("unsat", {}, note) when cvc5 refutes the query's linear relaxation
    over monomials (its UNSAT is the query's UNSAT); None otherwise (outside
    the relaxation's grammar, or the relaxation is satisfiable or undecided in
    `seconds`, which says nothing about the query)."""
    from .certificates import Uncertifiable, relaxation_text

    try:
        relaxed = relaxation_text(text)
    except Uncertifiable:
        return None
    options = {"produce-models": "false"}
    answer = (_cvc5_attempt(relaxed, options) if seconds is None
              else _cvc5_attempt_within(relaxed, options, seconds))
    return ("unsat", {}, CVC5_RELAXATION_NOTE) if answer[0] == "unsat" else None


def _cvc5_attempt_within(text: str, options: dict[str, str], seconds: float) -> tuple[str, dict[str, str], str]:
    """_cvc5_attempt in a forked child killed after `seconds` (then
    "unknown", the note says so); the child dies with this process
    (`children.run_forked`: this runs inside a daemonic solver worker)."""
    state, result = run_forked(_cvc5_attempt, (text, options), seconds)
    if state == "done":
        return result
    if state == "timeout":
        return "unknown", {}, f"stopped after {seconds:.0f} s (its share of the time limit)"
    # a crash of one configuration: the next one is tried
    return "unknown", {}, result or "the configuration's process died without an answer"


def _options_text(options: dict[str, str]) -> str:
    return " ".join(f"{k}={v}" for k, v in options.items() if k != "produce-models")


def _cvc5_attempt(text: str, options: dict[str, str]) -> tuple[str, dict[str, str], str]:
    import cvc5

    tm = cvc5.TermManager()
    solver = cvc5.Solver(tm)
    for key, value in options.items():
        solver.setOption(key, value)
    parser = cvc5.InputParser(solver)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "query")
    symbols = parser.getSymbolManager()
    answer = ""
    while True:
        command = parser.nextCommand()
        if command.isNull():
            break
        output = command.invoke(solver, symbols).strip()
        if output:
            answer = output
    if answer.startswith("unsat"):
        return "unsat", {}, ""
    if answer.startswith("sat"):
        model = {}
        for term in symbols.getDeclaredTerms():
            value = solver.getValue(term)
            try:
                model[str(term)] = format_fraction(Fraction(value.getRealValue()))
            except Exception:
                model[str(term)] = "~" + str(value)
        return "sat", model, ""
    return "unknown", {}, answer


def _solve_job(text: str, solver: str, z3_core_ms: int, timeout: float | None) -> tuple[str, dict[str, str], str]:
    return _z3_solve(text, z3_core_ms) if solver == "z3" else _cvc5_solve(text, timeout)


def _worker(text: str, solver: str, connection, parent: int, z3_core_ms: int = Z3_SMT_CORE_MS,
            timeout: float | None = None) -> None:
    die_with_parent(parent)  # no solver outlives a killed check
    start = time.monotonic()
    try:
        verdict, model, note = _solve_job(text, solver, z3_core_ms, timeout)
    except Exception as error:  # a solver crash is reported, never taken as an answer
        verdict, model, note = "error", {}, f"{type(error).__name__}: {error}"
    connection.send((verdict, model, note, time.monotonic() - start))
    connection.close()


def solve_in_child(text: str, solver: str, timeout: float, z3_core_ms: int | None = None,
                   wall_deadline: float | None = None, cancelled: Callable[[], bool] | None = None) -> SolverAnswer:
    """One job in a forked child (`children.run_forked`), for a thread of a
    process that may not have multiprocessing children (a Dask worker): the
    child is killed after `timeout` seconds, at `wall_deadline` (time.time(),
    the clock machines share), or when `cancelled()` says so ("skipped")."""
    core_ms = Z3_SMT_CORE_MS if z3_core_ms is None else int(z3_core_ms)
    budget = timeout if wall_deadline is None else min(timeout, wall_deadline - time.time())
    if budget <= 0:
        return SolverAnswer("timeout", 0.0, {}, "not started: the overall time budget was used up")
    start = time.monotonic()
    state, result = run_forked(_solve_job, (text, solver, core_ms, budget), budget, cancelled)
    elapsed = time.monotonic() - start
    if state == "done":
        verdict, model, note = result
        return SolverAnswer(verdict, elapsed, model, note)
    if state == "timeout":
        return SolverAnswer("timeout", elapsed, {}, f"killed after {budget:g} s")
    if state == "cancelled":
        return SolverAnswer("skipped", elapsed, {}, "stopped: an answer was found")
    return SolverAnswer("error", elapsed, {}, str(result))


def solve_texts(jobs: list[tuple[str, str]], timeout: float, workers: "int | SolverPool" = 2,
                stop: Callable[[int, SolverAnswer], bool] | None = None, *,
                deadline: float | None = None, z3_core_ms: int | None = None) -> list[SolverAnswer]:
    """Solve each (smtlib2 text, solver name) job in its own process, at most
    `workers` at a time (or on a `SolverPool`, e.g. Dask workers, with the
    same limits and answers); a process still running `timeout` seconds after it
    started, or at the `deadline` (time.monotonic()), is killed and its answer
    is "timeout"; a job not started by the deadline is "timeout" too.
    `stop(k, answer)` is called on each answer as it arrives; when it returns
    True the running processes are killed and every unfinished job's verdict
    is "skipped" (never an answer). `z3_core_ms`: the time z3's SMT core gets
    before nlsat takes over (default Z3_SMT_CORE_MS). An enclosing
    `specs.deadline.time_limit` is a deadline too. Each process dies with
    this one (`children.die_with_parent`)."""
    core_ms = Z3_SMT_CORE_MS if z3_core_ms is None else int(z3_core_ms)
    left = remaining()
    if left is not None:
        deadline = time.monotonic() + left if deadline is None else min(deadline, time.monotonic() + left)
    if not isinstance(workers, int):
        return workers.solve_texts(jobs, timeout, stop, deadline, core_ms)
    context = fork_context()
    answers: list[SolverAnswer | None] = [None] * len(jobs)
    pending = list(range(len(jobs)))
    running: dict[int, tuple[Any, Any, float]] = {}
    while pending or running:
        if deadline is not None and time.monotonic() >= deadline:
            for k in pending:
                answers[k] = SolverAnswer("timeout", 0.0, {}, "not started: the overall time budget was used up")
            pending.clear()
        while pending and len(running) < max(1, workers):
            k = pending.pop(0)
            budget = timeout if deadline is None else min(timeout, deadline - time.monotonic())
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_worker, args=(jobs[k][0], jobs[k][1], sender, os.getpid(), core_ms, budget),
                                      daemon=True)
            process.start()
            sender.close()
            running[k] = (process, receiver, time.monotonic())
        time.sleep(0.005)
        for k, (process, receiver, started) in list(running.items()):
            elapsed = time.monotonic() - started
            # A worker that has exited may have sent its answer after the last
            # poll: look at the pipe again before calling the exit an error.
            if receiver.poll() or (not process.is_alive() and receiver.poll(0.5)):
                try:
                    verdict, model, note, seconds = receiver.recv()
                except EOFError:
                    verdict, model, note, seconds = "error", {}, "worker died", elapsed
                answers[k] = SolverAnswer(verdict, seconds, model, note)
            elif not process.is_alive():
                answers[k] = SolverAnswer("error", elapsed, {}, f"worker exited with code {process.exitcode}")
            elif elapsed > timeout:
                process.kill()
                answers[k] = SolverAnswer("timeout", elapsed, {}, f"killed after {timeout:g} s")
            elif deadline is not None and time.monotonic() > deadline:
                process.kill()
                answers[k] = SolverAnswer("timeout", elapsed, {}, "killed: the overall time budget was used up")
            else:
                continue
            process.join(1)
            receiver.close()
            del running[k]
            if stop is not None and stop(k, answers[k]):
                for j, (other, other_receiver, began) in list(running.items()):
                    other.kill()
                    other.join(1)
                    other_receiver.close()
                    answers[j] = SolverAnswer("skipped", time.monotonic() - began, {}, "stopped: an answer was found")
                running.clear()
                for j in pending:
                    answers[j] = SolverAnswer("skipped", 0.0, {}, "stopped: an answer was found")
                pending.clear()
                break
    return [a for a in answers if a is not None]


# -- building the split ---------------------------------------------------------------------


def build_subqueries(
    concept_id: str,
    desideratum_id: str,
    game: SymbolicGame,
    cap: Fraction = Fraction(10),
    vertex_split: bool = False,
    cap_integer: bool = False,
    split_choices: bool | None = None,
    cuts: bool = True,
) -> list[SubQuery]:
    """Every conjunctive sub-query of the violation (see `encoders.desiderata`);
    their disjunction is equivalent to the violation."""
    result = []
    for case in violation_cases(concept_id, desideratum_id, game, cap):
        if cap_integer and case.caps:
            case.constraints = case.constraints + _integer_caps(case.caps, cap)
        for lemma in lemma_split(concept_id, desideratum_id, case):
            # With three or more players the choice product explodes (one
            # disjunction per coalition value): keep the disjunctions in one query.
            split = game.n_players == 2 if split_choices is None else split_choices
            result += subqueries(lemma, vertex_split=vertex_split, split_choices=split, cuts=cuts)
            if len(result) > MAX_SUBQUERIES:
                raise TooManySubqueries(f"the violation of {desideratum_id} by {concept_id} splits into more than "
                                        f"{MAX_SUBQUERIES} sub-queries: too many to decide")
    return result


def _integer_caps(caps: dict, cap: Fraction) -> list:
    """Caps restricted to integers (for integer witnesses): D = k for some k in 0..cap."""
    from pysmt.shortcuts import Or

    return [Or([Equals(d, Real(k)) for k in range(0, int(cap) + 1)]) for d in caps.values()]


def _shape_name(shape) -> str:
    return "x".join(str(k) for k in shape)


def _model_game(game: SymbolicGame, subquery: SubQuery, model: dict[str, str]) -> tuple[Game, dict[str, Any]] | None:
    """The concrete game and desideratum parameters of a model, exactly; None
    when some needed value is only known approximately."""
    values: dict[str, Fraction] = {}
    for name in game.unknowns:
        text = model.get(name, "0")
        if text.startswith("~"):
            return None
        values[name] = Fraction(text)
    concrete = game.game_from_model(values)
    params: dict[str, Any] = {}
    if subquery.case.caps:
        n = game.n_players
        caps = [["0"] * n for _ in range(n)]
        for (i, j), symbol in subquery.case.caps.items():
            text = model.get(symbol.symbol_name(), "0")
            if text.startswith("~"):
                return None
            caps[i][j] = format_fraction(Fraction(text))
        params["caps"] = caps
    if subquery.case.params_of is not None:
        def value(symbol) -> Fraction:
            text = model.get(symbol.symbol_name(), "0")
            if text.startswith("~"):
                raise ValueError("approximate model value")
            return Fraction(text)

        try:
            params.update(subquery.case.params_of(value))
        except ValueError:
            return None
    return concrete, params


def _reverify(concept_id: str, desideratum_id: str, concrete: Game, params: dict[str, Any]):
    """The exact reference check (None: no violation)."""
    concept, desideratum = get_concept(concept_id), get_desideratum(desideratum_id)
    return desideratum.check(concept, concrete, params)


# -- the check --------------------------------------------------------------------------------


def _domain_for(kind: str, bound: Fraction) -> Domain:
    if kind.startswith("grid:"):
        return Domain("grid", bound, int(kind.split(":", 1)[1]))
    return Domain(kind, bound)


def _run(subs: list[SubQuery], texts: list[str], solver: str, timeout: float, workers: int,
         game: SymbolicGame, concept_id: str, desideratum_id: str, details: dict[str, Any], refine: bool = False,
         deadline: float | None = None) -> tuple[list[SolverAnswer], tuple[SubQuery, Any] | None]:
    """Solve every sub-query with `solver`; a SAT answer is re-verified exactly
    as soon as it arrives, and a verified one stops the run (the remaining
    queries are "skipped"). Returns the answers and (sub-query, violation) of
    the verified counterexample, if any."""
    found: list[tuple[SubQuery, Any]] = []

    def verify(k: int, answer: SolverAnswer) -> bool:
        if answer.verdict != "sat":
            return False
        model = _model_game(game, subs[k], answer.model)
        if model is None:
            details.setdefault("unverified", []).append(f"{solver}: {subs[k].name}: model with irrational values")
            return False
        violation = _reverify(concept_id, desideratum_id, *model)
        if violation is None:
            details.setdefault("unverified", []).append(f"{solver}: {subs[k].name}: model does not violate exactly")
            return False
        found.append((subs[k], violation))
        return True

    # Identical texts (the split often produces the same conjunction twice,
    # e.g. for two choices that the encoding collapses) are solved once.
    first: dict[str, int] = {}
    for k, text in enumerate(texts):
        first.setdefault(text, k)
    unique = sorted(first.values())
    solved = solve_texts([(texts[k], solver) for k in unique], timeout, workers,
                         stop=lambda j, answer: verify(unique[j], answer), deadline=deadline)
    by_text = {texts[k]: answer for k, answer in zip(unique, solved)}
    details.setdefault("distinct_subqueries", len(unique))
    if refine and not found:
        # Sub-queries this solver left open are split on their LP witnesses'
        # vertex alternatives (`_refine`); all children UNSAT closes one.
        refinements = details.setdefault("refinements", {}).setdefault(solver, {})
        for k in unique:
            if by_text[texts[k]].verdict not in OPEN or not subs[k].refinements:
                continue
            if deadline is not None and time.monotonic() >= deadline:
                break
            tree, hit = _refine(subs[k], solver, timeout, workers, game, concept_id, desideratum_id, details,
                                deadline=deadline)
            if hit is not None:
                found.append(hit)
                break
            if tree is not None:
                refinements[texts[k]] = tree
                if tree.verdict() == "unsat":
                    by_text[texts[k]] = SolverAnswer(
                        "unsat", by_text[texts[k]].seconds + tree.seconds(), {},
                        f"open whole ({by_text[texts[k]].verdict}); UNSAT in all {tree.count()} cases of the "
                        f"vertex refinement")
    return [by_text[text] for text in texts], (found[0] if found else None)


OPEN = ("timeout", "unknown", "error")
MAX_REFINE_DEPTH = 2


@dataclass
class Refinement:
    """A sub-query split on the vertex alternatives of one LP witness
    (`SubQuery.refinements`): `children[j]` is (query, text, answer, its own
    refinement or None)."""

    label: str
    children: list[tuple[SubQuery, str, SolverAnswer, "Refinement | None"]]

    def verdict(self) -> str:
        verdicts = [(r.verdict() if r is not None else a.verdict) for _, _, a, r in self.children]
        return "unsat" if all(v == "unsat" for v in verdicts) else "sat" if "sat" in verdicts else "open"

    def count(self) -> int:
        return sum(1 + (r.count() if r is not None else 0) for _, _, _, r in self.children)

    def seconds(self) -> float:
        return sum(a.seconds + (r.seconds() if r is not None else 0.0) for _, _, a, r in self.children)


def _refine(sub: SubQuery, solver: str, timeout: float, workers: int, game: SymbolicGame, concept_id: str,
            desideratum_id: str, details: dict[str, Any], depth: int = 0, deadline: float | None = None
            ) -> tuple[Refinement | None, tuple[SubQuery, Any] | None]:
    """Split a sub-query that `solver` left open on its first refinement (the
    LP witness with the fewest vertex alternatives); children still open are
    split on the next one, down to MAX_REFINE_DEPTH. Each child is the parent
    AND one alternative, so a child's model is a model of the parent (verified
    exactly as usual); all children UNSAT, for this sub-query and (whole or
    refined alike) its siblings, covers every vertex choice of these
    witnesses, which is equisatisfiable with the lemma's formula."""
    if depth >= MAX_REFINE_DEPTH or not sub.refinements:
        return None, None
    label, alternatives = sub.refinements[0]
    children = [SubQuery(f"{sub.name} / {label} #{j}", And(sub.formula, alt), sub.case, sub.refinements[1:])
                for j, alt in enumerate(alternatives)]
    texts = [query_text(c.formula) for c in children]
    answers, hit = _run(children, texts, solver, timeout, workers, game, concept_id, desideratum_id, details,
                        deadline=deadline)
    if hit is not None:
        return Refinement(label, [(c, t, a, None) for c, t, a in zip(children, texts, answers)]), hit
    nodes = []
    for child, text, answer in zip(children, texts, answers):
        below = None
        if answer.verdict in OPEN:
            below, hit = _refine(child, solver, timeout, workers, game, concept_id, desideratum_id, details,
                                 depth + 1, deadline)
            if hit is not None:
                return Refinement(label, nodes + [(child, text, answer, below)]), hit
        nodes.append((child, text, answer, below))
    return Refinement(label, nodes), None


NORMALIZATION = "U_i(first profile) = 0, payoffs in [-2B, 2B] (shift covariance)"
VERTEX_SPLIT = "vertex split: LP witnesses restricted to the vertex alternatives (support, tight constraints)"


def _scope_game(shape: tuple[int, ...], bound: Fraction, domain: str, normalize: bool) -> SymbolicGame:
    """The symbolic game of a proof's scope: every payoff an unknown in the
    domain, or, normalized, U_i(first profile) = 0 and the rest in [−2B, 2B]."""
    if normalize:
        return SymbolicGame.unknown(shape, _domain_for(domain, 2 * bound),
                                    fixed={(i, 0): Fraction(0) for i in range(len(shape))})
    return SymbolicGame.unknown(shape, _domain_for(domain, bound))


def tu_query_texts(concept_id: str, desideratum_id: str, scope: dict[str, Any], splits: Sequence[str] = ()
                   ) -> list[str]:
    """The sub-query texts `smt_check` builds for a proof record's scope (and
    its vertex split, named in `splits`), in the record's order."""
    shape = tuple(int(k) for k in scope["shape"].split("x"))
    game = _scope_game(shape, Fraction(scope["bound"]), scope.get("domain", "real"),
                       scope.get("normalization") == NORMALIZATION)
    subs = build_subqueries(concept_id, desideratum_id, game, Fraction(scope.get("cap", 10)),
                            VERTEX_SPLIT in splits)
    return [query_text(q.formula) for q in subs]


def smt_check(
    concept_id: str,
    desideratum_id: str,
    shape,
    bound,
    timeout: float,
    out_dir: str | Path | None = None,
    *,
    domain: str = "real",
    cap=10,
    workers: "int | SolverPool" = 2,
    confirm: bool = True,
    vertex_split: bool = False,
    normalize: bool = False,
    minimize_witness: bool = True,
    write: bool = True,
    refine: bool = True,
    budget: float | None = None,
    use_form: bool = True,
) -> CheckResult:
    """Check (concept, desideratum) on every game of `shape` with payoffs in
    [−bound, bound] (`domain`: "real", "integer" or "grid:q"; caps D_ij ∈
    [0, cap] for threat). `timeout` is the wall-clock limit of each solver
    process; `workers` how many run at once, or a `SolverPool` that runs them
    (`dask_sweep.DaskSolvers`); `budget` (seconds) that of the whole check (z3, cvc5 and the
    refinements; the minimization of a witness found in time is not cut).
    Outcome: counterexample (re-verified exactly, logged), proved
    (z3 and cvc5 UNSAT on every sub-query of an exhaustive split; proof
    record written), or unknown (with the per-query verdicts and times).
    `use_form`: a pair that the form of the concept's definition decides
    (`checkers.form`) is proved that way, on every real game, with no solver
    and no record; False asks the solvers all the same (a bounded proof of
    the same property, e.g. to re-solve a record)."""
    start = time.monotonic()
    shape = tuple(int(k) for k in (shape.split("x") if isinstance(shape, str) else shape))
    bound, cap = Fraction(bound), Fraction(cap)
    out = Path(out_dir) if out_dir is not None else DEFAULT_OUT
    scope = {"shape": _shape_name(shape), "bound": format_fraction(bound), "domain": domain,
             "method": "smt"}
    if desideratum_id == "threat":
        scope["cap"] = format_fraction(cap)
    if use_form and desideratum_id in FORM_DESIDERATA and domain == "real":
        decided = _by_definition_form(concept_id, desideratum_id, shape, bound, scope, start)
        if decided is not None:
            return decided
    if normalize:
        # Shift normalization: U_i(first profile) = 0 for every player. Sound for
        # shift-covariant concepts (shift covariance is tested for coco, rose,
        # shapley-*; maximin_i, max_i, M and the destruction game shift along),
        # because every violation is shift-invariant: G with payoffs in [−B, B]
        # violates iff G − U(first profile) does, whose payoffs lie in [−2B, 2B].
        scope["normalization"] = NORMALIZATION
    game = _scope_game(shape, bound, domain, normalize)
    try:
        subs = build_subqueries(concept_id, desideratum_id, game, cap, vertex_split)
    except TooManySubqueries as error:
        return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "smt", time.monotonic() - start,
                           message=f"not decided: {error}")
    except ValueError as error:
        return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "smt", time.monotonic() - start,
                           message=f"no SMT encoding: {error}")
    texts = [query_text(q.formula) for q in subs]
    details: dict[str, Any] = {"subqueries": len(subs)}
    deadline = None if budget is None else start + budget
    z3_answers, hit = _run(subs, texts, "z3", timeout, workers, game, concept_id, desideratum_id, details,
                           refine=refine, deadline=deadline)
    verdicts = {"z3": [a.verdict for a in z3_answers]}
    details["z3_seconds"] = _solver_seconds(z3_answers)
    # cvc5 re-solves every sub-query (also those z3 left open: a proof needs
    # UNSAT from both solvers on each, whichever finishes first is irrelevant).
    cvc5_answers: list[SolverAnswer] = []
    if hit is None and confirm:
        cvc5_answers, hit = _run(subs, texts, "cvc5", timeout, workers, game, concept_id, desideratum_id, details,
                                 refine=refine, deadline=deadline)
        verdicts["cvc5"] = [a.verdict for a in cvc5_answers]
        details["cvc5_seconds"] = _solver_seconds(cvc5_answers)

    # The refinement trees go to the proof record; the result keeps a summary.
    refinements = details.pop("refinements", {})
    if any(refinements.values()):
        details["refined"] = {solver: {"queries": len(trees), "cases": sum(t.count() for t in trees.values()),
                                       "closed": sum(t.verdict() == "unsat" for t in trees.values())}
                              for solver, trees in refinements.items() if trees}

    # SAT: a counterexample, already re-verified exactly with the reference semantics.
    if hit is not None:
        sub, violation = hit
        seconds_to_witness = time.monotonic() - start
        details["seconds_to_witness"] = round(seconds_to_witness, 3)
        details["violation"] = violation.message
        solver = "cvc5" if "cvc5" in verdicts else "z3"
        path = None
        minimal = False
        if minimize_witness:
            violation, minimal, tightening = _tighten(concept_id, desideratum_id, shape, sub, violation,
                                                      bound, cap, timeout, workers)
            details["tightening"] = tightening
        details["minimal"] = minimal
        details["game"] = violation.game.describe()
        if write:
            path = _log_witness(out, concept_id, desideratum_id, violation, minimal, scope, seconds_to_witness,
                                solver)
        return CheckResult(concept_id, desideratum_id, COUNTEREXAMPLE, scope, "smt", time.monotonic() - start,
                           str(path) if path else None, [f"{solver} {solver_versions()[solver]}"],
                           violation.message, details)

    confirmed = confirm and all(v == "unsat" for v in verdicts.get("cvc5", []))
    versions = solver_versions()
    confirmed = confirmed and all(v == "unsat" for v in verdicts["z3"])
    solvers = [f"{name} {versions[name]}" for name in ("z3", "cvc5")
               if verdicts.get(name) and all(v == "unsat" for v in verdicts[name])]
    if confirmed:
        # UNSAT alone proves nothing about a vacuous or mistaken encoding.
        from .agreement import EncodingDefect, agreement_summary

        try:
            details["checks"] = agreement_summary(concept_id, desideratum_id, game, cap, timeout)
        except EncodingDefect as defect:
            details["encoding_defect"] = str(defect)
            return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "smt", time.monotonic() - start, None,
                               solvers, f"encoding defect, not a proof: {defect}", details)
        against = refuted_by_catalogue(concept_id, desideratum_id, scope, out)
        if against:
            details["encoding_defect"] = f"the catalogued witness {against} lies inside the scope"
            return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "smt", time.monotonic() - start, None,
                               solvers, f"proof refused: both solvers say UNSAT, but the catalogued witness "
                                        f"{against} lies inside this scope; the encoding and the exact checker "
                                        f"disagree (a defect to fix, not a result)", details)
    seconds = time.monotonic() - start
    record_path = None
    if write:
        record_path = _write_proof_record(out, concept_id, desideratum_id, scope, subs, texts, z3_answers,
                                          cvc5_answers, confirmed, seconds, vertex_split, game,
                                          refinements, details.get("checks"))
        details["proof_record"] = str(record_path)
    if confirmed and by_form(subs):
        return CheckResult(concept_id, desideratum_id, PROVED, scope, "smt", seconds, None, solvers,
                           f"holds by the form of the encoding (every case is a constant: {by_form_text(concept_id, shape)}); the "
                           f"encoding agrees with the exact implementation on "
                           f"{details['checks']['agreement_pinned_games']} pinned games", details)
    if confirmed:
        return CheckResult(concept_id, desideratum_id, PROVED, scope, "smt", seconds, None, solvers,
                           f"no violation for any game of shape {scope['shape']} with {game.domain.describe()}"
                           f": z3 and cvc5 UNSAT on all {len(subs)} sub-queries", details)
    message = _summary(verdicts["z3"], "z3") + "; " + (
        _summary(verdicts["cvc5"], "cvc5") if confirm else "not confirmed by cvc5 (confirmation off)")
    return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "smt", seconds, None, solvers, message, details)


def _by_definition_form(concept_id: str, desideratum_id: str, shape: tuple[int, ...], bound: Fraction,
                        scope: dict[str, Any], start: float) -> CheckResult | None:
    """The pair decided by the form of the concept's definition (`checkers.form`):
    proved on every game of the shape, no solver; None when the form does not
    decide it; an encoding defect when the exact implementation disagrees."""
    from .form import FormDefect, form_proof

    try:
        proof = form_proof(concept_id, desideratum_id, shape, bound)
    except FormDefect as defect:
        return CheckResult(concept_id, desideratum_id, UNKNOWN, scope, "smt", time.monotonic() - start,
                           message=f"encoding defect, not a proof: {defect}", details={"encoding_defect": str(defect)})
    if proof is None:
        return None
    scope = {**scope, "method": "form", "bound": "none (every real game)"}
    return CheckResult(concept_id, desideratum_id, PROVED, scope, "form", time.monotonic() - start, None, [],
                       proof.message, {"by_form": "definition", "pinned_checks": proof.pinned_checks})


BY_FORM = ("the violation's linear combination of atoms cancels identically, so no game is needed to decide it; "
           "it says that the concept's formula has this property, not that the implementation does")
BY_FORM_DEFINITION = ("the violation's linear combination of atoms cancels identically in the concept's one definition "
                      "(the concept algebra), so no game is needed to decide it; the exact values are read off the "
                      "same definition, so the property holds for the concept as implemented, on every game")


def by_form_text(concept_id: str, shape: Sequence[int]) -> str:
    """What a by-form result means for this concept on `shape`: a property of
    its one definition (and so of its exact values), or of a hand-written
    formula (a user's encoding, or a built-in one where the definition does
    not reach, e.g. three-player ROSE)."""
    from ..specs.concepts.registry import get_concept

    return BY_FORM_DEFINITION if get_concept(concept_id).symbolic_on(tuple(shape)) else BY_FORM


def by_form(subs: Sequence[SubQuery]) -> bool:
    """Whether every sub-query is decided by the form of the encoding alone (a
    case whose expression has no atoms left, e.g. ROSE's Pareto optimality:
    M/2 + (S_1 − S_2)/2 + M/2 + (S_2 − S_1)/2 − M = 0)."""
    return bool(subs) and all(not s.case.expression.coeffs and s.case.expression.const <= 0 for s in subs)


def refuted_by_catalogue(concept_id: str, desideratum_id: str, scope: dict[str, Any], out: Path,
                         kind: str = "tu") -> str | None:
    """The first catalogued witness (package catalogue, or the one under
    `out`) that lies inside the scope of a would-be proof, or None."""
    from .proofs import contradicting_witnesses, witness_folders

    folder = out / "proofs" if kind == "tu" else out / "proofs" / "bargaining"
    record = {"concept": concept_id, "desideratum": desideratum_id, "scope": scope,
              **({"kind": "bargaining"} if kind == "bargaining" else {})}
    against = contradicting_witnesses(record, witness_folders(folder, kind))
    return against[0].name if against else None


def _solver_seconds(answers: list[SolverAnswer]) -> float:
    """Solver time summed over the distinct queries (identical sub-queries share one answer)."""
    return round(sum(a.seconds for a in {id(a): a for a in answers}.values()), 3)


def _summary(verdicts: list[str], solver: str) -> str:
    counts: dict[str, int] = {}
    for v in verdicts:
        counts[v] = counts.get(v, 0) + 1
    return f"{solver}: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items()))


def _max_abs(game: Game) -> Fraction:
    return max((abs(v) for row in game.payoffs for v in row), default=Fraction(0))


def _tighten(concept_id, desideratum_id, shape, sub, violation, bound, cap, timeout, workers):
    """Shrink a verified violation: `checkers.minimize` first (exact, the
    project-wide notion of minimal: a fixpoint of the minimizer, SPEC §6 order);
    then SMT looks for an integer-payoff game of the same shape (integer caps)
    with a smaller bound b = 0, 1, …, m − 1 (m: the witness's max |payoff|), and
    a hit is minimized again. Returns (violation, minimal, log); `minimal` is
    the minimizer's verdict, and the log says whether every smaller bound was
    decided UNSAT (then no integer game of this shape with smaller max |payoff|
    violates)."""
    from .minimize import minimize

    concept, desideratum = get_concept(concept_id), get_desideratum(desideratum_id)
    shrunk = minimize(violation, concept, desideratum, seconds=30.0)
    log: list[dict[str, Any]] = []
    limit = _max_abs(shrunk.violation.game)
    if limit.denominator != 1 or tuple(shrunk.violation.game.shape) != tuple(shape):
        return shrunk.violation, shrunk.minimal, log
    for b in range(0, min(int(limit), int(bound) + 1)):
        game = SymbolicGame.unknown(shape, Domain("integer", Fraction(b)), name="t")
        try:
            subs = build_subqueries(concept_id, desideratum_id, game, cap, cap_integer=True)
        except ValueError as error:  # no integer-domain encoding (e.g. extra actions): the minimizer's word stands
            log.append({"bound": b, "skipped": str(error)})
            break
        t0 = time.monotonic()
        texts = [query_text(q.formula) for q in subs]
        answers, found = _run(subs, texts, "z3", timeout, workers, game, concept_id, desideratum_id, {})
        verdicts = [a.verdict for a in answers]
        log.append({"bound": b, "verdicts": _summary(verdicts, "z3"), "seconds": round(time.monotonic() - t0, 3),
                    "witness": found is not None})
        if found is not None:
            shrunk = minimize(found[1], concept, desideratum, seconds=30.0)
            break
    return shrunk.violation, shrunk.minimal, log


def _log_witness(out: Path, concept_id, desideratum_id, violation, minimal, scope, seconds, solver="z3") -> Path:
    from .catalogue import write_witness
    from .minimize import Minimized, canonical_key

    key = canonical_key(concept_id, desideratum_id, violation.game, violation.params)
    found_by = {"method": "smt", "solver": f"{solver} {solver_versions()[solver]}", "scope": scope,
                "seconds_to_witness": round(seconds, 3)}
    return write_witness(out, Minimized(violation, minimal, key, 0, 0.0), found_by)


def _answer_json(answer: SolverAnswer) -> dict[str, Any]:
    return {"verdict": answer.verdict, "seconds": round(answer.seconds, 3), **({"note": answer.note} if answer.note else {})}


class _QueryFiles:
    """Writes each distinct SMT-LIB2 text once (identical sub-queries share a
    file) and returns its path relative to the proofs folder."""

    def __init__(self, folder: Path, stem: str) -> None:
        self.folder, self.stem, self.written = folder, stem, {}

    def write(self, name: str, text: str) -> tuple[str, str]:
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest not in self.written:
            atomic_write_text(self.folder / f"{name}.smt2", text)
            self.written[digest] = f"{self.stem}/{name}.smt2"
        return self.written[digest], digest


def _refinement_json(tree: Refinement, files: _QueryFiles, base: str) -> dict[str, Any]:
    """The refinement tree with one SMT-LIB2 file per case (`base`.v<j>.smt2)."""
    cases = []
    for j, (child, text, answer, below) in enumerate(tree.children):
        name = f"{base}.v{j}"
        path, digest = files.write(name, text)
        entry = {"name": child.name, "file": path, "sha256": digest, **_answer_json(answer)}
        if below is not None:
            entry["refinement"] = _refinement_json(below, files, name)
        cases.append(entry)
    return {"split on": tree.label, "verdict": tree.verdict(), "cases": cases}


def _write_proof_record(out: Path, concept_id, desideratum_id, scope, subs, texts, z3_answers, cvc5_answers,
                        confirmed, seconds, vertex_split, game: SymbolicGame,
                        refinements: dict[str, dict[str, Refinement]] | None = None,
                        checks: dict[str, int] | None = None) -> Path:
    from .catalogue import file_safe

    stem = f"{file_safe(concept_id)}__{desideratum_id}__{scope['shape']}__b{scope['bound'].replace('/', '_')}"
    if scope.get("domain", "real") != "real":
        stem += "__" + scope["domain"].replace(":", "")
    if "cap" in scope:
        stem += f"__cap{scope['cap'].replace('/', '_')}"
    folder = out / "proofs" / stem
    folder.mkdir(parents=True, exist_ok=True)
    for stale in [*folder.glob("*.smt2"), *folder.glob("*.cert.json")]:  # the folder holds this record's files only
        stale.unlink()
    queries = []
    files = _QueryFiles(folder, stem)
    for k, (sub, text) in enumerate(zip(subs, texts)):
        path, digest = files.write(f"q{k:03d}", text)
        entry = {
            "name": sub.name,
            "file": path,
            "sha256": digest,
            "z3": _answer_json(z3_answers[k]),
        }
        if cvc5_answers:
            entry["cvc5"] = _answer_json(cvc5_answers[k])
        for solver in ("z3", "cvc5"):
            tree = (refinements or {}).get(solver, {}).get(text)
            if tree is not None and solver in entry:
                entry[solver]["refinement"] = _refinement_json(tree, files, f"q{k:03d}.{solver}")
        queries.append(entry)
    from .certificates import certify_files

    certified = certify_files(out / "proofs", queries) if confirmed else 0
    record = {
        "concept": concept_id,
        "desideratum": desideratum_id,
        "claim": f"no game of shape {scope['shape']} with {game.domain.describe()} violates {desideratum_id} for "
                 f"{concept_id}" + (f" (caps D_ij in [0, {scope['cap']}])" if "cap" in scope else "")
                 + (f" ({_claim_note(desideratum_id, game.domain.bound)})" if _claim_note(desideratum_id, game.domain.bound)
                    else ""),
        "scope": scope,
        "verdict": "proved" if confirmed else "z3-only" if all(a.verdict == "unsat" for a in z3_answers) else "open",
        "confirmed_by_both": confirmed,
        "solvers": solver_versions(),
        "cvc5_engine": "cvc5: first " + CVC5_RELAXATION_NOTE.replace("decided by ", "") + ", then the query "
                       "itself with cvc5_options, then each of cvc5_fallback_options while the answer is unknown",
        "cvc5_options": CVC5_OPTIONS,
        "cvc5_fallback_options": list(CVC5_FALLBACKS),
        "normalization": scope.get("normalization", "none: every payoff is an unknown in the bound"),
        "splits": [
            "per player and direction: the violation is the disjunction of these cases",
            "lemma split (rose: maximin, submax, threat): the case expression equals the sum of the lemma "
            "expressions exactly (checked on the rational coefficients), so the case implies some lemma",
            "choice split: every disjunction of the one-sided encodings (which profile / follower response "
            "attains) is enumerated completely",
            "cuts (encoders.cuts): RLT aggregations sum_k z_k d_k >= 0 of a constraint family d_k >= 0 with "
            "another witness's mixed strategy z >= 0 over the same action set (implied, as z >= 0), and the "
            "best-response split for an upper bound on S (some follower action is a best response to z: an "
            "exhaustive disjunction, enumerated); the set of solutions of every query is unchanged",
        ] + ([VERTEX_SPLIT] if vertex_split else []) + (
            ["vertex refinement (only where a solver left a sub-query open; see the query's 'refinement'): the "
             "query is split into query AND alternative over the vertex alternatives of one LP witness (support "
             "S, |S| tight constraints), and a case still open on the next witness; an optimal vertex of each "
             "witness's LP keeps every constraint (the bound moves to its better side, the cuts are implied for "
             "any feasible witness, the choice splits stay exhaustive), so the lemma's formula is equisatisfiable "
             "with its vertex-restricted form, which the cases and the sub-queries decided whole cover"]
            if any((refinements or {}).values()) else []),
        "z3_engine": Z3_ENGINE.format(ms=Z3_SMT_CORE_MS),
        "encoding": "encoders.algebra: the SMT reading of the concept's one definition (piecewise-linear forms over "
                    "LP atoms; a concept without one: its hand-written encoding, checked by agreement); encoders.concepts: one-sided existential encodings of the atoms (primal witness for "
                    "lower bounds, dual witness via the minimax theorem for upper bounds)",
        "seconds": round(seconds, 3),
        "fingerprint": fingerprint(concept_id, desideratum_id, "tu", scope["shape"]),
        **({"checks": checks} if checks else {}),
        **({"by_form": by_form_text(concept_id, game.shape)} if by_form(subs) else {}),
        "certified_subqueries": certified,
        "queries": queries,
    }
    path = out / "proofs" / f"{stem}.json"
    atomic_write_json(path, record)
    return path


# -- committed proof records --------------------------------------------------------------


def committed_proofs(out_dir: str | Path | None = None, subfolder: str | Path = "proofs"
                     ) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The proof records under `<out_dir>/<subfolder>/` (default: the
    package's counterexamples/proofs/, the TU records; the bargaining ones are
    in proofs/bargaining/) that say "proved", confirmed by both solvers, with
    every SMT-LIB2 file present and unchanged (its sha256 as recorded) and a
    fingerprint that matches today's sources and solvers (`checkers.proofs`),
    by (concept, desideratum); each record gains its "path". A damaged or
    stale record is not trusted and left out (`checkers.proofs.proof_records`
    lists them with the reason)."""
    folder = (Path(out_dir) if out_dir is not None else DEFAULT_OUT) / subfolder
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if not folder.is_dir():
        return found
    import json

    from .proofs import record_status

    for path in sorted(folder.glob("*.json")):
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError, RecursionError):
            continue
        if not isinstance(record, dict) or record.get("verdict") != "proved" or not record.get("confirmed_by_both"):
            continue
        if not record_status(record, folder).current:
            continue
        found.setdefault((record["concept"], record["desideratum"]), []).append({**record, "path": str(path)})
    return found
