"""The n-player ROSE value (seed 000, "ROSE Value, Final Definitions",
Definitions 1-4) and the ROSE-joint variant, with proven accuracy.

Definitions (ranks 1..n of an initiative ordering σ; in code ranks are 0-based):
    V(μ, a, n) = max_{ν ∈ Δ(A_n)} E_{μ×ν}[Σ_{j=a..n} U_j]
    V(μ, a, b) = max_{ν ∈ Δ(A_b)} [V(μ×ν, a, b+1) − V(μ×ν, b+1, b+1)]   (b < n)
    W_b = max_μ V(μ, 1, b)  (μ a (b−1)-context),  W_0 = 0,  W_n = M,
    initiative value of rank b: V_b = W_b − W_{b−1};  ROSE_i = mean over σ.
`rose` takes contexts in Π_{i<b} Δ(A_i) (the seed's factorized contexts).
`rose-joint` takes contexts in Δ(Π_{i<b} A_i): the maxima defining W_b run
over joint distributions of the earlier ranks; inside Definition 3 the
context is still extended by the product μ×ν with rank b's mixed strategy.
Consequence: for n ≤ 3 the two coincide (a context of one rank is a mixed
strategy), so ROSE-joint differs from ROSE only from 4 players on.

How the value is computed
-------------------------
1. The last two ranks are exact. For a fixed rational context μ,
   V(μ, a, n−1) = max_{b₁} val(T_a(·,b₁)·1ᵀ − F), the value of the matrix game
   (rank n−1 maximizing over rows x, rank n minimizing over columns c) with
   T_a[x][y] = E_μ[Σ_{j≥a} U_j(·,x,y)] and F[x][y] = E_μ[U_n(·,x,y)]: the
   2-player LP trick of `rose2.extractable_surplus` (max over the first inner
   argmax b₁ of a concave problem), by LP duality a matrix-game value. So n = 2
   is exact and equals `rose2_value`.
2. The remaining maxima (over contexts and over ν for b < n−1) are global
   maxima of non-concave functions over products of simplices. They are
   computed by branch and bound over cells, a cell being a product of
   sub-simplices ("factors"); cells are split by bisecting their longest edge
   (in total-variation distance).
   - Lower bound: the exact value at evaluated rational points (the vertices
     of every cell produced); for nested levels (n ≥ 4) the lower end of the
     point's own proven interval.
   - Upper bound of a cell C, at the exact level (b = n−1): for every b₁ and
     any map λ: C → Δ(A_n), val(G(μ)) ≤ max_x Σ_c λ_c(μ) G(μ)[x][c]
     (weak duality). Take λ(μ) = Σ_K β_K(μ) λ*_K, the interpolation of the
     optimal column strategies at the vertex combinations K of C with the
     product barycentric weights β_K(μ) (Σ_K β_K = 1, β ≥ 0). T and F are
     multilinear in the factors, so T(μ) = Σ_I β_I(μ) T_I as well, and the
     bound is a form Σ_{K,I} β_K β_I H[K][I] of degree 2 in each factor's
     barycentric coordinates; its maximum over C is at most its largest
     Bernstein coefficient (the average of H over the pairs (K,I) that give
     the same monomial), since the Bernstein basis functions are ≥ 0 and sum
     to 1. Lower bounds use the same construction with the interpolated
     optimal row strategies ν*_K of one b₁ (val ≥ min_c Σ_x ν_x G[x][c]).
     The difference V(·,a,n−1) − V(·,b,n−1) is bounded jointly (one form for
     the difference), which keeps it tight where both terms move together.
     At a point these bounds are the exact value; on a cell of width h they
     are within O(h) of it in general and within O(h²) where the optimal
     bases do not change (interpolated strategies are then second-order
     accurate), so the search converges fast near smooth interior maxima.
   - Nested levels (n ≥ 4): an inner branch and bound over ν ∈ Δ(A_b), with
     the context cell fixed, gives an enclosure of V(·, a, b) valid for every
     μ in the cell (its upper bound: max over ν-cells of the upper bounds; its
     lower bound: max over fixed ν of lower bounds valid on the whole context
     cell), and differences are bounded termwise.
   This refines the Lipschitz argument: measuring contexts by the sum over
   factors of total-variation distances, |E_μ f − E_μ' f| ≤ TV·range(f) per
   factor, so V(·, a, n) is Lipschitz with L(a, n) = range(Σ_{j≥a} U_j), and
   L(a, b) ≤ L(a, b+1) + L(b+1, b+1) (maxima keep Lipschitz constants,
   differences add them). Hence every bound above tends to the value as cells
   shrink, the search terminates for any positive tolerance, and when the
   upper bounds of all remaining cells fall to the best evaluated value the
   maximum is attained there and is exact (rational).
3. Pareto by construction: each W_b is known in an interval [l_b, u_b]; we use
   w_b = (l_b + u_b)/2 with error e_b = (u_b − l_b)/2, w_0 = 0 and w_n = M
   exactly, so the initiative values w_b − w_{b−1} sum to M exactly for every
   ordering (asserted), and rank b's value is within e_b + e_{b−1}.

A result is "rational" (exact) when every interval closed; otherwise
"numeric" with the proven `error_bound` (the largest over players of the
ordering-averaged errors). The default tolerance is 1e-9 times the payoff
range per initiative value; a node budget stops very long searches, and the
error bound then reports the gap actually proven.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence

from ..deadline import check_deadline
from ..games import Game, GameError, to_fraction
from ..lp import matrix_game_value
from .basic import total_surplus
from .registry import Valuation

__all__ = [
    "DEFAULT_TOLERANCE",
    "InitiativeValues",
    "initiative_values",
    "contextual_value",
    "rose_value",
    "rose_joint_value",
]

DEFAULT_TOLERANCE = Fraction(1, 10**6)
"""Default accuracy per initiative value, relative to the payoff range."""

_ZERO = Fraction(0)
_ONE = Fraction(1)
_NUDGE = Fraction(1, 2**24)
# Node budgets of the nested searches (n ≥ 4): outer search over contexts whose
# objective needs inner searches, inner search at a point, inner search on a cell.
_NESTED_NODES = 30
_INNER_POINT_NODES = 20
_INNER_CELL_NODES = 3

Vertex = tuple[Fraction, ...]
Factor = tuple[Vertex, ...]
Cell = tuple[Factor, ...]


@dataclass(frozen=True)
class InitiativeValues:
    """Initiative values of one ordering, indexed by rank (0 = first
    initiative): `values[r]` is within `errors[r]` of the true value (proven);
    `exact` when every error is 0. Σ values = M exactly."""

    ordering: tuple[int, ...]
    values: tuple[Fraction, ...]
    errors: tuple[Fraction, ...]
    coalition_bounds: tuple[tuple[Fraction, Fraction], ...]

    @property
    def exact(self) -> bool:
        return all(e == 0 for e in self.errors)


# -- exact small matrix games ------------------------------------------------


def _solve_matrix_game(g: list[list[Fraction]]) -> tuple[Fraction, tuple[Fraction, ...], tuple[Fraction, ...], bool]:
    """(value, optimal row strategy, optimal column strategy, unique) of the
    zero-sum game g (row player maximizing). Exact: saddle point, 2x2 formula
    or LP; `unique` when the optimal strategies are known to be unique."""
    rows, cols = len(g), len(g[0])
    row_mins = [min(r) for r in g]
    lower = max(row_mins)
    col_maxs = [max(g[r][c] for r in range(rows)) for c in range(cols)]
    upper = min(col_maxs)
    if lower == upper:
        r_star = row_mins.index(lower)
        c_star = col_maxs.index(upper)
        x = tuple(_ONE if r == r_star else _ZERO for r in range(rows))
        y = tuple(_ONE if c == c_star else _ZERO for c in range(cols))
        # A strict saddle point is the unique equilibrium of a zero-sum game.
        strict = all(g[r][c_star] < lower for r in range(rows) if r != r_star) and all(
            g[r_star][c] > lower for c in range(cols) if c != c_star
        )
        return lower, x, y, strict
    if rows == 2 and cols == 2:
        # No saddle point: the unique optimal strategies are completely mixed.
        (a, b), (c, d) = g
        den = a + d - b - c
        value = (a * d - b * c) / den
        return value, ((d - c) / den, (a - b) / den), ((d - b) / den, (a - c) / den), True
    value, x = matrix_game_value(g)
    _, y = matrix_game_value([[-g[r][c] for r in range(rows)] for c in range(cols)])
    return value, tuple(x), tuple(y), False


# -- the initiative game of one ordering ----------------------------------------


def _standard_simplex(size: int) -> Factor:
    return tuple(tuple(_ONE if j == i else _ZERO for j in range(size)) for i in range(size))


def _is_point(cell: Cell) -> bool:
    return all(len(f) == 1 for f in cell)


class _InitiativeGame:
    """One initiative game (G, σ) with caches; ranks are 0-based here."""

    def __init__(self, game: Game, ordering: Sequence[int], tolerance: Fraction, max_nodes: int):
        self.n = n = game.n_players
        self.ordering = tuple(ordering)
        self.k = [game.shape[p] for p in self.ordering]
        self.tolerance = tolerance
        self.max_nodes = max_nodes
        self.nodes = 0
        if n < 2:
            return
        # Payoffs re-indexed by rank: prefix profiles of ranks 0..n-3 (row-major),
        # then the matrices over (rank n-2, rank n-1).
        prefix_shape = self.k[: n - 2]
        self.prefixes = list(itertools.product(*(range(s) for s in prefix_shape)))
        kx, ky = self.k[n - 2], self.k[n - 1]
        self.kx, self.ky = kx, ky
        # tails[a][p][x][y] = Σ_{j ≥ a} U_(rank j), for a = 0..n-2; tails[n-1] = U_(rank n-1).
        self.tails: list[list[list[list[Fraction]]]] = [[] for _ in range(n)]
        for pre in self.prefixes:
            mats = [[[_ZERO] * ky for _ in range(kx)] for _ in range(n)]
            for x in range(kx):
                for y in range(ky):
                    ranked = pre + (x, y)
                    profile = [0] * n
                    for r, act in enumerate(ranked):
                        profile[self.ordering[r]] = act
                    outcome = game.outcome(profile)
                    acc = _ZERO
                    for j in range(n - 1, -1, -1):
                        acc += outcome[self.ordering[j]]
                        mats[j][x][y] = acc
            for j in range(n):
                self.tails[j].append(mats[j])
        self._weights_cache: dict = {}
        self._matrix_cache: dict = {}
        self._solution_cache: dict = {}
        self._classes_cache: dict = {}
        self._bounds_cache: dict = {}
        self._es_cache: dict = {}

    # ---- expectations over a product of factor vertices --------------------

    def _factor_layout(self, factors: Sequence[tuple[int, ...]]):
        key = tuple(factors)
        layout = self._weights_cache.get(key)
        if layout is None:
            layout = []
            for pre in self.prefixes:
                indices = []
                for ranks in factors:
                    idx = 0
                    for r in ranks:
                        idx = idx * self.k[r] + pre[r]
                    indices.append(idx)
                layout.append(tuple(indices))
            self._weights_cache[key] = layout
        return layout

    def _matrices(self, factors, combo: tuple[Vertex, ...], a: int) -> list[list[Fraction]]:
        """E over the product of the vertices in `combo` of tails[a] (a = n-1: F)."""
        key = (factors, combo, a)
        mat = self._matrix_cache.get(key)
        if mat is None:
            layout = self._factor_layout(factors)
            mat = [[_ZERO] * self.ky for _ in range(self.kx)]
            tails = self.tails[a]
            for p, indices in enumerate(layout):
                w = _ONE
                for vertex, idx in zip(combo, indices):
                    w *= vertex[idx]
                    if not w:
                        break
                if not w:
                    continue
                src = tails[p]
                for x in range(self.kx):
                    row, srow = mat[x], src[x]
                    for y in range(self.ky):
                        row[y] += w * srow[y]
            self._matrix_cache[key] = mat
        return mat

    def _solutions(self, factors, combo, a: int):
        """Per b₁: (value, row strategy, column strategy) of the game
        G[x][c] = T_a[x][b₁] − F[x][c] at the point `combo`."""
        key = (factors, combo, a)
        sols = self._solution_cache.get(key)
        if sols is None:
            t = self._matrices(factors, combo, a)
            f = self._matrices(factors, combo, self.n - 1)
            sols = []
            for b1 in range(self.ky):
                g = [[t[x][b1] - f[x][c] for c in range(self.ky)] for x in range(self.kx)]
                sols.append(_solve_matrix_game(g))
            self._solution_cache[key] = sols
        return sols

    def _directed_solutions(self, factors, cell: Cell, combo: tuple[Vertex, ...], a: int):
        """Per b₁: (value, row strategy, column strategy) at the vertex
        combination `combo` of the cell, preferring strategies that are optimal
        both at the vertex and at a point just inside the cell (towards its
        centre). At a kink the solver may return a strategy that is optimal at
        the vertex only on the far side; the inward one keeps the interpolated
        bounds exact on cells where the strategies are constant."""
        base = self._solutions(factors, combo, a)
        if all(sol[3] for sol in base):
            return base
        inward = []
        for vertex, factor in zip(combo, cell):
            centre = tuple(sum(col) / len(factor) for col in zip(*factor))
            inward.append(tuple(v + _NUDGE * (c - v) for v, c in zip(vertex, centre)))
        near = self._solutions(factors, tuple(inward), a)
        t = self._matrices(factors, combo, a)
        f = self._matrices(factors, combo, self.n - 1)
        out = []
        for b1, ((value, x, y, unique), (_, x_in, y_in, _)) in enumerate(zip(base, near)):
            if unique:
                out.append((value, x, y, unique))
                continue
            if x_in != x:
                worst = min(
                    sum(w * (t[r][b1] - f[r][c]) for r, w in enumerate(x_in) if w) for c in range(self.ky)
                )
                if worst == value:
                    x = x_in
            if y_in != y:
                best = max(
                    sum(w * (t[r][b1] - f[r][c]) for c, w in enumerate(y_in) if w) for r in range(self.kx)
                )
                if best == value:
                    y = y_in
            out.append((value, x, y, unique))
        return out

    def _classes(self, shape: tuple[int, ...]):
        """Bernstein classes of a cell with `shape` vertices per factor: lists
        of (K, I) index pairs over vertex combinations giving one monomial."""
        classes = self._classes_cache.get(shape)
        if classes is None:
            combos = list(itertools.product(*(range(m) for m in shape)))
            groups: dict = {}
            for ki, kc in enumerate(combos):
                for ii, ic in enumerate(combos):
                    mono = tuple((min(u, v), max(u, v)) for u, v in zip(kc, ic))
                    groups.setdefault(mono, []).append((ki, ii))
            classes = list(groups.values())
            self._classes_cache[shape] = classes
        return classes

    # ---- level n-1 (exact at points): V(·, a, n-1) and differences -------------

    def _es_bounds(self, factors, cell: Cell, a: int, minus: int | None) -> tuple[Fraction, Fraction]:
        """Enclosure over the cell (ranks 0..n-3) of V(μ,a,n-1) − V(μ,minus,n-1)
        (just V(μ,a,n-1) when minus is None): (≤ inf, ≥ sup). Exact at points."""
        key = (factors, cell, a, minus)
        hit = self._es_cache.get(key)
        if hit is not None:
            return hit
        check_deadline()  # a budget (specs.deadline) may end the value between two bounds
        combos = list(itertools.product(*cell))
        if len(combos) == 1:
            value = max(s[0] for s in self._solutions(factors, combos[0], a))
            if minus is not None:
                value -= max(s[0] for s in self._solutions(factors, combos[0], minus))
            result = (value, value)
            self._es_cache[key] = result
            return result
        classes = self._classes(tuple(len(f) for f in cell))
        kx, ky = self.kx, self.ky
        f_mats = [self._matrices(factors, c, self.n - 1) for c in combos]

        def upper_forms(term: int):
            # up[b1][x][class]: Bernstein coefficients of T_I[x][b1] − λ*_K,b1 · F_I[x].
            t_mats = [self._matrices(factors, c, term) for c in combos]
            sols = [self._directed_solutions(factors, cell, c, term) for c in combos]
            out = []
            for b1 in range(ky):
                # lf[K][I][x] = λ_K · F_I[x]
                lams = [s[b1][2] for s in sols]
                per_x = [[] for _ in range(kx)]
                for cls in classes:
                    acc = [_ZERO] * kx
                    for ki, ii in cls:
                        lam, fi, ti = lams[ki], f_mats[ii], t_mats[ii]
                        for x in range(kx):
                            fx = fi[x]
                            acc[x] += ti[x][b1] - sum(l * fx[c] for c, l in enumerate(lam) if l)
                    m = len(cls)
                    for x in range(kx):
                        per_x[x].append(acc[x] / m)
                out.append(per_x)
            return out

        def lower_forms(term: int):
            # lo[b1][c][class]: Bernstein coefficients of ν*_K,b1 · (T_I[·][b1] − F_I[·][c]).
            t_mats = [self._matrices(factors, c, term) for c in combos]
            sols = [self._directed_solutions(factors, cell, c, term) for c in combos]
            out = []
            for b1 in range(ky):
                nus = [s[b1][1] for s in sols]
                per_c = [[] for _ in range(ky)]
                for cls in classes:
                    acc = [_ZERO] * ky
                    for ki, ii in cls:
                        nu, fi, ti = nus[ki], f_mats[ii], t_mats[ii]
                        base = sum(w * ti[x][b1] for x, w in enumerate(nu) if w)
                        for c in range(ky):
                            acc[c] += base - sum(w * fi[x][c] for x, w in enumerate(nu) if w)
                    m = len(cls)
                    for c in range(ky):
                        per_c[c].append(acc[c] / m)
                out.append(per_c)
            return out

        n_cls = len(classes)
        up_a = upper_forms(a)
        lo_a = lower_forms(a)
        # max over (b1, x) of the upper forms, per class
        up_a_max = [max(up_a[b1][x][q] for b1 in range(ky) for x in range(kx)) for q in range(n_cls)]
        if minus is None:
            hi = max(up_a_max)
            lo = max(min(min(lo_a[b1][c][q] for c in range(ky)) for q in range(n_cls)) for b1 in range(ky))
        else:
            up_m = upper_forms(minus)
            lo_m = lower_forms(minus)
            up_m_max = [max(up_m[b1][x][q] for b1 in range(ky) for x in range(kx)) for q in range(n_cls)]
            hi = min(
                max(up_a_max[q] - min(lo_m[b1][c][q] for c in range(ky)) for q in range(n_cls))
                for b1 in range(ky)
            )
            lo = max(
                min(min(lo_a[b1][c][q] for c in range(ky)) - up_m_max[q] for q in range(n_cls))
                for b1 in range(ky)
            )
        result = (lo, hi)
        self._es_cache[key] = result
        return result

    # ---- branch and bound ---------------------------------------------------

    def _maximize(
        self,
        ctx: Cell,
        domain: Cell,
        objective: Callable[[Cell], tuple[Fraction, Fraction]],
        tolerance: Fraction,
        max_nodes: int,
    ) -> tuple[Fraction, Fraction]:
        """Enclosure (lo, hi) of the max over the domain of the objective, the
        context cell `ctx` prepended to every cell. `objective(cell)` returns
        (≤ inf, ≥ sup) over the full cell. lo is the best lower bound at a
        domain point (a vertex of some cell), hi the largest upper bound over
        the cells still covering the part of the domain not yet excluded.
        Stops when hi − lo ≤ tolerance (after a few more splits that may close
        the gap exactly), when hi = lo, or after `max_nodes` splits."""
        cells = [domain]
        seen: set = set()
        best = [None]

        def points(cell: Cell) -> None:
            for combo in itertools.product(*cell):
                if combo in seen:
                    continue
                seen.add(combo)
                lo, _ = objective(ctx + tuple((v,) for v in combo))
                if best[0] is None or lo > best[0]:
                    best[0] = lo

        counter = itertools.count()
        heap = []
        for cell in cells:
            points(cell)
        for cell in cells:
            _, hi = objective(ctx + cell)
            heap.append((-hi, next(counter), cell))
        heapq.heapify(heap)
        stuck: list[Fraction] = []
        nodes = 0
        tolerance_met_at: int | None = None
        while heap:
            upper = -heap[0][0]
            if stuck:
                upper = max(upper, max(stuck))
            gap = upper - best[0]
            if gap <= 0:
                break
            if gap <= tolerance:
                # Keep going a little to try to close the gap exactly.
                if tolerance_met_at is None:
                    tolerance_met_at = nodes
                if nodes - tolerance_met_at >= 24:
                    break
            if nodes >= max_nodes:
                break
            neg_hi, _, cell = heapq.heappop(heap)
            if -neg_hi <= best[0]:
                continue
            children = _bisect(cell)
            if children is None:
                stuck.append(-neg_hi)
                continue
            nodes += 1
            self.nodes += 1
            for child in children:
                points(child)
            for child in children:
                _, hi = objective(ctx + child)
                if hi > best[0]:
                    heapq.heappush(heap, (-hi, next(counter), child))
        lo = best[0]
        hi = max([lo] + [-h for h, _, _ in heap] + stuck)
        return lo, hi

    # ---- nested levels -----------------------------------------------------

    def _bounds(self, factors, cell: Cell, a: int, b: int) -> tuple[Fraction, Fraction]:
        """Enclosure of V(μ, a, b) for μ in the cell (over ranks < b)."""
        if b == self.n - 2:
            return self._es_bounds(factors, cell, a, None)
        key = (factors, cell, a, b)
        hit = self._bounds_cache.get(key)
        if hit is not None:
            return hit
        inner_factors = tuple(factors) + ((b,),)
        domain = (_standard_simplex(self.k[b]),)
        # Nested searches are first-order accurate and costly: small budgets
        # (the enclosures stay valid, only less tight).
        if _is_point(cell):
            tol, budget = self.tolerance / 8, _INNER_POINT_NODES
        else:
            tol, budget = self.tolerance / 8, _INNER_CELL_NODES
        result = self._maximize(
            cell, domain, lambda c: self._difference(inner_factors, c, a, b + 1), tol, budget
        )
        self._bounds_cache[key] = result
        return result

    def _difference(self, factors, cell: Cell, a: int, b: int) -> tuple[Fraction, Fraction]:
        """Enclosure of V(μ, a, b) − V(μ, b, b) over the cell (ranks < b)."""
        if b == self.n - 2:
            return self._es_bounds(factors, cell, a, b)
        lo1, hi1 = self._bounds(factors, cell, a, b)
        lo2, hi2 = self._bounds(factors, cell, b, b)
        return lo1 - hi2, hi1 - lo2

    # ---- coalition values W_b ------------------------------------------------

    def coalition_value(self, b: int, joint: bool) -> tuple[Fraction, Fraction]:
        """Enclosure of W_b = max over b-contexts... of V(μ, 0, b) (0-based b:
        the coalition of ranks 0..b)."""
        n = self.n
        if b == n - 1:
            m = self._total_surplus()
            return m, m
        if b == n - 2:
            factors = _context_factors(b, joint)
            domain = tuple(_simplex_for(self.k, f) for f in factors)
            return self._maximize(
                (), domain, lambda c: self._es_bounds(factors, c, 0, None), self.tolerance, self.max_nodes
            )
        factors = _context_factors(b, joint) + ((b,),)
        domain = tuple(_simplex_for(self.k, f) for f in factors)
        budget = self.max_nodes if b + 1 == n - 2 else min(self.max_nodes, _NESTED_NODES)
        return self._maximize(
            (), domain, lambda c: self._difference(factors, c, 0, b + 1), self.tolerance, budget
        )

    def _total_surplus(self) -> Fraction:
        return max(
            self.tails[0][p][x][y] for p in range(len(self.prefixes)) for x in range(self.kx) for y in range(self.ky)
        )


def _context_factors(b: int, joint: bool) -> tuple[tuple[int, ...], ...]:
    """Factors of a context over ranks 0..b-1: one per rank, or one joint factor."""
    if b == 0:
        return ()
    if joint:
        return (tuple(range(b)),)
    return tuple((r,) for r in range(b))


def _simplex_for(k: Sequence[int], ranks: tuple[int, ...]) -> Factor:
    return _standard_simplex(math.prod(k[r] for r in ranks))


def _bisect(cell: Cell) -> tuple[Cell, Cell] | None:
    """Split the longest edge (L1 length) of the cell's factors at a simple
    rational point of its middle half: the coordinate that changes most along
    the edge takes the simplest rational value in its middle half. Children
    shrink geometrically, and kinks at small-denominator rationals become
    vertices (where the bounds can close exactly)."""
    best = None
    for fi, factor in enumerate(cell):
        for i in range(len(factor)):
            for j in range(i + 1, len(factor)):
                length = sum(abs(u - v) for u, v in zip(factor[i], factor[j]))
                if best is None or length > best[0]:
                    best = (length, fi, i, j)
    if best is None or best[0] == 0:
        return None
    _, fi, i, j = best
    factor = cell[fi]
    u, v = factor[i], factor[j]
    coord = max(range(len(u)), key=lambda c: abs(u[c] - v[c]))
    du = v[coord] - u[coord]
    target = _simplest_between(u[coord] + du / 4, u[coord] + 3 * du / 4)
    t = (target - u[coord]) / du
    mid = tuple(a + t * (b - a) for a, b in zip(u, v))
    left = factor[:j] + (mid,) + factor[j + 1:]
    right = factor[:i] + (mid,) + factor[i + 1:]
    return (cell[:fi] + (left,) + cell[fi + 1:], cell[:fi] + (right,) + cell[fi + 1:])


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator in [lo, hi] (Stern-Brocot)."""
    if lo > hi:
        lo, hi = hi, lo
    floor = math.floor(lo)
    if floor == lo or floor + 1 <= hi:
        return Fraction(math.ceil(lo))
    # lo, hi in (floor, floor + 1): recurse on the reciprocals of the fractional parts.
    inner = _simplest_between(1 / (hi - floor), 1 / (lo - floor))
    return floor + 1 / inner


