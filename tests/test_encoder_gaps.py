"""Gap tests for the concept algebra (exact and SMT readings), the desideratum
encodings, the symbolic games and the concept registry: facts that the
mutation-testing sample found unexecuted or unchecked (comparison builders,
error messages with their numbers, the affine fit of the transfer lemmas,
limits at their boundary)."""

from __future__ import annotations

import importlib.metadata
import sys
import types
from fractions import Fraction

import pytest
from hypothesis import given, settings
from pysmt.shortcuts import Plus, Symbol
from pysmt.typing import REAL

from bargaincheck.encoders import desiderata as des
from bargaincheck.encoders.algebra import EncodingTooLarge, Piecewise, symbolic_values
from bargaincheck.encoders.concepts import Atom, Linear, atom_value, atoms_of, extractable_surplus
from bargaincheck.encoders.cuts import _mapper
from bargaincheck.encoders.symbolic import Domain, SymbolicGame, real_const
from bargaincheck.specs.concepts import algebra as alg
from bargaincheck.specs.concepts import plugins
from bargaincheck.specs.concepts.algebra import AlgebraError, Definition, argmax, cases, constant, maximum, minimum
from bargaincheck.specs.concepts.coco import coco_value
from bargaincheck.specs.concepts.correlated import (
    ce_split_egalitarian,
    ce_split_utilitarian,
    correlated_equilibrium,
    is_correlated_equilibrium,
)
from bargaincheck.specs.concepts.registry import CONCEPTS, Concept, ConceptError, evaluate, get_concept
from bargaincheck.specs.concepts.rose2 import rose2_initiative_values, rose2_value
from bargaincheck.specs.games import Game, GameError

from .strategies import games

F = Fraction
ONE_BY_ONE = Game.from_arrays([[[0]], [[0]]])
THREE_PLAYERS = Game.from_arrays([[[[0]]]] * 3)
# Chicken: U0 = [[6, 2], [7, 0]], U1 = [[6, 7], [2, 0]]
CHICKEN = Game.from_arrays([[[6, 2], [7, 0]], [[6, 7], [2, 0]]])


def entry_game(x, y) -> Game:
    """A 1x1 two-player game with payoffs (x, y)."""
    return Game.from_arrays([[[x]], [[y]]])


# -- the exact reading: comparisons, at and off the tie ------------------------------------------------


def _indicator(build_condition):
    """A definition giving both players 1 where the condition on (a, b) =
    (U_0(0,0), U_1(0,0)) holds, else 0."""

    def build(g):
        a, b = g.payoff(0, (0, 0)), g.payoff(1, (0, 0))
        value = cases(build_condition(a, b), 1, 0)
        return [value, value]

    return Definition(build, 2, 2)


@pytest.mark.parametrize("name, build_condition, below, tie, above", [
    ("a <= b", lambda a, b: a <= b, 1, 1, 0),
    ("a < b", lambda a, b: a < b, 1, 0, 0),
    ("a >= b", lambda a, b: a >= b, 0, 1, 1),
    ("a > b", lambda a, b: a > b, 0, 0, 1),
    ("a <= 3 (a constant on the right)", lambda a, b: a <= 3, 1, 1, 0),
    ("3 > a (reflected)", lambda a, b: 3 > a, 1, 0, 0),
    ("a - 3 >= 0", lambda a, b: a - 3 >= 0, 0, 1, 1),
    ("3 - a > 0 (rsub)", lambda a, b: 3 - a > 0, 1, 0, 0),
    ("(a >= b) & (a <= b): equality", lambda a, b: (a >= b) & (a <= b), 0, 1, 0),
])
def test_each_comparison_selects_exactly_its_side_of_the_tie(name, build_condition, below, tie, above):
    definition = _indicator(build_condition)
    assert definition.exact(entry_game(2, 3))[0] == below  # a < b (a = 2 < 3 for the constant forms)
    assert definition.exact(entry_game(3, 3))[0] == tie
    assert definition.exact(entry_game(4, 3))[0] == above


def test_rsub_and_negation_compute_the_exact_differences():
    def build(g):
        a, b = g.payoff(0, (0, 0)), g.payoff(1, (0, 0))
        return [10 - a, -b + a / 2]

    assert Definition(build, 2, 2).exact(entry_game(3, 5)) == (7, F(-7, 2))


def test_argmax_takes_the_first_maximal_key_and_minimum_the_smallest_value():
    def build(g):
        a, b = g.payoff(0, (0, 0)), g.payoff(1, (0, 0))
        return [argmax([a, b], [constant(1), constant(2)]), minimum(a, b, 4)]

    definition = Definition(build, 2, 2)
    assert definition.exact(entry_game(5, 5)) == (1, 4)  # tie: the first key
    assert definition.exact(entry_game(5, 6)) == (2, 4)
    assert definition.exact(entry_game(1, 6)) == (2, 1)
    assert definition.exact(entry_game(7, 6)) == (1, 4)


