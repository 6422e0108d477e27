"""The witness catalogue: one JSON file per minimal witness (SPEC §7) and a
generated index (INDEX.md, index.json) listing them all.

File name: `<concept>__<desideratum>__<shape>__<key8>.json`, where key8 is
the start of the witness's canonical key, so the same witness found twice
lands in the same file. Every write is atomic."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from ..specs.fileio import atomic_write_json, atomic_write_text
from ..specs.games import GameError, format_fraction
from ..specs.witness import SUITE_VERSION, game_from_json, game_to_json, load_json_file
from .minimize import Minimized

__all__ = [
    "witness_record",
    "witness_filename",
    "write_witness",
    "load_witnesses",
    "write_index",
    "INDEX_NOTES",
]

# Context for readers of the index; no game here is used by any search.
INDEX_NOTES = """\
## For comparison: the seed's bomb game

Seed 000 ("Somebody set up us the Bomb") shows Shapley-ROSE failing maximin
dominance with a group house and a bomb: the bomb is a player with utility −1
if it does not explode and 0 if it does; an explosion gives everyone else 0
as well, and the house members' stakes are large enough that every coalition
except "just the bomb" wants the bomb defused. The bomb's maximin value is 0
(it can always explode), but its Shapley-ROSE value is only slightly above −1
with many house members. Any `shapley-rose × maximin` witness listed above
was found by the suite's own search, not copied from the seed; compare its
structure (who can destroy what, and what defusing costs) with the bomb's.
"""


# How to read the witness pictures (drawn by checkers/pictures.py).
PICTURE_LEGEND = """\
Each 2-player witness is drawn in payoff space (player 1 across, player 2 up):
blue dots are the game's pure outcomes (labelled by action pair) and the shaded
region their convex hull (correlated play, before money changes hands); the
dashed diagonal is the Pareto line u1 + u2 = M, where transfers put TU values;
the green dotted lines are the maximin levels; the purple star is the concept's
value on the game, the pink diamond its value on the transformed game (red
crosses: the outcomes the transformation adds), the black ring what the
desideratum requires. The title is the violation with its exact numbers."""


def file_safe(concept: str) -> str:
    """A concept id as a file-name part: letters, digits, - and _ (a user's
    `module:function` id becomes `module-function`)."""
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in concept)


def witness_filename(concept: str, desideratum: str, shape: str, key: str) -> str:
    return f"{file_safe(concept)}__{desideratum}__{shape}__{key[:8]}.json"


def witness_record(minimized: Minimized, found_by: dict[str, Any], path: str | Path) -> dict[str, Any]:
    """The witness JSON object (SPEC §7) for a minimized violation."""
    violation = minimized.violation
    return {
        "concept": violation.concept,
        "desideratum": violation.desideratum,
        "game": game_to_json(violation.game),
        "transformation": violation.params,
        "values": violation.values,
        "violation": violation.message,
        "gap": format_fraction(Fraction(violation.gap)),
        "found_by": found_by,
        "minimal": minimized.minimal,
        "suite_version": SUITE_VERSION,
        "replay": f"bargaincheck replay {path}",
        "canonical_key": minimized.key,
        "extra_games": {name: game_to_json(g) for name, g in violation.extra_games.items()},
    }


def write_witness(directory: str | Path, minimized: Minimized, found_by: dict[str, Any], index: bool = True) -> Path:
    """Write the witness file (atomically) and regenerate the index; returns its path.
    An existing file with the same canonical key keeps its original `found_by`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    violation = minimized.violation
    path = directory / witness_filename(violation.concept, violation.desideratum, violation.game.shape_name, minimized.key)
    if path.exists():
        try:
            old = load_json_file(path)
            if isinstance(old, dict) and old.get("canonical_key") == minimized.key and isinstance(old.get("found_by"), dict):
                found_by = old["found_by"]
        except GameError:
            pass
    record = witness_record(minimized, found_by, path)
    atomic_write_json(path, record)
    if index:
        write_index(directory)
    _warn_if_it_contradicts_a_proof(record, path, directory)
    return path


def _warn_if_it_contradicts_a_proof(witness: dict[str, Any], path: Path, directory: Path) -> None:
    """A re-verified witness inside the scope of a proof on record: the proof
    (now "contradicted", never ✓) or the checker is wrong. Kept, and said loudly."""
    import sys

    from .proofs import proof_records, witness_in_scope

    for folder in dict.fromkeys((None, directory)):
        for record in proof_records(folder):
            if record.get("verdict") == "proved" and witness_in_scope(record, witness):
                print(f"bargaincheck: warning: the witness {path.name} lies inside the scope of the proof record "
                      f"{Path(record['path']).name}: that record is contradicted and no longer counts as a proof",
                      file=sys.stderr)


