"""Puts tests/ on sys.path so that test modules can `from strategies import ...`
(pytest runs with --import-mode=importlib, which does not add it), and finds the
Gambit game corpus the .nfg tests compare against.

The corpus (the `.nfg` files of the Gambit project) is not part of this repository:
set `BARGAINCHECK_GAMBIT_GAMES` to the folder holding it. Without it, the tests that
need the corpus are skipped with a reason that names the variable (`pytest -rs`)."""

import os
import sys
from pathlib import Path

import pytest

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

GAMBIT_GAMES_VARIABLE = "BARGAINCHECK_GAMBIT_GAMES"


def _gambit_games_dir() -> tuple[Path | None, str]:
    """The corpus folder, or None and the reason it is not usable."""
    value = os.environ.get(GAMBIT_GAMES_VARIABLE, "")
    if not value:
        return None, f"{GAMBIT_GAMES_VARIABLE} is unset: no Gambit game corpus to compare against"
    folder = Path(value)
    if not folder.is_dir():
        return None, f"{GAMBIT_GAMES_VARIABLE}={value} is not a folder"
    if not any(folder.glob("*.nfg")):
        return None, f"{GAMBIT_GAMES_VARIABLE}={value} holds no .nfg files"
    return folder, ""


@pytest.fixture(scope="session")
def gambit_games() -> Path:
    """The Gambit corpus folder (`BARGAINCHECK_GAMBIT_GAMES`); skips the test when it is unset or missing."""
    folder, reason = _gambit_games_dir()
    if folder is None:
        pytest.skip(reason)
    return folder


def pytest_generate_tests(metafunc):
    """A test asking for `gambit_nfg_file` runs once per `.nfg` file of the corpus
    (or is skipped once, with the reason, when there is no corpus)."""
    if "gambit_nfg_file" not in metafunc.fixturenames:
        return
    folder, reason = _gambit_games_dir()
    if folder is None:
        metafunc.parametrize("gambit_nfg_file", [pytest.param(None, marks=pytest.mark.skip(reason=reason))], ids=["no-corpus"])
        return
    files = sorted(folder.glob("*.nfg"))
    metafunc.parametrize("gambit_nfg_file", files, ids=[p.name for p in files])


class MutatedPackage:
    """A copy of the package (sources and catalogue) under a temporary folder,
    to be changed and run in a child interpreter: how a test shows that a
    change of the code is noticed (stale records, encoding defects)."""

    def __init__(self, parent: Path):
        import shutil

        root = Path(__file__).resolve().parents[1]
        self.parent = parent
        self.root = parent / "bargaincheck"
        shutil.copytree(root, self.root, ignore=shutil.ignore_patterns(
            ".venv", ".git", "__pycache__", "docs", "tests", "benchmarks", "*.png", "witnesses", "survey-out"))

    def replace(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text()
        assert text.count(old) >= 1, f"{old!r} is not in {relative}"
        path.write_text(text.replace(old, new, 1))

    def run(self, *arguments: str, timeout: float = 300) -> "subprocess.CompletedProcess":
        """`python -m bargaincheck ARGUMENTS` or `python -c CODE` (arguments[0] == "-c") on the copy."""
        import subprocess

        command = [sys.executable] + (list(arguments) if arguments[0] == "-c" else ["-m", "bargaincheck", *arguments])
        return subprocess.run(command, capture_output=True, text=True, cwd=self.parent, timeout=timeout,
                              env={**os.environ, "PYTHONPATH": str(self.parent)})


@pytest.fixture
def mutated_package(tmp_path) -> MutatedPackage:
    """A changeable copy of the package (see MutatedPackage)."""
    return MutatedPackage(tmp_path)
