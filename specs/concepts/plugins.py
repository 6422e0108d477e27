"""User concepts into the registry: the `concept` decorator, `as_concept`
and the `bargaincheck.concepts` entry points (the user-facing guide is the
docstring of `bargaincheck.checkers.plugins`, which re-exports these). This
module lives with the registry so that `specs` depends on nothing above it."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from typing import Any, Callable

from ..games import Game
from .registry import CONCEPTS, Concept, ConceptError, register

__all__ = [
    "ENTRY_POINT_GROUP",
    "ConceptInfo",
    "concept",
    "algebraic_concept",
    "as_concept",
    "load_entry_points",
    "plugin_problems",
    "smt_encoding_metadata",
]

ENTRY_POINT_GROUP = "bargaincheck.concepts"
_ATTRIBUTE = "__bargaincheck_concept__"


@dataclass(frozen=True)
class ConceptInfo:
    """What the `concept` decorator attaches to a function."""

    id: str | None = None
    name: str | None = None
    description: str | None = None
    min_players: int = 1
    max_players: int | None = None
    smt_encoding: Callable[[Any], Any] | None = None
    algebraic: bool = False  # the function is a definition in the concept algebra (`algebra`)


def concept(
    id: str | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    min_players: int = 1,
    max_players: int | None = None,
    smt_encoding: Callable[[Any], Any] | None = None,
) -> Callable[[Callable[[Game], Any]], Callable[[Game], Any]]:
    """Decorator: attach an id, a description, the player counts the concept
    takes and an optional SMT encoding to a concept function (unchanged)."""

    def attach(function: Callable[[Game], Any]) -> Callable[[Game], Any]:
        setattr(function, _ATTRIBUTE, ConceptInfo(id, name, description, min_players, max_players, smt_encoding))
        return function

    return attach


def algebraic_concept(
    id: str | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    min_players: int = 1,
    max_players: int | None = None,
) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    """Decorator: the function is a concept's definition in the concept
    algebra (`bargaincheck.specs.concepts.algebra`): it takes a game handle
    and returns one expression per player. The concept gets its exact values
    and its SMT encoding (bounded proofs) from this one definition."""

    def attach(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
        setattr(function, _ATTRIBUTE, ConceptInfo(id, name, description, min_players, max_players, None, True))
        return function

    return attach


def _default_id(function: Any) -> str:
    module = getattr(function, "__module__", None) or "user"
    qualname = getattr(function, "__qualname__", None) or getattr(function, "__name__", "concept")
    return f"{module}:{qualname}"


def as_concept(obj: Any, id: str | None = None) -> Concept:
    """A `Concept` from a Concept (returned as is, or re-identified when `id`
    differs) or from a callable, using its `concept` decorator metadata if any
    (an SMT encoding in the metadata is found by `smt_encoding_metadata`)."""
    if isinstance(obj, Concept):
        if id is not None and id != obj.id:
            obj = Concept(id, obj.name, obj.description, obj.function, obj.min_players, obj.max_players, obj.kind)
        return obj
    if not callable(obj):
        raise ConceptError(f"a concept must be a function from Game to values, not {type(obj).__name__}")
    info: ConceptInfo = getattr(obj, _ATTRIBUTE, None) or ConceptInfo()
    concept_id = id or info.id or _default_id(obj)
    name = info.name or getattr(obj, "__name__", concept_id)
    doc = (getattr(obj, "__doc__", None) or "").strip().splitlines()
    description = info.description or (doc[0] if doc else f"user concept {concept_id}")
    if info.algebraic:
        from .algebra import Definition

        definition = Definition(obj, info.min_players, info.max_players)
        return Concept(concept_id, name, description, definition.exact, info.min_players, info.max_players,
                       definition=definition)
    return Concept(concept_id, name, description, obj, info.min_players, info.max_players)


# -- entry points ----------------------------------------------------------------------

_PROBLEMS: list[str] = []
_LOADED: dict[str, str] = {}  # concept id -> entry point value


def load_entry_points(group: str = ENTRY_POINT_GROUP) -> list[str]:
    """Register every concept declared in the entry-point group (each call
    re-reads the installed distributions; already registered ids are kept).
    Returns the ids registered by this call. A broken plugin never stops the
    others: its problem is recorded in `plugin_problems()`."""
    added = []
    for entry in importlib.metadata.entry_points(group=group):
        if entry.name in _LOADED and _LOADED[entry.name] == entry.value and entry.name in CONCEPTS:
            continue
        builtin = CONCEPTS.get(entry.name)
        if builtin is not None and entry.name not in _LOADED:
            _problem(f"plugin concept {entry.name!r} ({entry.value}) clashes with a built-in id; ignored")
            continue
        try:
            obj = entry.load()
        except Exception as error:  # the plugin's import may raise anything
            _problem(f"plugin concept {entry.name!r} ({entry.value}) cannot be loaded: {type(error).__name__}: {error}")
            continue
        try:
            loaded = as_concept(obj, id=entry.name)
        except ConceptError as error:
            _problem(f"plugin concept {entry.name!r} ({entry.value}): {error}")
            continue
        register(loaded)
        _LOADED[entry.name] = entry.value
        added.append(entry.name)
    return added


def _problem(text: str) -> None:
    if text not in _PROBLEMS:
        _PROBLEMS.append(text)


def plugin_problems() -> list[str]:
    """One line per plugin that could not be loaded (shown by `bargaincheck list`)."""
    return list(_PROBLEMS)


def smt_encoding_metadata(function: Any) -> Callable[[Any], Any] | None:
    """The SMT encoding a `concept` decorator attached to `function`, if any."""
    info = getattr(function, _ATTRIBUTE, None)
    return info.smt_encoding if isinstance(info, ConceptInfo) else None