def test_coco_of_chicken_is_the_hand_computed_value():
    # M = 12 at (C, C); the zero-sum game (U0 - U1)/2 = [[0, -5/2], [5/2, 0]] has the saddle
    # value 0: row 2 guarantees 0, column 1 concedes at most 0; coco = (6 + 0, 6 − 0).
    assert coco_value(CHICKEN) == (6, 6)
    pennies = Game.from_arrays([[[2, 0], [0, 2]], [[0, 0], [0, 0]]])
    # M = 2; (U0 - U1)/2 = [[1, 0], [0, 1]] has value 1/2 (mix 1/2, 1/2): coco = (1 + 1/2, 1 - 1/2)
    assert coco_value(pennies) == (F(3, 2), F(1, 2))


# -- the exact reading: what is refused, with its message -------------------------------------------


def test_a_quantity_or_condition_has_no_truth_value():
    g = alg.GameRef((2, 2))
    with pytest.raises(AlgebraError, match="a game quantity has no truth value"):
        bool(g.M)
    with pytest.raises(AlgebraError, match="write cases\\(condition, then, otherwise\\)"):
        bool(g.M >= 1)


def test_division_by_zero_is_refused_for_quantities_and_payoff_arrays():
    g = alg.GameRef((2, 2))
    with pytest.raises(AlgebraError, match="^division by zero in a definition$"):
        g.M / 0
    with pytest.raises(AlgebraError, match="^division by zero in a definition$"):
        g.U[0] / F(0)
    assert (g.U[0] / 2).weights == ((0, F(1, 2)),)


def test_a_payoff_array_is_not_a_number_and_combines_only_with_arrays_of_its_game():
    g, other = alg.GameRef((2, 2)), alg.GameRef((3, 2))
    with pytest.raises(AlgebraError, match="take its zero-sum value with g.value"):
        g.M + g.U[0]
    with pytest.raises(AlgebraError, match="of the same game"):
        g.U[0] + other.U[1]
    with pytest.raises(AlgebraError, match="of the same game"):
        g.U[0] - 1
    with pytest.raises(AlgebraError, match="combination of this game's payoff arrays"):
        g.value(other.U[0])
    with pytest.raises(AlgebraError, match="combination of this game's payoff arrays"):
        g.value(g.M)


def test_negating_a_payoff_array_flips_every_weight_and_its_text():
    g = alg.GameRef((2, 2))
    array = -(g.U[0] - 2 * g.U[1])
    assert array.weights == ((0, F(-1)), (1, F(2)))
    assert array.text() == "(-1*U0 + 2*U1)"
    assert (g.U[0] - g.U[0]).text() == "0"
    assert (g.U[0] * 0).weights == ()


def test_a_zero_sum_value_and_extractable_surplus_need_two_players():
    g = alg.GameRef((2, 2, 2))
    with pytest.raises(AlgebraError, match="defined for two-player games; this one has 3 "):
        g.value(g.U[0])
    with pytest.raises(AlgebraError, match="defined for two-player games; this one has 3 "):
        g.extractable_surplus(0)


def test_argmax_needs_as_many_branches_as_keys_and_cases_a_condition():
    g = alg.GameRef((2, 2))
    with pytest.raises(AlgebraError, match="not 2 keys, 1 branches"):
        argmax([g.M, 1], [g.M])
    with pytest.raises(AlgebraError, match="not 0 keys, 0 branches"):
        argmax([], [])
    with pytest.raises(AlgebraError, match="cases needs a condition such as a >= b, not Atom"):
        cases(g.M, 1, 0)
    with pytest.raises(AlgebraError, match="& joins two conditions"):
        (g.M >= 0) & g.M
    assert maximum(g.M, g.M) == g.M  # one distinct branch: no choice


def test_a_definition_that_returns_no_sequence_is_refused_with_the_reason():
    with pytest.raises(AlgebraError, match="did not return one expression per player"):
        Definition(lambda g: 5, 2, 2).expressions((2, 2))
    with pytest.raises(AlgebraError, match="returned 1 expressions for 2 players"):
        Definition(lambda g: [g.M], 2, 2).expressions((2, 2))


def test_a_conjunction_text_joins_its_comparisons_and_its_atoms_are_found():
    g = alg.GameRef((2, 2))
    condition = (g.M >= 1) & (g.maximin(0) < g.M)
    assert condition.text() == "(1*M[G]() + -1) >= 0 & (1*M[G]() + -1*maximin[G](0)) > 0"
    expression = cases(condition, g.max_payoff(1), 0)
    assert alg.atoms_of(expression) == {g.M, g.maximin(0), g.max_payoff(1)}


