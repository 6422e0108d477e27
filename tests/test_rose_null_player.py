"""The n-player ROSE value on 4-player games: the null-player property (a
player with one action and utility 0 gets 0, the others keep their values)
and honest error bounds on the nested levels (seed 000, Definitions 1-4)."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from bargaincheck.specs.concepts.rose import initiative_values, rose_value
from bargaincheck.specs.games import Game
from bargaincheck.specs.transforms import add_null_player

# Small budgets keep each 4-player evaluation to a second or two; the error
# bounds then widen, but the properties hold within whatever bound is reported.
BUDGET = 4

# A 2x2x2 game whose ROSE value is exact: (3/4, 5/9, 25/36).
THREE_PLAYER = Game.from_arrays(
    [
        [[[-1, 0], [0, 1]], [[0, 0], [1, 0]]],
        [[[0, -1], [0, 1]], [[-1, 0], [0, 0]]],
        [[[0, 0], [1, 0]], [[1, 0], [0, 1]]],
    ]
)

# A 2x2x1x2 game: player 2 has one action but nonzero payoffs.
ONE_ACTION_THIRD = Game.from_arrays(
    [
        [[[[-2, -1]], [[-1, -1]]], [[[0, 0]], [[1, 2]]]],
        [[[[-2, 0]], [[2, 1]]], [[[2, -2]], [[0, -1]]]],
        [[[[-2, 0]], [[-2, 1]]], [[[1, -2]], [[1, 2]]]],
        [[[[0, 2]], [[2, 2]]], [[[2, 0]], [[1, -1]]]],
    ]
)


def random_three_player_game(rng: random.Random, bound: int) -> Game:
    return Game.from_function((2, 2, 2), lambda _: tuple(rng.randint(-bound, bound) for _ in range(3)))


def assert_null_player_gets_nothing(three, four, position: int) -> None:
    """`four` is ROSE of the game with a null player at `position`, `three` ROSE
    of the game without it: the null player's value is 0 and the others' are
    unchanged, each within the error bounds reported."""
    assert abs(four.values[position]) <= four.error_bound
    others = four.values[:position] + four.values[position + 1:]
    for with_null, without in zip(others, three.values):
        assert abs(with_null - without) <= four.error_bound + three.error_bound


# -- the null-player property -------------------------------------------------------


def test_three_player_reference_value_is_exact():
    valuation = rose_value(THREE_PLAYER)
    assert valuation.error_bound == 0
    assert valuation.values == (Fraction(3, 4), Fraction(5, 9), Fraction(25, 36))


@pytest.mark.parametrize("position", range(4))
def test_null_player_gets_zero_and_leaves_the_others_their_values(position):
    """With the null player inserted anywhere, the orderings that rank it
    second or later run the nested levels (n = 4), whose interval differences
    must stay sound: subtracting the enclosures endpoint by endpoint instead
    gives the null player 1/36 here while claiming exactness."""
    three = rose_value(THREE_PLAYER)
    four = rose_value(add_null_player(THREE_PLAYER, position), max_nodes=BUDGET)
    assert_null_player_gets_nothing(three, four, position)


@pytest.mark.parametrize("seed", range(3))
def test_null_player_property_on_random_games(seed):
    rng = random.Random(seed)
    three_game = random_three_player_game(rng, bound=1)
    position = rng.randrange(4)
    three = rose_value(three_game)
    four = rose_value(add_null_player(three_game, position), max_nodes=BUDGET)
    assert_null_player_gets_nothing(three, four, position)


@pytest.mark.parametrize("seed", range(4))
def test_null_player_has_zero_initiative_value_in_every_ordering(seed):
    """The property holds ordering by ordering: the null player's initiative
    value is 0 at any rank, and the others' match the 3-player ordering."""
    rng = random.Random(100 + seed)
    three_game = random_three_player_game(rng, bound=3)
    position = rng.randrange(4)
    four_game = add_null_player(three_game, position)
    for ordering in rng.sample(list(itertools.permutations(range(4))), 3):
        four = initiative_values(four_game, ordering, max_nodes=BUDGET)
        rank = ordering.index(position)
        three_ordering = tuple(p - (p > position) for p in ordering if p != position)
        three = initiative_values(three_game, three_ordering, max_nodes=BUDGET)
        assert abs(four.values[rank]) <= four.errors[rank]
        rest = [(v, e) for r, (v, e) in enumerate(zip(four.values, four.errors)) if r != rank]
        for (value, error), value3, error3 in zip(rest, three.values, three.errors):
            assert abs(value - value3) <= error + error3


# -- honest bounds against an independent evaluation -----------------------------------


