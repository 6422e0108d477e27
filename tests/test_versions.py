"""One version story: the solvers the suite runs, the versions `--version`
prints, the pins in pyproject.toml, the versions every committed proof record
names and the versions the README states are the same."""

import re
from importlib.metadata import version
from pathlib import Path

import pytest

from bargaincheck.checkers import cli
from bargaincheck.checkers.smt import DEFAULT_OUT, solver_versions

ROOT = Path(__file__).resolve().parents[1]
RECORDS = sorted((DEFAULT_OUT / "proofs").glob("*.json")) + sorted((DEFAULT_OUT / "proofs" / "bargaining").glob("*.json"))


def _pins() -> dict[str, str]:
    return dict(re.findall(r'^\s*"([\w\-]+)==([^"]+)",', (ROOT / "pyproject.toml").read_text(), re.MULTILINE))


def test_the_solvers_and_the_smtlib_writer_are_pinned_to_what_is_installed():
    pins = _pins()
    assert set(pins) == {"z3-solver", "cvc5", "pysmt"}
    for distribution, pinned in pins.items():
        assert version(distribution) == pinned


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_every_committed_proof_record_names_the_installed_solvers(path):
    import json

    assert json.loads(path.read_text())["solvers"] == solver_versions()


def test_the_committed_records_are_found():
    assert len(RECORDS) >= 30


def test_version_option_names_the_suite_and_the_installed_solvers(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    line = capsys.readouterr().out.strip()
    versions = solver_versions()
    from bargaincheck import __version__

    assert line == f"bargaincheck {__version__} (z3 {versions['z3']}, cvc5 {versions['cvc5']}, pysmt {versions['pysmt']})"


def test_readme_states_the_solver_versions_of_the_records():
    stated = re.findall(r"z3 (\d[\w.\-]*) and cvc5 (\d[\w.\-]*)", (ROOT / "README.md").read_text())
    assert stated, "the README names the solver versions of the proofs on record"
    versions = solver_versions()
    assert all((z3, cvc5) == (versions["z3"], versions["cvc5"]) for z3, cvc5 in stated)


def test_the_committed_bargaining_matrix_names_the_installed_solvers():
    """The matrix is derived from the records; refreshed with them, it names
    the same versions (`bargaining_search.refresh_matrix`)."""
    text = (DEFAULT_OUT / "bargaining" / "bargaining-matrix.json").read_text()
    installed = solver_versions()
    named = set(re.findall(r'"(z3|cvc5) ([0-9][^"]*)"', text))
    assert named == {("z3", installed["z3"]), ("cvc5", installed["cvc5"])}
