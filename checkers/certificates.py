"""Farkas certificates for proof sub-queries: a third check that trusts
neither z3 nor cvc5.

A sub-query is a conjunction of polynomial constraints p_k ⋈ 0 (⋈ one of
≥, >, =) over the payoffs and the witnesses' variables. A *certificate* is a
list of rational multipliers y_k — y_k ≥ 0 on the inequalities, any sign on
the equalities — such that Σ y_k p_k is, as a polynomial, identically a
constant C, with C < 0, or C = 0 and y_k > 0 on some strict inequality. At
any point satisfying the conjunction, Σ y_k p_k ≥ 0 (> 0 in the strict
case), so no point does: the sub-query is UNSAT. This is exactly what z3's
first stage, the linear relaxation over monomials, finds when it answers
UNSAT (each monomial is a column, and the multipliers are its dual ray).

`read_conjunction` reads the SMT-LIB2 text with a parser of its own (no
solver, no pysmt), `check_certificate` checks multipliers in exact rational
arithmetic, and `find_certificate` computes them: a float LP (HiGHS) finds the
support, an exact LP on that support (`specs.lp`, rationals) the multipliers.
A query outside the small grammar (or, not, ite, let, integer sorts) or not
refuted by the relaxation simply has no certificate.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

__all__ = ["Uncertifiable", "read_conjunction", "relaxation_text", "find_certificate", "check_certificate",
           "certify_files",
           "verify_certificates", "CERTIFICATE_FORMAT"]

CERTIFICATE_FORMAT = "farkas-1"
Monomial = tuple[str, ...]  # sorted variable names, with repetition; () is the constant
Polynomial = dict[Monomial, Fraction]

_TOKEN = re.compile(r"\(|\)|[^\s()]+")
_NUMERAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_RELATIONS = {"<=", "<", ">=", ">", "="}
_MAX_DEPTH = 10_000


class Uncertifiable(ValueError):
    """The query is outside the grammar this checker reads."""


def _parse(text: str) -> list:
    tokens = _TOKEN.findall(text)
    stack: list[list] = [[]]
    for token in tokens:
        if token == "(":
            if len(stack) > _MAX_DEPTH:
                raise Uncertifiable("nesting too deep")
            stack.append([])
        elif token == ")":
            if len(stack) == 1:
                raise Uncertifiable("unbalanced parentheses")
            done = stack.pop()
            stack[-1].append(done)
        else:
            stack[-1].append(token)
    if len(stack) != 1:
        raise Uncertifiable("unbalanced parentheses")
    return stack[0]


def _add(p: Polynomial, q: Polynomial, factor: Fraction = Fraction(1)) -> Polynomial:
    out = dict(p)
    for m, c in q.items():
        value = out.get(m, Fraction(0)) + factor * c
        if value:
            out[m] = value
        else:
            out.pop(m, None)
    return out


def _multiply(p: Polynomial, q: Polynomial) -> Polynomial:
    out: Polynomial = {}
    for m1, c1 in p.items():
        for m2, c2 in q.items():
            m = tuple(sorted(m1 + m2))
            value = out.get(m, Fraction(0)) + c1 * c2
            if value:
                out[m] = value
            else:
                out.pop(m, None)
    return out


def _term(node: Any, real: set[str]) -> Polynomial:
    if isinstance(node, str):
        if _NUMERAL.match(node):
            value = Fraction(node)
            return {(): value} if value else {}
        if node in real:
            return {(node,): Fraction(1)}
        raise Uncertifiable(f"unknown symbol {node!r}")
    if not node or not isinstance(node[0], str):
        raise Uncertifiable("malformed term")
    head, args = node[0], [_term(a, real) for a in node[1:]]
    if head == "+":
        out: Polynomial = {}
        for a in args:
            out = _add(out, a)
        return out
    if head == "-":
        if len(args) == 1:
            return {m: -c for m, c in args[0].items()}
        out = args[0]
        for a in args[1:]:
            out = _add(out, a, Fraction(-1))
        return out
    if head == "*":
        out = {(): Fraction(1)}
        for a in args:
            out = _multiply(out, a)
        return out
    if head == "/" and len(args) == 2 and set(args[1]) <= {()} and args[1]:
        return {m: c / args[1][()] for m, c in args[0].items()}
    raise Uncertifiable(f"operator {head!r} is outside the certificate grammar")


def _atoms(node: Any, real: set[str], out: list[tuple[str, Polynomial]]) -> None:
    if not isinstance(node, list) or not node or not isinstance(node[0], str):
        if node == "true":
            return
        raise Uncertifiable("the assertion is not a conjunction of comparisons")
    head = node[0]
    if head == "and":
        for child in node[1:]:
            _atoms(child, real, out)
        return
    if head not in _RELATIONS or len(node) < 3:
        raise Uncertifiable(f"{head!r} is outside the certificate grammar (a conjunction of comparisons)")
    terms = [_term(a, real) for a in node[1:]]
    for left, right in zip(terms, terms[1:]):
        if head in ("<=", "<"):
            out.append((">=" if head == "<=" else ">", _add(right, left, Fraction(-1))))
        elif head in (">=", ">"):
            out.append((head, _add(left, right, Fraction(-1))))
        else:
            out.append(("=", _add(left, right, Fraction(-1))))


def read_conjunction(text: str) -> list[tuple[str, Polynomial]]:
    """The query's constraints, in order, each (relation, p) meaning p ≥ 0,
    p > 0 or p = 0, p expanded exactly into monomials. Raises Uncertifiable."""
    real: set[str] = set()
    constraints: list[tuple[str, Polynomial]] = []
    for command in _parse(text):
        if not isinstance(command, list) or not command:
            raise Uncertifiable("malformed command")
        name = command[0]
        if name in ("set-logic", "set-info", "set-option", "check-sat", "exit", "get-model"):
            continue
        if name == "declare-fun" and len(command) == 4 and command[2] == [] and command[3] == "Real":
            real.add(command[1])
        elif name == "declare-const" and len(command) == 3 and command[2] == "Real":
            real.add(command[1])
        elif name == "assert" and len(command) == 2:
            _atoms(command[1], real, constraints)
        else:
            raise Uncertifiable(f"command {name!r} is outside the certificate grammar")
    return constraints


def relaxation_text(text: str) -> str:
    """The query's linear relaxation over monomials as an SMT-LIB2 QF_LRA
    text, read with this module's own parser (`read_conjunction`): every
    monomial of degree ≥ 2 becomes a fresh real, every constraint stays. Each
    real model of the query gives one of the relaxation, so its UNSAT is the
    query's UNSAT (it is what a certificate refutes). Raises Uncertifiable
    outside the grammar."""
    constraints = read_conjunction(text)
    names: dict[Monomial, str] = {}
    for _, polynomial in constraints:
        for monomial in polynomial:
            if len(monomial) == 1:
                names[monomial] = monomial[0]
    taken = set(names.values())
    for _, polynomial in constraints:
        for monomial in polynomial:
            if len(monomial) > 1 and monomial not in names:
                name = "|mono:" + ":".join(v.strip("|") for v in monomial) + "|"
                while name in taken:  # a declared variable of that name: the fresh real differs
                    name = name[:-1] + "'|"
                names[monomial] = name
                taken.add(name)
    lines = ["(set-logic QF_LRA)"] + [f"(declare-fun {name} () Real)" for name in sorted(set(names.values()))]
    for relation, polynomial in constraints:
        terms = [f"(* {_numeral(c)} {names[m]})" if m else _numeral(c) for m, c in sorted(polynomial.items())]
        left = "0.0" if not terms else terms[0] if len(terms) == 1 else f"(+ {' '.join(terms)})"
        lines.append(f"(assert ({relation} {left} 0.0))")
    return "\n".join(lines + ["(check-sat)", ""])


def _numeral(value: Fraction) -> str:
    magnitude = f"(/ {abs(value.numerator)}.0 {value.denominator}.0)" if value.denominator != 1 else f"{abs(value.numerator)}.0"
    return f"(- {magnitude})" if value < 0 else magnitude


def check_certificate(text: str, certificate: dict[str, Any]) -> bool:
    """Whether `certificate` refutes the query `text`, checked exactly:
    multipliers of the right signs whose combination of the constraints is a
    constant C < 0, or C = 0 with a positive multiplier on a strict one."""
    try:
        constraints = read_conjunction(text)
        if certificate.get("format") != CERTIFICATE_FORMAT:
            return False
        combination: Polynomial = {}
        strict = False
        for index, text_value in certificate["multipliers"]:
            relation, polynomial = constraints[int(index)]
            y = Fraction(text_value)
            if relation != "=" and y < 0:
                return False
            strict = strict or (relation == ">" and y > 0)
            combination = _add(combination, polynomial, y)
    except (Uncertifiable, KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
        return False
    if any(m for m in combination):
        return False
    constant = combination.get((), Fraction(0))
    return constant < 0 or (constant == 0 and strict)


def find_certificate(text: str) -> dict[str, Any] | None:
    """Multipliers refuting the query (see the module docstring), checked, or
    None when the relaxation over monomials does not refute it."""
    try:
        constraints = read_conjunction(text)
    except Uncertifiable:
        return None
    for strict in (False, True):
        support = _float_support(constraints, strict)
        if support is None:
            continue
        multipliers = _exact_multipliers(constraints, support, strict)
        if multipliers is not None:
            certificate = {"format": CERTIFICATE_FORMAT,
                           "multipliers": [[k, str(y)] for k, y in multipliers if y != 0]}
            if check_certificate(text, certificate):
                return certificate
    return None


def _rows(constraints: list[tuple[str, Polynomial]], columns: list[int]):
    monomials = sorted({m for k in columns for m in constraints[k][1]})
    return monomials, [[constraints[k][1].get(m, Fraction(0)) for k in columns] for m in monomials]


def _float_support(constraints, strict: bool) -> list[int] | None:
    """The constraints a float LP (HiGHS) gives positive multipliers, or None."""
    import numpy as np
    from scipy.optimize import linprog

    columns = list(range(len(constraints)))
    monomials, rows = _rows(constraints, columns)
    a_eq = np.array([[float(v) for v in row] for row in rows]) if rows else np.zeros((0, len(columns)))
    b_eq = np.array([(-1.0 if not strict else 0.0) if m == () else 0.0 for m in monomials])
    if () not in monomials and not strict:
        return None  # no constant anywhere: only the strict form can refute
    bounds = [(None, None) if rel == "=" else (0, None) for rel, _ in constraints]
    a_ub = b_ub = None
    if strict:
        strict_row = np.array([-1.0 if rel == ">" else 0.0 for rel, _ in constraints])
        if not strict_row.any():
            return None
        a_ub, b_ub = strict_row[None, :], np.array([-1.0])  # Σ_strict y ≥ 1
    result = linprog(np.ones(len(columns)), A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds,
                     method="highs")
    if result.status != 0:
        return None
    return [k for k, y in enumerate(result.x) if abs(y) > 1e-9]


def _exact_multipliers(constraints, support: list[int], strict: bool) -> list[tuple[int, Fraction]] | None:
    """Exact multipliers on the support (rational simplex), or None."""
    from ..specs.lp import InfeasibleLP, UnboundedLP, solve_lp

    # Columns: y_k ≥ 0 for inequalities; y_k = y⁺ − y⁻ for equalities.
    columns: list[tuple[int, int]] = []
    for k in support:
        columns.append((k, 1))
        if constraints[k][0] == "=":
            columns.append((k, -1))
    monomials = sorted({m for k in support for m in constraints[k][1]} | {()})
    a_eq = [[sign * constraints[k][1].get(m, Fraction(0)) for k, sign in columns] for m in monomials]
    b_eq = [Fraction(-1) if (m == () and not strict) else Fraction(0) for m in monomials]
    a_ub, b_ub = [], []
    if strict:
        a_ub.append([Fraction(-1) if constraints[k][0] == ">" and sign > 0 else Fraction(0) for k, sign in columns])
        b_ub.append(Fraction(-1))
    try:
        solution = solve_lp([Fraction(0)] * len(columns), a_ub, b_ub, a_eq, b_eq)
    except (InfeasibleLP, UnboundedLP):
        return None
    totals: dict[int, Fraction] = {}
    for (k, sign), value in zip(columns, solution.x):
        totals[k] = totals.get(k, Fraction(0)) + sign * value
    return sorted(totals.items())


def certify_files(folder: Path, entries: list[dict[str, Any]]) -> int:
    """Find a certificate for each query of `entries` (proof-record entries
    with "file" relative to `folder`), write it beside the query as
    `<query>.cert.json` and name it in the entry ("certificate": file and
    sha256); identical queries share one. The number of entries certified."""
    import hashlib
    import json

    from ..specs.fileio import atomic_write_text

    done: dict[str, dict[str, str] | None] = {}
    for entry in entries:
        query = entry["file"]
        if query not in done:
            certificate = find_certificate((folder / query).read_text())
            if certificate is None:
                done[query] = None
            else:
                name = query[: -len(".smt2")] + ".cert.json"
                text = json.dumps(certificate, indent=1) + "\n"
                atomic_write_text(folder / name, text)
                done[query] = {"file": name, "sha256": hashlib.sha256(text.encode()).hexdigest()}
        if done[query] is not None:
            entry["certificate"] = done[query]
    return sum("certificate" in e for e in entries)


def verify_certificates(folder: Path, entries: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """Re-check every certificate the entries name against its query, exactly;
    (number checked, the queries whose certificate fails)."""
    import hashlib
    import json

    checked, failed = 0, []
    for entry in entries:
        named = entry.get("certificate")
        if not named:
            continue
        try:
            text = (folder / named["file"]).read_text()
            ok = (hashlib.sha256(text.encode()).hexdigest() == named["sha256"]
                  and check_certificate((folder / entry["file"]).read_text(), json.loads(text)))
        except (OSError, ValueError, KeyError, TypeError):
            ok = False
        checked += ok
        if not ok:
            failed.append(entry.get("file", "?"))
    return checked, failed
