"""Proofs by the form of the definition (`checkers.form`) against the solvers'
bounded proofs of the same properties, measured in the same run.

For every desideratum the form decides and every built-in concept with a
definition, on 2x2 and 2x3: the time of `form_proof` (the structural
induction plus its pinned exact checks). Where the desideratum also has an
SMT encoding (shift, redundancy, money, pareto, maximin, payoff dominance,
symmetry, threat) and the concept an SMT reading, the same pair is also solved with
`smt_check(..., use_form=False)` (z3 then cvc5, 2 workers, payoffs in [−B, B],
no record written), and the ratio solver time / form time is printed.

    python benchmarks/bench_form.py [--bound 10] [--timeout 60] [--only money] [--no-smt]
"""

from __future__ import annotations

import argparse
import time

from bargaincheck.checkers.form import FORM_DESIDERATA, form_obstacle, form_proof
from bargaincheck.specs.concepts.registry import CONCEPTS, get_concept

SHAPES = ((2, 2), (2, 3))


def _name(shape) -> str:
    return "x".join(map(str, shape))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bound", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=60.0, help="per sub-query limit of the solvers")
    parser.add_argument("--only", default="", help="only pairs whose 'concept-desideratum-shape' contains this")
    parser.add_argument("--no-smt", action="store_true", help="time the form proofs only")
    args = parser.parse_args()
    try:
        from bargaincheck.encoders.desiderata import DESIDERATUM_ENCODINGS
        from bargaincheck.checkers.smt import smt_check
    except ImportError:
        DESIDERATUM_ENCODINGS, smt_check = {}, None
    get_concept("coco")  # loads the built-ins
    concepts = [c for c, concept in CONCEPTS.items() if concept.definition is not None]
    print(f"{'pair':34} {'shape':5} {'form':>9} {'checks':>6}   {'solvers (bound ' + str(args.bound) + ')':>26}  ratio")
    for desideratum in FORM_DESIDERATA:
        for concept in concepts:
            for shape in SHAPES:
                label = f"{concept}-{desideratum}-{_name(shape)}"
                if args.only not in label or form_obstacle(concept, desideratum, shape) is not None:
                    continue
                start = time.perf_counter()
                proof = form_proof(concept, desideratum, shape, args.bound)
                form_seconds = time.perf_counter() - start
                line = f"{concept + ' × ' + desideratum:34} {_name(shape):5} {form_seconds:8.3f}s {proof.pinned_checks:6}"
                if smt_check is not None and not args.no_smt and desideratum in DESIDERATUM_ENCODINGS:
                    result = smt_check(concept, desideratum, shape, args.bound, args.timeout, write=False,
                                       use_form=False, budget=20 * args.timeout)
                    if result.message.startswith("no SMT encoding"):
                        line += f"   {'no SMT reading (form only)':>36}"
                    else:
                        line += (f"   {result.outcome:>9} {result.seconds:8.2f}s ({result.details.get('subqueries', '?')}"
                                 f" queries)  {result.seconds / form_seconds:7.1f}x")
                print(line, flush=True)


if __name__ == "__main__":
    main()
