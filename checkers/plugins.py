"""User concepts: a researcher's own solution concept, checked like a built-in.

Three ways in, all ending in the same `Concept` of the registry:

1. On the command line or in the API, `package.module:function` (the module
   must be importable: installed, or on PYTHONPATH).
2. An installed package declares an entry point in the group
   `bargaincheck.concepts`; the entry-point name is the concept id, shown by
   `bargaincheck list` and usable everywhere a built-in id is::

       # pyproject.toml of the researcher's package
       [project.entry-points."bargaincheck.concepts"]
       my-value = "mypackage.values:my_value"

3. In Python, `as_concept(function)` (the API does this for plain callables).

The function takes a `Game` and returns one value per player: ints or
Fractions (exact), floats (treated as numeric, must be finite), or a
`Valuation` carrying its accuracy. `evaluate` rejects anything else with a
one-line `ConceptError` (an exception inside the function, the wrong number of
values, NaN or infinity).

Optional metadata, with the `concept` decorator::

    from fractions import Fraction
    from bargaincheck.checkers.plugins import concept

    @concept("half-split", name="Half split", min_players=2, max_players=2,
             smt_encoding=half_split_smt)
    def half_split(game):
        m = max(game.total(p) for p in game.profiles())
        return [m / 2, m / 2]

`min_players`/`max_players` keep the survey from trying shapes the concept
does not take. An entry point may also name a ready `Concept` object.

The optional SMT encoding (for `--method smt`)
---------------------------------------------
`smt_encoding(g)` receives an `encoders.symbolic.SymbolicGame` (payoffs are
pysmt terms) and returns one `encoders.concepts.Linear` per player: the value
as an exact linear combination, with rational coefficients, of the LP atoms of
`encoders.concepts`: `total_surplus(g)` (M), `max_payoff(g, i)`,
`maximin(g, i)`, `zero_sum_value(g, key, matrix)` (matrix entries are linear
pysmt terms in the payoffs), `extractable_surplus(g, leader)` (2 players), or
whole encodings such as `coco(g)` and `rose2(g)`, combined with `+`, `-` and
multiplication by rationals (`Linear(const=c)` is a constant). Concepts that
are not such combinations (Nash-style products, selections from a set) have
no encoding: the search and exhaustive methods still apply. The encoding must
agree with the function: `check_encoding(concept, game)` compares the two
exactly on a concrete game, and the SMT checker uses it under the concept's
id once `register_smt_encoding` (called for you by the decorator's concepts)
has put it into `encoders.concepts.CONCEPT_ENCODINGS` (a decorated concept's
encoding is found from its metadata without that).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

from ..specs.concepts import plugins as _registry_plugins
from ..specs.concepts.plugins import (  # noqa: F401  (re-exported: the user-facing names)
    _LOADED,
    _PROBLEMS,
    ENTRY_POINT_GROUP,
    ConceptInfo,
    algebraic_concept,
    as_concept,
    concept,
    load_entry_points,
    plugin_problems,
    smt_encoding_metadata,
)
from ..specs.concepts.registry import Concept, ConceptError
from ..specs.games import Game

__all__ = list(_registry_plugins.__all__) + ["register_smt_encoding", "smt_encoding_of", "check_encoding"]


# -- SMT encodings -----------------------------------------------------------------------


def register_smt_encoding(concept_id: str, encoding: Callable[[Any], Any]) -> None:
    """Make `encoding` the SMT encoding of `concept_id` (see the module docstring)."""
    try:
        from ..encoders.concepts import CONCEPT_ENCODINGS
    except ImportError:  # the SMT side is optional (pysmt missing)
        return
    CONCEPT_ENCODINGS[concept_id] = encoding


def smt_encoding_of(concept_obj: Concept) -> Callable[[Any], Any] | None:
    """The SMT encoding of a concept: the registered one, or its metadata's."""
    try:
        from ..encoders.concepts import CONCEPT_ENCODINGS
    except ImportError:
        CONCEPT_ENCODINGS = {}
    if concept_obj.id in CONCEPT_ENCODINGS:
        return CONCEPT_ENCODINGS[concept_obj.id]
    return smt_encoding_metadata(concept_obj.function)


def check_encoding(concept_obj: Concept | str, game: Game) -> list[str]:
    """Compare a concept's SMT encoding with its function on one concrete game,
    exactly. Returns the disagreements (empty: they agree); ConceptError when
    the concept has no encoding."""
    from ..encoders.concepts import atom_value
    from ..encoders.symbolic import SymbolicGame
    from ..specs.concepts.registry import evaluate, get_concept

    concept_obj = get_concept(concept_obj) if isinstance(concept_obj, str) else concept_obj
    encoding = smt_encoding_of(concept_obj)
    if encoding is None:
        raise ConceptError(f"concept {concept_obj.id!r} has no SMT encoding")
    reference = evaluate(concept_obj, game).values
    linears = tuple(encoding(SymbolicGame.pinned(game)))
    if len(linears) != game.n_players:
        return [f"the encoding gives {len(linears)} values for {game.n_players} players"]
    problems = []
    for i, (linear, value) in enumerate(zip(linears, reference)):
        encoded = linear.const + sum((c * atom_value(a) for a, c in linear.coeffs.items()), Fraction(0))
        if encoded != value:
            problems.append(f"player {i + 1}: function {value}, encoding {encoded}")
    return problems
