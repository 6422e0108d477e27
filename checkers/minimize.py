"""Shrinking a violation to a minimal witness in canonical form (SPEC §6).

Minimal is lexicographic in `witness_cost`: fewest players, fewest total
actions, integer payoffs, smallest max |payoff|, fewest non-zero payoffs,
smallest Σ|payoff|, then the transformation parameters (integers first, fewest
non-zero, smallest sum). The
desideratum's exact `check` is the only oracle: every candidate is re-checked
and kept only if the violation survives and the cost strictly drops.

Reductions, repeated until none applies: delete a player (fixing its action),
delete an action, scale rational payoffs to integers, divide by the gcd, shift
a player's payoffs, halve everything, move single payoffs toward 0 (to 0,
halved, one step), shrink numeric parameters the same way. After each round
the witness is put in canonical form: players and actions permuted (labels
reset), and players' payoffs shifted by constants that leave the cost
unchanged (`_equal_cost_shifts`), to the lexicographically smallest payoff
table for which the violation still holds.

Parameters follow structural changes in one of three ways, tried in order:
the desideratum's optional hook `remap_params(params, players, actions)`
(players[j] = old index of new player j; actions[j][b] = old index of new
player j's action b; return None when a parameter refers to something
deleted), the parameters unchanged, or fresh parameters proposed by
`desideratum.parameters` with a generator seeded by the candidate game (so
everything is deterministic and the result is a fixpoint: minimizing a
minimal witness returns it unchanged).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
import re
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterator, Sequence

from ..specs.concepts.registry import Concept
from ..specs.deadline import TimeLimit, check_deadline, time_limit, without_time_limit
from ..specs.desiderata.base import Desideratum, Violation
from ..specs.games import Game, format_fraction
from ..specs.limits import parse_number
from ..specs.witness import game_to_json

__all__ = [
    "Minimized",
    "minimize",
    "canonicalize",
    "canonical_key",
    "witness_cost",
    "restrict_game",
]

FRESH_PARAMS = 8
MAX_ROUNDS = 25
_NUMBER = re.compile(r"^-?\d+(/\d+)?$")


@dataclass(frozen=True)
class Minimized:
    """The minimized violation, whether the reduction reached its fixpoint
    (`minimal`; False when the time budget ran out), its canonical key, the
    number of oracle calls and the seconds spent."""

    violation: Violation
    minimal: bool
    key: str
    checks: int
    seconds: float


@dataclass(frozen=True)
class _State:
    game: Game
    params: dict[str, Any]
    violation: Violation


class _Oracle:
    """The desideratum's exact check, counting calls; each call first checks
    the deadline (`specs.deadline`), and the check itself is interrupted by it."""

    def __init__(self, concept: Concept, desideratum: Desideratum) -> None:
        self.concept = concept
        self.desideratum = desideratum
        self.calls = 0

    def __call__(self, game: Game, params: dict[str, Any]) -> Violation | None:
        check_deadline()
        self.calls += 1
        try:
            if not self.desideratum.applies(self.concept, game):
                return None
            return self.desideratum.check(self.concept, game, params)
        except Exception:  # an invalid candidate (bad parameters, wrong player count) is no witness
            return None


# -- cost and keys ------------------------------------------------------------------


def _param_numbers(params: Any) -> list[Fraction]:
    return [Fraction(v) if not isinstance(v, str) else _to_fraction(v) for _, v in _numeric_leaves(params)]


def _to_fraction(text: str) -> Fraction:
    return parse_number(text, "parameter")  # the suite's one number parser, with its limits


def witness_cost(game: Game, params: dict[str, Any]) -> tuple:
    """The lexicographic size of a witness (SPEC §6), smaller is more minimal."""
    values = [v for row in game.payoffs for v in row]
    numbers = _param_numbers(params)
    return (
        game.n_players,
        sum(game.shape),
        0 if game.is_integer() else 1,
        max((abs(v) for v in values), default=Fraction(0)),
        sum(1 for v in values if v != 0),
        sum((abs(v) for v in values), Fraction(0)),
        sum(1 for v in numbers if v.denominator != 1),
        sum(1 for v in numbers if v != 0),
        sum((abs(v) for v in numbers), Fraction(0)),
    )


def _encode(params: Any) -> str:
    return json.dumps(params, sort_keys=True, separators=(",", ":"), default=str)


def _game_order(game: Game) -> tuple:
    return (game.shape, game.payoffs)


def canonical_key(concept_id: str, desideratum_id: str, game: Game, params: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of (concept, desideratum, game, parameters)."""
    text = json.dumps(
        {"concept": concept_id, "desideratum": desideratum_id, "game": game_to_json(game), "transformation": params},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _seed_for(game: Game, params: dict[str, Any]) -> int:
    text = json.dumps([game_to_json(game), params], sort_keys=True, default=str)
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], 16)


