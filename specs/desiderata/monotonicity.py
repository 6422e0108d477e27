"""Desiderata about giving a player more actions (SPEC §4): action
monotonicity, its first-initiative variant (seed 000, Proposition 13: the
player moving first in an initiative game never loses by extra actions), and
conditional-threat resistance (seed 000, "Maybe Not So Threatproof?": ROSE is
expected to fail it; the violation's gap is what the threat gains)."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from typing import Any, Callable, Sequence

from ..concepts.basic import opponent_profiles
from ..concepts.registry import Concept
from ..games import Game, GameError, format_fraction
from ..transforms import conditional_threat_game, extend_actions
from .base import (
    Desideratum,
    Violation,
    first_distinct,
    param_player,
    payoff_range,
    random_fraction,
    values_json,
)

__all__ = [
    "ActionMonotonicity",
    "FirstInitiativeMonotonicity",
    "ConditionalThreatResistance",
    "INITIATIVE_VALUES",
    "initiative_function",
]

# Initiative values by concept id: function(game, ordering) -> (values,
# errors), both indexed by PLAYER, for the initiative game where ordering[0]
# moves first; |true − values[i]| ≤ errors[i] (proven). "rose" and
# "rose-joint" are looked up lazily (see `initiative_function`); other
# concepts may register here.
INITIATIVE_VALUES: dict[str, Callable[[Game, Sequence[int]], tuple[list[Fraction], list[Fraction]]]] = {}


def _by_player(ordering: Sequence[int], by_rank: Sequence[Any]) -> list[Any]:
    result: list[Any] = [None] * len(ordering)
    for rank, player in enumerate(ordering):
        result[player] = by_rank[rank]
    return result


def _n_player_initiative(joint: bool) -> Callable[[Game, Sequence[int]], tuple[list[Fraction], list[Fraction]]] | None:
    try:
        from ..concepts.rose import initiative_values  # type: ignore[attr-defined]
    except ImportError:
        return None

    def function(game: Game, ordering: Sequence[int]) -> tuple[list[Fraction], list[Fraction]]:
        result = initiative_values(game, list(ordering), joint=joint)
        return _by_player(ordering, result.values), _by_player(ordering, result.errors)

    return function


def _two_player_rose_initiative(game: Game, ordering: Sequence[int]) -> tuple[list[Fraction], list[Fraction]]:
    """The 2-player formula (seed 000, "ROSE Value, 2-Player Case"): the
    leader gets S_leader, the other M − S_leader. Exact."""
    from ..concepts.basic import total_surplus
    from ..concepts.rose2 import rose2_initiative_values

    leader = ordering[0]
    s = rose2_initiative_values(game)[leader]
    values = [Fraction(0), Fraction(0)]
    values[leader], values[1 - leader] = s, total_surplus(game) - s
    return values, [Fraction(0), Fraction(0)]


def initiative_function(
    concept: Concept, game: Game
) -> Callable[[Game, Sequence[int]], tuple[list[Fraction], list[Fraction]]] | None:
    """The concept's initiative-value function if it has one usable on `game`:
    for "rose" and "rose-joint", specs/concepts/rose.py `initiative_values`
    (mapped from ranks to players); without it, "rose" on two players uses
    the exact 2-player formula; None for every other concept."""
    if concept.id in INITIATIVE_VALUES:
        return INITIATIVE_VALUES[concept.id]
    if concept.id in ("rose", "rose-joint"):
        function = _n_player_initiative(joint=concept.id == "rose-joint")
        if function is not None:
            return function
        if concept.id == "rose" and game.n_players == 2:
            return _two_player_rose_initiative
    return None


_INITIATIVE_CACHE: dict[tuple[Any, ...], tuple[list[Fraction], list[Fraction]]] = {}


def _cached_initiative(concept: Concept, function: Callable, game: Game, ordering: Sequence[int]):
    key = (concept.id, game, tuple(ordering))
    if key not in _INITIATIVE_CACHE:
        if len(_INITIATIVE_CACHE) > 256:
            _INITIATIVE_CACHE.clear()
        _INITIATIVE_CACHE[key] = function(game, ordering)
    return _INITIATIVE_CACHE[key]


def _rows(game: Game, params: dict[str, Any]) -> list:
    rows = params.get("rows")
    if not isinstance(rows, (list, tuple)) or not rows:
        raise GameError("'rows' must list the new actions: for each, one payoff tuple per joint profile of the others")
    return list(rows)


def _row_proposals(game: Game, player: int, rng: random.Random, count: int) -> list[list[list[Fraction]]]:
    """New actions for `player` likely to move values: copies of each action
    that hurt the others (a torture button), help them at a cost to the
    player, or are dominated for the player; then random actions with payoffs
    in the game's range."""
    n, r = game.n_players, payoff_range(game)
    rests = opponent_profiles(game, player)
    low = min(v for row in game.payoffs for v in row)

    def copy(action: int, own: Fraction, others: Fraction) -> list[list[Fraction]]:
        row = []
        for rest in rests:
            outcome = game.outcome(rest[:player] + (action,) + rest[player:])
            row.append([v + (own if k == player else others) for k, v in enumerate(outcome)])
        return row

    proposals = []
    for a in range(game.shape[player]):
        proposals.append([copy(a, Fraction(0), -r)])
        proposals.append([copy(a, -r, 2 * r)])
        proposals.append([copy(a, -r, Fraction(0))])
        proposals.append([copy(a, Fraction(0), r)])
    for _ in range(count):
        size = rng.choice((1, 1, 2))
        proposals.append(
            [[[low + abs(random_fraction(rng, r)) for _ in range(n)] for _ in rests] for _ in range(size)]
        )
    return proposals


