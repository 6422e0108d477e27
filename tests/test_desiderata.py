"""The desiderata checkers (specs/desiderata): known violations on hand-built
games with hand-computed gaps, and no violation where a seed proposition says
there is none (2-player ROSE on generated games with generated parameters)."""

from __future__ import annotations

import json
import random
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bargaincheck.specs.concepts.basic import total_surplus
from bargaincheck.specs.concepts.registry import Concept, ConceptError, get_concept
from bargaincheck.specs.concepts.rose2 import extractable_surplus, rose2_initiative_values, rose2_value
from bargaincheck.specs.desiderata.registry import DESIDERATA, get_desideratum, tu_desiderata
from bargaincheck.specs.desiderata.structure import identical_pairs
from bargaincheck.specs.games import Game
from strategies import games

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BATTLE = Game.from_arrays([[[2, 0], [0, 1]], [[1, 0], [0, 2]]], [["T", "B"], ["L", "R"]])
BOMB = Game.from_function(
    (2, 1, 1),
    lambda p: [-1, 10, 10] if p[0] == 0 else [0, 0, 0],
    [["hold", "explode"], ["stay"], ["stay"]],
    ["Bomb", "Housemate 1", "Housemate 2"],
)


def d(desideratum_id):
    return get_desideratum(desideratum_id)


def c(concept_id):
    return get_concept(concept_id)


def toy(name, function, max_players=None):
    """A concept written here to be caught (not registered)."""
    return Concept(name, name, f"test concept {name}", function, 1, max_players)


# -- the registry -------------------------------------------------------------------


def test_every_spec_tu_id_is_registered_and_described():
    ids = {
        "shift", "scale", "pareto", "continuity", "redundancy", "threat", "payoff-dominance", "maximin",
        "submax", "monotonicity", "monotonicity-first", "symmetry", "null-player", "linearity", "money",
        "conditional-threat",
    }
    assert ids == set(DESIDERATA) and ids == {x.id for x in tu_desiderata()}
    for desideratum in DESIDERATA.values():
        assert desideratum.name and desideratum.statement.endswith(".")
        assert get_desideratum(desideratum.id) is desideratum


def test_unknown_desideratum_names_the_known_ones():
    with pytest.raises(ConceptError, match="known desiderata: shift"):
        get_desideratum("threat-immunity")


# -- known violations --------------------------------------------------------------------


def test_coco_gains_half_the_cap_from_a_costless_torture_button():
    """Battle of the sexes U1 = [[2,0],[0,1]], U2 = [[1,0],[0,2]]: M = 3 and
    val((U1−U2)/2) = val([[1/2,0],[0,−1/2]]) = 0, so CoCo = (3/2, 3/2).
    With a button burning 4 of player 2's utility, row T+burn has
    (U1−U2)/2 = [5/2, 2], dominating every other row, so the zero-sum value is
    2 while M stays 3: CoCo = (7/2, −1/2). Player 1 gains 2 = D/2."""
    violation = d("threat").check(c("coco"), BATTLE, {"caps": [["0", "4"], ["0", "0"]]})
    assert violation is not None
    assert violation.gap == 2
    assert violation.values["original"] == ["3/2", "3/2"]
    assert violation.values["transformed"] == ["7/2", "-1/2"]
    assert violation.extra_games["destruction"].shape == (4, 2)
    assert "7/2" in violation.message and "burns Player 2 by 4" in violation.message


def test_coco_threat_violation_is_found_among_proposed_caps():
    threat = d("threat")
    found = [threat.check(c("coco"), BATTLE, p) for p in threat.parameters(BATTLE, random.Random(0), 6)]
    assert any(v is not None for v in found)


def test_coco_exceeds_the_max_payoff_of_the_torturer():
    """Player 1 has 'wait' (0, 0) and 'torture' (0, −2); player 2 one action.
    M = 0; (U1−U2)/2 = [0, 1] (a column), value 1: CoCo = (1, −1), while
    player 1's largest payoff is 0: sub-max fails by 1."""
    torture = Game.from_arrays([[[0], [0]], [[0], [-2]]], [["wait", "torture"], ["stay"]])
    violation = d("submax").check(c("coco"), torture, {})
    assert violation is not None and violation.gap == 1
    assert violation.values == {"values": ["1", "-1"], "max": ["0", "0"]}


