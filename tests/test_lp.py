"""The exact simplex: minimax duality, certificates, and the error cases."""

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

from bargaincheck.specs.lp import InfeasibleLP, UnboundedLP, matrix_game_value, solve_lp

small = st.fractions(min_value=-10, max_value=10, max_denominator=4)
matrices = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda cols: st.lists(st.lists(small, min_size=cols, max_size=cols), min_size=rows, max_size=rows)
    )
)


@settings(max_examples=80, deadline=None)
@given(matrices)
def test_matrix_game_value_satisfies_minimax_duality(matrix):
    """von Neumann: the row player's max-min equals the column player's min-max,
    computed independently as −value(−Aᵀ); both optimal strategies certify it."""
    value, x = matrix_game_value(matrix)
    transposed = [[-matrix[r][c] for r in range(len(matrix))] for c in range(len(matrix[0]))]
    column_value, y = matrix_game_value(transposed)
    assert value == -column_value
    assert sum(x) == 1 and all(p >= 0 for p in x)
    for c in range(len(matrix[0])):
        assert sum(x[r] * matrix[r][c] for r in range(len(matrix))) >= value
    for r in range(len(matrix)):
        assert sum(y[c] * matrix[r][c] for c in range(len(matrix[0]))) <= value


def test_matching_pennies_has_value_zero_and_uniform_strategy():
    value, x = matrix_game_value([[1, -1], [-1, 1]])
    assert value == 0 and x == (Fraction(1, 2), Fraction(1, 2))


def test_hand_computed_mixed_value():
    """[[3, 0], [1, 2]]: p·3 + (1−p)·1 = 2(1−p) ⇒ p = 1/4, value 3/2."""
    value, x = matrix_game_value([[3, 0], [1, 2]])
    assert value == Fraction(3, 2) and x == (Fraction(1, 4), Fraction(3, 4))


def test_lp_with_equalities_and_inequalities():
    """max x + y s.t. x + 2y ≤ 4, 3x + y ≤ 6, x − y = 0 ⇒ x = y = 4/3, value 8/3."""
    result = solve_lp([1, 1], [[1, 2], [3, 1]], [4, 6], [[1, -1]], [0])
    assert result.value == Fraction(8, 3) and result.x == (Fraction(4, 3), Fraction(4, 3))


def test_negative_right_hand_sides_are_handled():
    """max −x s.t. −x ≤ −2 (x ≥ 2) ⇒ value −2."""
    assert solve_lp([-1], [[-1]], [-2]).value == -2


def test_infeasible_lp_is_reported():
    with pytest.raises(InfeasibleLP):
        solve_lp([1], [[1]], [1], [[1]], [2])


def test_unbounded_lp_is_reported():
    with pytest.raises(UnboundedLP):
        solve_lp([1, 0], [[-1, 1]], [0])


def _solve_within(seconds: int, *args):
    """solve_lp under a SIGALRM time limit: a pivoting rule that cycles fails
    the test instead of hanging the suite."""
    import signal

    def stop(signum, frame):
        raise TimeoutError(f"the simplex did not finish in {seconds} s: it cycles")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        return solve_lp(*args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_bland_rule_terminates_on_chvatals_cycling_example():
    # Chvátal, Linear Programming (1983), §3: the largest-coefficient rule with
    # smallest-subscript ties cycles here from the slack basis; the optimum is
    # 1 at x = (1, 0, 1, 0).
    F = Fraction
    result = _solve_within(
        10,
        [10, -57, -9, -24],
        [[F(1, 2), F(-11, 2), F(-5, 2), 9], [F(1, 2), F(-3, 2), F(-1, 2), 1], [1, 0, 0, 0]],
        [0, 0, 1],
    )
    assert result.value == 1
    assert result.x == (1, 0, 1, 0)
