"""The survey (SPEC §7 `bargaincheck survey`): every built-in TU concept
against every desideratum on the default shapes, within a time budget per
cell; writes the matrix (survey.md, survey.json), the minimal witnesses
(DIR/counterexamples/, and the catalogue when asked) and a state file so an
interrupted survey resumes where it stopped.

A cell is one (concept, desideratum) pair. Its budget is split evenly over
the shapes the concept accepts, smallest first; the first counterexample
ends the cell, is minimized, re-verified and logged. "None found" is never a
proof: proofs come only from the SMT method (`prove=True`)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import random
import time
import zlib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from ..specs.concepts.registry import CONCEPTS, Concept, get_concept
from ..specs.desiderata.base import Desideratum
from ..specs.desiderata.registry import DESIDERATA, get_desideratum
from ..specs.fileio import atomic_write_json, atomic_write_text
from ..specs.games import Game, GameError, format_fraction
from ..specs.witness import SUITE_VERSION, game_from_json, load_json_file, plain_json
from .catalogue import load_witnesses, write_index, write_witness
from .children import die_with_parent, fork_context
from .minimize import minimize
from .progress import progress_bar
from .results import COUNTEREXAMPLE, NOT_APPLICABLE, PROVED, UNKNOWN
from .search import parse_shape, replay_command, search

__all__ = [
    "DEFAULT_SHAPES",
    "DEFAULT_BUDGET",
    "DEFAULT_BOUND",
    "SurveySettings",
    "survey_cells",
    "run_cell",
    "run_survey",
    "render_markdown",
    "update_catalogue",
    "default_jobs",
    "conditional_threat_comparisons",
    "cell_id",
]

DEFAULT_SHAPES = ("2x2", "2x3", "3x3", "2x1x1", "2x2x2")
DEFAULT_BUDGET = 5.0  # seconds of search per cell, split over its shapes
DEFAULT_BOUND = Fraction(5)
DEFAULT_MINIMIZE_SECONDS = 20.0
STATE_FILE = "survey-state.json"


@dataclass
class SurveySettings:
    out: Path
    budget: float = DEFAULT_BUDGET
    shapes: tuple[str, ...] = DEFAULT_SHAPES
    bound: Fraction = DEFAULT_BOUND
    seed: int = 0
    minimize_seconds: float = DEFAULT_MINIMIZE_SECONDS
    jobs: int = 1
    resume: bool = True
    quiet: bool = False
    catalogue: Path | None = None
    concepts: tuple[str, ...] | None = None
    desiderata: tuple[str, ...] | None = None
    prove: bool = False
    prove_timeout: float = 60.0
    extra: dict[str, Any] = field(default_factory=dict)
    max_games: int | None = None  # games per shape (deterministic budget; with budget, whichever ends first)
    executor: Any = None  # a concurrent.futures-style executor for the cells (e.g. Dask's), instead of `jobs`
    bargaining_minimize_seconds: float = 10.0  # per bargaining witness (its ordered enumeration)
    import_paths: tuple[str, ...] = ()  # folders of user concept modules, for workers that start afresh (Dask)

    def to_json(self) -> dict[str, Any]:
        return {
            "budget_seconds_per_cell": self.budget,
            "shapes": list(self.shapes),
            "bound": format_fraction(self.bound),
            "seed": self.seed,
            "minimize_seconds": self.minimize_seconds,
            "jobs": self.jobs,
            "prove": self.prove,
            **({"max_games_per_shape": self.max_games} if self.max_games is not None else {}),
        }


def cell_id(concept: str, desideratum: str) -> str:
    return f"{concept} × {desideratum}"


def _cell_seed(seed: int, concept: str, desideratum: str, shape: str) -> int:
    """A reproducible per-cell seed (printed in the report for replay)."""
    return seed * 1_000_003 + zlib.crc32(f"{concept}|{desideratum}|{shape}".encode())


def _sample_game(shape: tuple[int, ...]) -> Game:
    return Game.from_function(shape, lambda p: [0] * len(shape))


def survey_concepts(selected: Sequence[str] | None = None) -> list[Concept]:
    """The concepts surveyed: built-in TU concepts (bargaining solutions and
    set-valued ones have their own desiderata), or the selected ids."""
    get_concept("coco")  # loads the built-ins
    if selected:
        return [c for c in map(get_concept, selected) if getattr(c, "kind", "tu") != "bargaining"]
    return [c for c in CONCEPTS.values() if getattr(c, "kind", "tu") == "tu"]


def survey_desiderata(selected: Sequence[str] | None = None) -> list[Desideratum]:
    """The TU desiderata surveyed: all, or the selected ids (ids that only name a
    bargaining desideratum are left to the bargaining part of the survey)."""
    if selected:
        from ..specs.bargaining.desiderata import BARGAINING_DESIDERATA

        return [get_desideratum(d) for d in selected if d in DESIDERATA or d not in BARGAINING_DESIDERATA]
    return [d for d in DESIDERATA.values() if getattr(d, "kind", "tu") == "tu"]


def applicable_shapes(concept: Concept, desideratum: Desideratum, shapes: Sequence[str]) -> list[str]:
    """The shapes on which the pair makes sense at all: player counts, kinds,
    and what the desideratum needs of the concept (`Desideratum.applies`: the
    null player must fit the concept's player counts, the first-initiative
    monotonicity needs initiative values). `applies` may also look at the
    payoffs (identical or dominating players), so it is asked of the all-zero
    game of the shape, where those premises hold, and of seeded random games:
    a shape is left out only when no sample applies."""
    result = []
    for name in shapes:
        shape = parse_shape(name)
        if not concept.accepts(_sample_game(shape)):
            continue
        if getattr(desideratum, "kind", "tu") != getattr(concept, "kind", "tu"):
            continue
        if not any(desideratum.applies(concept, g) for g in _applicability_samples(shape)):
            continue
        result.append(name)
    return result


def _applicability_samples(shape: tuple[int, ...]) -> list[Game]:
    rng = random.Random(0)
    return [_sample_game(shape)] + [Game.from_function(shape, lambda p: [rng.randint(-5, 5) for _ in shape])
                                    for _ in range(3)]


def survey_cells(settings: SurveySettings) -> list[tuple[str, str, list[str]]]:
    """(concept id, desideratum id, applicable shapes) for every cell, in order."""
    cells = []
    for concept in survey_concepts(settings.concepts):
        for desideratum in survey_desiderata(settings.desiderata):
            cells.append((concept.id, desideratum.id, applicable_shapes(concept, desideratum, settings.shapes)))
    return cells


def run_cell(
    concept_id: str,
    desideratum_id: str,
    shapes: Sequence[str],
    budget: float,
    bound: Fraction,
    seed: int,
    minimize_seconds: float,
    witness_dir: str,
    prove: bool = False,
    prove_timeout: float = 60.0,
    max_games: int | None = None,
) -> dict[str, Any]:
    """Search one cell over its shapes; minimize and log the first violation.
    Returns the JSON-ready cell result."""
    start = time.monotonic()
    concept = get_concept(concept_id)
    desideratum = get_desideratum(desideratum_id)
    result: dict[str, Any] = {"concept": concept_id, "desideratum": desideratum_id, "shapes": {}}
    if not shapes:
        result.update(outcome=NOT_APPLICABLE, seconds=0.0)
        return result
    per_shape = budget / len(shapes)
    games = 0
    for name in shapes:
        cell_seed = _cell_seed(seed, concept_id, desideratum_id, name)
        outcome = search(concept, desideratum, parse_shape(name), bound, seed=cell_seed, timeout=per_shape,
                         max_games=max_games)
        games += outcome.games
        entry: dict[str, Any] = {
            "games": outcome.games,
            "seconds": round(outcome.seconds, 2),
            "seed": cell_seed,
            "errors": outcome.errors,
        }
        if outcome.first_error:
            entry["first_error"] = outcome.first_error
        if outcome.extra.get("screened"):
            entry.update(screened=True, candidates=outcome.extra["candidates"],
                         exact_checks=outcome.extra["exact_checks"])
        result["shapes"][name] = entry
        if outcome.violation is None:
            continue
        reduced = minimize(outcome.violation, concept, desideratum, seconds=minimize_seconds)
        found_by = {
            "method": "search",
            "seed": cell_seed,
            "shape": name,
            "bound": format_fraction(bound),
            "games": outcome.games,
            "survey": True,
        }
        path = write_witness(witness_dir, reduced, found_by, index=False)
        entry["replay_search"] = replay_command(concept_id, desideratum_id, name, bound, "search", cell_seed, outcome.games)
        result.update(
            outcome=COUNTEREXAMPLE,
            shape=reduced.violation.game.shape_name,
            found_on=name,
            witness=path.name,
            violation=reduced.violation.message,
            gap=format_fraction(Fraction(reduced.violation.gap)),
            minimal=reduced.minimal,
            minimize_seconds=round(reduced.seconds, 2),
            game=reduced.violation.game.describe(),
            games=games,
            seconds=round(time.monotonic() - start, 2),
        )
        return result
    catalogued = _catalogued_witness(concept_id, desideratum_id, bound, witness_dir)
    if catalogued is not None:
        result.update(catalogued, games=games, seconds=round(time.monotonic() - start, 2))
        return result
    result.update(outcome=UNKNOWN, games=games, budget=budget)
    if max_games is not None:
        result["max_games"] = max_games
    if prove:
        result["bound"] = format_fraction(bound)
        result["proofs"] = _prove(concept_id, desideratum_id, shapes, bound, prove_timeout, witness_dir)
    else:
        result["proofs"] = _committed(concept_id, desideratum_id) + _by_form(concept_id, desideratum_id, shapes, bound)
    if any(p["outcome"] == PROVED for p in result["proofs"]):
        result["outcome"] = PROVED
    else:
        result["open"] = open_reason(concept_id, desideratum_id, shapes, result["proofs"])
    result["seconds"] = round(time.monotonic() - start, 2)
    return result


def _catalogued_witness(concept_id: str, desideratum_id: str, bound: Fraction, witness_dir) -> dict | None:
    """When the search found nothing: the package catalogue's first witness of
    the pair with payoffs in the survey's bound that re-verifies exactly today
    (`replay_record`, the same judge as a fresh find), copied into the
    survey's witnesses; None if there is none. Nothing found once is lost."""
    from .replay import replay_record

    try:
        from .smt import DEFAULT_OUT
    except ImportError:  # no SMT side installed: no package catalogue to consult either
        return None
    for path, record in load_witnesses(DEFAULT_OUT):
        if (record.get("concept"), record.get("desideratum")) != (concept_id, desideratum_id):
            continue
        try:
            game = game_from_json(record["game"])
            replayed = replay_record(record, str(path))
        except (GameError, KeyError, TypeError, ValueError):
            continue
        if not replayed.confirmed or game.max_abs_payoff() > bound:
            continue
        target = Path(witness_dir) / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, path.read_text())
        return {"outcome": COUNTEREXAMPLE, "shape": game.shape_name, "found_on": "catalogue", "witness": path.name,
                "violation": replayed.message, "gap": record.get("gap"), "minimal": bool(record.get("minimal")),
                "game": game.describe(), "from_catalogue": True}
    return None


