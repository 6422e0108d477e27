"""The interval branch and bound for n-player ROSE (`specs/concepts/rose_interval.py`):
its float enclosures contain the exact values of `rose.py`, reach their target on
2- and 3-player games, and stay sound when the time budget cuts them short."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargaincheck.specs.concepts.basic import total_surplus
from bargaincheck.specs.concepts.rose import rose_joint_value, rose_value
from bargaincheck.specs.concepts.rose2 import rose2_value
from bargaincheck.specs.concepts.rose_interval import rose_interval_value
from bargaincheck.specs.games import Game, GameError
from bargaincheck.specs.nfg import read_game_file
from strategies import games

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SHAPES = ((2, 2), (2, 3), (2, 2, 1), (2, 2, 2))
SOME = settings(max_examples=40, deadline=None)
FEW = settings(max_examples=15, deadline=None)

small_games = st.sampled_from(SHAPES).flatmap(lambda shape: games(shape=shape, bound=10))


# -- fixed cases ---------------------------------------------------------------------


def test_two_player_enclosure_contains_the_hand_computed_value():
    """U1 = [[2,0],[0,0]], U2 = [[0,0],[0,1]], M = 2. Player 1 leading with
    (p, 1−p): max(2p, 1−p) − (1−p), largest at p = 1: S_1 = 2. Player 2 leading
    with (q, 1−q): max(2q, 1−q) − 2q, largest at q = 0: S_2 = 1. ROSE =
    M/2 ± (S_1 − S_2)/2 = (3/2, 1/2)."""
    game = Game.from_arrays([[[2, 0], [0, 0]], [[0, 0], [0, 1]]])
    assert rose2_value(game) == (Fraction(3, 2), Fraction(1, 2))
    enclosure = rose_interval_value(game)
    assert enclosure.contains((Fraction(3, 2), Fraction(1, 2)))
    assert not enclosure.contains((Fraction(3, 2) + Fraction(1, 10**5), Fraction(1, 2)))


def test_bomb_example_enclosure_contains_nineteen_halves_for_each_housemate_and_zero_for_the_bomb():
    """Seed 000's bomb (examples/bomb.nfg): ROSE = (19/2, 19/2, 0), see test_examples.py."""
    game = read_game_file(EXAMPLES / "bomb.nfg")
    enclosure = rose_interval_value(game)
    assert enclosure.contains((Fraction(19, 2), Fraction(19, 2), 0))
    assert enclosure.width <= 1e-6


def test_one_player_gets_its_best_payoff():
    enclosure = rose_interval_value(Game.from_arrays([[3, -1, 5]]))
    assert enclosure.contains((5,))
    assert not enclosure.contains((Fraction(49, 10),))


def test_a_tiny_time_budget_times_out_with_a_sound_enclosure():
    """A 2x2x2 game whose searches do not close at the root: with a budget far
    below one node the enclosure is wide, flagged, and still holds the value."""
    outcomes = [[4, -1, 0], [5, 3, -5], [2, -2, 5], [-5, -3, -4], [0, 2, -2], [1, 3, -4], [4, -2, -5], [-2, 1, -1]]
    game = Game.from_function((2, 2, 2), lambda p: outcomes[4 * p[0] + 2 * p[1] + p[2]])
    exact = rose_value(game)
    enclosure = rose_interval_value(game, seconds=1e-9)
    assert enclosure.timed_out
    assert enclosure.width > 1e-6
    assert enclosure.contains(exact.values, exact.error_bound)


