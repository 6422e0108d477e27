"""Solution concepts defined once: an algebra of game quantities whose every
definition has two readings, the exact value (here: rational arithmetic, the
reference semantics) and the SMT encoding (`bargaincheck.encoders.algebra`).

A *definition* is a Python function from a game handle `g` (a `GameRef`: its
shape, never its payoffs) to one expression per player, for example the
"equal split above maximin" value φ_i = maximin_i + (M − Σ_j maximin_j)/n::

    def equal_above_maximin(g):
        floors = [g.maximin(i) for i in range(g.n_players)]
        share = (g.M - sum(floors)) / g.n_players
        return [floor + share for floor in floors]

The expressions are data (an `Expr` tree), built once per shape; the exact
reading evaluates the tree on a `Game`, the SMT reading turns the same tree
into one-sided LP encodings. Nothing else about a concept is written twice.

The atoms, each an LP over mixed strategies (or a payoff entry):

* `g.M`: the total surplus, max over pure profiles of Σ_i U_i;
* `g.max_payoff(i)`: player i's largest payoff;
* `g.maximin(i)`: what i guarantees alone against the others' joint profiles;
* `g.value(A)`: the value of the zero-sum game A (two players, the row player
  maximizing), A a rational-linear combination of the payoff arrays `g.U[i]`;
* `g.extractable_surplus(leader)`: the 2-player ROSE surplus S_leader (seed 000);
* `g.correlated_payoff(i, selection)`: player i's expected payoff at the
  correlated equilibrium that `selection` ("utilitarian" or "egalitarian")
  picks by lexicographic LPs (`specs.concepts.correlated`); exact and
  searchable, decided by form where the form lemmas reach, not SMT-encoded;
* `g.payoff(i, profile)`: one payoff entry.

They combine by `+`, `−`, multiplication and division by rationals (ints or
Fractions; floats are refused, they are not exact), `maximum`/`minimum`,
`argmax(keys, branches)` (the branch of the first maximal key: a choice over
pure profiles with a stated tie-break), `cases(condition, then, otherwise)`
with conditions `a >= b`, `a > b` (and `&`), and `g.coalition(members)`, the
two-player game "S vs N∖S" of Shapley amplification. Python control flow may
depend on the shape (`g.n_players`, `g.shape`, `g.profiles()`), never on the
payoffs: comparing two quantities gives a condition, not a bool, and using it
in an `if` is an error that says to use `cases`.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, fields
from fractions import Fraction
from typing import Any, Callable, Iterator, Sequence

__all__ = [
    "AlgebraError",
    "Expr",
    "Linear",
    "Atom",
    "Argmax",
    "Case",
    "Condition",
    "Comparison",
    "Conjunction",
    "PayoffArray",
    "GameRef",
    "Definition",
    "maximum",
    "minimum",
    "argmax",
    "cases",
    "constant",
    "exact_values",
    "ExactReading",
]

ZERO, ONE = Fraction(0), Fraction(1)


class AlgebraError(ValueError):
    """A definition steps outside the algebra (a product of two quantities, a
    float, an `if` on a condition, a wrong player or profile)."""


def _rational(value: Any, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        hint = " (floats are not exact: write Fraction('0.1') or Fraction(1, 10))" if isinstance(value, float) else ""
        raise AlgebraError(f"{what} must be an int or a Fraction, not {type(value).__name__} {value!r}{hint}")
    return Fraction(value)


class _Node:
    """Structural equality with a cached hash: trees are compared and used as
    memo keys often, and are immutable."""

    def __hash__(self) -> int:
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((type(self).__name__,) + tuple(getattr(self, f.name) for f in fields(self)))
            object.__setattr__(self, "_hash", cached)
        return cached


class Expr(_Node):
    """A real quantity of a game: an atom, a rational-linear combination, a
    choice (`Argmax`) or a case distinction (`Case`)."""

    def linear(self) -> "Linear":
        return Linear(((self, ONE),), ZERO)

    def __add__(self, other: Any) -> "Linear":
        return _as_linear(self).plus(_as_linear(other), ONE)

    __radd__ = __add__

    def __sub__(self, other: Any) -> "Linear":
        return _as_linear(self).plus(_as_linear(other), -ONE)

    def __rsub__(self, other: Any) -> "Linear":
        return _as_linear(other).plus(_as_linear(self), -ONE)

    def __neg__(self) -> "Linear":
        return _as_linear(self).scaled(-ONE)

    def __mul__(self, factor: Any) -> "Linear":
        if isinstance(factor, (Expr, PayoffArray)):
            raise AlgebraError("a product of two game quantities is not in the algebra: "
                               "multiply by rational numbers only")
        return _as_linear(self).scaled(_rational(factor, "a factor"))

    __rmul__ = __mul__

    def __truediv__(self, divisor: Any) -> "Linear":
        divisor = _rational(divisor, "a divisor")
        if divisor == 0:
            raise AlgebraError("division by zero in a definition")
        return _as_linear(self).scaled(1 / divisor)

    def __ge__(self, other: Any) -> "Comparison":
        return Comparison(_as_linear(self) - _as_linear(other), False)

    def __gt__(self, other: Any) -> "Comparison":
        return Comparison(_as_linear(self) - _as_linear(other), True)

    def __le__(self, other: Any) -> "Comparison":
        return Comparison(_as_linear(other) - _as_linear(self), False)

    def __lt__(self, other: Any) -> "Comparison":
        return Comparison(_as_linear(other) - _as_linear(self), True)

    def __bool__(self) -> bool:
        raise AlgebraError("a game quantity has no truth value")

    def text(self) -> str:
        """Canonical text: equal trees, equal texts (used in fingerprints)."""
        raise NotImplementedError


def _as_linear(value: Any) -> "Linear":
    if isinstance(value, Linear):
        return value
    if isinstance(value, Expr):
        return value.linear()
    if isinstance(value, PayoffArray):
        raise AlgebraError("a payoff array is not a number: take its zero-sum value with g.value(array)")
    return Linear((), _rational(value, "a constant"))


def constant(value: int | Fraction) -> "Linear":
    """The constant `value` as an expression."""
    return Linear((), _rational(value, "a constant"))


@dataclass(frozen=True, eq=True)
class Linear(Expr):
    """Σ_k c_k·term_k + const, with exact rational coefficients; terms are
    atoms, choices and cases (never another Linear)."""

    terms: tuple[tuple[Expr, Fraction], ...]
    const: Fraction = ZERO

    __hash__ = _Node.__hash__

    def linear(self) -> "Linear":
        return self

    def plus(self, other: "Linear", factor: Fraction) -> "Linear":
        merged: dict[Expr, Fraction] = dict(self.terms)
        for term, c in other.terms:
            merged[term] = merged.get(term, ZERO) + c * factor
        return Linear(tuple((t, c) for t, c in merged.items() if c != 0), self.const + other.const * factor)

    def scaled(self, factor: Fraction) -> "Linear":
        if factor == 0:
            return Linear((), ZERO)
        return Linear(tuple((t, c * factor) for t, c in self.terms), self.const * factor)

    def text(self) -> str:
        parts = [f"{c}*{t.text()}" for t, c in self.terms]
        if self.const or not parts:
            parts.append(str(self.const))
        return "(" + " + ".join(parts) + ")"


@dataclass(frozen=True, eq=True)
class GameRef(_Node):
    """A game handle: the game a definition is applied to, or a game derived
    from it (`coalition`). Carries the shape only; the payoffs come with the
    reading (exact or symbolic)."""

    shape: tuple[int, ...]
    path: tuple[tuple[int, ...], ...] = ()  # coalitions taken, outermost first

    __hash__ = _Node.__hash__

    @property
    def n_players(self) -> int:
        return len(self.shape)

    def profiles(self) -> list[tuple[int, ...]]:
        """The pure profiles in storage order (player 0's action varies slowest)."""
        return list(itertools.product(*(range(k) for k in self.shape)))

    def text(self) -> str:
        return "G" + "".join("/coalition" + ",".join(map(str, c)) for c in self.path)

    def _player(self, player: Any) -> int:
        if isinstance(player, bool) or not isinstance(player, int) or not 0 <= player < self.n_players:
            raise AlgebraError(f"player {player!r} is not one of 0..{self.n_players - 1} of a "
                               f"{self.n_players}-player game")
        return player

    def _two_players(self, what: str) -> None:
        if self.n_players != 2:
            raise AlgebraError(f"{what} is defined for two-player games; this one has {self.n_players} "
                               f"(use g.coalition(members) for 'S vs N∖S')")

    @property
    def M(self) -> "Atom":
        """The total surplus: max over pure profiles of Σ_i U_i."""
        return Atom("M", self, ())

    def max_payoff(self, player: int) -> "Atom":
        """Player's largest payoff at any pure profile."""
        return Atom("max", self, (self._player(player),))

    def maximin(self, player: int) -> "Atom":
        """What `player` guarantees alone (mixed, against the others' joint pure profiles)."""
        return Atom("maximin", self, (self._player(player),))

    def extractable_surplus(self, leader: int) -> "Atom":
        """S_leader of two-player ROSE (seed 000): the most surplus the leader
        extracts moving first against an argmaxing follower."""
        self._two_players("the extractable surplus")
        return Atom("S", self, (self._player(leader),))

    def correlated_payoff(self, player: int, selection: str = "utilitarian") -> "Atom":
        """Player's expected payoff d_i at the correlated equilibrium chosen by
        `selection` (its lexicographic LPs: `specs.concepts.correlated`)."""
        from .correlated import SELECTIONS

        if selection not in SELECTIONS:
            raise AlgebraError(f"unknown CE selection {selection!r}; choose from {', '.join(SELECTIONS)}")
        return Atom("ce", self, (selection, self._player(player)))

    def payoff(self, player: int, profile: Sequence[int]) -> "Atom":
        """Player's payoff at one pure profile."""
        profile = tuple(profile)
        if len(profile) != self.n_players or any(
            isinstance(a, bool) or not isinstance(a, int) or not 0 <= a < k for a, k in zip(profile, self.shape)
        ):
            raise AlgebraError(f"{profile!r} is not a pure profile of a {'x'.join(map(str, self.shape))} game")
        return Atom("entry", self, (self._player(player), profile))

    @property
    def U(self) -> tuple["PayoffArray", ...]:
        """The payoff arrays U_0, U_1, … (for `value`)."""
        return tuple(PayoffArray(self, ((i, ONE),)) for i in range(self.n_players))

    def value(self, array: "PayoffArray") -> "Atom":
        """The value of the zero-sum game `array` (rows: player 0's actions,
        the row player maximizing)."""
        if not isinstance(array, PayoffArray) or array.game != self:
            raise AlgebraError("g.value takes a combination of this game's payoff arrays g.U[i]")
        self._two_players("a zero-sum value")
        return Atom("val", self, (array.weights,))

    def coalition(self, members: Sequence[int]) -> "GameRef":
        """The two-player game "S vs N∖S" (joint actions in storage order,
        summed utilities; an empty side has one action and utility 0)."""
        side = tuple(sorted(set(self._player(i) for i in members)))
        sizes = [math.prod(self.shape[i] for i in side), math.prod(k for i, k in enumerate(self.shape) if i not in side)]
        return GameRef((sizes[0], sizes[1]), self.path + (side,))


@dataclass(frozen=True, eq=True)
class PayoffArray(_Node):
    """Σ_i w_i·U_i over the pure profiles of a game, as a matrix for `value`."""

    game: GameRef
    weights: tuple[tuple[int, Fraction], ...]

    __hash__ = _Node.__hash__

    def _combine(self, other: "PayoffArray", factor: Fraction) -> "PayoffArray":
        if not isinstance(other, PayoffArray) or other.game != self.game:
            raise AlgebraError("payoff arrays combine only with payoff arrays of the same game")
        merged = dict(self.weights)
        for i, w in other.weights:
            merged[i] = merged.get(i, ZERO) + w * factor
        return PayoffArray(self.game, tuple(sorted((i, w) for i, w in merged.items() if w != 0)))

    def __add__(self, other: "PayoffArray") -> "PayoffArray":
        return self._combine(other, ONE)

    def __sub__(self, other: "PayoffArray") -> "PayoffArray":
        return self._combine(other, -ONE)

    def __neg__(self) -> "PayoffArray":
        return self * -1

    def __mul__(self, factor: Any) -> "PayoffArray":
        factor = _rational(factor, "a factor of a payoff array")
        return PayoffArray(self.game, tuple((i, w * factor) for i, w in self.weights if w * factor != 0))

    __rmul__ = __mul__

    def __truediv__(self, divisor: Any) -> "PayoffArray":
        divisor = _rational(divisor, "a divisor of a payoff array")
        if divisor == 0:
            raise AlgebraError("division by zero in a definition")
        return self * (1 / divisor)

    def text(self) -> str:
        return "(" + " + ".join(f"{w}*U{i}" for i, w in self.weights) + ")" if self.weights else "0"


@dataclass(frozen=True, eq=True)
class Atom(Expr):
    """One LP-valued quantity (or payoff entry) of one game: kind "M", "max",
    "maximin", "val", "S", "ce" (args: selection, player) or "entry"."""

    kind: str
    game: GameRef
    args: tuple

    __hash__ = _Node.__hash__

    def text(self) -> str:
        args = []
        for a in self.args:
            args.append(PayoffArray(self.game, a).text() if self.kind == "val" else str(a).replace(" ", ""))
        return f"{self.kind}[{self.game.text()}]({','.join(args)})"


@dataclass(frozen=True, eq=True)
class Argmax(Expr):
    """branches[k] for the first k maximizing keys[k] (ties: the first)."""

    keys: tuple[Expr, ...]
    branches: tuple[Expr, ...]

    __hash__ = _Node.__hash__

    def text(self) -> str:
        return ("argmax[" + ";".join(k.text() for k in self.keys) + "]{"
                + ";".join(b.text() for b in self.branches) + "}")

    def winning(self, k: int) -> list["Comparison"]:
        """The comparisons that make option k the winner: strictly above the
        keys before it, at least the keys after it. Over k they partition
        every game (each game satisfies exactly one option's comparisons)."""
        key = _as_linear(self.keys[k])
        return ([Comparison(key - _as_linear(other), True) for other in self.keys[:k]]
                + [Comparison(key - _as_linear(other), False) for other in self.keys[k + 1:]])


class Condition(_Node):
    """A condition on a game: comparisons and their conjunctions."""

    def __and__(self, other: "Condition") -> "Conjunction":
        if not isinstance(other, Condition):
            raise AlgebraError("& joins two conditions")
        return Conjunction(self.parts() + other.parts())

    def parts(self) -> tuple["Comparison", ...]:
        raise NotImplementedError

    def __bool__(self) -> bool:
        raise AlgebraError("a condition on the payoffs cannot steer Python control flow: a definition "
                           "is read symbolically too; write cases(condition, then, otherwise)")


@dataclass(frozen=True, eq=True)
class Comparison(Condition):
    """difference > 0 (strict) or difference ≥ 0."""

    difference: Linear
    strict: bool

    __hash__ = _Node.__hash__

    def parts(self) -> tuple["Comparison", ...]:
        return (self,)

    def negated(self) -> "Comparison":
        return Comparison(self.difference.scaled(-ONE), not self.strict)

    def text(self) -> str:
        return f"{self.difference.text()} {'>' if self.strict else '>='} 0"


@dataclass(frozen=True, eq=True)
class Conjunction(Condition):
    comparisons: tuple[Comparison, ...]

    __hash__ = _Node.__hash__

    def parts(self) -> tuple[Comparison, ...]:
        return self.comparisons

    def text(self) -> str:
        return " & ".join(c.text() for c in self.comparisons)


@dataclass(frozen=True, eq=True)
class Case(Expr):
    """`then` where `condition` holds, else `otherwise`."""

    condition: Condition
    then: Expr
    otherwise: Expr

    __hash__ = _Node.__hash__

    def text(self) -> str:
        return f"cases[{self.condition.text()}]{{{self.then.text()};{self.otherwise.text()}}}"


def _as_expr(value: Any) -> Expr:
    return value if isinstance(value, Expr) else _as_linear(value)


def argmax(keys: Sequence[Any], branches: Sequence[Any]) -> Expr:
    """branches[k] for the first k whose key is largest (ties: the first)."""
    keys, branches = tuple(_as_expr(k) for k in keys), tuple(_as_expr(b) for b in branches)
    if not keys or len(keys) != len(branches):
        raise AlgebraError(f"argmax needs as many branches as keys (≥ 1), not {len(keys)} keys, {len(branches)} branches")
    if len(set(branches)) == 1:
        return branches[0]
    return Argmax(keys, branches)


def maximum(*values: Any) -> Expr:
    """The largest of the values."""
    return argmax(values, values)


def minimum(*values: Any) -> Expr:
    """The smallest of the values."""
    return -argmax([-_as_linear(v) for v in values], [-_as_linear(v) for v in values])


def cases(condition: Condition, then: Any, otherwise: Any) -> Expr:
    """`then` where `condition` holds (a comparison, or comparisons joined by &), else `otherwise`."""
    if not isinstance(condition, Condition):
        raise AlgebraError(f"cases needs a condition such as a >= b, not {type(condition).__name__}")
    then, otherwise = _as_expr(then), _as_expr(otherwise)
    return then if then == otherwise else Case(condition, then, otherwise)


# -- definitions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    """A concept's one definition: `build(g)` gives one expression per player
    for a game handle of a shape in `accepts`."""

    build: Callable[[GameRef], Sequence[Any]]
    min_players: int = 1
    max_players: int | None = None

    def accepts(self, shape: Sequence[int]) -> bool:
        n = len(shape)
        return n >= self.min_players and (self.max_players is None or n <= self.max_players)

    def expressions(self, shape: Sequence[int]) -> tuple[Expr, ...]:
        """The definition's expressions on games of `shape` (built once per shape)."""
        return _expressions(self.build, tuple(shape))

    def text(self, shape: Sequence[int]) -> str:
        """The canonical text of the expressions on `shape` (for fingerprints)."""
        return "\n".join(e.text() for e in self.expressions(shape))

    def exact(self, game: Any) -> tuple[Fraction, ...]:
        """The exact reading on a concrete `Game`."""
        return exact_values(self.expressions(game.shape), game)


@functools.lru_cache(maxsize=256)
def _expressions(build: Callable[[GameRef], Sequence[Any]], shape: tuple[int, ...]) -> tuple[Expr, ...]:
    g = GameRef(shape)
    try:
        result = build(g)
        values = tuple(_as_expr(v) for v in result)
    except AlgebraError:
        raise
    except TypeError as error:
        raise AlgebraError(f"the definition did not return one expression per player: {error}") from None
    if len(values) != g.n_players:
        raise AlgebraError(f"the definition returned {len(values)} expressions for {g.n_players} players")
    for v in values:
        for atom in atoms_of(v):
            _check_derived(atom.game, g)
    return values


def _check_derived(ref: GameRef, root: GameRef) -> None:
    """`ref` must be the root handle or a game derived from it."""
    derived = root
    for members in ref.path:
        derived = derived.coalition(members)
    if derived != ref:
        raise AlgebraError(f"the definition uses a game handle of shape {'x'.join(map(str, ref.shape))} that is "
                           f"not the {'x'.join(map(str, root.shape))} game it was given (or a game derived from it)")


def walk(expr: Expr | Condition) -> Iterator[Expr | Condition]:
    """Every node of a tree, each distinct node once."""
    seen: set[int] = set()
    stack: list[Any] = [expr]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, Linear):
            stack.extend(t for t, _ in node.terms)
        elif isinstance(node, Argmax):
            stack.extend(node.keys + node.branches)
        elif isinstance(node, Case):
            stack.extend([node.condition, node.then, node.otherwise])
        elif isinstance(node, Conjunction):
            stack.extend(node.comparisons)
        elif isinstance(node, Comparison):
            stack.append(node.difference)


