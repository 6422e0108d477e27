"""smt_check end to end: a small bounded proof confirmed by both solvers, a
counterexample re-verified exactly, time-outs reported as unknown, and the
lemma split adding up exactly."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from bargaincheck.checkers.results import COUNTEREXAMPLE, PROVED, UNKNOWN
from bargaincheck.checkers.smt import smt_check, solve_texts
from bargaincheck.encoders.concepts import Linear
from bargaincheck.encoders.desiderata import lemma_split, violation_cases
from bargaincheck.encoders.symbolic import Domain, SymbolicGame
from bargaincheck.specs.concepts.coco import coco_value
from bargaincheck.specs.transforms import destruction_game
from bargaincheck.specs.witness import game_from_json


def test_rose_pareto_on_2x2_is_proved_by_both_solvers(tmp_path):
    result = smt_check("rose", "pareto", "2x2", 10, timeout=60, out_dir=tmp_path, use_form=False)
    assert result.outcome == PROVED
    assert any(s.startswith("cvc5") for s in result.solvers) and any(s.startswith("z3") for s in result.solvers)
    record = json.loads(open(result.details["proof_record"]).read())
    assert record["confirmed_by_both"] is True
    for query in record["queries"]:
        assert (tmp_path / "proofs" / query["file"]).read_text().startswith("(set-logic")
        assert query["z3"]["verdict"] == query["cvc5"]["verdict"] == "unsat"


def test_coco_threat_counterexample_is_found_and_reverified_exactly(tmp_path):
    """Already a 1x1 game violates: in the destruction game player 1's button
    raises val((U_1 − U_2)/2) by D_12/2 (hand computation), so CoCo moves."""
    result = smt_check("coco", "threat", "1x1", 10, timeout=60, out_dir=tmp_path)
    assert result.outcome == COUNTEREXAMPLE
    record = json.loads(open(result.witness_path).read())
    game = game_from_json(record["game"])
    caps = record["transformation"]["caps"]
    assert coco_value(destruction_game(game, caps)) != coco_value(game)
    assert record["found_by"]["method"] == "smt"


def test_rose_maximin_lemma_split_adds_up_to_the_violation():
    g = SymbolicGame.unknown((2, 3), Domain("real", Fraction(10)))
    for case in violation_cases("rose", "maximin", g):
        lemmas = lemma_split("rose", "maximin", case)
        assert len(lemmas) == 2
        assert sum((lemma.expression for lemma in lemmas), Linear()) == case.expression


def test_a_solver_that_runs_past_its_limit_is_reported_as_timeout():
    # x^3 + x = y, y^3 + y = 2x + 1 style systems are slow; here a large
    # non-linear query with an absurdly small limit: the verdict must be
    # "timeout", never sat or unsat.
    from bargaincheck.checkers.smt import build_subqueries, query_text

    g = SymbolicGame.unknown((3, 3), Domain("real", Fraction(10)))
    subs = build_subqueries("coco", "maximin", g)
    answers = solve_texts([(query_text(subs[0].formula), "z3")], timeout=0.05)
    assert answers[0].verdict == "timeout"


def test_a_cvc5_configuration_that_hangs_does_not_spend_the_next_ones_time(monkeypatch):
    """The first configuration neither answers nor gives up; with a budget it
    is stopped at its share (budget / 3) and the fallbacks still decide."""
    import time

    from bargaincheck.checkers import smt

    def attempt(text, options):
        if options == {"produce-models": "false"}:  # the relaxation stage: satisfiable, says nothing
            return "sat", {}, ""
        if options is smt.CVC5_OPTIONS:
            time.sleep(60)
        if options is smt.CVC5_FALLBACKS[0]:
            return "unknown", {}, "unknown (INCOMPLETE)"
        return "unsat", {}, ""

    monkeypatch.setattr(smt, "_cvc5_attempt", attempt)  # the forked child inherits it
    start = time.monotonic()
    verdict, _, note = smt._cvc5_solve("(check-sat)", budget=3)
    assert verdict == "unsat" and time.monotonic() - start < 10
    assert note.startswith("first configuration: stopped after 1 s")
    assert note.endswith("decided by fallback 2 (nl-ext=full nl-cov=false)")


def test_rose_maximin_2x2_is_proved_by_both_solvers_within_a_minute(tmp_path):
    """Maximin dominance of 2-player ROSE on every 2x2 game with real payoffs
    in [−10, 10] (seed 000, Propositions 11/12): UNSAT from z3 and cvc5 on
    every sub-query of the lemma/choice/best-response split, in < 60 s."""
    result = smt_check("rose", "maximin", "2x2", 10, timeout=60, out_dir=tmp_path)
    assert result.outcome == PROVED, result.message
    assert result.seconds < 60
    record = json.loads(open(result.details["proof_record"]).read())
    assert all(q["z3"]["verdict"] == q["cvc5"]["verdict"] == "unsat" for q in record["queries"])


@pytest.mark.parametrize("desideratum,shape", [
    ("pareto", "2x2"), ("maximin", "2x2"), ("submax", "2x2"), ("threat", "2x2"),
    ("pareto", "2x3"), ("maximin", "2x3"), ("submax", "2x3"), ("threat", "2x3"),
])
def test_rose_desiderata_are_proved_on_small_shapes(tmp_path, desideratum, shape):
    result = smt_check("rose", desideratum, shape, 10, timeout=300, out_dir=tmp_path)
    assert result.outcome == PROVED, result.message


def test_coco_maximin_is_proved_on_2x2(tmp_path):
    result = smt_check("coco", "maximin", "2x2", 10, timeout=300, out_dir=tmp_path)
    assert result.outcome == PROVED, result.message


def test_unknown_is_not_a_proof(tmp_path):
    """ROSE payoff dominance on 2x2: z3 answers UNSAT within 0.5 s per query,
    cvc5 needs seconds to minutes; with 0.5 s per query it times out, and a
    time-out is never a proof, whatever the other solver says."""
    result = smt_check("rose", "payoff-dominance", "2x2", 10, timeout=0.5, out_dir=tmp_path, minimize_witness=False,
                       budget=20)
    assert result.outcome == UNKNOWN
    assert "timeout" in result.message


def test_integer_domain_queries_are_well_sorted_for_three_players():
    """Integer payoffs are Int symbols: the SMT-LIB2 text must declare QF_NIRA
    (under QF_NRA numerals parse as Reals and `(<= (- 10) k)` is ill-sorted).
    The all-zero game (bound 0) gives every concept value 0 = maximin, so
    every sub-query is UNSAT."""
    from bargaincheck.checkers.smt import build_subqueries, query_text

    g = SymbolicGame.unknown((1, 1, 2), Domain("integer", Fraction(0)))
    texts = [query_text(q.formula) for q in build_subqueries("shapley-rose", "maximin", g)]
    assert all("(set-logic QF_NIRA)" in t for t in texts)
    assert [a.verdict for a in solve_texts([(t, "z3") for t in texts], timeout=60)] == ["unsat"] * len(texts)


def test_shapley_rose_maximin_three_player_witness_by_smt(tmp_path):
    """Shapley-ROSE violates maximin dominance already on 1x1x2 (the search
    finds the same): the SMT witness is re-verified exactly, minimized to
    max |payoff| 1 (bound 0 is decided UNSAT) and player 3 is the victim."""
    from bargaincheck.specs.concepts.registry import get_concept
    from bargaincheck.specs.desiderata.registry import get_desideratum

    result = smt_check("shapley-rose", "maximin", "1x1x2", 10, timeout=60, out_dir=tmp_path)
    assert result.outcome == COUNTEREXAMPLE
    record = json.loads(open(result.witness_path).read())
    game = game_from_json(record["game"])
    assert len(game.shape) == 3 and sorted(game.shape) == [1, 1, 2]
    assert max(abs(v) for row in game.payoffs for v in row) == 1
    assert get_desideratum("maximin").check(get_concept("shapley-rose"), game, {}) is not None
    assert result.details["tightening"][0] == {"bound": 0, "verdicts": "z3: 3 unsat",
                                               "seconds": result.details["tightening"][0]["seconds"],
                                               "witness": False}


# -- vertex refinement and the overall budget -------------------------------------------------


def test_vertex_refinement_cases_are_the_parent_and_one_vertex_alternative_each():
    """Refining a sub-query splits it into parent ∧ alternative over the
    vertex alternatives of one LP witness (fewest alternatives first): for a
    2-action dual witness μ against 2 leader actions, the vertices are the 2
    pure supports × 2 tight rows plus the full support with both rows tight,
    5 in all. On an UNSAT sub-query (ROSE maximin, 2x2) every case is UNSAT."""
    from bargaincheck.checkers.smt import _refine, build_subqueries

    g = SymbolicGame.unknown((2, 2), Domain("real", Fraction(10)))
    sub = next(s for s in build_subqueries("rose", "maximin", g) if s.refinements)
    label, alternatives = sub.refinements[0]
    assert len(alternatives) == 2 * 2 + 1
    assert [len(a) for _, a in sub.refinements] == sorted(len(a) for _, a in sub.refinements)
    tree, hit = _refine(sub, "z3", 60, 2, g, "rose", "maximin", {})
    assert hit is None and tree.label == label
    assert [c.formula.args()[1] for c, _, _, _ in tree.children] == alternatives
    assert tree.verdict() == "unsat" and tree.count() == len(alternatives)


def test_vertex_refinement_keeps_a_violation_reachable():
    """Equisatisfiability: every SAT sub-query of CoCo threat on 1x2 games (a
    violation exists already on 1x1) keeps a SAT case after refinement, and
    that case's model is an exactly re-verified counterexample."""
    from bargaincheck.checkers.smt import _refine, build_subqueries, query_text

    g = SymbolicGame.unknown((1, 2), Domain("real", Fraction(10)))
    subs = [s for s in build_subqueries("coco", "threat", g) if s.refinements]
    answers = solve_texts([(query_text(s.formula), "z3") for s in subs], timeout=60)
    satisfiable = [s for s, a in zip(subs, answers) if a.verdict == "sat"]
    assert satisfiable
    for sub in satisfiable[:3]:
        tree, hit = _refine(sub, "z3", 60, 2, g, "coco", "threat", {})
        assert hit is not None, sub.name
        violation = hit[1]
        assert coco_value(destruction_game(violation.game, violation.params["caps"])) != coco_value(violation.game)