# -- structural edits -----------------------------------------------------------------


def restrict_game(
    game: Game,
    players: Sequence[int],
    actions: Sequence[Sequence[int]],
    fixed: dict[int, int] | None = None,
    relabel: bool = False,
) -> Game:
    """The game on the old players `players` (new player j = old players[j])
    with new player j's actions the old actions `actions[j]`, every dropped
    player d playing its action fixed[d]. `relabel` resets names and labels."""
    fixed = fixed or {}
    n = game.n_players
    new_shape = [len(a) for a in actions]
    payoffs: list[list[Fraction]] = [[] for _ in players]
    for profile in itertools.product(*(range(k) for k in new_shape)):
        old = [0] * n
        for d, a in fixed.items():
            old[d] = a
        for j, b in enumerate(profile):
            old[players[j]] = actions[j][b]
        outcome = game.outcome(old)
        for j, i in enumerate(players):
            payoffs[j].append(outcome[i])
    if relabel:
        labels = tuple(tuple(str(b + 1) for b in range(k)) for k in new_shape)
        names: tuple[str, ...] = ()
        title = ""
    else:
        labels = tuple(tuple(game.actions[i][a] for a in acts) for i, acts in zip(players, actions))
        names = tuple(game.players[i] for i in players)
        title = game.title
    return Game(labels, tuple(tuple(p) for p in payoffs), names, title)


