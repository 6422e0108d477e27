"""Game transformations (SPEC §4). Each returns a new `Game`; none mutates.

The transformations that desiderata with an SMT encoding use are defined
once, as *payoff maps* (`PayoffMap`: each new payoff a sum of terms
c · U_j[m] · p over the original payoffs and named numeric parameters); the
exact game here and the symbolic one (`encoders.symbolic.SymbolicGame.mapped`)
are both evaluations of the same map."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from .games import Game, GameError, format_fraction, to_fraction

__all__ = [
    "PayoffMap",
    "evaluate_payoff_map",
    "shift_map",
    "null_player_map",
    "new_action_map",
    "payment_map",
    "coalition_game",
    "coalition_layout",
    "shift_game",
    "scale_game",
    "permute_players",
    "identical_players",
    "extend_actions",
    "add_mixture_action",
    "add_duplicate_action",
    "conditional_threat_game",
    "destruction_game",
    "payment_game",
    "parallel_sum",
    "add_null_player",
]


def coalition_layout(
    shape: Sequence[int], coalition: Sequence[int]
) -> tuple[list[int], list[int], list[tuple[int, ...]], list[tuple[int, ...]], list[list[int]]]:
    """The layout of "S vs N∖S" over a game of `shape`: the sorted members of S
    and of N∖S, their joint pure actions in storage order, and for each
    (S action, N∖S action) pair, row-major, the full pure profile it is.
    Shared by the exact coalition game and its symbolic (SMT) counterpart."""
    n = len(shape)
    side = sorted(set(coalition))
    if any(i < 0 or i >= n for i in side):
        raise GameError(f"coalition {list(coalition)} names a player outside 0..{n - 1}")
    other = [i for i in range(n) if i not in side]
    s_actions = list(itertools.product(*(range(shape[i]) for i in side)))
    o_actions = list(itertools.product(*(range(shape[i]) for i in other)))
    profiles = []
    for js in s_actions:
        for jo in o_actions:
            profile = [0] * n
            for i, a in zip(side, js):
                profile[i] = a
            for i, a in zip(other, jo):
                profile[i] = a
            profiles.append(profile)
    return side, other, s_actions, o_actions, profiles


def coalition_game(game: Game, coalition: Sequence[int]) -> Game:
    """The two-player game "S vs N∖S": player 0 is the coalition S, player 1 its
    complement; each chooses a joint pure action of its members (joint mixed
    strategies come from mixing these) and gets its members' summed utility.
    An empty side has one action and utility 0. Joint actions are labelled
    by their members' action labels joined with '+', in storage order."""
    side, other, s_actions, o_actions, profiles = coalition_layout(game.shape, coalition)

    def label(members: list[int], joint: tuple[int, ...]) -> str:
        return "+".join(game.actions[i][a] for i, a in zip(members, joint)) or "-"

    payoff_s, payoff_o = [], []
    for profile in profiles:
        outcome = game.outcome(profile)
        payoff_s.append(sum((outcome[i] for i in side), Fraction(0)))
        payoff_o.append(sum((outcome[i] for i in other), Fraction(0)))
    return Game(
        (tuple(label(side, j) for j in s_actions), tuple(label(other, j) for j in o_actions)),
        (tuple(payoff_s), tuple(payoff_o)),
        ("{" + ",".join(game.players[i] for i in side) + "}", "{" + ",".join(game.players[i] for i in other) + "}"),
        f"{game.title} coalition game".strip(),
    )


# -- helpers ------------------------------------------------------------------


def _check_player(game: Game, player: int, what: str = "player") -> int:
    if isinstance(player, bool) or not isinstance(player, int):
        raise GameError(f"{what} must be a player index, not {player!r}")
    if not 0 <= player < game.n_players:
        raise GameError(f"{what} {player} is outside 0..{game.n_players - 1}")
    return player


def _action_index(game: Game, player: int, action: int | str) -> int:
    """An action given by index or by label."""
    acts = game.actions[player]
    if isinstance(action, str):
        if action not in acts:
            raise GameError(f"player {player} has no action {action!r}; its actions are {list(acts)}")
        return acts.index(action)
    if isinstance(action, bool) or not isinstance(action, int) or not 0 <= action < len(acts):
        raise GameError(f"player {player} has no action {action!r} (it has {len(acts)})")
    return action


