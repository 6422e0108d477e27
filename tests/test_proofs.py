"""Proof records bound to the code that made them: fingerprints, stale and
damaged records, queries rebuilt from today's encoders, `bargaincheck proofs`."""

import json
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bargaincheck.checkers import cli
from bargaincheck.checkers.proofs import (
    ROOT,
    all_records,
    fingerprint,
    proof_records,
    record_name,
    record_status,
    witness_in_scope,
    source_closure,
    verify_record,
)
from bargaincheck.checkers.smt import DEFAULT_OUT, committed_proofs, query_text, tu_query_texts

RECORDS = all_records()
# Rebuilding these takes more than a few seconds; they are verified by `proofs verify` and the slow run.
SLOW_TO_REBUILD = {"rose__threat__2x3__b10__cap10"}


def test_every_committed_record_is_current():
    stale = [f"{record_name(r)}: {r['status'].reason}" for r in RECORDS if not r["status"].current]
    assert not stale


@pytest.mark.parametrize("record", [r for r in RECORDS if record_name(r) not in SLOW_TO_REBUILD],
                         ids=record_name)
def test_every_committed_record_has_the_queries_todays_encoders_build(record):
    assert verify_record(record).current, verify_record(record).reason


@pytest.mark.slow
@pytest.mark.parametrize("record", [r for r in RECORDS if record_name(r) in SLOW_TO_REBUILD], ids=record_name)
def test_the_slow_records_have_the_queries_todays_encoders_build(record):
    assert verify_record(record).current, verify_record(record).reason


def test_query_texts_are_canonical_across_processes():
    """The same scope gives the same text in a fresh interpreter with another
    hash seed (pysmt declares symbols in set order; the text sorts them)."""
    scope = {"shape": "2x2", "bound": "10", "domain": "real"}
    here = tu_query_texts("rose", "maximin", scope)
    program = ("import json; from bargaincheck.checkers.smt import tu_query_texts; "
               "print(json.dumps(tu_query_texts('rose', 'maximin', {'shape': '2x2', 'bound': '10', 'domain': 'real'})))")
    there = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": "12345"}).stdout
    assert json.loads(there) == here


def test_the_fingerprint_covers_the_concept_the_desideratum_and_the_encoders():
    sources = fingerprint("rose", "maximin")["sources"]
    for path in ("specs/concepts/rose.py", "specs/lp.py", "specs/desiderata/payoff_bounds.py",
                 "encoders/concepts.py", "encoders/cuts.py"):
        assert path in sources
    assert not any(p.startswith("checkers/") for p in sources)
    bargaining = fingerprint("nash", "iia", "bargaining")["sources"]
    assert {"specs/bargaining/solutions.py", "specs/bargaining/desiderata.py", "encoders/bargaining.py"} <= set(bargaining)


def test_the_closure_follows_function_level_imports():
    # specs/bargaining/solutions.py imports .pmm only inside a function
    closure = {str(p.relative_to(ROOT)) for p in source_closure(["specs.bargaining.solutions"])}
    assert "specs/bargaining/pmm.py" in closure
    assert all(p.relative_to(ROOT).parts[0] in ("specs", "encoders") for p in source_closure(["encoders.concepts"]))


def _status_in(package, names: list[str]) -> dict[str, list[str]]:
    program = ("import json; from bargaincheck.checkers.proofs import all_records, record_name; "
               "print(json.dumps({record_name(r): [r['status'].state, r['status'].reason] for r in all_records()}))")
    found = json.loads(package.run("-c", program).stdout)
    return {name: found[name] for name in names}


def test_a_changed_concept_makes_its_records_stale(mutated_package):
    mutated_package.replace("specs/concepts/rose.py", "return lo1 - hi2, hi1 - lo2", "return lo1 - lo2, hi1 - hi2")
    status = _status_in(mutated_package, ["rose__maximin__2x2__b10", "bargaining/nash__pareto__k3__b10"])
    state, reason = status["rose__maximin__2x2__b10"]
    assert state == "stale" and "specs/concepts/rose.py" in reason
    assert status["bargaining/nash__pareto__k3__b10"][0] == "current"  # its closure has no rose.py


