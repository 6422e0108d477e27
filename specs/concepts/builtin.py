"""The built-in concepts of SPEC §7, registered by id. Those with a
definition in the concept algebra are evaluated by its exact reading on the
shapes it covers."""

from __future__ import annotations

from .coco import COCO, coco_value
from .registry import Concept, register
from .rose import rose_joint_value, rose_value
from .rose2 import ROSE2
from .shapley import shapley_definition

SHAPLEY_COCO = shapley_definition(COCO)
SHAPLEY_ROSE = shapley_definition(ROSE2)


def _rose(game):
    """2 players: the algebra's ROSE formula; more: branch and bound (`rose`)."""
    return ROSE2.exact(game) if game.n_players == 2 else rose_value(game)


register(Concept("coco", "CoCo value", "Kalai & Kalai's cooperative-competitive value (2 players)", coco_value, 2, 2,
                 definition=COCO))
register(
    Concept(
        "shapley-coco",
        "Shapley-CoCo",
        "Shapley amplification of CoCo: coalitions play 'S vs N\\S' with summed utility",
        SHAPLEY_COCO.exact,
        1,
        definition=SHAPLEY_COCO,
    )
)
register(
    Concept(
        "shapley-rose",
        "Shapley-ROSE",
        "Shapley amplification of 2-player ROSE (fails maximin dominance for n >= 3: the bomb game)",
        SHAPLEY_ROSE.exact,
        1,
        definition=SHAPLEY_ROSE,
    )
)
register(
    Concept(
        "rose",
        "ROSE value",
        "Random-Order Surplus Extraction (seed 000, Definitions 1-4, factorized contexts); exact for "
        "2 players, else exact or numeric with a proven error bound",
        _rose,
        1,
        4,
        definition=ROSE2,
    )
)
register(
    Concept(
        "rose-joint",
        "ROSE-joint",
        "ROSE with joint contexts (open variant; equals ROSE for n <= 3); exact or proven error bound",
        rose_joint_value,
        1,
        4,
        # two players: a context is one player's mixed strategy, joint or not
        definition=ROSE2,
    )
)

from .correlated import CE_SPLITS  # noqa: E402
from .selfish import SELFISH_SPLIT  # noqa: E402

register(
    Concept(
        "selfish-split",
        "Selfish-threat split",
        "Disagreement where each player plays its part of its favourite profile (ties: first in storage "
        "order), then an equal split of the surplus; violates continuity (seed 000)",
        SELFISH_SPLIT.exact,
        2,
        definition=SELFISH_SPLIT,
    )
)
register(
    Concept(
        "ce-split-utilitarian",
        "CE split (utilitarian CE)",
        "Disagreement at the utilitarian-best correlated equilibrium (ties: E[U_0], E[U_1], ...), "
        "then an equal split of the surplus (seed 001)",
        CE_SPLITS["utilitarian"].exact,
        2,
        definition=CE_SPLITS["utilitarian"],
    )
)
register(
    Concept(
        "ce-split-egalitarian",
        "CE split (egalitarian CE)",
        "Disagreement at the egalitarian-best correlated equilibrium (ties: sum, then E[U_0], ...), "
        "then an equal split of the surplus (seed 001)",
        CE_SPLITS["egalitarian"].exact,
        2,
        definition=CE_SPLITS["egalitarian"],
    )
)
from ..bargaining import concepts as _bargaining_concepts  # noqa: E402,F401  (kind="bargaining")
