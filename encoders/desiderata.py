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
import functools
import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

from pysmt.fnode import FNode
from pysmt.shortcuts import GE, GT, LE, And, Equals, Int, Symbol, Times, get_env
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
from .algebra import EncodingTooLarge as TooManySubqueries
from .algebra import Guard, Piecewise, symbolic_values
from .symbolic import SymbolicGame, linear_sum, real_const

__all__ = [
    "ViolationCase",
    "SubQuery",
    "violation_cases",
    "lemma_split",
    "subqueries",
    "DESIDERATUM_ENCODINGS",
    "TooManySubqueries",
    "MAX_SUBQUERIES",
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
    # A mapped transformation's numeric parameters: name -> (symbol, domain
    # spec, its "param" atom) (`specs.desiderata.base.TransformInvariance.parameter_domain`).
    parameters: dict = field(default_factory=dict)
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


def _mapped(desideratum_id: str) -> Callable[[str, SymbolicGame, Fraction], list[ViolationCase]]:
    """The encoding of a desideratum stated by a payoff map and a relation
    (`specs.desiderata.base.TransformInvariance`): for each structure, the
    transformed game is the map read on the symbolic game with symbolic
    parameters in the proof's scope, and the violation is φ_i(G') ≠
    relation(φ(G), parameters)_i, per player and direction. Nothing about the
    desideratum is restated here."""

    def build(concept_id: str, g: SymbolicGame, cap: Fraction) -> list[ViolationCase]:
        from ..specs.desiderata.registry import get_desideratum

        desideratum = get_desideratum(desideratum_id)
        before = _player_values(concept_id, g)
        cases = []
        for s, structure in enumerate(desideratum.structures(g.shape)):
            domain = desideratum.parameter_domain(g.shape, structure, g.domain.bound)
            symbols, constraints = _parameters(domain, f"{g.name}_t{s}")
            h = g.mapped(desideratum.payoff_map(g.shape, structure), symbols, f"{g.name}_t{s}")
            atoms = {name: Atom("param", h.name, (name,), h, (symbol,)) for name, symbol in symbols.items()}
            parameters = {name: (symbols[name], spec, atoms[name]) for name, spec in domain.items()}
            params = {name: Linear.of(atom) for name, atom in atoms.items()}
            expected = desideratum.relation(list(before), structure, params)
            after = _player_values(concept_id, h)

            def params_of(value, structure=structure, symbols=symbols):
                exact = desideratum.params_for(structure, {n: value(x) for n, x in symbols.items()})
                return desideratum.params_json(exact)

            label = ", ".join(f"{k} {v + 1 if k == 'player' else v}" for k, v in structure.items())
            for i in range(h.n_players):
                gap = after[i] - _as_value(expected[i])
                for sign, direction in ((1, "above"), (-1, "below")):
                    cases.append(ViolationCase(f"{label + ': ' if label else ''}player {i + 1} {direction} the "
                                               f"required value", gap * sign, [g, h], constraints, player=i,
                                               params_of=params_of, parameters=parameters))
        return cases

    return build


def _as_value(value) -> "Linear | Piecewise":
    return value if isinstance(value, (Linear, Piecewise)) else Linear(const=Fraction(value))


def _parameters(domain: dict, prefix: str) -> tuple[dict[str, FNode], list[FNode]]:
    """Symbols for a desideratum's numeric parameters and their scope constraints."""
    symbols, constraints, groups = {}, [], {}
    for name, spec in domain.items():
        symbol = symbols[name] = Symbol(f"{prefix}_{name}", REAL)
        if spec[0] == "interval":
            _, low, high, low_open = spec
            constraints += [(GT if low_open else GE)(symbol, real_const(low)), LE(symbol, real_const(high))]
        else:
            constraints.append(GE(symbol, real_const(0)))
            groups.setdefault(spec[1], []).append(symbol)
    constraints += [Equals(linear_sum(members), real_const(1)) for members in groups.values()]
    return symbols, constraints


DESIDERATUM_ENCODINGS: dict[str, Callable[[str, SymbolicGame, Fraction], list[ViolationCase]]] = {
    "pareto": _pareto,
    "maximin": _maximin,
    "submax": _submax,
    "threat": _threat,
    "payoff-dominance": _payoff_dominance,
    "symmetry": _symmetry,
    "monotonicity": _monotonicity,
    **{d: _mapped(d) for d in ("shift", "redundancy", "money", "null-player")},
}
MAPPED = ("shift", "redundancy", "money", "null-player")


def violation_cases(concept_id: str, desideratum_id: str, g: SymbolicGame,
                    cap: Fraction = Fraction(10)) -> list[ViolationCase]:
    """The disjuncts of "concept violates desideratum on g" (caps ≤ `cap` for threat)."""
    if desideratum_id not in DESIDERATUM_ENCODINGS:
        known = ", ".join(DESIDERATUM_ENCODINGS)
        raise ValueError(f"no SMT encoding for desideratum {desideratum_id!r}; encoded: {known}")
    cases = []
    for case in DESIDERATUM_ENCODINGS[desideratum_id](concept_id, g, Fraction(cap)):
        expression = Piecewise.of(case.expression)
        if len(cases) + len(expression.branches) > MAX_SUBQUERIES:
            raise TooManySubqueries(f"the violation of {desideratum_id} by {concept_id} has more than "
                                    f"{MAX_SUBQUERIES} cases on this game (its values have many case "
                                    f"distinctions): too many to decide")
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


def _transfer_groups(case: ViolationCase, expression: Linear, samples: int = 6, seed: int = 0) -> list[Linear]:
    """Groups for a mapped transformation (shift, redundancy, money, null
    player): the atoms of G and of the transformed game G' are grouped by
    (kind, args), so that each group pairs an atom with its image, and each
    group gets the affine function of the parameters that its atoms move by
    (e.g. M(G') − M(G) = c_0 + c_1 under a shift): found by exact evaluation
    on seeded sample instances and used only if it fits every sample exactly.
    Soundness does not rest on the fit: the caller checks that the groups
    add up to the expression, and a false lemma is only a query that is not
    UNSAT. The parameters' own atoms and the constant go to the last group."""
    import random

    buckets: dict[tuple, Linear] = {}
    for atom, c in expression.coeffs.items():
        if atom.kind != "param":
            buckets[(atom.kind, atom.args)] = buckets.get((atom.kind, atom.args), Linear()) + Linear({atom: c})
    groups = [g for g in buckets.values() if not g.is_zero()]
    if len(groups) < 2:
        return [expression]
    rng = random.Random(seed)
    names = sorted(case.parameters)
    bound = max((g.domain.bound for g in case.games if g.domain is not None), default=Fraction(10))
    rows = []
    for _ in range(max(samples, len(names) + 3)):
        substitution, values = {}, []
        for g in case.games:
            for label in g.unknowns:
                symbol = get_env().formula_manager.get_symbol(label)  # Real, or Int on the integer domains
                value = rng.randint(-int(bound), int(bound))
                substitution[symbol] = Int(value) if symbol.symbol_type().is_int_type() else real_const(value)
        weights = {}
        for name in names:
            symbol, spec, _ = case.parameters[name]
            if spec[0] == "interval":
                low, high = spec[1], spec[2]
                value = low + (high - low) * Fraction(rng.randint(1, 8), 8)
            else:
                weights.setdefault(spec[1], []).append(name)
                value = Fraction(rng.randint(1, 5))
            values.append(value)
        for group_names in weights.values():  # normalize each simplex group
            total = sum(values[names.index(n)] for n in group_names)
            for n in group_names:
                values[names.index(n)] /= total
        for name, value in zip(names, values):
            substitution[case.parameters[name][0]] = real_const(value)
        try:
            rows.append((values, [_linear_value(grp, substitution) for grp in groups]))
        except ValueError:
            return [expression]
    shares = []
    for k in range(len(groups) - 1):
        fit = _affine_fit([v for v, _ in rows], [gs[k] for _, gs in rows])
        if fit is None:
            return [expression]
        coefficients, const = fit
        shares.append(Linear({case.parameters[name][2]: -a for name, a in zip(names, coefficients)}, -const))
    result = [grp + share for grp, share in zip(groups, shares)]
    return result + [expression - sum(result, Linear())]


def _linear_value(lin: Linear, substitution: dict) -> Fraction:
    from .concepts import atom_value

    return lin.const + sum((c * atom_value(a, substitution) for a, c in lin.coeffs.items()), Fraction(0))


def _affine_fit(points: list[list[Fraction]], values: list[Fraction]) -> tuple[list[Fraction], Fraction] | None:
    """Exact a, b with values[s] = a·points[s] + b for every sample s (Gauss-
    Jordan elimination; free unknowns 0), or None when no such a, b exist."""
    width = len(points[0]) if points else 0
    rows = [list(p) + [Fraction(1), v] for p, v in zip(points, values)]
    pivots, r = [], 0
    for col in range(width + 1):
        pivot = next((k for k in range(r, len(rows)) if rows[k][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [x / rows[r][col] for x in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][col] != 0:
                rows[k] = [x - rows[k][col] * y for x, y in zip(rows[k], rows[r])]
        pivots.append(col)
        r += 1
    if any(all(x == 0 for x in row[:-1]) and row[-1] != 0 for row in rows):
        return None
    solution = [Fraction(0)] * (width + 1)
    for k, col in enumerate(pivots):
        solution[col] = rows[k][-1]
    return solution[:width], solution[width]


LEMMA_SPLITS: dict[tuple[str, str], Callable[[Linear], list[Linear]]] = {
    ("rose", "maximin"): _initiative_groups,
    ("rose", "submax"): _initiative_groups,
    ("rose", "threat"): _pair_groups,
}


def _lemma_family(concept_id: str, shape) -> str:
    """The concept whose lemma rules apply: the concept itself, or the built-in
    whose definition it equals on this shape (Shapley-ROSE on two players is
    two-player ROSE: the same expressions, so the same lemmas)."""
    from ..specs.concepts.registry import ConceptError, get_concept

    try:
        concept = get_concept(concept_id)
    except ConceptError:
        return concept_id
    if not concept.symbolic_on(shape):
        return concept_id
    text = concept.definition.text(shape)
    for family in sorted({family for family, _ in LEMMA_SPLITS}):
        other = get_concept(family)
        if other.symbolic_on(shape) and other.definition.text(shape) == text:
            return family
    return concept_id


def lemma_split(concept_id: str, desideratum_id: str, case: ViolationCase) -> list[ViolationCase]:
    """The case split into lemma cases (itself if no split is registered);
    raises if the groups do not add up to the case's expression exactly."""
    rule = LEMMA_SPLITS.get((_lemma_family(concept_id, case.games[0].shape), desideratum_id))
    if rule is None and desideratum_id in MAPPED:
        rule = functools.partial(_transfer_groups, case)
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

# One case's choice split may not exceed this many sub-queries: the product of
# the disjunctions is enumerated, and without a lemma split it can run into
# the millions (time and memory before any solver starts).
MAX_SUBQUERIES = 5000



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
    count = math.prod(len(c) for c in choices)
    if count > MAX_SUBQUERIES:
        raise TooManySubqueries(f"the choice split of {case.name!r} has {count} sub-queries, more than "
                                f"{MAX_SUBQUERIES}: too many to decide (no lemma split applies)")
    result = []
    for picks in itertools.product(*[range(len(c)) for c in choices]):
        formula = And([base] + [choices[k][p] for k, p in enumerate(picks)])
        suffix = "" if not picks else " / choice " + ",".join(str(p) for p in picks)
        result.append(SubQuery(case.name + suffix, formula, case, refinements))
    return result
