"""The exact simplex's tableau holds GMP rationals (specs/lp.py): results are
Fractions, equal to those of a Fraction tableau, for inputs of any exact kind."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from bargaincheck.specs import lp

entries = st.integers(-6, 6).flatmap(lambda k: st.sampled_from([1, 2, 3]).map(lambda q: Fraction(k, q)))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4).flatmap(lambda r: st.integers(1, 4).flatmap(
    lambda c: st.lists(st.lists(entries, min_size=c, max_size=c), min_size=r, max_size=r))))
def test_gmp_and_fraction_tableaus_give_the_same_game_values(matrix):
    value, strategy = lp.matrix_game_value(matrix)
    used = lp.mpq
    lp.mpq = Fraction
    try:
        assert lp.matrix_game_value(matrix) == (value, strategy)
    finally:
        lp.mpq = used
    assert type(value) is Fraction and all(type(x) is Fraction for x in strategy)
    assert sum(strategy) == 1 and min(strategy) >= 0


def test_inputs_of_every_exact_kind_are_read_exactly():
    """max x + y s.t. x + 2y ≤ 3/2, x ≤ 0.25 (a float, at its binary value), x, y ≥ 0."""
    result = lp.solve_lp([1, 1], [["1", 2], [Fraction(1), 0]], ["3/2", 0.25])
    assert result.value == Fraction(1, 4) + Fraction(5, 8)
    assert result.x == (Fraction(1, 4), Fraction(5, 8))
    assert all(type(v) is Fraction for v in (result.value,) + result.x)


def test_a_malformed_coefficient_is_refused_as_fractions_refuse_it():
    with pytest.raises(ValueError):
        lp.solve_lp([1], [["one"]], [1])
