"""Desiderata as SMT violation queries over symbolic games.

A desideratum's violation on a symbolic game is a finite disjunction of
*cases*, each "E > 0" for an exact linear combination E of atoms
(`encoders.concepts`), possibly of a game and its transform (the destruction
game, with symbolic caps). A case becomes a query by encoding every atom on
the side its coefficient asks for (c > 0: lower bound, c < 0: upper bound),
which makes the query satisfiable iff the case's violation holds for some
game in the domain (see `encoders.concepts` for why this is exact).

Splits that make proofs tractable, each sound by an argument checked in code:

* lemma split: if E = Σ_g E_g exactly (checked on the coefficients), then
  E > 0 implies E_g > 0 for some g, so UNSAT of every "E_g > 0" proves
  UNSAT of "E > 0". The groups are the natural lemmas (e.g. for ROSE maximin
  dominance, S_1 ≥ maximin_1 and M − S_2 ≥ maximin_1).
* choice split: the lower-bound encodings of M, max_i and S contain a
  disjunction (which profile or which follower response attains); a query
  with disjunctions D_1 ∧ … ∧ D_m is equivalent to the disjunction of the
  conjunctive queries obtained by picking one alternative per D_j (the
  product is enumerated completely, so the split is exhaustive).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

from pysmt.fnode import FNode
from pysmt.shortcuts import GE, GT, LE, And, Equals, Symbol, Times
from pysmt.typing import REAL

from .concepts import (
    CONCEPT_ENCODINGS,
    Atom,
    LOWER,
    UPPER,
    Encoder,
    Linear,
    max_payoff,
    maximin,
    total_surplus,
)
from .algebra import Guard, Piecewise, symbolic_values
from .symbolic import SymbolicGame, linear_sum, real_const

__all__ = [
    "ViolationCase",
    "SubQuery",
    "violation_cases",
    "lemma_split",
    "subqueries",
    "DESIDERATUM_ENCODINGS",
]


@dataclass
class ViolationCase:
    """One disjunct of a violation: `expression` > 0. `games` are the symbolic
    games it speaks about (their domain constraints apply), `constraints` any
    further ones (e.g. 0 ≤ D_ij ≤ cap), `caps` the cap symbols (i, j) -> term."""

    name: str
    expression: Linear
    games: list[SymbolicGame]
    constraints: list[FNode] = field(default_factory=list)
    caps: dict[tuple[int, int], FNode] = field(default_factory=dict)
    player: int = 0
    # Conditions of the branch of a piecewise concept value the case is on
    # (`encoders.algebra`): each (L, strict) means L > 0 or L ≥ 0.
    guards: tuple[Guard, ...] = ()
    # The desideratum's parameters from a model: called with value(symbol) ->
    # Fraction (exact), for the exact re-verification of a SAT answer.
    params_of: Callable[[Callable[[FNode], Fraction]], dict] | None = None


@dataclass
class SubQuery:
    """A conjunctive query: SAT iff the case (with these choices) is violated."""

    name: str
    formula: FNode
    case: ViolationCase
    # (label, alternatives) of the LP witnesses' vertex splits, fewest
    # alternatives first: Q and every Q ∧ alternative are equisatisfiable
    # (`encoders.concepts.Encoder.vertex_choices`).
    refinements: list[tuple[str, list[FNode]]] = field(default_factory=list)


def _player_values(concept_id: str, g: SymbolicGame) -> tuple[Piecewise, ...]:
    """Each player's value on `g`: read off the concept's algebra definition
    (`encoders.algebra`), or from a hand-written encoding of a user concept."""
    from ..specs.concepts.registry import ConceptError, get_concept

    try:
        concept = get_concept(concept_id)
    except ConceptError:
        concept = None
    if concept is not None and concept.symbolic_on(g.shape):
        return symbolic_values(concept.definition, g)
    encoding = CONCEPT_ENCODINGS.get(concept_id) or _declared_encoding(concept_id)
    if encoding is None:
        if concept is not None and concept.definition is not None:
            raise ValueError(f"the definition of {concept_id!r} does not cover {'x'.join(map(str, g.shape))} games "
                             f"({g.n_players} players): no SMT encoding there")
        raise ValueError(f"concept {concept_id!r} has no definition in the concept algebra (a plain Python "
                         f"function gets search and exhaustive checks only)")
    return tuple(Piecewise.of(v) for v in encoding(g))


def _declared_encoding(concept_id: str):
    """A user concept's SMT encoding from its `concept` decorator metadata."""
    from ..specs.concepts.plugins import smt_encoding_metadata
    from ..specs.concepts.registry import ConceptError, get_concept

    try:
        return smt_encoding_metadata(get_concept(concept_id).function)
    except ConceptError:
        return None


