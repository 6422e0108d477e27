"""Vacuity and agreement: two checks a TU proof must pass before it is
recorded, because UNSAT alone says nothing when the encoding is wrong.

* **Vacuity.** Every violation case is asked again *without* the violation
  (the game's domain, the desideratum's constraints and the one-sided atom
  encodings the proof uses, but not "E > 0"); each must be SAT. An empty
  payoff box, contradictory caps or an encoding that is unsatisfiable on its
  own would make every query UNSAT and "prove" anything.
* **Agreement.** On pinned games of the proof's shape (seeded integer games
  in the bound, plus the all-zero game), every payoff fixed, each atom encoded
  from both sides with its two terms equated (so each term *is* the atom's
  value: lower ≤ atom ≤ upper) and the encoded player values solved for; they
  must equal the values the exact implementation gives on the same game. A
  concept whose implementation changed while its encoding did not (or the
  reverse) fails here.

A failure is an encoding defect (`EncodingDefect`), never a proof.
"""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from pysmt.shortcuts import GE, GT, And, Equals, Or, Symbol, Times
from pysmt.typing import REAL

from ..encoders.concepts import LOWER, UPPER, Encoder
from ..encoders.desiderata import _player_values, case_atoms, violation_cases
from ..encoders.symbolic import SymbolicGame, linear_sum, real_const
from ..specs.concepts.registry import evaluate, get_concept
from ..specs.games import Game, format_fraction

__all__ = ["EncodingDefect", "check_vacuity", "check_agreement", "pinned_games"]


class EncodingDefect(Exception):
    """The encoding is vacuous or disagrees with the exact implementation."""


def pinned_games(shape: tuple[int, ...], bound: Fraction, count: int = 8, seed: int = 0) -> list[Game]:
    """The all-zero game and `count` seeded games with integer payoffs in
    [−bound, bound] (at most [−10, 10]): the same games on every run."""
    rng = random.Random(seed)
    top = int(min(bound, 10))
    profiles = 1
    for k in shape:
        profiles *= k
    flats = [[[0] * profiles for _ in shape]]
    flats += [[[rng.randint(-top, top) for _ in range(profiles)] for _ in shape] for _ in range(count)]
    actions = [[str(a + 1) for a in range(k)] for k in shape]
    return [Game(actions, tuple(tuple(Fraction(v) for v in row) for row in flat)) for flat in flats]


def _both_sides(encoder: Encoder, atoms) -> tuple[list, dict]:
    """Constraints fixing every atom's term to the atom's value: its lower and
    upper encodings, their choices as disjunctions, and the two terms equal."""
    constraints, terms = [], {}
    for atom in sorted(atoms, key=lambda a: a.label()):
        low, high = encoder.encode(atom, LOWER), encoder.encode(atom, UPPER)
        for piece in (low, high):
            constraints += piece.constraints
            constraints += [Or(alternatives) for alternatives in piece.choices]
        constraints.append(Equals(low.term, high.term))
        terms[atom] = low.term
    return constraints, terms


def _solve(formulas: list, timeout: float) -> list:
    from .smt import query_text, solve_texts

    return solve_texts([(query_text(f), "z3") for f in formulas], timeout)