def test_the_exact_reading_refuses_foreign_nodes_and_unknown_atom_kinds():
    reading = alg.ExactReading(CHICKEN)
    with pytest.raises(AlgebraError, match="not an expression of the algebra: Comparison"):
        reading.value(alg.GameRef((2, 2)).M >= 0)
    with pytest.raises(AlgebraError, match="unknown atom kind 'nope'"):
        reading.value(alg.Atom("nope", alg.GameRef((2, 2)), ()))
    with pytest.raises(NotImplementedError):
        alg.Condition().parts()
    with pytest.raises(NotImplementedError):
        alg.Expr().text()


# -- the SMT reading: piecewise forms partition the games and agree with the exact reading ------------


def _guarded(build):
    return Definition(build, 2, 2)


def _cases_definition(g):
    a, b, c = g.payoff(0, (0, 0)), g.payoff(1, (0, 0)), g.payoff(0, (1, 1))
    first = cases((a >= b) & (c > 0), a - b, minimum(b, c))
    second = cases(a < c, maximum(a, b) + 1, g.M / 2)
    return [first, second]


def _linear_value(lin: Linear) -> Fraction:
    return lin.const + sum((c * atom_value(a) for a, c in lin.coeffs.items()), F(0))


def _holds(guards) -> bool:
    return all(_linear_value(lin) > 0 if strict else _linear_value(lin) >= 0 for lin, strict in guards)


@settings(max_examples=25, deadline=None)
@given(games(shape=(2, 2), bound=3))
def test_symbolic_cases_partition_every_game_and_agree_with_the_exact_reading(game):
    """Exactly one branch of each piecewise form holds on a pinned game, and its value
    is the exact reading (cases with a conjunction, its negation, minimum, maximum)."""
    definition = _guarded(_cases_definition)
    exact = definition.exact(game)
    for piecewise, value in zip(symbolic_values(definition, SymbolicGame.pinned(game)), exact):
        holding = [v for guards, v in piecewise.branches if _holds(guards)]
        assert len(holding) == 1
        assert _linear_value(holding[0]) == value


def test_the_negation_of_a_conjunction_is_split_into_disjoint_alternatives():
    g = SymbolicGame.unknown((2, 2), name="neg")
    first, _ = symbolic_values(_guarded(_cases_definition), g)
    # then-branch: a ≥ b ∧ c > 0 (one alternative); otherwise: ¬(a ≥ b) or (a ≥ b ∧ ¬(c > 0)),
    # each with minimum(b, c)'s two branches
    assert len(first.branches) == 1 + 2 * 2


def test_symbolic_values_refuse_an_uncovered_shape_and_foreign_nodes():
    with pytest.raises(ValueError, match="^the definition does not cover 2x2x2 games$"):
        symbolic_values(Definition(lambda g: [g.M, g.M], 2, 2), SymbolicGame.unknown((2, 2, 2), name="three"))
    from bargaincheck.encoders.algebra import SymbolicReading

    with pytest.raises(AlgebraError, match="not an expression of the algebra: GameRef"):
        SymbolicReading(SymbolicGame.unknown((2, 2))).pieces(alg.GameRef((2, 2)))


def test_piecewise_arithmetic_and_text():
    g = SymbolicGame.unknown((2, 2), name="pw")
    m = Linear.of(Atom("M", "pw", (), g))
    guard = (m, True)
    piece = Piecewise([((guard,), m), (((m * -1, False),), Linear(const=F(2)))])
    assert repr(piece) == "[1*M[pw] > 0] 1*M[pw] | [-1*M[pw] >= 0] 2"
    assert repr(Piecewise.of(m)) == "1*M[pw]"
    negated = -piece
    assert [v for _, v in negated.branches] == [m * -1, Linear(const=F(-2))]
    rsub = 5 * Linear(const=F(1)) - piece  # Linear - Piecewise goes through Piecewise.__rsub__
    assert [v for _, v in rsub.branches] == [Linear(const=F(5)) - m, Linear(const=F(3))]
    assert [v for _, v in (piece * 3).branches] == [m * 3, Linear(const=F(6))]


def test_piecewise_forms_refuse_more_than_max_branches(monkeypatch):
    from bargaincheck.encoders import algebra as enc

    g = SymbolicGame.unknown((2, 2), name="many")
    atoms = [Linear.of(Atom("max", "many", (i,), g)) for i in range(2)]
    two = Piecewise([(((atoms[0], True),), atoms[0]), (((atoms[0], False),), atoms[1])])
    monkeypatch.setattr(enc, "MAX_BRANCHES", 4)
    assert len((two + Piecewise([(((atoms[1], True),), atoms[0]), ((), atoms[1])])).branches) == 4
    with pytest.raises(EncodingTooLarge, match="more than 3 cases"):
        monkeypatch.setattr(enc, "MAX_BRANCHES", 3)
        two + Piecewise([(((atoms[1], True),), atoms[0]), ((), atoms[1])])


