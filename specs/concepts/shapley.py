"""Shapley amplification of a two-player value to n players (SPEC §3).

Each coalition S plays "S vs N∖S" as a two-player game (joint actions, joint
mixed strategies, summed utility); v(S) is S's two-player value there, and
    φ_i = Σ_{S∋i} (n−s)!(s−1)!/n! · (v(S) − v(N∖S)).
This equals the standard marginal-contribution formula applied to v: the
term −v(N∖S) for S ∋ i is the term −v(T) for T = N∖S ∌ i with the same weight
(n−s)!(s−1)!/n! = t!(n−t−1)!/n!, so the two sums agree term by term
(`shapley_marginal` computes the standard one; a test compares them).

`shapley_definition` is the amplification inside the concept algebra, the
one definition of the built-in shapley-coco and shapley-rose (their exact
values and SMT encodings are its readings); `shapley_amplify` amplifies any
two-player function, algebraic or not."""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import factorial
from typing import Callable, Sequence

from ..games import Game
from ..transforms import coalition_game
from .algebra import Definition, Expr, GameRef

__all__ = ["coalition_values", "shapley_amplify", "shapley_marginal", "shapley_definition"]

TwoPlayerValue = Callable[[Game], Sequence[Fraction]]


def coalition_values(game: Game, value: TwoPlayerValue) -> dict[frozenset[int], Fraction]:
    """v(S) for every coalition S (the empty one included), where v(S) is the
    first coordinate of `value` on the game "S vs N∖S"."""
    n = game.n_players
    result = {}
    for size in range(n + 1):
        for members in itertools.combinations(range(n), size):
            result[frozenset(members)] = Fraction(value(coalition_game(game, members))[0])
    return result


def shapley_amplify(game: Game, value: TwoPlayerValue) -> tuple[Fraction, ...]:
    """φ_i = Σ_{S∋i} (n−s)!(s−1)!/n! (v(S) − v(N∖S)). Exact if `value` is."""
    n = game.n_players
    v = coalition_values(game, value)
    everyone = frozenset(range(n))
    phi = []
    for i in range(n):
        total = Fraction(0)
        for coalition, v_s in v.items():
            if i in coalition:
                s = len(coalition)
                weight = Fraction(factorial(n - s) * factorial(s - 1), factorial(n))
                total += weight * (v_s - v[everyone - coalition])
        phi.append(total)
    return tuple(phi)


def shapley_marginal(n: int, v: dict[frozenset[int], Fraction]) -> tuple[Fraction, ...]:
    """The standard Shapley value of the characteristic function v:
    φ_i = Σ_{S ⊆ N∖{i}} s!(n−s−1)!/n! (v(S∪{i}) − v(S))."""
    phi = []
    for i in range(n):
        others = [j for j in range(n) if j != i]
        total = Fraction(0)
        for size in range(n):
            weight = Fraction(factorial(size) * factorial(n - size - 1), factorial(n))
            for members in itertools.combinations(others, size):
                s = frozenset(members)
                total += weight * (v[s | {i}] - v[s])
        phi.append(total)
    return tuple(phi)


def shapley_definition(two_player: Definition) -> Definition:
    """The Shapley amplification of a two-player definition, for any number
    of players. With two players it is the two-player value itself: there
    φ_1 = ½(v({1}) − v({2})) + ½(v(N) − v(∅)), which is the two-player value
    for the efficient concepts amplified here (coco, rose: φ_1 + φ_2 = M);
    the differential tests compare it with `shapley_amplify`."""
    pair = two_player.build

    def amplified(g: GameRef) -> tuple[Expr, ...]:
        n = g.n_players
        if n == 2:
            return tuple(pair(g))
        v: dict[frozenset[int], Expr] = {}
        for size in range(n + 1):
            for members in itertools.combinations(range(n), size):
                v[frozenset(members)] = pair(g.coalition(members))[0]
        everyone = frozenset(range(n))
        phi = []
        for i in range(n):
            total: Expr | int = 0
            for coalition, v_s in v.items():
                if i in coalition:
                    s = len(coalition)
                    total = total + (v_s - v[everyone - coalition]) * Fraction(factorial(n - s) * factorial(s - 1),
                                                                               factorial(n))
            phi.append(total)
        return tuple(phi)

    amplified.__name__ = amplified.__qualname__ = f"shapley_{pair.__name__}"
    return Definition(amplified, 1)
