"""What a desideratum is: an id, a one-sentence statement, the transformation
it needs with its parameters, and an exact checker on one concrete game.

`check(concept, game, params)` returns None or a `Violation` with the exact
quantities. Parameters are plain JSON-able dicts (exact numbers as strings),
so a witness file can name them and `replay` can rebuild the transformed game.

Accuracy: a concept may return values with a proven error bound (n-player
ROSE). A violation is reported only when it is certain, i.e. the gap exceeds
the sum of the error bounds involved (`certain_gap`)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterable

from ..concepts.registry import Concept, Valuation, evaluate
from ..games import Game, format_fraction

__all__ = ["Violation", "Desideratum", "certain_gap", "values_json"]


@dataclass(frozen=True)
class Violation:
    """A confirmed violation: the quantities that show it, and one sentence
    with the exact numbers. `gap` > 0 is by how much the desideratum fails."""

    concept: str
    desideratum: str
    game: Game
    params: dict[str, Any]
    values: dict[str, list[str]]
    message: str
    gap: Fraction
    extra_games: dict[str, Game] = field(default_factory=dict)


def certain_gap(gap: Fraction, *valuations: Valuation) -> bool:
    """True when a violation of size `gap` survives every valuation's error bound."""
    return gap > sum((v.error_bound for v in valuations), Fraction(0))


def values_json(values: Iterable[Fraction]) -> list[str]:
    return [format_fraction(v) for v in values]


class Desideratum:
    """Base class. Subclasses set id, name, statement and implement `check`;
    those with a transformation override `parameters` to propose parameter
    sets (deterministic ones first, then random ones drawn from `rng`)."""

    id: str = ""
    name: str = ""
    statement: str = ""
    needs_transformation: bool = False

    def applies(self, concept: Concept, game: Game) -> bool:
        """Whether the desideratum can be checked for this concept on this game."""
        return concept.accepts(game)

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        """Parameter sets to try on `game`; the default is the single empty one."""
        return [{}]

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        raise NotImplementedError

    def value(self, concept: Concept, game: Game) -> Valuation:
        return evaluate(concept, game)

    def __repr__(self) -> str:
        return f"<desideratum {self.id}>"
