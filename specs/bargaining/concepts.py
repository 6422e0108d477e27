"""Registers the bargaining concepts (SPEC §7 ids) with kind="bargaining".

Each registered function accepts a `BargainingProblem` (its natural input)
or a `Game`, which is converted with `problem_from_game` (points = pure-profile
payoffs, whose hull is the correlated outcomes; d = the maximin vector). It
returns one exact value per player; the set-valued ROSE points return their
point when it is unique and raise otherwise (use `solution_set`)."""

from __future__ import annotations

from typing import Any, Callable

from ..concepts.registry import Concept, register
from ..games import Game
from .io import problem_from_game
from .problem import BargainingError, BargainingProblem, format_point
from .solutions import solution_set

__all__ = ["BARGAINING_CONCEPT_IDS", "bargaining_function"]

_DESCRIPTIONS = {
    "nash": ("Nash bargaining solution", "argmax of (u1-d1)(u2-d2) over the individually rational set; exact"),
    "kalai-smorodinsky": ("Kalai-Smorodinsky solution", "last feasible point on the segment from d to the ideal point; exact"),
    "egalitarian": ("egalitarian solution (Kalai 1977)", "last feasible point with equal gains over d; exact"),
    "utilitarian": ("utilitarian solution", "max u1+u2 over the rational set; ties: the point with the most equal gains; exact"),
    "random-dictator": ("random-dictator point", "average of the two dictators' best points subject to the other getting >= d; exact"),
    "rose-points": ("ROSE points", "set-valued (seed 000): frontier points equally far, in the supporting line's currency, from both caps; exact"),
    "pmm": ("Pareto meet minimum", "seed 002 Definition 5: per player, the minimum over Pareto-efficient outcomes; exact"),
}

BARGAINING_CONCEPT_IDS = tuple(_DESCRIPTIONS)


def bargaining_function(concept_id: str) -> Callable[[Any], tuple]:
    def value(subject: Any) -> tuple:
        problem = problem_from_game(subject) if isinstance(subject, Game) else subject
        if not isinstance(problem, BargainingProblem):
            raise BargainingError(f"{concept_id} takes a bargaining problem or a game")
        points = solution_set(concept_id, problem)
        if len(points) != 1:
            shown = ", ".join(format_point(p) for p in points)
            raise BargainingError(f"{concept_id} is set-valued here: {len(points)} points {{{shown}}}")
        return points[0]

    value.__name__ = concept_id.replace("-", "_")
    return value


for _id, (_name, _description) in _DESCRIPTIONS.items():
    register(Concept(_id, _name, _description, bargaining_function(_id), 2, 2, kind="bargaining"))
