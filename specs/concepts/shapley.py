"""Shapley amplification of a two-player value to n players (SPEC §3).

Each coalition S plays "S vs N∖S" as a two-player game (joint actions, joint
mixed strategies, summed utility); v(S) is S's two-player value there, and
    φ_i = Σ_{S∋i} (n−s)!(s−1)!/n! · (v(S) − v(N∖S)).
This equals the standard marginal-contribution formula applied to v: the
term −v(N∖S) for S ∋ i is the term −v(T) for T = N∖S ∌ i with the same weight
(n−s)!(s−1)!/n! = t!(n−t−1)!/n!, so the two sums agree term by term
(`shapley_marginal` computes the standard one; a test compares them)."""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import factorial
from typing import Callable, Sequence

from ..games import Game
from ..transforms import coalition_game

__all__ = ["coalition_values", "shapley_amplify", "shapley_marginal"]

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
