"""Games as JSON (SPEC §7) and reading JSON files with one-line errors.

A game JSON object (the "game" part of a witness):

    {
      "title":   "optional title",
      "players": ["Row", "Column"],
      "actions": [["T", "B"], ["L", "R"]],
      "payoffs": [["3", "0", "5/2", "1"], ["3", "5", "0", "-1/2"]]
    }

`payoffs[i]` is player i's payoffs as a flat list over pure profiles in
row-major order: **player 0's action varies slowest**, the last player's
fastest (the order of `Game.profiles()`; note that Gambit `.nfg` files use the
opposite order). With the actions above the profiles are (T,L), (T,R), (B,L),
(B,R). Payoffs are written as exact strings ("9/2", "-3"); reading also
accepts integers and decimal numbers (a JSON number like 0.1 read by
`load_json_file` is the decimal 1/10 exactly, not a float). "players" may be
omitted on input (names "Player 1", ...); "title" is written only when set.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from .. import __version__ as SUITE_VERSION
from .games import Game, GameError, format_fraction, to_fraction
from .limits import MAX_NUMBER_DIGITS, check_game_size, check_int, check_json_depth, parse_number, read_limited_bytes

__all__ = [
    "SUITE_VERSION",
    "GAME_SCHEMA",
    "game_to_json",
    "game_from_json",
    "load_json_file",
    "parse_json_text",
    "plain_json",
]

GAME_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["actions", "payoffs"],
    "properties": {
        "title": {"type": "string"},
        "players": {"type": "array", "items": {"type": "string"}, "description": "one name per player"},
        "actions": {
            "type": "array",
            "items": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "description": "each player's action labels, distinct within a player",
        },
        "payoffs": {
            "type": "array",
            "items": {"type": "array", "items": {"type": ["string", "integer"]}},
            "description": (
                "payoffs[i] = player i's exact payoffs ('3/2', '-4') over pure profiles in "
                "row-major order, player 0's action varying slowest"
            ),
        },
    },
}


def game_to_json(game: Game) -> dict[str, Any]:
    """The game as a JSON-ready dict (SPEC §7), payoffs as exact strings."""
    obj: dict[str, Any] = {}
    if game.title:
        obj["title"] = game.title
    obj["players"] = list(game.players)
    obj["actions"] = [list(acts) for acts in game.actions]
    obj["payoffs"] = [[format_fraction(v) for v in row] for row in game.payoffs]
    return obj


def _payoff(value: Any, where: str) -> Fraction:
    if isinstance(value, float):
        # A float from someone else's json.load: take the decimal it was written as.
        return to_fraction(repr(value), where)
    if isinstance(value, (str, int, Decimal, Fraction)) and not isinstance(value, bool):
        return to_fraction(value, where)
    shown = repr(value) if not isinstance(value, (list, dict)) else json.dumps(value, default=str)
    if len(shown) > 60:
        shown = f"{shown[:60]}… ({type(value).__name__})"
    raise GameError(f"{where}: {shown} is not a number (use an exact string like \"3/2\")")


def _string_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise GameError(f"game JSON: {where} must be a list of strings, got {json.dumps(value, default=str)[:80]}")
    return value


def game_from_json(obj: Any) -> Game:
    """The game in a game JSON dict; GameError naming the key for anything wrong."""
    if not isinstance(obj, dict):
        raise GameError(f"game JSON: expected an object, got {type(obj).__name__}")
    for key in ("actions", "payoffs"):
        if key not in obj:
            raise GameError(f"game JSON: missing key {key!r}")
    actions = obj["actions"]
    if not isinstance(actions, list) or not actions:
        raise GameError("game JSON: 'actions' must be a non-empty list (one list of labels per player)")
    actions = [_string_list(acts, f"actions[{i}]") for i, acts in enumerate(actions)]
    for i, acts in enumerate(actions):
        if not acts:
            raise GameError(f"game JSON: player {i} has an empty action set")
    n = len(actions)
    players = _string_list(obj.get("players", []), "'players'")
    if players and len(players) != n:
        raise GameError(f"game JSON: {len(players)} player names for {n} action sets")
    title = obj.get("title", "")
    if not isinstance(title, str):
        raise GameError("game JSON: 'title' must be a string")
    payoffs = obj["payoffs"]
    if not isinstance(payoffs, list) or len(payoffs) != n:
        count = len(payoffs) if isinstance(payoffs, list) else "no list of"
        raise GameError(f"game JSON: 'payoffs' must hold one flat list per player: {count} lists for {n} players")
    check_game_size([len(acts) for acts in actions], "game JSON")
    size = math.prod(len(acts) for acts in actions)
    shape = "x".join(str(len(a)) for a in actions)
    rows = []
    for i, row in enumerate(payoffs):
        if not isinstance(row, list) or len(row) != size:
            got = f"{len(row)} entries" if isinstance(row, list) else type(row).__name__
            raise GameError(f"game JSON: payoffs[{i}] has {got}, shape {shape} needs a flat list of {size}")
        rows.append(tuple(_payoff(v, f"game JSON: payoffs[{i}][{k}]") for k, v in enumerate(row)))
    return Game(tuple(tuple(a) for a in actions), tuple(rows), tuple(players), title)


def _reject_constant(name: str) -> Any:
    raise GameError(f"{name} is not a finite number")


def _json_int(text: str) -> int:
    """A JSON integer literal, within the number limits before conversion."""
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise GameError(f"an integer of {len(text.lstrip('-'))} digits has more than {MAX_NUMBER_DIGITS} "
                        f"(see docs/reference/limits.md)")
    value = int(text)
    try:
        return check_int(value, "")
    except GameError as error:
        raise GameError(str(error).removeprefix(": ")) from None


def _json_decimal(text: str) -> Decimal:
    """A JSON number with a fraction or exponent, as an exact Decimal, within the
    number limits (checked on the text: Decimal itself fails on huge exponents)."""
    parse_number(text, "number")
    return Decimal(text)


def load_json_file(path: str | Path) -> Any:
    """Parse a JSON file; numbers with a fraction part become exact Decimals,
    NaN/Infinity are refused. The input limits of `specs.limits` hold (file
    size, nesting depth, integer digits). Errors are one-line GameErrors
    naming the file."""
    try:
        data = read_limited_bytes(path)
    except OSError as error:
        raise GameError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise GameError(f"{path}: not a UTF-8 text file") from None
    return parse_json_text(text, str(path))


def parse_json_text(text: str, source: str) -> Any:
    """`load_json_file` for text already read; `source` names it in errors."""
    check_json_depth(text, source)
    try:
        return json.loads(text, parse_float=_json_decimal, parse_int=_json_int, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise GameError(f"{source}:{error.lineno}:{error.colno}: invalid JSON: {error.msg}") from None
    except GameError as error:
        raise GameError(f"{source}: invalid JSON: {error}") from None
    except RecursionError:
        raise GameError(f"{source}: JSON nested too deeply (see docs/reference/limits.md)") from None


def plain_json(obj: Any, number: Any = str) -> Any:
    """JSON as written: the exact Decimals that `load_json_file` reads numbers as,
    turned back into `number(decimal)` (their text by default; `float` for counts)."""
    if isinstance(obj, dict):
        return {k: plain_json(v, number) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain_json(v, number) for v in obj]
    if type(obj).__name__ == "Decimal":
        return number(obj)
    return obj
