"""The linear relaxation over monomials (checkers.smt._monomial_relaxation), the
first stage of z3 in every proof: UNSAT of the relaxation must imply UNSAT of
the formula (a sound stage), and it must expand products of sums (the point of
the stage: z3's SMT core treats (x + 1)·y as an atom of its own)."""

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from bargaincheck.checkers.smt import RELAXATION_NOTE, _monomial_relaxation, _z3_solve


def _parse(text):
    return z3.parse_smt2_string(text)


DECLS = "(declare-fun x () Real)(declare-fun y () Real)(declare-fun z () Real)"


def test_relaxation_expands_products_of_sums():
    """(x + 1)(y + 1) = xy + x + y + 1: the two facts below contradict each other
    linearly once both sides are sums of monomials."""
    text = DECLS + "(assert (and (> (* (+ x 1.0) (+ y 1.0)) 0.0) (<= (+ (* x y) x y 1.0) 0.0)))"
    assert _monomial_relaxation(_parse(text)) == z3.unsat
    assert _z3_solve(text)[::2] == ("unsat", RELAXATION_NOTE)


def test_relaxation_expands_products_of_sums_of_many_terms():
    """(1 - a - b - c - d)(e + f + g + h + i - j) expands to 30 monomials, more
    than z3's default `som_blowup` allows; unexpanded, the product is no
    monomial and the relaxation declines the query (the ROSE threat 2x3
    queries are such: with the default 39 of their 69 distinct files escape the
    relaxation, and z3 spent 27 minutes on them)."""
    names = "abcdefghij"
    decls = "".join(f"(declare-fun {v} () Real)" for v in names)
    product = "(* (- 1.0 a b c d) (+ e f g h i (- j)))"
    expanded = ["1.0*e", "1.0*f", "1.0*g", "1.0*h", "1.0*i", "-1.0*j"]
    terms = [f"(* {c.split('*')[0]} {c.split('*')[1]})" for c in expanded]
    terms += [f"(* -1.0 {u} {t.split('*')[1]})" if not t.startswith("-") else f"(* 1.0 {u} j)"
              for u in "abcd" for t in expanded]
    text = decls + f"(assert (and (> {product} 0.0) (<= (+ {' '.join(terms)}) 0.0)))"
    assert _monomial_relaxation(_parse(text)) == z3.unsat
    assert _monomial_relaxation(_parse(text), som_blowup=10) is None


def test_relaxation_is_weaker_than_the_formula():
    """x² < 0 is UNSAT over the reals but its relaxation (x² a fresh real) is SAT:
    the stage answers nothing and z3's non-linear stages decide it."""
    text = DECLS + "(assert (< (* x x) 0.0))"
    assert _monomial_relaxation(_parse(text)) == z3.sat
    verdict, _, note = _z3_solve(text)
    assert verdict == "unsat" and note != RELAXATION_NOTE


def test_relaxation_declines_disjunctions():
    text = DECLS + "(assert (or (< x 0.0) (> y 0.0)))"
    assert _monomial_relaxation(_parse(text)) is None


terms = st.sampled_from(["x", "y", "z", "(* x y)", "(* x z)", "(* y z)", "(* x x)", "(+ x 1.0)", "(- y z)",
                         "(* (+ x 1.0) (- y 2.0))", "(* (- x y) (+ z 1.0))", "2.0", "(- 1.0)"])
atoms = st.tuples(st.sampled_from(["<", "<=", ">", ">=", "="]), terms, terms)


@settings(max_examples=60, deadline=None)
@given(st.lists(atoms, min_size=1, max_size=5))
def test_relaxation_unsat_implies_unsat(conjuncts):
    """On random small polynomial conjunctions: whenever the relaxation is UNSAT,
    z3's complete non-linear procedure (nlsat) says UNSAT too."""
    body = " ".join(f"({op} {a} {b})" for op, a, b in conjuncts)
    text = DECLS + (f"(assert (and {body}))" if len(conjuncts) > 1 else f"(assert {body})")
    formula = _parse(text)
    relaxed = _monomial_relaxation(formula)
    assert relaxed is not None
    if relaxed == z3.unsat:
        solver = z3.SolverFor("QF_NRA")
        solver.add(formula)
        assert solver.check() == z3.unsat