def test_a_decided_false_guard_drops_its_branch_and_a_true_one_is_dropped():
    from bargaincheck.encoders.algebra import _conjoin

    g = SymbolicGame.unknown((2, 2), name="dec")
    m = Linear.of(Atom("M", "dec", (), g))
    assert _conjoin([(Linear(const=F(0)), True)]) is None  # 0 > 0 is false
    assert _conjoin([(Linear(const=F(0)), False), (m, True), (m, True)]) == ((m, True),)  # 0 ≥ 0 true; no repeats
    assert _conjoin([(Linear(const=F(-1)), False)]) is None


# -- encoders.concepts: atoms, their exact values, texts ------------------------------------------------


def test_linear_text_shows_a_nonzero_constant_and_zero_as_0():
    g = SymbolicGame.pinned(CHICKEN)
    assert repr(Linear.of(Atom("M", "g", (), g)) + Linear(const=F(3))) == "1*M[g] + 3"
    assert repr(Linear()) == "0"
    assert repr(Linear.of(Atom("M", "g", (), g))) == "1*M[g]"


def test_atom_values_on_a_pinned_game_are_the_reference_values():
    g = SymbolicGame.pinned(CHICKEN)
    assert atom_value(Atom("M", "g", (), g)) == 12
    assert atom_value(Atom("max", "g", (0,), g)) == 7
    assert atom_value(Atom("max", "g", (1,), g)) == 7
    assert atom_value(Atom("maximin", "g", (0,), g)) == 2  # row 1 guarantees min(6, 2) = 2
    s = extractable_surplus(g, 0)
    (atom,) = s.coeffs
    assert atom.kind == "S" and atom.args == (0,) and s.coeffs[atom] == 1
    # Player 0 leads with row 2 ((7,2) vs (0,0)): player 1 answers column 1, S = 9 − 2 = 7
    assert atom_value(atom) == 7
    with pytest.raises(ValueError, match="unknown atom kind 'zzz'"):
        atom_value(Atom("zzz", "g", (), g))
    assert atoms_of([s, Linear.of(Atom("M", "g", (), g)), s]) == {atom, Atom("M", "g", (), g)}


def test_an_atom_with_unknowns_has_no_value_without_a_substitution():
    g = SymbolicGame.unknown((1, 1), name="free")
    with pytest.raises(ValueError, match=r"the atom M\[free\] still has unknowns"):
        atom_value(Atom("M", "free", (), g))
    x = Symbol("free_p0_0", REAL)
    assert atom_value(Atom("M", "free", (), g), {x: real_const(3), Symbol("free_p1_0", REAL): real_const(-1)}) == 2


# -- encoders.symbolic: domains, fixed payoffs, models -------------------------------------------------


def test_a_domain_refuses_unknown_kinds_and_negative_bounds():
    with pytest.raises(ValueError, match="unknown payoff domain 'complex'"):
        Domain("complex")
    with pytest.raises(ValueError, match="bound ≥ 0 and denominator ≥ 1"):
        Domain("real", F(-1))
    with pytest.raises(ValueError, match="bound ≥ 0 and denominator ≥ 1"):
        Domain("grid", F(1), 0)
    assert Domain("real", F(0)).bound == 0 and Domain("grid", F(1), 1).denominator == 1


def test_domains_describe_themselves():
    assert Domain("real", F(2)).describe() == "real payoffs in [-2, 2]"
    assert Domain("integer", F(5)).describe() == "integer payoffs in [-5, 5]"
    assert Domain("grid", F(3), 4).describe() == "payoffs k/4 in [-3, 3]"


def test_a_grid_game_scales_its_integer_unknowns_and_keeps_fixed_payoffs():
    g = SymbolicGame.unknown((1, 2), Domain("grid", F(1), 4), name="grd", fixed={(0, 1): F(7, 2)})
    assert g.payoffs[0][1] == real_const(F(7, 2))
    assert (0, 1) not in g.unknowns.values() and len(g.unknowns) == 3
    # the bound 1 with denominator 4: k in [-4, 4]
    assert any("4" in str(c) for c in g.constraints)
    game = g.game_from_model({"grdk_p0_0": F(3), "grdk_p1_0": F(-4), "grdk_p1_1": F(1)})
    assert game.payoffs == ((F(3, 4), F(7, 2)), (F(-1), F(1, 4)))
    (term,) = [str(g.payoffs[0][0])]
    assert "1/4" in term


