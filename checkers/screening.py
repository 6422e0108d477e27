"""Screened search: thousands of games judged at once in floating point, only
the promising ones judged again exactly (issue 16).

`search` (checkers/search.py) takes this path when the concept has a batched
reading (`batch_concept`) and the desideratum one (`BATCHED_DESIDERATA`) and
the payoff bound is small enough for floats to hold the payoffs; otherwise it
keeps the game-by-game exact path, unchanged.

How a block of games is judged
------------------------------
1. `game_blocks` draws blocks of BLOCK games from `numpy.random.default_rng(seed)`
   (integer numerators and one denominator per game, so every game has an
   exact twin: `GameBlock.game`); the stream depends on the seed only, so a
   search replays from its seed and game count like the exact one.
2. The concept's values and the desideratum's violation (for each proposed
   parameter set: the largest) are computed in float on the whole block
   (`specs.batch`).
3. A game is a *candidate* when its float violation exceeds the threshold
   τ = THRESHOLD·(1 + max |payoff|), or is not a finite number.
4. Candidates go, in stream order, to the exact check: `desideratum.check`
   in rational arithmetic, with the parameter set the float pass proposed.
   Only a violation that check returns ends the search; it is then minimized
   and re-verified exactly by `run_check` before anything is logged.

Why float error can only cost a missed candidate, never a false witness
---------------------------------------------------------------------
A game's float violation decides one thing: whether the exact check sees the
game. Every witness is a `Violation` returned by the exact check on the exact
game (its payoffs are the integers the float pass rounded, over their
denominator: nothing rounded reaches it), so a float error that makes a
satisfying game look violating costs one exact check and nothing else. The
other way round, a game is dropped only when its float violation is ≤ τ; its
exact violation is then at most τ plus the float error of the concept and
the desideratum (tests/test_batch.py and tests/test_screening.py bound that
error by 1e-9·(1 + max |payoff|), 100 times below τ). Such a game is a missed
candidate. Violations that small do not arise from these small-denominator
payoffs in practice (the exact violations are ratios of small determinants),
but the search never claims any: a search that finds nothing reports the
number of games screened, never a proof.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from ..specs import batch
from ..specs.concepts.registry import Concept
from ..specs.deadline import TimeLimit, check_deadline, time_limit
from ..specs.desiderata.base import Desideratum, Violation, payoff_range
from ..specs.games import Game
from .progress import Progress

__all__ = [
    "BLOCK",
    "THRESHOLD",
    "MAX_SCREENED_BOUND",
    "ConceptValues",
    "GameBlock",
    "game_blocks",
    "batch_concept",
    "BatchedDesideratum",
    "BATCHED_DESIDERATA",
    "ScreeningPlan",
    "screening_plan",
    "screened_search",
]

BLOCK = 1024  # games drawn and judged together
THRESHOLD = 1e-7  # relative: a game is a candidate when its float violation exceeds THRESHOLD·(1 + max |payoff|)
MAX_SCREENED_BOUND = Fraction(2) ** 40  # larger payoffs: floats would round the sums, so no screening
FIRST_SLICE = 32  # games in the first slice a search judges (then sized to SLICE_SECONDS)
SLICE_SECONDS = 0.05
SUBSHAPE_EVERY = 8  # every 8th block holds games of a random sub-shape
STYLES = ("uniform", "small", "sparse", "rational", "ties", "zero-sum", "common", "constant-player",
          "duplicate-action", "symmetric")
DENOMINATORS = (2, 3, 4)

ConceptValues = Callable[[np.ndarray], np.ndarray]  # payoffs (B, n, k…) -> values (B, n)


# -- the games --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GameBlock:
    """Games of one shape: payoff numerators (B, n, k_0, …) and one
    denominator per game (B,); the exact game b has payoffs numerators[b]/denominators[b]."""

    numerators: np.ndarray
    denominators: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.numerators.shape[2:])

    def __len__(self) -> int:
        return self.numerators.shape[0]

    def payoffs(self) -> np.ndarray:
        """The payoffs in float64 (each a correctly rounded k/q)."""
        expand = (slice(None),) + (None,) * (self.numerators.ndim - 1)
        return self.numerators / self.denominators[expand].astype(np.float64)

    def game(self, b: int) -> Game:
        """Game b, exactly."""
        q = int(self.denominators[b])
        flat = self.numerators[b].reshape(self.numerators.shape[1], -1)
        actions = tuple(tuple(str(a + 1) for a in range(k)) for k in self.shape)
        return Game(actions, tuple(tuple(Fraction(int(v), q) for v in row) for row in flat))

    def head(self, count: int) -> "GameBlock":
        """The first `count` games."""
        return GameBlock(self.numerators[:count], self.denominators[:count])

    def tail(self, start: int) -> "GameBlock":
        """The games from index `start` on."""
        return GameBlock(self.numerators[start:], self.denominators[start:])


def game_blocks(shape: tuple[int, ...], bound: Fraction, seed: int, size: int = BLOCK) -> Iterator[GameBlock]:
    """The endless stream of screened-search games for `seed`: the styles of
    `search.random_game` (uniform, sparse, ties, zero-sum, common-interest,
    constant players, duplicate actions, sub-shapes) and symmetric games
    (players 0 and 1 identical), with payoffs in [−bound, bound]."""
    rng = np.random.default_rng(seed)
    for index in itertools.count():
        if index % SUBSHAPE_EVERY == SUBSHAPE_EVERY - 1:
            sub = tuple(int(rng.integers(1, k + 1)) for k in shape)
            yield _block(sub, bound, rng, size, rng.choice(["small", "sparse", "uniform"], size))
        else:
            yield _block(shape, bound, rng, size, rng.choice(list(STYLES), size))


def _block(shape: tuple[int, ...], bound: Fraction, rng: np.random.Generator, size: int,
           styles: np.ndarray) -> GameBlock:
    n = len(shape)
    full = (size, n) + shape
    top = max(1, math.floor(bound))
    numbers = rng.integers(-top, top + 1, full)
    denominators = np.ones(size, dtype=np.int64)
    expand = (slice(None),) + (None,) * (n + 1)

    def chosen(style: str) -> np.ndarray:
        return styles == style

    small = rng.choice(np.array([-1, 0, 0, 1]), full)
    numbers = np.where(chosen("small")[expand], small, numbers)
    numbers = np.where(chosen("sparse")[expand] & (rng.random(full) >= 0.25), 0, numbers)
    q = rng.choice(np.array(DENOMINATORS), size)
    reach = np.floor(float(bound) * q).astype(np.int64)[expand]
    rational = (rng.random(full) * (2 * reach + 1)).astype(np.int64) - reach
    numbers = np.where(chosen("rational")[expand], rational, numbers)
    denominators = np.where(chosen("rational"), q, denominators)
    pools = rng.integers(-top, top + 1, (size, 3))
    picks = (rng.random(full) * rng.integers(1, 4, size)[expand]).astype(np.intp)
    numbers = np.where(chosen("ties")[expand], np.take_along_axis(pools, picks.reshape(size, -1), 1).reshape(full),
                       numbers)
    if n >= 2:
        zero_sum = numbers.copy()
        zero_sum[:, -1] = np.clip(-zero_sum[:, :-1].sum(axis=1), -top, top)
        numbers = np.where(chosen("zero-sum")[expand], zero_sum, numbers)
        common = np.broadcast_to(numbers[:, :1], full)
        numbers = np.where(chosen("common")[expand], common, numbers)
        if shape[0] == shape[1]:
            numbers = np.where(chosen("symmetric")[expand], _symmetric(numbers), numbers)
    constant = rng.integers(0, n, size)
    level = np.where(rng.random(size) < 0.5, rng.integers(-top, top + 1, size), 0)
    is_constant = chosen("constant-player")[:, None] & (np.arange(n)[None, :] == constant[:, None])
    numbers = np.where(is_constant[(slice(None), slice(None)) + (None,) * n], level[expand], numbers)
    return GameBlock(_duplicate_actions(numbers, chosen("duplicate-action"), rng), denominators)


def _symmetric(numbers: np.ndarray) -> np.ndarray:
    """Players 0 and 1 identical (seed 000's definition, actions matched by
    index): U_1 is U_0 with their actions swapped, every other player's
    payoff is unchanged by the swap."""
    swap = lambda a: np.swapaxes(a, 1, 2)  # noqa: E731  (the profile axes of players 0 and 1)
    result = numbers.copy()
    result[:, 1] = swap(numbers[:, 0])
    k = numbers.shape[2]
    upper = (np.arange(k)[:, None] <= np.arange(k)[None, :]).reshape((1, k, k) + (1,) * (numbers.ndim - 4))
    for other in range(2, numbers.shape[1]):
        result[:, other] = np.where(upper, numbers[:, other], swap(numbers[:, other]))
    return result


def _duplicate_actions(numbers: np.ndarray, mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """In the masked games, one player with ≥ 2 actions gets a copy of one of
    its actions in place of another."""
    shape = numbers.shape[2:]
    players = [i for i, k in enumerate(shape) if k >= 2]
    if not players or not mask.any():
        return numbers
    numbers = numbers.copy()
    for b in np.flatnonzero(mask):
        i = players[int(rng.integers(len(players)))]
        source, target = rng.choice(shape[i], 2, replace=False)
        index = (b, slice(None)) + (slice(None),) * i
        numbers[index + (target,)] = numbers[index + (source,)]
    return numbers


# -- concepts ----------------------------------------------------------------------------------


# The atom kinds `FloatReading` evaluates in batches.
FLOAT_ATOMS = ("M", "max", "maximin", "entry", "S", "val")


def batch_concept(concept_id: str, n_players: int) -> ConceptValues | None:
    """The concept's float reading on batches of `n_players`-player games:
    values(payoffs (B, n, k…)) -> (B, n), read off the concept's definition
    in the concept algebra (`FloatReading`); None when it has none on that
    many players (search then keeps the exact path). The one place concepts
    get a float reading."""
    from ..specs.concepts.registry import ConceptError, get_concept

    try:
        concept = get_concept(concept_id)
    except ConceptError:
        return None
    definition = concept.definition
    if definition is None or not definition.accepts((1,) * n_players):
        return None
    from ..specs.concepts.algebra import atoms_of

    if any(a.kind not in FLOAT_ATOMS for e in definition.expressions((1,) * n_players) for a in atoms_of(e)):
        return None  # an atom with no batched reading (the CE payoffs: one LP run per game)

    def values(payoffs: np.ndarray) -> np.ndarray:
        reading = FloatReading(payoffs)
        return np.stack([reading.value(e) for e in definition.expressions(payoffs.shape[2:])], axis=1)

    return values


class FloatReading:
    """The float reading of the concept algebra (`specs.concepts.algebra`) on
    a batch of games: every expression of a definition evaluated on all
    games at once, atoms by `specs.batch` (each computed once per batch), so
    a concept's float values come from the same definition as its exact
    values and its SMT encoding. Float, for screening only: argmax ties
    between equal keys pick the first, as exactly; near-ties may differ,
    which only costs a candidate (the exact check judges)."""

    def __init__(self, payoffs: np.ndarray):
        self._games: dict[tuple, np.ndarray] = {(): payoffs}
        self._memo: dict[Any, np.ndarray] = {}

    def game(self, ref) -> np.ndarray:
        if ref.path not in self._games:
            parent = type(ref)((), ref.path[:-1])
            self._games[ref.path] = batch.coalition_payoffs(self.game(parent), ref.path[-1])
        return self._games[ref.path]

    def value(self, expr) -> np.ndarray:
        from ..specs.concepts import algebra as alg

        cached = self._memo.get(expr)
        if cached is not None:
            return cached
        if isinstance(expr, alg.Linear):
            result = np.full(self._games[()].shape[0], float(expr.const))
            for term, c in expr.terms:
                result = result + float(c) * self.value(term)
        elif isinstance(expr, alg.Atom):
            result = self._atom(expr)
        elif isinstance(expr, alg.Argmax):
            keys = np.stack([self.value(k) for k in expr.keys], axis=1)
            branches = np.stack([self.value(b) for b in expr.branches], axis=1)
            result = np.take_along_axis(branches, np.argmax(keys, axis=1)[:, None], axis=1)[:, 0]
        elif isinstance(expr, alg.Case):
            result = np.where(self.holds(expr.condition), self.value(expr.then), self.value(expr.otherwise))
        else:
            raise TypeError(f"not an expression of the algebra: {type(expr).__name__}")
        self._memo[expr] = result
        return result

    def holds(self, condition) -> np.ndarray:
        result = np.ones(self._games[()].shape[0], dtype=bool)
        for c in condition.parts():
            difference = self.value(c.difference)
            result &= (difference > 0) if c.strict else (difference >= 0)
        return result

    def _atom(self, atom) -> np.ndarray:
        payoffs = self.game(atom.game)
        if atom.kind == "M":
            return batch.total_surplus(payoffs)
        if atom.kind == "max":
            return batch.max_payoffs(payoffs)[:, atom.args[0]]
        if atom.kind == "maximin":
            return batch.maximin_values(payoffs)[:, atom.args[0]]
        if atom.kind == "entry":
            player, profile = atom.args
            return payoffs[(slice(None), player) + tuple(profile)]
        if atom.kind == "S":
            return batch.extractable_surplus(*batch.leader_matrices(payoffs, atom.args[0]))
        if atom.kind == "val":
            return batch.matrix_game_values(sum(float(w) * payoffs[:, i] for i, w in atom.args[0]))
        raise TypeError(f"unknown atom kind {atom.kind!r}")


# -- desiderata --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """A parameter's size: `factor` times the game's payoff range (relative)
    or `factor` itself; the same number in float and exactly."""

    factor: Fraction
    relative: bool = True

    def floats(self, ranges: np.ndarray) -> np.ndarray:
        return float(self.factor) * ranges if self.relative else np.full(ranges.shape, float(self.factor))

    def exact(self, game: Game) -> Fraction:
        return self.factor * payoff_range(game) if self.relative else self.factor


@dataclass(frozen=True)
class Proposal:
    """One parameter set of a transformation desideratum: the transformed
    batch, the values it should have, and the exact parameters for one game."""

    transform: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (payoffs, ranges) -> transformed payoffs
    expected: Callable[[np.ndarray, np.ndarray], np.ndarray]  # (values, ranges) -> expected values
    params: Callable[[Game], dict[str, Any]]


def _unchanged(values: np.ndarray, ranges: np.ndarray) -> np.ndarray:
    return values


def _ranges(payoffs: np.ndarray) -> np.ndarray:
    """`payoff_range` per game: max − min over all payoffs, 1 if they are all equal."""
    flat = payoffs.reshape(payoffs.shape[0], -1)
    spread = flat.max(axis=1) - flat.min(axis=1)
    return np.where(spread > 0, spread, 1.0)


def _per_game(values: np.ndarray, payoffs: np.ndarray) -> np.ndarray:
    """(B,) values broadcast against a payoff batch."""
    return values.reshape((values.shape[0],) + (1,) * (payoffs.ndim - 1))


def _with_transfer(payoffs: np.ndarray, player: int, loser: int, gainer: int | None,
                   amount: np.ndarray) -> np.ndarray:
    """Player's actions doubled, (a, no) then (a, yes): on 'yes' `loser` loses
    `amount` and `gainer` (if any) gains it."""
    moved = payoffs.copy()
    moved[:, loser] -= _per_game(amount, moved[:, loser])
    if gainer is not None:
        moved[:, gainer] += _per_game(amount, moved[:, gainer])
    stacked = np.stack([payoffs, moved], axis=3 + player)
    shape = list(payoffs.shape)
    shape[2 + player] *= 2
    return stacked.reshape(shape)


class BatchedDesideratum:
    """A desideratum's float reading: `screen` gives, per game, the largest
    float violation over the proposed parameter sets and which one gave it;
    `params` the exact parameter set for `desideratum.check`."""

    id = ""

    def players(self, n: int) -> tuple[int, ...]:
        """The player counts the concept is evaluated at (for `batch_concept`)."""
        return (n,)

    def screen(self, concept: Callable[[int], ConceptValues], payoffs: np.ndarray, count: int,
               skipped: set[tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray]:
        """`concept(n)`: the float reading on n players; `count`: how many
        parameter sets; `skipped`: (shape…, proposal) keys too large to
        screen, found out and added to by the call."""
        raise NotImplementedError

    def params(self, game: Game, choice: int, count: int) -> dict[str, Any]:
        return {}


class _Direct(BatchedDesideratum):
    """A desideratum on the game's own values, without parameters."""

    def violation(self, values: np.ndarray, payoffs: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def screen(self, concept, payoffs, count, skipped):
        values = concept(payoffs.shape[1])(payoffs)
        return self.violation(values, payoffs), np.zeros(payoffs.shape[0], dtype=np.intp)


class _Pareto(_Direct):
    id = "pareto"

    def violation(self, values, payoffs):
        return np.abs(values.sum(axis=1) - batch.total_surplus(payoffs))


class _Maximin(_Direct):
    id = "maximin"

    def violation(self, values, payoffs):
        return (batch.maximin_values(payoffs) - values).max(axis=1)


class _SubMax(_Direct):
    id = "submax"

    def violation(self, values, payoffs):
        return (values - batch.max_payoffs(payoffs)).max(axis=1)


class _PayoffDominance(_Direct):
    id = "payoff-dominance"

    def violation(self, values, payoffs):
        worst = np.full(payoffs.shape[0], -np.inf)
        flat = payoffs.reshape(payoffs.shape[0], payoffs.shape[1], -1)
        for i, j in itertools.permutations(range(payoffs.shape[1]), 2):
            dominates = (flat[:, i] >= flat[:, j]).all(axis=1)
            worst = np.where(dominates, np.maximum(worst, values[:, j] - values[:, i]), worst)
        return worst


class _Symmetry(_Direct):
    """Identical players (seed 000's definition, every relabelling of the
    second player's actions when it has at most MAX_RELABEL_ACTIONS)."""

    id = "symmetry"

    def violation(self, values, payoffs):
        from ..specs.desiderata.structure import MAX_RELABEL_ACTIONS

        worst = np.full(payoffs.shape[0], -np.inf)
        n, shape = payoffs.shape[1], payoffs.shape[2:]
        for i, j in itertools.combinations(range(n), 2):
            k = shape[i]
            if shape[j] != k:
                continue
            identity = tuple(range(k))
            identical = np.zeros(payoffs.shape[0], dtype=bool)
            for permutation in itertools.permutations(range(k)) if k <= MAX_RELABEL_ACTIONS else [identity]:
                relabelled = np.take(payoffs, permutation, axis=2 + j)
                swapped = np.swapaxes(relabelled, 2 + i, 2 + j)
                same = [relabelled[:, i] == swapped[:, j]] + [relabelled[:, m] == swapped[:, m]
                                                              for m in range(n) if m not in (i, j)]
                identical |= np.stack(same, axis=1).reshape(payoffs.shape[0], -1).all(axis=1)
            worst = np.where(identical, np.maximum(worst, np.abs(values[:, i] - values[:, j])), worst)
        return worst


class _Transformed(BatchedDesideratum):
    """φ(G') against its expected values, for each proposal (the
    desideratum's structured parameter sets, in its order)."""

    def proposals(self, shape: tuple[int, ...]) -> list[Proposal]:
        raise NotImplementedError

    def screen(self, concept, payoffs, count, skipped):
        n = payoffs.shape[1]
        values = concept(n)(payoffs)
        ranges = _ranges(payoffs)
        worst = np.full(payoffs.shape[0], -np.inf)
        choice = np.zeros(payoffs.shape[0], dtype=np.intp)
        for k, proposal in enumerate(self.proposals(payoffs.shape[2:])[:count]):
            key = payoffs.shape[2:] + (k,)
            if key in skipped:
                continue
            transformed = proposal.transform(payoffs, ranges)
            try:
                after = concept(transformed.shape[1])(transformed)
            except batch.TooManyCandidates:  # this parameter set is left to the exact path
                skipped.add(key)
                continue
            gap = np.abs(after - proposal.expected(values, ranges)).max(axis=1)
            better = (np.isnan(gap) | (gap > worst)) & ~np.isnan(worst)  # NaN stays: it must reach the exact check
            worst, choice = np.where(better, gap, worst), np.where(better, k, choice)
        return worst, choice

    def params(self, game, choice, count):
        return self.proposals(game.shape)[:count][choice].params(game)


class _Threat(_Transformed):
    """ThreatResistance.parameters' structured caps: each single button of
    size r (the payoff range), all buttons of size r, single buttons of
    size 1, 3r, r/2, all of size 3r."""

    id = "threat"

    def proposals(self, shape):
        n = len(shape)
        pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
        r, one, three, half = Amount(Fraction(1)), Amount(Fraction(1), False), Amount(Fraction(3)), \
            Amount(Fraction(1, 2))
        chosen = [{p: r} for p in pairs] + [{p: r for p in pairs}]
        for size in (one, three, half):
            chosen += [{p: size} for p in pairs]
        chosen.append({p: three for p in pairs})
        return [self._buttons(n, caps) for caps in chosen]

    @staticmethod
    def _buttons(n: int, caps: dict[tuple[int, int], Amount]) -> Proposal:
        def transform(payoffs, ranges):
            for (i, j), amount in sorted(caps.items()):
                payoffs = _with_transfer(payoffs, i, j, None, amount.floats(ranges))
            return payoffs

        def params(game):
            exact = {p: a.exact(game) for p, a in caps.items()}
            return {"caps": [[exact.get((i, j), Fraction(0)) for j in range(n)] for i in range(n)]}

        return Proposal(transform, _unchanged, params)


class _Money(_Transformed):
    """MoneyRedundancy.parameters' amounts: r, 1, 2r, r/2, r/3."""

    id = "money"

    def proposals(self, shape):
        n = len(shape)
        amounts = [Amount(Fraction(1)), Amount(Fraction(1), False), Amount(Fraction(2)), Amount(Fraction(1, 2)),
                   Amount(Fraction(1, 3))]
        return [self._payments(n, amount) for amount in amounts]

    @staticmethod
    def _payments(n: int, amount: Amount) -> Proposal:
        def transform(payoffs, ranges):
            for i in range(n):
                for j in range(n):
                    if j != i:
                        payoffs = _with_transfer(payoffs, i, i, j, amount.floats(ranges))
            return payoffs

        return Proposal(transform, _unchanged, lambda game: {"amount": amount.exact(game)})


class _Shift(_Transformed):
    """ShiftInvariance.parameters' structured shifts: ±r for one player, then
    (r, −2r, 3r, …)."""

    id = "shift"

    def proposals(self, shape):
        n = len(shape)
        vectors = [[Fraction(sign) if k == i else Fraction(0) for k in range(n)] for i in range(n) for sign in (1, -1)]
        vectors.append([Fraction((k + 1) * (-1) ** k) for k in range(n)])
        return [self._shift(factors) for factors in vectors]

    @staticmethod
    def _shift(factors: list[Fraction]) -> Proposal:
        steps = np.array([float(f) for f in factors])

        def shifts(ranges):
            return ranges[:, None] * steps[None, :]

        def transform(payoffs, ranges):
            return payoffs + shifts(ranges).reshape(shifts(ranges).shape + (1,) * (payoffs.ndim - 2))

        return Proposal(transform, lambda values, ranges: values + shifts(ranges),
                        lambda game: {"shifts": [f * payoff_range(game) for f in factors]})


class _Scale(_Transformed):
    """ScaleCovariance.parameters' structured factors: 2, 1/2, 3, 1/3, 7/5."""

    id = "scale"

    def proposals(self, shape):
        return [self._scale(f) for f in (Fraction(2), Fraction(1, 2), Fraction(3), Fraction(1, 3), Fraction(7, 5))]

    @staticmethod
    def _scale(factor: Fraction) -> Proposal:
        return Proposal(lambda payoffs, ranges: payoffs * float(factor),
                        lambda values, ranges: values * float(factor), lambda game: {"factor": factor})


class _Redundancy(_Transformed):
    """RedundancyInvariance.parameters' structured actions: uniform and
    pairwise mixtures of one player's actions, interleaved with duplicates."""

    id = "redundancy"

    def proposals(self, shape):
        mixtures, duplicates = [], []
        for i, k in enumerate(shape):
            if k >= 2:
                mixtures.append(self._mixture(i, [Fraction(1, k)] * k))
                for a, b in itertools.combinations(range(k), 2):
                    mixtures.append(self._mixture(i, [Fraction(1, 2) if c in (a, b) else Fraction(0)
                                                      for c in range(k)]))
            duplicates += [self._mixture(i, [Fraction(int(c == a)) for c in range(k)], a) for a in range(k)]
        return [p for pair in itertools.zip_longest(mixtures, duplicates) for p in pair if p is not None]

    @staticmethod
    def _mixture(player: int, weights: list[Fraction], duplicate: int | None = None) -> Proposal:
        w = np.array([float(x) for x in weights])

        def transform(payoffs, ranges):
            mixed = np.tensordot(payoffs, w, axes=([2 + player], [0]))
            return np.concatenate([payoffs, np.expand_dims(mixed, 2 + player)], axis=2 + player)

        params = {"player": player, "duplicate": duplicate} if duplicate is not None else \
            {"player": player, "weights": weights}
        return Proposal(transform, _unchanged, lambda game: dict(params))


class _NullPlayer(_Transformed):
    """A null player inserted at every position."""

    id = "null-player"

    def players(self, n):
        return (n, n + 1)

    def proposals(self, shape):
        return [self._insert(p) for p in range(len(shape) + 1)]

    @staticmethod
    def _insert(position: int) -> Proposal:
        def transform(payoffs, ranges):
            grown = np.expand_dims(payoffs, 2 + position)
            return np.insert(grown, position, 0.0, axis=1)

        return Proposal(transform, lambda values, ranges: np.insert(values, position, 0.0, axis=1),
                        lambda game: {"position": position})


BATCHED_DESIDERATA: dict[str, BatchedDesideratum] = {
    d.id: d for d in (_Pareto(), _Maximin(), _SubMax(), _PayoffDominance(), _Symmetry(), _Threat(), _Money(),
                      _Shift(), _Scale(), _Redundancy(), _NullPlayer())
}


# -- the search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningPlan:
    """What a screened search of one (concept, desideratum, shape) runs."""

    concept: Concept
    desideratum: Desideratum
    batched: BatchedDesideratum
    readings: dict[int, ConceptValues]
    skipped: set[tuple[int, ...]] = field(default_factory=set)  # parameter sets too large to screen

    def reading(self, n_players: int) -> ConceptValues:
        return self.readings[n_players]


def screening_plan(concept: Concept, desideratum: Desideratum, shape: Sequence[int], bound: Fraction,
                   param_count: int = 6) -> ScreeningPlan | None:
    """The plan when the pair has float readings on this shape (and the sub-
    shapes the stream draws: same player count) and the bound is one floats
    hold; None otherwise (search keeps the exact path)."""
    batched = BATCHED_DESIDERATA.get(desideratum.id)
    if batched is None or bound > MAX_SCREENED_BOUND or concept.kind != desideratum.kind:
        return None
    readings = {}
    for n in batched.players(len(shape)):
        reading = batch_concept(concept.id, n)
        fits = n >= concept.min_players and (concept.max_players is None or n <= concept.max_players)
        if reading is None or not fits:
            return None
        readings[n] = reading
    plan = ScreeningPlan(concept, desideratum, batched, readings)
    zero = GameBlock(np.zeros((1, len(shape)) + tuple(shape), dtype=np.int64), np.ones(1, dtype=np.int64))
    try:
        candidates(plan, zero, param_count)  # a probe: does the shape fit vertex enumeration?
    except batch.TooManyCandidates:
        return None
    if isinstance(batched, _Transformed) and all(
            tuple(shape) + (k,) in plan.skipped for k in range(len(batched.proposals(tuple(shape))[:param_count]))):
        return None  # every parameter set too large: screening would judge nothing
    return plan


@dataclass
class ScreeningCounts:
    games: int = 0
    candidates: int = 0
    exact_checks: int = 0
    errors: int = 0
    first_error: str = ""

    def extra(self, plan: "ScreeningPlan", shape: tuple[int, ...]) -> dict[str, Any]:
        """The screening's part of a search outcome: the candidates, the exact
        checks, and the parameter sets left unscreened on the search's shape."""
        unscreened = sorted(key[-1] for key in plan.skipped if key[:-1] == tuple(shape))
        return {"screened": True, "candidates": self.candidates, "exact_checks": self.exact_checks,
                **({"unscreened_parameter_sets": unscreened} if unscreened else {})}


def candidates(plan: ScreeningPlan, block: GameBlock, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The indices of the block's candidate games, in stream order, and the
    proposal each was found with."""
    payoffs = block.payoffs()
    with np.errstate(all="ignore"), batch.without_exact_fallback():
        violation, choice = plan.batched.screen(plan.reading, payoffs, count, plan.skipped)
    scale = 1 + np.abs(payoffs.reshape(len(block), -1)).max(axis=1)
    found = np.flatnonzero(~(violation <= THRESHOLD * scale))  # NaN is a candidate
    return found, choice[found]


def screened_search(plan: ScreeningPlan, shape: tuple[int, ...], bound: Fraction, seed: int, timeout: float,
                    max_games: int | None, param_count: int, progress: Progress | None,
                    grace: float) -> tuple[Violation | None, ScreeningCounts, float]:
    """Games of the seed's stream until an exactly confirmed violation, the
    time-out or `max_games`. Each block is judged in slices sized to take
    about SLICE_SECONDS (no slice starts after the time-out; the slicing
    changes when the search stops, never which game it stops at). Returns the
    violation (from `desideratum.check`, exact), the counts and the seconds."""
    start = time.monotonic()
    counts = ScreeningCounts()
    step, last_shape = FIRST_SLICE, tuple(shape)
    try:
        with time_limit(timeout + grace):
            for block in game_blocks(shape, bound, seed):
                if block.shape != last_shape:  # another shape, another cost per game
                    step, last_shape = FIRST_SLICE, block.shape
                if max_games is not None:
                    block = block.head(max_games - counts.games)
                low = 0
                while low < len(block):
                    if time.monotonic() - start > timeout:
                        return None, counts, time.monotonic() - start
                    began = time.monotonic()
                    part = block.head(low + step).tail(low)
                    found, choices = candidates(plan, part, param_count)
                    counts.candidates += len(found)
                    for b, choice in zip(found, choices):
                        violation = _exact_check(plan, part.game(int(b)), int(choice), param_count, counts)
                        if violation is not None:
                            _advance(counts, progress, int(b) + 1)
                            return violation, counts, time.monotonic() - start
                    _advance(counts, progress, len(part))
                    low += len(part)
                    took = time.monotonic() - began
                    step = int(min(BLOCK, max(FIRST_SLICE, step * min(4.0, SLICE_SECONDS / max(took, 1e-6)))))
                if max_games is not None and counts.games >= max_games:
                    break
    except TimeLimit:
        pass
    return None, counts, time.monotonic() - start


def _advance(counts: ScreeningCounts, progress: Progress | None, games: int) -> None:
    counts.games += games
    if progress is not None:
        progress.update(games)


def _exact_check(plan: ScreeningPlan, game: Game, choice: int, param_count: int,
                 counts: ScreeningCounts) -> Violation | None:
    """The judge: the desideratum's exact check on the exact game with the
    proposed parameters. Errors are counted, as on the exact path."""
    check_deadline()
    if not plan.desideratum.applies(plan.concept, game):
        return None
    counts.exact_checks += 1
    try:
        return plan.desideratum.check(plan.concept, game, plan.batched.params(game, choice, param_count))
    except TimeLimit:
        raise
    except Exception as error:  # a concept or desideratum bug must not stop the search
        counts.errors += 1
        counts.first_error = counts.first_error or f"{type(error).__name__}: {error}"
        return None