def _numeric_leaves(obj: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Paths to the exact numbers (strings like '3/2') in a parameter dict.
    Plain ints are indices (players, actions) and are left alone."""
    if isinstance(obj, dict):
        for key in sorted(obj):
            yield from _numeric_leaves(obj[key], path + (key,))
    elif isinstance(obj, list):
        for k, item in enumerate(obj):
            yield from _numeric_leaves(item, path + (k,))
    elif isinstance(obj, str) and _NUMBER.match(obj.strip()):
        yield path, obj


def _replace_leaf(obj: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(obj, dict):
        copy = dict(obj)
        copy[head] = _replace_leaf(obj[head], rest, value)
        return copy
    copy_list = list(obj)
    copy_list[head] = _replace_leaf(obj[head], rest, value)
    return copy_list


def _scale_params(params: dict[str, Any], factor: Fraction) -> dict[str, Any]:
    result: Any = params
    for path, text in list(_numeric_leaves(params)):
        result = _replace_leaf(result, path, format_fraction(_to_fraction(text) * factor))
    return result


def _toward_zero(value: Fraction) -> list[Fraction]:
    """Candidate replacements closer to 0: 0, half (truncated), one step."""
    if value == 0:
        return []
    sign = 1 if value > 0 else -1
    candidates = [Fraction(0), Fraction(math.trunc(value / 2)), Fraction(math.trunc(value)), value - sign]
    seen, result = set(), []
    for c in candidates:
        if c not in seen and abs(c) < abs(value) and (c == 0 or (c > 0) == (value > 0)):
            seen.add(c)
            result.append(c)
    return result


# -- the minimizer ------------------------------------------------------------------


class _Minimizer:
    def __init__(self, concept: Concept, desideratum: Desideratum) -> None:
        self.oracle = _Oracle(concept, desideratum)
        self.desideratum = desideratum
        self.proposes = type(desideratum).parameters is not Desideratum.parameters
        self.latest: _State | None = None

    # parameters for a changed game
    def _fresh(self, game: Game) -> list[dict[str, Any]]:
        if not self.proposes:
            return []
        try:
            return list(self.desideratum.parameters(game, random.Random(_seed_for(game, {})), FRESH_PARAMS))
        except Exception:
            return []

    def _remapped(self, params: dict[str, Any], players: Sequence[int], actions: Sequence[Sequence[int]]) -> list:
        hook = getattr(self.desideratum, "remap_params", None)
        if hook is None:
            return []
        try:
            mapped = hook(params, list(players), [list(a) for a in actions])
        except Exception:
            return []
        return [] if mapped is None else [mapped]

    def _options(self, game: Game, params: dict[str, Any], players, actions) -> list[dict[str, Any]]:
        options = self._remapped(params, players, actions) + [params] + self._fresh(game)
        seen, result = set(), []
        for p in options:
            code = _encode(p)
            if code not in seen:
                seen.add(code)
                result.append(p)
        return result

    def _accept(self, state: _State, game: Game, options: list[dict[str, Any]]) -> _State | None:
        """The first option that keeps the violation and lowers the cost."""
        current = witness_cost(state.game, state.params)
        for params in options:
            if witness_cost(game, params) >= current:
                continue
            violation = self.oracle(game, params)
            if violation is not None:
                self.latest = _State(game, params, violation)
                return self.latest
        return None

    # reductions
    def delete_players(self, state: _State) -> _State:
        changed = True
        while changed and state.game.n_players > 1:
            changed = False
            game = state.game
            for d in range(game.n_players):
                keep = [i for i in range(game.n_players) if i != d]
                actions = [list(range(game.shape[i])) for i in keep]
                for a in range(game.shape[d]):
                    smaller = restrict_game(game, keep, actions, {d: a})
                    found = self._accept(state, smaller, self._options(smaller, state.params, keep, actions))
                    if found is not None:
                        state, changed = found, True
                        break
                if changed:
                    break
        return state

    def delete_actions(self, state: _State) -> _State:
        changed = True
        while changed:
            changed = False
            game = state.game
            players = list(range(game.n_players))
            for i in players:
                if game.shape[i] < 2:
                    continue
                for a in range(game.shape[i]):
                    actions = [[b for b in range(game.shape[j]) if j != i or b != a] for j in players]
                    smaller = restrict_game(game, players, actions)
                    found = self._accept(state, smaller, self._options(smaller, state.params, players, actions))
                    if found is not None:
                        state, changed = found, True
                        break
                if changed:
                    break
        return state

    def integerize(self, state: _State) -> _State:
        game = state.game
        if game.is_integer():
            return state
        factor = Fraction(math.lcm(*(v.denominator for row in game.payoffs for v in row)))
        scaled = game.with_payoffs([[v * factor for v in row] for row in game.payoffs])
        options = [state.params, _scale_params(state.params, factor)]
        return self._accept(state, scaled, options) or state

    def global_shrink(self, state: _State) -> _State:
        changed = True
        while changed:
            changed = False
            game = state.game
            values = [v for row in game.payoffs for v in row]
            candidates: list[tuple[Game, list]] = []
            if game.is_integer():
                divisor = math.gcd(*(int(v) for v in values))
                if divisor > 1:
                    g = game.with_payoffs([[v / divisor for v in row] for row in game.payoffs])
                    candidates.append((g, [state.params, _scale_params(state.params, Fraction(1, divisor))]))
            for i, row in enumerate(game.payoffs):
                lo, hi = min(row), max(row)
                for shift in sorted({-lo, -hi, -Fraction(math.floor((lo + hi) / 2))}):
                    if shift == 0:
                        continue
                    rows = [list(r) for r in game.payoffs]
                    rows[i] = [v + shift for v in row]
                    candidates.append((game.with_payoffs(rows), [state.params]))
            halved = game.with_payoffs([[Fraction(math.trunc(v / 2)) for v in row] for row in game.payoffs])
            if halved.payoffs != game.payoffs:
                candidates.append((halved, [state.params, _scale_params(state.params, Fraction(1, 2))]))
            for g, options in candidates:
                found = self._accept(state, g, options)
                if found is not None:
                    state, changed = found, True
                    break
        return state

    def coordinate_shrink(self, state: _State) -> _State:
        changed = True
        while changed:
            changed = False
            game = state.game
            cells = [(i, k) for i, row in enumerate(game.payoffs) for k in range(len(row))]
            cells.sort(key=lambda c: -abs(game.payoffs[c[0]][c[1]]))
            for i, k in cells:
                for value in _toward_zero(state.game.payoffs[i][k]):
                    rows = [list(r) for r in state.game.payoffs]
                    rows[i][k] = value
                    found = self._accept(state, state.game.with_payoffs(rows), [state.params])
                    if found is not None:
                        state, changed = found, True
                        break
        return state

    def param_shrink(self, state: _State) -> _State:
        changed = True
        while changed:
            changed = False
            for path, text in list(_numeric_leaves(state.params)):
                for value in _toward_zero(Fraction(text)):
                    params = _replace_leaf(state.params, path, format_fraction(value))
                    found = self._accept(state, state.game, [params])
                    if found is not None:
                        state, changed = found, True
                        break
        return state

    def canonicalize(self, state: _State) -> _State:
        n = state.game.n_players
        groups: dict[tuple, tuple[Game, list]] = {}
        for game in _equal_cost_shifts(state.game):
            for players in itertools.permutations(range(n)):
                for actions in itertools.product(*(itertools.permutations(range(game.shape[i])) for i in players)):
                    check_deadline()
                    g = restrict_game(game, players, actions, relabel=True)
                    groups.setdefault(_game_order(g), (g, []))[1].append((players, actions))
        # Fewest negative payoffs first (of equal-cost shifts, the one closest
        # to non-negative), then the smallest table.
        for order in sorted(groups, key=lambda o: (sum(v < 0 for row in o[1] for v in row), o)):
            g, maps = groups[order]
            options: list[dict[str, Any]] = []
            for players, actions in maps:
                options += self._remapped(state.params, players, actions)
            options += [state.params] + self._fresh(g)
            unique = {_encode(p): p for p in options}
            for code in sorted(unique):
                violation = self.oracle(g, unique[code])
                if violation is not None:
                    self.latest = _State(g, unique[code], violation)
                    return self.latest
        return state

    def round(self, state: _State) -> _State:
        for step in (
            self.delete_players,
            self.delete_actions,
            self.integerize,
            self.global_shrink,
            self.coordinate_shrink,
            self.param_shrink,
        ):
            state = step(state)
        return self.canonicalize(state)


MAX_SHIFT_VARIANTS = 16


def _equal_cost_shifts(game: Game) -> list[Game]:
    """`game` and the games that shift some players' payoffs by integer
    constants without changing that player's row cost (max |payoff| within
    the game's, the same number of non-zero payoffs and the same Σ|payoff|),
    at most MAX_SHIFT_VARIANTS of them. Two witnesses that differ by such a
    shift have equal `witness_cost`; trying every variant in canonical order
    makes the choice between them deterministic, so a witness found by SMT and
    its shifted copy found by search reach one canonical form (each variant
    is still re-checked by the oracle: no invariance is assumed)."""
    if not game.is_integer():
        return [game]
    bound = max((abs(v) for row in game.payoffs for v in row), default=Fraction(0))
    per_player = []
    for row in game.payoffs:
        shifts = _cost_preserving_shifts(row, -bound - min(row), bound - max(row))
        per_player.append([Fraction(0)] + list(itertools.islice(shifts, MAX_SHIFT_VARIANTS - 1)))
    variants = []
    for shifts in itertools.islice(itertools.product(*per_player), MAX_SHIFT_VARIANTS):
        variants.append(game if not any(shifts) else
                        game.with_payoffs([[v + s for v in row] for row, s in zip(game.payoffs, shifts)]))
    return variants


def _cost_preserving_shifts(row: Sequence[Fraction], low: Fraction, high: Fraction) -> Iterator[Fraction]:
    """The non-zero integers s in [low, high], ascending, with Σ|v + s| = Σ|v|
    and as many non-zero v + s as non-zero v, computed from the breakpoints:
    Σ|v + s| is piecewise linear in s with kinks at s = −v, so on each piece
    the equation is linear (one solution, or the whole piece where it is
    flat). Work proportional to the row's length, not to high − low."""
    target = sum((abs(v) for v in row), Fraction(0))
    zeros = sum(1 for v in row if v == 0)
    kinks = sorted({-v for v in row})
    pieces = [(None, kinks[0])] + list(zip(kinks, kinks[1:])) + [(kinks[-1], None)]
    last = None
    for left, right in pieces:
        inside = right - 1 if left is None else left + 1 if right is None else (left + right) / 2
        slope = sum(1 if v + inside > 0 else -1 for v in row)
        intercept = sum((v if v + inside > 0 else -v for v in row), Fraction(0))
        first = low if left is None else max(low, left)
        final = high if right is None else min(high, right)
        candidates: Sequence[int] = ()
        if slope == 0 and intercept == target:  # flat at the row's own cost: the whole piece
            candidates = range(math.ceil(first), math.floor(final) + 1)
        elif slope != 0:
            root = (target - intercept) / slope
            if root.denominator == 1 and first <= root <= final:
                candidates = (int(root),)
        for s in candidates:
            if s == 0 or s == last:
                continue
            last = s
            if sum(1 for v in row if v + s == 0) == zeros:
                yield Fraction(s)


def _same(a: _State, b: _State) -> bool:
    return _game_order(a.game) == _game_order(b.game) and _encode(a.params) == _encode(b.params)


def minimize(violation: Violation, concept: Concept, desideratum: Desideratum, seconds: float = 60.0) -> Minimized:
    """Shrink `violation` to a canonical minimal witness within `seconds`; the
    result is re-checked by the desideratum (its Violation is the fresh one).
    `minimal` is True only when the reductions reached their fixpoint."""
    start = time.monotonic()
    worker = _Minimizer(concept, desideratum)
    worker.latest = _State(violation.game, violation.params, violation)
    minimal = False
    try:
        with time_limit(seconds):
            state = worker.canonicalize(worker.latest)
            seen = {(_game_order(state.game), _encode(state.params))}
            for _ in range(MAX_ROUNDS):
                new = worker.round(state)
                if _same(new, state):
                    minimal = True
                    break
                marker = (_game_order(new.game), _encode(new.params))
                state = new
                if marker in seen:  # a cycle of equal-cost forms: no fixpoint
                    break
                seen.add(marker)
            worker.latest = state
    except TimeLimit:
        pass
    state = worker.latest
    # Re-verify exactly once more, independently of the path that led here
    # (one check of a game already checked: it runs even past the deadline).
    with without_time_limit():
        confirmed = desideratum.check(concept, state.game, state.params)
    if confirmed is None:
        raise AssertionError("the minimized witness no longer violates the desideratum (a minimizer bug)")
    key = canonical_key(concept.id, desideratum.id, confirmed.game, state.params)
    return Minimized(confirmed, minimal, key, worker.oracle.calls, time.monotonic() - start)


def canonicalize(violation: Violation, concept: Concept, desideratum: Desideratum, seconds: float = 30.0) -> Violation:
    """Only the canonical relabelling of a violation (no shrinking)."""
    worker = _Minimizer(concept, desideratum)
    try:
        with time_limit(seconds):
            return worker.canonicalize(_State(violation.game, violation.params, violation)).violation
    except TimeLimit:
        return violation
