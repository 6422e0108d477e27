"""Expected-results tables: `bargaincheck survey --expect FILE` fails, naming
the cells, when a survey's matrix differs from the recorded one.

An expected table is either a whole `survey.json` (its "cells"), or the short
form written by `bargaincheck survey --write-expected FILE`::

    {
      "bargaincheck-expected": 1,
      "cells": {
        "coco/threat": "counterexample",
        "coco/pareto": "none-found",
        "mypackage.values:my_value/maximin": "proved"
      },
      "settings": {"shapes": ["2x2"], "bound": "5", "max_games_per_shape": 500, "seed": 0}
    }

(a bare {"concept/desideratum": outcome} object is accepted too). The optional
"settings" (as in survey.json) are the defaults of the rerun: the command
line's --shapes, --bound, --games, --budget override them. Outcomes:
"counterexample", "proved" (bounded SMT proof), "none-found" (searched, no
violation: "unknown" is read as the same), "n/a", "error".

Every difference is reported, each with what it means: a property lost (the
expected "proved"/"none-found" cell now has a counterexample), a proof that
became unknown, a counterexample no longer found, a cell that errors, a cell
missing from the run. Cells in the run but not in the table are listed as
"not in the expected table" without failing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from ..specs.fileio import atomic_write_json
from ..specs.games import GameError
from ..specs.witness import load_json_file

__all__ = [
    "OUTCOMES",
    "Difference",
    "normalize_outcome",
    "matrix_of",
    "load_expected",
    "expected_settings",
    "expected_table",
    "write_expected",
    "compare",
    "format_differences",
]

OUTCOMES = ("counterexample", "proved", "none-found", "n/a", "error")
_ALIASES = {"unknown": "none-found", "none found": "none-found", "none": "none-found", "not-applicable": "n/a"}
_CELL_SEPARATORS = (" × ", "/")


@dataclass(frozen=True)
class Difference:
    """One cell whose outcome differs: `kind` says what that means; `failing`
    is False only for cells the expected table does not mention."""

    concept: str
    desideratum: str
    expected: str | None
    actual: str | None
    kind: str
    failing: bool = True

    @property
    def cell(self) -> str:
        return f"{self.concept}/{self.desideratum}"

    def __str__(self) -> str:
        return f"{self.cell}: expected {self.expected or '(absent)'}, got {self.actual or '(not run)'} ({self.kind})"


def normalize_outcome(text: Any, where: str = "expected table") -> str:
    """An outcome name (aliases such as "unknown" allowed); GameError naming `where` otherwise."""
    outcome = str(text).strip().lower() if isinstance(text, str) else None
    outcome = _ALIASES.get(outcome, outcome) if outcome is not None else None
    if outcome not in OUTCOMES:
        shown = repr(text) if isinstance(text, str) else json.dumps(text, default=str)
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        raise GameError(f"{where}: unknown outcome {shown}; expected one of {', '.join(OUTCOMES)}")
    return outcome


def _split_cell(key: str, where: str = "expected table") -> tuple[str, str]:
    for separator in _CELL_SEPARATORS:
        concept, found, desideratum = key.rpartition(separator)
        if found and concept and desideratum:
            return concept.strip(), desideratum.strip()
    shown = key if len(key) <= 60 else key[:60] + "…"
    raise GameError(f"{where}: cell key {shown!r} is not 'concept/desideratum' (e.g. \"coco/threat\")")


def matrix_of(report: Mapping[str, Any], source: str = "expected table") -> dict[tuple[str, str], str]:
    """{(concept, desideratum): outcome} of a survey report (survey.json);
    GameError naming `source` and the cell for a malformed entry."""
    matrix = {}
    cells = report.get("cells", {})
    if not isinstance(cells, Mapping):
        raise GameError(f"{source}: 'cells' is not an object")
    for key, cell in cells.items():
        if isinstance(cell, dict):
            concept = cell.get("concept")
            desideratum = cell.get("desideratum")
            if not (isinstance(concept, str) and isinstance(desideratum, str) and concept and desideratum):
                concept, desideratum = _split_cell(key, source)
            where = f"{source}: cell {key!r} 'outcome'"
            matrix[(concept, desideratum)] = normalize_outcome(cell.get("outcome", "error"), where)
        else:
            concept, desideratum = _split_cell(key, source)
            matrix[(concept, desideratum)] = normalize_outcome(cell, f"{source}: cell {key!r}")
    return matrix


def load_expected(source: str | Path | Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """The expected matrix from a file (survey.json or the short form) or a dict."""
    if isinstance(source, Mapping):
        data: Any = source
        name = "expected table"
    else:
        data = load_json_file(source)
        name = f"expected table {source}"
    if not isinstance(data, dict):
        raise GameError(f"{name}: not a JSON object (expected {{\"cells\": {{\"concept/desideratum\": outcome}}}})")
    if "cells" not in data:
        data = {"cells": {k: v for k, v in data.items() if k not in ("bargaincheck-expected", "settings")}}
    if not isinstance(data["cells"], dict):
        raise GameError(f"{name}: 'cells' is not an object")
    if "settings" in data and not isinstance(data["settings"], dict):
        raise GameError(f"{name}: 'settings' is not an object")
    return matrix_of(data, name)


def expected_settings(source: str | Path | Mapping[str, Any]) -> dict[str, Any]:
    """The settings recorded with an expected table ({} when none)."""
    data = source if isinstance(source, Mapping) else load_json_file(source)
    settings = data.get("settings") if isinstance(data, Mapping) else None
    return dict(settings) if isinstance(settings, Mapping) else {}


_SETTING_KEYS = ("shapes", "bound", "seed", "budget_seconds_per_cell", "max_games_per_shape")


def expected_table(matrix: Mapping[tuple[str, str], str], settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The short JSON form of a matrix (keys sorted, so diffs stay readable),
    with the survey settings that reproduce it."""
    cells = {f"{c}/{d}": outcome for (c, d), outcome in sorted(matrix.items())}
    table: dict[str, Any] = {"bargaincheck-expected": 1, "cells": cells}
    if settings:
        table["settings"] = {k: settings[k] for k in _SETTING_KEYS if k in settings}
    return table


