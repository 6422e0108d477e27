"""What a desideratum is: an id, a one-sentence statement, the transformation
it needs with its parameters, and an exact checker on one concrete game.

Interface (used by checkers/: search, minimize, replay, survey)
----------------------------------------------------------------
A `Desideratum` has
  id, name, statement   SPEC §4 id column, a short name, one sentence.
  kind                  "tu" (all current ones) or "bargaining" (later).
  variant_of            the id this one refines, or None ("monotonicity-first"
                        is a variant of "monotonicity").
  params_doc            one line: the parameter schema (for listings).
  needs_transformation  True when `check` builds transformed game(s).
  applies(concept, game) -> bool
      False for pairs that make no sense (wrong player count for the concept,
      null-player beyond the concept's max_players, payoff-dominance or
      symmetry when the premise fails on this game, ...). Call it before
      `parameters`/`check`.
  parameters(game, rng, count) -> list[dict]
      At most `count` parameter sets to try: deterministic, structured ones
      first (ties nudged, single threat buttons, ...), then random ones drawn
      from `rng` only (reproducible from the seed). Parameter dicts are plain
      JSON: exact numbers as strings ("3/2"), player/action indices as ints,
      games as game JSON dicts (specs/witness.py `game_to_json`). Desiderata without parameters give [{}].
  transform(game, params) -> dict[str, Game]
      The transformed game(s) the check evaluates, by name ("transformed", or
      "other" and "parallel" for linearity); {} when no transformation.
      Raises GameError on malformed params.
  check(concept, game, params) -> Violation | None
      Exact check on this one game. A violation is returned only when it is
      certain: its size exceeds the error bounds of every valuation involved
      (n-player ROSE carries bounds). Equalities are compared within bounds.
  params_json(params) -> dict / params_from_json(data) -> dict
      Canonical JSON form (Fractions -> strings, Games -> game JSON) and back
      (validated by building the transformation). Round-trip:
      params_from_json(params_json(p)) == params_json(p).

A `Violation` carries the concept and desideratum ids, the original game,
the params, `values` (name -> list of exact strings: the original and the
transformed games' values, the reference quantities, error bounds when not
zero), a one-sentence message with exact numbers, `gap` > 0 (how much the
desideratum fails by: for conditional-threat, the gain), and `extra_games`
(the transformed games by the names `transform` uses) for witness files.
`Violation.to_json()` gives the witness fields this module knows about.

Accuracy: `certain_gap(gap, *valuations)` is True when gap exceeds the sum of
the valuations' error bounds; `exceeds(gap, slack)` the same with an explicit
slack (used when a value enters scaled, e.g. λ·φ(G))."""

from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterable, Mapping, Sequence

from ..concepts.registry import Concept, Valuation, evaluate
from ..games import Game, GameError, format_fraction, to_fraction
from ..witness import game_from_json as _witness_game_from_json
from ..witness import game_to_json

__all__ = [
    "Violation",
    "Desideratum",
    "certain_gap",
    "cached_value",
    "exceeds",
    "values_json",
    "vector_text",
    "game_to_json",
    "game_from_json",
    "jsonify",
    "param_fraction",
    "param_player",
    "payoff_range",
    "random_fraction",
    "first_distinct",
    "TransformInvariance",
]


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

    def to_json(self) -> dict[str, Any]:
        """The witness fields known here (SPEC §7); the checkers add
        found_by, minimal and suite_version."""
        return {
            "concept": self.concept,
            "desideratum": self.desideratum,
            "game": game_to_json(self.game),
            "transformation": jsonify(self.params),
            "values": dict(self.values),
            "violation": self.message,
            "gap": format_fraction(self.gap),
            "transformed_games": {name: game_to_json(g) for name, g in self.extra_games.items()},
        }


_VALUE_CACHE: "OrderedDict[tuple[Any, ...], Valuation]" = OrderedDict()
VALUE_CACHE_SIZE = 512


def cached_value(concept: Concept, game: Game) -> Valuation:
    """`evaluate(concept, game)` with a small LRU cache keyed by the concept
    (id and function object) and the game (frozen, hashable)."""
    key = (concept.id, concept.function, game)
    hit = _VALUE_CACHE.get(key)
    if hit is not None:
        _VALUE_CACHE.move_to_end(key)
        return hit
    result = evaluate(concept, game)
    _VALUE_CACHE[key] = result
    if len(_VALUE_CACHE) > VALUE_CACHE_SIZE:
        _VALUE_CACHE.popitem(last=False)
    return result