# -- encoders.cuts: strategy maps between a game and its derived games -----------------------------------


def test_strategy_weights_project_onto_and_lift_from_a_destruction_game():
    destruction = types.SimpleNamespace(name="d", base=("g", (2, 1)), extends=None, shared_actions=None)
    mapped = _mapper([destruction])
    z = [real_const(k) for k in (1, 2, 3, 4)]
    projected = mapped(z, ("d", 0), ("g", 0), 2)  # two copies per original action: w_a = z_2a + z_2a+1
    assert [p.simplify().constant_value() for p in projected] == [3, 7]
    assert mapped(z, ("d", 0), ("g", 0), 3) is None  # 4 weights are not 3 actions × 2 copies
    lifted = mapped(z[:2], ("g", 0), ("d", 0), 4)  # onto the no-burn copies
    assert [p.simplify().constant_value() for p in lifted] == [1, 0, 2, 0]
    assert mapped(z[:2], ("g", 0), ("d", 0), 3) is None
    assert mapped(z[:2], ("g", 0), ("g", 0), 2) == z[:2] and mapped(z[:2], ("g", 0), ("g", 0), 3) is None
    assert mapped(z, ("x", 0), ("g", 0), 4) is None


# -- encoders.desiderata: violation cases, lemma splits, the affine fit -----------------------------------


def test_affine_fit_recovers_an_affine_function_with_a_nonzero_constant():
    points = [[F(1), F(2)], [F(0), F(1)], [F(3), F(0)], [F(2), F(2)]]
    values = [2 * x - 3 * y + 5 for x, y in points]
    assert des._affine_fit(points, values) == ([F(2), F(-3)], F(5))
    assert des._affine_fit([[F(1)], [F(4)]], [F(-1, 2)] * 2) == ([F(0)], F(-1, 2))


def test_affine_fit_of_no_parameters_is_the_common_constant_or_none():
    assert des._affine_fit([[], [], []], [F(7)] * 3) == ([], F(7))
    assert des._affine_fit([[], []], [F(7), F(8)]) is None


def test_affine_fit_refuses_an_inconsistent_system():
    # values 1, 2, 4 at x = 0, 1, 2 lie on no line
    assert des._affine_fit([[F(0)], [F(1)], [F(2)]], [F(1), F(2), F(4)]) is None


def test_affine_fit_sets_a_free_unknown_to_zero():
    # the second coordinate is always 0: its coefficient is free
    points = [[F(0), F(0)], [F(1), F(0)], [F(3), F(0)]]
    assert des._affine_fit(points, [F(1), F(3), F(7)]) == ([F(2), F(0)], F(1))
    # the first coordinate equals the constant column's 1: the constant is free, a gets it all
    assert des._affine_fit([[F(1)], [F(1)]], [F(6), F(6)]) == ([F(6)], F(0))


def _shifted_case():
    """A case on g and h = g + 1 (every payoff one more): M(h) − M(g) = 2 exactly."""
    g = SymbolicGame.unknown((2, 2), Domain("real", F(3)), name="tg")
    h = SymbolicGame((2, 2), [[Plus(t, real_const(1)) for t in row] for row in g.payoffs], name="th")
    expression = (Linear.of(Atom("M", "th", (), h)) - Linear.of(Atom("M", "tg", (), g))
                  + Linear.of(Atom("max", "th", (0,), h)) - Linear.of(Atom("max", "tg", (0,), g)) + Linear(const=F(-3)))
    return des.ViolationCase("shifted", expression, [g, h]), g, h


def test_transfer_groups_give_each_group_the_constant_it_moves_by():
    case, g, h = _shifted_case()
    groups = des._transfer_groups(case, case.expression)
    m_group = Linear.of(Atom("M", "th", (), h)) - Linear.of(Atom("M", "tg", (), g)) + Linear(const=F(-2))
    max_group = Linear.of(Atom("max", "th", (0,), h)) - Linear.of(Atom("max", "tg", (0,), g)) + Linear(const=F(-1))
    assert groups == [m_group, max_group]  # M moves by 2, max_0 by 1; the rest (−3 + 2) goes to the last group


def test_transfer_groups_leave_a_single_group_or_an_unfittable_group_alone():
    case, g, h = _shifted_case()
    single = Linear.of(Atom("M", "th", (), h)) - Linear.of(Atom("M", "tg", (), g))
    assert des._transfer_groups(case, single) == [single]
    # an atom of a game outside the case has unknowns the samples do not fix
    stranger = SymbolicGame.unknown((2, 2), name="stranger")
    foreign = single + Linear.of(Atom("M", "stranger", (), stranger))
    assert des._transfer_groups(case, foreign) == [foreign]