def load_witnesses(directory: str | Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every witness file in `directory` (sorted by name) with its parsed JSON;
    files that are not witness objects are skipped."""
    result = []
    for path in sorted(Path(directory).glob("*__*.json")):
        try:
            record = load_json_file(path)
        except GameError:
            continue
        if isinstance(record, dict) and "concept" in record and "game" in record:
            result.append((path, record))
    return result


def _max_abs(record: dict[str, Any]) -> str:
    try:
        return format_fraction(game_from_json(record["game"]).max_abs_payoff())
    except GameError:
        return "?"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_index(directory: str | Path) -> tuple[Path, Path]:
    """Regenerate INDEX.md and index.json from the witness files in `directory`."""
    directory = Path(directory)
    entries = []
    for path, record in load_witnesses(directory):
        try:
            shape = game_from_json(record["game"]).shape_name
        except GameError:
            shape = "?"
        entries.append(
            {
                "file": path.name,
                "concept": record.get("concept"),
                "desideratum": record.get("desideratum"),
                "shape": shape,
                "max_abs_payoff": _max_abs(record),
                "violation": record.get("violation", ""),
                "minimal": record.get("minimal", False),
                "canonical_key": record.get("canonical_key", ""),
                **({"picture": path.with_suffix(".png").name} if path.with_suffix(".png").exists() else {}),
            }
        )
    entries.sort(key=lambda e: (str(e["concept"]), str(e["desideratum"]), e["file"]))
    json_path = atomic_write_json(directory / "index.json", {"suite_version": SUITE_VERSION, "witnesses": entries})
    lines = [
        "# Counterexample catalogue",
        "",
        "Generated by `bargaincheck survey` / `bargaincheck check` from the witness files in this",
        "folder; do not edit by hand. Each witness re-verifies with `bargaincheck replay FILE`.",
        "",
        "| concept | desideratum | shape | max \\|payoff\\| | minimal | violation | file |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in entries:
        lines.append(
            f"| {_cell(e['concept'])} | {_cell(e['desideratum'])} | {e['shape']} | {e['max_abs_payoff']} | "
            f"{'yes' if e['minimal'] else 'no'} | {_cell(e['violation'])} | [{e['file']}]({e['file']})"
            + (f" ([picture]({e['picture']}))" if "picture" in e else "")
            + " |"
        )
    if not entries:
        lines.append("| – | – | – | – | – | no witnesses yet | – |")
    pictured = [e for e in entries if "picture" in e]
    if pictured:
        lines += ["", "## Pictures", "", PICTURE_LEGEND, ""]
        for e in pictured:
            try:
                game_text = game_from_json(load_json_file(directory / e["file"])["game"]).describe()
            except (GameError, KeyError, TypeError):
                game_text = "?"
            lines += [f"### {e['concept']} × {e['desideratum']} ({e['shape']})", "", e["violation"], "",
                      "```", game_text, "```", "", f"![{e['concept']} × {e['desideratum']}]({e['picture']})", ""]
    lines += ["", INDEX_NOTES]
    for e in entries:
        if (e["concept"], e["desideratum"]) == ("shapley-rose", "maximin"):
            try:
                record = load_json_file(directory / e["file"])
                game_text = game_from_json(record["game"]).describe()
            except (GameError, KeyError, TypeError):
                continue  # unreadable since it was listed: the table above still names it
            lines += [
                "",
                f"The suite's own minimal witness ({e['file']}, shape {e['shape']}):",
                "",
                "```",
                game_text,
                "```",
                "",
                f"{e['violation']} (short by {record.get('gap', '?')}). For comparison, the seed's bomb "
                "game with h housemates gives the bomb −(h−1)/(h+1) under Shapley-ROSE, below its maximin 0 "
                "by (h−1)/(h+1) = 1/3 for h = 2 (hand computation in tests/test_seed_cases.py), while ROSE "
                "gives it at least its maximin. Payoffs are only defined up to a shift per player: the "
                "canonical form picks, among equal-cost shifts, the one with the fewest negative payoffs.",
            ]
    md_path = atomic_write_text(directory / "INDEX.md", "\n".join(lines))
    return md_path, json_path