def check_agreement(concept_id: str, shape: tuple[int, ...], bound: Fraction, timeout: float = 60.0) -> int:
    """Agreement of the concept's encoding with its exact implementation on
    the pinned games (see the module docstring); the number of games checked.
    Raises EncodingDefect."""
    concept = get_concept(concept_id)
    games = pinned_games(shape, bound)
    formulas, names = [], []
    for k, game in enumerate(games):
        symbolic = SymbolicGame.pinned(game, name=f"pin{k}")
        values = _player_values(concept_id, symbolic)
        atoms = {a for v in values for guards, lin in v.branches for part in [lin, *(g for g, _ in guards)]
                 for a in part.coeffs}
        constraints, terms = _both_sides(Encoder(f"a{k}"), atoms)
        player_names = [f"value_{i}" for i in range(len(values))]

        def term(lin, terms=terms):
            return linear_sum([Times(real_const(c), terms[a]) for a, c in lin.coeffs.items()] + [real_const(lin.const)])

        for name, value in zip(player_names, values):
            # the branches partition the games: on this one game exactly one holds
            constraints.append(Or([And([(GT if strict else GE)(term(g), real_const(0)) for g, strict in guards]
                                       + [Equals(Symbol(name, REAL), term(lin))])
                                   for guards, lin in value.branches]))
        formulas.append(And(constraints))
        names.append(player_names)
    for game, answer, player_names in zip(games, _solve(formulas, timeout), names):
        if answer.verdict != "sat":
            raise EncodingDefect(f"the encoding of {concept_id} has no model on the pinned game {game.describe()} "
                                 f"(z3: {answer.verdict}): it cannot stand for the concept")
        encoded = [answer.model.get(name, "?") for name in player_names]
        valuation = evaluate(concept, game)
        exact = [format_fraction(v) for v in valuation.values]
        # A value known within a proven error bound (n-player ROSE's branch and
        # bound) is matched within that bound; a rational one exactly.
        if any(e.startswith("~") or e == "?" for e in encoded) or any(
                abs(Fraction(e) - v) > valuation.error_bound for e, v in zip(encoded, valuation.values)):
            within = "" if valuation.error_bound == 0 else f" (each within {format_fraction(valuation.error_bound)})"
            raise EncodingDefect(f"the encoding of {concept_id} gives ({', '.join(encoded)}) on the pinned game "
                                 f"{game.describe()}, the exact implementation ({', '.join(exact)}){within}")
    return len(games)


def check_vacuity(concept_id: str, desideratum_id: str, game: SymbolicGame, cap: Fraction,
                  timeout: float = 60.0) -> int:
    """Every violation case without its violation is SAT (see the module
    docstring); the number of cases. Raises EncodingDefect."""
    cases = violation_cases(concept_id, desideratum_id, game, cap)
    formulas = []
    for k, case in enumerate(cases):
        encoder = Encoder(f"v{k}")
        constraints = [c for g in case.games for c in g.constraints] + list(case.constraints)
        for atom, side in case_atoms(case):  # the guards' atoms too, not the guards themselves
            piece = encoder.encode(atom, side)
            constraints += piece.constraints + [Or(alternatives) for alternatives in piece.choices]
        formulas.append(And(constraints))
    for case, answer in zip(cases, _solve(formulas, timeout)):
        if answer.verdict != "sat":
            raise EncodingDefect(f"{case.name}: the query without the violation is {answer.verdict}, not SAT: "
                                 f"the domain or the encoding is empty, so UNSAT would prove nothing")
    return len(cases)


def agreement_summary(concept_id: str, desideratum_id: str, game: SymbolicGame, cap: Fraction,
                      timeout: float = 60.0) -> dict[str, Any]:
    """Both checks, for the proof record: {"vacuity": cases SAT without the
    violation, "agreement": pinned games with equal values}."""
    bound = game.domain.bound
    return {"vacuity_cases_sat": check_vacuity(concept_id, desideratum_id, game, cap, timeout),
            "agreement_pinned_games": check_agreement(concept_id, game.shape, Fraction(bound), timeout)}


# -- bargaining ------------------------------------------------------------------------------


def pinned_problems(points: int, bound: Fraction, count: int = 8, seed: int = 0) -> list:
    """`count` seeded non-degenerate free-disposal problems with exactly
    `points` distinct integer payoff points and d in [−bound, bound]² (at most
    [−10, 10]): the same problems on every run."""
    from ..specs.bargaining.problem import BargainingProblem

    rng = random.Random(seed)
    top = int(min(bound, 10))
    problems = []
    while len(problems) < count:
        chosen: set[tuple[int, int]] = set()
        while len(chosen) < points:
            chosen.add((rng.randint(-top, top), rng.randint(-top, top)))
        d = (0, 0) if len(problems) % 2 == 0 else (rng.randint(-top, top), rng.randint(-top, top))
        problem = BargainingProblem(tuple(sorted(chosen)), d, True)
        if not problem.is_degenerate():
            problems.append(problem)
    return problems