def test_a_changed_encoder_makes_the_records_stale_and_the_survey_says_so(mutated_package):
    mutated_package.replace("encoders/cuts.py", '"""', '"""changed: ')
    program = ("from bargaincheck.checkers.survey import _committed, _cell_text; "
               "proofs = _committed('rose', 'maximin'); "
               "print(sorted({p['outcome'] for p in proofs})); "
               "print(_cell_text({'outcome': 'none', 'games': 5, 'budget': 1, 'proofs': proofs}, ''))")
    out = mutated_package.run("-c", program).stdout.splitlines()
    assert out[0] == "['stale proof']"
    assert "stale proof (2x2, 2x3, 3x3)" in out[1]


def _copy_record(tmp_path: Path, name: str) -> Path:
    """A fresh record of ROSE × Pareto on 2x2 (0.5 s), made by today's code and the solvers
    (`use_form=False`: the definition's form would decide it with no record) under tmp_path."""
    from bargaincheck.checkers.results import PROVED
    from bargaincheck.checkers.smt import smt_check

    assert name == "rose__pareto__2x2__b10"
    assert smt_check("rose", "pareto", "2x2", 10, 60, tmp_path, use_form=False).outcome == PROVED
    return tmp_path / "proofs" / f"{name}.json"


def test_a_record_without_fingerprint_is_stale_and_not_a_proof(tmp_path):
    path = _copy_record(tmp_path, "rose__pareto__2x2__b10")
    record = json.loads(path.read_text())
    del record["fingerprint"]
    path.write_text(json.dumps(record))
    assert record_status(record, path.parent).state == "stale"
    assert ("rose", "pareto") not in committed_proofs(tmp_path)


def test_a_record_of_other_solver_versions_is_stale(tmp_path):
    path = _copy_record(tmp_path, "rose__pareto__2x2__b10")
    record = json.loads(path.read_text())
    record["fingerprint"]["solvers"] = {**record["fingerprint"]["solvers"], "z3": "4.8.0"}
    path.write_text(json.dumps(record))
    status = record_status(record, path.parent)
    assert status.state == "stale" and "z3 4.8.0" in status.reason


def test_an_altered_query_file_makes_the_record_damaged(tmp_path):
    path = _copy_record(tmp_path, "rose__pareto__2x2__b10")
    query = next((path.parent / "rose__pareto__2x2__b10").glob("*.smt2"))
    query.write_text(query.read_text().replace("(check-sat)", "(assert false)\n(check-sat)"))
    [listed] = proof_records(tmp_path)
    assert listed["status"].state == "damaged"


def test_a_record_whose_queries_differ_from_todays_encoders_fails_verification(tmp_path):
    """Files and fingerprint intact, but the recorded query is not the one the
    encoders build (as if written by other code): verify says stale."""
    path = _copy_record(tmp_path, "rose__pareto__2x2__b10")
    record = json.loads(path.read_text())
    from pysmt.shortcuts import FALSE

    text = query_text(FALSE())
    first = record["queries"][0]["file"]
    (path.parent / first).write_text(text)
    for query in record["queries"]:  # identical texts share one file
        if query["file"] == first:
            query["sha256"] = hashlib.sha256(text.encode()).hexdigest()
    path.write_text(json.dumps(record))
    [listed] = proof_records(tmp_path)
    assert listed["status"].current  # the fingerprint alone does not see it
    status = verify_record(listed)
    assert status.state == "stale" and "differ from today's encoders" in status.reason


def test_proofs_command_lists_every_record_and_exits_0_when_all_are_current(capsys):
    assert cli.main(["proofs"]) == 0
    out = capsys.readouterr().out
    assert f"{len(RECORDS)} of {len(RECORDS)} records current" in out
    assert "rose__threat__2x3__b10__cap10" in out


def test_proofs_command_exits_1_on_a_stale_record(tmp_path, capsys):
    path = _copy_record(tmp_path, "rose__pareto__2x2__b10")
    record = json.loads(path.read_text())
    del record["fingerprint"]
    path.write_text(json.dumps(record))
    assert cli.main(["proofs", "list", "--catalogue", str(tmp_path)]) == 1
    assert "stale" in capsys.readouterr().out


