"""Seed cases (issue 2): the hand-computable games of seed 000 (toy case,
torture button, bomb game, the 5/13 widget sale) with exact values."""

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from bargaincheck.specs.concepts.basic import max_payoff, maximin_value, total_surplus
from bargaincheck.specs.concepts.registry import evaluate
from bargaincheck.specs.games import Game
from bargaincheck.specs.transforms import conditional_threat_game, destruction_game
from strategies import games

F = Fraction
SETTINGS = settings(max_examples=40, deadline=None)


def values(concept: str, game: Game) -> tuple[Fraction, ...]:
    return evaluate(concept, game).values


# -- the toy case: Alice has one action (seed 000, "ROSE Value, Toy Case") ------------------------

# Alice (player 1) has one action; Bob's three actions give (U_A, U_B) =
# (0, 41), (30, 20), (-10, 35).
TOY = Game.from_arrays([[[0, 30, -10]], [[41, 20, 35]]], [["pay"], ["selfish", "efficient", "threat"]])


def test_toy_case_rose_gives_bob_his_best_payoff():
    """M = max(41, 50, 25) = 50, max U_B = 41. Alice first: 50 - 41 = 9;
    Bob first: he picks ν maximizing E_ν[U_B] = 41. ROSE = 25 + (9 - 41)/2 = 9
    for Alice, 25 + 16 = 41 for Bob: (M - max U_B, max U_B)."""
    assert values("rose", TOY) == (F(9), F(41))


def test_toy_case_coco_pays_bob_for_his_threat():
    """val((U_A - U_B)/2) with Bob minimizing over (-41/2, 5, -45/2) is -45/2
    (the 'threat' action), so CoCo = (25 - 45/2, 25 + 45/2) = (5/2, 95/2):
    Bob gets 95/2 > max U_B = 41 (CoCo violates sub-max)."""
    assert values("coco", TOY) == (F(5, 2), F(95, 2))
    assert values("coco", TOY)[1] > max_payoff(TOY, 1)


@SETTINGS
@given(st.integers(1, 4).flatmap(lambda k: games(2, shape=(1, k), denominators=(1, 2))))
def test_rose_when_alice_has_one_action_is_m_minus_bobs_max(game):
    """Toy case in general: ROSE = (M - max U_2, max U_2)."""
    m, best = total_surplus(game), max_payoff(game, 1)
    assert values("rose", game) == (m - best, best)


# -- a costless torture button -------------------------------------------------------------------

# The prisoner's dilemma: (C,C) → (3,3), (C,D) → (0,5), (D,C) → (5,0), (D,D) → (1,1).
PD = Game.from_arrays([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], [["C", "D"], ["C", "D"]])
# Player 1 gets a button: play D and burn 10 of player 2's utility, at no cost.
TORTURE = conditional_threat_game(PD, 0, "D", [[10], [10]], "torture")


def test_prisoners_dilemma_values_are_three_each():
    """PD: M = 6; (U_1 - U_2)/2 = [[0, -5/2], [5/2, 0]] has saddle value 0, so
    CoCo = (3, 3); ROSE: S_1 = max_p [(5 + p) - (1 + 4p)] = 4 (p = P(C)), S_2 = 4
    by symmetry, so ROSE = (3, 3)."""
    assert values("coco", PD) == (F(3), F(3))
    assert values("rose", PD) == (F(3), F(3))


def test_torture_button_raises_coco_by_half_the_damage():
    """The button row of (U_1 - U_2)/2 is [(5+10)/2, (1+9)/2] = [15/2, 5]; it
    dominates C and D, so val = min(15/2, 5) = 5 = 0 + 10/2 and
    CoCo = (3 + 5, 3 - 5) = (8, -2)."""
    assert values("coco", TORTURE) == (F(8), F(-2))


def test_torture_button_leaves_rose_unchanged():
    """The button lowers X and U_2 equally when player 1 leads (cancels in
    S_1), and is X-dominated by D with U_1 equal to D's when player 2 leads:
    ROSE stays (3, 3)."""
    assert values("rose", TORTURE) == (F(3), F(3))


@SETTINGS
@given(games(2, actions=(1, 3), denominators=(1, 2)), st.integers(0, 12))
def test_burning_the_opponent_raises_coco_by_exactly_half_the_cap(game, damage):
    """Destruction game with D_12 = L, D_21 = 0: each burn row of (U_1 - U_2)/2
    is its plain row + L/2 and dominates it, M is unchanged, so CoCo_1 rises by
    exactly L/2; ROSE does not move (Proposition 7)."""
    burned = destruction_game(game, [[0, damage], [0, 0]])
    before, after = values("coco", game), values("coco", burned)
    assert after == (before[0] + F(damage, 2), before[1] - F(damage, 2))
    assert values("rose", burned) == values("rose", game)


# -- the bomb game (seed 000, "Somebody set up us the Bomb") -----------------------------------------