def _fresh_label(existing: Sequence[str], wanted: str) -> str:
    """`wanted`, or `wanted#2`, `wanted#3`, ... whichever is not taken."""
    if wanted not in existing:
        return wanted
    k = 2
    while f"{wanted}#{k}" in existing:
        k += 1
    return f"{wanted}#{k}"


def _unique_labels(labels: Sequence[str]) -> tuple[str, ...]:
    """The labels with later duplicates renamed by `_fresh_label`."""
    result: list[str] = []
    for label in labels:
        result.append(_fresh_label(result, label))
    return tuple(result)


def _others(game: Game, player: int) -> list[tuple[int, ...]]:
    """The joint pure profiles of everyone but `player`, in storage order
    (the same order as `concepts.basic.opponent_profiles`)."""
    return list(itertools.product(*(range(k) for i, k in enumerate(game.shape) if i != player)))


def _insert(rest: Sequence[int], player: int, action: int) -> tuple[int, ...]:
    return tuple(rest[:player]) + (action,) + tuple(rest[player:])


def _binary_choices(caps: Sequence[tuple[int, Fraction]]) -> list[tuple[tuple[int, Fraction], ...]]:
    """For targets [(j, c_j), ...]: every choice of amounts, each in {0, c_j},
    in the order (0,...,0) first; each choice lists only the non-zero amounts."""
    choices = []
    for bits in itertools.product((0, 1), repeat=len(caps)):
        choices.append(tuple((j, c) for (j, c), bit in zip(caps, bits) if bit))
    return choices


def _fractions(values: Sequence, where: str) -> list[Fraction]:
    return [to_fraction(v, f"{where}[{k}]") for k, v in enumerate(values)]


def _matrix(game: Game, caps: Sequence[Sequence], what: str) -> list[list[Fraction]]:
    n = game.n_players
    rows = list(caps)
    if len(rows) != n or any(len(list(row)) != n for row in rows):
        raise GameError(f"{what} must be an {n}x{n} matrix (one row and column per player)")
    result = []
    for i, row in enumerate(rows):
        converted = []
        for j, v in enumerate(row):
            value = to_fraction(v, f"{what}[{i}][{j}]")
            if i != j and value < 0:
                raise GameError(f"{what}[{i}][{j}] = {value} is negative")
            converted.append(value)
        result.append(converted)
    return result


# -- payoff maps: transformations defined once ---------------------------------------

ONE = Fraction(1)
PayoffTerm = tuple  # (coefficient, (player, flat index) or None, parameter name or None)


@dataclass(frozen=True)
class PayoffMap:
    """The payoffs of a transformed game as a function of the original's:
    `entries[i][k]` lists the terms (c, (j, m), p) of player i's payoff at the
    new game's k-th pure profile (storage order), meaning Σ c · U_j[m] · p
    (U_j[m]: player j's payoff at the original's m-th profile; a missing U or
    p stands for 1). `params` names the numeric parameters."""

    shape: tuple[int, ...]
    entries: tuple[tuple[tuple[PayoffTerm, ...], ...], ...]
    params: tuple[str, ...] = ()


def evaluate_payoff_map(pmap: PayoffMap, payoffs: Sequence[Sequence[Fraction]],
                        params: Mapping[str, Fraction] | None = None) -> list[list[Fraction]]:
    """The new payoffs, exactly, for the original `payoffs` (`Game.payoffs`)
    and the parameter values."""
    params = dict(params or {})
    missing = [p for p in pmap.params if p not in params]
    if missing:
        raise GameError(f"payoff map parameters without a value: {', '.join(missing)}")
    result = []
    for row in pmap.entries:
        values = []
        for terms in row:
            total = Fraction(0)
            for c, entry, param in terms:
                term = c
                if entry is not None:
                    term *= payoffs[entry[0]][entry[1]]
                if param is not None:
                    term *= params[param]
                total += term
            values.append(total)
        result.append(values)
    return result


def _profile_index(shape: Sequence[int]) -> dict[tuple[int, ...], int]:
    return {p: k for k, p in enumerate(itertools.product(*(range(k) for k in shape)))}


def _copy(player: int, index: int) -> tuple[PayoffTerm, ...]:
    return ((ONE, (player, index), None),)


def shift_map(shape: Sequence[int]) -> PayoffMap:
    """U_i + c_i for every player i (parameters c0, c1, …)."""
    n, size = len(shape), math.prod(shape)
    entries = tuple(tuple(_copy(i, k) + ((ONE, None, f"c{i}"),) for k in range(size)) for i in range(n))
    return PayoffMap(tuple(shape), entries, tuple(f"c{i}" for i in range(n)))


