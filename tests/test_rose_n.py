"""The n-player ROSE value (seed 000, Definitions 1-4; Propositions 4-13)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bargaincheck.specs.concepts.basic import max_payoff, maximin_value, total_surplus
from bargaincheck.specs.concepts.registry import evaluate, get_concept
from bargaincheck.specs.concepts.rose import (
    contextual_value,
    initiative_values,
    rose_joint_value,
    rose_value,
)
from bargaincheck.specs.concepts.rose2 import rose2_value
from bargaincheck.specs.games import Game, GameError
from bargaincheck.specs.nfg import read_game_file
from bargaincheck.specs.transforms import (
    add_mixture_action,
    add_null_player,
    destruction_game,
    extend_actions,
)
from strategies import games

FEW = settings(max_examples=10, deadline=None)
SOME = settings(max_examples=20, deadline=None)
TOL = Fraction(1, 10**4)  # properties hold up to the proven bounds; a looser tolerance keeps runs short

three_player_games = games(shape=(2, 2, 2), bound=3)


def close(x: Fraction, y: Fraction, slack: Fraction) -> bool:
    return abs(x - y) <= slack


# -- fixed cases ---------------------------------------------------------------------


def test_one_player_gets_its_best_payoff():
    game = Game.from_arrays([[3, -1, 5]])
    assert rose_value(game).values == (5,)


def test_contextual_value_at_the_last_rank_is_the_best_response_total():
    """V(μ, 1, 3) at μ = (½,½) × (1,0): total = 3x + y + 2z, so with E[x] = ½,
    y = 0 the last rank picks z = 1: 3/2 + 2 = 7/2."""
    game = Game.from_function((2, 2, 2), lambda p: (p[0] * 3 + p[2], p[2] * 2, p[1] - p[2]))
    lo, hi = contextual_value(game, (0, 1, 2), [(Fraction(1, 2), Fraction(1, 2)), (1, 0)], 1, 3)
    assert lo == hi == Fraction(7, 2)


def test_contrib_2x2x2_gambit_game_is_exact(gambit_games):
    """A real Gambit 3-player game: every branch and bound closes, Σ = M."""
    path = gambit_games / "contrib_games_2x2x2.nfg"
    if not path.is_file():
        pytest.skip(f"{path.name} is not in the Gambit corpus folder")
    game = read_game_file(path)
    valuation = evaluate("rose", game)
    assert sum(valuation.values) == total_surplus(game)
    assert valuation.error_bound <= Fraction(1, 10**5)


# -- Pareto (Proposition 4) ------------------------------------------------------------


@SOME
@given(three_player_games)
def test_initiative_values_sum_to_total_surplus_for_every_ordering(game):
    m = total_surplus(game)
    for ordering in itertools.permutations(range(3)):
        iv = initiative_values(game, ordering, tolerance=TOL)
        assert sum(iv.values) == m
        for lo, hi in iv.coalition_bounds:
            assert lo <= hi


@SOME
@given(three_player_games)
def test_rose_is_pareto_exactly(game):
    assert sum(rose_value(game).values) == total_surplus(game)


# -- two players: the exact formula ---------------------------------------------------


@SOME
@given(games(n_players=2, actions=(1, 3), bound=6))
def test_rose_on_two_players_is_the_exact_two_player_formula(game):
    valuation = rose_value(game)
    assert valuation.kind == "rational" and valuation.error_bound == 0
    assert valuation.values == tuple(rose2_value(game))


# -- null player (Proposition 10) --------------------------------------------------------


@FEW
@given(games(n_players=2, actions=(1, 3), bound=5), st.integers(0, 2))
def test_null_player_gets_zero_and_changes_no_one(game, position):
    bigger = add_null_player(game, position)
    valuation = rose_value(bigger)
    slack = valuation.error_bound
    smaller = rose2_value(game)
    others = [i for i in range(3) if i != position]
    assert close(valuation.values[position], Fraction(0), slack)
    for i, value in zip(others, smaller):
        assert close(valuation.values[i], value, slack)


# -- the bomb game (seed 000, "Somebody set up us the Bomb") ---------------------------------


def bomb_game(housemates: int) -> Game:
    """Players 0..h-1 are housemates choosing chores c ∈ {0, 1}; the last player
    is the bomb: 'explode' (everyone 0) or 'stay' (bomb −1, housemate i gets
    10 + 5·c_i + 3·c_{i+1}: large, and the best joint move keeps the bomb quiet)."""
    shape = (2,) * housemates + (2,)

    def payoff(profile):
        chores, bomb = profile[:-1], profile[-1]
        if bomb == 0:  # explode
            return (0,) * (housemates + 1)
        utilities = [10 + 5 * chores[i] + 3 * chores[(i + 1) % housemates] for i in range(housemates)]
        return tuple(utilities) + (-1,)

    return Game.from_function(shape, payoff, players=[f"H{i + 1}" for i in range(housemates)] + ["Bomb"])


@pytest.mark.parametrize("housemates", [2, pytest.param(3, marks=pytest.mark.slow)])
def test_rose_gives_the_bomb_its_maximin_where_shapley_rose_does_not(housemates):
    """Proposition 11 for ROSE; the seed's failure of Shapley-ROSE for n ≥ 3."""
    game = bomb_game(housemates)
    bomb = housemates
    assert maximin_value(game, bomb) == 0
    rose = evaluate("rose", game)
    shapley = evaluate("shapley-rose", game)
    assert rose.values[bomb] >= -rose.error_bound
    assert shapley.values[bomb] < 0
    assert sum(rose.values) == total_surplus(game)


