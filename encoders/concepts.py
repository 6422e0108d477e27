"""The atoms of concept encodings (M, max_i, maximin_i, zero-sum values,
extractable surpluses S, payoff entries), their exact linear combinations,
and every atom's existential one-sided SMT encoding. Concept values are
read off their one definition in the concept algebra (`encoders.algebra`).

How a maximum over mixed strategies is encoded, and why it is exact
--------------------------------------------------------------------
Each atom q is a max (or max-min) over mixed strategies of a concave
piecewise-linear function, i.e. the optimum of a small LP whose data are the
symbolic payoffs. A query never asks for q itself, only for a bound on it in
a known direction (its *polarity* in the violation), and both directions are
existential:

* a LOWER bound t ≤ q is witnessed by a primal strategy: e.g.
  maximin_i ≥ t iff ∃x ∈ Δ(A_i) with x·U_i(·, c) ≥ t for every column c;
  S ≥ t iff ∃ b₁ ∃ν ∈ Δ(A_lead), w with w ≥ ν·F(·,b) ∀b and ν·T(·,b₁) − w ≥ t.
* an UPPER bound t ≥ q is witnessed by a dual strategy (LP duality, here the
  minimax theorem for a bilinear function on a product of simplices):
  val(A) ≤ t iff ∃y ∈ Δ(columns) with A(a,·)·y ≤ t for every row a;
  S ≤ t iff for every b₁ ∃μ^{b₁} ∈ Δ(A_follow) with
  T(a,b₁) − μ^{b₁}·F(a,·) ≤ t for every leader action a, because
  max_ν [ν·T(·,b₁) − max_b ν·F(·,b)] = max_ν min_μ ν·(T(·,b₁)1ᵀ − F)μ
  = min_μ max_a [T(a,b₁) − F(a,·)μ].
  M ≤ t and max_i ≤ t are finite conjunctions (t ≥ every entry).

Exactness: in each case the set of feasible t is exactly [q, ∞) (upper) or
(−∞, q] (lower): the witness for t = q is an optimal primal or dual LP
solution, which exists because the simplices are compact. So for a violation
Σ_k c_k q_k + c₀ > 0, taking t_k ≤ q_k where c_k > 0 and t_k ≥ q_k where
c_k < 0 gives a query that is satisfiable iff the violation holds; the only
non-linear terms are products of payoff terms with strategy variables.
The differential tests pin a concrete game and check that the feasible t of
each encoding has exactly the reference value as its end point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Iterable, Sequence

from pysmt.fnode import FNode
from pysmt.shortcuts import GE, LE, And, Equals, Symbol, Times, Minus
from pysmt.typing import REAL

from ..specs.games import Game
from .symbolic import SymbolicGame, linear_sum, real_const

__all__ = [
    "Atom",
    "Linear",
    "Piece",
    "Encoder",
    "total_surplus",
    "max_payoff",
    "maximin",
    "zero_sum_value",
    "extractable_surplus",
    "CONCEPT_ENCODINGS",
    "atom_value",
    "LOWER",
    "UPPER",
]

LOWER = "lower"  # encoding's term t satisfies t ≤ q, t = q feasible
UPPER = "upper"  # t ≥ q, t = q feasible


@dataclass(frozen=True)
class Atom:
    """One LP-valued quantity of one symbolic game. `kind` is "M", "max",
    "maximin", "val", "S", "entry" (one payoff) or "param" (a desideratum's
    numeric parameter); `args` identify it within the game (player, leader,
    the matrix's key for "val", player and profile for "entry", the name for
    "param"); `matrix` holds the zero-sum matrix of "val" and the term of
    "entry" and "param"."""

    kind: str
    game_name: str
    args: tuple
    game: SymbolicGame = field(compare=False, hash=False, repr=False)
    matrix: tuple = field(default=(), compare=False, hash=False, repr=False)

    def label(self) -> str:
        return f"{self.kind}{''.join('_' + str(a) for a in self.args)}[{self.game_name}]"


class Linear:
    """Σ_k coeffs[k]·atom_k + const, with exact rational coefficients."""

    def __init__(self, coeffs: dict[Atom, Fraction] | None = None, const: Fraction = Fraction(0)):
        self.coeffs = {a: Fraction(c) for a, c in (coeffs or {}).items() if c != 0}
        self.const = Fraction(const)

    @classmethod
    def of(cls, atom: Atom) -> "Linear":
        return cls({atom: Fraction(1)})

    def __add__(self, other: "Linear") -> "Linear":
        if not isinstance(other, Linear):
            return NotImplemented  # e.g. a Piecewise (`encoders.algebra`) adds itself
        coeffs = dict(self.coeffs)
        for a, c in other.coeffs.items():
            coeffs[a] = coeffs.get(a, Fraction(0)) + c
        return Linear(coeffs, self.const + other.const)

    def __neg__(self) -> "Linear":
        return self * -1

    def __sub__(self, other: "Linear") -> "Linear":
        if not isinstance(other, Linear):
            return NotImplemented
        return self + (-other)

    def __mul__(self, factor) -> "Linear":
        factor = Fraction(factor)
        return Linear({a: c * factor for a, c in self.coeffs.items()}, self.const * factor)

    __rmul__ = __mul__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Linear) and self.coeffs == other.coeffs and self.const == other.const

    def is_zero(self) -> bool:
        return not self.coeffs and self.const == 0

    def __repr__(self) -> str:
        parts = [f"{c}*{a.label()}" for a, c in self.coeffs.items()]
        if self.const or not parts:
            parts.append(str(self.const))
        return " + ".join(parts)


@dataclass
class Piece:
    """An encoded bound: `term` with `constraints` (a conjunction) and
    `choices` (each a list of alternatives, one of which must hold)."""

    term: FNode
    constraints: list[FNode] = field(default_factory=list)
    choices: list[list[FNode]] = field(default_factory=list)
    # For the RLT cuts (`encoders.cuts`): the mixed strategies of the witness
    # (action-set key, weights), the constraint families "d_k ≥ 0" indexed by
    # action sets (keys, {index tuple: d}), and for an upper bound on S the
    # data of the best-response split (leader key, follower key, follower
    # matrix [leader action][follower action], the μ^{b1} strategies).
    strategies: list[tuple[tuple, list[FNode]]] = field(default_factory=list)
    families: list[tuple[tuple, dict[tuple, FNode]]] = field(default_factory=list)
    responses: list[tuple[tuple, tuple, list[list[FNode]], list[list[FNode]]]] = field(default_factory=list)
    # Vertex alternatives of the LP witnesses, (label, alternatives), not split
    # on up front (see `Encoder.vertex_choices`).
    refinements: list[tuple[str, list[FNode]]] = field(default_factory=list)

    def _collapse(self) -> "Piece":
        """Single-alternative choices become constraints."""
        for alternatives in [c for c in self.choices if len(c) == 1]:
            self.constraints.append(alternatives[0])
        self.choices = [c for c in self.choices if len(c) > 1]
        return self


class Encoder:
    """Fresh-variable factory and atom encoder for one query."""

    def __init__(self, prefix: str = "w", vertex_split: bool = False):
        self.prefix = prefix
        self.count = 0
        self.vertex_split = vertex_split
        self._refinements: list[tuple[str, list[FNode]]] = []

    def vertex_choices(self, xs: list[FNode], sides: list[FNode], t: FNode) -> list[list[FNode]]:
        """Optional choice split for an LP witness: x ∈ Δ(k) (variables `xs`),
        a scalar t and constraints "sides[j] ≥ t" or "≤ t" (linear in x, t).
        The LP optimum is attained at a vertex of the pointed polyhedron
        {(x, t)}, where k + 1 independent constraints are tight: Σx = 1, x_a = 0
        off the support S, so at least |S| of the sides[j] = t. The
        alternatives enumerate (S, J ⊆ sides, |J| = |S|); each keeps all the
        inequalities, so every feasible t is still on the right side of q,
        while the optimal vertex satisfies one alternative.

        Without `vertex_split` the alternatives are not split on up front but
        kept as a *refinement* of the piece (`Piece.refinements`): a query
        that a solver cannot decide whole is later split on them
        (`checkers.smt`). A query Q and the queries Q ∧ alternative are
        equisatisfiable: from a model of Q, replacing (x, t) by an optimal
        vertex of the LP keeps every constraint (t moves only to its better
        side, and every other constraint that mentions x is an implied cut,
        a sum of products of non-negative factors, true for any feasible x)."""
        if len(xs) == 1:
            return []
        import itertools

        alternatives = []
        k = len(xs)
        for size in range(1, k + 1):
            for support in itertools.combinations(range(k), size):
                zeros = [Equals(xs[a], real_const(0)) for a in range(k) if a not in support]
                for tight in itertools.combinations(range(len(sides)), size):
                    alternatives.append(And(zeros + [Equals(sides[j], t) for j in tight]))
        if not self.vertex_split:
            name = xs[0].symbol_name() if xs[0].is_symbol() else "x"
            witness = name.split("_", 1)[-1].rstrip("0123456789").rstrip("_")  # w4_S1mu1_0 -> S1mu1
            self._refinements.append((f"vertex of {witness}", alternatives))
            return []
        return [alternatives]

    def fresh(self, hint: str) -> FNode:
        self.count += 1
        return Symbol(f"{self.prefix}{self.count}_{hint}", REAL)

    def simplex(self, size: int, hint: str) -> tuple[list[FNode], list[FNode]]:
        """A point of Δ(size): its weights as terms and their constraints. The
        last weight is 1 − Σ(others), so Δ(k) costs k − 1 unknowns (fewer
        unknowns matter more than anything else to non-linear solvers); a
        single action is the constant 1."""
        if size == 1:
            return [real_const(1)], []
        free = [self.fresh(f"{hint}{k}") for k in range(size - 1)]
        rest = Minus(real_const(1), linear_sum(free))  # the last weight, eliminated
        constraints = [GE(x, real_const(0)) for x in free] + [GE(rest, real_const(0))]
        return free + [rest], constraints

    def encode(self, atom: Atom, side: str) -> Piece:
        method = getattr(self, f"_encode_{atom.kind}")
        self._refinements = []
        piece = method(atom, side)
        piece.refinements = self._refinements
        self._refinements = []
        return piece

    # -- atoms ----------------------------------------------------------------

    def _entries_bound(self, entries: list[FNode], side: str, hint: str) -> Piece:
        t = self.fresh(hint)
        if side == UPPER:
            return Piece(t, [GE(t, e) for e in entries])
        return Piece(t, [], [[LE(t, e) for e in entries]])

    def _encode_M(self, atom: Atom, side: str) -> Piece:
        g = atom.game
        piece = self._entries_bound([g.total(p) for p in g.profiles()], side, "M")
        if side == UPPER and g.n_players == 2:
            keys = ((g.name, 0), (g.name, 1))
            piece.families.append((keys, {p: Minus(piece.term, g.total(p)) for p in g.profiles()}))
        return piece

    def _encode_max(self, atom: Atom, side: str) -> Piece:
        g, (player,) = atom.game, atom.args
        piece = self._entries_bound(list(g.payoffs[player]), side, f"max{player}")
        if side == UPPER and g.n_players == 2:
            keys = ((g.name, 0), (g.name, 1))
            piece.families.append((keys, {p: Minus(piece.term, g.payoff(player, p)) for p in g.profiles()}))
        return piece

    def _encode_entry(self, atom: Atom, side: str) -> Piece:
        return Piece(atom.matrix[0])  # a payoff term is its own exact bound, from both sides

    _encode_param = _encode_entry  # a desideratum's parameter (a symbol), likewise

    def _encode_maximin(self, atom: Atom, side: str) -> Piece:
        g, (player,) = atom.game, atom.args
        keys = ((g.name, player), (g.name, 1 - player)) if g.n_players == 2 else ((g.name, player), None)
        return self._value(_maximin_matrix(g, player), side, f"mm{player}", keys)

    def _encode_val(self, atom: Atom, side: str) -> Piece:
        g = atom.game
        keys = ((g.name, 0), (g.name, 1)) if g.n_players == 2 else (None, None)
        return self._value([list(r) for r in atom.matrix], side, "val", keys)

    def _value(self, matrix: list[list[FNode]], side: str, hint: str, keys: tuple = (None, None)) -> Piece:
        """Value of the zero-sum game `matrix`, the row player maximizing;
        `keys` name the row and column action sets (for the cuts)."""
        t = self.fresh(hint)
        rows, cols = len(matrix), len(matrix[0])
        row_key, col_key = keys
        if side == LOWER:
            x, constraints = self.simplex(rows, hint + "x")
            sides = [_dot(x, [matrix[a][b] for a in range(rows)]) for b in range(cols)]
            constraints += [GE(e, t) for e in sides]
            piece = Piece(t, constraints, self.vertex_choices(x, sides, t))
            _tag(piece, row_key, x, col_key, {(b,): Minus(e, t) for b, e in enumerate(sides)})
            return piece
        y, constraints = self.simplex(cols, hint + "y")
        sides = [_dot(y, matrix[a]) for a in range(rows)]
        constraints += [LE(e, t) for e in sides]
        piece = Piece(t, constraints, self.vertex_choices(y, sides, t))
        _tag(piece, col_key, y, row_key, {(a,): Minus(t, e) for a, e in enumerate(sides)})
        return piece

    def _encode_S(self, atom: Atom, side: str) -> Piece:
        g, (leader,) = atom.game, atom.args
        total = g.total_matrix(leader)
        follow = g.matrix(1 - leader, leader)
        rows, cols = len(total), len(total[0])
        hint = f"S{leader}"
        t = self.fresh(hint)
        lead_key, follow_key = (g.name, leader), (g.name, 1 - leader)
        if side == LOWER:
            nu, constraints = self.simplex(rows, hint + "nu")
            w = self.fresh(hint + "w")
            sides = [_dot(nu, [follow[a][b] for a in range(rows)]) for b in range(cols)]
            constraints += [GE(w, e) for e in sides]
            alternatives = [LE(t, Minus(_dot(nu, [total[a][b1] for a in range(rows)]), w)) for b1 in range(cols)]
            choices = ([alternatives] if cols > 1 else [[alternatives[0]]]) + self.vertex_choices(nu, sides, w)
            piece = Piece(t, constraints, choices)._collapse()
            _tag(piece, lead_key, nu, follow_key, {(b,): Minus(w, e) for b, e in enumerate(sides)})
            return piece
        constraints, choices = [], []
        piece = Piece(t)
        mus = []
        for b1 in range(cols):
            mu, simplex = self.simplex(cols, f"{hint}mu{b1}_")
            mus.append(mu)
            s_b1 = self.fresh(f"{hint}s{b1}_")
            constraints += simplex + [LE(s_b1, t)]
            sides = [Minus(total[a][b1], _dot(mu, follow[a])) for a in range(rows)]
            constraints += [LE(e, s_b1) for e in sides]
            choices += self.vertex_choices(mu, sides, s_b1)
            _tag(piece, follow_key, mu, lead_key, {(a,): Minus(s_b1, e) for a, e in enumerate(sides)})
        piece.constraints, piece.choices = constraints, choices
        piece.responses.append((lead_key, follow_key, follow, mus))
        return piece


def _tag(piece: Piece, strategy_key, weights: list[FNode], family_key, family: dict[tuple, FNode]) -> None:
    """Record a witness strategy over `strategy_key` and its constraint family
    (each d ≥ 0 is a constraint of the piece) indexed by `family_key`."""
    if strategy_key is not None and len(weights) > 1:
        piece.strategies.append((strategy_key, weights))
    if family_key is not None:
        piece.families.append(((family_key,), family))


def _dot(weights: Sequence[FNode], values: Sequence[FNode]) -> FNode:
    return linear_sum(Times(w, v) if not (w.is_constant() and w.constant_value() == 1) else v
                      for w, v in zip(weights, values))


def _maximin_matrix(g: SymbolicGame, player: int) -> list[list[FNode]]:
    """Rows: player's actions; columns: the others' joint pure profiles
    (storage order, as `specs.concepts.basic`)."""
    others = [p[:player] + p[player + 1:] for p in g.profiles() if p[player] == 0]
    return [[g.payoff(player, rest[:player] + (a,) + rest[player:]) for rest in others]
            for a in range(g.shape[player])]


# -- atoms as linear combinations ---------------------------------------------


def total_surplus(g: SymbolicGame) -> Linear:
    return Linear.of(Atom("M", g.name, (), g))


def max_payoff(g: SymbolicGame, player: int) -> Linear:
    return Linear.of(Atom("max", g.name, (player,), g))


def maximin(g: SymbolicGame, player: int) -> Linear:
    return Linear.of(Atom("maximin", g.name, (player,), g))


def zero_sum_value(g: SymbolicGame, key: str, matrix: Sequence[Sequence[FNode]]) -> Linear:
    """val(matrix), row player maximizing; `key` names the matrix within `g`."""
    return Linear.of(Atom("val", g.name, (key,), g, tuple(tuple(r) for r in matrix)))


def extractable_surplus(g: SymbolicGame, leader: int) -> Linear:
    """S_leader of the two-player game g (SPEC §3, 2-player ROSE)."""
    return Linear.of(Atom("S", g.name, (leader,), g))


# -- concepts -------------------------------------------------------------------


# Hand-written SMT encodings of user concepts without an algebra definition
# (`checkers.plugins.register_smt_encoding`), by concept id. The built-in
# concepts have none: their encodings are read off their one definition
# (`encoders.algebra`), and an encoding here is checked against the concept's
# exact implementation before any proof (`checkers.agreement`).
CONCEPT_ENCODINGS: dict[str, Callable[[SymbolicGame], Sequence[Linear]]] = {}


def atom_value(atom: Atom, substitution: dict | None = None) -> Fraction:
    """The exact value of an atom once every symbol of its game (and of its
    term, for "entry" and "param") is replaced by a constant (`substitution`:
    symbol -> pysmt constant; none needed for a pinned game). Exact: the
    reference LPs of `specs`."""
    from ..specs.concepts.basic import max_payoff, maximin_value, total_surplus
    from ..specs.concepts.rose2 import extractable_surplus, leader_matrices
    from ..specs.lp import matrix_game_value

    def constant(term: FNode) -> Fraction:
        value = (term.substitute(substitution) if substitution else term).simplify()
        if not value.is_constant():
            raise ValueError(f"the atom {atom.label()} still has unknowns: {value}")
        value = value.constant_value()  # an int, a Fraction or (with gmpy2 installed) an mpq
        return Fraction(int(value.numerator), int(value.denominator))

    if atom.kind in ("entry", "param"):
        return constant(atom.matrix[0])
    if atom.kind == "val":
        return Fraction(matrix_game_value([[constant(x) for x in row] for row in atom.matrix])[0])
    g = atom.game
    flat = [[constant(t) for t in row] for row in g.payoffs]
    index = {p: k for k, p in enumerate(g.profiles())}
    game = Game.from_function(tuple(g.shape), lambda p: [row[index[tuple(p)]] for row in flat])
    if atom.kind == "M":
        return Fraction(total_surplus(game))
    if atom.kind == "max":
        return Fraction(max_payoff(game, atom.args[0]))
    if atom.kind == "maximin":
        return Fraction(maximin_value(game, atom.args[0]))
    if atom.kind == "S":
        return Fraction(extractable_surplus(*leader_matrices(game, atom.args[0])))
    raise ValueError(f"unknown atom kind {atom.kind!r}")


def atoms_of(linears: Iterable[Linear]) -> set[Atom]:
    result: set[Atom] = set()
    for lin in linears:
        result |= set(lin.coeffs)
    return result