def _pareto(concept_id: str, g: SymbolicGame, cap: Fraction) -> list[ViolationCase]:
    phi = _player_values(concept_id, g)
    excess = sum(phi, Linear()) - total_surplus(g)
    return [ViolationCase("values sum above M", excess, [g]),
            ViolationCase("values sum below M", -excess, [g])]


def _maximin(concept_id: str, g: SymbolicGame, cap: Fraction) -> list[ViolationCase]:
    phi = _player_values(concept_id, g)
    return [ViolationCase(f"player {i + 1} below maximin", maximin(g, i) - phi[i], [g], player=i)
            for i in range(g.n_players)]


def _submax(concept_id: str, g: SymbolicGame, cap: Fraction) -> list[ViolationCase]:
    phi = _player_values(concept_id, g)
    return [ViolationCase(f"player {i + 1} above max", phi[i] - max_payoff(g, i), [g], player=i)
            for i in range(g.n_players)]


def _threat(concept_id: str, g: SymbolicGame, cap: Fraction) -> list[ViolationCase]:
    """φ(destruction game with caps D_ij ∈ [0, cap]) ≠ φ(G), per player and direction."""
    n = g.n_players
    caps: dict[tuple[int, int], FNode] = {}
    constraints = []
    grid: list[list[FNode | None]] = [[None] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if i != j:
                d = Symbol(f"{g.name}_cap_{i}_{j}", REAL)
                caps[(i, j)] = grid[i][j] = d
                constraints += [LE(real_const(0), d), LE(d, real_const(cap))]
    h = g.destruction_game(grid)
    before, after = _player_values(concept_id, g), _player_values(concept_id, h)
    cases = []
    for i in range(n):
        gain = after[i] - before[i]
        cases.append(ViolationCase(f"player {i + 1} gains from buttons", gain, [g, h], constraints, caps, i))
        cases.append(ViolationCase(f"player {i + 1} loses from buttons", -gain, [g, h], constraints, caps, i))
    return cases


def _payoff_dominance(concept_id: str, g: SymbolicGame, cap: Fraction) -> list[ViolationCase]:
    """U_i(a) ≥ U_j(a) at every pure profile a, yet φ_j > φ_i: per ordered pair (i, j)."""
    phi = _player_values(concept_id, g)
    cases = []
    for i in range(g.n_players):
        for j in range(g.n_players):
            if i != j:
                dominance = [GE(g.payoff(i, a), g.payoff(j, a)) for a in g.profiles()]
                cases.append(ViolationCase(f"player {i + 1} dominates player {j + 1} yet gets less",
                                           phi[j] - phi[i], [g], dominance, player=i))
    return cases


def _symmetry(concept_id: str, g: SymbolicGame, cap: Fraction) -> list[ViolationCase]:
    """Two players with the same action count, U_2(b, a) = U_1(a, b) for all a, b
    (identical players, the identity matching of their actions), yet φ_1 ≠ φ_2.
    Other matchings are relabellings of player 2's actions, so this covers
    them for concepts that do not depend on action labels; the claim says
    "identity matching" all the same."""
    if g.n_players != 2 or g.shape[0] != g.shape[1]:
        raise ValueError("the SMT encoding of symmetry covers two players with equally many actions (k x k)")
    phi = _player_values(concept_id, g)
    k = g.shape[0]
    identical = [Equals(g.payoff(1, (b, a)), g.payoff(0, (a, b))) for a in range(k) for b in range(k)]
    flagged = dataclasses.replace(g, shared_actions=(0, 1))  # same game, same name: for the cuts
    return [ViolationCase("player 1 above player 2", phi[0] - phi[1], [flagged], identical, player=0),
            ViolationCase("player 2 above player 1", phi[1] - phi[0], [flagged], identical, player=1)]


def _monotonicity(concept_id: str, g: SymbolicGame, cap: Fraction) -> list[ViolationCase]:
    """Player i gets one extra action, appended after its own, with any
    payoffs in the domain (fresh unknowns), and φ_i drops: per player."""
    from ..specs.games import format_fraction

    phi = _player_values(concept_id, g)
    cases = []
    for i in range(g.n_players):
        h, rows, constraints = g.with_extra_action(i)

        def params_of(value, i=i, rows=rows):
            return {"player": i, "rows": [[[format_fraction(value(x)) for x in row] for row in rows]]}

        cases.append(ViolationCase(f"player {i + 1} loses from an extra action", phi[i] - _player_values(concept_id, h)[i],
                                   [g, h], constraints, player=i, params_of=params_of))
    return cases


DESIDERATUM_ENCODINGS: dict[str, Callable[[str, SymbolicGame, Fraction], list[ViolationCase]]] = {
    "pareto": _pareto,
    "maximin": _maximin,
    "submax": _submax,
    "threat": _threat,
    "payoff-dominance": _payoff_dominance,
    "symmetry": _symmetry,
    "monotonicity": _monotonicity,
}


def violation_cases(concept_id: str, desideratum_id: str, g: SymbolicGame,
                    cap: Fraction = Fraction(10)) -> list[ViolationCase]:
    """The disjuncts of "concept violates desideratum on g" (caps ≤ `cap` for threat)."""
    if desideratum_id not in DESIDERATUM_ENCODINGS:
        known = ", ".join(DESIDERATUM_ENCODINGS)
        raise ValueError(f"no SMT encoding for desideratum {desideratum_id!r}; encoded: {known}")
    cases = []
    for case in DESIDERATUM_ENCODINGS[desideratum_id](concept_id, g, Fraction(cap)):
        expression = Piecewise.of(case.expression)
        if expression.is_linear():
            cases.append(dataclasses.replace(case, expression=expression.branches[0][1]))
            continue
        for k, (guards, value) in enumerate(expression.branches):
            cases.append(dataclasses.replace(case, name=f"{case.name} / case {k + 1} of {len(expression.branches)}",
                                             expression=value, guards=guards))
    return cases


# -- lemma splits ------------------------------------------------------------------


def _pair_groups(expression: Linear) -> list[Linear]:
    """Groups for the ROSE-style lemma split: every concept atom (M or S of
    some game) with a negative-or-positive coefficient forms a group with its
    counterpart, and reference atoms (maximin, max) are shared out evenly.

    Concretely: the atoms of kinds "maximin"/"max" are the *reference* part R;
    the others are grouped by (kind, args) across games (so S_1 of G and S_1
    of the destruction game land together). With k groups, each group gets
    R/k. The caller checks Σ groups == expression."""
    reference = Linear({a: c for a, c in expression.coeffs.items() if a.kind in ("maximin", "max")},
                       expression.const)
    buckets: dict[tuple, Linear] = {}
    for atom, c in expression.coeffs.items():
        if atom.kind in ("maximin", "max"):
            continue
        key = (atom.kind, atom.args)
        buckets[key] = buckets.get(key, Linear()) + Linear({atom: c})
    groups = [g for g in buckets.values() if not g.is_zero()]
    if not groups:
        return [expression]
    share = reference * Fraction(1, len(groups))
    return [grp + share for grp in groups]


def _initiative_groups(expression: Linear) -> list[Linear]:
    """Groups for a ROSE bound E = ±(reference_i − ROSE_i), ROSE_i = M/2 +
    (S_i − S_j)/2: the leader lemma (S_i against the reference) and the
    follower lemma (M − S_j against it), each with half the reference.
    So for maximin dominance: S_i ≥ maximin_i and M − S_j ≥ maximin_i; for
    sub-max: S_i ≤ max_i and M − S_j ≤ max_i (seed 000, Propositions 11, 12).
    M is grouped with the S atom whose coefficient has the opposite sign."""
    reference = Linear({a: c for a, c in expression.coeffs.items() if a.kind in ("maximin", "max")},
                       expression.const)
    m_atoms = [a for a in expression.coeffs if a.kind == "M"]
    s_atoms = [a for a in expression.coeffs if a.kind == "S"]
    if len(m_atoms) != 1 or len(s_atoms) != 2:
        return [expression]
    m = m_atoms[0]
    partner = [a for a in s_atoms if (expression.coeffs[a] > 0) != (expression.coeffs[m] > 0)]
    if len(partner) != 1:
        return [expression]
    own = [a for a in s_atoms if a is not partner[0]][0]
    half = reference * Fraction(1, 2)
    follower = Linear({m: expression.coeffs[m], partner[0]: expression.coeffs[partner[0]]}) + half
    leader = Linear({own: expression.coeffs[own]}) + half
    return [leader, follower]


LEMMA_SPLITS: dict[tuple[str, str], Callable[[Linear], list[Linear]]] = {
    ("rose", "maximin"): _initiative_groups,
    ("rose", "submax"): _initiative_groups,
    ("rose", "threat"): _pair_groups,
}


def lemma_split(concept_id: str, desideratum_id: str, case: ViolationCase) -> list[ViolationCase]:
    """The case split into lemma cases (itself if no split is registered);
    raises if the groups do not add up to the case's expression exactly."""
    rule = LEMMA_SPLITS.get((concept_id, desideratum_id))
    if rule is None or case.expression.is_zero():
        return [case]
    groups = rule(case.expression)
    if sum(groups, Linear()) != case.expression:
        raise AssertionError(f"lemma split of {case.name} does not add up")
    if len(groups) == 1:
        return [case]
    return [dataclasses.replace(case, name=f"{case.name} / lemma {k + 1}: {grp!r} > 0", expression=grp)
            for k, grp in enumerate(groups)]


# -- queries -------------------------------------------------------------------------


def case_atoms(case: ViolationCase) -> list[tuple[Atom, str]]:
    """The (atom, side) encodings a case needs, in a canonical order: each
    atom of the violation and of the guards on the side its coefficient asks
    for (c > 0: LOWER, c < 0: UPPER), both sides if both are asked for."""
    needed = set()
    for lin in [case.expression] + [g for g, _ in case.guards]:
        needed |= {(atom, LOWER if c > 0 else UPPER) for atom, c in lin.coeffs.items()}
    return sorted(needed, key=lambda item: (item[0].label(), item[1]))


def encoded_linear(lin: Linear, encoded: dict) -> FNode:
    """Σ c·t + const with t the term of the atom's encoding on the side c asks for."""
    terms = [Times(real_const(c), encoded[(atom, LOWER if c > 0 else UPPER)].term)
             for atom, c in sorted(lin.coeffs.items(), key=lambda item: item[0].label())]
    return linear_sum(terms + [real_const(lin.const)])


def subqueries(case: ViolationCase, prefix: str = "w", vertex_split: bool = False,
               split_choices: bool = True, cuts: bool = False) -> list[SubQuery]:
    """The conjunctive queries whose disjunction is "case.expression > 0" (choice
    split over every disjunction in the encodings; see the module docstring).
    With `split_choices` False: one query keeping the disjunctions. With
    `cuts`: the implied constraints and best-response disjunctions of
    `encoders.cuts` are added (same solutions)."""
    encoder = Encoder(prefix, vertex_split)
    pieces = []
    constraints: list[FNode] = []
    for g in case.games:
        constraints += g.constraints
    constraints += case.constraints
    choices: list[list[FNode]] = []
    encoded = {}
    for atom, side in case_atoms(case):
        piece = encoded[(atom, side)] = encoder.encode(atom, side)
        pieces.append(piece)
        constraints += piece.constraints
        choices += piece.choices
    for lin, strict in case.guards:
        constraints.append((GT if strict else GE)(encoded_linear(lin, encoded), real_const(0)))
    constraints.append(GT(encoded_linear(case.expression, encoded), real_const(0)))
    if cuts:
        from .cuts import rlt_cuts

        extra, extra_choices = rlt_cuts(pieces, case.games, list(case.caps.values()))
        constraints += extra
        choices += extra_choices
    base = And(constraints)
    refinements = sorted((r for p in pieces for r in p.refinements), key=lambda r: len(r[1]))
    if not split_choices:
        from pysmt.shortcuts import Or

        return [SubQuery(case.name, And([base] + [Or(c) for c in choices]), case, refinements)]
    result = []
    for picks in itertools.product(*[range(len(c)) for c in choices]):
        formula = And([base] + [choices[k][p] for k, p in enumerate(picks)])
        suffix = "" if not picks else " / choice " + ",".join(str(p) for p in picks)
        result.append(SubQuery(case.name + suffix, formula, case, refinements))
    return result