def null_player_map(shape: Sequence[int], position: int) -> PayoffMap:
    """A player with one action and utility 0 inserted at `position`."""
    shape = tuple(shape)
    new_shape = shape[:position] + (1,) + shape[position:]
    index = _profile_index(shape)
    entries = []
    for i in range(len(new_shape)):
        row = []
        for p in itertools.product(*(range(k) for k in new_shape)):
            original = p[:position] + p[position + 1:]
            row.append(() if i == position else _copy(i if i < position else i - 1, index[original]))
        entries.append(tuple(row))
    return PayoffMap(new_shape, tuple(entries))


def new_action_map(shape: Sequence[int], player: int, kind: str, action: int = 0) -> PayoffMap:
    """One new action for `player`, appended after its own: a copy of `action`
    (kind "duplicate") or the mixture of all its actions with weights
    w0, w1, … (kind "mixture": every player gets the weighted average)."""
    shape = tuple(shape)
    k = shape[player]
    new_shape = shape[:player] + (k + 1,) + shape[player + 1:]
    index = _profile_index(shape)
    entries = []
    for i in range(len(shape)):
        row = []
        for p in itertools.product(*(range(m) for m in new_shape)):
            if p[player] < k:
                row.append(_copy(i, index[p]))
            elif kind == "duplicate":
                row.append(_copy(i, index[p[:player] + (action,) + p[player + 1:]]))
            else:
                row.append(tuple((ONE, (i, index[p[:player] + (a,) + p[player + 1:]]), f"w{a}") for a in range(k)))
        entries.append(tuple(row))
    return PayoffMap(new_shape, tuple(entries), tuple(f"w{a}" for a in range(k)) if kind == "mixture" else ())


def _payment_choices(n: int, i: int) -> list[tuple[int, ...]]:
    """Player i's payment choices: the payees it pays T, no-payment first."""
    targets = [j for j in range(n) if j != i]
    return [tuple(j for j, bit in zip(targets, bits) if bit) for bits in itertools.product((0, 1), repeat=len(targets))]


def payment_map(shape: Sequence[int]) -> PayoffMap:
    """Every player may pay each other player T (parameter "T") or nothing:
    actions (original action, payees), the original action varying slowest."""
    shape, n = tuple(shape), len(shape)
    choices = [_payment_choices(n, i) for i in range(n)]
    new_shape = tuple(k * len(c) for k, c in zip(shape, choices))
    index = _profile_index(shape)
    joints = list(itertools.product(*[list(itertools.product(range(shape[i]), range(len(choices[i]))))
                                      for i in range(n)]))
    entries = []
    for m in range(n):
        row = []
        for joint in joints:
            paid = len(choices[m][joint[m][1]])
            received = sum(m in choices[i][e] for i, (_, e) in enumerate(joint) if i != m)
            terms = _copy(m, index[tuple(a for a, _ in joint)])
            if received - paid:
                terms += ((Fraction(received - paid), None, "T"),)
            row.append(terms)
        entries.append(tuple(row))
    return PayoffMap(new_shape, tuple(entries), ("T",))


# -- payoff transformations ------------------------------------------------------


def shift_game(game: Game, shifts: Sequence) -> Game:
    """The game with U_i + shifts[i] for every player i (same actions)."""
    shifts = _fractions(list(shifts), "shifts")
    if len(shifts) != game.n_players:
        raise GameError(f"{len(shifts)} shifts for {game.n_players} players")
    values = {f"c{i}": c for i, c in enumerate(shifts)}
    return game.with_payoffs(evaluate_payoff_map(shift_map(game.shape), game.payoffs, values))


def scale_game(game: Game, factor) -> Game:
    """The game with every payoff multiplied by `factor` > 0 (same actions)."""
    factor = to_fraction(factor, "scale factor")
    if factor <= 0:
        raise GameError(f"the scale factor must be positive, not {factor}")
    return game.with_payoffs([[v * factor for v in row] for row in game.payoffs])