def open_reason(concept_id: str, desideratum_id: str, shapes: Sequence[str], proofs: list) -> str:
    """Why a cell with no witness is not proved either: the concept has no
    symbolic form, the desideratum no SMT encoding, or the proofs tried (or
    on record) did not decide it."""
    from ..specs.concepts.registry import get_concept

    concept = get_concept(concept_id)
    dims = [tuple(int(k) for k in name.split("x")) for name in shapes]
    if not any(concept.symbolic_on(d) for d in dims):
        return ("no symbolic form (not written in the concept algebra)"
                if concept.definition is None else "no symbolic form on these shapes")
    try:
        from ..encoders.desiderata import DESIDERATUM_ENCODINGS
    except ImportError:
        return "no SMT side installed"
    if desideratum_id not in DESIDERATUM_ENCODINGS:
        from .form import FORM_DESIDERATA, form_obstacle

        if desideratum_id in FORM_DESIDERATA:
            symbolic = next(d for d in dims if concept.symbolic_on(d))
            obstacle = form_obstacle(concept_id, desideratum_id, symbolic)
            if obstacle:
                return f"{obstacle}; no SMT encoding of {desideratum_id}"
        return f"no SMT encoding of {desideratum_id}"
    tried = [p for p in proofs if p.get("message")]
    if tried:
        return "; ".join(f"{p['shape']}: {p['message'][:160]}" for p in tried[:3])
    refused = _encoding_refusal(concept_id, desideratum_id, next(d for d in dims if concept.symbolic_on(d)))
    if refused:
        return refused
    return "no proof on record (bargaincheck check --method smt would try)"