def check_bargaining_agreement(concept_id: str, points: int, bound: Fraction, timeout: float = 60.0) -> int:
    """Agreement of a bargaining solution's encoding with its exact
    implementation on pinned problems: each exact solution point satisfies
    the encoding (SAT with x fixed to it) and no other point does (UNSAT with
    x different from every exact one), so the encoded solution set is the
    exact one. The number of problems checked. Raises EncodingDefect."""
    from pysmt.shortcuts import Not

    from ..encoders.bargaining import SymbolicProblem, branch_formula, solution_alternatives
    from ..specs.bargaining.solutions import solution_set

    problems = pinned_problems(points, bound)
    formulas, expectations = [], []
    for k, problem in enumerate(problems):
        pinned = SymbolicProblem.pinned(problem, name=f"pin{k}")
        x = (Symbol(f"agree{k}_xa", REAL), Symbol(f"agree{k}_xb", REAL))
        encoded = Or([branch_formula(br, pinned) for br in solution_alternatives(concept_id, pinned, x, f"agree{k}")])
        exact = solution_set(concept_id, problem)
        for point in exact:
            formulas.append(And(encoded, Equals(x[0], real_const(point[0])), Equals(x[1], real_const(point[1]))))
            expectations.append((problem, "sat", f"the exact solution point ({format_fraction(point[0])}, "
                                                 f"{format_fraction(point[1])}) is not a model of the encoding"))
        others = [Not(And(Equals(x[0], real_const(p[0])), Equals(x[1], real_const(p[1])))) for p in exact]
        formulas.append(And([encoded, *others]))
        expectations.append((problem, "unsat", "the encoding admits a point the exact implementation does not "
                                               "give"))
    for (problem, wanted, failure), answer in zip(expectations, _solve(formulas, timeout)):
        if answer.verdict != wanted:
            raise EncodingDefect(f"{concept_id} on the pinned problem {problem.describe()}: {failure} "
                                 f"(z3: {answer.verdict}, expected {wanted})")
    return len(problems)


def check_bargaining_vacuity(formulas: list, names: list[str], timeout: float = 60.0) -> int:
    """Each query with its violation left out (`formulas`: the problem's
    domain and the solution's encoding) is SAT; the number checked. Raises
    EncodingDefect."""
    for name, answer in zip(names, _solve(formulas, timeout)):
        if answer.verdict != "sat":
            raise EncodingDefect(f"{name}: the query without the violation is {answer.verdict}, not SAT: the "
                                 f"domain or the encoding is empty, so UNSAT would prove nothing")
    return len(formulas)


def bargaining_checks(concept_id: str, points: int, bound: Fraction, timeout: float = 60.0) -> dict[str, Any]:
    """Both checks for a bargaining proof record. Vacuity: on the scope's
    problem (every coordinate an unknown in the bound) the solution's
    encoding, without any violation, is SAT (an empty domain or encoding
    would make every query UNSAT). Agreement: `check_bargaining_agreement`.
    Raises EncodingDefect."""
    from ..encoders.bargaining import SymbolicProblem, branch_formula, solution_alternatives

    problem = SymbolicProblem.unknown(points, bound)
    x = (Symbol("vac_xa", REAL), Symbol("vac_xb", REAL))
    encoded = Or([branch_formula(br, problem) for br in solution_alternatives(concept_id, problem, x, "vac")])
    return {"vacuity_solution_sat": check_bargaining_vacuity([encoded], [f"{concept_id} on {points} points"],
                                                             timeout),
            "agreement_pinned_problems": check_bargaining_agreement(concept_id, points, bound, timeout)}