def test_shapley_rose_gives_the_bomb_less_than_its_maximin():
    """Bomb game (seed 000): holding gives (−1, 10, 10), exploding (0, 0, 0).
    Coalition values from 2-player ROSE: v({B}) = 0, v({H1,H2}) = 19,
    v({B,Hk}) = 9, v({Hk}) = 10, v(N) = 19, so the bomb's Shapley value is
    1/3·(0−19) + 1/6·(9−10) + 1/6·(9−10) + 1/3·(19−0) = −1/3 < 0 = its maximin."""
    violation = d("maximin").check(c("shapley-rose"), BOMB, {})
    assert violation is not None and violation.gap == F(1, 3)
    assert violation.values["values"] == ["-1/3", "29/3", "29/3"]


def test_rose_gives_the_bomb_at_least_its_maximin():
    rose = c("rose")
    if not rose.accepts(BOMB):
        pytest.skip("the n-player ROSE value is not registered for 3 players")
    assert d("maximin").check(rose, BOMB, {}) is None


TIE = Game.from_arrays([[[1, 0], [1, -4]], [[0, 1], [0, 1]]], [["T", "B"], ["L", "R"]])


def test_selfish_split_jumps_when_a_tie_is_broken():
    """TIE: U1 = [[1,0],[1,−4]], U2 = [[0,1],[0,1]]. Player 1's favourite
    profiles (T,L) and (B,L) tie (first in storage order: T); player 2's is
    (T,R) → the threat point (T,R) = (0, 1), M = 1, values (0, 1). Raising
    U1(B,L) by ε = range/100 = 1/20 makes B player 1's favourite: threat
    point (B,R) = (−4, 1), M = 21/20, surplus share (21/20 + 3)/2 = 81/40,
    values (−79/40, 121/40). Player 2 jumps by 81/40 = 40.5 ε > 20 ε (L = 10·n)."""
    epsilon = F(1, 20)
    delta = [["0", "0", "1/20", "0"], ["0", "0", "0", "0"]]
    violation = d("continuity").check(c("selfish-split"), TIE, {"delta": delta})
    assert violation is not None
    assert violation.values["perturbed"] == ["-79/40", "121/40"]
    assert violation.values["jump"] == ["81/40"]
    assert violation.gap == F(81, 40) - 20 * epsilon
    proposed = d("continuity").parameters(TIE, random.Random(0), 10)
    assert {"delta": delta, "lipschitz": "20"} in proposed


def test_rose_does_not_jump_on_the_tie_game():
    continuity = d("continuity")
    for params in continuity.parameters(TIE, random.Random(1), 20):
        assert continuity.check(c("rose"), TIE, params) is None


def broken_rose_value(game):
    """2-player ROSE with S_1's max over ν replaced by a min (over pure
    actions: S_1's objective is concave in ν, so its min is at a vertex)."""
    m = total_surplus(game)
    _, s2 = rose2_initiative_values(game)
    s1 = min(
        extractable_surplus([[game.total((a, b)) for b in range(game.shape[1])]],
                            [[game.payoff(1, (a, b)) for b in range(game.shape[1])]])
        for a in range(game.shape[0])
    )
    return m / 2 + (s1 - s2) / 2, m / 2 - (s1 - s2) / 2


def test_broken_rose_is_caught_by_maximin_but_not_by_pareto():
    """Player 1: 'good' (2, 0) or 'ruin' (−10, 0); player 2 one action.
    M = 2; min over pure actions of S_1's objective: min(2 − 0, −10 − 0) = −10;
    S_2 = max X − max U1 = 0. Broken value: 1 + (−10 − 0)/2 = −4 for player 1,
    below its maximin 2 by 6; the values still sum to M."""
    game = Game.from_arrays([[[2], [-10]], [[0], [0]]], [["good", "ruin"], ["stay"]])
    concept = toy("broken-rose", broken_rose_value, 2)
    violation = d("maximin").check(concept, game, {})
    assert violation is not None and violation.gap == 6
    assert d("pareto").check(concept, game, {}) is None
    assert d("maximin").check(c("rose"), game, {}) is None