def _encoding_refusal(concept_id: str, desideratum_id: str, shape: tuple[int, ...]) -> str | None:
    """Why `check --method smt` would not even ask a solver on `shape` (an atom
    with no SMT reading, too many cases or sub-queries), from building the
    sub-queries (no solver runs), or None when it would ask."""
    from ..encoders.desiderata import TooManySubqueries
    from .smt import _scope_game, build_subqueries

    try:
        build_subqueries(concept_id, desideratum_id, _scope_game(shape, Fraction(10), "real", False))
    except TooManySubqueries as error:
        return f"not decided: {error}"
    except ValueError as error:
        return f"no SMT encoding: {error}"
    return None


STALE = "stale proof"


def _committed(concept_id: str, desideratum_id: str) -> list:
    """The committed proof records of this pair, read, not re-run: "proved"
    for a current record (both solvers, files intact, fingerprint matching
    today's code: `checkers.proofs`), "stale proof" with the reason for a
    proved record that no longer speaks for today's code or solvers."""
    try:
        from .proofs import proof_records
    except ImportError:
        return []
    found = []
    for r in proof_records():
        if (r.get("concept"), r.get("desideratum")) != (concept_id, desideratum_id) or r.get("verdict") != "proved" \
                or not r.get("confirmed_by_both"):
            continue
        status = r["status"]
        found.append({"shape": r["scope"]["shape"], "bound": r["scope"]["bound"],
                      "outcome": PROVED if status.current else STALE,
                      "solvers": [f"{name} {version}" for name, version in r["solvers"].items()
                                  if name in ("z3", "cvc5")],
                      "message": r["claim"] if status.current else f"{STALE}: {status.reason}",
                      "record": Path(r["path"]).name, **({"by_form": True} if r.get("by_form") else {})})
    return found


