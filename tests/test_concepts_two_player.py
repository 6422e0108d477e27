"""Two-player TU concepts (CoCo, ROSE, selfish split, CE splits) and the
Shapley amplification: seed propositions as properties over generated exact
games, a differential test of the exact LP against cvxpy, and fixed cases."""

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from bargaincheck.specs.concepts.basic import (
    max_payoff,
    maximin_strategy,
    maximin_value,
    opponent_profiles,
    total_surplus,
)
from bargaincheck.specs.concepts.coco import coco_value
from bargaincheck.specs.concepts.correlated import (
    ce_split_value,
    correlated_equilibrium,
    is_correlated_equilibrium,
)
from bargaincheck.specs.concepts.registry import evaluate
from bargaincheck.specs.concepts.rose2 import rose2_value
from bargaincheck.specs.concepts.selfish import selfish_disagreement_point, selfish_split_value
from bargaincheck.specs.concepts.shapley import coalition_values, shapley_amplify, shapley_marginal
from bargaincheck.specs.games import Game
from bargaincheck.specs.transforms import (
    add_mixture_action,
    destruction_game,
    identical_players,
    parallel_sum,
    payment_game,
    shift_game,
)
from strategies import caps_matrices, games, two_player_games

F = Fraction
SETTINGS = settings(max_examples=40, deadline=None)


def pure_nash_outcomes(game: Game) -> list[tuple[Fraction, ...]]:
    """Payoffs at every pure Nash equilibrium (by enumeration)."""
    result = []
    for p in game.profiles():
        stable = all(
            game.payoff(i, p) >= game.payoff(i, p[:i] + (a,) + p[i + 1:])
            for i in range(game.n_players)
            for a in range(game.shape[i])
        )
        if stable:
            result.append(game.outcome(p))
    return result


# -- CoCo and ROSE ---------------------------------------------------------------------------


@SETTINGS
@given(two_player_games())
def test_coco_and_rose_sum_to_the_total_surplus(game):
    m = total_surplus(game)
    assert sum(coco_value(game)) == m
    assert sum(rose2_value(game)) == m


@SETTINGS
@given(two_player_games())
def test_rose_lies_between_maximin_and_max(game):
    """Seed 000: maximin dominance (2-player) and sub-max."""
    rose = rose2_value(game)
    for i in range(2):
        assert maximin_value(game, i) <= rose[i] <= max_payoff(game, i)


@SETTINGS
@given(two_player_games())
def test_coco_gives_at_least_maximin(game):
    coco = coco_value(game)
    for i in range(2):
        assert coco[i] >= maximin_value(game, i)


@settings(max_examples=30, deadline=None)
@given(two_player_games(actions=(1, 3), bound=6), caps_matrices(2, bound=4))
def test_rose_is_unchanged_by_the_destruction_game(game, caps):
    """Seed 000, Proposition 7.2 (2 players)."""
    assert rose2_value(destruction_game(game, caps)) == rose2_value(game)


@SETTINGS
@given(two_player_games(), st.tuples(st.integers(-6, 6), st.integers(-6, 6)))
def test_coco_and_rose_are_shift_invariant(game, shifts):
    shifted = shift_game(game, shifts)
    for value in (coco_value, rose2_value):
        assert value(shifted) == tuple(v + s for v, s in zip(value(game), shifts))


@settings(max_examples=30, deadline=None)
@given(two_player_games(actions=(1, 3), bound=6), st.data())
def test_rose_is_unchanged_by_a_mixture_action(game, data):
    """Seed 000, Proposition 6.2 (redundancy), with a random rational mixture."""
    player = data.draw(st.integers(0, 1))
    raw = data.draw(st.lists(st.integers(0, 4), min_size=game.shape[player], max_size=game.shape[player]))
    if sum(raw) == 0:
        raw[0] = 1
    weights = [F(w, sum(raw)) for w in raw]
    assert rose2_value(add_mixture_action(game, player, weights)) == rose2_value(game)


@settings(max_examples=25, deadline=None)
@given(two_player_games(actions=(1, 2), bound=6), st.integers(1, 5))
def test_rose_is_unchanged_by_the_payment_game(game, amount):
    """Seed 000, Proposition 8.2 (money redundancy), finite payments {0, T}."""
    assert rose2_value(payment_game(game, amount)) == rose2_value(game)


