"""n-player ROSE (and ROSE-joint) by an interval branch and bound in floating
point: guaranteed float enclosures of the value, fast (issue 16).

The mathematics is that of `rose.py` (seed 000, "ROSE Value, Final
Definitions", Definitions 1-4), read there; only the arithmetic and the
bookkeeping of the bounds differ. Ranks are 0-based; W_b = max over contexts
μ of V(μ, 0, b), W_{n-1} = M, and rank b's initiative value is W_b − W_{b−1}.

What is bounded, as in `rose.py`
--------------------------------
- Level n−2 is a matrix game per inner argmax b₁ (the 2-player LP trick):
  V(μ, a, n−2) = max_{b₁} val(G_{b₁}(μ)), G_{b₁}[x][c] = T_a(μ)[x][b₁] − F(μ)[x][c].
  On a cell C (a product of sub-simplices, one per factor of the context),
  with λ*_K, ν*_K the optimal column/row strategies at the vertex
  combinations K, weak duality and multilinearity give the degree-2 forms
  Σ_{K,I} β_K β_I H[K][I] of `rose._es_bounds`; their Bernstein coefficients
  (H symmetrized in each factor's pair (K_f, I_f)) bound the form on C.
  V(·, a, n−2) − V(·, m, n−2) is bounded jointly, coefficient by coefficient.
- The maxima over contexts (and over ν for b < n−2) are branch and bound
  over cells, split at the midpoint of their longest edge; the lower bound is
  the best lower bound at a vertex.
- Nested levels (n ≥ 4), `rose._bounds`: an inner branch and bound over
  ν ∈ Δ(A_b) with the context cell fixed. Unlike `rose.py`, an inner
  enclosure is not a pair of constants but a pair of Bernstein coefficient
  arrays over the context cell (the upper one: the coefficientwise max over
  the inner cells of the forms maximized over the ν-monomials, and over the
  best lower form; the lower one: the form at the best fixed ν). Termwise
  differences of such forms are second-order accurate where the inner
  optimum moves smoothly (envelope theorem), where constant enclosures are
  only first-order. The inner tolerance shrinks with the context cell
  (∝ h², see `_INNER_SCALE`): with a fixed inner budget the inner error is a
  floor the outer search cannot get below, and it bisected the same corner
  of the context simplex down to cells of width 1e-15.
- Where an inner maximizer sits at a kink that moves with the context, the
  forms are first-order only. Measured on a 2x2x2x2 game, near the maximum of
  one W_0 search, on a context cell of width h = 2.4e-4: V(·, 0, 1) was
  enclosed exactly (its inner maximizer does not move), V(·, 1, 1) was loose
  by ≈ 1e-3 ≈ 4h at both ends of the cell (its maximizer is a kink that moves
  with the context), so their difference was loose by ≈ 4h while the true
  difference is nearly flat. Near such maxima the outer search converges
  first-order, which is what still limits 2x2x2x2 games.

Why every bound is sound in floats
----------------------------------
The exact reals being bounded are those of the game whose tail sums
Σ_{j≥a} U_j are rounded to float; W_b moves by at most 2^{n−1−b}·δ when
every tail moves by ≤ δ (V(·,a,n−1) is a max of expectations, each level
below adds two such terms), so every W_b is widened by 2^n·δ, δ computed
exactly with Fractions (0 for integer payoffs). Then:
- Cell vertices are dyadic rationals held exactly (midpoints of coordinates
  that are multiples of 2^-51 are exact; a cell whose vertices are finer is
  not split), so each vertex lies exactly in its simplex.
- Strategies from the float solver are clipped to ≥ 0 and normalized; the
  real strategy used in the proof is that vector divided by its exact sum s,
  which is exactly in the simplex; |s − 1| ≤ γ(2k+4).
- Every Bernstein coefficient is a float expression of fixed shape: a
  weight (a product of ≤ n coordinates), a dot product of length P (the
  prefix profiles) for the expectations, dot products of length ≤ k for the
  strategies, one subtraction, F halvings of sums. By Higham's bound
  |fl(xᵀy) − xᵀy| ≤ γ(m)·|x|ᵀ|y| (any summation order, FMA or not), with
  all tails bounded by R, each coefficient of V(·,a,n−2) is within
  10.6·γ(N)·R of the real coefficient, N = P + 3n + 2k + 10, and a joint
  difference within 2·10.6·γ(N)·R + 4.5·u·R. We use ES_SLACK·γ(N)·R with
  ES_SLACK = 64 (a factor 2 to spare).
- Nested enclosures carry a running error: a termwise difference adds the
  two errors and 2u times the magnitudes (one rounding per coefficient),
  rounded up; max/min of floats are exact.
- Scalars leave the forms as max(coefficients) + error rounded up with
  `math.nextafter` (min − error rounded down), and the final assembly (M,
  initiative values, sums, averages over orderings) is interval arithmetic
  with `math.nextafter` after every operation.

"Exact only at the end" here means: the float enclosure is the product; the
only exact steps are computing M and δ with Fractions and enclosing them
outward in floats. No endpoint is re-checked exactly (an endpoint is a bound,
not a point where a value is attained).

A child cell keeps the smaller of its own upper bound and its parent's (the
parent's bound holds on every subset), so inner searches cut short by the
deadline never widen the enclosure. The 2x2 matrix games are solved in
closed form (`_solve_2x2_games`); like the general solver it only proposes
strategies, which are clipped and normalized as above, so soundness does not
depend on it.

Each search stops when its W_b is known within 0.45·target; the whole
computation stops as soon as every player's enclosure is narrower than
target (pass 2 refines the search contributing most to the widest player),
or at the time budget, with the enclosure it has (`timed_out`, sound either
way).
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence

import numpy as np

from ..games import Game, GameError
from .basic import total_surplus

__all__ = ["RoseEnclosure", "rose_interval_value"]

_UNIT = 2.0**-53
_INF = math.inf
ES_SLACK = 64
# Inner searches of the nested levels (n ≥ 4): node budgets on a context cell
# and at a context point; on a cell of diameter h the inner search stops at
# max(tolerance/8, _INNER_SCALE·R·h²) (R the largest |tail|), finer than the
# outer bound can use on that cell, so smaller cells get tighter inner bounds.
_INNER_CELL_NODES = 20
_INNER_POINT_NODES = 40
_INNER_SCALE = 1.0
_DYADIC = 2.0**51


def _gamma(m: int) -> float:
    """Higham's γ(m) = m·u/(1 − m·u), rounded up."""
    return _up(m * _UNIT / (1 - m * _UNIT) * (1 + 4 * _UNIT))