def test_the_overall_budget_is_enforced(tmp_path):
    """`budget` bounds the whole check: Shapley-ROSE on 2x2x2 has sub-queries
    that take minutes; with a 4 s budget the check ends within a few seconds
    of it, and whatever was not decided is a time-out, never a proof."""
    result = smt_check("shapley-rose", "maximin", "2x2x2", 10, timeout=60, out_dir=tmp_path, budget=4,
                       minimize_witness=False, write=False)
    assert result.seconds < 4 + 6
    assert result.outcome in (UNKNOWN, COUNTEREXAMPLE)
    if result.outcome == UNKNOWN:
        assert "timeout" in result.message


def test_committed_proof_records_are_read_only_when_their_files_are_intact(tmp_path):
    """The survey shows a cell as proved from a committed record only when
    the record says both solvers proved it and every SMT-LIB2 file still has
    its recorded sha256: a changed query file makes the record untrusted."""
    import shutil

    from bargaincheck.checkers.smt import DEFAULT_OUT, committed_proofs

    records = committed_proofs()
    shapes = {r["scope"]["shape"] for r in records[("rose", "pareto")]}
    assert {"2x2", "2x3"} <= shapes
    assert all(r["confirmed_by_both"] and r["scope"]["bound"] == "10" for r in records[("rose", "pareto")])
    stem = "rose__pareto__2x2__b10"
    shutil.copytree(DEFAULT_OUT / "proofs" / stem, tmp_path / "proofs" / stem)
    shutil.copy(DEFAULT_OUT / "proofs" / f"{stem}.json", tmp_path / "proofs" / f"{stem}.json")
    assert [r["scope"]["shape"] for r in committed_proofs(tmp_path)[("rose", "pareto")]] == ["2x2"]
    query = tmp_path / "proofs" / stem / "q000.smt2"
    query.write_text(query.read_text().replace("(check-sat)", "(assert false)\n(check-sat)"))
    assert ("rose", "pareto") not in committed_proofs(tmp_path)


