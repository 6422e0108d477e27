"""The desiderata by id (SPEC §4, the id column)."""

from __future__ import annotations

from .base import Desideratum
from .payoff_bounds import MaximinDominance, Pareto, SubMax

__all__ = ["DESIDERATA", "get_desideratum", "register_desideratum"]

DESIDERATA: dict[str, Desideratum] = {}


def register_desideratum(desideratum: Desideratum) -> Desideratum:
    DESIDERATA[desideratum.id] = desideratum
    return desideratum


for _d in (Pareto(), MaximinDominance(), SubMax()):
    register_desideratum(_d)


def get_desideratum(desideratum_id: str) -> Desideratum:
    from ..concepts.registry import ConceptError

    if desideratum_id not in DESIDERATA:
        known = ", ".join(DESIDERATA)
        raise ConceptError(f"unknown desideratum {desideratum_id!r}; known desiderata: {known}")
    return DESIDERATA[desideratum_id]
