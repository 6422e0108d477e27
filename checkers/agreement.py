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

from pysmt.shortcuts import And, Equals, Or, Symbol, Times
from pysmt.typing import REAL

from ..encoders.concepts import LOWER, UPPER, Encoder
from ..encoders.desiderata import _player_values, violation_cases
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
        atoms = {a for v in values for a in v.coeffs}
        constraints, terms = _both_sides(Encoder(f"a{k}"), atoms)
        player_names = [f"value_{i}" for i in range(len(values))]
        for name, value in zip(player_names, values):
            parts = [Times(real_const(c), terms[a]) for a, c in value.coeffs.items()] + [real_const(value.const)]
            constraints.append(Equals(Symbol(name, REAL), linear_sum(parts)))
        formulas.append(And(constraints))
        names.append(player_names)
    for game, answer, player_names in zip(games, _solve(formulas, timeout), names):
        if answer.verdict != "sat":
            raise EncodingDefect(f"the encoding of {concept_id} has no model on the pinned game {game.describe()} "
                                 f"(z3: {answer.verdict}): it cannot stand for the concept")
        encoded = [answer.model.get(name, "?") for name in player_names]
        exact = [format_fraction(v) for v in evaluate(concept, game).values]
        if any(e.startswith("~") for e in encoded) or [format_fraction(Fraction(e)) for e in encoded] != exact:
            raise EncodingDefect(f"the encoding of {concept_id} gives ({', '.join(encoded)}) on the pinned game "
                                 f"{game.describe()}, the exact implementation ({', '.join(exact)})")
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
        for atom, c in sorted(case.expression.coeffs.items(), key=lambda item: item[0].label()):
            piece = encoder.encode(atom, LOWER if c > 0 else UPPER)
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