def _up(x: float) -> float:
    return math.nextafter(x, _INF)


def _down(x: float) -> float:
    return math.nextafter(x, -_INF)


def _add_up(*xs: float) -> float:
    total = 0.0
    for x in xs:
        total = _up(total + x)
    return total


@dataclass(frozen=True)
class RoseEnclosure:
    """Per player a guaranteed enclosure [lo, hi] (floats) of the ROSE value;
    `timed_out` when some player's enclosure is still wider than the target
    when the search ends (the time budget ran out first; the enclosure is
    sound, only wider)."""

    bounds: tuple[tuple[float, float], ...]
    timed_out: bool
    seconds: float
    nodes: int
    joint: bool = False

    @property
    def width(self) -> float:
        return max(hi - lo for lo, hi in self.bounds)

    def contains(self, values: Sequence, slack=0) -> bool:
        """Whether each exact value (within `slack`) meets its enclosure."""
        slack = Fraction(slack)
        return all(
            Fraction(lo) <= Fraction(v) + slack and Fraction(v) - slack <= Fraction(hi)
            for (lo, hi), v in zip(self.bounds, values)
        )


@dataclass
class _Form:
    """Bernstein coefficients of an upper and a lower bound of a function
    over a cell (arrays indexed (K_1..K_F, I_1..I_F)), both within `err`."""

    up: np.ndarray
    lo: np.ndarray
    err: float

    def hi_scalar(self) -> float:
        return _up(float(self.up.max()) + self.err)

    def lo_scalar(self) -> float:
        return _down(float(self.lo.min()) - self.err)


# -- small zero-sum games in floats ---------------------------------------------