def _by_form(concept_id: str, desideratum_id: str, shapes: Sequence[str], bound: Fraction) -> list:
    """Proofs by the form of the concept's definition (`checkers.form`),
    derived from today's definition on each shape it decides; a form the
    exact implementation contradicts is an error entry, not a proof."""
    from .form import FORM_DESIDERATA, FormDefect, form_proof

    if desideratum_id not in FORM_DESIDERATA:
        return []
    found = []
    for name in shapes:
        try:
            proof = form_proof(concept_id, desideratum_id, parse_shape(name), bound)
        except FormDefect as defect:
            found.append({"shape": name, "outcome": UNKNOWN, "message": f"encoding defect, not a proof: {defect}"})
            continue
        if proof is not None:
            found.append({"shape": name, "outcome": PROVED, "by_form": "definition", "solvers": [],
                          "message": proof.message})
    return found


def _prove(concept_id: str, desideratum_id: str, shapes: Sequence[str], bound: Fraction, timeout: float, out: str) -> list:
    try:
        from .smt import smt_check
    except ImportError:
        return []
    proofs = []
    for name in shapes:
        try:
            res = smt_check(concept_id, desideratum_id, name, bound, timeout, out)
        except Exception as error:  # the SMT side may not cover this pair
            proofs.append({"shape": name, "outcome": UNKNOWN, "message": f"{type(error).__name__}: {error}"})
            continue
        proofs.append({"shape": name, "bound": format_fraction(bound), "outcome": res.outcome, "solvers": res.solvers,
                       "message": res.message, **({"by_form": res.details["by_form"]} if res.details.get("by_form")
                                                 else {})})
    return proofs


# -- the report -------------------------------------------------------------------