def test_a_check_result_with_refinements_is_json_ready(tmp_path, monkeypatch):
    """With a per-query limit too small for some sub-queries, z3's open ones
    are refined; the CheckResult (what `check --json` prints) stays plain
    JSON, with the refinement summarized and the trees in the proof record."""
    import bargaincheck.checkers.smt as smt

    monkeypatch.setattr(smt, "MAX_REFINE_DEPTH", 1)
    result = smt_check("rose", "maximin", "2x2", 10, timeout=0.05, out_dir=tmp_path, budget=20)
    text = json.dumps(result.to_json())
    assert "Refinement" not in text
    assert result.outcome in (PROVED, UNKNOWN)
    if "timeout" in result.message:  # some sub-query stayed open: it was refined, and recorded
        assert result.details["refined"]
        record = json.loads(open(result.details["proof_record"]).read())
        assert any("refinement" in q["z3"] or "refinement" in q.get("cvc5", {}) for q in record["queries"])


@pytest.mark.parametrize("desideratum", ["payoff-dominance", "symmetry"])
def test_coco_payoff_dominance_and_symmetry_are_proved_on_2x2(tmp_path, desideratum):
    """CoCo_1 − CoCo_2 = 2·val((U_1 − U_2)/2): if U_1 ≥ U_2 everywhere the
    value is ≥ 0, and for identical players (U_2(b, a) = U_1(a, b)) the
    zero-sum game is symmetric, of value 0. Both solvers must agree."""
    result = smt_check("coco", desideratum, "2x2", 10, timeout=60, out_dir=tmp_path)
    assert result.outcome == PROVED, result.message
    record = json.loads(open(result.details["proof_record"]).read())
    assert record["confirmed_by_both"]
    if desideratum == "symmetry":
        assert "identity matching" in record["claim"]


