"""Game transformations (SPEC §4): each one's defining property on concrete
games, plus composition facts that tie them together."""

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from bargaincheck.specs.concepts.basic import opponent_profiles
from bargaincheck.specs.games import Game, GameError
from bargaincheck.specs.transforms import (
    add_duplicate_action,
    add_mixture_action,
    add_null_player,
    conditional_threat_game,
    destruction_game,
    extend_actions,
    identical_players,
    parallel_sum,
    payment_game,
    permute_players,
    scale_game,
    shift_game,
)
from strategies import caps_matrices, games

F = Fraction
SETTINGS = settings(max_examples=40, deadline=None)

# The prisoner's dilemma: (C,C) → (3,3), (C,D) → (0,5), (D,C) → (5,0), (D,D) → (1,1).
PD = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], [["C", "D"], ["C", "D"]])
# A 2x2x2 game with distinct payoffs per player: U_i(p) = 100 i + 4 p0 + 2 p1 + p2.
THREE = Game.from_function((2, 2, 2), lambda p: [100 * i + 4 * p[0] + 2 * p[1] + p[2] for i in range(3)])


def same_payoffs(g: Game, h: Game) -> bool:
    return g.shape == h.shape and g.payoffs == h.payoffs


# -- shift and scale ----------------------------------------------------------------


def test_shift_adds_each_players_constant():
    """PD shifted by (1, -1/2): (C,D) becomes (0+1, 5-1/2) = (1, 9/2)."""
    shifted = shift_game(PD, [1, "-1/2"])
    assert shifted.outcome((0, 1)) == (F(1), F(9, 2))


def test_scale_multiplies_every_payoff():
    """PD scaled by 3/2: (D,C) = (5,0) becomes (15/2, 0)."""
    assert scale_game(PD, "3/2").outcome((1, 0)) == (F(15, 2), F(0))


@pytest.mark.parametrize("factor", [0, -1, "-1/2"])
def test_scale_rejects_non_positive_factor(factor):
    with pytest.raises(GameError):
        scale_game(PD, factor)


def test_shift_needs_one_constant_per_player():
    with pytest.raises(GameError):
        shift_game(PD, [1, 2, 3])


@SETTINGS
@given(games((1, 3), (1, 3)), st.data())
def test_scaling_and_shifting_compose(game, data):
    """λ(G + c) = λG + λc, payoff by payoff."""
    n = game.n_players
    c = data.draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))
    lam = F(data.draw(st.integers(1, 6)), data.draw(st.integers(1, 4)))
    left = scale_game(shift_game(game, c), lam)
    right = shift_game(scale_game(game, lam), [lam * v for v in c])
    assert same_payoffs(left, right)


# -- permutations and symmetry ---------------------------------------------------------


def test_permute_players_moves_payoffs_and_actions():
    """New player k is old player permutation[k]: with [2, 0, 1], new profile
    (x, y, z) is old profile (y, z, x), and new U_0 = old U_2 there."""
    permuted = permute_players(THREE, [2, 0, 1])
    assert permuted.payoff(0, (1, 0, 1)) == THREE.payoff(2, (0, 1, 1)) == 200 + 0 + 2 + 1
    assert permuted.payoff(1, (1, 0, 1)) == THREE.payoff(0, (0, 1, 1)) == 3
    assert permuted.players == ("Player 3", "Player 1", "Player 2")


@SETTINGS
@given(games((1, 4), (1, 3)), st.data())
def test_permute_then_inverse_is_identity(game, data):
    perm = data.draw(st.permutations(range(game.n_players)))
    inverse = [perm.index(k) for k in range(game.n_players)]
    assert permute_players(permute_players(game, perm), inverse) == game


def test_permute_rejects_non_permutation():
    with pytest.raises(GameError):
        permute_players(PD, [0, 0])


def test_prisoners_dilemma_players_are_identical():
    """PD: U_1(a, b) = U_2(b, a) for all a, b (the transposition condition)."""
    assert identical_players(PD, 0, 1)


