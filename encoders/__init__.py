"""The SMT side: symbolic games, concept encodings and desideratum encodings.

Importing the package registers the hand-written encodings of built-in
concepts where their algebra definitions do not reach (`rose_three`: ROSE
and ROSE-joint on three players with a one-action player), in the table of
hand-written encodings (`concepts.CONCEPT_ENCODINGS`) that every proof
checks against the exact implementation (`checkers.agreement`)."""


def _register_hand_encodings() -> None:
    from .concepts import CONCEPT_ENCODINGS
    from .rose_three import HAND_ENCODED

    for concept_id, encoding in HAND_ENCODED.items():
        CONCEPT_ENCODINGS.setdefault(concept_id, encoding)


_register_hand_encodings()
