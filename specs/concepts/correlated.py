"""The correlated-equilibrium fallback (SPEC §3; seed 001): if negotiations
break down the players fall back to a correlated equilibrium (CE), and split
the surplus above it equally: φ_i = d_i + (M − Σ_j d_j)/n.

The CE set is a polytope: distributions x over pure profiles (storage order)
with, for every player i and every pair of its actions a ≠ a',
    Σ_r x(a, r) (U_i(a', r) − U_i(a, r)) ≤ 0
(told to play a, i cannot gain by switching to a'). It is set-valued, so two
named selections pick the disagreement payoffs d, each by exact LPs
(`specs.lp.solve_lp`):
- utilitarian: maximize Σ_i E[U_i]; then, holding each optimum fixed by an
  equality constraint and re-solving, maximize E[U_0], then E[U_1], ...
- egalitarian: maximize min_i E[U_i] (an epigraph variable t ≤ E[U_i]);
  then, holding E[U_i] ≥ t* for all i, maximize the sum, then E[U_0], E[U_1],
  ... lexicographically as above.
The lexicographic stages make d unique (the distribution may not be).

Defined once, in the concept algebra (`CE_SPLITS`): d_i is the atom
`g.correlated_payoff(i, selection)`, so the exact value and every check by
the form of the definition read the same expressions; `ce_split_value` is
the direct computation, kept as the test oracle of that definition."""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from ..games import Game, GameError
from ..lp import solve_lp
from .algebra import Definition, Expr, GameRef
from .basic import total_surplus

__all__ = [
    "SELECTIONS",
    "ce_constraints",
    "is_correlated_equilibrium",
    "correlated_equilibrium",
    "ce_split_value",
    "ce_split_utilitarian",
    "ce_split_egalitarian",
    "ce_split",
    "CE_SPLITS",
]

SELECTIONS = ("utilitarian", "egalitarian")


def ce_constraints(game: Game) -> list[list[Fraction]]:
    """The incentive rows A (one per player i and ordered action pair a ≠ a'),
    each over the pure profiles in storage order: a distribution x is a CE
    iff x ≥ 0, Σx = 1 and A·x ≤ 0."""
    profiles = list(game.profiles())
    rows = []
    for i in range(game.n_players):
        for a in range(game.shape[i]):
            for deviation in range(game.shape[i]):
                if deviation == a:
                    continue
                row = []
                for p in profiles:
                    if p[i] == a:
                        q = p[:i] + (deviation,) + p[i + 1:]
                        row.append(game.payoff(i, q) - game.payoff(i, p))
                    else:
                        row.append(Fraction(0))
                rows.append(row)
    return rows


def is_correlated_equilibrium(game: Game, distribution: Sequence) -> bool:
    """Whether `distribution` (over pure profiles, storage order) is a CE, exactly."""
    x = [Fraction(v) for v in distribution]
    if len(x) != len(game.payoffs[0]) or any(v < 0 for v in x) or sum(x) != 1:
        return False
    return all(sum((a * v for a, v in zip(row, x)), Fraction(0)) <= 0 for row in ce_constraints(game))


def _expected(game: Game, x: Sequence[Fraction]) -> tuple[Fraction, ...]:
    return tuple(sum((u * v for u, v in zip(row, x)), Fraction(0)) for row in game.payoffs)


def correlated_equilibrium(
    game: Game, selection: str = "utilitarian"
) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
    """A CE chosen by `selection` ('utilitarian' or 'egalitarian', see the
    module docstring): (distribution over pure profiles in storage order,
    expected payoffs d). Exact."""
    if selection not in SELECTIONS:
        raise GameError(f"unknown CE selection {selection!r}; choose from {', '.join(SELECTIONS)}")
    m = len(game.payoffs[0])
    n = game.n_players
    a_ub = ce_constraints(game)
    b_ub = [Fraction(0)] * len(a_ub)
    a_eq = [[Fraction(1)] * m]
    b_eq = [Fraction(1)]
    totals = [game.total(p) for p in game.profiles()]
    if selection == "egalitarian":
        # Variables x (m) and t = t⁺ − t⁻; maximize t s.t. t − E[U_i] ≤ 0.
        c = [Fraction(0)] * m + [Fraction(1), Fraction(-1)]
        rows = [list(r) + [Fraction(0), Fraction(0)] for r in a_ub]
        rows += [[-u for u in game.payoffs[i]] + [Fraction(1), Fraction(-1)] for i in range(n)]
        eq = [list(r) + [Fraction(0), Fraction(0)] for r in a_eq]
        floor = solve_lp(c, rows, b_ub + [Fraction(0)] * n, eq, b_eq).value
        # Keep every E[U_i] ≥ floor from now on.
        a_ub = a_ub + [[-u for u in game.payoffs[i]] for i in range(n)]
        b_ub = b_ub + [-floor] * n
    x: tuple[Fraction, ...] = ()
    for objective in [totals] + [list(game.payoffs[i]) for i in range(n)]:
        result = solve_lp(objective, a_ub, b_ub, a_eq, b_eq)
        a_eq = a_eq + [list(objective)]
        b_eq = b_eq + [result.value]
        x = result.x
    return x, _expected(game, x)


def ce_split_value(game: Game, selection: str = "utilitarian") -> tuple[Fraction, ...]:
    """φ_i = d_i + (M − Σ_j d_j)/n, d the payoffs of the selected CE. Exact."""
    _, d = correlated_equilibrium(game, selection)
    share = (total_surplus(game) - sum(d, Fraction(0))) / game.n_players
    return tuple(v + share for v in d)


def ce_split_utilitarian(game: Game) -> tuple[Fraction, ...]:
    """The CE split from the utilitarian-best CE (ties: E[U_0], E[U_1], ...)."""
    return ce_split_value(game, "utilitarian")


def ce_split_egalitarian(game: Game) -> tuple[Fraction, ...]:
    """The CE split from the egalitarian-best CE (ties: sum, then E[U_0], ...)."""
    return ce_split_value(game, "egalitarian")


def ce_split(g: GameRef, selection: str) -> tuple[Expr, ...]:
    """φ_i = d_i + (M − Σ_j d_j)/n, d_i = `g.correlated_payoff(i, selection)`."""
    d = [g.correlated_payoff(i, selection) for i in range(g.n_players)]
    share = (g.M - sum(d)) / g.n_players
    return tuple(di + share for di in d)


def _utilitarian(g: GameRef) -> tuple[Expr, ...]:
    return ce_split(g, "utilitarian")


def _egalitarian(g: GameRef) -> tuple[Expr, ...]:
    return ce_split(g, "egalitarian")


CE_SPLITS = {"utilitarian": Definition(_utilitarian, 1), "egalitarian": Definition(_egalitarian, 1)}
