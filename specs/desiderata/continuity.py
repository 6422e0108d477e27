"""Continuity, checked as a Lipschitz bound (SPEC §4 'continuity').

A single pair of games cannot refute continuity in the ε-δ sense, so the
checker refutes the Lipschitz form: with G' = G + Δ and ε = ‖Δ‖∞ (the largest
change of any payoff), a violation is a jump ‖φ(G') − φ(G)‖∞ > L·ε.

The default constant is L = 10·n (DEFAULT_LIPSCHITZ_PER_PLAYER · n). It is
above the constants the built-in continuous concepts provably have, by the
elementary bounds (a perturbation by ε moves M by ≤ nε, a zero-sum value by
≤ ε, a max of ε-Lipschitz functions by ≤ ε): CoCo 2, 2-player ROSE 4 (M/2
moves ≤ ε, each S_k ≤ 3ε), Shapley amplification of a 2-player value with
constant c at most 2cn (8n for Shapley-ROSE), n-player ROSE at most 11 for
n = 3, 23 for n = 4 and 47 for n = 5 (the recursion L(a, n) = n − a + 1,
L(a, b) ≤ L(a, b+1) + L(b+1, b+1) over V(μ, a, b), then V_b ≤ L(1, b) + L(1, b−1)),
so 10·n is safe for every built-in up to 5 players. So a default-L violation with a
small ε is evidence of a genuine discontinuity (an argmax that jumps), not of
a large but finite slope; the message reports the jump and jump/ε. A
different constant is the variant: pass "lipschitz" in the params."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from typing import Any

from ..concepts.registry import Concept
from ..games import Game, GameError, format_fraction, to_fraction
from .base import Desideratum, Violation, first_distinct, payoff_range, values_json, vector_text

__all__ = ["Continuity", "DEFAULT_LIPSCHITZ_PER_PLAYER", "DEFAULT_EPSILON_FRACTION"]

DEFAULT_LIPSCHITZ_PER_PLAYER = 10
# Proposed perturbations have ε = (payoff range) / 100.
DEFAULT_EPSILON_FRACTION = Fraction(1, 100)


def _delta(game: Game, params: dict[str, Any]) -> list[list[Fraction]]:
    delta = params.get("delta")
    size = len(game.payoffs[0])
    if not isinstance(delta, (list, tuple)) or len(delta) != game.n_players:
        raise GameError(f"continuity needs 'delta': one list of payoff changes per player ({game.n_players})")
    rows = []
    for i, row in enumerate(delta):
        if not isinstance(row, (list, tuple)) or len(row) != size:
            raise GameError(f"delta[{i}] must list {size} payoff changes (storage order)")
        rows.append([to_fraction(v, f"delta[{i}][{k}]") for k, v in enumerate(row)])
    return rows


class Continuity(Desideratum):
    """params: {"delta": [[Δ_i(a) for each pure profile a in storage order]
    for each player i] (exact strings), "lipschitz": L (exact string;
    default 10·n)}. ε = max |Δ|."""

    params_doc = '{"delta": [[Δ per profile, storage order] per player], "lipschitz": L} (exact strings)'
    id = "continuity"
    name = "continuity / Lipschitz"
    statement = (
        "Perturbing every payoff by at most ε moves every value by at most L·ε "
        "(L = 10·n by default; a larger jump at small ε exposes a discontinuity)."
    )
    needs_transformation = True

    def lipschitz(self, game: Game, params: dict[str, Any]) -> Fraction:
        if "lipschitz" in params:
            return to_fraction(params["lipschitz"], "parameter 'lipschitz'")
        return Fraction(DEFAULT_LIPSCHITZ_PER_PLAYER * game.n_players)

    def transform(self, game: Game, params: dict[str, Any]) -> dict[str, Game]:
        delta = _delta(game, params)
        return {"perturbed": game.with_payoffs([[u + d for u, d in zip(row, drow)] for row, drow in zip(game.payoffs, delta)])}

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        delta = _delta(game, params)
        epsilon = max(abs(d) for row in delta for d in row)
        bound = self.lipschitz(game, params)
        games = self.transform(game, params)
        before, after = self.value(concept, game), self.value(concept, games["perturbed"])
        jumps = [abs(a - b) for a, b in zip(after.values, before.values)]
        worst = max(range(game.n_players), key=lambda i: jumps[i])
        jump = jumps[worst]
        gap = jump - bound * epsilon
        if gap <= before.error_bound + after.error_bound:
            return None
        ratio = "unbounded (ε = 0)" if epsilon == 0 else format_fraction(jump / epsilon)
        values = {
            "original": values_json(before.values),
            "perturbed": values_json(after.values),
            "epsilon": [format_fraction(epsilon)],
            "jump": [format_fraction(jump)],
            "lipschitz": [format_fraction(bound)],
        }
        if before.error_bound or after.error_bound:
            values["error_bounds"] = values_json([before.error_bound, after.error_bound])
        return Violation(
            concept.id, self.id, game, self.params_json(params), values,
            f"changing payoffs by at most ε = {format_fraction(epsilon)} moves {game.players[worst]}'s "
            f"{concept.id} value from {format_fraction(before.values[worst])} to "
            f"{format_fraction(after.values[worst])} (values {vector_text(before.values)} -> "
            f"{vector_text(after.values)}): a jump of {format_fraction(jump)}, {ratio} times ε, "
            f"above L = {format_fraction(bound)}",
            gap, games,
        )

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        """Tie-breaking nudges first (where two payoffs of a player, or two
        totals, are equal, raise the later one or lower the earlier one by ε:
        argmaxes jump there), then ±ε at each argmax, then random
        perturbations (corners of the ε-cube and finer ones)."""
        n = game.n_players
        size = len(game.payoffs[0])
        epsilon = payoff_range(game) * DEFAULT_EPSILON_FRACTION
        totals = [sum((row[k] for row in game.payoffs), Fraction(0)) for k in range(size)]

        def nudge(changes: dict[tuple[int, int], Fraction]) -> list[list[Fraction]]:
            return [[changes.get((i, k), Fraction(0)) for k in range(size)] for i in range(n)]

        def tie_pairs(values: list[Fraction]) -> list[tuple[int, int]]:
            # Ties at the maximum first: that is where argmax-based rules jump.
            top = max(values)
            pairs = [(p, q) for p, q in itertools.combinations(range(size), 2) if values[p] == values[q]]
            return sorted(pairs, key=lambda pq: values[pq[0]] != top)

        proposals = []
        for i in range(n):
            for p, q in tie_pairs(list(game.payoffs[i])):
                proposals.append(nudge({(i, q): epsilon}))
                proposals.append(nudge({(i, p): -epsilon}))
        for p, q in tie_pairs(totals):
            proposals.append(nudge({(i, q): epsilon / n for i in range(n)}))
            proposals.append(nudge({(i, p): -epsilon / n for i in range(n)}))
        for i in range(n):
            top = max(game.payoffs[i])
            for k in range(size):
                if game.payoffs[i][k] == top:
                    proposals.append(nudge({(i, k): -epsilon}))
                    proposals.append(nudge({(i, k): epsilon}))
        structured = first_distinct([{"delta": d} for d in proposals], count)
        randoms = []
        for k in range(count):
            if k % 2 == 0:
                randoms.append([[rng.choice((-epsilon, Fraction(0), epsilon)) for _ in range(size)] for _ in range(n)])
            else:
                randoms.append([[epsilon * Fraction(rng.randint(-4, 4), 4) for _ in range(size)] for _ in range(n)])
        # Keep at least a quarter of the budget for random perturbations.
        keep = max(count - max(1, count // 4), 0) if randoms else count
        chosen = structured[:keep] + [{"delta": d} for d in randoms]
        lipschitz = Fraction(DEFAULT_LIPSCHITZ_PER_PLAYER * n)
        return first_distinct([self.params_json({**p, "lipschitz": lipschitz}) for p in chosen], count)
