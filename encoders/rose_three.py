"""The SMT encoding of three-player ROSE (and ROSE-joint, the same for n ≤ 3)
on shapes where some player has a single action (2x2x1, 2x1x2, 1x2x2, 3x2x1,
…): there every initiative value is a combination of the atoms M and S of
two-player games, so the one-sided encodings of `encoders.concepts` apply.

n-player ROSE has no definition in the concept algebra (it is computed by
branch and bound, `specs.concepts.rose`); this encoding is the other kind
the design allows: written by hand, and checked against the exact
implementation before any proof (`checkers.agreement`: on pinned games the
encoded values must equal `rose_value`'s, or the proof is an encoding
defect), and by the tests on thousands of random games.

Derivation (seed 000, Definitions 1-4; ranks 1, 2, 3 of an ordering σ = (s₁,
s₂, s₃), T_a = Σ_{j≥a} U_{s_j}): V(μ, a, 3) = max over s₃'s mixed strategies
of E[T_a], V(μ, a, 2) = max_{ν₂} [V(μ×ν₂, a, 3) − V(μ×ν₂, 3, 3)],
W₁ = max_{ν₁} [V(ν₁, 1, 2) − V(ν₁, 2, 2)], W₂ = max_{ν₁} V(ν₁, 1, 2), W₃ = M,
and rank b gets W_b − W_{b−1}. Write S(L, F) for the extractable surplus of
the two-player game whose leader has payoff L and whose follower has payoff
F: max over the leader's mixed strategies ν of max_b ν·(L+F)(·, b) −
max_b ν·F(·, b) (the atom S of `encoders.concepts`). Then

* s₃ has one action: V(μ, a, 2) = max over s₂'s actions of E_μ[T_a − U_{s₃}],
  so W₁ = S(U_{s₁}, U_{s₂}) and W₂ = M(U_{s₁}, U_{s₂}) = max (U_{s₁} + U_{s₂})
  on the game of s₁ and s₂;
* s₂ has one action: V(μ, a, 2) = max_c E_μ[T_a](c) − max_c E_μ[U_{s₃}](c)
  over s₃'s actions c, so W₁ = S(U_{s₁}, U_{s₂} + U_{s₃}) and
  W₂ = S(U_{s₁} + U_{s₂}, U_{s₃}) on the game of s₁ and s₃;
* s₁ has one action: its context is a point, so W₁ = S(U_{s₁} + U_{s₂}, U_{s₃})
  − S(U_{s₂}, U_{s₃}) and W₂ = S(U_{s₁} + U_{s₂}, U_{s₃}) on the game of s₂
  and s₃.

Where two players have one action the first case that applies is used (the
formulas agree there). ROSE_i is the mean over the 6 orderings of player i's
initiative value.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Sequence

from pysmt.fnode import FNode

from .concepts import Linear, extractable_surplus, total_surplus
from .symbolic import SymbolicGame, linear_sum, real_const

__all__ = ["rose_three_players", "covers", "HAND_ENCODED"]


def covers(shape: Sequence[int]) -> bool:
    """Three players, at least one of them with a single action."""
    return len(shape) == 3 and min(shape) == 1


def _two_player_game(g: SymbolicGame, players: tuple[int, int], lead: Sequence[int], follow: Sequence[int],
                     name: str) -> SymbolicGame:
    """The game of `players` (the third has one action, fixed), the first of
    them with payoff Σ_{i ∈ lead} U_i, the second with Σ_{i ∈ follow} U_i."""
    first, second = players
    rows, cols = g.shape[first], g.shape[second]
    lead_terms: list[FNode] = []
    follow_terms: list[FNode] = []
    for a in range(rows):
        for b in range(cols):
            profile = [0, 0, 0]
            profile[first], profile[second] = a, b
            k = g.index(profile)
            lead_terms.append(linear_sum(g.payoffs[i][k] for i in lead) if lead else real_const(0))
            follow_terms.append(linear_sum(g.payoffs[i][k] for i in follow) if follow else real_const(0))
    return SymbolicGame((rows, cols), [lead_terms, follow_terms], name)


def _label(players: Sequence[int]) -> str:
    return "".join(str(i) for i in players) or "e"


def _initiative(g: SymbolicGame, order: tuple[int, int, int]) -> tuple[Linear, Linear]:
    """(W₁, W₂) of the ordering, as combinations of atoms."""
    s1, s2, s3 = order

    def game(players, lead, follow) -> SymbolicGame:
        return _two_player_game(g, players, lead, follow,
                                f"{g.name}_r{_label(players)}l{_label(lead)}f{_label(follow)}")

    if g.shape[s3] == 1:
        pair = game((s1, s2), (s1,), (s2,))
        return extractable_surplus(pair, 0), total_surplus(pair)
    if g.shape[s2] == 1:
        first = game((s1, s3), (s1,), (s2, s3))
        second = game((s1, s3), (s1, s2), (s3,))
        return extractable_surplus(first, 0), extractable_surplus(second, 0)
    both = extractable_surplus(game((s2, s3), (s1, s2), (s3,)), 0)
    alone = extractable_surplus(game((s2, s3), (s2,), (s3,)), 0)
    return both - alone, both


def rose_three_players(g: SymbolicGame) -> list[Linear]:
    """ROSE_i for each player of a three-player symbolic game with a
    one-action player (ValueError otherwise: no encoding there)."""
    if not covers(g.shape):
        raise ValueError(f"the hand-written ROSE encoding covers three players with a one-action player, "
                         f"not {'x'.join(map(str, g.shape))} games")
    m = total_surplus(g)
    totals = [Linear() for _ in range(3)]
    orders = list(itertools.permutations(range(3)))
    for order in orders:
        w1, w2 = _initiative(g, order)
        ranks = (w1, w2 - w1, m - w2)
        for rank, player in enumerate(order):
            totals[player] = totals[player] + ranks[rank]
    return [total * Fraction(1, len(orders)) for total in totals]


# The built-in concepts this encoding serves (ROSE-joint is ROSE for n ≤ 3),
# registered as hand-written encodings by `checkers.smt`: used only where the
# concept's algebra definition (two players) does not reach. A proof record
# that uses it names this file in its fingerprint (`checkers.proofs`).
HAND_ENCODED = {"rose": rose_three_players, "rose-joint": rose_three_players}