def permute_players(game: Game, permutation: Sequence[int]) -> Game:
    """The same game with players renumbered: new player k is old player
    permutation[k] (its actions, name and payoffs)."""
    n = game.n_players
    permutation = list(permutation)
    if sorted(permutation) != list(range(n)):
        raise GameError(f"{permutation} is not a permutation of 0..{n - 1}")
    new_actions = tuple(game.actions[old] for old in permutation)
    new_shape = tuple(len(a) for a in new_actions)
    payoffs: list[list[Fraction]] = [[] for _ in range(n)]
    for q in itertools.product(*(range(k) for k in new_shape)):
        old_profile = [0] * n
        for k, old in enumerate(permutation):
            old_profile[old] = q[k]
        outcome = game.outcome(old_profile)
        for k, old in enumerate(permutation):
            payoffs[k].append(outcome[old])
    return Game(
        new_actions,
        tuple(tuple(p) for p in payoffs),
        tuple(game.players[old] for old in permutation),
        game.title,
    )


def identical_players(game: Game, i: int, j: int) -> bool:
    """Seed 000's symmetry ("identical players", before Proposition 9): i and j
    have the same number of actions, and for every profile p, with q = p with
    i's and j's actions swapped, U_k(q) = U_k(p) for every other player k and
    U_i(p) = U_j(q). Actions are matched by index. A player is identical to itself."""
    _check_player(game, i)
    _check_player(game, j)
    if i == j:
        return True
    if game.shape[i] != game.shape[j]:
        return False
    for p in game.profiles():
        q = list(p)
        q[i], q[j] = p[j], p[i]
        here, swapped = game.outcome(p), game.outcome(q)
        if here[i] != swapped[j]:
            return False
        if any(here[k] != swapped[k] for k in range(game.n_players) if k not in (i, j)):
            return False
    return True


# -- adding actions ----------------------------------------------------------------


def extend_actions(game: Game, player: int, rows: Sequence, labels: Sequence[str] | None = None) -> Game:
    """The game with len(rows) new actions for `player`, appended after its
    existing ones. rows[k] lists, for each joint pure profile r of the OTHER
    players in storage order (`concepts.basic.opponent_profiles`), the
    n-tuple of payoffs when `player` plays new action k against r.
    Default labels: 'new1', 'new2', ... (made unique)."""
    _check_player(game, player)
    n = game.n_players
    others = _others(game, player)
    rows = [list(row) for row in rows]
    if labels is None:
        labels = [f"new{k + 1}" for k in range(len(rows))]
    labels = [str(label) for label in labels]
    if len(labels) != len(rows):
        raise GameError(f"{len(labels)} labels for {len(rows)} new actions")
    table: list[dict[tuple[int, ...], tuple[Fraction, ...]]] = []
    for k, row in enumerate(rows):
        if len(row) != len(others):
            raise GameError(
                f"new action {k} has {len(row)} payoff tuples; the other players have {len(others)} joint profiles"
            )
        entry = {}
        for r, values in zip(others, row):
            values = list(values)
            if len(values) != n:
                raise GameError(f"new action {k} against {r}: {len(values)} payoffs for {n} players")
            entry[r] = tuple(to_fraction(v, f"new action {k} against {r}") for v in values)
        table.append(entry)
    existing = list(game.actions[player])
    new_labels = []
    for label in labels:
        fresh = _fresh_label(existing + new_labels, label)
        new_labels.append(fresh)
    actions = list(game.actions)
    actions[player] = tuple(existing + new_labels)
    old_count = game.shape[player]
    shape = tuple(len(a) for a in actions)
    payoffs: list[list[Fraction]] = [[] for _ in range(n)]
    for p in itertools.product(*(range(k) for k in shape)):
        if p[player] < old_count:
            outcome = game.outcome(p)
        else:
            outcome = table[p[player] - old_count][p[:player] + p[player + 1:]]
        for i in range(n):
            payoffs[i].append(outcome[i])
    return Game(tuple(actions), tuple(tuple(p) for p in payoffs), game.players, game.title)


def add_mixture_action(game: Game, player: int, weights, label: str | None = None) -> Game:
    """The game with one new action for `player` (appended last) that is the
    mixture of its existing actions with `weights`: against each profile of
    the others, every player gets the weights-average of the payoffs.
    `weights`: a sequence over the player's actions, or a mapping from action
    index or label to weight; non-negative, summing to 1. Default label 'mix'."""
    _check_player(game, player)
    k = game.shape[player]
    if isinstance(weights, Mapping):
        w = [Fraction(0)] * k
        for action, value in weights.items():
            w[_action_index(game, player, action)] += to_fraction(value, f"weight of {action!r}")
    else:
        w = _fractions(list(weights), "weights")
        if len(w) != k:
            raise GameError(f"{len(w)} weights for player {player}'s {k} actions")
    if any(v < 0 for v in w):
        raise GameError(f"mixture weights must be non-negative: {[str(v) for v in w]}")
    if sum(w) != 1:
        raise GameError(f"mixture weights must sum to 1, they sum to {sum(w)}")
    pmap = new_action_map(game.shape, player, "mixture")
    return _with_new_action(game, player, label or "mix", pmap, {f"w{a}": v for a, v in enumerate(w)})