@pytest.mark.parametrize("target", [0, -1.0, float("nan"), "wide"])
def test_a_target_that_is_not_a_positive_number_is_a_game_error(target):
    game = Game.from_arrays([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
    with pytest.raises(GameError, match="target"):
        rose_interval_value(game, target=target)


def test_a_time_budget_that_is_not_positive_is_a_game_error():
    game = Game.from_arrays([[[1, 0], [0, 1]], [[1, 0], [0, 1]]])
    with pytest.raises(GameError, match="seconds"):
        rose_interval_value(game, seconds=0)


def test_a_payoff_array_instead_of_a_game_is_a_game_error():
    with pytest.raises(GameError, match="needs a Game"):
        rose_interval_value([[1, 0], [0, 1]])


# -- properties ----------------------------------------------------------------------


@SOME
@given(small_games)
def test_enclosure_contains_the_exact_rose_value(game):
    exact = rose_value(game)
    enclosure = rose_interval_value(game)
    assert enclosure.contains(exact.values, exact.error_bound), (enclosure.bounds, exact.values)


@SOME
@given(small_games)
def test_joint_enclosure_contains_the_exact_rose_joint_value(game):
    exact = rose_joint_value(game)
    enclosure = rose_interval_value(game, joint=True)
    assert enclosure.contains(exact.values, exact.error_bound), (enclosure.bounds, exact.values)


@FEW
@given(small_games)
def test_enclosure_reaches_its_target_on_two_and_three_player_games(game):
    enclosure = rose_interval_value(game, target=1e-6)
    assert not enclosure.timed_out
    assert enclosure.width <= 1e-6


@FEW
@given(games(shape=(2, 2, 2), bound=10))
def test_enclosures_sum_to_an_interval_around_the_total_surplus(game):
    """Pareto (seed Proposition 4): Σ ROSE_i = M, so the enclosures' sums bracket M."""
    enclosure = rose_interval_value(game)
    low = sum(Fraction(lo) for lo, _ in enclosure.bounds)
    high = sum(Fraction(hi) for _, hi in enclosure.bounds)
    assert low <= total_surplus(game) <= high


@FEW
@given(games(shape=(2, 2, 2), bound=10), st.floats(1e-6, 1e-2))
def test_an_enclosure_cut_short_by_its_time_budget_still_contains_the_exact_value(game, seconds):
    exact = rose_value(game)
    enclosure = rose_interval_value(game, seconds=seconds)
    assert enclosure.contains(exact.values, exact.error_bound), (enclosure.bounds, exact.values)


# -- the error analysis (module docstring) -------------------------------------------


def test_gamma_bounds_highams_constant_from_above():
    """γ(m) = m·u/(1 − m·u) in exact arithmetic is below the float `_gamma(m)`."""
    from bargaincheck.specs.concepts.rose_interval import _UNIT, _gamma

    unit = Fraction(_UNIT)
    assert unit == Fraction(1, 2**53)
    for m in list(range(1, 3000)) + [10**k for k in range(4, 12)]:
        exact = m * unit / (1 - m * unit)
        assert exact <= Fraction(_gamma(m)) <= exact * (1 + 16 * unit), m


def test_the_tails_rounding_widens_every_coalition_value_by_two_to_the_n_times_delta():
    """Thirds and tenths are not floats: δ = max |float(tail) − tail| > 0, and the
    widening of every W_b is at least 2^n·δ (module docstring)."""
    from bargaincheck.specs.concepts.rose_interval import _Initiative

    thirds = [[Fraction(1, 3), Fraction(-7, 10), Fraction(2, 3)], [Fraction(1, 10), Fraction(5, 3), Fraction(-1, 3)]]
    game = Game.from_function((2, 1, 2), lambda p: thirds[p[0]][:2] + [thirds[p[2]][2]])
    for ordering in ((0, 1, 2), (2, 1, 0)):
        problem = _Initiative(game, ordering, 1e-6, float("inf"))
        delta = Fraction(0)
        for profile in game.profiles():
            outcome = game.outcome(profile)
            acc = Fraction(0)
            for j in reversed(ordering):
                acc += outcome[j]
                delta = max(delta, abs(Fraction(float(acc)) - acc))
        assert delta > 0
        assert Fraction(problem.shift) >= 2**3 * delta
        assert Fraction(problem.shift) <= 2**3 * delta * (1 + Fraction(1, 2**40))


def test_integer_payoffs_need_no_widening_for_the_tails():
    from bargaincheck.specs.concepts.rose_interval import _Initiative

    game = Game.from_function((2, 2, 2), lambda p: [p[0] - p[1], 3 * p[2], -2])
    assert _Initiative(game, (0, 1, 2), 1e-6, float("inf")).shift == 0.0


def test_a_one_player_enclosure_reports_its_own_time():
    import time

    start = time.perf_counter()
    enclosure = rose_interval_value(Game.from_arrays([[3, -1, 5]]))
    assert 0 <= enclosure.seconds <= time.perf_counter() - start
    assert enclosure.nodes == 0 and not enclosure.timed_out


# -- four players: the nested levels ---------------------------------------------------

FOUR = settings(max_examples=4, deadline=None)


def test_a_four_player_enclosure_contains_the_exact_rose_value():
    """A fixed 1x2x1x2 game: the nested searches' enclosure holds `rose_value`'s
    values (within its proven error bound) and sums around M."""
    outcomes = {(0, 0, 0, 0): [1, 3, -2, 0], (0, 0, 0, 1): [0, -1, 2, 3], (0, 1, 0, 0): [2, 2, 1, -3],
                (0, 1, 0, 1): [-1, 0, 0, 4]}
    game = Game.from_function((1, 2, 1, 2), lambda p: outcomes[tuple(p)])
    exact = rose_value(game)
    enclosure = rose_interval_value(game, target=1e-3, seconds=20)
    assert enclosure.contains(exact.values, exact.error_bound), (enclosure.bounds, exact.values)
    assert enclosure.width <= 1e-3


@FOUR
@given(st.sampled_from(((2, 1, 1, 2), (1, 2, 1, 2))).flatmap(lambda shape: games(shape=shape, bound=5)))
def test_four_player_enclosure_contains_the_exact_rose_value_and_is_tight(game):
    """The nested searches (n ≥ 4) stay sound and reach 1e-3 on small 4-player
    games; `rose_value`'s own proven error bound is the slack."""
    exact = rose_value(game)
    enclosure = rose_interval_value(game, target=1e-3, seconds=20)
    assert enclosure.contains(exact.values, exact.error_bound), (enclosure.bounds, exact.values)
    assert not enclosure.timed_out and enclosure.width <= 1e-3
    low = sum(Fraction(lo) for lo, _ in enclosure.bounds)
    high = sum(Fraction(hi) for _, hi in enclosure.bounds)
    assert low <= total_surplus(game) <= high


def test_four_player_joint_enclosure_contains_the_exact_rose_joint_value():
    outcomes = {(0, 0, 0, 0): [3, -1, 0, 2], (0, 0, 0, 1): [-2, 4, 1, 0], (1, 0, 0, 0): [0, 2, -3, 1],
                (1, 0, 0, 1): [1, 1, 2, -2]}
    game = Game.from_function((2, 1, 1, 2), lambda p: outcomes[tuple(p)])
    exact = rose_joint_value(game)
    enclosure = rose_interval_value(game, joint=True, target=1e-3, seconds=20)
    assert enclosure.joint
    assert enclosure.contains(exact.values, exact.error_bound), (enclosure.bounds, exact.values)
