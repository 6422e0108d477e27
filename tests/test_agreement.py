"""Vacuity and agreement: a proof is made only from an encoding that is
satisfiable without the violation and that gives the exact implementation's
values on pinned games; otherwise it is an encoding defect, never "proved"."""

from fractions import Fraction

import pytest

from bargaincheck.checkers.agreement import EncodingDefect, check_agreement, check_vacuity, pinned_games
from bargaincheck.encoders.symbolic import Domain, SymbolicGame


@pytest.mark.parametrize("concept, shape", [("coco", (2, 2)), ("rose", (2, 3)), ("shapley-coco", (2, 1, 1)),
                                            ("shapley-rose", (1, 1, 2))])
def test_the_encodings_agree_with_the_exact_implementations_on_the_pinned_games(concept, shape):
    assert check_agreement(concept, shape, Fraction(10)) == 9


def test_the_pinned_games_are_the_same_on_every_run_and_include_the_zero_game():
    first, second = pinned_games((2, 3), Fraction(10)), pinned_games((2, 3), Fraction(10))
    assert first == second
    assert all(v == 0 for row in first[0].payoffs for v in row)
    assert all(abs(v) <= 10 for g in first for row in g.payoffs for v in row)


def test_a_wrong_hand_written_encoding_disagrees(monkeypatch):
    """A concept without an algebra definition (CoCo's exact values as a plain
    function) given a hand-written encoding with the players swapped: the
    pinned games tell the encoding from the implementation."""
    from bargaincheck.encoders import concepts
    from bargaincheck.encoders.algebra import symbolic_values
    from bargaincheck.specs.concepts.coco import COCO, coco_value
    from bargaincheck.specs.concepts.registry import CONCEPTS, Concept

    def swapped(g):
        a, b = symbolic_values(COCO, g)
        return b.branches[0][1], a.branches[0][1]

    monkeypatch.setitem(CONCEPTS, "coco-twin", Concept("coco-twin", "twin", "CoCo, by hand", coco_value, 2, 2))
    monkeypatch.setitem(concepts.CONCEPT_ENCODINGS, "coco-twin", swapped)
    with pytest.raises(EncodingDefect, match="the exact implementation"):
        check_agreement("coco-twin", (2, 2), Fraction(10))


def test_an_empty_domain_is_vacuous():
    """A payoff box with no point in it (l > u, as an inverted bound would
    write it): every query would be UNSAT; vacuity says so first."""
    from pysmt.shortcuts import GT, Real, Symbol
    from pysmt.typing import REAL

    game = SymbolicGame.unknown((1, 1), Domain("real", Fraction(10)))
    first = next(iter(game.unknowns))
    game.constraints.append(GT(Symbol(first, REAL), Real(10)))  # with u ≤ 10 already: empty
    with pytest.raises(EncodingDefect, match="without the violation is unsat"):
        check_vacuity("coco", "threat", game, Fraction(10))


def test_the_proved_cells_are_not_vacuous():
    game = SymbolicGame.unknown((2, 2), Domain("real", Fraction(10)))
    assert check_vacuity("rose", "threat", game, Fraction(10)) >= 2


def test_a_changed_definition_is_no_longer_proved(mutated_package):
    """The failure that started the concept algebra: a concept changed, its
    proof still "proved". Now ROSE's one definition is changed (the two
    players' initiative terms swapped, in specs/concepts/rose2.py): both its
    readings change with it, the committed maximin record is stale, and the
    SMT check finds the counterexample instead of a proof."""
    mutated_package.replace("specs/concepts/rose2.py", "return m / 2 + (s1 - s2) / 2, m / 2 + (s2 - s1) / 2",
                            "return m / 2 + (s2 - s1) / 2, m / 2 + (s1 - s2) / 2")
    listed = mutated_package.run("proofs", "list", "rose__maximin__2x2__b10")
    assert listed.returncode == 1 and "stale" in listed.stdout
    check = mutated_package.run("check", "--concept", "rose", "--desideratum", "maximin", "--shape", "2x2",
                                "--method", "smt", "--quiet", "--no-pictures", "--catalogue", "out")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "counterexample" in check.stdout and "proved" not in check.stdout
    assert not (mutated_package.parent / "out" / "proofs").exists()


def test_a_changed_n_player_rose_makes_the_records_stale(mutated_package):
    """ROSE's branch and bound changed (max → min in the point evaluation; the
    bomb game then gives 19/3 each): the records of the concept are stale,
    although the 2-player definition they are about did not change."""
    mutated_package.replace("specs/concepts/rose.py", "value = max(s[0] for s in self._solutions(factors, combos[0], a))",
                            "value = min(s[0] for s in self._solutions(factors, combos[0], a))")
    bomb = mutated_package.run("value", "bargaincheck/examples/bomb.nfg", "--concept", "rose")
    assert "19/3" in bomb.stdout
    listed = mutated_package.run("proofs", "list", "rose__maximin__2x2__b10")
    assert listed.returncode == 1 and "stale" in listed.stdout


