"""Seeded search, exhaustive enumeration and `bargaincheck check`."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest

from bargaincheck.checkers.cli import main
from bargaincheck.checkers.exhaustive import exhaustive_search, integer_grids
from bargaincheck.checkers.replay import replay_file
from bargaincheck.checkers.search import games_from_seed, random_game, run_check, search
from bargaincheck.specs.concepts.basic import max_payoff
from bargaincheck.specs.concepts.coco import coco_value
from bargaincheck.specs.concepts.registry import get_concept
from bargaincheck.specs.desiderata.registry import get_desideratum


def test_generated_games_stay_in_the_bound_and_the_shape():
    rng = random.Random(3)
    for _ in range(200):
        game = random_game((2, 3), rng, Fraction(4))
        assert game.n_players == 2
        assert all(1 <= k <= s for k, s in zip(game.shape, (2, 3)))
        assert game.max_abs_payoff() <= 4


def test_the_search_stream_replays_from_its_seed():
    first = [g for g, _ in zip((g for g, _ in games_from_seed((2, 2), Fraction(5), 11)), range(30))]
    again = [g for g, _ in zip((g for g, _ in games_from_seed((2, 2), Fraction(5), 11)), range(30))]
    assert first == again


def test_search_finds_the_coco_threat_violation_quickly():
    """CoCo rewards a costless torture button (seed 001): a seeded search on
    2x2 games finds a violation within seconds."""
    outcome = search(get_concept("coco"), get_desideratum("threat"), (2, 2), Fraction(10), seed=0, timeout=5)
    assert outcome.violation is not None
    assert outcome.violation.gap > 0
    assert outcome.seconds < 5


def test_search_finds_nothing_for_coco_pareto():
    """CoCo splits exactly M(G): no Pareto violation exists."""
    outcome = search(get_concept("coco"), get_desideratum("pareto"), (2, 2), Fraction(5), seed=1, max_games=150)
    assert outcome.violation is None
    assert outcome.games == 150


def test_exhaustive_grid_covers_every_game_once():
    games = list(integer_grids((1, 2), [Fraction(-1), Fraction(0), Fraction(1)]))
    assert len(games) == 3 ** 4
    assert len({g.payoffs for g in games}) == 3 ** 4


def test_exhaustive_symmetry_keeps_one_game_per_action_relabelling():
    """On 1x2 the only relabelling swaps player 2's actions: the 81 games fall
    into 9 fixed points and 36 swapped pairs, 45 orbits."""
    games = list(integer_grids((1, 2), [Fraction(-1), Fraction(0), Fraction(1)], symmetry=True))
    assert len(games) == 45


def test_exhaustive_finds_coco_submax_on_the_sparsest_games():
    outcome = exhaustive_search(get_concept("coco"), get_desideratum("submax"), (2, 2), Fraction(1), timeout=10)
    violation = outcome.violation
    assert violation is not None
    values = coco_value(violation.game)
    assert any(v > max_payoff(violation.game, i) for i, v in enumerate(values))


def test_run_check_logs_a_minimal_witness_that_replays(tmp_path):
    result = run_check("coco", "submax", "2x2", 10, "search", timeout=10, seed=0, catalogue=tmp_path)
    assert result.outcome == "counterexample"
    assert result.details["minimal"] is True
    assert replay_file(result.witness_path).confirmed
    assert (tmp_path / "INDEX.md").exists()


def test_check_cli_exit_codes_and_json(tmp_path, capsys):
    code = main(["check", "--concept", "coco", "--desideratum", "submax", "--timeout", "5",
                 "--catalogue", str(tmp_path), "--json"])
    assert code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["outcome"] == "counterexample" and data["witness"].startswith(str(tmp_path))
    code = main(["check", "--concept", "coco", "--desideratum", "pareto", "--games", "20",
                 "--catalogue", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "no violation found within budget: 20 games" in out and "--seed 0" in out


def test_check_cli_reports_unknown_ids_with_exit_2(capsys):
    assert main(["check", "--concept", "nope", "--desideratum", "submax"]) == 2
    assert "unknown concept" in capsys.readouterr().err


def test_smt_method_without_the_smt_module_is_unknown(tmp_path, capsys):
    import importlib.util

    if importlib.util.find_spec("bargaincheck.checkers.smt") is not None:
        pytest.skip("the SMT method is installed; its own tests cover it")
    code = main(["check", "--concept", "coco", "--desideratum", "pareto", "--method", "smt", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["outcome"] == "unknown" and data["message"] == "smt method not available"