class ActionMonotonicity(Desideratum):
    """params: {"player": i, "rows": [new action, ...]} where each new action
    lists, for each joint pure profile of the other players in storage order,
    the n-tuple of payoffs (exact strings) when i plays it."""

    params_doc = '{"player": i, "rows": [[payoff n-tuple per joint profile of the others] per new action]}'
    id = "monotonicity"
    name = "action monotonicity"
    statement = "Giving a player extra actions, with any payoffs, never lowers its value."
    needs_transformation = True

    def transform(self, game: Game, params: dict[str, Any]) -> dict[str, Game]:
        return {"extended": extend_actions(game, param_player(params, game), _rows(game, params))}

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        player = param_player(params, game)
        games = self.transform(game, params)
        before, after = self.value(concept, game), self.value(concept, games["extended"])
        loss = before.values[player] - after.values[player]
        if loss <= before.error_bound + after.error_bound:
            return None
        count = len(_rows(game, params))
        values = {"original": values_json(before.values), "extended": values_json(after.values)}
        if before.error_bound or after.error_bound:
            values["error_bounds"] = values_json([before.error_bound, after.error_bound])
        return Violation(
            concept.id, self.id, game, self.params_json(params), values,
            f"giving {game.players[player]} {count} extra action{'s' if count > 1 else ''} lowers its "
            f"{concept.id} value from {format_fraction(before.values[player])} to "
            f"{format_fraction(after.values[player])}",
            loss, games,
        )

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        per_player = [
            [{"player": i, "rows": rows} for rows in _row_proposals(game, i, rng, count)]
            for i in range(game.n_players)
        ]
        ordered = [p for group in itertools.zip_longest(*per_player) for p in group if p is not None]
        return first_distinct([self.params_json(p) for p in ordered], count)


class FirstInitiativeMonotonicity(Desideratum):
    """params: {"player": i, "rows": [...] as for monotonicity, "ordering":
    [i, ...] (an initiative ordering with i first; default i then the others
    in index order)}. Applies to concepts with initiative values
    (`initiative_function`): "rose" (n-player when specs/concepts/rose.py
    provides `initiative_values`, else 2 players by the 2-player formula)."""

    params_doc = '{"player": i, "rows": [...as monotonicity], "ordering": [i, ...]}'
    id = "monotonicity-first"
    name = "first-initiative action monotonicity"
    statement = (
        "Giving the player with the first initiative extra actions never lowers its initiative value "
        "(seed 000, Proposition 13)."
    )
    variant_of = "monotonicity"
    needs_transformation = True

    def applies(self, concept: Concept, game: Game) -> bool:
        return super().applies(concept, game) and initiative_function(concept, game) is not None

    def _ordering(self, game: Game, params: dict[str, Any]) -> list[int]:
        player = param_player(params, game)
        ordering = params.get("ordering", [player] + [j for j in range(game.n_players) if j != player])
        if sorted(ordering) != list(range(game.n_players)) or ordering[0] != player:
            raise GameError(f"ordering {ordering!r} must be a permutation of the players starting with {player}")
        return list(ordering)

    def transform(self, game: Game, params: dict[str, Any]) -> dict[str, Game]:
        return {"extended": extend_actions(game, param_player(params, game), _rows(game, params))}

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        function = initiative_function(concept, game)
        if function is None:
            return None
        player = param_player(params, game)
        ordering = self._ordering(game, params)
        games = self.transform(game, params)
        before, before_errors = _cached_initiative(concept, function, game, ordering)
        after, after_errors = _cached_initiative(concept, function, games["extended"], ordering)
        loss = before[player] - after[player]
        if loss <= before_errors[player] + after_errors[player]:
            return None
        values = {
            "initiative_original": values_json(before),
            "initiative_extended": values_json(after),
            "ordering": [str(k) for k in ordering],
        }
        if before_errors[player] or after_errors[player]:
            values["error_bounds"] = values_json([before_errors[player], after_errors[player]])
        return Violation(
            concept.id, self.id, game, self.params_json(params), values,
            f"moving first, {game.players[player]} has {concept.id} initiative value "
            f"{format_fraction(before[player])}, but only {format_fraction(after[player])} "
            f"after gaining extra actions",
            loss, games,
        )

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        proposals = []
        for params in ActionMonotonicity().parameters(game, rng, count):
            player = params["player"]
            rest = [j for j in range(game.n_players) if j != player]
            rng.shuffle(rest)
            proposals.append({**params, "ordering": [player] + rest})
        return proposals


