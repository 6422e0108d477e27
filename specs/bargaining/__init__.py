"""Bargaining problems (finite payoff points, disagreement point, free disposal),
their exact 2-player solutions, desiderata, and seed 002's Pareto meet minimum."""

from .problem import BargainingError, BargainingProblem
from .solutions import (
    SOLUTIONS,
    egalitarian_solution,
    kalai_smorodinsky_solution,
    nash_solution,
    random_dictator_point,
    rose_points,
    solution_set,
    utilitarian_solution,
)
from .pmm import pareto_meet_minimum, pareto_meet_projection, renegotiate, select

__all__ = [
    "BargainingError",
    "BargainingProblem",
    "SOLUTIONS",
    "egalitarian_solution",
    "kalai_smorodinsky_solution",
    "nash_solution",
    "random_dictator_point",
    "rose_points",
    "solution_set",
    "utilitarian_solution",
    "pareto_meet_minimum",
    "pareto_meet_projection",
    "renegotiate",
    "select",
]
