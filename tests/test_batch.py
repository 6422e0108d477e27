"""The batched float atoms (specs/batch.py) against the exact (Fraction)
functions they mirror, on Hypothesis-generated games.

Tolerance: |float − exact| ≤ TOLERANCE·(1 + max |payoff|). Vertex enumeration
is exact in exact arithmetic; what is left is the rounding of small linear
solves and sums, some 1e-15 relative on these shapes, so 1e-9 leaves a wide
margin and still catches any wrong vertex (whose error is of the order of
the payoffs' spacing, 1/6 here)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings, strategies as st

from strategies import games, shapes

from bargaincheck.specs import batch
from bargaincheck.specs.concepts.basic import max_payoff, maximin_value, total_surplus, zero_sum_value
from bargaincheck.specs.concepts.rose2 import extractable_surplus, leader_matrices
from bargaincheck.specs.games import Game
from bargaincheck.specs.transforms import coalition_game

TOLERANCE = 1e-9
SETTINGS = settings(max_examples=40, deadline=None)


@st.composite
def game_batches(draw, n_players=(1, 3), actions=(1, 4)):
    """A few games of one shape, payoffs in halves and thirds."""
    shape = draw(shapes(n_players, actions))
    return draw(st.lists(games(shape=shape, bound=6, denominators=(1, 2, 3)), min_size=1, max_size=6))


def _close(floats, exact, game: Game) -> bool:
    return abs(float(floats) - float(exact)) <= TOLERANCE * (1 + float(game.max_abs_payoff()))


@SETTINGS
@given(game_batches())
def test_total_surplus_and_max_payoffs_match_the_exact_ones(batch_games):
    payoffs = batch.payoff_batch(batch_games)
    m, tops = batch.total_surplus(payoffs), batch.max_payoffs(payoffs)
    for b, game in enumerate(batch_games):
        assert _close(m[b], total_surplus(game), game)
        assert list(tops[b]) == [float(max_payoff(game, i)) for i in range(game.n_players)]  # rounding is monotone


@SETTINGS
@given(game_batches())
def test_maximin_values_match_the_exact_lp(batch_games):
    values = batch.maximin_values(batch.payoff_batch(batch_games))
    for b, game in enumerate(batch_games):
        for i in range(game.n_players):
            assert _close(values[b, i], maximin_value(game, i), game)


@SETTINGS
@given(game_batches(n_players=2))
def test_zero_sum_values_match_the_exact_lp(batch_games):
    payoffs = batch.payoff_batch(batch_games)
    values = batch.matrix_game_values(payoffs[:, 0] - payoffs[:, 1])
    for b, game in enumerate(batch_games):
        rows, cols = game.shape
        matrix = [[game.payoff(0, (r, c)) - game.payoff(1, (r, c)) for c in range(cols)] for r in range(rows)]
        assert _close(values[b], zero_sum_value(matrix), game)


@SETTINGS
@given(game_batches(n_players=2), st.sampled_from([0, 1]))
def test_extractable_surplus_matches_the_exact_lps(batch_games, leader):
    surplus = batch.extractable_surplus(*batch.leader_matrices(batch.payoff_batch(batch_games), leader))
    for b, game in enumerate(batch_games):
        assert _close(surplus[b], extractable_surplus(*leader_matrices(game, leader)), game)


@SETTINGS
@given(game_batches(n_players=(2, 3), actions=(1, 3)), st.data())
def test_coalition_payoffs_are_the_coalition_games(batch_games, data):
    n = batch_games[0].n_players
    members = data.draw(st.sets(st.integers(0, n - 1)))
    coalitions = batch.coalition_payoffs(batch.payoff_batch(batch_games), members)
    exact = batch.payoff_batch([coalition_game(g, sorted(members)) for g in batch_games])
    assert coalitions.shape == exact.shape
    assert np.allclose(coalitions, exact, rtol=0, atol=TOLERANCE)  # sums rounded in another order


def test_rock_paper_scissors_has_value_zero_at_an_interior_vertex():
    """The only optimal strategy is (1/3, 1/3, 1/3): no face of the simplex
    holds it, so the enumeration must solve a full system."""
    rps = np.array([[[0, -1, 1], [1, 0, -1], [-1, 1, 0]]], dtype=float)
    shifted = rps + np.array([[[0.5, 0, 0], [0, 0, 0], [0, 0, 0]]])  # still fully mixed; exact value 1/18
    assert abs(batch.matrix_game_values(rps)[0]) < 1e-15
    assert abs(batch.matrix_game_values(shifted)[0] - 1 / 18) < 1e-15
    assert zero_sum_value(shifted[0].tolist()) == Fraction(1, 18)


def test_matching_pennies_is_worth_zero_and_a_saddle_point_its_entry():
    matrices = np.array([[[1, -1], [-1, 1]], [[3, 5], [2, 1]]], dtype=float)
    assert list(batch.matrix_game_values(matrices)) == [0.0, 3.0]


def test_shapes_beyond_the_work_limit_fall_back_to_the_exact_functions(monkeypatch):
    rng = np.random.default_rng(5)
    matrices = rng.integers(-4, 5, size=(5, 3, 3)).astype(float)
    enumerated = batch.matrix_game_values(matrices)
    surplus = batch.extractable_surplus(matrices, matrices[:, ::-1])
    monkeypatch.setattr(batch, "MAX_WORK", 1)
    assert np.allclose(batch.matrix_game_values(matrices), enumerated, atol=1e-12)
    assert np.allclose(batch.extractable_surplus(matrices, matrices[:, ::-1]), surplus, atol=1e-12)


def test_a_batch_of_two_shapes_is_refused():
    try:
        batch.payoff_batch([Game.from_arrays([[[0, 0]], [[0, 0]]]), Game.from_arrays([[[0], [0]], [[0], [0]]])])
    except ValueError as error:
        assert "one shape" in str(error)
    else:
        raise AssertionError("mixed shapes were accepted")