def test_transfer_groups_refuse_a_group_that_is_not_affine_in_the_samples():
    # max_0(g) − M(g) is no constant over games: no fit, no split
    case, g, h = _shifted_case()
    expression = (Linear.of(Atom("max", "tg", (0,), g)) - Linear.of(Atom("M", "tg", (), g))
                  + Linear.of(Atom("max", "th", (1,), h)))
    assert des._transfer_groups(case, expression) == [expression]


def test_a_mixture_action_gets_simplex_weights_and_lemmas_with_no_transfer():
    g = SymbolicGame.unknown((2, 2), Domain("real", F(2)), name="mx")
    cases_ = [c for c in des.violation_cases("coco", "redundancy", g) if c.parameters]
    assert len(cases_) == 8  # a mixture for each of the 2 players, each player above/below
    case = cases_[0]
    w0, w1 = Symbol("mx_t2_w0", REAL), Symbol("mx_t2_w1", REAL)
    assert {spec for _, spec, _ in case.parameters.values()} == {("simplex", "w")}
    assert [str(c) for c in case.constraints] == [str(c) for c in (
        real_const(0) <= w0, real_const(0) <= w1)] + ["((mx_t2_w0 + mx_t2_w1) = 1.0)"]
    lemmas = des.lemma_split("coco", "redundancy", case)
    assert [c.name.split(" / ")[1] for c in lemmas] == [
        "lemma 1: 1/2*M[mx_t2] + -1/2*M[mx] > 0",
        "lemma 2: 1*val_1/2U0-1/2U1[mx_t2] + -1*val_1/2U0-1/2U1[mx] > 0",
    ]


def test_the_shift_lemmas_carry_each_groups_parameter_share():
    g = SymbolicGame.unknown((2, 2), Domain("real", F(2)), name="sh")
    case = des.violation_cases("rose", "shift", g)[0]
    names = [c.name.split(" / ")[1] for c in des.lemma_split("rose", "shift", case)]
    # M moves by c0 + c1, S_0 by c0 (the leader keeps its shift), S_1 by c1
    assert names == [
        "lemma 1: 1/2*M[sh_t0] + -1/2*M[sh] + -1/2*param_c0[sh_t0] + -1/2*param_c1[sh_t0] > 0",
        "lemma 2: 1/2*S_0[sh_t0] + -1/2*S_0[sh] + -1/2*param_c0[sh_t0] > 0",
        "lemma 3: -1/2*S_1[sh_t0] + 1/2*S_1[sh] + 1/2*param_c1[sh_t0] > 0",
    ]


def _atoms(name="pg"):
    g = SymbolicGame.unknown((2, 2), name=name)
    return g, {k: Linear.of(Atom(*k.split(":")[0:1], name, tuple(int(a) for a in k.split(":")[1:]), g))
               for k in ("M", "S:0", "S:1", "maximin:0", "max:0")}


def test_pair_groups_share_the_reference_evenly_between_the_concept_atoms():
    _, a = _atoms()
    expression = a["M"] * 2 + a["S:0"] - a["maximin:0"] + Linear(const=F(4))
    assert des._pair_groups(expression) == [a["M"] * 2 - a["maximin:0"] * F(1, 2) + Linear(const=F(2)),
                                            a["S:0"] - a["maximin:0"] * F(1, 2) + Linear(const=F(2))]
    reference_only = a["maximin:0"] - a["max:0"]
    assert des._pair_groups(reference_only) == [reference_only]


def test_initiative_groups_are_the_leader_and_follower_lemmas():
    _, a = _atoms("ig")
    # maximin_0 − ROSE_0 with ROSE_0 = M/2 + (S_0 − S_1)/2
    expression = a["maximin:0"] - a["M"] * F(1, 2) - a["S:0"] * F(1, 2) + a["S:1"] * F(1, 2)
    leader, follower = des._initiative_groups(expression)
    assert leader == (a["maximin:0"] - a["S:0"]) * F(1, 2)  # S_0 ≥ maximin_0
    assert follower == (a["maximin:0"] - a["M"] + a["S:1"]) * F(1, 2)  # M − S_1 ≥ maximin_0
    one_s = a["maximin:0"] - a["M"] - a["S:0"]
    assert des._initiative_groups(one_s) == [one_s]
    both_partners = a["maximin:0"] - a["M"] + a["S:0"] + a["S:1"]
    assert des._initiative_groups(both_partners) == [both_partners]