@settings(max_examples=25, deadline=None)
@given(two_player_games(actions=(1, 2), bound=6), two_player_games(actions=(1, 2), bound=6),
       st.integers(0, 3), st.integers(0, 3))
def test_rose_is_linear_in_parallel_sums(g, h, d, e):
    """Seed 000, Proposition 3.2: ROSE(dG + eH) = d ROSE(G) + e ROSE(H)."""
    expected = tuple(d * x + e * y for x, y in zip(rose2_value(g), rose2_value(h)))
    assert rose2_value(parallel_sum(g, h, d, e)) == expected


@SETTINGS
@given(st.integers(1, 3).flatmap(lambda k: games(2, shape=(k, k), denominators=(1, 2))))
def test_identical_players_get_equal_coco_and_rose(base):
    """U_1(a, b) = A[a][b], U_2(a, b) = A[b][a] makes the players identical
    (seed 000's transposition); ROSE is symmetric (Proposition 9), so is CoCo."""
    k = base.shape[0]
    game = Game.from_function((k, k), lambda p: (base.payoff(0, p), base.payoff(0, (p[1], p[0]))))
    assert identical_players(game, 0, 1)
    for value in (coco_value, rose2_value):
        first, second = value(game)
        assert first == second


# -- Shapley amplification ---------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(games((2, 4), (1, 2), bound=5), st.sampled_from([coco_value, rose2_value]))
def test_coalition_difference_formula_is_the_marginal_shapley_value(game, value):
    """Σ_{S∋i} w(s)(v(S) − v(N∖S)) equals the marginal-contribution Shapley
    value of v (the docstring of specs/concepts/shapley.py shows why)."""
    n = game.n_players
    assert shapley_amplify(game, value) == shapley_marginal(n, coalition_values(game, value))


@SETTINGS
@given(two_player_games())
def test_shapley_amplification_is_the_value_itself_for_two_players(game):
    """n = 2: φ_1 = (1/2)(v({1}) − v({2})) + (1/2)(v(N) − v(∅)) = CoCo_1 (or ROSE_1)."""
    assert evaluate("shapley-coco", game).values == coco_value(game)
    assert evaluate("shapley-rose", game).values == rose2_value(game)


# -- the exact LP against a float LP ----------------------------------------------------------------


def cvxpy_maximin(game: Game, player: int) -> float:
    import cvxpy as cp
    import numpy as np

    rows = []
    for a in range(game.shape[player]):
        rows.append(
            [float(game.payoff(player, rest[:player] + (a,) + rest[player:])) for rest in opponent_profiles(game, player)]
        )
    matrix = np.array(rows)
    x = cp.Variable(matrix.shape[0], nonneg=True)
    v = cp.Variable()
    problem = cp.Problem(cp.Maximize(v), [cp.sum(x) == 1, matrix.T @ x >= v])
    problem.solve(solver=cp.HIGHS)
    assert problem.status == cp.OPTIMAL
    return float(v.value)


@settings(max_examples=30, deadline=None)
@given(games((2, 3), (1, 3), denominators=(1, 2, 3, 7)))
def test_exact_maximin_agrees_with_cvxpy(game):
    pytest.importorskip("cvxpy")
    for player in range(game.n_players):
        value, strategy = maximin_strategy(game, player)
        assert abs(float(value) - cvxpy_maximin(game, player)) <= 1e-6
        # The exact strategy certifies the exact value against every opponent profile.
        assert sum(strategy) == 1 and min(strategy) >= 0
        for rest in opponent_profiles(game, player):
            guaranteed = sum(
                (x * game.payoff(player, rest[:player] + (a,) + rest[player:]) for a, x in enumerate(strategy)),
                F(0),
            )
            assert guaranteed >= value


# -- the selfish-threat split ------------------------------------------------------------------------


@SETTINGS
@given(games((2, 3), (1, 3), denominators=(1, 2)))
def test_selfish_split_sums_to_the_total_surplus(game):
    assert sum(selfish_split_value(game)) == total_surplus(game)


def alice_pays_game(bobs_second_payoff) -> Game:
    """Alice has one action; Bob's 'a' gives (0, 1), his 'b' gives (10, u)."""
    return Game.from_arrays([[[0, 10]], [[1, bobs_second_payoff]]], [["pay"], ["a", "b"]])


