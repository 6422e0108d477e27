"""The SMT reading of the concept algebra (`specs.concepts.algebra`): a
definition's expressions on a symbolic game become *piecewise-linear forms*
over the LP atoms of `encoders.concepts`, which the desiderata encode.

A `Piecewise` is a list of branches (guards, value): `value` is an exact
`Linear` combination of atoms, `guards` a conjunction of "L > 0" / "L ≥ 0"
for atom combinations L. The branches of one expression *partition* the
games: every game satisfies the guards of exactly one branch, and there the
expression equals that branch's value. So a violation "E > 0" is the
disjunction over E's branches of "guards ∧ value > 0", one violation case
each, and a guard is encoded like the violation itself: each atom on the side
its coefficient asks for (c > 0: a lower bound t ≤ q, c < 0: an upper bound
t ≥ q; both exact, see `encoders.concepts`), an atom asked for from both
sides getting both encodings.

Why the branches partition: a sum of partitions is the product partition;
`argmax(keys, branches)` splits by "key k is the first maximal key" (strictly
above the earlier keys, at least the later ones: exactly one k per game);
`cases(c, a, b)` splits by c and its negation, where ¬(c_1 ∧ … ∧ c_m) is the
disjoint union of (c_1 ∧ … ∧ c_{k−1} ∧ ¬c_k), and ¬(L > 0) is (−L ≥ 0).
A guard with no atoms left is decided on the spot (true: dropped, false: its
branch is empty and dropped).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from pysmt.shortcuts import Times

from ..specs.concepts import algebra as alg
from .concepts import Atom, Linear
from .symbolic import SymbolicGame, linear_sum, real_const

__all__ = ["Guard", "Piecewise", "symbolic_values", "MAX_BRANCHES", "EncodingTooLarge", "NoEncoding"]

# Past this many branches for one expression the encoding is refused: the
# proof would be thousands of queries (e.g. the selfish split's argmaxes on a
# destruction game).
MAX_BRANCHES = 1024


class EncodingTooLarge(ValueError):
    """An encoding with too many cases or sub-queries to decide."""


class NoEncoding(ValueError):
    """A definition uses an atom that has no SMT encoding (the correlated-equilibrium payoffs)."""

Guard = tuple[Linear, bool]  # (L, strict): L > 0 if strict else L ≥ 0


def _guard_text(guard: Guard) -> str:
    return f"{guard[0]!r} {'>' if guard[1] else '>='} 0"


@dataclass
class Piecewise:
    """Branches (guards, value) partitioning the games (see the module docstring)."""

    branches: list[tuple[tuple[Guard, ...], Linear]]

    @classmethod
    def of(cls, value: "Linear | Piecewise") -> "Piecewise":
        return value if isinstance(value, Piecewise) else cls([((), value)])

    def is_linear(self) -> bool:
        return len(self.branches) == 1 and not self.branches[0][0]

    def combine(self, other: "Linear | Piecewise", factor: Fraction) -> "Piecewise":
        other = Piecewise.of(other)
        if len(self.branches) > 1 and [g for g, _ in self.branches] == [g for g, _ in other.branches]:
            # the same partition (e.g. two players' values under one argmax): branch by branch
            return Piecewise([(g, v1 + v2 * factor) for (g, v1), (_, v2) in zip(self.branches, other.branches)])
        return _checked(Piecewise([(g1 + g2, v1 + v2 * factor)
                                   for (g1, v1), (g2, v2) in itertools.product(self.branches, other.branches)]))

    def __add__(self, other: "Linear | Piecewise") -> "Piecewise":
        return self.combine(other, Fraction(1))

    __radd__ = __add__

    def __sub__(self, other: "Linear | Piecewise") -> "Piecewise":
        return self.combine(other, Fraction(-1))

    def __rsub__(self, other: "Linear | Piecewise") -> "Piecewise":
        return Piecewise.of(other).combine(self, Fraction(-1))

    def __neg__(self) -> "Piecewise":
        return self * -1

    def __mul__(self, factor: Any) -> "Piecewise":
        return Piecewise([(g, v * factor) for g, v in self.branches])

    __rmul__ = __mul__

    def __repr__(self) -> str:
        if self.is_linear():
            return repr(self.branches[0][1])
        return " | ".join(f"[{' & '.join(map(_guard_text, g))}] {v!r}" for g, v in self.branches)


def _checked(piecewise: Piecewise) -> Piecewise:
    if len(piecewise.branches) > MAX_BRANCHES:
        raise EncodingTooLarge(f"the definition has more than {MAX_BRANCHES} cases on this game: too many for "
                               f"an SMT encoding (search still applies)")
    return piecewise


def _decided(guard: Guard) -> bool | None:
    """A guard with no atoms: its truth; otherwise None."""
    lin, strict = guard
    if lin.coeffs:
        return None
    return lin.const > 0 if strict else lin.const >= 0


def _conjoin(*guard_lists: Sequence[Guard]) -> tuple[Guard, ...] | None:
    """The guards together, decided ones dropped; None if one is false."""
    kept = []
    for guard in itertools.chain(*guard_lists):
        truth = _decided(guard)
        if truth is False:
            return None
        if truth is None and guard not in kept:
            kept.append(guard)
    return tuple(kept)


class SymbolicReading:
    """Reads expressions of one definition on one symbolic game."""

    def __init__(self, game: SymbolicGame):
        self._games: dict[tuple, SymbolicGame] = {(): game}
        self._memo: dict[Any, Piecewise] = {}

    def game(self, ref: alg.GameRef) -> SymbolicGame:
        if ref.path not in self._games:
            self._games[ref.path] = self.game(alg.GameRef((), ref.path[:-1])).coalition_game(ref.path[-1])
        return self._games[ref.path]

    def atom(self, atom: alg.Atom) -> Linear:
        if atom.kind == "ce":
            raise NoEncoding(f"the correlated-equilibrium atom {atom.text()} has no SMT encoding (a lexicographic "
                             f"LP optimum); its concepts are searched, and decided by the form of the definition "
                             f"where the form lemmas reach")
        g = self.game(atom.game)
        if atom.kind == "val":
            weights = atom.args[0]
            rows, cols = g.shape
            matrix = tuple(tuple(linear_sum(Times(real_const(w), g.payoff(i, (a, b))) for i, w in weights)
                                 for b in range(cols)) for a in range(rows))
            key = "".join(f"{'+' if w > 0 else '-'}{abs(w)}U{i}" for i, w in weights).lstrip("+")
            return Linear.of(Atom("val", g.name, (key,), g, matrix))
        if atom.kind == "entry":
            player, profile = atom.args
            return Linear.of(Atom("entry", g.name, (player, "".join(map(str, profile))), g, (g.payoff(player, profile),)))
        return Linear.of(Atom(atom.kind, g.name, atom.args, g))

    def pieces(self, expr: alg.Expr) -> Piecewise:
        cached = self._memo.get(expr)
        if cached is not None:
            return cached
        if isinstance(expr, alg.Linear):
            result = Piecewise.of(Linear(const=expr.const))
            for term, c in expr.terms:
                result = result.combine(self.pieces(term), c)
        elif isinstance(expr, alg.Atom):
            result = Piecewise.of(self.atom(expr))
        elif isinstance(expr, alg.Argmax):
            branches = []
            for k, branch in enumerate(expr.branches):
                branches += self._restricted(self.conjunction(expr.winning(k)), self.pieces(branch))
            result = _checked(Piecewise(branches))
        elif isinstance(expr, alg.Case):
            condition = list(expr.condition.parts())
            branches = self._restricted(self.conjunction(condition), self.pieces(expr.then))
            branches += self._restricted(self.negation(condition), self.pieces(expr.otherwise))
            result = _checked(Piecewise(branches))
        else:
            raise alg.AlgebraError(f"not an expression of the algebra: {type(expr).__name__}")
        self._memo[expr] = result
        return result

    @staticmethod
    def _restricted(alternatives: list[tuple[Guard, ...]], piecewise: Piecewise) -> list:
        branches = []
        for guards, (own, value) in itertools.product(alternatives, piecewise.branches):
            joined = _conjoin(guards, own)
            if joined is not None:
                branches.append((joined, value))
        return branches

    def comparison(self, comparison: alg.Comparison) -> list[tuple[Guard, ...]]:
        """The disjoint alternatives (guard conjunctions) of one comparison."""
        alternatives = []
        for guards, value in self.pieces(comparison.difference).branches:
            joined = _conjoin(guards, [(value, comparison.strict)])
            if joined is not None:
                alternatives.append(joined)
        return alternatives

    def conjunction(self, comparisons: Sequence[alg.Comparison]) -> list[tuple[Guard, ...]]:
        alternatives: list[tuple[Guard, ...]] = [()]
        for comparison in comparisons:
            alternatives = [joined for a, b in itertools.product(alternatives, self.comparison(comparison))
                            if (joined := _conjoin(a, b)) is not None]
        return alternatives

    def negation(self, comparisons: Sequence[alg.Comparison]) -> list[tuple[Guard, ...]]:
        """¬(c_1 ∧ … ∧ c_m) as the disjoint union of (c_1 ∧ … ∧ c_{k−1} ∧ ¬c_k)."""
        alternatives = []
        for k, comparison in enumerate(comparisons):
            alternatives += self.conjunction(list(comparisons[:k]) + [comparison.negated()])
        return alternatives


def symbolic_values(definition: alg.Definition, g: SymbolicGame) -> tuple[Piecewise, ...]:
    """The definition's values on the symbolic game `g`, as piecewise-linear forms."""
    if not definition.accepts(g.shape):
        raise ValueError(f"the definition does not cover {'x'.join(map(str, g.shape))} games")
    reading = SymbolicReading(g)
    return tuple(reading.pieces(e) for e in definition.expressions(g.shape))
