"""Symbolic 2-player bargaining problems and exact polynomial encodings of the
bargaining solutions and of the violations of the classical axioms (SMT).

Scope. A `SymbolicProblem` has k payoff points p_1..p_k and a disagreement
point d, every coordinate a real unknown in [−B, B] (or pinned to a concrete
`BargainingProblem` for the differential tests). The feasible set is the
comprehensive one used by the survey for the classical axioms (free
disposal, `checkers.bargaining_search.default_free_disposal`):
F = conv(G) − R²₊ with G = {p_1, …, p_k, d}, and S_d = F ∩ {u ≥ d}. Every
claim is about *non-degenerate* problems (some feasible point is strictly
better than d for each player; equivalently, with free disposal, b > d for
the ideal point b), which is also the scope of the search
(`problems_in_order` skips degenerate problems).

Building blocks (each an existential, exact characterization):

* membership y ∈ F: ∃ λ ∈ Δ(G) with y ≤ Σ_j λ_j q_j (free disposal).
* support: w ≥ 0 and w·q ≤ w·x for every q ∈ G. As w ≥ 0, this is
  w·y ≤ w·x for every y ∈ F (an inequality that holds on the generators holds
  on their convex hull and below it).
* maximization of c·u over S_d (c ≥ 0 constant, x ∈ S_d): by LP duality
  (the LP max c·y s.t. y ≤ Σλ_j q_j, Σλ = 1, λ ≥ 0, y ≥ d is feasible and
  bounded), x is optimal iff ∃ z ≥ 0 with z·(x − d) = 0 and w = c + z
  supporting F at x. (Sufficiency: for y ∈ S_d, c·y = w·y − z·y ≤ w·x − z·d
  = c·x. Necessity: strong duality and complementary slackness.) A second
  objective over the optimal face (lexicographic tie-breaks) adds a
  multiplier ρ ≥ 0 for the constraint c·y ≥ c·x: w = c' + z + ρc.

The solutions (non-degenerate problems; each characterization is satisfied by
exactly the reference point of `specs.bargaining.solutions`, which the
differential tests check):

* Nash: x ∈ F, x > d and the supporting-line condition
  (x2−d2)(q1−x1) + (x1−d1)(q2−x2) ≤ 0 for every q ∈ G, i.e. the gradient
  w = (x2−d2, x1−d1) of the Nash product supports F at x. Exact: the Nash
  product is quasi-concave on {u > d}; if w·y > w·x for some y ∈ F, the
  points of the segment [x, y] near x lie in S_d (x > d) and have a larger
  product; conversely, if w supports F at x, every y ∈ S_d with a larger
  product has w·y > w·x by the AM–GM inequality.
* egalitarian (Kalai): x = d + t(1, 1), t > 0, x ∈ F and some w ≥ 0,
  w1 + w2 = 1 supports F at x (x is weakly Pareto optimal in F, which for
  the ray's last feasible point is exact: F is comprehensive, so
  x + ε(1, 1) ∈ F iff some y ∈ F has y > x).
* Kalai–Smorodinsky: the ideal point b (b_i = max u_i over S_d, each with a
  maximizer and its KKT multipliers), b > d, x = d + s(b − d), s ≥ 0, x ∈ F,
  and a normalized w ≥ 0 supporting F at x (the same argument, b − d > 0).
* utilitarian (tie-break: the optimal face's point with the most equal gains):
  x ∈ S_d maximizes u1 + u2 over S_d, and with f = (x1−d1) − (x2−d2) one of
  f(x) = 0; f(x) ≥ 0 and x maximizes u2 on the optimal face; f(x) ≤ 0 and x
  maximizes u1 on the face (f is strictly monotone along the face: these
  three alternatives say exactly what the reference computes; a choice split).
* ROSE points (seed 000): x ∈ F, some a > 0 (a1 + a2 = 1) supports F at x and
  a1(b1 − x1) = a2(b2 − x2), b the ideal point. This is the set
  `rose_points` enumerates (edge points with the edge's normal, vertices with
  a normal of their normal cone, the axis directions excluded).
* random dictator r = ½(right + top): for a violation "x_i < r_i" the other
  dictator's point enters with a positive sign, so any maximizer of u_j over
  S_d may stand for it (the tie-broken one is among them and is the best);
  the exact b_i is the dictator's own coordinate.

The violation encodings (`violation_alternatives`) return conjunctive
alternatives whose disjunction is the violation on the non-degenerate
problems of the scope. Symmetry is checked, like the exact checker, on the
symmetrization: generators R ∪ swap(R) with R = P ∪ {d}, disagreement
(m, m) with m = min(d1, d2) (two alternatives for which coordinate is the
minimum).

Cuts (`implied_cuts`): for every membership witness y ≤ Σλ_j q_j and every
support (w, x) over the same generators, Σ_j λ_j (w·q_j − w·x) ≤ 0 and
w·y ≤ Σ_j λ_j w·q_j. Both are implied (λ ≥ 0, w ≥ 0), so the solutions of a
query are unchanged; they make the hand proofs (chains of these
aggregations) linear in the monomials.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Sequence

from pysmt.fnode import FNode
from pysmt.shortcuts import GE, GT, LE, LT, And, Equals, Minus, Not, Plus, Real, Symbol, Times
from pysmt.typing import REAL

from ..specs.bargaining.problem import BargainingProblem
from .symbolic import linear_sum, real_const

__all__ = [
    "SymbolicProblem",
    "Branch",
    "solution_alternatives",
    "violation_alternatives",
    "implied_cuts",
    "ENCODED_SOLUTIONS",
    "ENCODED_DESIDERATA",
    "PAIR_DESIDERATA",
    "POINT_VALUED",
    "sub_problem",
    "affine_image",
    "pair_violation_alternatives",
    "affine_violation_alternatives",
    "complementarity_split",
]

Vec = tuple[FNode, FNode]
ZERO = real_const(0)
ONE = real_const(1)


def _dot(w: Vec, q: Vec) -> FNode:
    return Plus(Times(w[0], q[0]), Times(w[1], q[1]))


@dataclass
class SymbolicProblem:
    """k payoff points and d as pysmt terms; `unknowns` the free symbols' names
    mapped to (point index, coordinate) with index k for d; free disposal."""

    points: list[Vec]
    disagreement: Vec
    name: str = "s"
    unknowns: dict[str, tuple[int, int]] = field(default_factory=dict)
    constraints: list[FNode] = field(default_factory=list)
    bound: Fraction | None = None

    @classmethod
    def unknown(cls, k: int, bound, name: str = "s") -> "SymbolicProblem":
        bound = Fraction(bound)
        low, high = real_const(-bound), real_const(bound)
        unknowns: dict[str, tuple[int, int]] = {}
        constraints: list[FNode] = []
        rows = []
        for j in range(k + 1):
            row = []
            for c in range(2):
                label = f"{name}_{'d' if j == k else f'p{j}'}_{c}"
                unknowns[label] = (j, c)
                term = Symbol(label, REAL)
                constraints += [LE(low, term), LE(term, high)]
                row.append(term)
            rows.append(tuple(row))
        return cls(rows[:k], rows[k], name, unknowns, constraints, bound)

    @classmethod
    def pinned(cls, problem: BargainingProblem, name: str = "c") -> "SymbolicProblem":
        pts = [(real_const(p[0]), real_const(p[1])) for p in problem.points]
        d = problem.disagreement
        return cls(pts, (real_const(d[0]), real_const(d[1])), name)

    @property
    def generators(self) -> list[Vec]:
        return list(self.points) + [self.disagreement]

    def problem_from_model(self, values: dict[str, Fraction]) -> BargainingProblem:
        k = len(self.points)
        coords = [[Fraction(0), Fraction(0)] for _ in range(k + 1)]
        for label, (j, c) in self.unknowns.items():
            coords[j][c] = Fraction(values.get(label, Fraction(0)))
        return BargainingProblem(tuple(tuple(p) for p in coords[:k]), tuple(coords[k]), True)

    def symmetrized(self, low_first: bool) -> "SymbolicProblem":
        """The symmetrization used by the symmetry checker, with d = (m, m):
        m = d1 when `low_first` (the branch d1 ≤ d2) else d2 (d2 ≤ d1)."""
        d = self.disagreement
        base = self.generators
        gens = base + [(q[1], q[0]) for q in base]
        m = d[0] if low_first else d[1]
        return SymbolicProblem(gens, (m, m), self.name + "sym", self.unknowns, [], self.bound)


@dataclass
class Branch:
    """One conjunctive alternative under construction: constraints plus the
    membership witnesses (y, λ, generators) and supports (w, x, generators)
    recorded for the cuts."""

    name: str
    prefix: str
    constraints: list[FNode] = field(default_factory=list)
    combos: list[tuple[Vec, list[FNode], list[Vec]]] = field(default_factory=list)
    supports: list[tuple[Vec, Vec, list[Vec]]] = field(default_factory=list)
    counter: list[int] = field(default_factory=lambda: [0])
    weights: list[tuple[FNode, bool]] = field(default_factory=list)  # normals' components: term ≥ 0 (> 0)
    signs: list[tuple[FNode, bool]] = field(default_factory=list)  # other facts term ≥ 0 (> 0)
    extra: dict = field(default_factory=dict)
    equalities: list[FNode] = field(default_factory=list)  # terms = 0, for the product cuts
    multipliers: list[FNode] = field(default_factory=list)  # KKT multipliers (≥ 0) of `maximizes`
    bounds: list[FNode] = field(default_factory=list)  # y − d ≥ 0 of `rational`
    complementary: list[tuple[FNode, FNode]] = field(default_factory=list)  # (z, y − d) with z·(y − d) = 0
    # every fresh symbol with its role (shared by the copies, like `counter`), for `witness_transfer`
    created: list[tuple[FNode, tuple]] = field(default_factory=list)
    # the coordinates of the fresh points (`point`) are image(p) for fresh p: `witness_transfer`'s A-run
    image: Callable[[Vec], Vec] | None = None

    def copy(self, suffix: str = "") -> "Branch":
        return Branch(self.name + suffix, self.prefix, list(self.constraints), list(self.combos),
                      list(self.supports), self.counter, list(self.weights), list(self.signs), dict(self.extra),
                      list(self.equalities), list(self.multipliers), list(self.bounds), list(self.complementary),
                      self.created, self.image)

    def equal(self, left: FNode, right: FNode) -> "Branch":
        """Assert left = right and record left − right = 0 for the product cuts."""
        self.add(Equals(left, right))
        self.equalities.append(Minus(left, right))
        return self

    def sign(self, term: FNode, strict: bool) -> "Branch":
        """Assert term > 0 (strict) or ≥ 0 and record it for the product cuts."""
        self.add((GT if strict else GE)(term, ZERO))
        self.signs.append((term, strict))
        return self

    def fresh(self, label: str, role: tuple = ("same",)) -> FNode:
        """A new real symbol; `role` says how a witness of this kind moves under a
        positive affine map of the problem (`witness_transfer`): ("same",) unchanged,
        ("normal",) the first component w1 of a normal (w1, 1 − w1), ("multiplier", i, j)
        component j of the KKT multiplier z of maximizing u_i, ("unmapped",) no rule."""
        self.counter[0] += 1
        symbol = Symbol(f"{self.prefix}_{label}{self.counter[0]}", REAL)
        self.created.append((symbol, role))
        return symbol

    def point(self, label: str) -> Vec:
        p = (self.fresh(label + "a"), self.fresh(label + "b"))
        return p if self.image is None else self.image(p)

    def add(self, *formulas: FNode) -> "Branch":
        self.constraints.extend(formulas)
        return self

    def feasible(self, y: Vec, problem: SymbolicProblem) -> None:
        """y ∈ F = conv(G) − R²₊."""
        gens = problem.generators
        # the last weight is 1 − Σ others (no equality: cvc5's coverings answer
        # "unknown (INCOMPLETE)" on these queries when the simplex equality is kept)
        free = [self.fresh("l") for _ in gens[1:]]
        lam = free + [Minus(ONE, linear_sum(free))]
        self.add(*[GE(v, ZERO) for v in lam])
        for c in range(2):
            self.add(LE(y[c], linear_sum([Times(v, q[c]) for v, q in zip(lam, gens)])))
        self.combos.append((y, lam, gens))

    def rational(self, y: Vec, problem: SymbolicProblem) -> None:
        """y ∈ S_d."""
        self.feasible(y, problem)
        d = problem.disagreement
        self.add(GE(y[0], d[0]), GE(y[1], d[1]))
        self.bounds += [Minus(y[0], d[0]), Minus(y[1], d[1])]

    def support(self, w: Vec, x: Vec, problem: SymbolicProblem, strict: tuple[bool, bool] = (False, False)) -> None:
        """w·q ≤ w·x for every generator q (the caller guarantees w ≥ 0, and
        w_c > 0 where `strict`)."""
        gens = problem.generators
        for q in gens:
            self.add(LE(_dot(w, q), _dot(w, x)))
        self.supports.append((w, x, gens))
        self.weights += [(w[0], strict[0]), (w[1], strict[1])]

    def maximizes(self, c: Vec, x: Vec, problem: SymbolicProblem, tie: Vec | None = None) -> None:
        """x (∈ S_d, asserted elsewhere) maximizes c·u over S_d (c ≥ 0 constant);
        with `tie` = c', x maximizes c'·u over the face {u ∈ S_d : c·u ≥ c·x}."""
        d = problem.disagreement
        unit = c.index(ONE) if c in ((ONE, ZERO), (ZERO, ONE)) else None
        roles = [("unmapped",) if unit is None or tie is not None else ("multiplier", unit, j) for j in range(2)]
        z = (self.fresh("za", roles[0]), self.fresh("zb", roles[1]))
        self.add(GE(z[0], ZERO), GE(z[1], ZERO),
                 Equals(Times(z[0], Minus(x[0], d[0])), ZERO), Equals(Times(z[1], Minus(x[1], d[1])), ZERO))
        self.multipliers += [z[0], z[1]]
        self.complementary += [(z[0], Minus(x[0], d[0])), (z[1], Minus(x[1], d[1]))]
        if tie is None:
            w = (Plus(c[0], z[0]), Plus(c[1], z[1]))
            positive = (c[0] is ONE, c[1] is ONE)
        else:
            rho = self.fresh("r", ("unmapped",))
            self.add(GE(rho, ZERO))
            self.multipliers.append(rho)
            w = (Plus(tie[0], z[0], Times(rho, c[0])), Plus(tie[1], z[1], Times(rho, c[1])))
            positive = (tie[0] is ONE, tie[1] is ONE)
        self.support(w, x, problem, positive)

    def normal(self, x: Vec, problem: SymbolicProblem, strict: bool = False) -> Vec:
        """Some w ≥ 0 (w > 0 when `strict`), w1 + w2 = 1, supporting F at x."""
        w0 = self.fresh("w", ("normal",))
        w = (w0, Minus(ONE, w0))
        cmp = GT if strict else GE
        self.add(cmp(w[0], ZERO), cmp(w[1], ZERO))
        self.support(w, x, problem, (strict, strict))
        return w

    def ideal(self, problem: SymbolicProblem) -> tuple[Vec, Vec]:
        """Maximizers y1 of u1 and y2 of u2 over S_d (b = (y1_1, y2_2))."""
        y1, y2 = self.point("b1"), self.point("b2")
        for y, c in ((y1, (ONE, ZERO)), (y2, (ZERO, ONE))):
            self.rational(y, problem)
            self.maximizes(c, y, problem)
        return y1, y2


# -- the solutions -----------------------------------------------------------------------


HALF = real_const(Fraction(1, 2))


def _half_split(br: Branch, w: Vec) -> list[Branch]:
    """w1 + w2 = 1, w ≥ 0: w1 ≥ 1/2 or w2 ≥ 1/2 (exhaustive); the larger
    component minus 1/2 is recorded as a normal component ≥ 0, so a strict
    fact s > 0 gives the product cut w_c·s ≥ s/2 > 0. No split when the
    branch is marked "unsplit" (`witness_transfer`'s runs)."""
    if br.extra.get("unsplit"):
        return [br]
    out = []
    for c in range(2):
        alt = br.copy(f" [w{c + 1} ≥ 1/2]")
        term = Minus(w[c], HALF)
        alt.add(GE(term, ZERO))
        alt.weights.append((term, False))
        out.append(alt)
    return out


def _nash(br: Branch, p: SymbolicProblem, x: Vec) -> list[Branch]:
    d = p.disagreement
    br.feasible(x, p)
    br.add(GT(x[0], d[0]), GT(x[1], d[1]))
    br.support((Minus(x[1], d[1]), Minus(x[0], d[0])), x, p, (True, True))
    return [br]


def _egalitarian(br: Branch, p: SymbolicProblem, x: Vec) -> list[Branch]:
    d = p.disagreement
    br.feasible(x, p)
    br.equal(Minus(x[0], d[0]), Minus(x[1], d[1])).add(GT(x[0], d[0]))
    return _half_split(br, br.normal(x, p))


def _kalai_smorodinsky(br: Branch, p: SymbolicProblem, x: Vec) -> list[Branch]:
    d = p.disagreement
    y1, y2 = br.extra.get("shared_ideal") or br.ideal(p)
    b = (y1[0], y2[1])
    s = br.fresh("s")
    br.sign(Minus(b[0], d[0]), True).sign(Minus(b[1], d[1]), True).sign(s, False)
    for c in range(2):
        br.add(Equals(x[c], Plus(d[c], Times(s, Minus(b[c], d[c])))))
    br.feasible(x, p)
    br.extra["ideal"] = (y1, y2)
    w = br.normal(x, p)
    br.extra["ks"] = (s, w)
    br.extra["ks_x"], br.extra["ks_d"] = x, d
    return _half_split(br, w)


def _utilitarian(br: Branch, p: SymbolicProblem, x: Vec) -> list[Branch]:
    d = p.disagreement
    br.rational(x, p)
    br.maximizes((ONE, ONE), x, p)
    f = Minus(Minus(x[0], d[0]), Minus(x[1], d[1]))
    equal = br.copy(" [equal gains]").add(Equals(f, ZERO))
    top = br.copy(" [face top end]").add(GE(f, ZERO))
    top.maximizes((ONE, ONE), x, p, tie=(ZERO, ONE))
    low = br.copy(" [face right end]").add(LE(f, ZERO))
    low.maximizes((ONE, ONE), x, p, tie=(ONE, ZERO))
    return [equal, top, low]


def _rose(br: Branch, p: SymbolicProblem, x: Vec) -> list[Branch]:
    y1, y2 = br.ideal(p)
    b = (y1[0], y2[1])
    br.feasible(x, p)
    a = br.normal(x, p, strict=True)
    br.add(Equals(Times(a[0], Minus(b[0], x[0])), Times(a[1], Minus(b[1], x[1]))))
    br.extra["ideal"] = (y1, y2)
    return [br]


ENCODED_SOLUTIONS: dict[str, Callable[[Branch, SymbolicProblem, Vec], list[Branch]]] = {
    "nash": _nash,
    "kalai-smorodinsky": _kalai_smorodinsky,
    "egalitarian": _egalitarian,
    "utilitarian": _utilitarian,
    "rose-points": _rose,
}


def solution_alternatives(concept_id: str, problem: SymbolicProblem, x: Vec, prefix: str = "v",
                          name: str = "") -> list[Branch]:
    """Conjunctive alternatives whose disjunction says: x is (one of) the
    concept's solution point(s) of the non-degenerate `problem`."""
    if concept_id not in ENCODED_SOLUTIONS:
        raise ValueError(f"no SMT encoding of the bargaining solution {concept_id!r}")
    return ENCODED_SOLUTIONS[concept_id](Branch(name or concept_id, prefix), problem, x)


# -- the violations -----------------------------------------------------------------------


def _ks_cases(br: Branch) -> list[Branch]:
    """Kalai–Smorodinsky's ray parameter s and supporting normal w, split
    exhaustively: w1 = 0, w2 = 0 or w > 0; and s < 1, s > 1 or s = 1 (recorded
    as sign facts / equalities for the product cuts; the KKT multipliers of the
    ideal point's maximizers are multiplied with them and with x − d ≥ 0). With w1 = 0 the supporting
    line is horizontal, so x2 = b2 and the ray forces x = b."""
    s, w = br.extra["ks"]
    out = []
    for label, normal in (("w1 = 0", 0), ("w2 = 0", 1), ("w > 0", None)):
        alt = br.copy(f" [{label}]")
        if normal is None:
            alt.sign(w[0], True).sign(w[1], True)
        else:
            alt.equal(w[normal], ZERO)
        for s_label, term, strict in (("s < 1", Minus(ONE, s), True), ("s > 1", Minus(s, ONE), True),
                                      ("s = 1", None, None)):
            case = alt.copy(f" [{s_label}]")
            if term is None:
                case.equal(s, ONE)
            else:
                case.sign(term, strict)
            # x − d = s(b − d) ≥ 0 (s ≥ 0, b > d): implied, for the multiplier products
            case.bounds += [Minus(x, d) for x, d in zip(case.extra["ks_x"], case.extra["ks_d"])]
            case.extra["multiplier_cuts"] = True
            out.append(case)
    return out


def _pareto(strong: bool):
    def cases(br: Branch, p: SymbolicProblem, x: Vec) -> list[Branch]:
        y = br.point("y")
        br.feasible(y, p)
        if strong and "ks" in br.extra:
            return [alt for case in _ks_cases(br) for alt in cases_for(case, x, y)]
        return cases_for(br, x, y)

    def cases_for(br: Branch, x: Vec, y: Vec) -> list[Branch]:
        out = []
        for i in ((None,) if not strong else (0, 1)):
            alt = br.copy(": y > x" if i is None else f": y ≥ x, y{i + 1} > x{i + 1}")
            for c in range(2):
                alt.sign(Minus(y[c], x[c]), i is None or i == c)
            out.append(alt)
        return out
    return cases


def _individual_rationality(br: Branch, p: SymbolicProblem, x: Vec) -> list[Branch]:
    d = p.disagreement
    return [br.copy(f": x{i + 1} < d{i + 1}").add(LT(x[i], d[i])) for i in range(2)]


def _random_dictator(br: Branch, p: SymbolicProblem, x: Vec) -> list[Branch]:
    # r_i = (b_i + top-or-right_i)/2: the own dictator coordinate is b_i (exact,
    # from the ideal point's maximizers), the other dictator's point is any
    # maximizer of u_j over S_d (see the module doc).
    y1, y2 = br.extra.get("ideal") or br.ideal(p)
    out = []
    for i, (own, other) in enumerate(((y1, y2), (y2, y1))):
        alt = br.copy(f": x{i + 1} < r{i + 1}")
        alt.sign(Minus(Plus(own[i], other[i]), Times(real_const(2), x[i])), True)
        alt.extra["multiplier_cuts"] = True  # the maximizers' KKT multipliers times the sign facts and bounds
        out.append(alt)
    return out


_POINT_DESIDERATA = {
    "weak-pareto": _pareto(strong=False),
    "pareto": _pareto(strong=True),
    "individual-rationality": _individual_rationality,
    "random-dictator": _random_dictator,
}

PAIR_DESIDERATA = ("iia", "resource-monotonicity", "individual-monotonicity")
ENCODED_DESIDERATA = tuple(_POINT_DESIDERATA) + ("symmetry",) + PAIR_DESIDERATA + ("scale",)
POINT_VALUED = ("nash", "kalai-smorodinsky", "egalitarian", "utilitarian")


def sub_problem(problem: SymbolicProblem, m: int, bound, name: str = "u") -> SymbolicProblem:
    """A second symbolic problem with m unknown payoff points (coordinates in
    [−bound, bound]) and the same disagreement point as `problem`; that it lies
    inside `problem` is asserted by `_inside` in each branch."""
    own = SymbolicProblem.unknown(m, bound, name)
    unknowns = {label: jc for label, jc in own.unknowns.items() if jc[0] < m}
    return SymbolicProblem(own.points, problem.disagreement, name, unknowns, own.constraints[: 4 * m],
                           Fraction(bound))


def affine_image(problem: SymbolicProblem, scale: Vec, shift: Vec, name: str = "a") -> SymbolicProblem:
    """The problem with u_c ↦ scale_c·u_c + shift_c applied to every point and to d."""
    def f(q: Vec) -> Vec:
        return (Plus(Times(scale[0], q[0]), shift[0]), Plus(Times(scale[1], q[1]), shift[1]))
    return SymbolicProblem([f(q) for q in problem.points], f(problem.disagreement), name, {}, [], None)


def _merge(big: Branch, small: Branch, name: str) -> Branch:
    """One alternative made of an alternative for the big problem's solution and
    one for the second problem's (their fresh symbols have distinct prefixes)."""
    return Branch(name, big.prefix, big.constraints + small.constraints, big.combos + small.combos,
                  big.supports + small.supports, big.counter, big.weights + small.weights,
                  big.signs + small.signs, {"big": big.extra, "small": small.extra, "multiplier_cuts": True},
                  big.equalities + small.equalities, big.multipliers + small.multipliers, big.bounds + small.bounds,
                  big.complementary + small.complementary)


def _inside(br: Branch, small: SymbolicProblem, big: SymbolicProblem) -> None:
    """small ⊆ big: every generator of small (its points; d is shared) is in F_big,
    and (implied) every support of F_big recorded so far supports small's
    generators: w·s ≤ Σλ_j w·q_j ≤ w·x (λ ≥ 0 sum 1, w ≥ 0), so the RLT cuts
    also aggregate membership witnesses over small's generators."""
    for q in small.points:
        br.feasible(q, big)
    big_gens = big.generators
    for w, x, gens in list(br.supports):
        if gens == big_gens:
            for q in small.points:
                br.add(LE(_dot(w, q), _dot(w, x)))
            br.supports.append((w, x, small.generators))


def _differs(br: Branch, u: Vec, v: Vec) -> list[Branch]:
    """u ≠ v as six exhaustive alternatives over the signs of u − v (coordinate 1
    strictly up or down, the other coordinate's sign split in two; or coordinate 1
    equal and coordinate 2 strictly up or down); every sign is recorded for the cuts."""
    out = []
    up = lambda c: Minus(u[c], v[c])  # noqa: E731
    down = lambda c: Minus(v[c], u[c])  # noqa: E731
    for first, name in ((up, ">"), (down, "<")):
        for second, strict, label in ((first, False, "≥" if name == ">" else "≤"),
                                      (down if name == ">" else up, True, "<" if name == ">" else ">")):
            alt = br.copy(f": x'1 {name} x1, x'2 {label} x2")
            alt.sign(first(0), True).sign(second(1), strict)
            out.append(alt)
    for second, name in ((up, ">"), (down, "<")):
        alt = br.copy(f": x'1 = x1, x'2 {name} x2")
        alt.equal(u[0], v[0])
        alt.sign(second(1), True)
        out.append(alt)
    return out


def pair_violation_alternatives(concept_id: str, desideratum_id: str, problem: SymbolicProblem, second: SymbolicProblem,
                                prefix: str = "v") -> list[Branch]:
    """The violations that compare two problems, for a point-valued concept:
    `second` is the sub-problem S ⊆ T = `problem` (same d) for iia,
    resource-monotonicity and individual-monotonicity, and x = f(T), x' = f(S):
    iia: x ∈ F_S and x' ≠ x; resource-monotonicity: x'_i > x_i for some i;
    individual-monotonicity: b^S_j = b^T_j and x'_i > x_i (j ≠ i), b the ideal
    points. The sub-problem's inclusion is asserted here (`_inside`)."""
    if concept_id not in POINT_VALUED:
        raise ValueError(f"the two-problem encodings are for point-valued concepts; not {concept_id!r}")
    x = (Symbol(f"{prefix}_xa", REAL), Symbol(f"{prefix}_xb", REAL))
    xs = (Symbol(f"{prefix}_ya", REAL), Symbol(f"{prefix}_yb", REAL))
    out = []
    for big in solution_alternatives(concept_id, problem, x, prefix + "t"):
        for small in solution_alternatives(concept_id, second, xs, prefix + "s"):
            br = _merge(big, small, f"{big.name} on T; {small.name} on S")
            _inside(br, second, problem)
            if desideratum_id == "iia":
                br.feasible(x, second)
                if concept_id == "utilitarian":
                    # implied: x' ∈ S_d(S) ⊆ S_d(T), where x maximizes u1 + u2, and x ∈ S_d(S)
                    # (x ∈ F_S, x ≥ d), where x' maximizes it: the sums are equal
                    br.equal(Plus(x[0], x[1]), Plus(xs[0], xs[1]))
                out += _differs(br, xs, x)
            elif desideratum_id == "resource-monotonicity":
                for i in range(2):
                    out.append(br.copy(f": x'{i + 1} > x{i + 1}").sign(Minus(xs[i], x[i]), True))
            elif desideratum_id == "individual-monotonicity":
                if concept_id != "kalai-smorodinsky":
                    raise ValueError("individual monotonicity is encoded for kalai-smorodinsky only")
                bt, bs = br.extra["big"]["ideal"], br.extra["small"]["ideal"]
                s_t, s_s = br.extra["big"]["ks"][0], br.extra["small"]["ks"][0]
                for i in range(2):
                    j = 1 - i
                    alt = br.copy(f": b^S{j + 1} = b^T{j + 1}, x'{i + 1} > x{i + 1}")
                    alt.equal(bs[j][j], bt[j][j])
                    alt.sign(Minus(xs[i], x[i]), True)
                    # b^S_i ≤ b^T_i: `ideal_monotonicity_lemmas`, proved with the cell
                    alt.sign(Minus(bt[i][i], bs[i][i]), False)
                    # the ray parameters (exhaustive): s' ≤ s, or s' > s and then (implied, as
                    # b^S_j = b^T_j > d_j) x'_j − x_j = (s' − s)(b_j − d_j) > 0
                    out.append(alt.copy(": s' ≤ s").sign(Minus(s_t, s_s), False))
                    out.append(alt.copy(": s' > s").sign(Minus(s_s, s_t), True).sign(Minus(xs[j], x[j]), True))
            else:
                raise ValueError(f"no two-problem encoding of {desideratum_id!r}")
    return out


def affine_violation_alternatives(concept_id: str, problem: SymbolicProblem, scale: Vec, shift: Vec,
                                  prefix: str = "v") -> list[Branch]:
    """Affine invariance violated: x = f(T), the image T' = A(T) with
    A(u) = scale⊙u + shift (scale > 0 asserted by the caller), and f(T') ≠ A(x).
    f(T') is written A(y) (A is a bijection: every point of the plane is A(y)
    for exactly one y), so the violation is y ≠ x."""
    if concept_id not in POINT_VALUED:
        raise ValueError(f"the affine encoding is for point-valued concepts; not {concept_id!r}")
    x = (Symbol(f"{prefix}_xa", REAL), Symbol(f"{prefix}_xb", REAL))
    y = (Symbol(f"{prefix}_ya", REAL), Symbol(f"{prefix}_yb", REAL))
    image = affine_image(problem, scale, shift, prefix + "img")
    ay = (Plus(Times(scale[0], y[0]), shift[0]), Plus(Times(scale[1], y[1]), shift[1]))
    out = []
    for big in solution_alternatives(concept_id, problem, x, prefix + "t"):
        for moved in solution_alternatives(concept_id, image, ay, prefix + "m"):
            br = _merge(big, moved, f"{big.name} on T; {moved.name} on A(T)")
            out += _differs(br, y, x)
    return out


def violation_alternatives(concept_id: str, desideratum_id: str, problem: SymbolicProblem,
                           prefix: str = "v") -> list[Branch]:
    """Conjunctive alternatives whose disjunction is a violation of the
    desideratum by the concept on some non-degenerate problem of the scope
    (the problem's own domain constraints are added by the caller)."""
    x = (Symbol(f"{prefix}_xa", REAL), Symbol(f"{prefix}_xb", REAL))
    if desideratum_id == "symmetry":
        if concept_id == "rose-points":
            raise ValueError("symmetry of the set-valued ROSE points has no SMT encoding here")
        out = []
        d = problem.disagreement
        for low_first in (True, False):
            sym = problem.symmetrized(low_first)
            order = LE(d[0], d[1]) if low_first else LE(d[1], d[0])
            for br in solution_alternatives(concept_id, sym, x, prefix, f"{concept_id} (m = d{1 if low_first else 2})"):
                br.add(order)
                _mirror_combos(br)
                if concept_id == "kalai-smorodinsky":
                    # b1 = b2 on a symmetric problem: `symmetric_ideal_lemmas`, proved with the cell
                    y1, y2 = br.extra["ideal"]
                    br.equal(y1[0], y2[1])
                if concept_id == "utilitarian":
                    # the tie-break's KKT multipliers times the sign facts (x1 − x2 below) and x − d ≥ 0
                    br.extra["multiplier_cuts"] = True
                for i in range(2):
                    alt = br.copy(f": x{i + 1} > x{2 - i}")
                    alt.sign(Minus(x[i], x[1 - i]), True)
                    out.append(alt)
        return out
    if desideratum_id not in _POINT_DESIDERATA:
        raise ValueError(f"no SMT encoding of the bargaining desideratum {desideratum_id!r}")
    if desideratum_id == "random-dictator" and concept_id != "rose-points":
        pass  # every encoded solution can be checked; only ROSE is expected to hold
    out = []
    for br in solution_alternatives(concept_id, problem, x, prefix):
        out += _POINT_DESIDERATA[desideratum_id](br, problem, x)
    return out


def ideal_monotonicity_lemmas(problem: SymbolicProblem, second: SymbolicProblem, prefix: str = "k") -> list[Branch]:
    """For i = 1, 2: a maximizer y of u_i over S_d(S) and y' over S_d(T), with
    S = `second` ⊆ T = `problem` (asserted by `_inside`) and y_i > y'_i: UNSAT
    on both says b^S ≤ b^T, the fact the Kalai–Smorodinsky individual
    monotonicity encoding adds."""
    out = []
    for i in range(2):
        br = Branch(f"lemma: ideal point monotone in the problem: b^S{i + 1} > b^T{i + 1}", prefix)
        c = (ONE, ZERO) if i == 0 else (ZERO, ONE)
        y, y_t = br.point("y"), br.point("t")
        br.rational(y_t, problem)
        br.maximizes(c, y_t, problem)
        br.rational(y, second)
        br.maximizes(c, y, second)
        _inside(br, second, problem)
        br.sign(Minus(y[i], y_t[i]), True)
        br.extra["multiplier_cuts"] = True
        out.append(br)
    return out


def _mirror_combos(br: Branch) -> None:
    """The mirror image of every membership witness (implied: the symmetrized
    problem's generators are closed under the swap), for the cuts."""
    br.combos += [((y[1], y[0]), lam, [(q[1], q[0]) for q in gens]) for y, lam, gens in list(br.combos)]


def symmetric_ideal_lemmas(problem: SymbolicProblem, prefix: str = "j") -> list[Branch]:
    """On the symmetrization (both choices of m, as in the symmetry encoding),
    maximizers y1 of u1 and y2 of u2 over S_d (the ideal point's witnesses)
    with b1 = y1_1 ≠ y2_2 = b2 (two alternatives): UNSAT on all four says the
    ideal point of a symmetric problem is on the diagonal, the fact the
    Kalai–Smorodinsky symmetry encoding adds."""
    d = problem.disagreement
    out = []
    for low_first in (True, False):
        sym = problem.symmetrized(low_first)
        for first in range(2):
            br = Branch(f"lemma: symmetric ideal point (m = d{1 if low_first else 2}): b{first + 1} > b{2 - first}",
                        prefix)
            br.add(LE(d[0], d[1]) if low_first else LE(d[1], d[0]))
            y1, y2 = br.ideal(sym)
            _mirror_combos(br)
            b = (y1[0], y2[1])
            br.sign(Minus(b[first], b[1 - first]), True)
            br.extra["multiplier_cuts"] = True
            out.append(br)
    return out


def complementarity_split(branch: Branch, depth: int) -> list[Branch]:
    """The branch split on its depth-th complementarity pair z·(y − d) = 0 into
    z = 0 and y − d = 0 (exhaustive: the product is asserted zero); the
    equality is recorded for the product cuts. [] when there is no such pair."""
    if depth >= len(branch.complementary):
        return []
    z, gap = branch.complementary[depth]
    out = []
    for label, term in (("z = 0", z), ("y = d", gap)):
        alt = branch.copy(f" | split {depth + 1}: {label} ({term})")
        alt.equal(term, ZERO)
        out.append(alt)
    return out


def implied_cuts(branch: Branch) -> list[FNode]:
    """The RLT aggregations of every membership witness with every support whose
    generators include the witness's (see the module doc), and the products of
    every recorded sign fact with every normal component and sign fact, and of
    every recorded equality (term = 0) with them (= 0); all implied by the branch."""
    cuts = []
    for (y, lam, gens), (w, x, sgens) in itertools.product(branch.combos, branch.supports):
        if not set(gens) <= set(sgens):
            continue
        wx = _dot(w, x)
        weighted = [Times(v, _dot(w, q)) for v, q in zip(lam, gens)]
        cuts.append(LE(linear_sum(weighted), Times(linear_sum(lam), wx)))
        cuts.append(LE(_dot(w, y), linear_sum(weighted)))
    facts = branch.signs
    pairs = [(a, b) for a in branch.weights for b in facts]
    pairs += [(facts[i], facts[j]) for i in range(len(facts)) for j in range(i, len(facts))]
    for (a, sa), (b, sb) in pairs:
        cuts.append((GT if sa and sb else GE)(Times(a, b), ZERO))
    for e in branch.equalities:  # e = 0 times every normal component and sign fact
        for a, _ in branch.weights + facts:
            cuts.append(Equals(Times(e, a), ZERO))
    if branch.extra.get("multiplier_cuts"):  # (two-problem cells) KKT multipliers × equalities, signs, bounds
        for z in branch.multipliers:
            cuts += [Equals(Times(z, e), ZERO) for e in branch.equalities]
            cuts += [GE(Times(z, t), ZERO) for t, _ in facts]
            cuts += [GE(Times(z, t), ZERO) for t in branch.bounds]
    return cuts


def branch_formula(branch: Branch, problem: SymbolicProblem, cuts: bool = True) -> FNode:
    parts = list(problem.constraints) + list(branch.constraints)
    if cuts:
        parts += implied_cuts(branch)
    return And(parts)


__all__.append("branch_formula")


# -- affine invariance by witness transfer ---------------------------------------------------


def _ray_differs(br: Branch) -> list[Branch]:
    """Two Kalai–Smorodinsky points x = d + s(b − d), x' = d + s'(b − d) on one
    ideal point b > d differ only if s' ≠ s: the alternatives s' > s and s' < s
    (a relaxation of x' ≠ x), each with the implied facts x'_c − x_c = (s' − s)(b_c − d_c)
    of the same strict sign, recorded for the product cuts."""
    s, _ = br.extra["big"]["ks"]
    s2, _ = br.extra["small"]["ks"]
    x, x2 = br.extra["big"]["ks_x"], br.extra["small"]["ks_x"]
    out = []
    for label, up, low in (("s' > s", s2, s), ("s' < s", s, s2)):
        alt = br.copy(f": {label}")
        alt.sign(Minus(up, low), True)
        for c in range(2):
            alt.sign(Minus(x2[c], x[c]) if up is s2 else Minus(x[c], x2[c]), True)
        out.append(alt)
    return out


def uniqueness_alternatives(concept_id: str, problem: SymbolicProblem, x: Vec, y: Vec,
                            prefix: str = "v") -> list[Branch]:
    """x and y both the (point-valued) concept's solution of `problem`, y ≠ x:
    UNSAT on every alternative means the characterization has one solution.
    For Kalai–Smorodinsky the second solution reuses the first one's ideal-point
    maximizers (sound only with `ideal_lemmas` proved: every maximizer of u_i over
    S_d has the same i-th coordinate) and y ≠ x is relaxed to a different ray
    parameter (`_ray_differs`)."""
    if concept_id not in POINT_VALUED:
        raise ValueError(f"uniqueness is for point-valued concepts; not {concept_id!r}")
    out = []
    for first in solution_alternatives(concept_id, problem, x, prefix + "t"):
        start = Branch(f"{concept_id}'", prefix + "u")
        if concept_id == "kalai-smorodinsky":
            start.extra["shared_ideal"] = first.extra["ideal"]
        for second in ENCODED_SOLUTIONS[concept_id](start, problem, y):
            br = _merge(first, second, f"{first.name}; {second.name}")
            out += _ray_differs(br) if concept_id == "kalai-smorodinsky" else _differs(br, y, x)
    return out


def ideal_lemmas(problem: SymbolicProblem, prefix: str = "i") -> list[Branch]:
    """For i = 1, 2: two maximizers y, y' of u_i over S_d (each with its KKT
    multipliers) and y'_i > y_i; UNSAT on both says the ideal point is unique."""
    out = []
    for i in range(2):
        br = Branch(f"lemma: ideal point unique: two maximizers of u{i + 1} differ in u{i + 1}", prefix)
        c = (ONE, ZERO) if i == 0 else (ZERO, ONE)
        y, y2 = br.point("y"), br.point("v")
        for p in (y, y2):
            br.rational(p, problem)
            br.maximizes(c, p, problem)
        br.sign(Minus(y2[i], y[i]), True)
        br.extra["multiplier_cuts"] = True
        out.append(br)
    return out


@dataclass
class Transfer:
    """A witness transfer for a positive affine map A (`witness_transfer`):
    `hypotheses` the concept's characterization of A(y) on A(T) (witnesses s),
    `definitions` T-witnesses t in terms of s (equations t·D = N, each D > 0
    by a lemma: `denominators`), `targets` the characterization of y on T in the
    t's: hypotheses ∧ definitions imply every target."""

    hypotheses: list[FNode]
    definitions: list[FNode]
    denominators: list[FNode]
    targets: list[FNode]
    defined: list[tuple[FNode, FNode, FNode | None]]  # (definition, t, its denominator D or None for D = 1 or scale)


def witness_transfer(concept_id: str, problem: SymbolicProblem, scale: Vec, shift: Vec, y: Vec,
                     prefix: str = "w") -> Transfer:
    """The characterization of A(y) as the concept's solution of A(T), with
    A(u) = scale⊙u + shift (scale > 0), and of y as that of T, built by one
    encoding run each (no case splits), with the witnesses paired in creation
    order by their roles (`Branch.fresh`): points p of A(T)'s run are A(p̃)
    with p̃ = T's point, convex weights and ray parameters are unchanged, a
    normal (w1, 1 − w1) of A(T) becomes the normalized (a1·w1, a2·(1 − w1)), a
    KKT multiplier z of maximizing u_i becomes z̃_j = a_j·z_j / a_i (so that
    e_i + z̃ ∝ a ⊙ (e_i + z)). Raises ValueError for a concept with a witness of
    no rule (the utilitarian tie-break's multiplier: utilitarian is not scale invariant)."""
    if concept_id not in ("nash", "kalai-smorodinsky", "egalitarian"):
        raise ValueError(f"no witness transfer under affine maps for {concept_id!r}")

    def a_map(q: Vec) -> Vec:
        return (Plus(Times(scale[0], q[0]), shift[0]), Plus(Times(scale[1], q[1]), shift[1]))

    image = affine_image(problem, scale, shift, prefix + "img")
    moved = Branch(f"{concept_id} on A(T)", prefix + "m", image=a_map)
    plain = Branch(f"{concept_id} on T", prefix + "p")
    moved.extra["unsplit"] = plain.extra["unsplit"] = True
    [moved_branch] = ENCODED_SOLUTIONS[concept_id](moved, image, a_map(y))
    [plain_branch] = ENCODED_SOLUTIONS[concept_id](plain, problem, y)
    if [r for _, r in moved.created] != [r for _, r in plain.created]:
        raise ValueError(f"the encodings of {concept_id!r} on T and A(T) do not pair their witnesses")
    defined: list[tuple[FNode, FNode, FNode | None]] = []
    for (t, role), (s, _) in zip(plain.created, moved.created):
        if role == ("same",):
            defined.append((Equals(t, s), t, None))
        elif role == ("normal",):
            den = Plus(Times(scale[0], s), Times(scale[1], Minus(ONE, s)))
            defined.append((Equals(Times(t, den), Times(scale[0], s)), t, den))
        elif role[0] == "multiplier":
            i, j = role[1], role[2]
            defined.append((Equals(t, s) if i == j else Equals(Times(t, scale[i]), Times(scale[j], s)), t, None))
        else:
            raise ValueError(f"no transfer rule for a witness of role {role} in {concept_id!r}")
    return Transfer(moved_branch.constraints, [e for e, _, _ in defined],
                    [den for _, _, den in defined if den is not None], plain_branch.constraints, defined)


def transfer_lemmas(concept_id: str, problem: SymbolicProblem, scale: Vec, shift: Vec, y: Vec,
                    prefix: str = "w") -> list[Branch]:
    """The lemma queries of `witness_transfer`, as branches (no cut records), all
    UNSAT when the transfer is right:
    scale > 0 ∧ hypotheses ∧ D ≤ 0 for each denominator D; and, for the k-th
    target (the two runs build their constraints in the same order, so the k-th
    hypothesis is the same constraint on A(T)), scale > 0 ∧ (D > 0 for the
    denominators of its t's) ∧ hypothesis k ∧ the definitions of its t's ∧ ¬target k.
    Together: whenever A(y) is the concept's solution of A(T) (with any
    witnesses), the defined t's exist (D > 0) and witness that y is T's solution
    (each lemma assumes a subset of hypotheses ∧ definitions ∧ D > 0)."""
    tr = witness_transfer(concept_id, problem, scale, shift, y, prefix)
    if len(tr.hypotheses) != len(tr.targets):
        raise ValueError(f"the encodings of {concept_id!r} on T and A(T) do not pair their constraints")
    positive = [GT(scale[0], ZERO), GT(scale[1], ZERO)]
    out = []
    for k, den in enumerate(tr.denominators):
        out.append(Branch(f"transfer lemma: denominator {k + 1} > 0", prefix,
                          positive + tr.hypotheses + [LE(den, ZERO)]))
    seen = set()
    for k, (hypothesis, target) in enumerate(zip(tr.hypotheses, tr.targets)):
        if (hypothesis, target) in seen:
            continue
        seen.add((hypothesis, target))
        names = target.get_free_variables()
        used = [(e, den) for e, t, den in tr.defined if t in names]
        facts = positive + [GT(den, ZERO) for _, den in used if den is not None]
        out.append(Branch(f"transfer lemma: constraint {k + 1} ({target.serialize()[:80]})", prefix,
                          facts + [hypothesis] + [e for e, _ in used] + [Not(target)]))
    return out


__all__ += ["uniqueness_alternatives", "ideal_lemmas", "symmetric_ideal_lemmas", "ideal_monotonicity_lemmas",
            "Transfer", "witness_transfer", "transfer_lemmas"]