def _solve_games(games: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Near-optimal (row maximin, column minimax) strategies of a batch of
    zero-sum games (N, r, c), row player maximizing. Candidates come from
    every square subgame (Shapley-Snow: the extreme optimal strategies solve
    a bordered square system), clipped and normalized; the best guarantee
    wins. Soundness never depends on optimality, only tightness does."""
    n, r, c = games.shape
    if r == 2 and c == 2:
        return _solve_2x2_games(games)
    best_x = np.zeros((n, r))
    best_xv = np.full(n, -_INF)
    best_y = np.zeros((n, c))
    best_yv = np.full(n, _INF)
    rows = np.arange(n)
    for s in range(1, min(r, c) + 1):
        pairs = [(rs, cs) for rs in itertools.combinations(range(r), s) for cs in itertools.combinations(range(c), s)]
        ri = np.array([p[0] for p in pairs])
        ci = np.array([p[1] for p in pairs])
        sub = games[:, ri[:, :, None], ci[:, None, :]]  # (n, pairs, s, s)
        for transpose, size, idx in ((True, r, ri), (False, c, ci)):
            a = np.zeros(sub.shape[:2] + (s + 1, s + 1))
            a[..., :s, :s] = sub.swapaxes(-1, -2) if transpose else sub
            a[..., :s, s] = -1.0
            a[..., s, :s] = 1.0
            det = np.linalg.det(a)
            bad = ~(np.abs(det) > 1e-12)
            a[bad] = np.eye(s + 1)
            rhs = np.zeros(s + 1)
            rhs[s] = 1.0
            sol = np.linalg.solve(a, np.broadcast_to(rhs, a.shape[:-1])[..., None])[..., :s, 0]
            sol = np.clip(sol, 0.0, None)
            total = sol.sum(-1)
            bad |= ~(total > 0)
            sol = sol / np.where(bad, 1.0, total)[..., None]
            full = np.zeros(sub.shape[:2] + (size,))
            np.put_along_axis(full, np.broadcast_to(idx, full.shape[:2] + (s,)), sol, axis=-1)
            if transpose:
                value = np.einsum("npr,nrc->npc", full, games).min(-1)
                value[bad] = -_INF
                k = value.argmax(1)
                better = value[rows, k] > best_xv
                best_xv = np.where(better, value[rows, k], best_xv)
                best_x[better] = full[rows, k][better]
            else:
                value = np.einsum("nrc,npc->npr", games, full).max(-1)
                value[bad] = _INF
                k = value.argmin(1)
                better = value[rows, k] < best_yv
                best_yv = np.where(better, value[rows, k], best_yv)
                best_y[better] = full[rows, k][better]
    best_x = np.clip(best_x, 0.0, None)
    best_y = np.clip(best_y, 0.0, None)
    return best_x / best_x.sum(-1, keepdims=True), best_y / best_y.sum(-1, keepdims=True)


def _solve_2x2_games(games: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`_solve_games` for 2x2 games in closed form: per player the best
    guarantee among its two pure strategies and the equalizing mix
    ((d − c, a − b)/den rows, (d − b, a − c)/den columns, den = a + d − b − c)."""
    a, b, c, d = games[:, 0, 0], games[:, 0, 1], games[:, 1, 0], games[:, 1, 1]
    den = a + d - b - c
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.nan_to_num(np.clip((d - c) / den, 0.0, 1.0))
        q = np.nan_to_num(np.clip((d - b) / den, 0.0, 1.0))
    ones, zeros = np.ones_like(p), np.zeros_like(p)
    rows = np.stack([ones, zeros, p])  # weight of row 0, per candidate
    cols = np.stack([ones, zeros, q])  # weight of column 0, per candidate
    row_value = np.minimum(rows * a + (1 - rows) * c, rows * b + (1 - rows) * d)
    col_value = np.maximum(cols * a + (1 - cols) * b, cols * c + (1 - cols) * d)
    take = np.arange(len(p))
    p = rows[row_value.argmax(0), take]
    q = cols[col_value.argmin(0), take]
    x = np.stack([p, 1 - p], -1)
    y = np.stack([q, 1 - q], -1)
    return x / x.sum(-1, keepdims=True), y / y.sum(-1, keepdims=True)


# -- cells ----------------------------------------------------------------------------

Cell = tuple  # of np.ndarray factors, each (vertices, coordinates)


def _standard_simplex(size: int) -> np.ndarray:
    return np.eye(size)


def _bisect(cell: Cell) -> tuple[Cell, Cell] | None:
    """Split the longest edge (L1 length) of the cell's factors at its exact
    midpoint; None when the cell is a point or its vertices are too fine for
    an exact float midpoint."""
    best = None
    for fi, factor in enumerate(cell):
        m = factor.shape[0]
        for i in range(m):
            for j in range(i + 1, m):
                length = float(np.abs(factor[i] - factor[j]).sum())
                if best is None or length > best[0]:
                    best = (length, fi, i, j)
    if best is None or best[0] == 0:
        return None
    _, fi, i, j = best
    factor = cell[fi]
    ends = factor[[i, j]] * _DYADIC
    if not np.array_equal(ends, np.floor(ends)):
        return None
    mid = (factor[i] + factor[j]) * 0.5
    left, right = factor.copy(), factor.copy()
    left[j] = mid
    right[i] = mid
    return cell[:fi] + (left,) + cell[fi + 1:], cell[:fi] + (right,) + cell[fi + 1:]


def _diameter(cell: Cell) -> float:
    """Sum over the factors of the longest edge (L1 length): 0 at a point."""
    return sum(
        max((float(np.abs(f[i] - f[j]).sum()) for i in range(len(f)) for j in range(i + 1, len(f))), default=0.0)
        for f in cell
    )


def _symmetrize(h: np.ndarray, lead: int, factors: int) -> np.ndarray:
    """Average h over swapping K_f and I_f for each factor f: the Bernstein
    coefficients of the form Σ β_K β_I H[K][I] (one halving per factor)."""
    for f in range(factors):
        h = (h + h.swapaxes(lead + f, lead + factors + f)) * 0.5
    return h


# -- one initiative ordering ------------------------------------------------------------


class _Initiative:
    """The initiative game of one ordering, ranks 0-based, payoffs as float
    tails (see the module docstring for the arithmetic)."""

    def __init__(self, game: Game, ordering: Sequence[int], tolerance: float, deadline: float):
        self.n = n = game.n_players
        self.ordering = tuple(ordering)
        self.k = [game.shape[p] for p in self.ordering]
        self.tolerance = tolerance
        self.deadline = deadline
        self.nodes = 0
        self.prefixes = list(itertools.product(*(range(s) for s in self.k[: n - 2])))
        kx, ky = self.k[n - 2], self.k[n - 1]
        self.kx, self.ky = kx, ky
        tails = np.zeros((n, len(self.prefixes), kx, ky))
        delta = Fraction(0)
        for p, pre in enumerate(self.prefixes):
            for x in range(kx):
                for y in range(ky):
                    profile = [0] * n
                    for r, act in enumerate(pre + (x, y)):
                        profile[self.ordering[r]] = act
                    outcome = game.outcome(profile)
                    acc = Fraction(0)
                    for j in range(n - 1, -1, -1):
                        acc += outcome[self.ordering[j]]
                        tails[j, p, x, y] = float(acc)
                        delta = max(delta, abs(Fraction(tails[j, p, x, y]) - acc))
        self.tails = tails
        # Widening of every W_b for the rounding of the tails (module docstring).
        self.shift = _up(float(delta * 2**n)) if delta else 0.0
        self.big = big = float(np.abs(tails).max()) if tails.size else 0.0
        size = len(self.prefixes) + 3 * n + 2 * max(kx, ky) + 10
        self.es_err = _up(ES_SLACK * _gamma(size) * big)
        self._layouts: dict = {}

    def _layout(self, factors) -> list[np.ndarray]:
        """Per factor, the coordinate index of each prefix profile."""
        layout = self._layouts.get(factors)
        if layout is None:
            layout = []
            for ranks in factors:
                idx = np.zeros(len(self.prefixes), dtype=int)
                for p, pre in enumerate(self.prefixes):
                    v = 0
                    for r in ranks:
                        v = v * self.k[r] + pre[r]
                    idx[p] = v
                layout.append(idx)
            self._layouts[factors] = layout
        return layout

    # ---- level n-2: matrix games -------------------------------------------------

    def _es(self, factors, cell: Cell, a: int, minus: int | None) -> _Form:
        """Bernstein bounds over the cell of V(μ,a,n−2) − V(μ,minus,n−2) (just
        V(μ,a,n−2) when minus is None): `rose._es_bounds` in floats."""
        n, kx, ky = self.n, self.kx, self.ky
        nf = len(cell)
        shape = tuple(f.shape[0] for f in cell)
        combos = math.prod(shape)
        weights = np.ones((1, len(self.prefixes)))
        for vertices, idx in zip(cell, self._layout(factors)):
            weights = (weights[:, None, :] * vertices[:, idx][None, :, :]).reshape(-1, len(self.prefixes))
        terms = [a] if minus is None else [a, minus]
        mats = np.tensordot(weights, self.tails[terms + [n - 1]], axes=([1], [1]))  # (C, t, kx, ky)
        f_mat = mats[:, -1]
        games = mats[:, :-1, :, :, None] - f_mat[:, None, :, None, :]  # (C, t, x, b1, c)
        games = games.transpose(0, 1, 3, 2, 4).reshape(-1, kx, ky)
        nu, lam = _solve_games(games)
        nu = nu.reshape(combos, len(terms), ky, kx)
        lam = lam.reshape(combos, len(terms), ky, ky)
        dims = shape + shape
        ups, los = [], []
        for t in range(len(terms)):
            t_mat = mats[:, t]
            # up[b1, x, K, I] = T_I[x][b1] − λ*_{K,b1} · F_I[x]
            up = t_mat.transpose(2, 1, 0)[:, :, None, :] - np.einsum("kbc,ixc->bxki", lam[:, t], f_mat)
            up = _symmetrize(up.reshape((ky, kx) + dims), 2, nf)
            ups.append(up.reshape(ky * kx, *dims).max(0))
            # lo[b1, c, K, I] = ν*_{K,b1} · (T_I[·][b1] − F_I[·][c])
            base = np.einsum("kbx,ixb->bki", nu[:, t], t_mat)
            lo = base[:, None] - np.einsum("kbx,ixc->bcki", nu[:, t], f_mat)
            lo = _symmetrize(lo.reshape((ky, ky) + dims), 2, nf)
            los.append(lo.min(1))
        axes = tuple(range(1, 1 + 2 * nf))
        if minus is None:
            lo_a = los[0]
            pick = lo_a.min(axis=axes, initial=_INF).argmax() if nf else lo_a.argmax()
            return _Form(ups[0], lo_a[pick], self.es_err)
        upper = ups[0][None] - los[1]
        lower = los[0] - ups[1][None]
        if nf:
            u_pick = upper.max(axis=axes).argmin()
            l_pick = lower.min(axis=axes).argmax()
        else:
            u_pick, l_pick = upper.argmin(), lower.argmax()
        return _Form(upper[u_pick], lower[l_pick], self.es_err)

    # ---- nested levels --------------------------------------------------------------

    def _bounds(self, factors, cell: Cell, a: int, b: int) -> _Form:
        """Bounds of V(μ, a, b) over the context cell (ranks < b)."""
        if b == self.n - 2:
            return self._es(factors, cell, a, None)
        inner = tuple(factors) + ((b,),)
        size = _diameter(cell)
        budget = _INNER_POINT_NODES if size == 0 else _INNER_CELL_NODES
        tol = max(self.tolerance / 8, _INNER_SCALE * self.big * size * size)
        return self._inner_max(
            len(cell),
            lambda c: self._difference(inner, cell + c, a, b + 1),
            _standard_simplex(self.k[b]),
            tol,
            budget,
        )

    def _difference(self, factors, cell: Cell, a: int, b: int) -> _Form:
        """Bounds of V(μ, a, b) − V(μ, b, b) over the cell (ranks < b)."""
        if b == self.n - 2:
            return self._es(factors, cell, a, b)
        first = self._bounds(factors, cell, a, b)
        second = self._bounds(factors, cell, b, b)
        size = float(max(np.abs(first.up).max(), np.abs(first.lo).max())) + float(
            max(np.abs(second.up).max(), np.abs(second.lo).max())
        )
        err = _add_up(first.err, second.err, 2 * _UNIT * size)
        return _Form(first.up - second.lo, first.lo - second.up, err)

    def _inner_max(self, nc: int, objective: Callable[[Cell], _Form], domain: np.ndarray, tol: float, budget: int) -> _Form:
        """Bounds over the context cell (nc factors) of max over ν in the
        domain simplex of the objective, whose forms are over (context, ν):
        upper: coefficientwise max over the ν-cells left of their forms
        maximized over the ν-monomials (and of the best lower form, which
        covers the pruned cells); lower: the form at the best ν vertex."""
        axes = (nc, 2 * nc + 1)
        best: list = [None, -_INF, 0.0]  # lower form, its min coefficient, its error
        seen: set = set()

        def visit(factor: np.ndarray) -> None:
            for v in factor:
                key = v.tobytes()
                if key in seen:
                    continue
                seen.add(key)
                form = objective((v[None, :],))
                lo = form.lo.reshape(form.lo.shape[:nc] + form.lo.shape[nc + 1: 2 * nc + 1])
                score = float(lo.min(initial=_INF)) - form.err
                if score > best[1]:
                    best[:] = [lo, score, form.err]

        def entry(factor: np.ndarray):
            form = objective((factor,))
            return [form.up.max(axis=axes), form.err, factor]

        visit(domain)
        cells = [entry(domain)]
        nodes = 0
        while cells and nodes < budget and time.perf_counter() < self.deadline:
            gaps = [float((up - best[0]).max(initial=-_INF)) + err + best[2] for up, err, _ in cells]
            worst = int(np.argmax(gaps))
            if gaps[worst] <= tol:
                break
            children = _bisect((cells[worst][2],))
            if children is None:
                break
            nodes += 1
            self.nodes += 1
            cells.pop(worst)
            for child in children:
                visit(child[0])
            for child in children:
                cells.append(entry(child[0]))
            cells = [c for c in cells if not np.all(c[0] + c[1] <= best[0] - best[2])]
        up = best[0].copy()
        err = best[2]
        for cell_up, cell_err, _ in cells:
            up = np.maximum(up, cell_up)
            err = max(err, cell_err)
        return _Form(up, best[0], err)

    # ---- coalition values W_b ------------------------------------------------------------

    def coalition_search(self, b: int, joint: bool) -> "_Search":
        """The branch and bound for W_b (0-based b < n−1), as `rose.coalition_value`."""
        n = self.n
        if b == n - 2:
            factors = _context_factors(b, joint)
            domain = tuple(_standard_simplex(math.prod(self.k[r] for r in f)) for f in factors)
            return _Search(self, lambda c: self._es(factors, c, 0, None), domain, self.tolerance)
        factors = _context_factors(b, joint) + ((b,),)
        domain = tuple(_standard_simplex(math.prod(self.k[r] for r in f)) for f in factors)
        return _Search(self, lambda c: self._difference(factors, c, 0, b + 1), domain, self.tolerance)


def _context_factors(b: int, joint: bool) -> tuple[tuple[int, ...], ...]:
    if b == 0:
        return ()
    if joint:
        return (tuple(range(b)),)
    return tuple((r,) for r in range(b))


class _Search:
    """A resumable branch and bound for one W_b: `run(until)` refines, and
    `bounds()` is always a sound enclosure (best vertex lower bound, largest
    upper bound of the cells left)."""

    def __init__(self, problem: _Initiative, objective: Callable[[Cell], _Form], domain: Cell, tol: float):
        self.problem = problem
        self.objective = objective
        self.tol = tol
        self.best = -_INF
        self.seen: set = set()
        self.stuck: list[float] = []
        self.counter = itertools.count()
        self._visit(domain)
        self.heap = [(-objective(domain).hi_scalar(), next(self.counter), domain)]

    def _visit(self, cell: Cell) -> None:
        for combo in itertools.product(*cell):
            key = b"".join(v.tobytes() for v in combo)
            if key in self.seen:
                continue
            self.seen.add(key)
            lo = self.objective(tuple(v[None, :] for v in combo)).lo_scalar()
            self.best = max(self.best, lo)

    def bounds(self) -> tuple[float, float]:
        hi = max([self.best] + [-h for h, _, _ in self.heap] + self.stuck)
        return self.best, hi

    def width(self) -> float:
        lo, hi = self.bounds()
        return hi - lo

    def done(self) -> bool:
        return self.width() <= self.tol

    def exhausted(self) -> bool:
        return not self.heap

    def run(self, until: float) -> None:
        while self.heap and not self.done() and time.perf_counter() < until:
            neg_hi, _, cell = heapq.heappop(self.heap)
            if -neg_hi <= self.best:
                continue
            children = _bisect(cell)
            if children is None:
                self.stuck.append(-neg_hi)
                continue
            self.problem.nodes += 1
            for child in children:
                self._visit(child)
            for child in children:
                # The parent's bound holds on the child too (a subset); it is
                # the tighter one when the deadline cut the child's inner searches.
                hi = min(self.objective(child).hi_scalar(), -neg_hi)
                if hi > self.best:
                    heapq.heappush(self.heap, (-hi, next(self.counter), child))


# -- public API ---------------------------------------------------------------------------


def _enclose(value: Fraction) -> tuple[float, float]:
    """The tightest float interval around an exact rational."""
    x = float(value)
    lo = x if Fraction(x) <= value else _down(x)
    hi = x if Fraction(x) >= value else _up(x)
    return lo, hi


def rose_interval_value(game: Game, joint: bool = False, target: float = 1e-6, seconds: float = 30.0) -> RoseEnclosure:
    """Guaranteed float enclosures of each player's ROSE value (factorized
    contexts; `joint=True`: ROSE-joint), aiming at width ≤ `target` per
    player within `seconds` of wall time; sound whenever it stops."""
    if not isinstance(game, Game):
        raise GameError(f"rose_interval_value needs a Game, not {type(game).__name__}")
    try:
        target, seconds = float(target), float(seconds)
    except (TypeError, ValueError):
        raise GameError(f"target and seconds must be numbers, got {target!r} and {seconds!r}") from None
    if not target > 0 or not seconds > 0:
        raise GameError("target and seconds must be positive")
    start = time.perf_counter()
    deadline = start + seconds
    n = game.n_players
    m_lo, m_hi = _enclose(total_surplus(game))
    if n == 1:
        return RoseEnclosure(((m_lo, m_hi),), False, time.perf_counter() - start, 0, joint)
    orderings = list(itertools.permutations(range(n)))
    tol = 0.45 * target
    problems = {}
    searches: dict = {}
    for ordering in orderings:
        problem = _Initiative(game, ordering, tol, deadline)
        problems[ordering] = problem
        for b in range(n - 1):
            # W_b depends on the set of ranks before b and the order from b on.
            key = (frozenset(ordering[:b]), ordering[b:])
            if key not in searches:
                searches[key] = problem.coalition_search(b, joint)
    pending = list(searches.values())

    def enclosure() -> tuple[tuple[float, float], ...]:
        lows = [0.0] * n
        highs = [0.0] * n
        for ordering in orderings:
            problem = problems[ordering]
            prev = (0.0, 0.0)
            for b in range(n):
                if b == n - 1:
                    w = (m_lo, m_hi)
                else:
                    lo, hi = searches[(frozenset(ordering[:b]), ordering[b:])].bounds()
                    w = (_down(lo - problem.shift), _up(hi + problem.shift))
                player = ordering[b]
                lows[player] = _down(lows[player] + _down(w[0] - prev[1]))
                highs[player] = _up(highs[player] + _up(w[1] - prev[0]))
                prev = w
        count = len(orderings)
        return tuple((_down(lo / count), _up(hi / count)) for lo, hi in zip(lows, highs))

    # Which searches enter each player's enclosure, and how often (W_b enters
    # the values of ranks b and b + 1).
    weights: list[dict] = [{} for _ in range(n)]
    for ordering in orderings:
        for b in range(n - 1):
            search = searches[(frozenset(ordering[:b]), ordering[b:])]
            for player in (ordering[b], ordering[b + 1]):
                weights[player][search] = weights[player].get(search, 0) + 1
    # Pass 1: a fair share of the remaining time each. Pass 2: while some
    # player's enclosure is wider than the target, refine the open search that
    # contributes most to the widest one.
    for i, search in enumerate(pending):
        now = time.perf_counter()
        search.run(now + max(deadline - now, 0.0) / (len(pending) - i))
    bounds = enclosure()
    while time.perf_counter() < deadline:
        widths = [hi - lo for lo, hi in bounds]
        if max(widths) <= target:
            break
        widest = widths.index(max(widths))
        open_ = [s for s in weights[widest] if not s.done() and not s.exhausted()]
        if not open_:
            break
        chosen = max(open_, key=lambda s: s.width() * weights[widest][s])
        now = time.perf_counter()
        chosen.run(now + max(deadline - now, 0.0) / (4 * len(open_)))
        bounds = enclosure()
    timed_out = not max(hi - lo for lo, hi in bounds) <= target
    nodes = sum(p.nodes for p in problems.values())
    return RoseEnclosure(bounds, timed_out, time.perf_counter() - start, nodes, joint)