# -- public API ---------------------------------------------------------------------


def _payoff_range(game: Game) -> Fraction:
    return max((max(p) - min(p) for p in game.payoffs), default=_ZERO)


def _absolute_tolerance(game: Game, tolerance) -> Fraction:
    rel = DEFAULT_TOLERANCE if tolerance is None else to_fraction(tolerance, "tolerance")
    if rel < 0:
        raise GameError("tolerance must be non-negative")
    return rel * _payoff_range(game)


def _check_ordering(game: Game, ordering: Sequence[int]) -> tuple[int, ...]:
    ordering = tuple(int(p) for p in ordering)
    if sorted(ordering) != list(range(game.n_players)):
        raise GameError(f"ordering {list(ordering)} is not a permutation of the players 0..{game.n_players - 1}")
    return ordering


def _initiative(game: Game, ordering: tuple[int, ...], joint: bool, tol: Fraction, max_nodes: int) -> InitiativeValues:
    n = game.n_players
    m = total_surplus(game)
    if n == 1:
        return InitiativeValues(ordering, (m,), (_ZERO,), ((m, m),))
    ig = _InitiativeGame(game, ordering, tol, max_nodes)
    bounds = [ig.coalition_value(b, joint) for b in range(n)]
    assert bounds[-1] == (m, m)
    mids = [(lo + hi) / 2 for lo, hi in bounds]
    errs = [(hi - lo) / 2 for lo, hi in bounds]
    values, errors = [], []
    prev_mid, prev_err = _ZERO, _ZERO
    for mid, err in zip(mids, errs):
        values.append(mid - prev_mid)
        errors.append(err + prev_err)
        prev_mid, prev_err = mid, err
    # Pareto by construction (seed Proposition 4.1): the sum telescopes to M.
    assert sum(values, _ZERO) == m, "initiative values must sum to M"
    return InitiativeValues(ordering, tuple(values), tuple(errors), tuple(bounds))