def test_an_inverted_payoff_box_is_an_encoding_defect_not_a_proof(mutated_package):
    """The box of encoders/symbolic.py inverted (an empty domain): coco ×
    threat on 1x1, which has a catalogued counterexample, was reported proved."""
    mutated_package.replace("encoders/symbolic.py", "low, high = real_const(-domain.bound), real_const(domain.bound)",
                            "low, high = real_const(domain.bound), real_const(-domain.bound)")
    check = mutated_package.run("check", "--concept", "coco", "--desideratum", "threat", "--shape", "1x1",
                                "--method", "smt", "--quiet", "--no-pictures", "--catalogue", "out")
    assert check.returncode == 2, check.stdout + check.stderr
    assert "encoding defect" in check.stderr
    assert not (mutated_package.parent / "out" / "proofs").exists()


def test_a_property_of_the_formula_is_reported_as_such_not_as_a_bounded_proof(tmp_path):
    """ROSE's Pareto optimality: M/2 + (S_1 − S_2)/2 + M/2 + (S_2 − S_1)/2 = M
    identically, so the queries are constants (`(< 0.0 0.0)`); the result and
    the record say it holds by the encoding's form, and the survey cell says so."""
    import json

    from bargaincheck.checkers.smt import smt_check
    from bargaincheck.checkers.survey import _cell_text

    result = smt_check("rose", "pareto", "2x2", 10, 60, tmp_path, use_form=False)
    assert result.message.startswith("holds by the form of the encoding")
    by_definition = smt_check("rose", "pareto", "2x2", 10, 60, tmp_path)  # the definition's form decides first
    assert by_definition.method == "form" and by_definition.message.startswith("holds by the form of the definition")
    record = json.loads((tmp_path / "proofs" / "rose__pareto__2x2__b10.json").read_text())
    assert "by_form" in record and record["checks"]["agreement_pinned_games"] == 9
    cell = {"outcome": "proved", "proofs": [{"shape": "2x2", "bound": "10", "outcome": "proved", "by_form": True}]}
    assert _cell_text(cell, "").startswith("✓ by the form of the encoding")
    assert not smt_check("coco", "maximin", "2x2", 10, 60, tmp_path).message.startswith("holds by the form")


# -- bargaining proofs ---------------------------------------------------------------------


@pytest.mark.parametrize("concept", ["nash", "kalai-smorodinsky", "egalitarian", "utilitarian", "rose-points"])
def test_the_bargaining_encodings_give_exactly_the_exact_solutions_on_pinned_problems(concept):
    from bargaincheck.checkers.agreement import bargaining_checks

    assert bargaining_checks(concept, 3, Fraction(10)) == {"vacuity_solution_sat": 1,
                                                          "agreement_pinned_problems": 8}


def test_a_wrong_exact_bargaining_solution_disagrees_with_its_encoding(monkeypatch):
    """The Nash solution computed as the egalitarian one (both lie on the
    frontier, they differ on most problems): the encoding's unique Nash point
    is not the implementation's."""
    from bargaincheck.checkers.agreement import check_bargaining_agreement
    from bargaincheck.specs.bargaining import solutions

    monkeypatch.setitem(solutions.SOLUTIONS, "nash", solutions.SOLUTIONS["egalitarian"])
    with pytest.raises(EncodingDefect, match="nash on the pinned problem"):
        check_bargaining_agreement("nash", 3, Fraction(10))


def test_an_inverted_bargaining_box_is_an_encoding_defect_not_a_proof(mutated_package):
    """The coordinate box of encoders/bargaining.py inverted (no problem in
    the scope): every query is UNSAT, and before the vacuity check the Nash
    Pareto cell would have been "proved" for an empty set of problems."""
    mutated_package.replace("encoders/bargaining.py", "low, high = real_const(-bound), real_const(bound)",
                            "low, high = real_const(bound), real_const(-bound)")
    check = mutated_package.run("check", "--concept", "nash", "--desideratum", "pareto", "--shape", "k3",
                                "--method", "smt", "--catalogue", "out")
    assert check.returncode == 2, check.stdout + check.stderr
    assert "encoding defect" in check.stderr and "without the violation is unsat" in check.stderr
    assert not (mutated_package.parent / "out" / "proofs").exists()
