"""The command line (SPEC §7): `bargaincheck list|value|check|replay|survey`.

Every user error (bad file, unknown id, concept that fails) prints one line
`bargaincheck: error: ...` to stderr and exits with status 2; no traceback."""

from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction
from typing import Sequence

from ..specs.concepts.registry import CONCEPTS, ConceptError, evaluate, get_concept
from ..specs.games import GameError, format_fraction

__all__ = ["main", "UsageError"]

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_ERROR = 2


class UsageError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


def _value_json(concept_id: str, valuation) -> dict:
    return {
        "concept": concept_id,
        "values": [format_fraction(v) for v in valuation.values],
        "floats": [float(v) for v in valuation.values],
        "exact": valuation.exact,
        "accuracy": valuation.kind,
        "error_bound": format_fraction(valuation.error_bound),
        **({"note": valuation.note} if valuation.note else {}),
    }


def cmd_list(args: argparse.Namespace) -> int:
    from ..specs.desiderata.registry import DESIDERATA

    get_concept("coco")  # loads the built-ins
    if args.json:
        print(
            json.dumps(
                {
                    "concepts": [
                        {"id": c.id, "name": c.name, "description": c.description, "kind": c.kind}
                        for c in CONCEPTS.values()
                    ],
                    "desiderata": [
                        {"id": d.id, "name": d.name, "statement": d.statement} for d in DESIDERATA.values()
                    ],
                },
                indent=2,
            )
        )
        return EXIT_OK
    print("Concepts:")
    width = max(len(c) for c in CONCEPTS)
    for concept in CONCEPTS.values():
        print(f"  {concept.id:<{width}}  {concept.description}")
    print("\nDesiderata:")
    width = max((len(d) for d in DESIDERATA), default=4)
    for desideratum in DESIDERATA.values():
        print(f"  {desideratum.id:<{width}}  {desideratum.statement}")
    return EXIT_OK


def cmd_value(args: argparse.Namespace) -> int:
    from ..specs.nfg import read_game_file

    game = read_game_file(args.game)
    concept = get_concept(args.concept)
    valuation = evaluate(concept, game)
    if args.json:
        print(json.dumps(_value_json(concept.id, valuation), indent=2))
        return EXIT_OK
    accuracy = "exact" if valuation.exact else f"{valuation.kind}, ± {float(valuation.error_bound):.3g}"
    print(f"{concept.id} on {game.title or args.game} ({game.shape_name}; {accuracy}):")
    for name, value in zip(game.players, valuation.values):
        shown = format_fraction(value)
        extra = "" if Fraction(value).denominator == 1 else f"  (≈ {float(value):.6g})"
        print(f"  {name}: {shown}{extra}")
    return EXIT_OK


def _not_built(name: str) -> int:
    print(f"bargaincheck {name}: not built yet in this version (see the open issues).", file=sys.stderr)
    return EXIT_ERROR


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bargaincheck",
        description="Formal checking of bargaining solution concepts on small finite games.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="the concepts and desiderata, with ids")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("value", help="each player's value under a concept")
    p.add_argument("game", help="a Gambit .nfg file (or a witness .json)")
    p.add_argument("--concept", required=True, help="a concept id or module:function")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_value)

    p = sub.add_parser("check", help="search or prove one (concept, desideratum) pair")
    p.add_argument("--concept", required=True)
    p.add_argument("--desideratum", required=True)
    p.add_argument("--shape", default="2x2")
    p.add_argument("--bound", default="10")
    p.add_argument("--method", choices=["smt", "search", "exhaustive"], default="search")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=lambda args: _not_built("check"))

    p = sub.add_parser("replay", help="re-verify a logged witness exactly")
    p.add_argument("witness")
    p.set_defaults(handler=lambda args: _not_built("replay"))

    p = sub.add_parser("survey", help="every concept against every applicable desideratum")
    p.add_argument("--out", default="survey-out")
    p.set_defaults(handler=lambda args: _not_built("survey"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except (UsageError, GameError, ConceptError, OSError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"bargaincheck: error: {message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("bargaincheck: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
