"""Facts that a mutation-testing pass over the fast-tested modules found untested: each test kills one surviving mutant."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from bargaincheck.specs import batch


def test_a_batch_exactly_one_chunk_long_is_enumerated_whole(monkeypatch):
    """_work(3, 3) = 66 (by hand in test_mutation_gaps), so a chunk budget of 5·66 entries
    gives chunks of exactly 5 games: a batch of 5 is one chunk, not split again."""
    hyperplanes = np.random.default_rng(7).normal(size=(5, 3, 3))
    whole = batch._simplex_vertices(hyperplanes)
    monkeypatch.setattr(batch, "_CHUNK_ENTRIES", 5 * 66)
    one_chunk = batch._simplex_vertices(hyperplanes)
    assert one_chunk.shape == (5, math.comb(6, 2), 3)
    assert np.array_equal(one_chunk, whole)


def test_a_small_leader_batch_is_enumerated_not_solved_game_by_game(monkeypatch):
    """total ≡ 3, follower = [[2, 0], [0, 2]]: max_b ν·follower = max(2p, 2 − 2p) is
    smallest, 1, at ν = (1/2, 1/2), so the surplus is 3 − 1 = 2; a 2 × 2 batch is far
    within MAX_WORK, so the exact per-game fallback is never called."""
    def game_by_game(*args):
        raise AssertionError("a 2 x 2 batch went to the exact per-game fallback")

    monkeypatch.setattr(batch, "_exact_per_game", game_by_game)
    total = np.full((1, 2, 2), 3.0)
    follower = np.array([[[2.0, 0.0], [0.0, 2.0]]])
    assert batch.extractable_surplus(total, follower) == pytest.approx([2.0], abs=1e-12)


def test_a_small_matrix_batch_is_enumerated_not_solved_game_by_game(monkeypatch):
    """[[2, 0], [0, 1]]: the row player mixes (1/3, 2/3), 2·1/3 = 1·2/3, value 2/3; a 2 × 2
    batch (work 6) is far within MAX_WORK, so the exact per-game fallback is never called."""
    def game_by_game(*args):
        raise AssertionError("a 2 x 2 batch went to the exact per-game fallback")

    monkeypatch.setattr(batch, "_exact_per_game", game_by_game)
    matrices = np.array([[[2.0, 0.0], [0.0, 1.0]]])
    assert batch.matrix_game_values(matrices) == pytest.approx([2 / 3], abs=1e-12)


def test_the_value_work_counts_one_hyperplane_per_pair_of_columns():
    """3 rows, 4 columns: C(4, 2) = 6 hyperplanes, so the work is _work(3, 6) =
    3 + C(3,2)·C(6,1)·2² + C(3,3)·C(6,2)·3² = 3 + 72 + 135 = 210; 2 × 2: one
    hyperplane, 2 + 1·1·4 = 6."""
    assert batch._value_work(3, 4) == 210
    assert batch._value_work(2, 2) == 6


def test_two_identical_columns_give_the_value_without_a_floating_point_warning():
    """Columns 1 and 2 of [[1, 1, 0], [0, 0, 1]] are equal, so their tie hyperplane is
    zero: it is left unnormalized, not divided by its zero norm (0/0, "invalid value").
    Value: max over p of min(p, p, 1 − p) = 1/2."""
    matrices = np.array([[[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = batch.matrix_game_values(matrices)
    assert values == pytest.approx([0.5], abs=1e-12)


def test_a_one_column_batch_is_its_largest_entry_without_vertex_enumeration(monkeypatch):
    """With one column the row player just picks the largest entry: 3 for [[1], [3], [-2]],
    0 for [[0], [-1], [0]]; no vertex enumeration (which would build C(3, 2) ties of the
    transposed 1 × 3 game first)."""
    def enumerate_vertices(matrices):
        raise AssertionError("a one-column batch went to the vertex enumeration")

    monkeypatch.setattr(batch, "_row_player_value", enumerate_vertices)
    matrices = np.array([[[1.0], [3.0], [-2.0]], [[0.0], [-1.0], [0.0]]])
    assert list(batch.matrix_game_values(matrices)) == [3.0, 0.0]