def _cell_text(cell: dict[str, Any] | None, link_prefix: str) -> str:
    if cell is None:
        return "…"
    outcome = cell.get("outcome")
    if outcome == NOT_APPLICABLE:
        return "n/a"
    if outcome == COUNTEREXAMPLE:
        origin = "catalogued, re-verified today, " if cell.get("from_catalogue") else ""
        return f"✗ counterexample ({cell['shape']}, {origin}[witness]({link_prefix}{cell['witness']}))"
    if outcome == PROVED:
        proved = [p for p in cell.get("proofs", []) if p.get("outcome") == PROVED]

        def scopes(proofs: list[dict[str, Any]]) -> str:
            by_bound: dict[str, list[str]] = {}
            for p in proofs:
                by_bound.setdefault(str(p.get("bound", cell.get("bound", "?"))), []).append(p["shape"])
            return "; ".join(f"{', '.join(shapes)} in [−{b}, {b}]" for b, shapes in by_bound.items())

        by_definition = [p for p in proved if p.get("by_form") == "definition"]  # the stronger claim, first
        by_encoding = [p for p in proved if p.get("by_form") and p.get("by_form") != "definition"]
        by_solvers = [p for p in proved if not p.get("by_form")]
        parts = []
        if by_definition:
            parts.append(f"by the form of the definition ({', '.join(p['shape'] for p in by_definition)}, every real "
                         f"game; agrees with the implementation on pinned games)")
        if by_encoding:
            parts.append(f"by the form of the encoding ({scopes(by_encoding)}; agrees with the implementation on "
                         f"pinned games)")
        if by_solvers:
            solvers = " + ".join(sorted({s for p in by_solvers for s in p.get("solvers", [])}, reverse=True))
            parts.append(f"proved ({scopes(by_solvers)}; {solvers})")
        return "✓ " + "; ".join(parts)
    if outcome == "error":
        return "error"
    stale = sorted({p["shape"] for p in cell.get("proofs", []) if p.get("outcome") == STALE})
    note = f"; {STALE} ({', '.join(stale)})" if stale else ""
    why = f"; open: {cell['open']}" if cell.get("open") else ""
    if "max_games" in cell:
        return f"– none found ({cell.get('games', 0)} games{note}{why})"
    return f"– none found ({cell.get('games', 0)} games, {cell.get('budget', 0):g} s{note}{why})"


def _game_counts(report: dict[str, Any]) -> list[str]:
    """The games each cell searched, per shape ("s": screened, the count judged
    in float; the exact check judged the candidates among them)."""
    shapes = report["settings"]["shapes"]
    rows = []
    for concept in report["concepts"]:
        for desideratum in report["desiderata"]:
            cell = report["cells"].get(cell_id(concept, desideratum))
            if not cell or not cell.get("shapes"):
                continue
            counts = []
            for shape in shapes:
                entry = cell["shapes"].get(shape)
                counts.append("" if entry is None else f"{entry['games']:,}{' s' if entry.get('screened') else ''}")
            total = sum(entry["games"] for entry in cell["shapes"].values())
            rows.append(f"| `{concept}` × {desideratum} | " + " | ".join(counts) + f" | {total:,} |")
    if not rows:
        return []
    return ["", "## Games searched per cell", "",
            "Per shape, until the first re-verified counterexample or the budget; \"s\": screened (judged in "
            "float in batches, the candidates among them by the exact check, the only judge).", "",
            "| cell | " + " | ".join(shapes) + " | total |", "|---|" + "---|" * (len(shapes) + 1), *rows]


