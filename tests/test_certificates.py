"""Farkas certificates: found for the sub-queries the relaxation over monomials
refutes, checked in exact arithmetic by a reader that uses no solver, and
rejected when anything in them is off."""

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from bargaincheck.checkers import cli
from bargaincheck.checkers.certificates import (Uncertifiable, check_certificate, find_certificate, read_conjunction,
                                                relaxation_text)
from bargaincheck.checkers.smt import query_text, tu_query_texts

SCOPE = {"shape": "2x2", "bound": "10", "domain": "real"}


@pytest.fixture(scope="module")
def maximin_queries():
    return tu_query_texts("rose", "maximin", SCOPE)


def test_every_rose_maximin_2x2_subquery_has_a_checked_certificate(maximin_queries):
    for text in maximin_queries:
        certificate = find_certificate(text)
        assert certificate is not None and check_certificate(text, certificate)


def test_a_changed_multiplier_is_rejected(maximin_queries):
    text = maximin_queries[0]
    certificate = find_certificate(text)
    index, value = certificate["multipliers"][0]
    changed = {**certificate, "multipliers": [[index, str(Fraction(value) * 2)]] + certificate["multipliers"][1:]}
    assert not check_certificate(text, changed)
    dropped = {**certificate, "multipliers": certificate["multipliers"][1:]}
    assert not check_certificate(text, dropped)
    assert not check_certificate(text, {**certificate, "format": "other"})


def test_a_negative_multiplier_on_an_inequality_is_rejected():
    # x ≥ 1 and x ≤ 0; the combination −1·(x − 1) + ... is not a valid refutation
    text = "(declare-fun x () Real)(assert (and (>= x 1.0) (<= x 0.0)))(check-sat)"
    good = find_certificate(text)
    assert good is not None and check_certificate(text, good)
    assert not check_certificate(text, {"format": "farkas-1", "multipliers": [[0, "-1"], [1, "-1"]]})


def test_a_satisfiable_query_has_no_certificate():
    assert find_certificate("(declare-fun x () Real)(assert (and (>= x 0.0) (<= x 1.0)))(check-sat)") is None


def test_a_strict_refutation_is_found():
    # x > 0 and x ≤ 0: only the strict form refutes (the combination is 0 > 0)
    text = "(declare-fun x () Real)(assert (and (> x 0.0) (<= x 0.0)))(check-sat)"
    assert check_certificate(text, find_certificate(text))


def test_products_are_expanded_into_monomials():
    # x·(y + 1) − x·y − x = 0 identically, so "x·(y + 1) − x·y − x > 0" is refuted with no other constraint
    text = ("(declare-fun x () Real)(declare-fun y () Real)"
            "(assert (< 0.0 (- (* x (+ y 1.0)) (* x y) x)))(check-sat)")
    [(relation, polynomial)] = read_conjunction(text)
    assert relation == ">" and polynomial == {}
    assert check_certificate(text, find_certificate(text))


def test_disjunctions_are_outside_the_grammar():
    with pytest.raises(Uncertifiable):
        read_conjunction("(declare-fun x () Real)(assert (or (>= x 1.0) (<= x 0.0)))(check-sat)")
    assert find_certificate("(declare-fun x () Real)(assert (or (>= x 1.0) (<= x 0.0)))(check-sat)") is None


_coefficient = st.integers(-3, 3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["<=", "<", "="]), st.lists(_coefficient, min_size=4, max_size=4)),
                min_size=1, max_size=5))
def test_a_certificate_is_found_only_for_queries_z3_refutes(rows):
    """Random conjunctions a·x + b·y + c·x·y + d ⋈ 0: whenever a certificate
    is found and checks, z3 agrees that the query is UNSAT."""
    from pysmt.shortcuts import GE, GT, And, Equals, Plus, Real, Solver, Symbol, Times
    from pysmt.typing import REAL

    x, y = Symbol("x", REAL), Symbol("y", REAL)
    atoms = []
    for relation, (a, b, c, d) in rows:
        term = Plus(Times(Real(a), x), Times(Real(b), y), Times(Real(c), Times(x, y)), Real(d))
        atoms.append({"<=": GE, "<": GT}[relation](Real(0), term) if relation != "=" else Equals(term, Real(0)))
    text = query_text(And(atoms))
    certificate = find_certificate(text)
    if certificate is None:
        return
    assert check_certificate(text, certificate)
    with Solver(name="z3") as solver:
        solver.add_assertion(And(atoms))
        assert not solver.solve()


def test_proofs_verify_certificates_rejects_an_altered_certificate(tmp_path, capsys):
    from bargaincheck.checkers.smt import smt_check

    smt_check("rose", "maximin", "2x2", 10, 60, tmp_path)
    assert cli.main(["proofs", "verify", "--certificates", "--catalogue", str(tmp_path)]) == 0
    assert "8 certified" in capsys.readouterr().out
    certificate = next((tmp_path / "proofs" / "rose__maximin__2x2__b10").glob("*.cert.json"))
    data = json.loads(certificate.read_text())
    data["multipliers"][0][1] = str(Fraction(data["multipliers"][0][1]) + 1)
    certificate.write_text(json.dumps(data))
    assert cli.main(["proofs", "verify", "--certificates", "--catalogue", str(tmp_path)]) == 1
    assert "does not check" in capsys.readouterr().out


def test_the_relaxation_text_keeps_every_constraint_with_monomials_renamed():
    text = ("(declare-fun x () Real)(declare-fun y () Real)"
            "(assert (and (< 0.0 (- (* x (+ y 1.0)) (* 2.0 x y))) (= (* x x) (/ 1.0 3.0)) (>= y (- 2.5))))(check-sat)")
    original = read_conjunction(text)
    relaxed = read_conjunction(relaxation_text(text))
    renamed = {("x", "x"): ("|mono:x:x|",), ("x", "y"): ("|mono:x:y|",)}
    assert relaxed == [(r, {renamed.get(m, m): c for m, c in p.items()}) for r, p in original]
    assert all(len(m) <= 1 for _, p in relaxed for m in p)  # linear: every monomial of degree ≥ 2 is a fresh real


def test_cvc5_decides_a_relaxation_refuted_query_at_its_first_stage(maximin_queries):
    from bargaincheck.checkers.smt import CVC5_RELAXATION_NOTE, _cvc5_solve

    assert _cvc5_solve(maximin_queries[0], 60) == ("unsat", {}, CVC5_RELAXATION_NOTE)


def test_a_query_unsat_only_non_linearly_passes_the_relaxation_to_the_solver():
    """x·x < 0: the relaxation (a fresh real below 0) is satisfiable, which says
    nothing about the query; coverings then decide it."""
    from bargaincheck.checkers.smt import CVC5_RELAXATION_NOTE, _cvc5_relaxation, _cvc5_solve

    text = "(set-logic QF_NRA)(declare-fun x () Real)(assert (< (* x x) 0.0))(check-sat)"
    assert _cvc5_relaxation(text, 10) is None
    answer, _, note = _cvc5_solve(text, 30)
    assert answer == "unsat" and note != CVC5_RELAXATION_NOTE
    # and a satisfiable query is never called unsat by the relaxation stage
    assert _cvc5_solve("(set-logic QF_NRA)(declare-fun x () Real)(assert (> (* x x) 2.0))(check-sat)", 30)[0] == "sat"