def initiative_values(
    game: Game,
    ordering: Sequence[int],
    joint: bool = False,
    tolerance=None,
    max_nodes: int = 20000,
) -> InitiativeValues:
    """The initiative game (G, σ): `ordering[r]` is the player with rank r
    (0 = first initiative). Values indexed by rank, each within its proven
    error (tolerance relative to the payoff range; None: DEFAULT_TOLERANCE)."""
    ordering = _check_ordering(game, ordering)
    return _initiative(game, ordering, joint, _absolute_tolerance(game, tolerance), max_nodes)


def contextual_value(
    game: Game,
    ordering: Sequence[int],
    context: Sequence[Sequence],
    a: int,
    b: int,
    tolerance=None,
    max_nodes: int = 20000,
) -> tuple[Fraction, Fraction]:
    """Enclosure (lo, hi) of the seed's V^σ_{μ, a:b} (1-based 1 ≤ a ≤ b ≤ n) at
    the rational context μ = `context`: one mixed strategy per rank 1..b−1,
    or a single joint distribution over ranks 1..b−1 (row-major, rank 1
    slowest). lo == hi means exact."""
    ordering = _check_ordering(game, ordering)
    n = game.n_players
    if not 1 <= a <= b <= n:
        raise GameError(f"need 1 ≤ a ≤ b ≤ n, got a={a}, b={b}, n={n}")
    k = [game.shape[p] for p in ordering]
    strategies = [tuple(to_fraction(v, "context probability") for v in s) for s in context]
    if b == 1:
        if strategies:
            raise GameError("the 0-context is empty")
        factors: tuple = ()
    elif len(strategies) == b - 1 and all(len(s) == k[r] for r, s in enumerate(strategies)):
        factors = tuple((r,) for r in range(b - 1))
    elif len(strategies) == 1 and len(strategies[0]) == math.prod(k[: b - 1]):
        factors = (tuple(range(b - 1)),)
    else:
        raise GameError(f"context must give {b - 1} mixed strategies (or one joint distribution)")
    for s in strategies:
        if any(v < 0 for v in s) or sum(s) != 1:
            raise GameError(f"context entry {s} is not a probability distribution")
    tol = _absolute_tolerance(game, tolerance)
    cell = tuple((s,) for s in strategies)
    if b == n:
        # V(μ, a, n) = max over rank n's pure actions of E_μ[Σ_{j≥a} U_j].
        best = None
        for last in range(k[n - 1]):
            total = _ZERO
            for pre in itertools.product(*(range(s) for s in k[: n - 1])):
                w = _ONE
                for f, s in zip(factors, strategies):
                    idx = 0
                    for r in f:
                        idx = idx * k[r] + pre[r]
                    w *= s[idx]
                if not w:
                    continue
                profile = [0] * n
                for r, act in enumerate(pre + (last,)):
                    profile[ordering[r]] = act
                total += w * sum((game.payoff(ordering[j], profile) for j in range(a - 1, n)), _ZERO)
            best = total if best is None or total > best else best
        return best, best
    ig = _InitiativeGame(game, ordering, tol, max_nodes)
    return ig._bounds(factors, cell, a - 1, b - 1)


