"""The concept registry: ids (SPEC §7), what each accepts, and one entry point
`evaluate(concept, game)` that validates what a concept returns.

A concept is a function from `Game` to either a sequence of exact values
(ints or Fractions: one per player) or a `Valuation` carrying its accuracy.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable

from ..games import Game, GameError, to_fraction

__all__ = [
    "Valuation",
    "Concept",
    "ConceptError",
    "CONCEPTS",
    "register",
    "get_concept",
    "evaluate",
]


class ConceptError(ValueError):
    """A concept is unknown, does not apply to a game, or returned bad values."""


@dataclass(frozen=True)
class Valuation:
    """Each player's value with its accuracy.

    kind: "rational" (exact), "algebraic" (exact, irrational; `values` holds
    rational enclosing midpoints and `error_bound` the enclosure radius) or
    "numeric" (`|true − value| ≤ error_bound` for every player, proven)."""

    values: tuple[Fraction, ...]
    kind: str = "rational"
    error_bound: Fraction = Fraction(0)
    note: str = ""

    @property
    def exact(self) -> bool:
        return self.kind == "rational" or self.error_bound == 0


@dataclass(frozen=True)
class Concept:
    """A solution concept: an id, a one-line description, the player counts it
    accepts (max_players None: any), and the function computing it."""

    id: str
    name: str
    description: str
    function: Callable[[Game], Any] = field(repr=False)
    min_players: int = 1
    max_players: int | None = None
    kind: str = "tu"
    # The concept's one definition in the concept algebra (`algebra`), when it
    # has one: `function` is then its exact reading (on the shapes it takes),
    # and the SMT encoding is derived from it.
    definition: Any = field(default=None, repr=False, compare=False)

    def symbolic_on(self, shape) -> bool:
        """Whether the algebra definition covers games of `shape`."""
        return self.definition is not None and self.definition.accepts(shape)

    def accepts(self, game: Game) -> bool:
        n = game.n_players
        return n >= self.min_players and (self.max_players is None or n <= self.max_players)


CONCEPTS: dict[str, Concept] = {}


def register(concept: Concept) -> Concept:
    CONCEPTS[concept.id] = concept
    return concept


def _user_concept(spec: str) -> Concept:
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # the user's module may raise anything on import
        raise ConceptError(f"cannot import {module_name!r} for concept {spec!r}: {error}") from None
    function = getattr(module, attr, None)
    if not callable(function) and not isinstance(function, Concept):
        raise ConceptError(f"{module_name!r} has no function {attr!r}")
    from .plugins import as_concept  # honours the `concept` decorator's metadata

    return as_concept(function, id=spec)


def get_concept(concept_id: str) -> Concept:
    """A built-in concept by id, or a user's `package.module:function`."""
    _load_builtins()
    if concept_id in CONCEPTS:
        return CONCEPTS[concept_id]
    if ":" in concept_id:
        return _user_concept(concept_id)
    from .plugins import load_entry_points

    if concept_id in load_entry_points():  # a package installed since the registry loaded
        return CONCEPTS[concept_id]
    known = ", ".join(sorted(CONCEPTS))
    raise ConceptError(f"unknown concept {concept_id!r}; known concepts: {known}")


def evaluate(concept: Concept | str, game: Game) -> Valuation:
    """Run a concept on a game and check what it returned: one finite value per
    player. Errors from the concept become ConceptError with its message."""
    if isinstance(concept, str):
        concept = get_concept(concept)
    if not concept.accepts(game):
        if concept.max_players is None:
            limit = f"{concept.min_players} or more"
        elif concept.max_players == concept.min_players:
            limit = f"exactly {concept.min_players}"
        else:
            limit = f"{concept.min_players} to {concept.max_players}"
        raise ConceptError(
            f"concept {concept.id!r} takes {limit} players; this game has {game.n_players}"
        )
    try:
        result = concept.function(game)
    except (ConceptError, GameError):
        raise
    except SystemExit as error:  # a user's concept must not end the program
        code = repr(error.code) if len(repr(error.code)) <= 60 else repr(error.code)[:60] + "…"
        raise ConceptError(f"concept {concept.id!r} called sys.exit({code})") from None
    except MemoryError:
        raise ConceptError(
            f"concept {concept.id!r} ran out of memory on a {game.shape_name} game (see docs/reference/limits.md)"
        ) from None
    except Exception as error:  # a user's concept may raise anything; the message may be empty
        detail = f": {error}" if str(error) else ""
        raise ConceptError(f"concept {concept.id!r} raised {type(error).__name__}{detail}") from None
    if isinstance(result, Valuation):
        valuation = result
    else:
        try:
            values = list(result)
        except TypeError:
            raise ConceptError(
                f"concept {concept.id!r} returned {type(result).__name__}, not a sequence of values"
            ) from None
        converted = []
        for i, v in enumerate(values):
            if isinstance(v, float) and not math.isfinite(v):
                raise ConceptError(f"concept {concept.id!r} returned a non-finite value {v!r} for player {i}")
            try:
                converted.append(to_fraction(v, f"value of player {i}"))
            except GameError as error:
                raise ConceptError(f"concept {concept.id!r}: {error}") from None
        exact = all(isinstance(v, (int, Fraction)) and not isinstance(v, bool) for v in values)
        valuation = Valuation(tuple(converted), "rational" if exact else "numeric")
    if len(valuation.values) != game.n_players:
        raise ConceptError(
            f"concept {concept.id!r} returned {len(valuation.values)} values for {game.n_players} players"
        )
    return valuation


_LOADED = False


def _load_builtins() -> None:
    global _LOADED
    if not _LOADED:
        _LOADED = True
        from . import builtin  # noqa: F401  (registers the built-in concepts)
        from .plugins import load_entry_points

        load_entry_points()  # installed packages' concepts (entry-point group bargaincheck.concepts)