def test_identical_players_is_about_transposed_actions_not_equal_payoffs():
    """Matching pennies: U_1(H,H) = 1 but U_2(H,H) = -1, so the players differ."""
    pennies = Game.from_arrays([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    assert not identical_players(pennies, 0, 1)


def test_identical_players_checks_the_bystanders():
    """Players 1 and 2 of a 3-player game are identical only if player 0 does
    not care which of them did what: U_0 = p1 breaks it, U_0 = p1 + p2 does not."""
    def build(bystander):
        return Game.from_function((1, 2, 2), lambda p: [bystander(p), p[1] - p[2], p[2] - p[1]])

    assert identical_players(build(lambda p: p[1] + p[2]), 1, 2)
    assert not identical_players(build(lambda p: p[1]), 1, 2)


def test_players_with_different_action_counts_are_not_identical():
    assert not identical_players(Game.from_function((2, 3), lambda p: (0, 0)), 0, 1)


# -- adding actions ---------------------------------------------------------------------


def test_extend_actions_reads_rows_in_opponent_profile_order():
    """A new action for player 1 of THREE: its row lists payoffs against the
    others' profiles (p0, p2) in order (0,0), (0,1), (1,0), (1,1)."""
    rows = [[(k, 10 + k, 20 + k) for k in range(4)]]
    extended = extend_actions(THREE, 1, rows, ["x"])
    assert extended.shape == (2, 3, 2)
    assert extended.actions[1] == ("1", "2", "x")
    for k, rest in enumerate(opponent_profiles(THREE, 1)):
        assert extended.outcome((rest[0], 2, rest[1])) == (k, 10 + k, 20 + k)
    assert extended.outcome((1, 1, 0)) == THREE.outcome((1, 1, 0))


def test_extend_actions_rejects_wrong_row_length():
    with pytest.raises(GameError):
        extend_actions(PD, 0, [[(0, 0)]])


def test_mixture_action_averages_everyones_payoffs():
    """Player 2 mixes C and D 1/4-3/4 in PD: against C, (1/4)(3,3) + (3/4)(0,5)
    = (3/4, 9/2); against D, (1/4)(5,0) + (3/4)(1,1) = (2, 3/4)."""
    mixed = add_mixture_action(PD, 1, {"C": "1/4", "D": "3/4"}, "m")
    assert mixed.actions[1] == ("C", "D", "m")
    assert mixed.outcome((0, 2)) == (F(3, 4), F(9, 2))
    assert mixed.outcome((1, 2)) == (F(2), F(3, 4))


@pytest.mark.parametrize("weights", [[F(1, 2), F(1, 3)], [2, -1], [1]])
def test_mixture_rejects_weights_that_are_not_a_distribution(weights):
    with pytest.raises(GameError):
        add_mixture_action(PD, 0, weights)


@SETTINGS
@given(games((1, 3), (1, 3)), st.data())
def test_mixture_with_a_unit_weight_is_a_duplicate(game, data):
    player = data.draw(st.integers(0, game.n_players - 1))
    action = data.draw(st.integers(0, game.shape[player] - 1))
    weights = [int(a == action) for a in range(game.shape[player])]
    assert same_payoffs(add_mixture_action(game, player, weights), add_duplicate_action(game, player, action))


def test_duplicate_gets_a_fresh_label():
    assert add_duplicate_action(PD, 0, "D").actions[0] == ("C", "D", "D#2")


def test_conditional_threat_penalizes_by_response():
    """Player 1's copy of D in PD with penalties 1 (vs C) and 4 (vs D):
    (D', C) = (5, 0 - 1), (D', D) = (1, 1 - 4); player 1's own payoff unchanged."""
    threat = conditional_threat_game(PD, 0, "D", [[1], [4]], "D'")
    assert threat.outcome((2, 0)) == (F(5), F(-1))
    assert threat.outcome((2, 1)) == (F(1), F(-3))


def test_conditional_threat_rejects_negative_penalty():
    with pytest.raises(GameError):
        conditional_threat_game(PD, 0, 0, [[1], [-1]])


# -- destruction and payment games ------------------------------------------------------------


def test_destruction_game_burns_at_no_cost_to_the_burner():
    """Caps D_01 = 10, D_10 = 2 on PD: each player has 2 x 2 actions.
    (D|burn2, C|burn1) = (5 - 2, 0 - 10) = (3, -10)."""
    game = destruction_game(PD, [[0, 10], [2, 0]])
    assert game.actions == (("C", "C|burn2", "D", "D|burn2"), ("C", "C|burn1", "D", "D|burn1"))
    assert game.outcome((3, 1)) == (F(3), F(-10))
    assert game.outcome((2, 0)) == PD.outcome((1, 0))


def test_destruction_game_three_players_burns_add_up():
    """Player 0 burns both others (caps 1 and 2), player 1 burns player 2 (cap 5):
    player 2 loses 2 + 5 = 7 when both burn it."""
    caps = [[0, 1, 2], [0, 0, 5], [0, 0, 0]]
    game = destruction_game(THREE, caps)
    assert game.shape == (8, 4, 2)
    p0 = game.actions[0].index("1|burn2|burn3")
    p1 = game.actions[1].index("2|burn3")
    assert game.outcome((p0, p1, 1)) == (F(0 + 2 + 1), F(100 + 2 + 1 - 1), F(200 + 2 + 1 - 7))


def test_zero_caps_add_no_actions():
    assert destruction_game(PD, [[5, 0], [0, 5]]).payoffs == PD.payoffs


def test_destruction_game_rejects_negative_caps():
    with pytest.raises(GameError):
        destruction_game(PD, [[0, -1], [0, 0]])


def test_payment_game_transfers_money():
    """T = 2 in PD: player 1 pays player 2 at (C,C): (3 - 2, 3 + 2) = (1, 5);
    both pay each other: back to (3, 3)."""
    game = payment_game(PD, 2)
    assert game.shape == (4, 4)
    assert game.outcome((game.actions[0].index("C|pay2"), 0)) == (F(1), F(5))
    assert game.outcome((game.actions[0].index("C|pay2"), game.actions[1].index("C|pay1"))) == (F(3), F(3))


@SETTINGS
@given(games((2, 3), (1, 2)), st.integers(1, 4))
def test_payment_game_keeps_every_total(game, amount):
    """Transfers are zero-sum: every profile's total is some original total."""
    paid = payment_game(game, amount)
    totals = {game.total(p) for p in game.profiles()}
    assert {paid.total(p) for p in paid.profiles()} == totals


# -- parallel sums and null players -----------------------------------------------------------------


def test_parallel_sum_weights_payoffs():
    """2·PD + 3·H, H a 1x2 game with U = (p1, -p1): at ((D&x), (C&y)):
    2·(5, 0) + 3·(1, -1) = (13, -3)."""
    h = Game.from_arrays([[[0, 1]], [[0, -1]]], [["x"], ["z", "y"]])
    game = parallel_sum(PD, h, 2, 3)
    assert game.shape == (2, 4)
    assert game.outcome((game.actions[0].index("D&x"), game.actions[1].index("C&y"))) == (F(13), F(-3))


@SETTINGS
@given(games((1, 3), (1, 3)), st.data())
def test_parallel_sum_with_one_action_game_is_a_shift(game, data):
    n = game.n_players
    c = data.draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n))
    constant = Game(tuple(("only",) for _ in range(n)), tuple((v,) for v in c))
    assert same_payoffs(parallel_sum(game, constant), shift_game(game, c))


