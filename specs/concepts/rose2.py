"""The two-player ROSE value (seed 000, "ROSE Value, 2-Player Case").

S_1 = max_{ν ∈ Δ(A_1)} [ max_b E_ν[X(·,b)] − max_b E_ν[U_2(·,b)] ], X = U_1 + U_2,
is the most surplus player 1 can extract moving first against an argmaxing
player 2; S_2 is symmetric. ROSE_1 = M/2 + (S_1 − S_2)/2.

Exact computation. max_b E_ν[X(·,b)] = max over b₁ of ν·X(·,b₁), so
S_1 = max_{b₁} max_ν [ν·X(·,b₁) − max_b ν·U_2(·,b)], and for a fixed b₁ the inner
function is concave in ν (linear minus convex piecewise-linear): the LP
    maximize ν·X(·,b₁) − t  s.t.  t ≥ ν·U_2(·,b) for all b,  ν ∈ Δ(A_1).
One exact LP per b₁.

The value itself is defined once, in the concept algebra (`rose2`): its exact
reading is `rose2_value`, its SMT reading the encoding of proofs."""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from ..games import Game, GameError
from ..lp import solve_lp
from .algebra import Definition, Expr, GameRef

__all__ = ["extractable_surplus", "leader_matrices", "rose2", "ROSE2", "rose2_value", "rose2_initiative_values"]


def extractable_surplus(
    total: Sequence[Sequence[Fraction]], follower: Sequence[Sequence[Fraction]]
) -> Fraction:
    """max over the leader's mixed strategies ν of
    max_b ν·total(·,b) − max_b ν·follower(·,b), where matrices are indexed
    [leader action][follower action]. Exact (one LP per follower action)."""
    rows = len(total)
    cols = len(total[0])
    best: Fraction | None = None
    for b1 in range(cols):
        # Variables: ν_0..ν_{rows-1}, t⁺, t⁻ (t = t⁺ − t⁻ is free).
        c = [Fraction(total[a][b1]) for a in range(rows)] + [Fraction(-1), Fraction(1)]
        a_ub = [[Fraction(follower[a][b]) for a in range(rows)] + [Fraction(-1), Fraction(1)] for b in range(cols)]
        b_ub = [Fraction(0)] * cols
        a_eq = [[Fraction(1)] * rows + [Fraction(0), Fraction(0)]]
        value = solve_lp(c, a_ub, b_ub, a_eq, [Fraction(1)]).value
        if best is None or value > best:
            best = value
    assert best is not None
    return best


def leader_matrices(game: Game, leader: int) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    """(U_1 + U_2, U_follower), both indexed [leader action][follower action]."""
    follower = 1 - leader
    k_lead, k_follow = game.shape[leader], game.shape[follower]
    total, follow = [], []
    for a in range(k_lead):
        total_row, follow_row = [], []
        for b in range(k_follow):
            profile = (a, b) if leader == 0 else (b, a)
            total_row.append(game.total(profile))
            follow_row.append(game.payoff(follower, profile))
        total.append(total_row)
        follow.append(follow_row)
    return total, follow


def rose2_initiative_values(game: Game) -> tuple[Fraction, Fraction]:
    """(S_1, S_2): each player's value when it has the initiative. The player
    yielding initiative gets M − S of the other."""
    if game.n_players != 2:
        raise GameError(f"the two-player ROSE formula needs 2 players, not {game.n_players}")
    return (
        extractable_surplus(*leader_matrices(game, 0)),
        extractable_surplus(*leader_matrices(game, 1)),
    )


def rose2(g: GameRef) -> tuple[Expr, Expr]:
    """ROSE_1 = M/2 + (S_1 − S_2)/2, ROSE_2 = M/2 + (S_2 − S_1)/2."""
    m, s1, s2 = g.M, g.extractable_surplus(0), g.extractable_surplus(1)
    return m / 2 + (s1 - s2) / 2, m / 2 + (s2 - s1) / 2


ROSE2 = Definition(rose2, 2, 2)


def rose2_value(game: Game) -> tuple[Fraction, Fraction]:
    """The two-player ROSE value. Exact."""
    if game.n_players != 2:
        raise GameError(f"the two-player ROSE formula needs 2 players, not {game.n_players}")
    return ROSE2.exact(game)