def test_selfish_split_ties_go_to_the_first_profile():
    """u = 1: Bob's favourite is a tie between a and b; the first profile (a)
    wins, so d = (0, 1), M = 11 and φ = (0 + 5, 1 + 5) = (5, 6)."""
    assert selfish_disagreement_point(alice_pays_game(1)) == ((0, 0), (F(0), F(1)))
    assert selfish_split_value(alice_pays_game(1)) == (F(5), F(6))


def test_selfish_split_jumps_under_a_tiny_perturbation():
    """u = 1 + 1/1000: Bob's favourite is now b, d = (10, 1001/1000) = the
    efficient outcome, no surplus is left: φ = (10, 1001/1000). A payoff change
    of 1/1000 moves Alice's value from 5 to 10: the continuity violation."""
    assert selfish_split_value(alice_pays_game(F(1001, 1000))) == (F(10), F(1001, 1000))


# -- correlated-equilibrium splits --------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    st.one_of(games(2, (1, 3), bound=6, denominators=(1, 2)), games(3, (1, 2), bound=6, denominators=(1, 2))),
    st.sampled_from(["utilitarian", "egalitarian"]),
)
def test_ce_split_sums_to_m_and_the_ce_is_exact(game, selection):
    distribution, d = correlated_equilibrium(game, selection)
    assert is_correlated_equilibrium(game, distribution)
    assert d == tuple(sum((u * x for u, x in zip(row, distribution)), F(0)) for row in game.payoffs)
    assert sum(ce_split_value(game, selection)) == total_surplus(game)


@settings(max_examples=30, deadline=None)
@given(games(2, (1, 3), bound=6, denominators=(1, 2)))
def test_selected_ces_beat_every_pure_nash_equilibrium_on_their_criterion(game):
    """Pure Nash equilibria are CEs, so the utilitarian CE's total is ≥ each
    one's total and the egalitarian CE's minimum is ≥ each one's minimum."""
    _, utilitarian = correlated_equilibrium(game, "utilitarian")
    _, egalitarian = correlated_equilibrium(game, "egalitarian")
    for outcome in pure_nash_outcomes(game):
        assert sum(utilitarian) >= sum(outcome)
        assert min(egalitarian) >= min(outcome)


# Battle of the sexes: (A,A) → (3,2), (B,B) → (2,3), mismatches (0,0).
BATTLE = Game.from_arrays([[[3, 0], [0, 2]], [[2, 0], [0, 3]]], [["A", "B"], ["A", "B"]])


def test_battle_of_the_sexes_utilitarian_ce_breaks_ties_for_player_one():
    """Every CE on the matches has total 5 = M; the tie-break maximizes E[U_1]:
    the pure equilibrium (A,A), d = (3, 2), no surplus left: φ = (3, 2)."""
    assert correlated_equilibrium(BATTLE, "utilitarian")[1] == (F(3), F(2))
    assert evaluate("ce-split-utilitarian", BATTLE).values == (F(3), F(2))


def test_battle_of_the_sexes_egalitarian_ce_is_the_fair_coin():
    """Max-min over CEs: 1/2 (A,A) + 1/2 (B,B) gives (5/2, 5/2) (the sum is at
    most 5, so the minimum at most 5/2); φ = (5/2, 5/2)."""
    assert correlated_equilibrium(BATTLE, "egalitarian")[1] == (F(5, 2), F(5, 2))
    assert evaluate("ce-split-egalitarian", BATTLE).values == (F(5, 2), F(5, 2))


def test_chicken_utilitarian_ce_correlates_away_the_crash():
    """Chicken (6,6) (2,7) / (7,2) (0,0): the welfare-best CE puts 1/2 on
    (C,C) and 1/4 on each of (C,D), (D,C) (the CE constraint for 'told C':
    6x_CC + 2x_CD ≥ 7x_CC + 0x_CD, i.e. x_CD ≥ x_CC/2, tight), giving
    d = (21/4, 21/4); M = 12, so φ = (21/4 + 3/4, ...) = (6, 6)."""
    chicken = Game.from_arrays([[[6, 2], [7, 0]], [[6, 7], [2, 0]]])
    distribution, d = correlated_equilibrium(chicken, "utilitarian")
    assert distribution == (F(1, 2), F(1, 4), F(1, 4), F(0))
    assert d == (F(21, 4), F(21, 4))
    assert ce_split_value(chicken, "utilitarian") == (F(6), F(6))
