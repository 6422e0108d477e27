"""Re-verifying a logged witness (SPEC §7 `bargaincheck replay`).

The game and the transformation parameters are rebuilt from the file and the
desideratum's exact checker runs again, independently of whatever found the
witness. The witness is confirmed only if the violation is there AND the
recorded values and canonical key agree with the recomputed ones, so a
tampered file (a changed payoff, changed values, another concept) is
rejected with a message saying what differs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..specs.concepts.registry import ConceptError, get_concept
from ..specs.desiderata.base import Violation
from ..specs.desiderata.registry import get_desideratum
from ..specs.games import GameError
from ..specs.witness import game_from_json, load_json_file, plain_json
from .minimize import canonical_key

__all__ = ["WitnessError", "ReplayResult", "replay_record", "replay_file"]


class WitnessError(GameError):
    """The witness file is malformed (not a witness object, missing keys)."""


@dataclass(frozen=True)
class ReplayResult:
    """confirmed: the violation holds exactly as recorded; message: the
    violation sentence when confirmed, else what went wrong."""

    confirmed: bool
    message: str
    violation: Violation | None = None


def _require(record: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in record:
        raise WitnessError(f"{where}: missing key {key!r}")
    if not isinstance(record[key], kind):
        raise WitnessError(f"{where}: {key!r} has the wrong type ({type(record[key]).__name__})")
    return record[key]



def replay_record(record: Any, where: str = "witness") -> ReplayResult:
    """Re-verify one parsed witness object; WitnessError if it is malformed."""
    if not isinstance(record, dict):
        raise WitnessError(f"{where}: expected a JSON object, got {type(record).__name__}")
    if record.get("kind") == "bargaining":
        from .bargaining_search import replay_bargaining_witness

        confirmed, message = replay_bargaining_witness(record)
        return ReplayResult(confirmed, message if confirmed else f"NOT CONFIRMED: {message}")
    concept_id = _require(record, "concept", str, where)
    desideratum_id = _require(record, "desideratum", str, where)
    params = plain_json(_require(record, "transformation", dict, where))
    recorded_values = plain_json(_require(record, "values", dict, where))
    try:
        game = game_from_json(_require(record, "game", dict, where))
    except WitnessError:
        raise
    except GameError as error:
        raise WitnessError(f"{where}: {error}") from None
    try:
        concept = get_concept(concept_id)
        desideratum = get_desideratum(desideratum_id)
    except ConceptError as error:
        raise WitnessError(f"{where}: {error}") from None
    try:
        violation = desideratum.check(concept, game, params)
    except (ConceptError, GameError) as error:
        return ReplayResult(False, f"NOT CONFIRMED: checking the recorded game raised an error: {error}")
    if violation is None:
        return ReplayResult(
            False,
            f"NOT CONFIRMED: {concept_id} satisfies {desideratum_id} on the recorded game and transformation "
            f"(no violation; the file may have been edited or the concept changed)",
        )
    if violation.values != recorded_values:
        return ReplayResult(
            False,
            f"NOT CONFIRMED: the recomputed values {violation.values} differ from the recorded {recorded_values}",
            violation,
        )
    recorded_key = record.get("canonical_key")
    if recorded_key is not None:
        key = canonical_key(concept.id, desideratum.id, game, params)
        if key != recorded_key:
            return ReplayResult(
                False,
                "NOT CONFIRMED: the game or transformation differs from the logged witness "
                f"(canonical key {key[:12]}… ≠ recorded {str(recorded_key)[:12]}…)",
                violation,
            )
    return ReplayResult(True, f"confirmed: {violation.message}", violation)


def replay_file(path: str | Path) -> ReplayResult:
    """Re-verify the witness file at `path`; WitnessError if it is malformed."""
    try:
        record = load_json_file(path)
    except GameError as error:
        raise WitnessError(str(error)) from None
    return replay_record(record, str(path))
