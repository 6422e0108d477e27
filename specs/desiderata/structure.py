"""Structural desiderata (SPEC §4): linearity (seed 000, Proposition 3),
symmetry (Proposition 9, with the seed's transposed-action definition of
identical players) and payoff dominance (left unproven by the seed)."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from typing import Any

from ..concepts.registry import Concept
from ..games import Game, GameError, format_fraction
from ..transforms import identical_players, parallel_sum
from .base import (
    Desideratum,
    Violation,
    certain_gap,
    first_distinct,
    game_from_json,
    game_to_json,
    param_fraction,
    values_json,
    vector_text,
)

__all__ = ["Linearity", "Symmetry", "PayoffDominance", "identical_pairs", "dominance_pairs"]

# Symmetry tries every relabelling of the second player's actions when it has
# at most this many actions (k! relabellings), and only the identity above.
MAX_RELABEL_ACTIONS = 4


class Linearity(Desideratum):
    """params: {"other": game JSON of H (same players), "d": exact string ≥ 0,
    "e": exact string ≥ 0}. Transformed games: "other" (H) and "parallel"
    (dG + eH, G and H played in parallel)."""

    params_doc = '{"other": game JSON of H, "d": exact ≥ 0, "e": exact ≥ 0}'
    id = "linearity"
    name = "linearity"
    statement = "For games G and H played in parallel and scaled by d, e ≥ 0, φ(dG + eH) = d·φ(G) + e·φ(H)."
    needs_transformation = True

    def transform(self, game: Game, params: dict[str, Any]) -> dict[str, Game]:
        if "other" not in params:
            raise GameError("linearity needs 'other': the second game H as game JSON")
        other = game_from_json(params["other"])
        d, e = param_fraction(params, "d", 1), param_fraction(params, "e", 1)
        return {"other": other, "parallel": parallel_sum(game, other, d, e)}

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        games = self.transform(game, params)
        other, parallel = games["other"], games["parallel"]
        if not concept.accepts(other):
            raise GameError(f"concept {concept.id} does not accept the second game H")
        d, e = param_fraction(params, "d", 1), param_fraction(params, "e", 1)
        on_g, on_h, on_sum = self.value(concept, game), self.value(concept, other), self.value(concept, parallel)
        want = [d * x + e * y for x, y in zip(on_g.values, on_h.values)]
        slack = d * on_g.error_bound + e * on_h.error_bound + on_sum.error_bound
        gaps = [abs(v - w) for v, w in zip(on_sum.values, want)]
        worst = max(range(game.n_players), key=lambda i: gaps[i])
        if gaps[worst] <= slack:
            return None
        values = {
            "G": values_json(on_g.values),
            "H": values_json(on_h.values),
            "parallel": values_json(on_sum.values),
            "expected": values_json(want),
        }
        if slack:
            values["error_bounds"] = values_json([on_g.error_bound, on_h.error_bound, on_sum.error_bound])
        message = (
            f"{concept.id} gives {vector_text(on_g.values)} on G and {vector_text(on_h.values)} on H, but "
            f"{vector_text(on_sum.values)} on {format_fraction(d)}G + {format_fraction(e)}H instead of "
            f"{vector_text(want)}: {game.players[worst]}'s value is off by {format_fraction(gaps[worst])}"
        )
        return Violation(concept.id, self.id, game, self.params_json(params), values, message, gaps[worst], games)

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        weights = [(1, 1), (2, 1), (1, 3), (Fraction(1, 2), 2), (0, 1), (1, 0), (Fraction(3, 2), Fraction(2, 3))]
        bound = max(1, int(game.max_abs_payoff()))
        proposals = [{"other": game_to_json(game), "d": 1, "e": 1}]
        for k in range(count):
            other = Game.from_function(
                game.shape,
                lambda profile: [rng.randint(-bound, bound) for _ in range(game.n_players)],
                players=game.players,
                title="H",
            )
            d, e = weights[k % len(weights)] if k < len(weights) else (
                Fraction(rng.randint(0, 6), rng.randint(1, 3)),
                Fraction(rng.randint(0, 6), rng.randint(1, 3)),
            )
            proposals.append({"other": game_to_json(other), "d": d, "e": e})
        return first_distinct([self.params_json(p) for p in proposals], count)


def _relabel_actions(game: Game, player: int, permutation: tuple[int, ...]) -> Game:
    """The game where `player`'s new action k is its old action permutation[k]."""

    def payoff(profile: tuple[int, ...]) -> tuple[Fraction, ...]:
        old = list(profile)
        old[player] = permutation[profile[player]]
        return game.outcome(old)

    actions = list(game.actions)
    actions[player] = tuple(game.actions[player][a] for a in permutation)
    return Game.from_function(game.shape, payoff, actions, game.players, game.title)