def test_an_asymmetric_encoded_concept_gets_an_exactly_verified_symmetry_witness(tmp_path):
    """A user concept that gives player 1 everything (φ = (M, 0)), with its
    SMT encoding: the symmetry query is SAT, and the model is re-verified with
    the reference checker (identical players, unequal values)."""
    from bargaincheck.encoders import concepts as encoders
    from bargaincheck.specs.concepts.basic import total_surplus
    from bargaincheck.specs.concepts.registry import CONCEPTS, Concept, register

    register(Concept("test-dictator", "dictator", "player 1 gets M", lambda g: (total_surplus(g), 0), 2, 2))
    encoders.CONCEPT_ENCODINGS["test-dictator"] = lambda g: (encoders.total_surplus(g), Linear())
    try:
        result = smt_check("test-dictator", "symmetry", "2x2", 10, timeout=60, out_dir=tmp_path,
                           minimize_witness=False)
    finally:
        CONCEPTS.pop("test-dictator", None)
        encoders.CONCEPT_ENCODINGS.pop("test-dictator", None)
    assert result.outcome == COUNTEREXAMPLE
    game = game_from_json(json.loads(open(result.witness_path).read())["game"])
    assert all(game.payoff(1, (b, a)) == game.payoff(0, (a, b)) for a in range(2) for b in range(2))
    assert max(game.total(p) for p in game.profiles()) != 0


def test_symmetry_needs_a_square_two_player_shape(tmp_path):
    result = smt_check("coco", "symmetry", "2x3", 10, timeout=60, out_dir=tmp_path)
    assert result.outcome == UNKNOWN and "k x k" in result.message


def test_the_committed_rose_threat_2x3_record_is_a_proof_by_both_solvers():
    """Its record (the proof is re-run above) must say that both solvers
    decided every sub-query UNSAT (z3 possibly through refinement cases, each
    of which is UNSAT), with every file intact."""
    from bargaincheck.checkers.smt import DEFAULT_OUT, committed_proofs

    [record] = [r for r in committed_proofs()[("rose", "threat")] if r["scope"]["shape"] == "2x3"]
    assert record["scope"]["cap"] == "10" and record["scope"]["bound"] == "10"

    def leaves_unsat(tree):
        return all((case["verdict"] == "unsat") or ("refinement" in case and leaves_unsat(case["refinement"]))
                   for case in tree["cases"])

    for query in record["queries"]:
        assert query["cvc5"]["verdict"] == "unsat"
        assert query["z3"]["verdict"] == "unsat"
        if "refinement" in query["z3"]:
            assert leaves_unsat(query["z3"]["refinement"])
    assert (DEFAULT_OUT / "proofs" / record["queries"][0]["file"]).exists()


def test_rose_symmetry_is_proved_on_2x2(tmp_path):
    """Identical players get equal ROSE values (ROSE_1 − ROSE_2 = S_1 − S_2,
    and S_1 = S_2 when U_2(b, a) = U_1(a, b)): both solvers, every real 2x2
    game in [−10, 10]; the cuts identify the two players' action sets."""
    result = smt_check("rose", "symmetry", "2x2", 10, timeout=60, out_dir=tmp_path)
    assert result.outcome == PROVED, result.message


def test_rose_action_monotonicity_witness_by_smt(tmp_path):
    """ROSE fails action monotonicity (seed 000 proves only the first-
    initiative variant): SMT finds a 1x2 game where one extra action, with
    payoffs chosen by the solver, lowers player 1's value; the model's extra
    action is turned into the desideratum's parameters and re-verified
    exactly, then minimized."""
    from bargaincheck.specs.concepts.registry import get_concept
    from bargaincheck.specs.desiderata.registry import get_desideratum

    result = smt_check("rose", "monotonicity", "1x2", 10, timeout=60, out_dir=tmp_path)
    assert result.outcome == COUNTEREXAMPLE, result.message
    record = json.loads(open(result.witness_path).read())
    game = game_from_json(record["game"])
    params = record["transformation"]
    assert len(params["rows"]) == 1 and len(params["rows"][0]) == game.shape[1 - params["player"]]
    assert get_desideratum("monotonicity").check(get_concept("rose"), game, params) is not None