# -- payoff bounds (Propositions 11, 12) -----------------------------------------------------


@SOME
@given(three_player_games)
def test_rose_dominates_maximin_and_stays_below_max(game):
    valuation = rose_value(game, tolerance=TOL)
    for i in range(3):
        assert valuation.values[i] >= maximin_value(game, i) - valuation.error_bound
        assert valuation.values[i] <= max_payoff(game, i) + valuation.error_bound


@SOME
@given(three_player_games)
def test_every_initiative_value_dominates_maximin_and_stays_below_max(game):
    """Propositions 11.1 and 12.1: per ordering and rank."""
    for ordering in itertools.permutations(range(3)):
        iv = initiative_values(game, ordering, tolerance=TOL)
        for rank, player in enumerate(ordering):
            assert iv.values[rank] >= maximin_value(game, player) - iv.errors[rank]
            assert iv.values[rank] <= max_payoff(game, player) + iv.errors[rank]


# -- invariances (Propositions 6, 7, 9) -------------------------------------------------------


@pytest.mark.slow
@FEW
@given(three_player_games, st.integers(0, 2), st.integers(0, 2), st.integers(1, 4))
def test_rose_ignores_a_burn_button(game, burner, target, cap):
    """Proposition 7 with one player able to burn one other's utility."""
    if burner == target:
        target = (target + 1) % 3
    caps = [[0] * 3 for _ in range(3)]
    caps[burner][target] = cap
    original = rose_value(game, tolerance=TOL)
    burned = rose_value(destruction_game(game, caps), tolerance=TOL)
    slack = original.error_bound + burned.error_bound
    assert all(close(x, y, slack) for x, y in zip(original.values, burned.values))


@pytest.mark.slow
@FEW
@given(three_player_games, st.integers(0, 2), st.integers(0, 4))
def test_rose_ignores_a_mixture_action(game, player, weight):
    """Proposition 6: a redundant action (a mixture of existing ones)."""
    w = Fraction(weight, 4)
    original = rose_value(game, tolerance=TOL)
    extended = rose_value(add_mixture_action(game, player, [1 - w, w]), tolerance=TOL)
    slack = original.error_bound + extended.error_bound
    assert all(close(x, y, slack) for x, y in zip(original.values, extended.values))


@st.composite
def games_with_identical_first_two_players(draw):
    """U_1(x, y, z) = U_0(y, x, z) and U_2 symmetric in (x, y)."""
    entry = st.integers(-3, 3)
    u0 = {p: draw(entry) for p in itertools.product(range(2), repeat=3)}
    u2 = {}
    for x, y, z in itertools.product(range(2), repeat=3):
        if (y, x, z) in u2:
            u2[(x, y, z)] = u2[(y, x, z)]
        else:
            u2[(x, y, z)] = draw(entry)
    return Game.from_function((2, 2, 2), lambda p: (u0[p], u0[(p[1], p[0], p[2])], u2[p]))


@FEW
@given(games_with_identical_first_two_players())
def test_identical_players_get_equal_rose_values(game):
    """Proposition 9."""
    valuation = rose_value(game, tolerance=TOL)
    assert close(valuation.values[0], valuation.values[1], 2 * valuation.error_bound)


# -- first-initiative action monotonicity (Proposition 13) --------------------------------------