def test_a_lemma_split_that_does_not_add_up_is_an_error(monkeypatch):
    g = SymbolicGame.unknown((2, 2), name="bad")
    case = des.violation_cases("rose", "maximin", g)[0]
    monkeypatch.setitem(des.LEMMA_SPLITS, ("rose", "maximin"), lambda e: [e, Linear(const=F(1))])
    with pytest.raises(AssertionError, match="lemma split of player 1 below maximin does not add up"):
        des.lemma_split("rose", "maximin", case)
    monkeypatch.setitem(des.LEMMA_SPLITS, ("rose", "maximin"), lambda e: [e])
    assert des.lemma_split("rose", "maximin", case) == [case]


def test_an_unknown_concept_has_no_smt_encoding_and_is_its_own_lemma_family():
    g = SymbolicGame.unknown((2, 2), name="unk")
    with pytest.raises(ValueError, match="concept 'no-such-concept' has no definition in the concept algebra"):
        des.violation_cases("no-such-concept", "pareto", g)
    assert des._lemma_family("no-such-concept", (2, 2)) == "no-such-concept"
    assert des._lemma_family("rose", (2, 2)) == "rose"


def test_a_definition_that_does_not_cover_the_shape_names_it():
    g = SymbolicGame.unknown((1, 2, 2), name="cov")
    with pytest.raises(ValueError, match=r"the definition of 'coco' does not cover 1x2x2 games \(3 players\)"):
        des.violation_cases("coco", "pareto", g)
    # three-player ROSE has a hand-written encoding on 1x2x2 (a one-action player), none on 2x2x2
    assert des.violation_cases("rose", "pareto", g)
    with pytest.raises(ValueError, match="covers three players with a one-action player, not 2x2x2 games"):
        des.violation_cases("rose", "pareto", SymbolicGame.unknown((2, 2, 2), name="cov"))


def test_the_number_of_violation_cases_is_limited_at_max_subqueries(monkeypatch):
    g = SymbolicGame.unknown((2, 2), name="lim")
    monkeypatch.setattr(des, "MAX_SUBQUERIES", 2)
    assert len(des.violation_cases("rose", "pareto", g)) == 2  # two linear cases: at the limit
    monkeypatch.setattr(des, "MAX_SUBQUERIES", 1)
    with pytest.raises(des.TooManySubqueries, match="the violation of pareto by rose has more than 1 cases"):
        des.violation_cases("rose", "pareto", g)


def test_the_choice_split_is_limited_at_max_subqueries(monkeypatch):
    g = SymbolicGame.unknown((2, 2), name="chs")
    case = des.violation_cases("rose", "submax", g)[0]  # M and S_0 on their lower side: profile choices
    count = len(des.subqueries(case))
    assert count > 1
    monkeypatch.setattr(des, "MAX_SUBQUERIES", count)
    assert len(des.subqueries(case)) == count
    monkeypatch.setattr(des, "MAX_SUBQUERIES", count - 1)
    with pytest.raises(des.TooManySubqueries, match=f"has {count} sub-queries, more than {count - 1}"):
        des.subqueries(case)
    assert len(des.subqueries(case, split_choices=False)) == 1


# -- specs.concepts.registry and plugins ------------------------------------------------------------------


def _concept(function, lo=1, hi=None):
    return Concept("t", "t", "a test concept", function, lo, hi)


def test_player_limits_are_stated_in_the_refusal():
    one_player = Game.from_arrays([[1, 2]])
    with pytest.raises(ConceptError, match="^concept 't' takes 2 to 3 players; this game has 1$"):
        evaluate(_concept(lambda g: [0], 2, 3), one_player)
    with pytest.raises(ConceptError, match="takes exactly 2 players; this game has 3$"):
        evaluate(_concept(lambda g: [0], 2, 2), THREE_PLAYERS)
    with pytest.raises(ConceptError, match="takes 2 or more players; this game has 1$"):
        evaluate(_concept(lambda g: [0], 2), one_player)
    assert evaluate(_concept(lambda g: [1, 2, 3], 2, 3), THREE_PLAYERS).values == (1, 2, 3)


def test_a_concept_raising_a_game_error_keeps_it_and_bad_results_are_named():
    def raises_game_error(game):
        raise GameError("bad game")

    with pytest.raises(GameError, match="^bad game$"):
        evaluate(_concept(raises_game_error), ONE_BY_ONE)
    with pytest.raises(ConceptError, match="^concept 't' returned int, not a sequence of values$"):
        evaluate(_concept(lambda g: 5), ONE_BY_ONE)
    with pytest.raises(ConceptError, match="^concept 't': value of player 1: 'abc' is not a number$"):
        evaluate(_concept(lambda g: [0, "abc"]), ONE_BY_ONE)