def test_proofs_resolve_makes_a_stale_record_current(tmp_path, capsys):
    path = _copy_record(tmp_path, "rose__pareto__2x2__b10")
    record = json.loads(path.read_text())
    del record["fingerprint"]
    path.write_text(json.dumps(record))
    assert cli.main(["proofs", "resolve", "--catalogue", str(tmp_path)]) == 0
    assert "fingerprint" in json.loads(path.read_text())
    assert cli.main(["proofs", "verify", "--catalogue", str(tmp_path)]) == 0


def test_proofs_command_takes_record_names_before_and_after_options(capsys):
    for argv in (["proofs", "verify", "rose__pareto__2x2__b10", "--certificates"],
                 ["proofs", "verify", "--certificates", "rose__pareto__2x2__b10"]):
        assert cli.main(argv) == 0
        out = capsys.readouterr().out
        assert "1 of 1 records current" in out and "2 certified  rose__pareto__2x2__b10" in out


def test_proofs_command_names_an_unknown_record(capsys):
    assert cli.main(["proofs", "list", "no-such-record"]) == 2
    assert "no proof record 'no-such-record'" in capsys.readouterr().err


# -- consistency with the catalogue ------------------------------------------------------

CATALOGUED = DEFAULT_OUT / "coco__threat__1x1__2d07d88c.json"


def _planted_record(tmp_path: Path) -> Path:
    """A proof record for coco × threat on 1x1 with a fingerprint that matches
    today's code: what a hand-made (or wrongly encoded) proof would look like,
    next to the catalogued 1x1 witness that refutes it."""
    path = _copy_record(tmp_path, "rose__pareto__2x2__b10")
    record = json.loads(path.read_text())
    record.update(concept="coco", desideratum="threat", fingerprint=fingerprint("coco", "threat", "tu", "1x1"))
    record["scope"] = {**record["scope"], "shape": "1x1", "cap": "10"}
    shutil.copy(CATALOGUED, tmp_path)
    planted = path.with_name("coco__threat__1x1__b10__cap10.json")
    planted.write_text(json.dumps(record))
    path.unlink()
    return planted


def test_a_planted_record_that_contradicts_a_catalogued_witness_is_rejected(tmp_path):
    planted = _planted_record(tmp_path)
    [listed] = [r for r in proof_records(tmp_path) if r["path"] == str(planted)]
    assert listed["status"].state == "contradicted"
    assert CATALOGUED.name in listed["status"].reason
    assert ("coco", "threat") not in committed_proofs(tmp_path)


def test_a_witness_lies_in_a_scope_by_pair_shape_and_bound():
    witness = json.loads(CATALOGUED.read_text())
    record = {"concept": "coco", "desideratum": "threat", "scope": {"shape": "2x3", "bound": "10", "cap": "10"}}
    assert witness_in_scope(record, witness)
    assert not witness_in_scope({**record, "desideratum": "maximin"}, witness)
    assert not witness_in_scope({**record, "scope": {"shape": "1x1", "bound": "1/2", "cap": "10"}},
                                {**witness, "game": {**witness["game"], "payoffs": [["1"], ["0"]]}})
    assert not witness_in_scope({**record, "scope": {"shape": "1x1", "bound": "10", "cap": "1/2"}}, witness)
    assert not witness_in_scope({**record, "scope": {"shape": "1x1x1", "bound": "10", "cap": "10"}}, witness)


def test_smt_check_refuses_a_proof_when_a_catalogued_witness_lies_inside_its_scope(tmp_path, monkeypatch):
    from bargaincheck.checkers import proofs
    from bargaincheck.checkers.results import UNKNOWN
    from bargaincheck.checkers.smt import smt_check

    monkeypatch.setattr(proofs, "contradicting_witnesses", lambda record, folders: [CATALOGUED])
    result = smt_check("rose", "pareto", "2x2", 10, 60, tmp_path, use_form=False)
    assert result.outcome == UNKNOWN and "proof refused" in result.message
    assert not (tmp_path / "proofs").exists()


def test_writing_a_witness_inside_a_proofs_scope_says_so(tmp_path, capsys):
    from bargaincheck.checkers.catalogue import _warn_if_it_contradicts_a_proof

    planted = _planted_record(tmp_path)
    _warn_if_it_contradicts_a_proof(json.loads(CATALOGUED.read_text()), CATALOGUED, tmp_path)
    assert f"proof record {planted.name}: that record is contradicted" in capsys.readouterr().err
