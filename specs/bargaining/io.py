"""Bargaining problems as JSON, and conversion from a normal-form game.

    {
      "type": "bargaining-problem",
      "title": "optional",
      "points": [["3", "1"], ["1", "3"], ["1", "1"]],
      "disagreement": ["0", "0"],
      "free_disposal": false
    }

Coordinates are exact strings ("9/2"); integers and decimal numbers are also
read. The feasible set is conv(points ∪ {d}) (free disposal: minus R^n_+).

From a game (`problem_from_game`): the points are the pure-profile payoff
vectors, whose convex hull is the set of correlated-outcome payoffs; the
disagreement point is a named pure profile's payoffs or the maximin vector
(each player's security level, an exact LP).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from ..concepts.basic import maximin_value
from ..games import Game, GameError, format_fraction, to_fraction
from ..limits import check_problem_size
from ..witness import load_json_file
from .problem import BargainingError, BargainingProblem

__all__ = [
    "problem_to_json",
    "problem_from_json",
    "is_problem_json",
    "read_problem_file",
    "problem_from_game",
]

TYPE = "bargaining-problem"


def problem_to_json(problem: BargainingProblem) -> dict[str, Any]:
    obj: dict[str, Any] = {"type": TYPE}
    if problem.title:
        obj["title"] = problem.title
    obj["points"] = [[format_fraction(v) for v in p] for p in problem.points]
    obj["disagreement"] = [format_fraction(v) for v in problem.disagreement]
    obj["free_disposal"] = problem.free_disposal
    return obj


def is_problem_json(obj: Any) -> bool:
    """Whether a parsed JSON object is a bargaining problem (or a witness holding one)."""
    return isinstance(obj, dict) and (obj.get("type") == TYPE or "problem" in obj or
                                      ("points" in obj and "disagreement" in obj))


def _coords(value: Any, where: str) -> tuple:
    if not isinstance(value, list) or not value:
        raise BargainingError(f"bargaining JSON: {where} must be a non-empty list of numbers")
    out = []
    for k, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, (str, int, float)) and not hasattr(v, "as_tuple"):
            raise BargainingError(f"bargaining JSON: {where}[{k}] = {v!r} is not a number")
        try:
            out.append(to_fraction(repr(v) if isinstance(v, float) else v, f"{where}[{k}]"))
        except GameError as error:
            raise BargainingError(f"bargaining JSON: {error}") from None
    return tuple(out)


def problem_from_json(obj: Any) -> BargainingProblem:
    """Read a problem object (or the "problem" part of a bargaining witness)."""
    if isinstance(obj, dict) and "problem" in obj and "points" not in obj:
        obj = obj["problem"]
    if not isinstance(obj, dict):
        raise BargainingError("bargaining JSON: expected an object with points and disagreement")
    for key in ("points", "disagreement"):
        if key not in obj:
            raise BargainingError(f"bargaining JSON: missing {key!r}")
    if not isinstance(obj["points"], list) or not obj["points"]:
        raise BargainingError("bargaining JSON: points must be a non-empty list of points")
    dimension = len(obj["points"][0]) if isinstance(obj["points"][0], list) else 1
    try:
        check_problem_size(len(obj["points"]), dimension, "bargaining JSON")
    except GameError as error:
        raise BargainingError(str(error)) from None
    points = tuple(_coords(p, f"points[{k}]") for k, p in enumerate(obj["points"]))
    d = _coords(obj["disagreement"], "disagreement")
    fd = obj.get("free_disposal", False)
    if not isinstance(fd, bool):
        raise BargainingError("bargaining JSON: free_disposal must be true or false")
    return BargainingProblem(points, d, fd, str(obj.get("title", "")))


def read_problem_file(path: str | Path) -> BargainingProblem:
    return problem_from_json(load_json_file(path))


def problem_from_game(
    game: Game,
    disagreement: str | Sequence[int] | Sequence[str] = "maximin",
    free_disposal: bool = False,
) -> BargainingProblem:
    """The bargaining problem of a game: points = pure-profile payoffs (their hull
    = correlated outcomes); d = "maximin" (security levels) or a pure profile,
    given by action indices or labels."""
    points = tuple(game.outcome(profile) for profile in game.profiles())
    if isinstance(disagreement, str):
        if disagreement != "maximin":
            raise BargainingError(f"unknown disagreement rule {disagreement!r}: use 'maximin' or a profile")
        d = tuple(maximin_value(game, i) for i in range(game.n_players))
    else:
        profile = []
        for i, a in enumerate(disagreement):
            if isinstance(a, int) and not isinstance(a, bool):
                if not 0 <= a < len(game.actions[i]):
                    raise BargainingError(f"player {i + 1} has no action number {a}")
                profile.append(a)
            elif a in game.actions[i]:
                profile.append(game.actions[i].index(a))
            else:
                raise BargainingError(f"player {i + 1} has no action {a!r}; actions: {list(game.actions[i])}")
        if len(profile) != game.n_players:
            raise BargainingError(f"a disagreement profile needs {game.n_players} actions")
        d = game.outcome(profile)
    return BargainingProblem(points, d, free_disposal, game.title)
