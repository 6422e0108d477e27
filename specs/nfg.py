"""Gambit's strategic-form file format (`.nfg`), read and written exactly.

A file starts `NFG 1 R "title" { "Player 1" "Player 2" }` (or `NFG 1 D`), then
the strategies, either as labels `{ { "a" "b" } { "c" "d" } }` or as counts
`{ 2 2 }` (labels "1", "2", ...), then an optional comment string, then one of
two bodies:

- payoff version: a flat list of numbers, n per pure profile;
- outcome version: a list of outcomes `{ "name" p_1, ..., p_n }` (commas
  optional), then one outcome index per pure profile (1-based; 0 is the null
  outcome, with every payoff 0).

Profiles are listed with **player 1's strategy varying fastest**; `Game` stores
them with player 0 (= Gambit's player 1) varying slowest, so reading and
writing reorder. Numbers are integers, rationals `3/2`, or decimals with an
optional exponent (`7.600000`, `-1.5e3`); every one is read exactly (also in
`NFG 1 D` files), never through a float, by `specs.limits.parse_number`, which
also enforces the number limits (digits, magnitude). A file may have at most
`MAX_GAME_ENTRIES` payoffs (profiles × players), checked as soon as the
strategies are read, and at most `MAX_FILE_BYTES` bytes.

Labels are made unique the way pygambit 16.7 does it: an empty label, or one
used more than once among a player's strategies (or among the player names),
becomes `label_1`, `label_2`, ... (the first suffix not already taken), so
`{ "a" "a" }` reads as `a_1`, `a_2` and `{ "" "" }` as `_1`, `_2`.

In strings, `\\"` is a quote and `\\\\` a backslash (what Gambit writes);
a backslash before any other character is kept as it stands.

Every error is a `NfgError` with one line saying where: `file:line:column:
what`, or `file: what` for a whole-file problem such as a payoff count.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Iterator, Sequence

from .games import Game, GameError, format_fraction
from .limits import (
    MAX_FILE_BYTES,
    MAX_GAME_ENTRIES,
    check_game_size,
    count_text,
    looks_like_number,
    parse_number,
    read_limited_bytes,
    short,
)

__all__ = ["NfgError", "parse_nfg", "read_nfg", "write_nfg", "read_game_file"]


class NfgError(GameError):
    """A `.nfg` (or game) file is malformed; the message is one line with the place."""


_NON_FINITE = {"nan", "snan", "inf", "infinity"}
_PUNCTUATION = "{},"
_TOKEN = re.compile(r'(\s+)|([{},])|"((?:[^"\\]|\\.)*)"|(")|([^\s{},"]+)', re.DOTALL)
_ESCAPE = re.compile(r'\\(["\\])')
# A game within MAX_GAME_ENTRIES needs fewer tokens than this (payoffs, outcomes
# with their braces and names, labels, indices); counted while tokenizing, so a
# huge file is refused before its tokens fill memory.
MAX_TOKENS = 6 * MAX_GAME_ENTRIES + 10_000


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "{", "}", ",", "text", "number", "word", "eof"
    text: str
    line: int
    column: int

    def describe(self) -> str:
        if self.kind == "eof":
            return "end of file"
        if self.kind == "text":
            return f"string {short(self.text)}" if len(self.text) > 40 else f"string {json.dumps(self.text)}"
        return short(self.text)


def _plain(text: str) -> str:
    """A number token as it stands in a message, shortened when long."""
    return text if len(text) <= 40 else short(text)


def _tokenize(text: str, source: str) -> Iterator[_Token]:
    """Split `.nfg` text into tokens, each with its 1-based line and column,
    lazily (a file is refused at its strategies before the body is scanned)."""
    count = 0
    line, line_start, seen = 1, 0, 0

    def place(at: int) -> tuple[int, int]:
        nonlocal line, line_start, seen
        newlines = text.count("\n", seen, at)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", seen, at) + 1
        seen = at
        return line, at - line_start + 1

    for match in _TOKEN.finditer(text):
        space, punctuation, string, unterminated, word = match.groups()
        if space is not None:
            continue
        count += 1
        if count > MAX_TOKENS:
            raise NfgError(
                f"{source}: more than {MAX_TOKENS:,} tokens; a game of at most {MAX_GAME_ENTRIES:,} payoffs "
                f"needs fewer (see docs/reference/limits.md)"
            )
        at_line, at_column = place(match.start())
        if punctuation is not None:
            yield _Token(punctuation, punctuation, at_line, at_column)
        elif string is not None:
            yield _Token("text", _ESCAPE.sub(r"\1", string), at_line, at_column)
        elif unterminated is not None:
            raise NfgError(f"{source}:{at_line}:{at_column}: unterminated string")
        else:
            yield _Token("number" if looks_like_number(word) else "word", word, at_line, at_column)
    end_line, end_column = place(len(text))
    yield _Token("eof", "", end_line, end_column)


def _disambiguate(labels: Sequence[str]) -> tuple[str, ...]:
    """pygambit 16.7's rule for repeated or empty labels (see the module docstring)."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    taken = {label for label in labels if label and counts[label] == 1}
    result = []
    for label in labels:
        if label and counts[label] == 1:
            result.append(label)
            continue
        k = 1
        while f"{label}_{k}" in taken:
            k += 1
        taken.add(f"{label}_{k}")
        result.append(f"{label}_{k}")
    return tuple(result)


