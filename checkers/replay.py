"""Re-verifying a logged witness (SPEC §7 `bargaincheck replay`).

The game and the transformation parameters are rebuilt from the file and the
desideratum's exact checker runs again, independently of whatever found the
witness. The witness is confirmed only if the violation is there AND the
recorded values and canonical key agree with the recomputed ones, so a
tampered file (a changed payoff, changed values, another concept) is
rejected with a message saying what differs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..specs.concepts.registry import ConceptError, get_concept
from ..specs.desiderata.base import Violation
from ..specs.desiderata.registry import get_desideratum
from ..specs.games import GameError
from ..specs.limits import check_concept_cost, looks_like_number, parse_number, short
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



def _is_proof_record(record: dict[str, Any]) -> bool:
    return "verdict" in record and ("queries" in record or "claim" in record) and "transformation" not in record


def _check_numbers(value: Any, where: str) -> None:
    """Every number written as a string in the transformation is within the
    number limits (the canonical key reads them all, used or not)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_numbers(item, f"{where}.{key}")
    elif isinstance(value, list):
        for k, item in enumerate(value):
            _check_numbers(item, f"{where}[{k}]")
    elif isinstance(value, str) and looks_like_number(value):
        parse_number(value, where)


def replay_record(record: Any, where: str = "witness") -> ReplayResult:
    """Re-verify one parsed witness object; WitnessError if it is malformed
    (including a transformation the desideratum cannot use, such as caps that
    are not an n × n matrix of numbers)."""
    if not isinstance(record, dict):
        raise WitnessError(f"{where}: expected a JSON object (a witness), got {type(record).__name__}")
    if _is_proof_record(record):
        claim = f"{record.get('concept', '?')} × {record.get('desideratum', '?')}, verdict {record.get('verdict')}"
        raise WitnessError(
            f"{where}: a proof record ({str(claim)[:120]}), not a witness; replay re-checks counterexample "
            "witnesses, and `bargaincheck survey --prove` re-runs proofs"
        )
    if record.get("kind") == "bargaining":
        return _replay_bargaining(record, where)
    concept_id = _require(record, "concept", str, where)
    desideratum_id = _require(record, "desideratum", str, where)
    params = plain_json(_require(record, "transformation", dict, where))
    try:
        _check_numbers(params, "transformation")
    except GameError as error:
        raise WitnessError(f"{where}: {error}") from None
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
    check_concept_cost(concept.id, _transformed_shape(game), where)
    try:
        violation = desideratum.check(concept, game, params)
    except ConceptError as error:
        return ReplayResult(False, f"NOT CONFIRMED: checking the recorded game raised an error: {error}")
    except (GameError, ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        # the recorded game read correctly, so the transformation is malformed
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise WitnessError(
            f"{where}: the recorded transformation {short(json.dumps(params, default=str), 60)} does not fit "
            f"{desideratum_id} on this game: {detail}"
        ) from None
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


def _transformed_shape(game: Any) -> tuple[int, ...]:
    """The shape the concept-cost check is run on: twice each player's actions,
    the size of a transformed game with one extra option per action (a burn
    or a payment aimed at one player, a copy or a new action)."""
    return tuple(2 * k for k in game.shape)


def _replay_bargaining(record: dict[str, Any], where: str) -> ReplayResult:
    """A bargaining witness: malformed (wrong types, an unreadable problem, a
    transformation the desideratum cannot use) is a WitnessError; a violation
    that is not there, or recorded values that differ, is NOT CONFIRMED."""
    from ..specs.bargaining.desiderata import get_bargaining_desideratum
    from ..specs.bargaining.io import problem_from_json
    from ..specs.bargaining.problem import BargainingError
    from ..specs.bargaining.solutions import SOLUTIONS
    from .bargaining_search import replay_bargaining_witness

    concept_id = _require(record, "concept", str, where)
    desideratum_id = _require(record, "desideratum", str, where)
    problem = _require(record, "problem", dict, where)
    for key in ("transformation", "values"):
        if record.get(key) is not None and not isinstance(record[key], dict):
            raise WitnessError(f"{where}: {key!r} has the wrong type ({type(record[key]).__name__})")
    try:
        _check_numbers(record.get("transformation") or {}, "transformation")
        problem_from_json(problem)
        get_bargaining_desideratum(desideratum_id)
        if concept_id not in SOLUTIONS:
            raise BargainingError(f"unknown bargaining concept {concept_id!r}; known: {', '.join(SOLUTIONS)}")
        confirmed, message = replay_bargaining_witness(record)
    except (BargainingError, GameError) as error:
        raise WitnessError(f"{where}: {error}") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, ZeroDivisionError) as error:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise WitnessError(
            f"{where}: the recorded transformation does not fit {desideratum_id} on this problem: {detail}"
        ) from None
    if message.startswith("malformed bargaining witness"):
        raise WitnessError(f"{where}: {message}")
    return ReplayResult(confirmed, message if confirmed else f"NOT CONFIRMED: {message}")


def replay_file(path: str | Path) -> ReplayResult:
    """Re-verify the witness file at `path`; WitnessError if it is malformed,
    with a pointer to `value` for a Gambit .nfg game."""
    try:
        record = load_json_file(path)
    except GameError as error:
        if _is_nfg(path):
            raise WitnessError(
                f"{path}: a Gambit .nfg game, not a witness; replay re-checks a witness JSON (such as a file in "
                f"counterexamples/), and `bargaincheck value {path} --concept ID` evaluates a game"
            ) from None
        raise WitnessError(f"{error} (replay expects a witness JSON file)" if "invalid JSON" in str(error)
                           else str(error)) from None
    return replay_record(record, str(path))


def _is_nfg(path: str | Path) -> bool:
    if str(path).lower().endswith(".nfg"):
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"NFG")
    except OSError:
        return False