def test_a_user_concept_whose_module_cannot_be_imported_is_named():
    with pytest.raises(ConceptError, match="cannot import 'no_such_module_bc_gap' for concept 'no_such_module_bc_gap:f'"):
        get_concept("no_such_module_bc_gap:f")


def test_as_concept_reidentifies_a_concept_and_refuses_a_non_callable():
    original = _concept(lambda g: [0, 0], 2, 2)
    renamed = plugins.as_concept(original, id="renamed")
    assert (renamed.id, renamed.description, renamed.min_players, renamed.max_players) == ("renamed", "a test concept", 2, 2)
    assert plugins.as_concept(original, id="t") is original
    assert plugins.as_concept(original) is original
    with pytest.raises(ConceptError, match="not int"):
        plugins.as_concept(3)


@pytest.fixture
def fake_plugins(monkeypatch):
    """Entry points of the concept group pointing into a fake module; the registry restored after."""
    module = types.ModuleType("bc_gap_plugin")
    module.good = lambda game: [0] * game.n_players
    module.bad = 3
    monkeypatch.setitem(sys.modules, "bc_gap_plugin", module)
    entries = [importlib.metadata.EntryPoint("gap-good", "bc_gap_plugin:good", plugins.ENTRY_POINT_GROUP),
               importlib.metadata.EntryPoint("gap-bad", "bc_gap_plugin:bad", plugins.ENTRY_POINT_GROUP)]
    monkeypatch.setattr(plugins.importlib.metadata, "entry_points", lambda group: entries if group == plugins.ENTRY_POINT_GROUP else [])
    monkeypatch.setattr(plugins, "_PROBLEMS", [])
    monkeypatch.setattr(plugins, "_LOADED", {})
    saved = dict(CONCEPTS)
    yield
    CONCEPTS.clear()
    CONCEPTS.update(saved)


def test_an_installed_plugin_is_found_by_id_and_a_broken_one_recorded(fake_plugins):
    assert get_concept("gap-good").id == "gap-good"  # registered on demand, since the registry loaded
    assert evaluate("gap-good", ONE_BY_ONE).values == (0, 0)
    assert plugins.plugin_problems() == [
        "plugin concept 'gap-bad' (bc_gap_plugin:bad): a concept must be a function from Game to values, not int"]
    assert plugins.load_entry_points() == []  # already loaded: skipped; the broken one recorded once
    assert len(plugins.plugin_problems()) == 1


# -- correlated equilibria, two-player ROSE, CoCo ---------------------------------------------------------


def test_a_distribution_is_a_correlated_equilibrium_only_if_it_is_one():
    assert is_correlated_equilibrium(CHICKEN, [F(1, 3), F(1, 3), F(1, 3), 0])  # the classic CE of chicken
    assert not is_correlated_equilibrium(CHICKEN, [1, 0, 0, 0])  # (C, C): each would dare
    assert not is_correlated_equilibrium(CHICKEN, [F(1, 2), F(1, 2), 0])  # wrong length
    assert not is_correlated_equilibrium(CHICKEN, [F(1, 2), F(1, 2), F(1, 2), F(-1, 2)])  # a negative weight
    assert not is_correlated_equilibrium(CHICKEN, [F(1, 3), F(1, 3), F(1, 3), F(1, 3)])  # sum 4/3


def test_ce_splits_of_chicken_and_an_unknown_selection():
    # utilitarian-best CE of chicken: x = (1/2, 1/4, 1/4, 0), sum 10.5, d = (21/4, 21/4); M = 12
    _, d = correlated_equilibrium(CHICKEN, "utilitarian")
    assert d == (F(21, 4), F(21, 4))
    assert ce_split_utilitarian(CHICKEN) == (6, 6)
    assert ce_split_egalitarian(CHICKEN) == (6, 6)
    lopsided = Game.from_arrays([[[4, 0], [0, 0]], [[0, 0], [0, 2]]])  # M = 4; two pure equilibria
    assert ce_split_utilitarian(lopsided) == (4, 0)  # the CE (1,1) with d = (4, 0)
    with pytest.raises(GameError, match="unknown CE selection 'fair'; choose from utilitarian, egalitarian"):
        correlated_equilibrium(CHICKEN, "fair")


def test_two_player_formulas_refuse_three_players():
    with pytest.raises(GameError, match="the two-player ROSE formula needs 2 players, not 3"):
        rose2_initiative_values(THREE_PLAYERS)
    with pytest.raises(GameError, match="the two-player ROSE formula needs 2 players, not 3"):
        rose2_value(THREE_PLAYERS)
    with pytest.raises(GameError, match="coco is a two-player value; this game has 3 players"):
        coco_value(THREE_PLAYERS)
    assert rose2_initiative_values(CHICKEN) == (7, 7) and rose2_value(CHICKEN) == (6, 6)