EXTRA = Game.from_arrays([[[0, 1]], [[0, 1]]], [["a"], ["L", "R"]])
EXTRA_ROWS = [[["3", "0"], ["0", "3"]]]


def test_rose_loses_by_an_extra_action_for_the_second_mover():
    """EXTRA: one row a = (0,0), (1,1): M = 2, S_1 = 2 − 1 = 1, S_2 = 1,
    ROSE = (1, 1). Give player 1 the row n = (3,0), (0,3): M = 3; leading
    with p on a, S_1(p) = (3 − p) − (3 − 2p) = p, so S_1 = 1; player 2 leading
    with q on L makes player 1 argmax max(1 − q, 3q), minimized at q = 1/4
    (3/4), while max X = 3: S_2 = 9/4. ROSE_1 = 3/2 + (1 − 9/4)/2 = 7/8 < 1."""
    violation = d("monotonicity").check(c("rose"), EXTRA, {"player": 0, "rows": EXTRA_ROWS})
    assert violation is not None and violation.gap == F(1, 8)
    assert violation.values["extended"] == ["7/8", "17/8"]


def test_first_initiative_value_does_not_drop_with_the_same_extra_action():
    """Seed Proposition 13 on EXTRA: S_1 is 1 before and after."""
    first = d("monotonicity-first")
    assert first.applies(c("rose"), EXTRA)
    assert first.check(c("rose"), EXTRA, {"player": 0, "rows": EXTRA_ROWS}) is None


THREATENED = Game.from_arrays([[[3, 0]], [[0, 1]]], [["a"], ["L", "R"]])
ROLL_OVER = {"player": 0, "action": 0, "penalties": [["0"], ["4"]]}


def test_rose_gains_from_a_conditional_threat():
    """THREATENED: one row (3,0), (0,1). M = 3, S_1 = 3 − 1 = 2, S_2 = 1:
    ROSE_1 = 2. A copy of a that costs player 2 4 unless it plays L:
    (3,0), (0,−3). Leading with it, S_1 = 3 − 0 = 3; S_2 is unchanged (the
    copy gives player 1 the same payoffs, and its totals are lower):
    ROSE_1 = 3/2 + (3 − 1)/2 = 5/2. Gain 1/2 (seed: threats pay, but only so
    much)."""
    violation = d("conditional-threat").check(c("rose"), THREATENED, ROLL_OVER)
    assert violation is not None and violation.gap == F(1, 2)
    assert violation.values == {"original": ["2", "1"], "threat": ["5/2", "1/2"]}


def test_coco_gains_more_than_rose_from_the_same_conditional_threat():
    """CoCo on THREATENED: (U1−U2)/2 = [3/2, −1/2], value −1/2: CoCo_1 = 1.
    With the threat the new row is [3/2, 3/2], value 3/2: CoCo_1 = 3. Gain 2."""
    violation = d("conditional-threat").check(c("coco"), THREATENED, ROLL_OVER)
    assert violation is not None and violation.gap == 2


def test_the_proposed_conditional_threats_include_a_gainful_one_for_rose():
    threat = d("conditional-threat")
    params = threat.parameters(THREATENED, random.Random(0), 8)
    assert any(threat.check(c("rose"), THREATENED, p) for p in params)


def test_selfish_split_pays_a_null_player():
    """Selfish split on the battle of the sexes: favourites (T,L) and (B,R),
    threat point (T,R) = (0,0), M = 3: (3/2, 3/2). With a null player the
    surplus is split three ways: (1, 1, 1), so the null player gets 1."""
    violation = d("null-player").check(c("selfish-split"), BATTLE, {"position": 2})
    assert violation is not None and violation.gap == 1
    assert violation.values["transformed"] == ["1", "1", "1"]


# Toy concepts that each fail one invariance, to show the checkers catch it.
def equal_split(game):
    return [total_surplus(game) / game.n_players] * game.n_players


def min_point_split(game):
    low = [min(row) for row in game.payoffs]
    share = (total_surplus(game) - sum(low)) / game.n_players
    return [v + share for v in low]


def average_split(game):
    size = len(game.payoffs[0])
    mean = [sum(row) / size for row in game.payoffs]
    share = (total_surplus(game) - sum(mean)) / game.n_players
    return [v + share for v in mean]