def _with_new_action(game: Game, player: int, label: str, pmap: PayoffMap, params: Mapping[str, Fraction]) -> Game:
    """The game of a one-new-action payoff map, the new action labelled `label` (made unique)."""
    actions = list(game.actions)
    actions[player] = tuple(actions[player]) + (_fresh_label(actions[player], label),)
    return Game(tuple(actions), tuple(tuple(r) for r in evaluate_payoff_map(pmap, game.payoffs, params)),
                game.players, game.title)


def add_duplicate_action(game: Game, player: int, action: int | str, label: str | None = None) -> Game:
    """The game with a copy of `player`'s `action` (index or label) appended
    as a new last action, with identical payoffs. Default label: the original's
    label with '#2' (or the next free number)."""
    _check_player(game, player)
    a = _action_index(game, player, action)
    return _with_new_action(game, player, label or game.actions[player][a],
                            new_action_map(game.shape, player, "duplicate", a), {})


def conditional_threat_game(
    game: Game, player: int, action: int | str, penalties: Sequence, label: str | None = None
) -> Game:
    """The game with a modified copy of `player`'s `action` appended: against
    the others' joint profile r (storage order, `opponent_profiles`), each
    other player j loses penalties[r][j'] ≥ 0, where j' indexes the other
    players in order (with two players, a bare number per r will do);
    `player`'s own payoff is unchanged. With constant
    penalties this is an unconditional (torture-button) threat; with penalties
    that depend on r it punishes some responses more than others (SPEC §4
    'conditional-threat'). Default label: the original's label + '|threat'."""
    _check_player(game, player)
    a = _action_index(game, player, action)
    others = _others(game, player)
    n = game.n_players
    # With two players a row may be a bare number (the one other player's loss).
    penalties = [list(row) if isinstance(row, (list, tuple)) else [row] for row in penalties]
    if len(penalties) != len(others):
        raise GameError(f"{len(penalties)} penalty rows; the other players have {len(others)} joint profiles")
    row = []
    for r, pen in zip(others, penalties):
        if len(pen) != n - 1:
            raise GameError(f"penalties against {r} list {len(pen)} amounts for {n - 1} other players")
        amounts = _fractions(pen, f"penalties against {r}")
        if any(v < 0 for v in amounts):
            raise GameError(f"penalties against {r} must be non-negative: {[str(v) for v in amounts]}")
        outcome = list(game.outcome(_insert(r, player, a)))
        others_idx = [j for j in range(n) if j != player]
        for j, v in zip(others_idx, amounts):
            outcome[j] -= v
        row.append(tuple(outcome))
    return extend_actions(game, player, [row], [label or f"{game.actions[player][a]}|threat"])


# -- games built from action products --------------------------------------------------


def _product_game(
    game: Game,
    extras: Sequence[Sequence[tuple[str, object]]],
    adjust,
    title: str,
) -> Game:
    """Each player i's actions become (original action, extra choice) for the
    extra choices extras[i] = [(label suffix, data), ...] (first choice = the
    plain action); payoffs are `adjust(outcome, [data_i for each player])`."""
    n = game.n_players
    actions = []
    for i in range(n):
        labels = [a + suffix for a in game.actions[i] for suffix, _ in extras[i]]
        actions.append(_unique_labels(labels))
    payoffs: list[list[Fraction]] = [[] for _ in range(n)]
    choices = [list(itertools.product(range(game.shape[i]), range(len(extras[i])))) for i in range(n)]
    for joint in itertools.product(*choices):
        outcome = adjust(game.outcome([a for a, _ in joint]), [extras[i][e][1] for i, (_, e) in enumerate(joint)])
        for i in range(n):
            payoffs[i].append(outcome[i])
    return Game(tuple(actions), tuple(tuple(p) for p in payoffs), game.players, title)


