"""Input limits, in one place: what bargaincheck refuses before it starts work.

Every reader (`.nfg`, game and witness JSON, bargaining problems, expected
tables, command-line numbers) goes through this module, so a hostile or
mistaken input gets a one-line `GameError` instead of a hang, a runaway in
memory or a traceback. The numbers, why each was chosen, and the message a
user sees are in docs/reference/limits.md; keep the two in step.

Numbers: `parse_number` is the one place a payoff (or any exact number) is
read from text: an integer `-3`, a rational `3/2`, or a decimal with an
optional exponent `7.6`, `-1.5e3`. Its exact value may have at most
`MAX_NUMBER_DIGITS` digits in numerator and in denominator, and magnitude
below 10**`MAX_MAGNITUDE_EXPONENT`; both are checked on the text, before any
big integer is built (`Fraction(Decimal("1e999999999"))` would otherwise run
for minutes and ignore Ctrl-C). The magnitude limit keeps every value's float
view (`--json` "floats", pictures) finite.

Work: `concept_cost` estimates, from the shape alone, the largest exact LP
tableau a built-in concept builds and its total work; `check_concept_cost`
refuses a game above `MAX_LP_CELLS` or `MAX_WORK` before evaluating.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Sequence

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_NUMBER_DIGITS",
    "MAX_MAGNITUDE_EXPONENT",
    "MAX_GAME_ENTRIES",
    "MAX_PROBLEM_POINTS",
    "MAX_BOUND",
    "MAX_BOUND_DENOMINATOR",
    "MAX_SHAPLEY_PLAYERS",
    "MAX_LP_CELLS",
    "MAX_WORK",
    "parse_number",
    "check_int",
    "check_decimal",
    "check_game_size",
    "check_problem_size",
    "check_json_depth",
    "read_limited_bytes",
    "int_text",
    "looks_like_number",
    "ConceptCost",
    "concept_cost",
    "check_concept_cost",
    "count_text",
    "MAX_SECONDS",
    "MAX_GAMES",
    "MAX_JOBS",
    "MAX_SHAPE_TEXT",
    "MAX_SMT_ENTRIES",
    "MAX_BARGAINING_POINTS",
    "check_bound",
    "check_seconds",
    "check_count",
    "short",
    "lp_cells",
]

MAX_FILE_BYTES = 8 * 2**20
MAX_JSON_DEPTH = 64
MAX_NUMBER_DIGITS = 1000
MAX_MAGNITUDE_EXPONENT = 300
MAX_GAME_ENTRIES = 100_000
MAX_PROBLEM_POINTS = 10_000
MAX_BOUND = 10**6
MAX_BOUND_DENOMINATOR = 10**6
MAX_SHAPLEY_PLAYERS = 16
MAX_LP_CELLS = 2_000_000
MAX_WORK = 200_000_000

_MAGNITUDE = 10**MAX_MAGNITUDE_EXPONENT
_DECIMAL = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?", re.ASCII)
_RATIONAL = re.compile(r"([+-]?\d+)/([+-]?\d+)", re.ASCII)
_NON_FINITE = {"nan", "snan", "inf", "infinity"}
# Python refuses int <-> str conversions above 4300 digits; 14000 bits is below that.
_SAFE_BITS = 14_000
_DOCS = "see docs/reference/limits.md"


def _error(message: str) -> Exception:
    from .games import GameError

    return GameError(message)


def short(text: str, width: int = 40) -> str:
    """`text` for an error message: at most `width` characters, its length named."""
    if len(text) <= width:
        return repr(text)
    return repr(text[:width]) + f"… ({len(text)} characters)"


def looks_like_number(text: str) -> bool:
    """Whether `text` is written like a number (`parse_number`'s grammar)."""
    text = text.strip()
    return bool(_RATIONAL.fullmatch(text) or (_DECIMAL.fullmatch(text) and any(c.isdigit() for c in text)))


def parse_number(text: str, where: str = "payoff") -> Fraction:
    """The exact value of an integer, rational `p/q` or decimal (`1.5e3`) written
    as text; GameError for anything else, for NaN/infinity, a zero denominator,
    more than MAX_NUMBER_DIGITS digits or a magnitude of 10**300 or more."""
    text = text.strip()
    if len(text) > 2 * MAX_NUMBER_DIGITS + 20:
        raise _error(
            f"{where}: {short(text, 20)} is too long "
            f"(at most {MAX_NUMBER_DIGITS} digits in numerator and in denominator; {_DOCS})"
        )
    rational = _RATIONAL.fullmatch(text)
    if rational:
        numerator, denominator = rational.group(1), rational.group(2)
        for part in (numerator, denominator):
            if len(part.lstrip("+-").lstrip("0")) > MAX_NUMBER_DIGITS:
                raise _error(f"{where}: {short(text, 20)} has more than {MAX_NUMBER_DIGITS} digits ({_DOCS})")
        q = int(denominator)
        if q == 0:
            raise _error(f"{where}: {short(text)} divides by zero")
        return _check_magnitude(Fraction(int(numerator), q), text, where)
    match = _DECIMAL.fullmatch(text)
    if not match or not (match.group(2) or match.group(3)):
        if text.lstrip("+-").lower() in _NON_FINITE:
            raise _error(f"{where}: {short(text)} is not a finite number")
        raise _error(f"{where}: {short(text)} is not a number")
    sign, whole, fraction_part, exponent_text = match.groups()
    fraction_part = fraction_part or ""
    exponent = 0
    if exponent_text:
        if len(exponent_text.lstrip("+-").lstrip("0")) > 6:
            return _exponent_too_big(text, exponent_text, where, whole + fraction_part)
        exponent = int(exponent_text)
    digits = (whole + fraction_part).lstrip("0")
    shift = exponent - len(fraction_part)  # value = int(whole + fraction_part) * 10**shift
    _check_decimal_size(len(digits), shift, text, where)
    if not digits:
        return Fraction(0)
    value = Fraction(int(digits) * 10**shift) if shift >= 0 else Fraction(int(digits), 10**-shift)
    return -value if sign == "-" else value


def _exponent_too_big(text: str, exponent_text: str, where: str, digits: str) -> Fraction:
    if not digits.strip("0"):
        return Fraction(0)
    raise _error(
        f"{where}: {short(text, 20)} is out of range "
        f"(|value| must be below 10^{MAX_MAGNITUDE_EXPONENT}, with at most {MAX_NUMBER_DIGITS} digits; {_DOCS})"
    )


def _check_decimal_size(significant: int, shift: int, text: str, where: str) -> None:
    """A decimal `digits × 10**shift` with `significant` digits (no leading zeros)."""
    if significant == 0:
        return
    if significant > MAX_NUMBER_DIGITS:
        raise _error(f"{where}: {short(text, 20)} has more than {MAX_NUMBER_DIGITS} digits ({_DOCS})")
    if significant + shift > MAX_MAGNITUDE_EXPONENT:
        raise _error(
            f"{where}: {short(text, 20)} is too large (|value| must be below 10^{MAX_MAGNITUDE_EXPONENT}; {_DOCS})"
        )
    if -shift >= MAX_NUMBER_DIGITS:
        raise _error(
            f"{where}: {short(text, 20)} needs a denominator of more than {MAX_NUMBER_DIGITS} digits ({_DOCS})"
        )


def _check_magnitude(value: Fraction, text: str, where: str) -> Fraction:
    if abs(value) >= _MAGNITUDE:
        raise _error(
            f"{where}: {short(text, 20)} is too large (|value| must be below 10^{MAX_MAGNITUDE_EXPONENT}; {_DOCS})"
        )
    return value


def check_int(value: int, where: str = "payoff") -> int:
    """An integer read from a file, within the digit and magnitude limits."""
    if abs(value) >= _MAGNITUDE:
        raise _error(
            f"{where}: an integer of {count_text(value)} is too large "
            f"(|value| must be below 10^{MAX_MAGNITUDE_EXPONENT}; {_DOCS})"
        )
    return value


def check_decimal(value: Decimal, where: str = "payoff") -> Decimal:
    """A Decimal (as `load_json_file` reads JSON numbers), checked before it becomes a Fraction."""
    if not value.is_finite():
        raise _error(f"{where}: {value} is not a finite number")
    _, digits, exponent = value.as_tuple()
    significant = len("".join(map(str, digits)).lstrip("0"))
    if significant and abs(exponent) > 10 * MAX_NUMBER_DIGITS:
        raise _error(
            f"{where}: a number with exponent {exponent} is out of range "
            f"(|value| must be below 10^{MAX_MAGNITUDE_EXPONENT}, with at most {MAX_NUMBER_DIGITS} digits; {_DOCS})"
        )
    _check_decimal_size(significant, int(exponent), f"{value:.6e}" if significant else "0", where)
    return value


def check_game_size(shape: Sequence[int], where: str = "game") -> None:
    """At most MAX_GAME_ENTRIES payoffs (pure profiles × players)."""
    entries = len(shape)
    for k in shape:
        entries *= k
        if entries > MAX_GAME_ENTRIES:
            break
    if entries > MAX_GAME_ENTRIES:
        name = "x".join(str(k) for k in shape) if len(shape) <= 12 else f"{len(shape)}-player"
        total = count_text(len(shape) * math.prod(shape)) if len(shape) <= 64 else "too many"
        raise _error(
            f"{where}: a {name} game has {total} payoffs (profiles × players); "
            f"the limit is {MAX_GAME_ENTRIES:,} ({_DOCS})"
        )


def check_problem_size(points: int, dimension: int, where: str = "bargaining problem") -> None:
    """At most MAX_PROBLEM_POINTS points and MAX_GAME_ENTRIES coordinates."""
    if points > MAX_PROBLEM_POINTS or points * dimension > MAX_GAME_ENTRIES:
        raise _error(
            f"{where}: {points:,} points of {dimension} coordinates; the limit is {MAX_PROBLEM_POINTS:,} points "
            f"and {MAX_GAME_ENTRIES:,} coordinates ({_DOCS})"
        )


def check_json_depth(text: str, where: str) -> None:
    """JSON nested at most MAX_JSON_DEPTH levels (Python's parser would raise
    RecursionError at about 1000; bargaincheck's formats need 5)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return
    skeleton = re.sub(r'"(?:[^"\\]|\\.)*"', "", text)
    depth = 0
    for match in re.finditer(r"[\[\]{}]", skeleton):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_JSON_DEPTH:
            raise _error(f"{where}: JSON nested more than {MAX_JSON_DEPTH} levels deep ({_DOCS})")


def read_limited_bytes(path: str | Path) -> bytes:
    """A file's bytes, refusing one over MAX_FILE_BYTES before reading it all
    (OSError passes through for the caller to report)."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _error(f"{path}: the file is larger than {MAX_FILE_BYTES // 2**20} MiB, the input limit ({_DOCS})")
    return data


def int_text(value: int) -> str:
    """The decimal digits of any integer (str() refuses more than 4300 digits)."""
    if value.bit_length() <= _SAFE_BITS:
        return str(value)
    return str(Decimal(value))


def count_text(value: int | float) -> str:
    """A count for a message: `1,234,567`, or `about 10^4567` when huge."""
    value = abs(int(value))
    if value.bit_length() <= 64:
        return f"{value:,}"
    return f"about 10^{int(value.bit_length() * math.log10(2))}"


# -- work estimates -----------------------------------------------------------------


@dataclass(frozen=True)
class ConceptCost:
    """What evaluating a concept on a game of some shape takes, estimated:
    `lp_cells` the largest exact LP tableau (cells, each a Fraction), `work`
    the total (tableau cells over all LPs, or branch-and-bound steps), and
    `largest` a phrase naming where the largest LP comes from."""

    lp_cells: int
    work: int
    largest: str


def lp_cells(rows: int, cols: int) -> int:
    """Tableau cells of `specs.lp.matrix_game_value` on a rows × cols matrix:
    one constraint per column, rows + 2 variables, a slack per constraint and
    an artificial per row."""
    return (cols + 2) * (rows + 2 * cols + 5)


def _two_player_cost(concept_id: str, k0: int, k1: int) -> ConceptCost | None:
    """An LP's work is its cells times its pivots, about min(rows, cols) + 2."""
    pivots = min(k0, k1) + 2
    if concept_id == "coco":
        cells = lp_cells(k0, k1)
        return ConceptCost(cells, cells * pivots, f"the {k0} × {k1} zero-sum game")
    if concept_id in ("rose", "rose-joint"):
        # one LP per follower action, for each leader (specs.concepts.rose2)
        cells = max(lp_cells(k0, k1), lp_cells(k1, k0))
        work = (k1 * lp_cells(k0, k1) + k0 * lp_cells(k1, k0)) * pivots
        return ConceptCost(cells, work, f"the {k0} × {k1} leader LPs")
    return None


def concept_cost(concept_id: str, shape: Sequence[int]) -> ConceptCost | None:
    """The estimated cost of a built-in concept on a game of `shape`; None when
    there is no estimate (user concepts, cheap concepts, bargaining ones)."""
    shape = tuple(int(k) for k in shape)
    n = len(shape)
    profiles = math.prod(shape)
    if n == 2:
        cost = _two_player_cost(concept_id, *shape)
        if cost is not None:
            return cost
    if concept_id in ("shapley-coco", "shapley-rose"):
        if n > MAX_SHAPLEY_PLAYERS:
            return ConceptCost(0, 2**n * profiles, f"{count_text(2**n)} coalitions")
        inner = "coco" if concept_id == "shapley-coco" else "rose"
        largest, total, where = 0, 0, ""
        for size in range(n + 1):
            for members in itertools.combinations(range(n), size):
                a_s = math.prod(shape[i] for i in members)
                a_o = profiles // a_s
                cost = _two_player_cost(inner, a_s, a_o)
                total += cost.work + profiles * n
                if cost.lp_cells > largest:
                    named = ("coalition {" + ",".join(str(i + 1) for i in members) + "} against the rest"
                             if members else "the empty coalition against everyone")
                    largest, where = cost.lp_cells, f"{named}: {a_s} × {a_o} joint actions"
        return ConceptCost(largest, total, where)
    if concept_id in ("ce-split-utilitarian", "ce-split-egalitarian"):
        incentive_rows = sum(k * (k - 1) for k in shape)
        cells = (incentive_rows + 3) * (profiles + 2 * incentive_rows + 3)
        where = f"the correlated-equilibrium LP ({profiles} profiles, {incentive_rows} incentive constraints)"
        return ConceptCost(cells, cells * (n + 2) * (min(profiles, incentive_rows) + 2), where)
    if concept_id in ("rose", "rose-joint") and n >= 3:
        # n! orderings, n − 1 branch-and-bound searches each, up to 20000 nodes
        # (specs.concepts.rose's default budget), each node a pass over the profiles.
        last = max(shape)
        return ConceptCost(lp_cells(last, last), math.factorial(n) * (n - 1) * 20_000 * profiles,
                           "the branch and bound")
    return None


def check_concept_cost(concept_id: str, shape: Sequence[int], where: str = "") -> None:
    """Refuse, with one line naming the estimate and the limit, a built-in
    concept whose estimated LP size or work on `shape` exceeds MAX_LP_CELLS or MAX_WORK."""
    cost = concept_cost(concept_id, shape)
    if cost is None:
        return
    name = "x".join(str(k) for k in shape) if len(shape) <= 12 else f"{len(shape)}-player"
    prefix = f"{where}: " if where else ""
    if len(shape) > MAX_SHAPLEY_PLAYERS and concept_id.startswith("shapley-"):
        raise _error(
            f"{prefix}{concept_id} on a {len(shape)}-player game needs {count_text(2 ** len(shape))} coalition "
            f"games; the limit is {MAX_SHAPLEY_PLAYERS} players ({_DOCS})"
        )
    if cost.lp_cells > MAX_LP_CELLS:
        raise _error(
            f"{prefix}{concept_id} on a {name} game needs an exact LP of about {count_text(cost.lp_cells)} "
            f"tableau cells ({cost.largest}); the limit is {MAX_LP_CELLS:,} ({_DOCS})"
        )
    if cost.work > MAX_WORK:
        raise _error(
            f"{prefix}{concept_id} on a {name} game needs about {count_text(cost.work)} steps of exact work "
            f"({cost.largest}); the limit is {MAX_WORK:,} ({_DOCS})"
        )


# -- command-line values --------------------------------------------------------------

MAX_SECONDS = 10**6
MAX_GAMES = 10**9
MAX_JOBS = 256
MAX_SHAPE_TEXT = 200
MAX_SMT_ENTRIES = 256
MAX_BARGAINING_POINTS = 12


def check_bound(value: str | int | Fraction, option: str = "--bound") -> Fraction:
    """A payoff bound: a positive rational at most MAX_BOUND with denominator at
    most MAX_BOUND_DENOMINATOR (searches draw payoffs in [−bound, bound])."""
    from .games import GameError

    text = str(value)
    allowed = (f"the payoff bound must be a positive rational at most {MAX_BOUND:,} "
               f"with denominator at most {MAX_BOUND_DENOMINATOR:,} ({_DOCS})")
    try:
        bound = parse_number(text, option) if isinstance(value, str) else Fraction(value)
    except GameError as error:
        if "not a number" in str(error) or "finite" in str(error) or "zero" in str(error):
            raise _error(f"{error}; the bound must be a positive rational like 10 or 5/2") from None
        raise _error(f"{option} {short(text, 20)}: {allowed}") from None
    if bound <= 0 or bound > MAX_BOUND or bound.denominator > MAX_BOUND_DENOMINATOR:
        raise _error(f"{option} {short(text, 20)}: {allowed}")
    return bound


def check_seconds(value: float | None, option: str) -> None:
    """A time budget: finite, positive, at most MAX_SECONDS."""
    if value is not None and not (0 < value <= MAX_SECONDS):
        raise _error(f"{option} {value}: must be a number of seconds in (0, {MAX_SECONDS:,}] ({_DOCS})")


def check_count(value: int | None, option: str, limit: int) -> None:
    """A count option: at least 1, at most `limit`."""
    if value is not None and not (1 <= value <= limit):
        raise _error(f"{option} {value}: must be a whole number from 1 to {limit:,} ({_DOCS})")