def _shape_name(shape: Sequence[int]) -> str:
    return "x".join(str(k) for k in shape)


def _gambit_profiles(shape: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """Pure profiles in Gambit's order: player 0 (Gambit's player 1) fastest."""
    for reversed_profile in itertools.product(*(range(k) for k in reversed(shape))):
        yield reversed_profile[::-1]


class _Parser:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.tokens = _tokenize(text.lstrip("\ufeff"), source)
        self.next = next(self.tokens)

    # -- token access -----------------------------------------------------

    def peek(self) -> _Token:
        return self.next

    def take(self) -> _Token:
        token = self.next
        if token.kind != "eof":
            self.next = next(self.tokens)
        return token

    def fail(self, token: _Token, message: str) -> NfgError:
        return NfgError(f"{self.source}:{token.line}:{token.column}: {message}")

    def expect(self, kind: str, what: str) -> _Token:
        token = self.take()
        if token.kind != kind:
            raise self.fail(token, f"expected {what}, found {token.describe()}")
        return token

    def number(self, token: _Token, what: str) -> Fraction:
        """The exact value of a number token; a clear error for anything else."""
        if token.kind == "number":
            try:
                return parse_number(token.text, what)
            except GameError as error:  # "payoff: '1/0' divides by zero" -> "payoff '1/0' ..."
                raise self.fail(token, f"{what} {str(error).removeprefix(what + ': ')}") from None
        if token.kind == "word" and token.text.lstrip("+-").lower() in _NON_FINITE:
            raise self.fail(token, f"{what} {short(token.text)} is not a finite number")
        raise self.fail(token, f"expected a number ({what}), found {token.describe()}")

    # -- the file ----------------------------------------------------------

    def parse(self) -> Game:
        title, players = self.header()
        actions = self.strategies(players)
        if self.peek().kind == "text":
            self.take()  # the comment: not kept (Game has no comment field)
        shape = tuple(len(a) for a in actions)
        try:
            check_game_size(shape, self.source)
        except GameError as error:
            raise NfgError(str(error)) from None
        if self.peek().kind == "{":
            by_profile = self.outcome_body(len(players), shape)
        else:
            by_profile = self.payoff_body(len(players), shape)
        flat: list[list[Fraction]] = [[Fraction(0)] * math.prod(shape) for _ in players]
        strides = [math.prod(shape[i + 1:]) for i in range(len(shape))]
        for profile, payoffs in zip(_gambit_profiles(shape), by_profile):
            index = sum(a * s for a, s in zip(profile, strides))
            for i, value in enumerate(payoffs):
                flat[i][index] = value
        try:
            return Game(
                tuple(_disambiguate(acts) for acts in actions),
                tuple(tuple(row) for row in flat),
                _disambiguate(players),
                title,
            )
        except GameError as error:
            raise NfgError(f"{self.source}: {error}") from None

    def header(self) -> tuple[str, list[str]]:
        token = self.take()
        if token.kind != "word" or token.text != "NFG":
            raise self.fail(token, f"malformed header: expected 'NFG', found {token.describe()}")
        token = self.take()
        if token.text != "1":
            raise self.fail(token, f"malformed header: expected NFG version 1, found {token.describe()}")
        token = self.take()
        if token.kind != "word" or token.text not in ("R", "D"):
            raise self.fail(token, f"malformed header: expected 'R' or 'D', found {token.describe()}")
        title = self.expect("text", "the game title (a quoted string)").text
        opening = self.expect("{", "'{' before the player names")
        players = []
        while self.peek().kind == "text":
            players.append(self.take().text)
        self.expect("}", "a quoted player name or '}'")
        if not players:
            raise self.fail(opening, "the game has no players")
        return title, players

    def strategies(self, players: list[str]) -> list[tuple[str, ...]]:
        self.expect("{", "'{' before the strategies")
        actions: list[tuple[str, ...]] = []
        if self.peek().kind == "{":
            while self.peek().kind == "{":
                opening = self.take()
                labels = []
                while self.peek().kind == "text":
                    labels.append(self.take().text)
                self.expect("}", "a quoted strategy label or '}'")
                if len(actions) < len(players) and not labels:
                    raise self.fail(opening, f"player {players[len(actions)]!r} has an empty strategy set")
                actions.append(tuple(labels))
        else:
            while self.peek().kind in ("number", "word"):
                token = self.take()
                count = self.number(token, "strategy count")
                if count.denominator != 1 or count < 0:
                    raise self.fail(token, f"strategy count {short(token.text)} is not a whole number")
                if len(actions) < len(players):  # refuse before allocating labels
                    entries = len(players) * math.prod(len(a) for a in actions) * int(count)
                    if entries > MAX_GAME_ENTRIES:
                        counts = "x".join([*(str(len(a)) for a in actions), _plain(token.text)])
                        raise self.fail(
                            token,
                            f"strategy counts {counts} for {len(players)} players give at least "
                            f"{count_text(entries)} payoffs (profiles × players); the limit is "
                            f"{MAX_GAME_ENTRIES:,} (see docs/reference/limits.md)",
                        )
                if count == 0 and len(actions) < len(players):
                    raise self.fail(token, f"player {players[len(actions)]!r} has an empty strategy set (count 0)")
                actions.append(tuple(str(k + 1) for k in range(int(count))))
        closing = self.expect("}", "'}' after the strategies")
        if len(actions) != len(players):
            raise self.fail(
                closing, f"strategies are given for {len(actions)} players, the header names {len(players)}"
            )
        return actions

    def payoff_body(self, n: int, shape: tuple[int, ...]) -> list[tuple[Fraction, ...]]:
        values = []
        while self.peek().kind != "eof":
            values.append(self.number(self.take(), "payoff"))
        expected = n * math.prod(shape)
        if len(values) != expected:
            raise NfgError(
                f"{self.source}: expected {expected} payoffs for shape {_shape_name(shape)}, found {len(values)}"
            )
        return [tuple(values[k:k + n]) for k in range(0, expected, n)]

    def outcome_body(self, n: int, shape: tuple[int, ...]) -> list[tuple[Fraction, ...]]:
        self.expect("{", "'{' before the outcomes")
        outcomes: list[tuple[Fraction, ...]] = []
        while self.peek().kind == "{":
            opening = self.take()
            if self.peek().kind == "text":
                self.take()  # the outcome's name
            payoffs = []
            while self.peek().kind not in ("}", "eof", "{", "text"):
                payoffs.append(self.number(self.take(), "payoff"))
                if self.peek().kind == ",":
                    self.take()
            self.expect("}", "'}' closing the outcome")
            if len(payoffs) != n:
                raise self.fail(
                    opening, f"outcome {len(outcomes) + 1} has {len(payoffs)} payoffs, the game has {n} players"
                )
            outcomes.append(tuple(payoffs))
        self.expect("}", "'{' opening an outcome or '}' closing the outcome list")
        null = tuple(Fraction(0) for _ in range(n))
        result = []
        while self.peek().kind != "eof":
            token = self.take()
            index = self.number(token, "outcome index")
            if index.denominator != 1:
                raise self.fail(token, f"outcome index {short(token.text)} is not a whole number")
            if not 0 <= index <= len(outcomes):
                raise self.fail(
                    token,
                    f"outcome index {_plain(token.text)} out of range (the file defines {len(outcomes)} outcomes; 0 is the null outcome)",
                )
            result.append(null if index == 0 else outcomes[int(index) - 1])
        expected = math.prod(shape)
        if len(result) != expected:
            raise NfgError(
                f"{self.source}: expected {expected} outcome indices for shape {_shape_name(shape)}, found {len(result)}"
            )
        return result


def parse_nfg(text: str, source: str = "<string>") -> Game:
    """The game in a Gambit `.nfg` text (payoff or outcome version), exactly.
    `source` names the text in error messages."""
    if len(text) > MAX_FILE_BYTES:
        raise NfgError(f"{source}: more than {MAX_FILE_BYTES // 2**20} MiB of text, the input limit "
                       f"(see docs/reference/limits.md)")
    return _Parser(text, source).parse()


def _read_text(path: str | Path) -> str:
    try:
        data = read_limited_bytes(path)
    except OSError as error:
        raise NfgError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # old Gambit files; labels are the only text


def read_nfg(path: str | Path) -> Game:
    """The game in a Gambit `.nfg` file; errors name the file, line and column."""
    return parse_nfg(_read_text(path), str(path))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_nfg(game: Game, version: str = "payoff") -> str:
    """The game as Gambit `.nfg` text, exactly (rationals as `3/2`).

    version "payoff": n payoffs per profile; "outcome": one outcome per
    distinct non-zero payoff vector, profiles pointing at them (0 = all zero).
    Profiles are listed with player 1 (our player 0) varying fastest. An empty
    label reads back as "_1" (pygambit's rule, see the module docstring)."""
    if version not in ("payoff", "outcome"):
        raise ValueError(f"version must be 'payoff' or 'outcome', not {version!r}")
    players = " ".join(_quote(p) for p in game.players)
    strategies = "\n".join("{ " + " ".join(_quote(a) for a in acts) + " }" for acts in game.actions)
    lines = [f"NFG 1 R {_quote(game.title)} {{ {players} }}", "", "{ " + strategies, "}", '""', ""]
    profiles = list(_gambit_profiles(game.shape))
    if version == "payoff":
        for profile in profiles:
            lines.append(" ".join(format_fraction(v) for v in game.outcome(profile)))
    else:
        numbers: dict[tuple[Fraction, ...], int] = {}
        indices = []
        for profile in profiles:
            outcome = game.outcome(profile)
            if any(outcome):
                indices.append(numbers.setdefault(outcome, len(numbers) + 1))
            else:
                indices.append(0)
        lines.append("{")
        for outcome in numbers:
            lines.append('{ "" ' + ", ".join(format_fraction(v) for v in outcome) + " }")
        lines.append("}")
        lines.append(" ".join(str(k) for k in indices))
    return "\n".join(lines) + "\n"


def read_game_file(path: str | Path) -> Game:
    """A game from a file: `.nfg` (Gambit), or `.json` holding a game JSON
    (SPEC §7) or a witness whose "game" key is one. Other suffixes are
    recognised by content (an `NFG` header or a JSON object)."""
    from .witness import game_from_json, load_json_file

    suffix = Path(path).suffix.lower()
    if suffix == ".nfg":
        return read_nfg(path)
    if suffix != ".json":
        text = _read_text(path)
        if text.lstrip("\ufeff \t\r\n").startswith("NFG"):
            return parse_nfg(text, str(path))
        if not text.lstrip().startswith("{"):
            raise NfgError(f"{path}: not a game file (expected a Gambit .nfg or a game/witness .json)")
    obj = load_json_file(path)
    if isinstance(obj, dict) and isinstance(obj.get("game"), dict):
        obj = obj["game"]
    try:
        return game_from_json(obj)
    except GameError as error:
        raise NfgError(f"{path}: {error}") from None