def _rank_tails(game: Game, ordering) -> dict:
    """Ranked profile -> (S_0, ..., S_{n-1}), S_a = Σ of the payoffs of ranks ≥ a."""
    n = game.n_players
    shape = [game.shape[p] for p in ordering]
    tails = {}
    for ranked in itertools.product(*(range(k) for k in shape)):
        profile = [0] * n
        for r, act in enumerate(ranked):
            profile[ordering[r]] = act
        outcome = game.outcome(profile)
        tails[ranked] = tuple(sum((outcome[ordering[j]] for j in range(a, n)), Fraction(0)) for a in range(n))
    return tails


def _third_rank_level(tails, shape, t0: Fraction, a: int) -> Fraction:
    """V(μ, a+1, 3) (seed's 1-based ranks) of a 4-player ordering whose rank 2
    has one action, at μ = (t0, 1 − t0) on rank 1: the max over rank 3's
    weight t of max_y E[S_a] − max_y E[S_3] (rank 4 picks y; `a` and S are
    0-based). A difference of maxima of lines in t: the max is at t = 0,
    t = 1 or where two of the lines cross. Exact."""

    def lines(term: int) -> list[tuple[Fraction, Fraction]]:
        # per action y of rank 4: (value at t = 1, value at t = 0)
        def expected(x: int, y: int) -> Fraction:
            return t0 * tails[(0, 0, x, y)][term] + (1 - t0) * tails[(1, 0, x, y)][term]

        return [(expected(0, y), expected(shape[2] - 1, y)) for y in range(shape[3])]

    def at(group, t: Fraction) -> Fraction:
        return max(t * p + (1 - t) * q for p, q in group)

    total, own = lines(a), lines(3)
    candidates = {Fraction(0), Fraction(1)}
    for group in (total, own):
        for (p1, q1), (p2, q2) in itertools.combinations(group, 2):
            slope = (p1 - q1) - (p2 - q2)
            if slope and 0 < (q2 - q1) / slope < 1:
                candidates.add((q2 - q1) / slope)
    return max(at(total, t) - at(own, t) for t in candidates)


def first_coalition_value_on_a_grid(game: Game, ordering, steps: int) -> tuple[Fraction, Fraction]:
    """Enclosure of W_1 (1-based: the coalition of the first rank alone) of a
    4-player ordering whose rank 2 has one action and rank 1 two, computed
    directly from Definitions 3-4: W_1 = max over t0 of h(t0) = V(t0, 1, 3) −
    V(t0, 2, 3) (rank 2 has nothing to choose), on the grid t0 = i/steps.
    Changing t0 by δ moves every expectation of S_a by at most δ·range(S_a);
    maxima keep such constants and differences add them, so h is Lipschitz
    with L = range(S_1) + range(S_2) + 2 range(S_4) and the maximum is within
    L/(2 steps) above the best grid value."""
    shape = [game.shape[p] for p in ordering]
    assert shape[0] == 2 and shape[1] == 1 and shape[2] <= 2
    tails = _rank_tails(game, ordering)

    def spread(a: int) -> Fraction:
        values = [s[a] for s in tails.values()]
        return max(values) - min(values)

    lipschitz = spread(0) + spread(1) + 2 * spread(3)
    best = max(
        _third_rank_level(tails, shape, Fraction(i, steps), 0)
        - _third_rank_level(tails, shape, Fraction(i, steps), 1)
        for i in range(steps + 1)
    )
    return best, best + lipschitz / (2 * steps)


def test_grid_evaluation_agrees_with_the_exact_three_player_case():
    """Sanity check of the independent evaluation: with a null player at rank
    2, W_1 is the 3-player W_1 of the remaining ordering, which is exact."""
    four_game = add_null_player(THREE_PLAYER, 0)
    lo, hi = first_coalition_value_on_a_grid(four_game, (3, 0, 2, 1), steps=400)
    exact, _ = initiative_values(THREE_PLAYER, (2, 1, 0)).coalition_bounds[0]
    assert exact == Fraction(2, 3)
    assert lo <= exact <= hi


@pytest.mark.parametrize(
    "game, ordering",
    [
        (add_null_player(THREE_PLAYER, 0), (3, 0, 2, 1)),
        (add_null_player(THREE_PLAYER, 0), (1, 0, 3, 2)),
        (ONE_ACTION_THIRD, (0, 2, 3, 1)),
        (ONE_ACTION_THIRD, (0, 2, 1, 3)),
        (ONE_ACTION_THIRD, (3, 2, 1, 0)),
    ],
)
def test_nested_level_bound_contains_the_independently_computed_value(game, ordering):
    """The first coalition value is where 4-player orderings use the nested
    levels (an inner search over rank 2 per context cell): its proven
    enclosure must meet the grid enclosure of the same value."""
    lo, hi = initiative_values(game, ordering).coalition_bounds[0]
    grid_lo, grid_hi = first_coalition_value_on_a_grid(game, ordering, steps=400)
    assert lo <= grid_hi and grid_lo <= hi