def render_markdown(report: dict[str, Any]) -> str:
    """The survey matrix and the list of witnesses, as Markdown."""
    cells = report["cells"]
    concepts = report["concepts"]
    desiderata = report["desiderata"]
    settings = report["settings"]
    if "max_games_per_shape" in settings:
        budget = f"{settings['max_games_per_shape']} games per shape and cell"
    else:
        budget = f"{settings['budget_seconds_per_cell']:g} s of search per cell (split over its shapes)"
    lines = [
        "# bargaincheck survey",
        "",
        f"Suite {report['suite_version']}; shapes {', '.join(settings['shapes'])}; payoffs in "
        f"[−{settings['bound']}, {settings['bound']}]; {budget}; "
        f"seed {settings['seed']}; {report.get('seconds', 0):.0f} s in all.",
        "",
        "✗ a minimal witness was found and re-verified exactly (\"catalogued\": by an earlier run or a construction, and re-verified in this one); – no violation found in the budget (not a proof);",
        "✓ bounded SMT proof over all real payoffs in the box, on the shapes named (z3 and cvc5 both UNSAT on every "
        "sub-query; the committed proof records in counterexamples/proofs/, read, not re-run, unless --prove, and "
        "only while their fingerprint matches today's code and solvers); \"stale proof\": a record made by other "
        "code or solvers (`bargaincheck proofs` says why), not a proof; other shapes are searched only; "
        "\"✓ by the form of the definition\": a structural induction over the concept's one definition, "
        "re-derived on every run (no solver, no bound: every real game of the shapes named; scale from positive "
        "homogeneity, shift from shift vectors, linearity from additive atoms, redundancy and money from atoms "
        "that mixture actions and side payments leave alone, continuity from a Lipschitz constant derived atom by "
        "atom, pareto from values that sum to M identically, maximin from atom inequalities that hold on every "
        "game, `bargaincheck.checkers.form`); n/a the pair does not apply.",
        "",
        "| concept | " + " | ".join(desiderata) + " |",
        "|---|" + "---|" * len(desiderata),
    ]
    for concept in concepts:
        row = [_cell_text(cells.get(cell_id(concept, d)), "counterexamples/") for d in desiderata]
        lines.append(f"| {concept} | " + " | ".join(row) + " |")
    lines += _game_counts(report)
    found = [c for c in cells.values() if c.get("outcome") == COUNTEREXAMPLE]
    if found:
        lines += ["", "## Witnesses", ""]
        for c in sorted(found, key=lambda c: (c["concept"], c["desideratum"])):
            lines += [
                f"### {c['concept']} × {c['desideratum']} ({c['shape']}{', minimal' if c.get('minimal') else ', not proven minimal'})",
                "",
                c["violation"],
                "",
                "```",
                c.get("game", ""),
                "```",
                f"File: [counterexamples/{c['witness']}](counterexamples/{c['witness']}); "
                f"replay: `bargaincheck replay counterexamples/{c['witness']}`",
                "",
            ]
    comparisons = report.get("comparisons", [])
    if comparisons:
        lines += ["## Conditional threats: gains compared", ""]
        lines += ["| witness | concept | gain |", "|---|---|---|"]
        for comp in comparisons:
            for concept, gain in comp["gains"].items():
                lines.append(f"| {comp['witness']} | {concept} | {gain} |")
        lines.append("")
    bargaining = report.get("bargaining")
    if bargaining:
        marks = {COUNTEREXAMPLE: "✗", "unknown": "–", "n/a": "", "proved": "✓"}
        lines += [
            "## Bargaining solutions",
            "",
            f"Full matrix with the minimal witnesses: [{bargaining['matrix']}]({bargaining['matrix']}). "
            "✗ counterexample (minimal witness), – none found in random search and the exhaustive "
            "scope (not a proof), ✓ bounded SMT proof (scope in the full matrix).",
            "",
        ]
        outcome = {(c["concept"], c["desideratum"]): c["outcome"] for c in bargaining["cells"]}
        b_concepts = list(dict.fromkeys(c for c, _ in outcome))
        b_desiderata = list(dict.fromkeys(d for _, d in outcome))
        lines += ["| concept | " + " | ".join(b_desiderata) + " |", "|---|" + "---|" * len(b_desiderata)]
        for c in b_concepts:
            row = [marks.get(outcome.get((c, d), "n/a"), "?") for d in b_desiderata]
            lines.append(f"| {c} | " + " | ".join(row) + " |")
        lines.append("")
    errors = [c for c in cells.values() if any(s.get("errors") for s in c.get("shapes", {}).values())]
    if errors:
        lines += ["## Errors raised during search", ""]
        for c in errors:
            for shape, s in c["shapes"].items():
                if s.get("errors"):
                    lines.append(f"- {c['concept']} × {c['desideratum']} on {shape}: {s['errors']} games; first: {s.get('first_error', '')}")
        lines.append("")
    return "\n".join(lines) + "\n"