def _rose(game: Game, joint: bool, tolerance, max_nodes: int) -> Valuation:
    n = game.n_players
    tol = _absolute_tolerance(game, tolerance)
    totals = [_ZERO] * n
    errors = [_ZERO] * n
    orderings = list(itertools.permutations(range(n)))
    for ordering in orderings:
        iv = _initiative(game, ordering, joint, tol, max_nodes)
        for rank, player in enumerate(ordering):
            totals[player] += iv.values[rank]
            errors[player] += iv.errors[rank]
    count = len(orderings)
    values = tuple(t / count for t in totals)
    error = max(e / count for e in errors)
    name = "ROSE-joint" if joint else "ROSE"
    if error == 0:
        return Valuation(values, "rational", _ZERO, f"{name}: exact")
    return Valuation(values, "numeric", error, f"{name}: branch and bound, proven error ≤ {float(error):.3g}")


def rose_value(game: Game, tolerance=None, max_nodes: int = 20000) -> Valuation:
    """The n-player ROSE value (factorized contexts). Exact rational when every
    branch and bound closed, else numeric with a proven error bound."""
    return _rose(game, False, tolerance, max_nodes)


def rose_joint_value(game: Game, tolerance=None, max_nodes: int = 20000) -> Valuation:
    """ROSE with joint contexts Δ(Π_{i<b} A_i) (SPEC §3 "ROSE-joint")."""
    return _rose(game, True, tolerance, max_nodes)