@pytest.mark.slow
@FEW
@given(three_player_games, st.integers(0, 2), st.lists(st.integers(-3, 3), min_size=12, max_size=12))
def test_first_initiative_never_regrets_an_extra_action(game, player, extra):
    others = [rest for rest in itertools.product(range(2), repeat=2)]
    row = [tuple(extra[3 * k: 3 * k + 3]) for k in range(len(others))]
    bigger = extend_actions(game, player, [row])
    rest = [i for i in range(3) if i != player]
    for tail in itertools.permutations(rest):
        ordering = (player,) + tail
        before = initiative_values(game, ordering, tolerance=TOL)
        after = initiative_values(bigger, ordering, tolerance=TOL)
        assert after.values[0] >= before.values[0] - before.errors[0] - after.errors[0]


# -- independent brute force ---------------------------------------------------------------------


def grid_initiative_values(game: Game, ordering, steps: int) -> tuple[list[float], float]:
    """Independent float evaluation of a 2x2x2 initiative game on a grid of
    `steps`+1 points per simplex (p = P(rank-1 action 2), q = P(rank-2 action 2)).

    Grid error: V(·, a, 3) is Lipschitz in each mixed strategy (TV distance)
    with constant L(a, 3) = range(Σ_{j≥a} U_j), so the inner grid maximum over q
    of V(p×q, a, 3) − V(p×q, 3, 3) is within (L(a,3) + L(3,3))/(2·steps) below
    the true V(p, a, 2); V(·,1,2) − V(·,2,2) is Lipschitz in p with
    L(1,3) + L(2,3) + 2 L(3,3), so W_1 (outer grid over p of grid values) is
    within E1 = [L(1,3)+L(2,3)+2L(3,3)]/(2 steps) + the two inner errors;
    W_2 is within (L(1,3) + L(3,3))/steps. Returns values and a bound on
    their error (sum of adjacent W errors, plus 1e-9 for float rounding)."""
    ranked = np.zeros((3, 2, 2, 2))
    for profile in game.profiles():
        r = tuple(profile[ordering[k]] for k in range(3))
        for k in range(3):
            ranked[k][r] = float(game.payoff(ordering[k], profile))
    tails = [ranked[0] + ranked[1] + ranked[2], ranked[1] + ranked[2], ranked[2]]
    grid = np.linspace(0.0, 1.0, steps + 1)
    p = np.stack([1 - grid, grid])  # (2, N)
    # E[f](p, q, z) over rank-1 and rank-2 mixtures: shape (N, N, 2)
    def expect(f):
        return np.einsum("xi,yj,xyz->ijz", p, p, f)

    t0, t1, u3 = expect(tails[0]), expect(tails[1]), expect(tails[2])
    inner0 = t0.max(axis=2) - u3.max(axis=2)  # (p, q)
    inner1 = t1.max(axis=2) - u3.max(axis=2)
    v0 = inner0.max(axis=1)  # V(p, 1, 2)
    v1 = inner1.max(axis=1)  # V(p, 2, 2)
    w1 = float((v0 - v1).max())
    w2 = float(v0.max())
    m = float(total_surplus(game))
    rng = [float(t.max() - t.min()) for t in tails]
    inner_err0 = (rng[0] + rng[2]) / (2 * steps)
    inner_err1 = (rng[1] + rng[2]) / (2 * steps)
    e1 = (rng[0] + rng[1] + 2 * rng[2]) / (2 * steps) + inner_err0 + inner_err1
    e2 = (rng[0] + rng[2]) / steps
    values = [w1, w2 - w1, m - w2]
    return values, max(e1, e1 + e2, e2) + 1e-9


@FEW
@given(three_player_games)
def test_rose_agrees_with_a_dense_grid_within_the_stated_bounds(game):
    steps = 400
    for ordering in itertools.permutations(range(3)):
        iv = initiative_values(game, ordering, tolerance=TOL)
        grid, grid_error = grid_initiative_values(game, ordering, steps)
        for rank in range(3):
            assert abs(float(iv.values[rank]) - grid[rank]) <= float(iv.errors[rank]) + grid_error


# -- ROSE-joint ------------------------------------------------------------------------------------


@FEW
@given(three_player_games)
def test_rose_joint_equals_rose_for_three_players(game):
    """A context of one rank is a mixed strategy, so joint and factorized
    contexts agree up to 3 players (see the module docstring)."""
    assert rose_joint_value(game).values == rose_value(game).values


def test_rose_is_registered_for_up_to_four_players():
    concept = get_concept("rose")
    assert concept.accepts(Game.from_arrays([[1, 2]])) and concept.max_players == 4
    assert get_concept("rose-joint").max_players == 4


