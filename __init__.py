"""bargaincheck: formal checking of bargaining solution concepts.

The public API: the exact game model, the concept registry and its entry
point `evaluate`, and the reference concepts."""

from .specs.concepts.registry import CONCEPTS, Concept, ConceptError, Valuation, evaluate, get_concept
from .specs.games import Game, GameError

__version__ = "0.1.0"

__all__ = [
    "CONCEPTS",
    "Concept",
    "ConceptError",
    "Game",
    "GameError",
    "Valuation",
    "evaluate",
    "get_concept",
    "__version__",
]