def squared_surplus(game):
    return [total_surplus(game) ** 2 / game.n_players] * game.n_players


@pytest.mark.parametrize(
    "desideratum, concept, params, gap",
    [
        # M = 3 → 4 with shifts (1, 0): (2, 2) instead of (5/2, 3/2).
        ("shift", equal_split, {"shifts": ["1", "0"]}, F(1, 2)),
        # M² / 2 = 9/2; doubled payoffs give 18 instead of 9.
        ("scale", squared_surplus, {"factor": "2"}, 9),
        # Means (3/4, 3/4), M = 3: (3/2, 3/2). With T duplicated the means are
        # (5/6, 2/3), share 3/4: (19/12, 17/12).
        ("redundancy", average_split, {"player": 0, "duplicate": 0}, F(1, 12)),
        # Burning 2 of player 2: min U2 drops 0 → −2, share 5/2: (5/2, 1/2).
        ("threat", min_point_split, {"caps": [["0", "2"], ["0", "0"]]}, 1),
        # In the payment game both minima drop by 1 and M stays: (3/2, 3/2) again.
        ("money", min_point_split, {"amount": "1"}, None),
        # Linearity with d = 2, e = 0 (H = G): (2M)²/2 = 18, not 2·9/2 = 9.
        ("linearity", squared_surplus, {"other": None, "d": "2", "e": "0"}, 9),
    ],
)
def test_toy_concepts_fail_the_invariance_they_break(desideratum, concept, params, gap):
    from bargaincheck.specs.witness import game_to_json

    if "other" in params:
        params = {**params, "other": game_to_json(BATTLE)}
    violation = d(desideratum).check(toy(concept.__name__, concept), BATTLE, params)
    if gap is None:
        assert violation is None
    else:
        assert violation is not None and violation.gap == gap


def test_money_catches_a_concept_that_counts_actions():
    """φ = (k_0, −k_0) with k_0 player 1's number of actions: (2, −2) on the
    battle of the sexes, (4, −4) in its payment game (each action gains a
    'pay 1' copy). Off by 2."""
    per_action = toy("per-action", lambda g: [F(len(g.actions[0])), -F(len(g.actions[0]))])
    violation = d("money").check(per_action, BATTLE, {"amount": "1"})
    assert violation is not None and violation.gap == 2


def test_symmetry_finds_identical_players_up_to_relabelled_actions():
    """U1 = [[3,0],[5,1]], U2(a, b) = U1(1−b, 1−a) = [[1,0],[5,3]]: identical
    once player 2's actions are listed in reverse. M = 10 at (2, 1), so a
    dictator value (M, 0) is off by 10."""
    u1 = [[3, 0], [5, 1]]
    u2 = [[u1[1 - b][1 - a] for b in range(2)] for a in range(2)]
    game = Game.from_arrays([u1, [[u2[a][b] for b in range(2)] for a in range(2)]])
    pairs = identical_pairs(game)
    assert pairs == [(0, 1, (1, 0))]
    assert d("symmetry").applies(c("rose"), game)
    assert d("symmetry").check(c("rose"), game, {}) is None
    dictator = toy("dictator", lambda g: [total_surplus(g), F(0)], 2)
    violation = d("symmetry").check(dictator, game, {})
    assert violation is not None and violation.gap == 10


def test_payoff_dominance_catches_swapped_values():
    """U1 = [[4,0],[0,2]] ≥ U2 = [[1,0],[0,1]] everywhere. M = 5; S_1 = 5 − 1
    = 4 (player 1 leads with row 1); S_2 = 1 (q = 1 or 0 on column 1 both give
    1, mixtures less): ROSE = 5/2 ± 3/2 = (4, 1), which respects dominance;
    the swapped values (1, 4) fail it by 3."""
    game = Game.from_arrays([[[4, 0], [0, 2]], [[1, 0], [0, 1]]])
    assert d("payoff-dominance").applies(c("rose"), game)
    assert d("payoff-dominance").check(c("rose"), game, {}) is None
    swapped = toy("swapped-rose", lambda g: list(reversed(rose2_value(g))), 2)
    violation = d("payoff-dominance").check(swapped, game, {})
    assert violation is not None and violation.gap == 3


# -- applicability -----------------------------------------------------------------------