def certain_gap(gap: Fraction, *valuations: Valuation) -> bool:
    """True when a violation of size `gap` survives every valuation's error bound."""
    return gap > sum((v.error_bound for v in valuations), Fraction(0))


def exceeds(gap: Fraction, slack: Fraction) -> bool:
    """True when a violation of size `gap` is certain given total uncertainty `slack`."""
    return gap > slack


def values_json(values: Iterable[Fraction]) -> list[str]:
    return [format_fraction(v) for v in values]


def vector_text(values: Iterable[Fraction]) -> str:
    """'(3/2, -1)': a value vector with exact entries, for messages."""
    return "(" + ", ".join(format_fraction(v) for v in values) + ")"


def game_from_json(data: Mapping[str, Any] | Game) -> Game:
    """A game from game JSON (specs/witness.py); a Game is returned as is."""
    if isinstance(data, Game):
        return data
    return _witness_game_from_json(dict(data) if isinstance(data, Mapping) else data)


def jsonify(value: Any) -> Any:
    """Canonical JSON form of a parameter value: Fractions and floats become
    exact strings, Games become game JSON, tuples become lists; ints, strings,
    booleans and None stay."""
    if isinstance(value, Game):
        return game_to_json(value)
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, (Fraction, float)):
        return format_fraction(to_fraction(value))
    if isinstance(value, Mapping):
        return {str(k): jsonify(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonify(v) for v in value]
    return format_fraction(to_fraction(value))


def param_fraction(params: Mapping[str, Any], key: str, default: Any = None) -> Fraction:
    """params[key] as an exact Fraction (GameError if missing or malformed)."""
    if key not in params:
        if default is None:
            raise GameError(f"parameter {key!r} is missing")
        return to_fraction(default, f"parameter {key!r}")
    return to_fraction(params[key], f"parameter {key!r}")


def param_player(params: Mapping[str, Any], game: Game, key: str = "player") -> int:
    """params[key] as a player index of `game` (GameError otherwise)."""
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < game.n_players:
        raise GameError(f"parameter {key!r} = {value!r} is not a player index 0..{game.n_players - 1}")
    return value


def payoff_range(game: Game) -> Fraction:
    """max − min over all payoffs of all players; 1 if every payoff is equal
    (the natural unit for proposing parameter magnitudes)."""
    flat = [v for row in game.payoffs for v in row]
    spread = max(flat) - min(flat)
    return spread if spread > 0 else Fraction(1)


class Desideratum:
    """Base class. Subclasses set id, name, statement and implement `check`;
    those with a transformation override `parameters` and `transform`."""

    id: str = ""
    name: str = ""
    statement: str = ""
    kind: str = "tu"
    variant_of: str | None = None
    params_doc: str = "{} (none)"
    needs_transformation: bool = False

    def applies(self, concept: Concept, game: Game) -> bool:
        """Whether the desideratum can be checked for this concept on this game."""
        return concept.kind == self.kind and concept.accepts(game)

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        """Parameter sets to try on `game`; the default is the single empty one."""
        return [{}]

    def transform(self, game: Game, params: dict[str, Any]) -> dict[str, Game]:
        """The transformed game(s) by name; {} when there is no transformation."""
        return {}

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        raise NotImplementedError

    def params_json(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The canonical JSON form of a parameter set."""
        return jsonify(dict(params))

    def params_from_json(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """A parameter set from its JSON form, validated against nothing but
        its own shape (the game is needed to validate fully: `transform`)."""
        if not isinstance(data, Mapping):
            raise GameError(f"parameters of {self.id} must be a JSON object, not {type(data).__name__}")
        return jsonify(dict(data))

    def value(self, concept: Concept, game: Game) -> Valuation:
        """evaluate(concept, game), memoized (concepts are pure functions of
        the game; the search checks many parameter sets on one game)."""
        return cached_value(concept, game)

    def __repr__(self) -> str:
        return f"<desideratum {self.id}>"


def first_distinct(items: Sequence[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """The first `count` distinct parameter sets (by their JSON form)."""
    seen: set[str] = set()
    result = []
    for item in items:
        key = repr(jsonify(item))
        if key in seen:
            continue
        seen.add(key)
        result.append(item)
        if len(result) >= count:
            break
    return result


def random_fraction(rng: random.Random, bound: Fraction, denominators: Sequence[int] = (1, 2, 3, 4)) -> Fraction:
    """A random rational in [−bound, bound] with a small denominator."""
    q = rng.choice(list(denominators))
    top = max(1, int(bound * q))
    return Fraction(rng.randint(-top, top), q)


class TransformInvariance(Desideratum):
    """A desideratum of the form "φ(G') equals a known function of φ(G)":
    subclasses give the transformed game (`transformed`), the expected values
    of G' with their uncertainty (`expected`), and a phrase for the message
    (`describe`). The check evaluates φ on G and G' and reports the player
    whose value is off by the most, if that is certain."""

    needs_transformation = True
    transformed_name = "transformed"

    def transformed(self, game: Game, params: dict[str, Any]) -> Game:
        raise NotImplementedError

    def transform(self, game: Game, params: dict[str, Any]) -> dict[str, Game]:
        return {self.transformed_name: self.transformed(game, params)}

    def describe(self, game: Game, params: dict[str, Any]) -> str:
        """'after shifting the payoffs by (1, 0)': what was done, exact numbers."""
        raise NotImplementedError

    def expected(
        self, game: Game, params: dict[str, Any], original: Valuation, transformed: Game
    ) -> tuple[list[Fraction], list[Fraction]]:
        """The values φ(G') should have, and each one's uncertainty coming
        from φ(G). Default: unchanged (invariance)."""
        return list(original.values), [original.error_bound] * game.n_players

    # -- the symbolic form (for SMT proofs) -----------------------------------------------
    # A desideratum whose transformation is a payoff map (`specs.transforms.PayoffMap`)
    # and whose expected values are a linear function of φ(G) and the map's
    # parameters states itself once here: `transformed` evaluates the same map
    # that the SMT encoding reads (`encoders.desiderata`), and `relation` gives the
    # expected values for exact numbers and for symbolic ones alike.

    def structures(self, shape: Sequence[int]) -> list[dict[str, Any]]:
        """The discrete choices a proof on `shape` enumerates (which player, which
        position, ...), each with its own payoff map; [] when the desideratum has
        no symbolic form."""
        return []

    def payoff_map(self, shape: Sequence[int], structure: dict[str, Any]):
        """The payoff map of the transformation for one structure."""
        raise NotImplementedError

    def parameter_domain(self, shape: Sequence[int], structure: dict[str, Any], bound: Fraction) -> dict[str, Any]:
        """The numeric parameters of a proof's scope: name -> ("interval", low,
        high, low_open) or ("simplex", group) (the named weights are ≥ 0 and sum to 1)."""
        return {}

    def relation(self, values: Sequence[Any], structure: dict[str, Any], params: Mapping[str, Any]) -> list[Any]:
        """φ(G') as it should be, from φ(G) and the parameter values (numbers or
        symbolic values: only sums are taken). Default: unchanged."""
        return list(values)

    def params_for(self, structure: dict[str, Any], values: Mapping[str, Fraction]) -> dict[str, Any]:
        """The parameter set of `check` for a structure and exact parameter values."""
        raise NotImplementedError

    def scope_note(self, bound: Fraction) -> str:
        """What a proof's claim covers of the parameters (for the record)."""
        return ""

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        games = self.transform(game, params)
        new_game = games[self.transformed_name]
        original = self.value(concept, game)
        after = self.value(concept, new_game)
        want, slack = self.expected(game, params, original, new_game)
        gaps = [abs(v - w) for v, w in zip(after.values, want)]
        excess = [g - s - after.error_bound for g, s in zip(gaps, slack)]
        worst = max(range(len(gaps)), key=lambda k: excess[k])
        if excess[worst] <= 0:
            return None
        values = {
            "original": values_json(original.values),
            "transformed": values_json(after.values),
            "expected": values_json(want),
        }
        if original.error_bound or after.error_bound:
            values["error_bounds"] = values_json([original.error_bound, after.error_bound])
        message = (
            f"{concept.id} gives {vector_text(original.values)} on the game and "
            f"{vector_text(after.values)} {self.describe(game, params)}, where "
            f"{self.name} requires {vector_text(want)}: {new_game.players[worst]}'s value is off by "
            f"{format_fraction(gaps[worst])}"
        )
        return Violation(
            concept.id, self.id, game, self.params_json(params), values, message, gaps[worst], games
        )