def _gain(concept_id: str, desideratum: Desideratum, record: dict[str, Any]) -> str:
    """How much `concept` gains under the witness's transformation: the
    violation gap, or 'none' when it is not a violation for that concept."""
    try:
        concept = get_concept(concept_id)
        game = game_from_json(record["game"])
        if not desideratum.applies(concept, game):
            return "n/a"
        violation = desideratum.check(concept, game, record["transformation"])
    except Exception as error:  # report, never crash the survey on a comparison
        return f"error: {error}"
    return "none (no violation)" if violation is None else format_fraction(Fraction(violation.gap))


def conditional_threat_comparisons(witness_dir: Path, pair: Sequence[str] = ("rose", "coco")) -> list[dict[str, Any]]:
    """For every conditional-threat witness of a concept in `pair`, the gain of
    each concept of the pair on the same game and threat."""
    if "conditional-threat" not in DESIDERATA:
        return []
    desideratum = DESIDERATA["conditional-threat"]
    result = []
    for path, record in load_witnesses(witness_dir):
        if record.get("desideratum") != "conditional-threat" or record.get("concept") not in pair:
            continue
        result.append({"witness": path.name, "gains": {c: _gain(c, desideratum, record) for c in pair}})
    return result


def _load_state(path: Path) -> dict[str, Any]:
    try:
        state = load_json_file(path)
    except GameError:
        return {}
    return state if isinstance(state, dict) and isinstance(state.get("cells"), dict) else {}



def run_survey(settings: SurveySettings) -> dict[str, Any]:
    """Run (or resume) the survey; returns the report written to survey.json."""
    start = time.monotonic()
    out = Path(settings.out)
    witness_dir = out / "counterexamples"
    witness_dir.mkdir(parents=True, exist_ok=True)
    state_path = out / STATE_FILE
    state = _load_state(state_path) if settings.resume else {}
    done: dict[str, Any] = plain_json(state.get("cells", {}), float)
    cells = survey_cells(settings)
    concepts = list(dict.fromkeys(c for c, _, _ in cells))
    desiderata = list(dict.fromkeys(d for _, d, _ in cells))
    todo = [(c, d, s) for c, d, s in cells if cell_id(c, d) not in done]
    report: dict[str, Any] = {}

    def save() -> None:
        atomic_write_json(state_path, {"suite_version": SUITE_VERSION, "settings": settings.to_json(), "cells": done})
        report.clear()
        report.update(
            suite_version=SUITE_VERSION,
            settings=settings.to_json(),
            concepts=concepts,
            desiderata=desiderata,
            cells={cell_id(c, d): done[cell_id(c, d)] for c, d, _ in cells if cell_id(c, d) in done},
            resumed=len(cells) - len(todo),
            seconds=round(time.monotonic() - start, 1),
            complete=all(cell_id(c, d) in done for c, d, _ in cells),
        )
        report["comparisons"] = conditional_threat_comparisons(witness_dir)
        atomic_write_json(out / "survey.json", report)
        atomic_write_text(out / "survey.md", render_markdown(report))

    arguments = [
        (c, d, s, settings.budget, settings.bound, settings.seed, settings.minimize_seconds, str(witness_dir),
         settings.prove, settings.prove_timeout, settings.max_games)
        for c, d, s in todo
    ]
    with progress_bar(len(todo), "survey", settings.quiet) as bar:

        def record(result: dict[str, Any]) -> None:
            done[cell_id(result["concept"], result["desideratum"])] = result
            if result.get("outcome") == COUNTEREXAMPLE:
                bar.write(f"✗ {result['concept']} × {result['desideratum']}: {result['violation']}")
            bar.update()
            save()

        if settings.executor is not None or (settings.jobs > 1 and len(arguments) > 1):
            with (
                contextlib.nullcontext(settings.executor)
                if settings.executor is not None
                else concurrent.futures.ProcessPoolExecutor(
                    max_workers=settings.jobs, mp_context=fork_context(), initializer=die_with_parent,
                    initargs=(os.getpid(),))  # workers that die with this process, even on kill -9
            ) as pool:
                futures = {pool.submit(run_cell, *a): a for a in arguments}
                for future in concurrent.futures.as_completed(futures):
                    a = futures[future]
                    bar.set_description(f"{a[0]} × {a[1]}")
                    try:
                        record(future.result())
                    except Exception as error:  # one broken cell must not lose the others
                        record({"concept": a[0], "desideratum": a[1], "outcome": "error",
                                "message": f"{type(error).__name__}: {error}", "shapes": {}})
        else:
            for a in arguments:
                bar.set_description(f"{a[0]} × {a[1]}")
                try:
                    record(run_cell(*a))
                except Exception as error:  # recorded in the report
                    record({"concept": a[0], "desideratum": a[1], "outcome": "error",
                            "message": f"{type(error).__name__}: {error}", "shapes": {}})
    write_index(witness_dir)
    save()
    if settings.catalogue is not None:
        update_catalogue(witness_dir, Path(settings.catalogue))
    return report


