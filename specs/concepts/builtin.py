"""The built-in concepts of SPEC §7, registered by id."""

from __future__ import annotations

from .coco import coco_value
from .registry import Concept, register
from .rose2 import rose2_value
from .shapley import shapley_amplify

register(Concept("coco", "CoCo value", "Kalai & Kalai's cooperative-competitive value (2 players)", coco_value, 2, 2))
register(
    Concept(
        "shapley-coco",
        "Shapley-CoCo",
        "Shapley amplification of CoCo: coalitions play 'S vs N\\S' with summed utility",
        lambda game: shapley_amplify(game, coco_value),
        1,
    )
)
register(
    Concept(
        "shapley-rose",
        "Shapley-ROSE",
        "Shapley amplification of 2-player ROSE (fails maximin dominance for n >= 3: the bomb game)",
        lambda game: shapley_amplify(game, rose2_value),
        1,
    )
)
register(
    Concept(
        "rose",
        "ROSE value",
        "Random-Order Surplus Extraction (seed 000); 2 players: the exact 2-player formula",
        rose2_value,
        2,
        2,
    )
)
