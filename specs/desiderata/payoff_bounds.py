"""Desiderata about what payoffs players receive: Pareto, maximin dominance,
sub-max (seed 000, Propositions 4, 11, 12). No transformation needed."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..concepts.basic import max_payoff, maximin_value, total_surplus
from ..concepts.registry import Concept
from ..games import Game, format_fraction
from .base import Desideratum, Violation, certain_gap, values_json

__all__ = ["Pareto", "MaximinDominance", "SubMax"]


class Pareto(Desideratum):
    params_doc = '{} (none)'
    id = "pareto"
    name = "Pareto optimality"
    statement = "The values sum to the total surplus M(G) = max over pure profiles of the summed payoffs."

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        valuation = self.value(concept, game)
        total = sum(valuation.values, Fraction(0))
        m = total_surplus(game)
        gap = abs(total - m)
        if not certain_gap(gap, *([valuation] * game.n_players)):
            return None
        return Violation(
            concept.id, self.id, game, params,
            {"values": values_json(valuation.values), "M": [format_fraction(m)]},
            f"{concept.id} values sum to {format_fraction(total)}, but M(G) = {format_fraction(m)}",
            gap,
        )


class MaximinDominance(Desideratum):
    params_doc = '{} (none)'
    id = "maximin"
    name = "maximin dominance"
    statement = "Every player gets at least its maximin value (what it can guarantee alone)."

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        valuation = self.value(concept, game)
        guarantees = [maximin_value(game, i) for i in range(game.n_players)]
        gaps = [g - v for g, v in zip(guarantees, valuation.values)]
        worst = max(range(game.n_players), key=lambda i: gaps[i])
        if not certain_gap(gaps[worst], valuation):
            return None
        return Violation(
            concept.id, self.id, game, params,
            {"values": values_json(valuation.values), "maximin": values_json(guarantees)},
            f"{concept.id} gives {game.players[worst]} {format_fraction(valuation.values[worst])}, "
            f"below its maximin value {format_fraction(guarantees[worst])}",
            gaps[worst],
        )


class SubMax(Desideratum):
    params_doc = '{} (none)'
    id = "submax"
    name = "sub-max"
    statement = "No player gets more than its largest payoff max_i in the game."

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        valuation = self.value(concept, game)
        ceilings = [max_payoff(game, i) for i in range(game.n_players)]
        gaps = [v - c for v, c in zip(valuation.values, ceilings)]
        worst = max(range(game.n_players), key=lambda i: gaps[i])
        if not certain_gap(gaps[worst], valuation):
            return None
        return Violation(
            concept.id, self.id, game, params,
            {"values": values_json(valuation.values), "max": values_json(ceilings)},
            f"{concept.id} gives {game.players[worst]} {format_fraction(valuation.values[worst])}, "
            f"above its largest payoff {format_fraction(ceilings[worst])}",
            gaps[worst],
        )