def destruction_game(game: Game, caps: Sequence[Sequence]) -> Game:
    """The destruction game of SPEC §4 'threat' (seed 000, Proposition 7), in
    finite form. caps[i][j] = D_ij ≥ 0 (diagonal ignored). Each player i's
    action becomes (original action, a burn level in {0, D_ij} for each j ≠ i
    with D_ij > 0); player j's utility drops by the sum of the burns aimed at
    j, and burning costs the burner nothing. Actions are ordered by original
    action first, the no-burn copy first; labels are 'a', 'a|burn2',
    'a|burn2|burn3' (burn targets numbered from 1, like the default player
    names). Zero caps add no actions."""
    n = game.n_players
    d = _matrix(game, caps, "caps")
    extras = []
    for i in range(n):
        targets = [(j, d[i][j]) for j in range(n) if j != i and d[i][j] > 0]
        extras.append([("".join(f"|burn{j + 1}" for j, _ in choice), choice) for choice in _binary_choices(targets)])

    def adjust(outcome, burns):
        result = list(outcome)
        for choice in burns:
            for j, amount in choice:
                result[j] -= amount
        return result

    return _product_game(game, extras, adjust, f"{game.title} destruction game".strip())


def payment_game(game: Game, amount) -> Game:
    """The payment game of SPEC §4 'money' (seed 000, Proposition 8), in finite
    form: every player i may additionally pay each other player j the amount
    T = `amount` ≥ 0 or nothing. Actions are (original action, payments),
    the no-payment copy first, labelled 'a', 'a|pay2', 'a|pay2|pay3' (payees
    numbered from 1); utilities change by the net transfer received. T = 0
    adds no actions."""
    amount = to_fraction(amount, "payment amount")
    if amount < 0:
        raise GameError(f"the payment amount must be non-negative, not {amount}")
    title = f"{game.title} payment game".strip()
    if amount == 0:
        return Game(game.actions, game.payoffs, game.players, title)
    n = game.n_players
    actions = tuple(_unique_labels([a + "".join(f"|pay{j + 1}" for j in choice) for a in game.actions[i]
                                    for choice in _payment_choices(n, i)]) for i in range(n))
    payoffs = evaluate_payoff_map(payment_map(game.shape), game.payoffs, {"T": amount})
    return Game(actions, tuple(tuple(r) for r in payoffs), game.players, title)


def parallel_sum(g: Game, h: Game, d=1, e=1) -> Game:
    """dG + eH (seed 000, Proposition 3): G and H played in parallel by the
    same players; player i's actions are pairs (a_g, a_h), a_g varying slowest,
    labelled 'a_g&a_h'; payoffs d·U^G_i + e·U^H_i with d, e ≥ 0."""
    if g.n_players != h.n_players:
        raise GameError(f"parallel sum of a {g.n_players}-player and a {h.n_players}-player game")
    d = to_fraction(d, "weight d")
    e = to_fraction(e, "weight e")
    if d < 0 or e < 0:
        raise GameError(f"parallel-sum weights must be non-negative, not d={d}, e={e}")
    n = g.n_players
    pairs = [list(itertools.product(range(g.shape[i]), range(h.shape[i]))) for i in range(n)]
    actions = tuple(_unique_labels([f"{g.actions[i][a]}&{h.actions[i][b]}" for a, b in pairs[i]]) for i in range(n))
    payoffs: list[list[Fraction]] = [[] for _ in range(n)]
    for joint in itertools.product(*pairs):
        og = g.outcome([a for a, _ in joint])
        oh = h.outcome([b for _, b in joint])
        for i in range(n):
            payoffs[i].append(d * og[i] + e * oh[i])
    title = f"{format_fraction(d)}*({g.title or 'G'}) + {format_fraction(e)}*({h.title or 'H'})"
    return Game(actions, tuple(tuple(p) for p in payoffs), g.players, title)


def add_null_player(game: Game, position: int | None = None) -> Game:
    """The game with a new player inserted at `position` (default: last) that
    has one action ('null') and utility 0 everywhere; the others' payoffs are
    unchanged (the profile simply gains the null player's only action)."""
    n = game.n_players
    if position is None:
        position = n
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= n:
        raise GameError(f"null player position {position!r} is outside 0..{n}")
    actions = list(game.actions)
    actions.insert(position, ("null",))
    players = list(game.players)
    players.insert(position, _fresh_label(players, "Null"))
    payoffs = evaluate_payoff_map(null_player_map(game.shape, position), game.payoffs)
    return Game(tuple(actions), tuple(tuple(p) for p in payoffs), tuple(players), game.title)