BARGAINING_PROBLEMS_PER_CELL = 100  # random problems before the exhaustive scope
BARGAINING_EXHAUSTIVE_SECONDS = 2.0


def run_bargaining_survey(settings: SurveySettings, report: dict[str, Any]) -> dict[str, Any]:
    """The bargaining part of the matrix: every selected (bargaining solution,
    bargaining desideratum) cell by random search, minimal witness or a bounded
    exhaustive scope (checkers/bargaining_search.py). Witnesses and the
    bargaining matrix go to DIR/counterexamples/bargaining/ (and the catalogue's
    bargaining/ folder with --catalogue); the report gains a "bargaining" entry.
    With --resume a finished bargaining part is not recomputed."""
    from .bargaining_search import bargaining_cells, survey_bargaining

    cells = [
        (c, d)
        for c, d in bargaining_cells()
        if (settings.concepts is None or c in settings.concepts)
        and (settings.desiderata is None or d in settings.desiderata)
    ]
    if not cells:
        return report
    out = Path(settings.out)
    witness_dir = out / "counterexamples" / "bargaining"
    matrix_json = witness_dir / "bargaining-matrix.json"
    if settings.resume and matrix_json.exists():
        results = load_json_file(matrix_json)
    else:
        with progress_bar(len(cells), "bargaining", settings.quiet) as bar:
            results = [
                r.to_json()
                for r in survey_bargaining(
                    witness_dir,
                    seed=settings.seed,
                    budget=BARGAINING_PROBLEMS_PER_CELL,
                    cells=cells,
                    minimize_seconds=settings.bargaining_minimize_seconds,
                    exhaustive_seconds=BARGAINING_EXHAUSTIVE_SECONDS,
                    progress=bar,
                )
            ]
    report["bargaining"] = {
        "matrix": "counterexamples/bargaining/bargaining-matrix.md",
        "cells": [
            {
                "concept": r["concept"],
                "desideratum": r["desideratum"],
                "outcome": r["outcome"],
                "message": r["message"],
                **({"witness": Path(r["witness"]).name} if r.get("witness") else {}),
            }
            for r in results
        ],
    }
    atomic_write_json(out / "survey.json", report)
    atomic_write_text(out / "survey.md", render_markdown(report))
    if settings.catalogue is not None:
        target = Path(settings.catalogue) / "bargaining"
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(witness_dir.iterdir()):
            if path.suffix in (".json", ".md"):
                atomic_write_text(target / path.name, path.read_text())
    return report


def update_catalogue(source: Path, catalogue: Path) -> list[Path]:
    """Copy the survey's witness files into the catalogue (replay line pointing
    at the catalogue copy) and regenerate its index."""
    catalogue.mkdir(parents=True, exist_ok=True)
    written = []
    for path, record in load_witnesses(source):
        target = catalogue / path.name
        record = dict(record)
        record["replay"] = f"bargaincheck replay {target}"
        atomic_write_json(target, plain_json(record))
        written.append(target)
    write_index(catalogue)
    return written



def default_jobs() -> int:
    return max(1, min(2, os.cpu_count() or 1))

