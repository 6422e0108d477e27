"""The exact finite game: n players, labelled actions, rational payoffs.

A `Game` is immutable. Payoffs are stored as a flat tuple per player in
row-major order over pure profiles (player 0's action varies slowest); use
`game.payoff(i, profile)` or `game.payoffs_array(i)` rather than the layout.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable, Iterator, Sequence

from .limits import check_decimal, int_text, parse_number

__all__ = ["Game", "GameError", "to_fraction", "format_fraction"]


class GameError(ValueError):
    """A game (or a payoff in it) is malformed: the message says what and where."""


def to_fraction(value: Any, where: str = "payoff") -> Fraction:
    """Convert an int, Fraction, Decimal, finite float or string ('3/2', '-0.25',
    '1e3') to an exact Fraction. Floats are taken at their exact binary value.
    Strings and Decimals (what files are read as) must be within the number
    limits of `specs.limits` (digits, magnitude), checked before converting.
    NaN, infinities, booleans and anything else raise GameError."""
    if isinstance(value, bool):
        raise GameError(f"{where}: {value!r} is a boolean, not a number")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise GameError(f"{where}: {value!r} is not a finite number")
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(check_decimal(value, where))
    if isinstance(value, str):
        return parse_number(value, where)
    if hasattr(value, "numerator") and hasattr(value, "denominator"):
        return Fraction(int(value.numerator), int(value.denominator))
    try:
        as_float = float(value)
    except (TypeError, ValueError, OverflowError):
        raise GameError(f"{where}: {type(value).__name__} is not a number") from None
    return to_fraction(as_float, where)


def format_fraction(value: Fraction) -> str:
    """'9/2', '-3', '0': the exact string form used in JSON and .nfg output."""
    value = Fraction(value)
    if value.denominator == 1:
        return int_text(value.numerator)
    return f"{int_text(value.numerator)}/{int_text(value.denominator)}"


@dataclass(frozen=True)
class Game:
    """A finite normal-form game with exact rational payoffs.

    `payoffs[i]` is a flat tuple of player i's payoffs over pure profiles in
    row-major order (player 0's action varies slowest). Build games with
    `Game.from_arrays` or `Game.from_function` rather than by hand."""

    actions: tuple[tuple[str, ...], ...]
    payoffs: tuple[tuple[Fraction, ...], ...]
    players: tuple[str, ...] = ()
    title: str = ""
    _strides: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        actions = tuple(tuple(str(a) for a in acts) for acts in self.actions)
        object.__setattr__(self, "actions", actions)
        if not actions:
            raise GameError("a game needs at least one player")
        for i, acts in enumerate(actions):
            if not acts:
                raise GameError(f"player {i} has an empty action set")
            if len(set(acts)) != len(acts):
                raise GameError(f"player {i} has duplicate action labels {list(acts)}")
        players = tuple(str(p) for p in self.players) or tuple(
            f"Player {i + 1}" for i in range(len(actions))
        )
        if len(players) != len(actions):
            raise GameError(
                f"{len(players)} player names for {len(actions)} action sets"
            )
        object.__setattr__(self, "players", players)
        size = math.prod(len(a) for a in actions)
        if len(self.payoffs) != len(actions):
            raise GameError(
                f"payoffs are given for {len(self.payoffs)} players, the game has {len(actions)}"
            )
        payoffs = []
        for i, row in enumerate(self.payoffs):
            row = tuple(row)
            if len(row) != size:
                raise GameError(
                    f"player {i} has {len(row)} payoffs, the shape "
                    f"{'x'.join(str(len(a)) for a in actions)} needs {size}"
                )
            payoffs.append(
                tuple(to_fraction(v, f"payoff of player {i} at index {k}") for k, v in enumerate(row))
            )
        object.__setattr__(self, "payoffs", tuple(payoffs))
        strides = []
        stride = 1
        for acts in reversed(actions):
            strides.append(stride)
            stride *= len(acts)
        object.__setattr__(self, "_strides", tuple(reversed(strides)))

    # -- construction -------------------------------------------------------

    @classmethod
    def from_arrays(
        cls,
        arrays: Sequence[Any],
        actions: Sequence[Sequence[str]] | None = None,
        players: Sequence[str] = (),
        title: str = "",
    ) -> "Game":
        """Build a game from one nested array per player, indexed [a_0][a_1]...;
        entries may be ints, Fractions, strings like '3/2', or finite floats."""
        arrays = list(arrays)
        if not arrays:
            raise GameError("a game needs at least one player")
        shape = _nested_shape(arrays[0])
        if actions is None:
            actions = [[str(k + 1) for k in range(size)] for size in shape]
        shape_expected = tuple(len(a) for a in actions)
        flat = []
        for i, array in enumerate(arrays):
            if _nested_shape(array) != shape_expected:
                raise GameError(
                    f"payoff array of player {i} has shape {_nested_shape(array)}, "
                    f"expected {shape_expected}"
                )
            flat.append(tuple(_flatten(array)))
        return cls(tuple(tuple(a) for a in actions), tuple(flat), tuple(players), title)

    @classmethod
    def from_function(
        cls,
        shape: Sequence[int],
        payoff: Any,
        actions: Sequence[Sequence[str]] | None = None,
        players: Sequence[str] = (),
        title: str = "",
    ) -> "Game":
        """Build a game of the given shape from `payoff(profile) -> sequence of n payoffs`."""
        shape = tuple(shape)
        if actions is None:
            actions = [[str(k + 1) for k in range(size)] for size in shape]
        n = len(shape)
        flat: list[list[Any]] = [[] for _ in range(n)]
        for profile in itertools.product(*(range(k) for k in shape)):
            values = list(payoff(profile))
            if len(values) != n:
                raise GameError(f"payoff function gave {len(values)} values for {n} players")
            for i, v in enumerate(values):
                flat[i].append(v)
        return cls(tuple(tuple(a) for a in actions), tuple(tuple(f) for f in flat), tuple(players), title)

    # -- access ---------------------------------------------------------------

    @property
    def n_players(self) -> int:
        return len(self.actions)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a) for a in self.actions)

    @property
    def shape_name(self) -> str:
        """'2x3x2'."""
        return "x".join(str(k) for k in self.shape)

    def profiles(self) -> Iterator[tuple[int, ...]]:
        """All pure profiles, in the storage order (player 0 slowest)."""
        return itertools.product(*(range(k) for k in self.shape))

    def index(self, profile: Sequence[int]) -> int:
        return sum(a * s for a, s in zip(profile, self._strides))

    def payoff(self, player: int, profile: Sequence[int]) -> Fraction:
        return self.payoffs[player][self.index(profile)]

    def outcome(self, profile: Sequence[int]) -> tuple[Fraction, ...]:
        k = self.index(profile)
        return tuple(p[k] for p in self.payoffs)

    def total(self, profile: Sequence[int]) -> Fraction:
        k = self.index(profile)
        return sum((p[k] for p in self.payoffs), Fraction(0))

    def payoffs_array(self, player: int) -> list:
        """Player's payoffs as a nested list indexed [a_0][a_1]... (Fractions)."""
        return _unflatten(list(self.payoffs[player]), self.shape)

    def max_abs_payoff(self) -> Fraction:
        return max((abs(v) for row in self.payoffs for v in row), default=Fraction(0))

    def is_integer(self) -> bool:
        return all(v.denominator == 1 for row in self.payoffs for v in row)

    def with_payoffs(self, payoffs: Iterable[Iterable[Any]]) -> "Game":
        """The same players and actions with new flat payoffs."""
        return Game(self.actions, tuple(tuple(p) for p in payoffs), self.players, self.title)

    def describe(self) -> str:
        """A readable table of the game: one line per pure profile."""
        lines = [f"{self.title or 'game'} ({self.shape_name}, players: {', '.join(self.players)})"]
        for profile in self.profiles():
            labels = ", ".join(self.actions[i][a] for i, a in enumerate(profile))
            values = ", ".join(format_fraction(v) for v in self.outcome(profile))
            lines.append(f"  ({labels}) -> ({values})")
        return "\n".join(lines)


def _nested_shape(array: Any) -> tuple[int, ...]:
    if isinstance(array, (list, tuple)) or (hasattr(array, "shape") and hasattr(array, "tolist")):
        if hasattr(array, "tolist"):
            array = array.tolist()
        if not array:
            return (0,)
        inner = {_nested_shape(x) for x in array}
        if len(inner) != 1:
            raise GameError("ragged payoff array")
        return (len(array),) + inner.pop()
    return ()


def _flatten(array: Any) -> Iterator[Any]:
    if hasattr(array, "tolist"):
        array = array.tolist()
    if isinstance(array, (list, tuple)):
        for x in array:
            yield from _flatten(x)
    else:
        yield array


def _unflatten(flat: list, shape: tuple[int, ...]) -> list:
    if len(shape) == 1:
        return list(flat)
    step = len(flat) // shape[0]
    return [_unflatten(flat[k * step:(k + 1) * step], shape[1:]) for k in range(shape[0])]