class ConditionalThreatResistance(Desideratum):
    """params: {"player": i, "action": a, "penalties": [[p_1, ..., p_{n-1}],
    ...]}: a modified copy of i's action a where, against the others' joint
    profile r (storage order), each other player j' loses penalties[r][j'] ≥ 0
    (exact strings); i's own payoff is unchanged. The gap of a violation is
    i's gain."""

    params_doc = '{"player": i, "action": a, "penalties": [[p_1, ..., p_{n-1}] per joint profile of the others]}'
    id = "conditional-threat"
    name = "conditional threat resistance"
    statement = (
        "A player who adds a modified action that lowers the other players' utilities by amounts depending "
        "on their responses does not raise its value."
    )
    needs_transformation = True

    def transform(self, game: Game, params: dict[str, Any]) -> dict[str, Game]:
        player = param_player(params, game)
        if "action" not in params or "penalties" not in params:
            raise GameError("conditional-threat needs 'action' and 'penalties'")
        return {"threat": conditional_threat_game(game, player, params["action"], params["penalties"])}

    def check(self, concept: Concept, game: Game, params: dict[str, Any]) -> Violation | None:
        player = param_player(params, game)
        games = self.transform(game, params)
        before, after = self.value(concept, game), self.value(concept, games["threat"])
        gain = after.values[player] - before.values[player]
        if gain <= before.error_bound + after.error_bound:
            return None
        values = {"original": values_json(before.values), "threat": values_json(after.values)}
        if before.error_bound or after.error_bound:
            values["error_bounds"] = values_json([before.error_bound, after.error_bound])
        label = game.actions[player][params["action"]] if isinstance(params["action"], int) else params["action"]
        return Violation(
            concept.id, self.id, game, self.params_json(params), values,
            f"a conditional threat (a copy of {game.players[player]}'s action {label!r} that punishes the "
            f"others' responses differently) raises its {concept.id} value from "
            f"{format_fraction(before.values[player])} to {format_fraction(after.values[player])}",
            gain, games,
        )

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        n, r = game.n_players, payoff_range(game)
        proposals = []
        for i in range(n):
            rests = opponent_profiles(game, i)
            for a in range(game.shape[i]):
                own = [game.payoff(i, rest[:i] + (a,) + rest[i:]) for rest in rests]
                best = max(own)
                # Everyone is punished unless the others "roll over" (i's best outcome given a).
                for size in (r + 1, 3 * r):
                    proposals.append(
                        {"player": i, "action": a,
                         "penalties": [[Fraction(0) if u == best else size] * (n - 1) for u in own]}
                    )
                # Punishment in proportion to how far the response falls short for i.
                proposals.append(
                    {"player": i, "action": a, "penalties": [[2 * (best - u)] * (n - 1) for u in own]}
                )
        structured = proposals[:]
        proposals = []
        for k in range(max(count, len(structured))):
            if k < len(structured):
                proposals.append(structured[k])
            i = rng.randrange(n)
            rests = opponent_profiles(game, i)
            penalties = [
                [abs(random_fraction(rng, 2 * r)) if rng.random() < 0.5 else Fraction(0) for _ in range(n - 1)]
                for _ in rests
            ]
            proposals.append({"player": i, "action": rng.randrange(game.shape[i]), "penalties": penalties})
        return first_distinct([self.params_json(p) for p in proposals], count)
