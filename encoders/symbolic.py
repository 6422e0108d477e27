"""Symbolic games: payoffs as pysmt terms over bounded real, integer or
rational-grid unknowns (or pinned to a concrete `Game`).

A `SymbolicGame` stores one pysmt term per (player, pure profile), in the
same flat row-major order as `specs.games.Game` (player 0 slowest). Unknown
payoffs are `Real` symbols; for the integer and grid domains a payoff is
k/q with k an `Int` symbol. `constraints` holds the bound |u| ≤ B (and the
normalisation, when some payoffs are fixed). Derived games (the coalition
game "S vs N∖S", the destruction game with symbolic caps) reuse the same
unknowns, so one query can speak about a game and its transform."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Sequence

from pysmt.fnode import FNode
from pysmt.shortcuts import GE, LE, Int, Plus, Real, Symbol, Times, ToReal
from pysmt.typing import INT, REAL

from ..specs.games import Game
from ..specs.transforms import PayoffMap, coalition_layout

__all__ = ["Domain", "SymbolicGame", "real_const", "linear_sum", "symbol_name"]


def real_const(value: Fraction | int) -> FNode:
    """The exact rational constant `value` as a pysmt Real."""
    value = Fraction(value)
    return Real((value.numerator, value.denominator))


def linear_sum(terms: Iterable[FNode]) -> FNode:
    """Σ terms (0 for an empty sum)."""
    terms = list(terms)
    if not terms:
        return real_const(0)
    if len(terms) == 1:
        return terms[0]
    return Plus(terms)


def symbol_name(prefix: str, player: int, index: int) -> str:
    return f"{prefix}_p{player}_{index}"


@dataclass(frozen=True)
class Domain:
    """Where unknown payoffs live: `kind` "real", "integer" or "grid" (k/q for
    integer k with q = `denominator`), all within [−bound, bound]."""

    kind: str = "real"
    bound: Fraction = Fraction(10)
    denominator: int = 1

    def __post_init__(self) -> None:
        if self.kind not in ("real", "integer", "grid"):
            raise ValueError(f"unknown payoff domain {self.kind!r}: real, integer or grid")
        object.__setattr__(self, "bound", Fraction(self.bound))
        if self.bound < 0 or self.denominator < 1:
            raise ValueError("a domain needs bound ≥ 0 and denominator ≥ 1")

    def describe(self) -> str:
        if self.kind == "real":
            return f"real payoffs in [-{self.bound}, {self.bound}]"
        if self.kind == "integer":
            return f"integer payoffs in [-{self.bound}, {self.bound}]"
        return f"payoffs k/{self.denominator} in [-{self.bound}, {self.bound}]"


@dataclass
class SymbolicGame:
    """A finite game whose payoffs are pysmt terms.

    `payoffs[i][k]` is player i's payoff at the k-th pure profile (row-major,
    player 0 slowest). `unknowns` maps symbol name -> (player, index) for the
    payoffs that are free; `constraints` are the domain bounds on them."""

    shape: tuple[int, ...]
    payoffs: list[list[FNode]]
    name: str = "g"
    unknowns: dict[str, tuple[int, int]] = field(default_factory=dict)
    constraints: list[FNode] = field(default_factory=list)
    domain: Domain | None = None
    fixed: dict[tuple[int, int], Fraction] = field(default_factory=dict)
    # For a destruction game: (name of the original game, number of burn copies
    # of each player's action); player i's action k is the original action
    # k // copies[i] (copy k % copies[i], copy 0 burning nothing).
    base: tuple[str, tuple[int, ...]] | None = None
    # Two players with equally many actions whose action sets the cuts may
    # identify (`encoders.cuts`): sound for any game (an aggregation needs
    # only weights ≥ 0), useful when the players are identical (symmetry).
    shared_actions: tuple[int, int] | None = None
    # For a game with extra actions (`with_extra_action`): (name of the
    # original game, player, number of new actions appended after its own).
    extends: tuple[str, int, int] | None = None

    # -- construction -------------------------------------------------------

    @classmethod
    def unknown(
        cls,
        shape: Sequence[int],
        domain: Domain = Domain(),
        name: str = "g",
        fixed: dict[tuple[int, int], Fraction] | None = None,
    ) -> "SymbolicGame":
        """A game of the given shape with every payoff an unknown in `domain`,
        except those in `fixed` ((player, flat index) -> value)."""
        shape = tuple(int(k) for k in shape)
        size = math.prod(shape)
        fixed = {key: Fraction(v) for key, v in (fixed or {}).items()}
        payoffs: list[list[FNode]] = []
        unknowns: dict[str, tuple[int, int]] = {}
        constraints: list[FNode] = []
        low, high = real_const(-domain.bound), real_const(domain.bound)
        for i in range(len(shape)):
            row = []
            for k in range(size):
                if (i, k) in fixed:
                    row.append(real_const(fixed[(i, k)]))
                    continue
                # Int symbols get their own names: pysmt's formula manager is
                # process-wide and a name cannot be both a Real and an Int.
                label = symbol_name(name if domain.kind == "real" else name + "k", i, k)
                unknowns[label] = (i, k)
                if domain.kind == "real":
                    term = Symbol(label, REAL)
                    constraints += [LE(low, term), LE(term, high)]
                else:
                    count = Symbol(label, INT)
                    limit = int(domain.bound * domain.denominator)  # floor: |k/q| ≤ B
                    constraints += [GE(count, Int(-limit)), LE(count, Int(limit))]
                    term = ToReal(count)
                    if domain.denominator != 1:
                        term = Times(real_const(Fraction(1, domain.denominator)), term)
                row.append(term)
            payoffs.append(row)
        return cls(shape, payoffs, name, unknowns, constraints, domain, fixed)

    @classmethod
    def pinned(cls, game: Game, name: str = "g") -> "SymbolicGame":
        """The concrete `game` as a symbolic game with constant payoffs."""
        payoffs = [[real_const(v) for v in row] for row in game.payoffs]
        return cls(tuple(game.shape), payoffs, name)

    # -- access -------------------------------------------------------------

    @property
    def n_players(self) -> int:
        return len(self.shape)

    def index(self, profile: Sequence[int]) -> int:
        k = 0
        for a, size in zip(profile, self.shape):
            k = k * size + a
        return k

    def profiles(self) -> list[tuple[int, ...]]:
        return list(itertools.product(*(range(k) for k in self.shape)))

    def payoff(self, player: int, profile: Sequence[int]) -> FNode:
        return self.payoffs[player][self.index(profile)]

    def total(self, profile: Sequence[int]) -> FNode:
        return linear_sum(self.payoffs[i][self.index(profile)] for i in range(self.n_players))

    def matrix(self, player: int, viewer: int | None = None) -> list[list[FNode]]:
        """Two players only: payoff of `player` indexed [viewer's action][other's action]
        (viewer defaults to `player`)."""
        viewer = player if viewer is None else viewer
        other = 1 - viewer
        rows = []
        for a in range(self.shape[viewer]):
            row = []
            for b in range(self.shape[other]):
                profile = (a, b) if viewer == 0 else (b, a)
                row.append(self.payoff(player, profile))
            rows.append(row)
        return rows

    def total_matrix(self, viewer: int) -> list[list[FNode]]:
        """Two players only: U_1 + U_2 indexed [viewer's action][other's action]."""
        first, second = self.matrix(0, viewer), self.matrix(1, viewer)
        return [[Plus(x, y) for x, y in zip(r1, r2)] for r1, r2 in zip(first, second)]

    # -- derived games --------------------------------------------------------

    def coalition_game(self, coalition: Sequence[int]) -> "SymbolicGame":
        """The two-player game "S vs N∖S" (as `specs.transforms.coalition_game`):
        joint pure actions in storage order, summed utilities; an empty side has
        one action and utility 0."""
        side, other, s_actions, o_actions, profiles = coalition_layout(self.shape, coalition)
        pay_s, pay_o = [], []
        for profile in profiles:
            k = self.index(profile)
            pay_s.append(linear_sum(self.payoffs[i][k] for i in side))
            pay_o.append(linear_sum(self.payoffs[i][k] for i in other))
        label = f"{self.name}_c{''.join(str(i) for i in side) or 'e'}"
        return SymbolicGame((len(s_actions), len(o_actions)), [pay_s, pay_o], label)

    def destruction_game(self, caps: Sequence[Sequence[FNode | None]]) -> "SymbolicGame":
        """The finite destruction game (as `specs.transforms.destruction_game`)
        with cap terms caps[i][j] (None: no button): each player i's action
        becomes (action, burn level in {0, D_ij} for each j with a button), the
        no-burn copy first; j loses the burns aimed at it, burning is free.
        Unlike the reference, a button whose cap term happens to be 0 still adds
        (duplicate) actions; the concepts checked are invariant to that."""
        n = self.n_players
        extras = []
        for i in range(n):
            targets = [j for j in range(n) if j != i and caps[i][j] is not None]
            extras.append([tuple(j for j, bit in zip(targets, bits) if bit)
                           for bits in itertools.product((0, 1), repeat=len(targets))])
        choices = [list(itertools.product(range(self.shape[i]), range(len(extras[i])))) for i in range(n)]
        payoffs: list[list[FNode]] = [[] for _ in range(n)]
        for joint in itertools.product(*choices):
            k = self.index([a for a, _ in joint])
            burned: dict[int, list[FNode]] = {}
            for i, (_, e) in enumerate(joint):
                for j in extras[i][e]:
                    burned.setdefault(j, []).append(caps[i][j])
            for j in range(n):
                base = self.payoffs[j][k]
                if j in burned:
                    base = Plus([base] + [Times(real_const(-1), d) for d in burned[j]])
                payoffs[j].append(base)
        shape = tuple(self.shape[i] * len(extras[i]) for i in range(n))
        return SymbolicGame(shape, payoffs, f"{self.name}_d",
                            base=(self.name, tuple(len(extras[i]) for i in range(n))))

    def mapped(self, pmap: "PayoffMap", params: dict[str, FNode], name: str) -> "SymbolicGame":
        """The transformed game of a payoff map (`specs.transforms.PayoffMap`,
        the same map the exact transformation evaluates), its parameters
        given as terms; a term c·U·p is written as U alone when c = 1 and
        there is no parameter."""
        payoffs = []
        for row in pmap.entries:
            values = []
            for terms in row:
                parts = []
                for c, entry, param in terms:
                    factors = ([self.payoffs[entry[0]][entry[1]]] if entry is not None else []) + (
                        [params[param]] if param is not None else [])
                    if c != 1 or not factors:
                        factors.insert(0, real_const(c))
                    parts.append(factors[0] if len(factors) == 1 else Times(factors))
                values.append(linear_sum(parts))
            payoffs.append(values)
        return SymbolicGame(tuple(pmap.shape), payoffs, name, domain=self.domain)

    def with_extra_action(self, player: int) -> tuple["SymbolicGame", list[list[FNode]], list[FNode]]:
        """The game with one new action for `player`, appended after its own
        (as `specs.transforms.extend_actions`), whose payoffs are fresh
        unknowns in this game's domain: returns (game, rows, constraints),
        rows[r][j] = player j's payoff when the new action meets the others'
        r-th joint profile (storage order)."""
        if self.domain is None or self.domain.kind != "real":
            raise ValueError("extra actions are encoded for real payoff domains")
        others = list(itertools.product(*(range(k) for i, k in enumerate(self.shape) if i != player)))
        low, high = real_const(-self.domain.bound), real_const(self.domain.bound)
        rows, constraints = [], []
        for r, _ in enumerate(others):
            row = []
            for j in range(self.n_players):
                term = Symbol(f"{self.name}_x{player}_{r}_{j}", REAL)
                constraints += [LE(low, term), LE(term, high)]
                row.append(term)
            rows.append(row)
        shape = tuple(k + (1 if i == player else 0) for i, k in enumerate(self.shape))
        payoffs: list[list[FNode]] = [[] for _ in self.shape]
        for profile in itertools.product(*(range(k) for k in shape)):
            rest = profile[:player] + profile[player + 1:]
            for j in range(self.n_players):
                payoffs[j].append(rows[others.index(rest)][j] if profile[player] == self.shape[player]
                                  else self.payoff(j, profile))
        extended = SymbolicGame(shape, payoffs, f"{self.name}_x{player}", extends=(self.name, player, 1))
        return extended, rows, constraints

    # -- models ---------------------------------------------------------------

    def game_from_model(self, values: dict[str, Fraction]) -> Game:
        """The concrete game for a model (symbol name -> exact value; for the
        integer and grid domains the value of the Int symbol k)."""
        scale = Fraction(1, self.domain.denominator) if self.domain and self.domain.kind != "real" else Fraction(1)
        flat = [[Fraction(0)] * math.prod(self.shape) for _ in self.shape]
        for (i, k), v in self.fixed.items():
            flat[i][k] = v
        for label, (i, k) in self.unknowns.items():
            flat[i][k] = Fraction(values.get(label, 0)) * scale
        actions = tuple(tuple(str(a + 1) for a in range(size)) for size in self.shape)
        return Game(actions, tuple(tuple(row) for row in flat))
