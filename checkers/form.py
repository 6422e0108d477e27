"""Properties that follow from the form of a concept's one definition, with no
solver and no bound: a structural induction over the concept algebra
(`specs.concepts.algebra`), re-derived from today's definition every time it is
asked (nothing is recorded, so nothing can go stale).

Scale covariance (φ(λG) = λφ(G) for every λ > 0) holds for every game of a
shape when the definition's expressions on that shape are *positively
homogeneous*:

* every atom is: M, max_i, maximin_i, a payoff entry, the zero-sum value of a
  rational-linear combination of payoff arrays and the extractable surplus
  S_i are optima of linear functions of the payoffs over sets that do not
  depend on the payoffs' scale (simplices, pure profiles, best-response
  regions, which λ > 0 leaves unchanged), and a coalition game's payoffs are
  sums of its members' (`tests/test_form.py` checks each kind exactly);
* a rational-linear combination is when its terms are and its constant is 0;
* an argmax is when its keys and branches are (λ > 0 keeps every strict and
  weak comparison of homogeneous keys, so the same option wins, ties too);
* a case distinction is when its branches are and each comparison of its
  condition is between homogeneous quantities (its difference is one, with
  constant 0: its sign is scale-free).

A definition that fails the test is not shown to violate scale covariance (a
constant that cancels, say); it is only not proved by its form. Before a
form proof is reported, the exact implementation is checked against it on
pinned games and factors: a disagreement is an encoding defect, never a
proof.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction

from ..specs.concepts.algebra import Argmax, Atom, Case, Expr, Linear
from ..specs.concepts.registry import get_concept

__all__ = ["FormProof", "FORM_DESIDERATA", "homogeneity_obstacle", "form_proof"]

# Desiderata that a definition's form can decide, with what the form proves.
FORM_DESIDERATA = {"scale": "positively homogeneous of degree 1: φ(λG) = λφ(G) for every λ > 0"}
HOMOGENEOUS_ATOMS = ("M", "max", "maximin", "entry", "val", "S")
# The factors of the exact cross-check (a form proof covers every λ > 0).
PINNED_FACTORS = (Fraction(2), Fraction(1, 3), Fraction(7, 5))


@dataclass(frozen=True)
class FormProof:
    """A property of `concept` on games of `shape`, by the form of its definition."""

    concept: str
    desideratum: str
    shape: str
    statement: str
    pinned_games: int

    @property
    def message(self) -> str:
        return (f"holds by the form of the definition on every game of shape {self.shape} (no bound, no "
                f"solver): every expression is {self.statement}, by structural induction over the concept "
                f"algebra; the exact implementation agrees on {self.pinned_games} pinned games x "
                f"{len(PINNED_FACTORS)} factors")


def homogeneity_obstacle(expr: Expr) -> str | None:
    """None if `expr` is positively homogeneous by the rules of the module
    docstring, else the first sub-expression that is not (as text)."""
    return _obstacle(expr)


@functools.lru_cache(maxsize=4096)
def _obstacle(expr: Expr) -> str | None:
    if isinstance(expr, Atom):
        return None if expr.kind in HOMOGENEOUS_ATOMS else f"atom {expr.text()} (kind {expr.kind!r})"
    if isinstance(expr, Linear):
        if expr.const != 0:
            return f"the constant {expr.const} in {_short(expr)}"
        return next((o for o in (_obstacle(t) for t, _ in expr.terms) if o), None)
    if isinstance(expr, Argmax):
        return next((o for o in (_obstacle(e) for e in expr.keys + expr.branches) if o), None)
    if isinstance(expr, Case):
        for comparison in expr.condition.parts():
            found = _obstacle(comparison.difference)
            if found:
                return f"the condition {_short(comparison)}: {found}"
        return _obstacle(expr.then) or _obstacle(expr.otherwise)
    return f"an expression of kind {type(expr).__name__}"


def _short(node) -> str:
    text = node.text()
    return text if len(text) <= 120 else text[:117] + "..."


def form_obstacle(concept_id: str, desideratum_id: str, shape: tuple[int, ...]) -> str | None:
    """None if the form decides the pair on `shape`, else why not."""
    if desideratum_id not in FORM_DESIDERATA:
        return f"no form argument for {desideratum_id}"
    concept = get_concept(concept_id)
    if not concept.symbolic_on(shape):
        return "no symbolic form on this shape"
    for player, expr in enumerate(concept.definition.expressions(shape)):
        found = homogeneity_obstacle(expr)
        if found:
            return f"player {player + 1}'s value is not homogeneous by its form: {found}"
    return None


class FormDefect(Exception):
    """The form says the property holds, the exact implementation says it does not."""


def form_proof(concept_id: str, desideratum_id: str, shape: tuple[int, ...], bound: Fraction = Fraction(10)
               ) -> FormProof | None:
    """The form proof of the pair on `shape`, or None when the form does not
    decide it. Raises FormDefect when the exact implementation contradicts it
    on a pinned game (integer payoffs in [−bound, bound])."""
    if form_obstacle(concept_id, desideratum_id, shape) is not None:
        return None
    from ..specs.desiderata.registry import get_desideratum
    from ..specs.games import format_fraction
    from .agreement import pinned_games

    concept, desideratum = get_concept(concept_id), get_desideratum(desideratum_id)
    games = pinned_games(tuple(shape), bound)
    for game in games:
        for factor in PINNED_FACTORS:
            violation = desideratum.check(concept, game, {"factor": format_fraction(factor)})
            if violation is not None:
                raise FormDefect(f"{concept_id} x {desideratum_id}: the form of the definition says it holds, "
                                 f"but the exact implementation says: {violation.message}")
    return FormProof(concept_id, desideratum_id, "x".join(map(str, shape)), FORM_DESIDERATA[desideratum_id],
                     len(games))