def write_expected(
    path: str | Path, matrix: Mapping[tuple[str, str], str], settings: Mapping[str, Any] | None = None
) -> Path:
    return atomic_write_json(Path(path), expected_table(matrix, settings))


def _kind(expected: str, actual: str) -> str:
    if actual == "counterexample":
        return "property lost: new counterexample" if expected in ("proved", "none-found") else "new counterexample"
    if expected == "proved":
        return "proof became unknown" if actual == "none-found" else f"proof became {actual}"
    if expected == "counterexample":
        return "counterexample no longer found" if actual == "none-found" else f"counterexample became {actual}"
    if actual == "error":
        return "the cell now raises an error"
    return "outcome changed"


def compare(
    expected: Mapping[tuple[str, str], str], actual: Mapping[tuple[str, str], str]
) -> list[Difference]:
    """Every cell where the run differs from the table, in table order, then
    the cells the table does not mention (not failing)."""
    differences = []
    for (concept, desideratum), want in expected.items():
        got = actual.get((concept, desideratum))
        if got is None:
            differences.append(Difference(concept, desideratum, want, None, "cell missing from the run"))
        elif got != want:
            differences.append(Difference(concept, desideratum, want, got, _kind(want, got)))
    for (concept, desideratum), got in actual.items():
        if (concept, desideratum) not in expected:
            differences.append(Difference(concept, desideratum, None, got, "not in the expected table", failing=False))
    return differences


def format_differences(differences: list[Difference]) -> str:
    """Lines for the terminal: failing cells first."""
    failing = [d for d in differences if d.failing]
    extra = [d for d in differences if not d.failing]
    lines = [f"expected-table mismatch in {len(failing)} cell(s):"] if failing else ["matches the expected table"]
    lines += [f"  {d}" for d in failing]
    if extra:
        lines.append(f"{len(extra)} cell(s) not in the expected table (not checked):")
        lines += [f"  {d.cell}: {d.actual}" for d in extra]
    return "\n".join(lines)

