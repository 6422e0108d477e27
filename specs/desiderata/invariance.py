"""Invariance desiderata (SPEC §4): shift, scale, redundancy, threat, money,
null player. Each transforms the game (specs/transforms.py) and requires the
concept's values on the new game to be a fixed function of the old ones:
the same values (redundancy, threat, money), shifted or scaled values, or
the old values with a 0 for the new null player. Seed 000, Propositions 3
(linearity, hence shift and scale), 6, 7, 8 and 10 say ROSE satisfies all."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from typing import Any

from ..concepts.registry import Concept, Valuation
from ..games import Game, GameError, format_fraction
from ..transforms import (
    add_duplicate_action,
    add_mixture_action,
    add_null_player,
    destruction_game,
    new_action_map,
    null_player_map,
    payment_game,
    payment_map,
    scale_game,
    shift_game,
    shift_map,
)
from .base import (
    TransformInvariance,
    first_distinct,
    param_fraction,
    param_player,
    payoff_range,
    random_fraction,
    vector_text,
)

__all__ = [
    "ShiftInvariance",
    "ScaleCovariance",
    "RedundancyInvariance",
    "ThreatResistance",
    "MoneyRedundancy",
    "NullPlayer",
]


class ShiftInvariance(TransformInvariance):
    """params: {"shifts": [c_0, ..., c_{n-1}]} (exact strings)."""

    params_doc = '{"shifts": [c_0, ..., c_{n-1}]} (exact strings)'
    id = "shift"
    name = "shift invariance"
    statement = "Adding a constant c_i to every payoff of player i adds c_i to φ_i and changes no other value."
    transformed_name = "shifted"

    def _shifts(self, game: Game, params: dict[str, Any]) -> list[Fraction]:
        shifts = params.get("shifts")
        if not isinstance(shifts, (list, tuple)) or len(shifts) != game.n_players:
            raise GameError(f"shift needs 'shifts': one constant per player ({game.n_players})")
        return [param_fraction({"c": c}, "c") for c in shifts]

    def transformed(self, game: Game, params: dict[str, Any]) -> Game:
        return shift_game(game, self._shifts(game, params))

    def describe(self, game: Game, params: dict[str, Any]) -> str:
        return f"after adding {vector_text(self._shifts(game, params))} to the players' payoffs"

    def expected(self, game, params, original, transformed):
        shifts = {f"c{i}": c for i, c in enumerate(self._shifts(game, params))}
        return self.relation(original.values, {}, shifts), [original.error_bound] * game.n_players

    def structures(self, shape):
        return [{}]

    def payoff_map(self, shape, structure):
        return shift_map(shape)

    def parameter_domain(self, shape, structure, bound):
        return {f"c{i}": ("interval", -bound, bound, False) for i in range(len(shape))}

    def relation(self, values, structure, params):
        return [v + params[f"c{i}"] for i, v in enumerate(values)]

    def params_for(self, structure, values):
        return {"shifts": [values[f"c{i}"] for i in range(len(values))]}

    def scope_note(self, bound):
        return f"every shift vector c with c_i in [-{format_fraction(bound)}, {format_fraction(bound)}]"

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        n, r = game.n_players, payoff_range(game)
        proposals = []
        for i in range(n):
            for sign in (1, -1):
                proposals.append([sign * r if k == i else Fraction(0) for k in range(n)])
        proposals.append([(k + 1) * r * (-1) ** k for k in range(n)])
        for _ in range(count):
            proposals.append([random_fraction(rng, 3 * r) for _ in range(n)])
        return first_distinct([self.params_json({"shifts": s}) for s in proposals], count)


class ScaleCovariance(TransformInvariance):
    """params: {"factor": λ} (exact string, λ > 0)."""

    params_doc = '{"factor": λ} (exact string, λ > 0)'
    id = "scale"
    name = "scale covariance"
    statement = "Multiplying every payoff by λ > 0 multiplies every value by λ."
    transformed_name = "scaled"

    def transformed(self, game: Game, params: dict[str, Any]) -> Game:
        return scale_game(game, param_fraction(params, "factor"))

    def describe(self, game: Game, params: dict[str, Any]) -> str:
        return f"after multiplying every payoff by {format_fraction(param_fraction(params, 'factor'))}"

    def expected(self, game, params, original, transformed):
        factor = param_fraction(params, "factor")
        return [factor * v for v in original.values], [factor * original.error_bound] * game.n_players

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        factors = [Fraction(2), Fraction(1, 2), Fraction(3), Fraction(1, 3), Fraction(7, 5)]
        for _ in range(4 * count):
            factors.append(Fraction(rng.randint(1, 12), rng.randint(1, 12)))
        return first_distinct([self.params_json({"factor": f}) for f in factors if f != 1], count)


class RedundancyInvariance(TransformInvariance):
    """params: {"player": i, "weights": [w_0, ..., w_{k_i - 1}]} (a mixture
    action: non-negative exact weights summing to 1), or the weak form
    {"player": i, "duplicate": a} (a copy of action index a)."""

    params_doc = '{"player": i, "weights": [w_0, ..., w_{k_i-1}]} (exact, ≥ 0, sum 1) or {"player": i, "duplicate": a}'
    id = "redundancy"
    name = "redundancy invariance"
    statement = (
        "Adding an action that is a mixture of a player's existing actions (the same payoffs for everyone "
        "as the mixture; weak form: a duplicate) changes no value."
    )
    transformed_name = "redundant"

    def transformed(self, game: Game, params: dict[str, Any]) -> Game:
        player = param_player(params, game)
        if "duplicate" in params:
            return add_duplicate_action(game, player, params["duplicate"])
        weights = params.get("weights")
        if not isinstance(weights, (list, tuple)):
            raise GameError("redundancy needs 'weights' (a list) or 'duplicate' (an action index)")
        return add_mixture_action(game, player, weights)

    def structures(self, shape):
        found = []
        for i, k in enumerate(shape):
            found += [{"player": i, "duplicate": a} for a in range(k)]
            if k >= 2:
                found.append({"player": i, "mixture": True})
        return found

    def payoff_map(self, shape, structure):
        if "duplicate" in structure:
            return new_action_map(shape, structure["player"], "duplicate", structure["duplicate"])
        return new_action_map(shape, structure["player"], "mixture")

    def parameter_domain(self, shape, structure, bound):
        if "duplicate" in structure:
            return {}
        return {f"w{a}": ("simplex", "w") for a in range(shape[structure["player"]])}

    def params_for(self, structure, values):
        if "duplicate" in structure:
            return {"player": structure["player"], "duplicate": structure["duplicate"]}
        return {"player": structure["player"], "weights": [values[f"w{a}"] for a in range(len(values))]}

    def scope_note(self, bound):
        return "every duplicate of an action and every mixture action of every player"

    def describe(self, game: Game, params: dict[str, Any]) -> str:
        player = param_player(params, game)
        if "duplicate" in params:
            return f"after giving {game.players[player]} a duplicate of action {params['duplicate']!r}"
        weights = [param_fraction({"w": w}, "w") for w in params["weights"]]
        return f"after giving {game.players[player]} the mixture action with weights {vector_text(weights)}"

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        proposals: list[dict[str, Any]] = []
        for i, k in enumerate(game.shape):
            if k >= 2:
                proposals.append({"player": i, "weights": [Fraction(1, k)] * k})
                for a, b in itertools.combinations(range(k), 2):
                    proposals.append(
                        {"player": i, "weights": [Fraction(1, 2) if c in (a, b) else Fraction(0) for c in range(k)]}
                    )
        for i, k in enumerate(game.shape):
            for a in range(k):
                proposals.append({"player": i, "duplicate": a})
        players = [i for i, k in enumerate(game.shape) if k >= 2]
        for _ in range(count if players else 0):
            i = rng.choice(players)
            raw = [rng.randint(0, 5) for _ in range(game.shape[i])]
            raw[rng.randrange(len(raw))] += 1
            proposals.append({"player": i, "weights": [Fraction(w, sum(raw)) for w in raw]})
        # Interleave so that a small count still covers every kind of proposal.
        mixtures = [p for p in proposals if "weights" in p]
        duplicates = [p for p in proposals if "duplicate" in p]
        ordered = [p for pair in itertools.zip_longest(mixtures, duplicates) for p in pair if p is not None]
        return first_distinct([self.params_json(p) for p in ordered], count)


class ThreatResistance(TransformInvariance):
    """params: {"caps": n×n matrix of exact strings} (caps[i][j] = D_ij ≥ 0,
    how much i can burn of j's utility at no cost to itself; burn levels
    {0, D_ij}; the diagonal is ignored)."""

    params_doc = '{"caps": n×n matrix of exact strings D_ij ≥ 0 (diagonal ignored)}'
    id = "threat"
    name = "threat resistance"
    statement = (
        "In the destruction game, where each player i may also burn player j's utility by D_ij at no cost to "
        "itself, every value is unchanged, for every choice of caps D."
    )
    transformed_name = "destruction"

    def transformed(self, game: Game, params: dict[str, Any]) -> Game:
        return destruction_game(game, params.get("caps", []))

    def describe(self, game: Game, params: dict[str, Any]) -> str:
        caps = params["caps"]
        buttons = [
            f"{game.players[i]} burns {game.players[j]} by {format_fraction(param_fraction({'d': caps[i][j]}, 'd'))}"
            for i in range(game.n_players)
            for j in range(game.n_players)
            if i != j and param_fraction({"d": caps[i][j]}, "d") > 0
        ]
        return "in the destruction game (" + ("; ".join(buttons) or "no buttons") + ")"

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        n, r = game.n_players, payoff_range(game)
        pairs = [(i, j) for i in range(n) for j in range(n) if i != j]

        def caps(entries: dict[tuple[int, int], Fraction]) -> list[list[Fraction]]:
            return [[entries.get((i, j), Fraction(0)) for j in range(n)] for i in range(n)]

        proposals = [caps({p: r}) for p in pairs]
        proposals.append(caps({p: r for p in pairs}))
        for size in (Fraction(1), 3 * r, r / 2):
            proposals.extend(caps({p: size}) for p in pairs)
        proposals.append(caps({p: 3 * r for p in pairs}))
        for _ in range(count):
            chosen = [p for p in pairs if rng.random() < 0.5] or [rng.choice(pairs)]
            proposals.append(caps({p: abs(random_fraction(rng, 3 * r)) or r for p in chosen}))
        return first_distinct([self.params_json({"caps": c}) for c in proposals], count)


class MoneyRedundancy(TransformInvariance):
    """params: {"amount": T} (exact string, T ≥ 0): every player may pay each
    other player T or nothing (finite form of payments in [0, T])."""

    params_doc = '{"amount": T} (exact string, T ≥ 0)'
    id = "money"
    name = "money redundancy"
    statement = "Adding side-payment actions (each player may pay each other player an amount T) changes no value."
    transformed_name = "payment"

    def transformed(self, game: Game, params: dict[str, Any]) -> Game:
        return payment_game(game, param_fraction(params, "amount"))

    def describe(self, game: Game, params: dict[str, Any]) -> str:
        return f"in the payment game with amount {format_fraction(param_fraction(params, 'amount'))}"

    def structures(self, shape):
        return [{}]

    def payoff_map(self, shape, structure):
        return payment_map(shape)

    def parameter_domain(self, shape, structure, bound):
        return {"T": ("interval", Fraction(0), bound, True)}  # T = 0 adds no actions

    def params_for(self, structure, values):
        return {"amount": values["T"]}

    def scope_note(self, bound):
        return f"every payment amount T in (0, {format_fraction(bound)}]"

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        r = payoff_range(game)
        amounts = [r, Fraction(1), 2 * r, r / 2, r / 3]
        for _ in range(4 * count):
            amounts.append(abs(random_fraction(rng, 3 * r)))
        return first_distinct([self.params_json({"amount": t}) for t in amounts if t > 0], count)


class NullPlayer(TransformInvariance):
    """params: {"position": p} (0..n: where the null player is inserted)."""

    params_doc = '{"position": p} (0..n)'
    id = "null-player"
    name = "null player"
    statement = (
        "Adding a player with one action and zero utility gives it value 0 and leaves every other value unchanged."
    )
    transformed_name = "with-null-player"

    def applies(self, concept: Concept, game: Game) -> bool:
        n = game.n_players + 1
        fits = n >= concept.min_players and (concept.max_players is None or n <= concept.max_players)
        return super().applies(concept, game) and fits

    def _position(self, game: Game, params: dict[str, Any]) -> int:
        position = params.get("position", game.n_players)
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= game.n_players:
            raise GameError(f"null-player position {position!r} is outside 0..{game.n_players}")
        return position

    def transformed(self, game: Game, params: dict[str, Any]) -> Game:
        return add_null_player(game, self._position(game, params))

    def describe(self, game: Game, params: dict[str, Any]) -> str:
        return f"after inserting a null player at position {self._position(game, params)}"

    def expected(self, game: Game, params: dict[str, Any], original: Valuation, transformed: Game):
        position = self._position(game, params)
        want = self.relation(original.values, {"position": position}, {})
        slack = [original.error_bound] * game.n_players
        slack.insert(position, Fraction(0))
        return want, slack

    def structures(self, shape):
        return [{"position": p} for p in range(len(shape) + 1)]

    def payoff_map(self, shape, structure):
        return null_player_map(shape, structure["position"])

    def relation(self, values, structure, params):
        want = list(values)
        want.insert(structure["position"], Fraction(0))
        return want

    def params_for(self, structure, values):
        return {"position": structure["position"]}

    def scope_note(self, bound):
        return "a null player inserted at every position"

    def parameters(self, game: Game, rng: random.Random, count: int) -> list[dict[str, Any]]:
        return [{"position": p} for p in range(game.n_players + 1)][:count]