def test_pairs_that_make_no_sense_do_not_apply():
    assert not d("shift").applies(c("coco"), BOMB)  # coco is 2-player only
    assert not d("null-player").applies(c("coco"), BATTLE)  # 3 players exceed coco's max
    assert d("null-player").applies(c("shapley-rose"), BATTLE)
    assert not d("payoff-dominance").applies(c("rose"), BATTLE)  # no player dominates
    assert not d("symmetry").applies(c("rose"), THREATENED)  # 1 vs 2 actions
    assert not d("monotonicity-first").applies(c("coco"), BATTLE)  # no initiative values
    assert d("payoff-dominance").check(c("rose"), BATTLE, {}) is None


# -- parameters and witnesses ---------------------------------------------------------------


@pytest.mark.parametrize("desideratum_id", sorted(DESIDERATA))
def test_parameters_are_json_and_round_trip(desideratum_id):
    desideratum = d(desideratum_id)
    params = desideratum.parameters(BATTLE, random.Random(3), 5)
    assert 1 <= len(params) <= 5
    for p in params:
        text = json.dumps(p)
        assert desideratum.params_from_json(json.loads(text)) == p
        assert desideratum.params_json(p) == p
        desideratum.transform(BATTLE, p)  # well-formed for this game


def test_parameters_are_reproducible_from_the_seed():
    for desideratum in DESIDERATA.values():
        assert desideratum.parameters(BATTLE, random.Random(5), 6) == desideratum.parameters(
            BATTLE, random.Random(5), 6
        )


def test_a_violation_serializes_with_its_transformed_game():
    violation = d("threat").check(c("coco"), BATTLE, {"caps": [["0", "4"], ["0", "0"]]})
    witness = json.loads(json.dumps(violation.to_json()))
    assert witness["transformation"] == {"caps": [["0", "4"], ["0", "0"]]}
    assert witness["gap"] == "2"
    assert witness["transformed_games"]["destruction"]["actions"][0] == ["T", "T|burn2", "B", "B|burn2"]


# -- seed propositions: 2-player ROSE has no violation ------------------------------------------

SMALL_TWO_PLAYER = st.sampled_from([(2, 2), (2, 3), (3, 2), (1, 2)]).flatmap(
    lambda shape: games(shape=shape, bound=5, denominators=(1, 2))
)


@pytest.mark.parametrize(
    "desideratum_id",
    ["shift", "scale", "pareto", "maximin", "submax", "threat", "redundancy", "money", "linearity",
     "continuity", "monotonicity-first"],
)
@FAST
@given(game=SMALL_TWO_PLAYER, seed=st.integers(0, 10**6))
def test_two_player_rose_satisfies(desideratum_id, game, seed):
    """Seed 000, Propositions 3 (linearity, hence shift and scale), 4
    (Pareto), 5 (Lipschitz), 6 (redundancy), 7 (threat), 8 (money), 11
    (maximin), 12 (sub-max), 13 (first-initiative monotonicity)."""
    desideratum, rose = d(desideratum_id), c("rose")
    assert desideratum.applies(rose, game)
    rng = random.Random(seed)
    for params in desideratum.parameters(game, rng, 3):
        assert desideratum.check(rose, game, params) is None, params


@st.composite
def symmetric_games(draw):
    k = draw(st.integers(1, 3))
    u1 = [[draw(st.integers(-5, 5)) for _ in range(k)] for _ in range(k)]
    return Game.from_arrays([u1, [[u1[b][a] for b in range(k)] for a in range(k)]])


@FAST
@given(game=symmetric_games())
def test_two_player_rose_is_symmetric(game):
    """Seed 000, Proposition 9."""
    assert d("symmetry").applies(c("rose"), game)
    assert d("symmetry").check(c("rose"), game, {}) is None


@settings(max_examples=10, deadline=None)
@given(game=games(shape=(2, 2), bound=4))
def test_rose_ignores_a_null_player(game):
    """Seed 000, Proposition 10 (needs ROSE registered for 3 players)."""
    rose = c("rose")
    if not d("null-player").applies(rose, game):
        pytest.skip("the n-player ROSE value is not registered for 3 players")
    for params in d("null-player").parameters(game, random.Random(0), 3):
        assert d("null-player").check(rose, game, params) is None