def bomb_game(housemates: int) -> Game:
    """Player 0 is the bomb: 'boom' gives everyone 0; 'no boom' gives the bomb
    -1 and each housemate 10. Each housemate has one action."""
    h = housemates
    return Game.from_function(
        (2,) + (1,) * h,
        lambda p: [0] * (h + 1) if p[0] == 0 else [-1] + [10] * h,
        actions=[["boom", "no boom"]] + [["live"]] * h,
        players=["bomb"] + [f"housemate {k + 1}" for k in range(h)],
        title=f"bomb game, {h} housemates",
    )


@pytest.mark.parametrize("housemates", [1, 2, 3])
def test_bomb_can_guarantee_zero(housemates):
    """Exploding guarantees the bomb 0; not exploding gives -1."""
    assert maximin_value(bomb_game(housemates), 0) == 0


def test_two_player_rose_gives_the_bomb_its_maximin():
    """One housemate: the housemate has one action (toy case with roles
    swapped), so the bomb gets max U_bomb = 0 and the housemate M - 0 = 9."""
    assert values("rose", bomb_game(1)) == (F(0), F(9))
    assert values("shapley-rose", bomb_game(1)) == (F(0), F(9))


def test_shapley_rose_gives_bomb_minus_one_third_with_two_housemates():
    """h housemates, 'S vs N∖S' 2-player ROSE: only the bomb's side has
    choices, so (toy case) that side gets max(0, its no-boom utility) and the
    other side M - that, M = 10h - 1. With a housemates on the bomb's side:
    v(S ∋ bomb) = 10a - 1 (a ≥ 1) or 0 (a = 0); v(S ∌ bomb) = 10a if a
    housemates stay with the bomb, 10h - 1 for S = all housemates, 0 for ∅.
    Bomb's marginal contribution to a set of a housemates: 0 (a = 0),
    (10a - 1) - 10a = -1 (1 ≤ a ≤ h-1), (10h-1) - (10h-1) = 0 (a = h); each
    a has probability 1/(h+1), so φ_bomb = -(h-1)/(h+1) = -1/3 for h = 2.
    Housemates by symmetry: (19 + 1/3)/2 = 29/3 each (M = 19)."""
    assert values("shapley-rose", bomb_game(2)) == (F(-1, 3), F(29, 3), F(29, 3))


def test_shapley_rose_gives_bomb_minus_one_half_with_three_housemates():
    """Same computation, h = 3: φ_bomb = -(3-1)/(3+1) = -1/2 < 0 = maximin;
    housemates (29 + 1/2)/3 = 59/6 each (M = 29)."""
    assert values("shapley-rose", bomb_game(3)) == (F(-1, 2), F(59, 6), F(59, 6), F(59, 6))


# -- a price line: the 5 / 13 widget sale (seed 000, "ROSE Bargaining") --------------------------------


def price_game(grid) -> Game:
    """Seller (player 1) and buyer (player 2) each name a price from `grid`; a
    match trades at that price (seller: price - 5, buyer: 13 - price), a
    mismatch gives (0, 0)."""
    return Game.from_function(
        (len(grid), len(grid)),
        lambda p: (grid[p[0]] - 5, 13 - grid[p[0]]) if p[0] == p[1] else (0, 0),
        actions=[[str(x) for x in grid]] * 2,
        players=["seller", "buyer"],
    )


FULL_GRID = price_game(list(range(5, 14)))
NARROW_GRID = price_game([9, 10])


def test_price_line_coco_splits_the_surplus_at_nine():
    """(U_s - U_b)/2 is diagonal with entries p - 9, off-diagonal 0. Seller
    naming 13 guarantees ≥ 0, buyer naming 5 holds it to ≤ 0: val = 0, so
    CoCo = (8/2, 8/2) = (4, 4), a sale at 9 (the seed's midpoint)."""
    assert values("coco", FULL_GRID) == (F(4), F(4))


def test_price_line_rose_splits_the_surplus_at_nine():
    """Seller first names 13: the buyer gets 0 either way, X = 8 on a match, so
    S_s = 8 (the most anyone can extract: S ≤ 8 max ν ≤ 8); buyer first names 5:
    S_b = 8. ROSE = (4 + 0, 4 - 0) = (4, 4)."""
    assert values("rose", FULL_GRID) == (F(4), F(4))


def test_narrow_price_line_rose_favours_the_seller():
    """Grid {9, 10}. Seller leads with x = P(10): 8 max(x, 1-x) - max(4(1-x), 3x),
    maximal at x = 1: S_s = 8 - 3 = 5. Buyer leads with y = P(10):
    8 max(y, 1-y) - max(4(1-y), 5y), maximal at y = 0: S_b = 8 - 4 = 4.
    ROSE = (4 + 1/2, 4 - 1/2) = (9/2, 7/2): a sale at 9.5."""
    assert values("rose", NARROW_GRID) == (F(9, 2), F(7, 2))


def test_narrow_price_line_coco_stays_at_four_each():
    """Grid {9, 10}: the zero-sum matrix is [[0, 0], [0, 1]], value 0 (buyer
    names 9), so CoCo = (4, 4)."""
    assert values("coco", NARROW_GRID) == (F(4), F(4))
