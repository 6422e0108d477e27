"""Exact linear programming over the rationals.

A dense two-phase simplex in exact rationals with Bland's rule, so it always
terminates and every optimum it reports is exact: the final tableau is itself
the certificate (primal feasible, all reduced costs of the right sign). The
games bargaincheck works with give LPs of at most a few hundred rows and
columns, where this is fast enough and never rounds.

The tableau holds GMP rationals (`gmpy2.mpq`, exact like `fractions.Fraction`
and about five times faster on these LPs: benchmarks/bench_lp.py); inputs of
any exact kind are taken as they are, and results are `Fraction`s.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from gmpy2 import mpq

from .deadline import check_deadline

__all__ = ["LPResult", "InfeasibleLP", "UnboundedLP", "solve_lp", "matrix_game_value"]


class InfeasibleLP(ValueError):
    """The constraints have no solution."""


class UnboundedLP(ValueError):
    """The objective is unbounded above on the feasible set."""


@dataclass(frozen=True)
class LPResult:
    """An exact optimum: the value and one optimal point."""

    value: Fraction
    x: tuple[Fraction, ...]


def _exact(value: Any) -> mpq:
    """An LP coefficient as a GMP rational, exactly: what `Fraction` takes
    (strings like '3/2', floats at their binary value, Decimals), with its errors."""
    return mpq(value) if isinstance(value, (int, Fraction)) else mpq(Fraction(value))


def _fraction(value: mpq) -> Fraction:
    return Fraction(int(value.numerator), int(value.denominator))


def _pivot(tableau: list[list[mpq]], row: int, col: int) -> None:
    pivot_row = tableau[row]
    p = pivot_row[col]
    if p != 1:
        inverse = 1 / p
        tableau[row] = pivot_row = [v * inverse for v in pivot_row]
    for r, other in enumerate(tableau):
        check_deadline()  # a budget (specs.deadline) may end a long solve, even inside a pivot
        if r == row:
            continue
        factor = other[col]
        if factor:
            tableau[r] = [a - factor * b if b else a for a, b in zip(other, pivot_row)]


def _run_simplex(tableau: list[list[mpq]], basis: list[int], allowed: int) -> None:
    """Maximize the objective in the last row (stored as -c, value in last column).
    Columns >= `allowed` never enter. Bland's rule: smallest index enters and leaves."""
    m = len(basis)
    objective = tableau[m]
    while True:
        entering = next((j for j in range(allowed) if objective[j] < 0), None)
        if entering is None:
            return
        best_row, best_ratio = None, None
        for r in range(m):
            a = tableau[r][entering]
            if a > 0:
                ratio = tableau[r][-1] / a
                if (
                    best_ratio is None
                    or ratio < best_ratio
                    or (ratio == best_ratio and basis[r] < basis[best_row])
                ):
                    best_row, best_ratio = r, ratio
        if best_row is None:
            raise UnboundedLP("the objective is unbounded")
        _pivot(tableau, best_row, entering)
        basis[best_row] = entering
        objective = tableau[m]


def solve_lp(
    c: Sequence[Fraction],
    a_ub: Sequence[Sequence[Fraction]] = (),
    b_ub: Sequence[Fraction] = (),
    a_eq: Sequence[Sequence[Fraction]] = (),
    b_eq: Sequence[Fraction] = (),
) -> LPResult:
    """Maximize c·x subject to a_ub x ≤ b_ub, a_eq x = b_eq, x ≥ 0, exactly.

    Raises InfeasibleLP or UnboundedLP. Inputs may be any exact numbers
    (ints, Fractions, strings like '3/2'); the result is in Fractions."""
    n = len(c)
    zero, one = mpq(0), mpq(1)
    rows: list[tuple[list[mpq], mpq, bool]] = []
    for row, b in zip(a_ub, b_ub):
        rows.append(([_exact(v) for v in row], _exact(b), True))
    for row, b in zip(a_eq, b_eq):
        rows.append(([_exact(v) for v in row], _exact(b), False))
    for row, _, _ in rows:
        if len(row) != n:
            raise ValueError("constraint row length does not match the objective")
    m = len(rows)
    n_slack = sum(1 for _, _, is_ub in rows if is_ub)
    # Columns: x (n), slacks (n_slack), artificials (m), rhs.
    width = n + n_slack + m + 1
    tableau: list[list[mpq]] = []
    basis: list[int] = []
    slack = n
    for r, (row, b, is_ub) in enumerate(rows):
        line = row + [zero] * (width - n)
        if is_ub:
            line[slack] = one
            slack += 1
        line[-1] = b
        if b < 0:
            line = [-v for v in line]
        line[n + n_slack + r] = one
        tableau.append(line)
        basis.append(n + n_slack + r)
    # Phase 1: maximize -(sum of artificials).
    phase1 = [zero] * width
    for line in tableau:
        check_deadline()
        for j in range(width):
            if j < n + n_slack or j == width - 1:
                phase1[j] -= line[j]
    tableau.append(phase1)
    _run_simplex(tableau, basis, n + n_slack)
    if tableau[m][-1] != 0:
        raise InfeasibleLP("the constraints are infeasible")
    # Drive artificials out of the basis where possible (degenerate rows).
    for r in range(m):
        if basis[r] >= n + n_slack:
            col = next((j for j in range(n + n_slack) if tableau[r][j] != 0), None)
            if col is not None:
                _pivot(tableau, r, col)
                basis[r] = col
    # Phase 2.
    costs = [_exact(cj) for cj in c]
    objective = [zero] * width
    for j, cj in enumerate(costs):
        objective[j] = -cj
    for r, bvar in enumerate(basis):
        check_deadline()
        coef = -objective[bvar]
        if coef and bvar < n + n_slack:
            objective = [o + coef * t for o, t in zip(objective, tableau[r])]
    tableau[m] = objective
    _run_simplex(tableau, basis, n + n_slack)
    x = [zero] * n
    for r, bvar in enumerate(basis):
        if bvar < n:
            x[bvar] = tableau[r][-1]
    value = sum((cj * xj for cj, xj in zip(costs, x)), zero)
    return LPResult(value=_fraction(value), x=tuple(_fraction(v) for v in x))


def matrix_game_value(
    matrix: Sequence[Sequence[Fraction]],
) -> tuple[Fraction, tuple[Fraction, ...]]:
    """Value of the zero-sum game where the row player maximizes `matrix[r][c]`
    and the column player minimizes it, with an optimal row strategy. Exact.

    LP: maximize v s.t. Σ_r x_r A[r][c] ≥ v for every column c, x ∈ Δ. The value
    variable is split as v = v⁺ − v⁻ to keep all variables non-negative."""
    rows = len(matrix)
    cols = len(matrix[0])
    # Variables: x_0..x_{rows-1}, v_plus, v_minus.
    c = [Fraction(0)] * rows + [Fraction(1), Fraction(-1)]
    a_ub = []
    for col in range(cols):
        a_ub.append([-Fraction(matrix[r][col]) for r in range(rows)] + [Fraction(1), Fraction(-1)])
    b_ub = [Fraction(0)] * cols
    a_eq = [[Fraction(1)] * rows + [Fraction(0), Fraction(0)]]
    result = solve_lp(c, a_ub, b_ub, a_eq, [Fraction(1)])
    return result.value, result.x[:rows]
