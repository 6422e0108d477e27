"""The desiderata by id (SPEC §4, the id column)."""

from __future__ import annotations

from .base import Desideratum
from .continuity import Continuity
from .invariance import MoneyRedundancy, NullPlayer, RedundancyInvariance, ScaleCovariance, ShiftInvariance, ThreatResistance
from .monotonicity import ActionMonotonicity, ConditionalThreatResistance, FirstInitiativeMonotonicity
from .payoff_bounds import MaximinDominance, Pareto, SubMax
from .structure import Linearity, PayoffDominance, Symmetry

__all__ = ["DESIDERATA", "get_desideratum", "register_desideratum", "desiderata_of_kind", "tu_desiderata"]

DESIDERATA: dict[str, Desideratum] = {}


def register_desideratum(desideratum: Desideratum) -> Desideratum:
    DESIDERATA[desideratum.id] = desideratum
    return desideratum


# In the order of SPEC §4's table (variants right after what they refine).
for _d in (
    ShiftInvariance(),
    ScaleCovariance(),
    Pareto(),
    Continuity(),
    RedundancyInvariance(),
    ThreatResistance(),
    PayoffDominance(),
    MaximinDominance(),
    SubMax(),
    ActionMonotonicity(),
    FirstInitiativeMonotonicity(),
    Symmetry(),
    NullPlayer(),
    Linearity(),
    MoneyRedundancy(),
    ConditionalThreatResistance(),
):
    register_desideratum(_d)


def get_desideratum(desideratum_id: str) -> Desideratum:
    from ..concepts.registry import ConceptError

    if desideratum_id not in DESIDERATA:
        known = ", ".join(DESIDERATA)
        raise ConceptError(f"unknown desideratum {desideratum_id!r}; known desiderata: {known}")
    return DESIDERATA[desideratum_id]


def desiderata_of_kind(kind: str) -> list[Desideratum]:
    """The registered desiderata for concepts of this kind ("tu" or "bargaining")."""
    return [d for d in DESIDERATA.values() if d.kind == kind]


def tu_desiderata() -> list[Desideratum]:
    """The desiderata about TU values (SPEC §4), in table order."""
    return desiderata_of_kind("tu")