def test_parallel_sum_rejects_negative_weight():
    with pytest.raises(GameError):
        parallel_sum(PD, PD, 1, -1)


@SETTINGS
@given(games((1, 3), (1, 3)), st.data())
def test_null_player_preserves_the_others_payoffs(game, data):
    position = data.draw(st.integers(0, game.n_players))
    bigger = add_null_player(game, position)
    assert bigger.n_players == game.n_players + 1
    assert bigger.shape[position] == 1
    for p in game.profiles():
        q = p[:position] + (0,) + p[position:]
        outcome = bigger.outcome(q)
        assert outcome[position] == 0
        assert outcome[:position] + outcome[position + 1:] == game.outcome(p)


@SETTINGS
@given(games(2, (1, 3)), caps_matrices(2))
def test_destruction_game_keeps_maxima_and_burns_at_most_the_cap(game, caps):
    """The no-burn copies keep every max_i; a player j loses at most D_ij from
    the other player i, so every payoff of j is ≥ its original minimum − D_ij."""
    burned = destruction_game(game, caps)
    for j in range(2):
        assert max(burned.payoffs[j]) == max(game.payoffs[j])
        assert min(burned.payoffs[j]) == min(game.payoffs[j]) - caps[1 - j][j]
    assert burned.shape[0] == game.shape[0] * (2 if caps[0][1] > 0 else 1)


def test_conditional_threat_accepts_bare_numbers_for_two_players():
    """Two players: [[1], [4]] and [1, 4] describe the same threat."""
    assert conditional_threat_game(PD, 0, "D", [1, 4]) == conditional_threat_game(PD, 0, "D", [[1], [4]])


def test_unknown_action_label_is_rejected():
    with pytest.raises(GameError):
        add_duplicate_action(PD, 0, "Z")