def identical_pairs(game: Game) -> list[tuple[int, int, tuple[int, ...]]]:
    """Every pair i < j of identical players (seed 000, before Proposition 9),
    with the relabelling of j's actions that matches them (the identity if
    they match by index): (i, j, permutation)."""
    pairs = []
    for i, j in itertools.combinations(range(game.n_players), 2):
        k = game.shape[j]
        if game.shape[i] != k:
            continue
        identity = tuple(range(k))
        candidates = itertools.permutations(range(k)) if k <= MAX_RELABEL_ACTIONS else [identity]
        for permutation in candidates:
            relabelled = game if permutation == identity else _relabel_actions(game, j, permutation)
            if identical_players(relabelled, i, j):
                pairs.append((i, j, tuple(permutation)))
                break
    return pairs


class Symmetry(Desideratum):
    """No params. Applies only when some pair of players is identical."""

    params_doc = '{} (none)'
    id = "symmetry"
    name = "symmetry"
    statement = "Identical players (the seed's definition, with transposed actions) get equal values."

    def applies(self, concept: Concept, game: Game) -> bool:
        return super().applies(concept, game) and bool(identical_pairs(game))

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        pairs = identical_pairs(game)
        if not pairs:
            return None
        valuation = self.value(concept, game)
        v = valuation.values
        i, j, permutation = max(pairs, key=lambda p: abs(v[p[0]] - v[p[1]]))
        gap = abs(v[i] - v[j])
        if not certain_gap(gap, valuation, valuation):
            return None
        matching = "" if permutation == tuple(sorted(permutation)) else f" (matching {game.players[j]}'s actions {list(permutation)})"
        return Violation(
            concept.id, self.id, game, params,
            {"values": values_json(v), "identical": [str(i), str(j)]},
            f"{game.players[i]} and {game.players[j]} are identical{matching}, yet {concept.id} gives them "
            f"{format_fraction(v[i])} and {format_fraction(v[j])}",
            gap,
        )


def dominance_pairs(game: Game) -> list[tuple[int, int]]:
    """Every ordered pair (i, j), i ≠ j, with U_i(a) ≥ U_j(a) at every pure profile a."""
    n = game.n_players
    return [
        (i, j)
        for i in range(n)
        for j in range(n)
        if i != j and all(x >= y for x, y in zip(game.payoffs[i], game.payoffs[j]))
    ]


class PayoffDominance(Desideratum):
    """No params. Applies only when some player's payoff is at least another's
    at every profile."""

    params_doc = '{} (none)'
    id = "payoff-dominance"
    name = "payoff dominance"
    statement = "If U_i(a) ≥ U_j(a) at every pure profile a, then φ_i ≥ φ_j."

    def applies(self, concept: Concept, game: Game) -> bool:
        return super().applies(concept, game) and bool(dominance_pairs(game))

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        pairs = dominance_pairs(game)
        if not pairs:
            return None
        valuation = self.value(concept, game)
        v = valuation.values
        i, j = max(pairs, key=lambda p: v[p[1]] - v[p[0]])
        gap = v[j] - v[i]
        if not certain_gap(gap, valuation, valuation):
            return None
        return Violation(
            concept.id, self.id, game, params,
            {"values": values_json(v), "dominant": [str(i)], "dominated": [str(j)]},
            f"{game.players[i]}'s payoff is at least {game.players[j]}'s at every profile, yet {concept.id} "
            f"gives {game.players[i]} {format_fraction(v[i])} < {format_fraction(v[j])} to {game.players[j]}",
            gap,
        )
