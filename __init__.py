"""bargaincheck: formal checking of bargaining solution concepts.

The public API: the exact game model, the concept registry and its entry
point `evaluate`, and the reference concepts."""

__version__ = "0.1.0"

# The repository root is this package (pyproject: package-dir "bargaincheck" =
# "."). pytest collects the root as a package and imports this file by path,
# under the checkout folder's name and, when that name is not an identifier
# (a clone in `ci-clone/`), with no parent package: then there is nothing to
# import relative to, and the tests use the installed `bargaincheck` anyway.
if __package__:
    from .specs.concepts.registry import CONCEPTS, Concept, ConceptError, Valuation, evaluate, get_concept
    from .specs.games import Game, GameError

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