@pytest.mark.slow
def test_four_player_rose_is_pareto_with_a_proven_bound():
    game = Game.from_function((2, 2, 2, 2), lambda p: (p[0] - p[1], p[1] * p[2], p[3] - p[0], 2 * p[2] * p[3] - 1))
    valuation = rose_value(game)
    assert sum(valuation.values) == total_surplus(game)
    for i in range(4):
        assert valuation.values[i] >= maximin_value(game, i) - valuation.error_bound
        assert valuation.values[i] <= max_payoff(game, i) + valuation.error_bound


# -- budgets and the contextual value's input checks ----------------------------------

BUDGET_GAME = [["-3", "5", "8"], ["-5/3", "6", "-1/3"], ["1", "-5/7", "-7/3"], ["-2/7", "-7/3", "9/7"],
               ["-2/3", "-8/3", "-2"], ["-1", "2", "-7/3"], ["1/3", "8", "0"], ["-5/7", "-3", "-5/7"]]


def test_a_three_player_top_level_search_gets_the_whole_node_budget():
    """The first initiative value of this 2x2x2 game needs more than the nested
    searches' cap of nodes: with the default budget its proven error is below
    1e-9, with 30 nodes it stays above 1e-8."""
    game = Game.from_function((2, 2, 2), lambda p: [Fraction(v) for v in BUDGET_GAME[4 * p[0] + 2 * p[1] + p[2]]])
    full = initiative_values(game, (0, 1, 2))
    capped = initiative_values(game, (0, 1, 2), max_nodes=30)
    assert max(full.errors) < Fraction(1, 10**9)
    assert max(capped.errors) > Fraction(1, 10**8)
    assert sum(full.values) == sum(capped.values) == total_surplus(game)
    assert not full.exact and not capped.exact
    assert initiative_values(Game.from_function((2, 2, 2), lambda p: (p[0], p[1], p[2])), (0, 1, 2)).exact


def test_contextual_value_refuses_what_is_not_a_context():
    game = Game.from_function((2, 2, 2), lambda p: (p[0], p[1], p[2]))
    half = (Fraction(1, 2), Fraction(1, 2))
    with pytest.raises(GameError, match=r"ordering \[0, 0, 1\] is not a permutation of the players 0\.\.2"):
        contextual_value(game, (0, 0, 1), [], 1, 1)
    with pytest.raises(GameError, match="need 1 ≤ a ≤ b ≤ n, got a=2, b=1, n=3"):
        contextual_value(game, (0, 1, 2), [], 2, 1)
    with pytest.raises(GameError, match="need 1 ≤ a ≤ b ≤ n, got a=1, b=4, n=3"):
        contextual_value(game, (0, 1, 2), [half, half, half], 1, 4)
    with pytest.raises(GameError, match="the 0-context is empty"):
        contextual_value(game, (0, 1, 2), [half], 1, 1)
    with pytest.raises(GameError, match="context must give 2 mixed strategies"):
        contextual_value(game, (0, 1, 2), [half], 1, 3)
    with pytest.raises(GameError, match=r"is not a probability distribution"):
        contextual_value(game, (0, 1, 2), [(Fraction(3, 2), Fraction(-1, 2)), half], 1, 3)
    with pytest.raises(GameError, match=r"is not a probability distribution"):
        contextual_value(game, (0, 1, 2), [(Fraction(1, 2), Fraction(1, 3)), half], 1, 3)
    with pytest.raises(GameError, match="tolerance must be non-negative"):
        contextual_value(game, (0, 1, 2), [half, half], 1, 3, tolerance=-1)


def test_contextual_value_with_a_joint_context_of_the_first_two_ranks():
    """V(μ, 2, 3) for the joint μ = ½·(0,0) + ½·(1,1) over ranks 1 and 2: the
    total of ranks 2 and 3 is p1 + 2·p2 whatever rank 3 plays, 0 at (0,0) and 3
    at (1,1), so V = 3/2 (two independent strategies could not put weight on
    the diagonal only)."""
    game = Game.from_function((2, 2, 2), lambda p: (Fraction(p[0]), Fraction(p[0]), Fraction(2 * p[1])))
    joint = (Fraction(1, 2), Fraction(0), Fraction(0), Fraction(1, 2))
    assert contextual_value(game, (0, 1, 2), [joint], 2, 3) == (Fraction(3, 2), Fraction(3, 2))