def atoms_of(expr: Expr) -> set[Atom]:
    return {node for node in walk(expr) if isinstance(node, Atom)}


# -- the exact reading ------------------------------------------------------------------------------


class ExactReading:
    """Evaluates expressions on one concrete game, exactly; every atom and
    derived game is computed once."""

    def __init__(self, game: Any):
        self._games: dict[tuple, Any] = {(): game}
        self._memo: dict[Expr, Fraction] = {}
        self._equilibria: dict[tuple, tuple[Fraction, ...]] = {}

    def game(self, ref: GameRef) -> Any:
        if ref.path not in self._games:
            from ..transforms import coalition_game

            self._games[ref.path] = coalition_game(self.game(GameRef((), ref.path[:-1])), ref.path[-1])
        return self._games[ref.path]

    def value(self, expr: Expr) -> Fraction:
        cached = self._memo.get(expr)
        if cached is not None:
            return cached
        if isinstance(expr, Linear):
            result = expr.const + sum((c * self.value(t) for t, c in expr.terms), ZERO)
        elif isinstance(expr, Atom):
            result = self._atom(expr)
        elif isinstance(expr, Argmax):
            keys = [self.value(k) for k in expr.keys]
            result = self.value(expr.branches[keys.index(max(keys))])
        elif isinstance(expr, Case):
            result = self.value(expr.then if self.holds(expr.condition) else expr.otherwise)
        else:
            raise AlgebraError(f"not an expression of the algebra: {type(expr).__name__}")
        self._memo[expr] = result
        return result

    def holds(self, condition: Condition) -> bool:
        return all((self.value(c.difference) > 0) if c.strict else (self.value(c.difference) >= 0)
                   for c in condition.parts())

    def _atom(self, atom: Atom) -> Fraction:
        from .basic import max_payoff, maximin_value, total_surplus, zero_sum_value
        from .rose2 import extractable_surplus, leader_matrices

        game = self.game(atom.game)
        if atom.kind == "M":
            return total_surplus(game)
        if atom.kind == "max":
            return max_payoff(game, atom.args[0])
        if atom.kind == "maximin":
            return maximin_value(game, atom.args[0])
        if atom.kind == "entry":
            return game.payoff(atom.args[0], atom.args[1])
        if atom.kind == "S":
            return extractable_surplus(*leader_matrices(game, atom.args[0]))
        if atom.kind == "val":
            rows, cols = game.shape
            return zero_sum_value([[sum((w * game.payoff(i, (a, b)) for i, w in atom.args[0]), ZERO)
                                    for b in range(cols)] for a in range(rows)])
        if atom.kind == "ce":
            from .correlated import correlated_equilibrium

            selection, player = atom.args
            key = (atom.game.path, selection)
            if key not in self._equilibria:  # one lexicographic LP run gives every player's d_i
                self._equilibria[key] = correlated_equilibrium(game, selection)[1]
            return self._equilibria[key][player]
        raise AlgebraError(f"unknown atom kind {atom.kind!r}")


def exact_values(expressions: Sequence[Expr], game: Any) -> tuple[Fraction, ...]:
    """Each expression's exact value on the concrete `game`."""
    reading = ExactReading(game)
    return tuple(reading.value(e) for e in expressions)
