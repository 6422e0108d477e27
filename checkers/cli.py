"""The command line (SPEC §7): `bargaincheck list|value|check|replay|survey`.

Every user error (bad file, unknown id, concept that fails) prints one line
`bargaincheck: error: ...` to stderr and exits with status 2; no traceback."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from ..specs import limits
from ..specs.bargaining.problem import BargainingError
from ..specs.concepts.registry import CONCEPTS, ConceptError, evaluate, get_concept
from ..specs.deadline import TimeLimit, time_limit
from ..specs.games import GameError, format_fraction

__all__ = ["main", "UsageError"]

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_ERROR = 2
DEFAULT_VALUE_SECONDS = 600.0  # `value` and `replay`: exact LPs on large games can run for hours


class UsageError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse with bargaincheck's error line: `bargaincheck: error: ...`, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        command = self.prog.removeprefix("bargaincheck").strip()
        hint = f"bargaincheck {command} --help" if command else "bargaincheck --help"
        print(f"bargaincheck: error: {message} (see {hint})", file=sys.stderr)
        sys.exit(EXIT_ERROR)


def _float_view(value: Fraction) -> float | None:
    """The float nearest a value; None when out of float range (never for inputs
    within specs.limits, whose magnitude stays below 10^300)."""
    try:
        return float(value)
    except OverflowError:
        return None


def _approximately(value: Fraction) -> str:
    """`≈ 5.5`-style text for any magnitude."""
    shown = _float_view(value)
    return f"{shown:.6g}" if shown is not None else "a number out of float range"


def _folder_option(path: str | None, option: str) -> None:
    """A folder the command writes into: absent (it is created) or a directory,
    and not below a regular file."""
    if path is None:
        return
    folder = Path(path)
    for part in (folder, *folder.parents):
        if part.exists():
            if not part.is_dir():
                what = "is a file" if part == folder else f"is below the file {part}"
                raise UsageError(f"{option} {path} {what}; it needs a folder (absent folders are created)")
            return


def _solver_workers(args: argparse.Namespace):
    """What runs the solver processes of `check --method smt` and `proofs
    resolve`: `--jobs` processes here (a context yielding the count), or,
    with --dask / --scheduler, Dask workers (`dask_sweep.dask_solvers`)."""
    import contextlib

    jobs = args.jobs if args.jobs is not None else 2
    limits.check_count(jobs, "--jobs", 256)
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: at least one worker")
    if not (args.dask or args.scheduler):
        return contextlib.nullcontext(jobs)
    from .dask_sweep import dask_solvers

    return dask_solvers(args.scheduler, jobs)


def _add_import_paths(args: argparse.Namespace) -> None:
    """Make `module:function` concepts importable as `python -m` would: the
    current folder first, after any --path folders (given order)."""
    specs = [getattr(args, "concept", None) or "", getattr(args, "concepts", None) or ""]
    folders = list(getattr(args, "path", None) or [])
    for folder in folders:
        if not os.path.isdir(folder):
            raise UsageError(f"--path {folder}: not a folder")
    user_concepts = any(":" in spec for spec in specs) or args.command == "replay" or getattr(args, "expect", None)
    if not folders and not user_concepts:
        return
    args.import_paths = tuple(os.path.abspath(f) for f in [*folders, os.getcwd()])
    for folder in reversed([*folders, os.getcwd()]):
        folder = os.path.abspath(folder)
        if folder in sys.path:
            sys.path.remove(folder)
        sys.path.insert(0, folder)


def _check_shape(concept_id: str, text: str, method: str) -> None:
    """--shape: a small text naming a game shape within the game-size and
    concept-cost limits (SMT: at most MAX_SMT_ENTRIES payoffs)."""
    from .search import parse_shape

    if len(text) > limits.MAX_SHAPE_TEXT:
        raise UsageError(f"--shape: {len(text)} characters is not a shape like '2x2' or '2x2x2'")
    shape = parse_shape(text)
    limits.check_game_size(shape, f"--shape {text}")
    if method == "smt" and len(shape) * _product(shape) > limits.MAX_SMT_ENTRIES:
        raise UsageError(
            f"--shape {text} --method smt: {len(shape) * _product(shape):,} symbolic payoffs; the SMT limit is "
            f"{limits.MAX_SMT_ENTRIES} (see docs/reference/limits.md)"
        )
    limits.check_concept_cost(concept_id, shape, f"--shape {text}")


def _product(shape: Sequence[int]) -> int:
    result = 1
    for k in shape:
        result *= k
    return result


def _value_json(concept_id: str, valuation) -> dict:
    return {
        "concept": concept_id,
        "values": [format_fraction(v) for v in valuation.values],
        "floats": [_float_view(v) for v in valuation.values],
        "exact": valuation.exact,
        "accuracy": valuation.kind,
        "error_bound": format_fraction(valuation.error_bound),
        **({"note": valuation.note} if valuation.note else {}),
    }


def cmd_list(args: argparse.Namespace) -> int:
    from ..specs.desiderata.registry import DESIDERATA

    from .plugins import load_entry_points, plugin_problems

    get_concept("coco")  # loads the built-ins
    load_entry_points()  # and any package installed since (entry-point group bargaincheck.concepts)
    for problem in plugin_problems():
        print(f"bargaincheck: warning: {problem}", file=sys.stderr)
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
    from .bargaining_search import bargaining_value_command

    try:
        status = bargaining_value_command(args.game, args.concept, args.json)
    except (GameError, ConceptError, BargainingError) as error:
        message = str(error)
        raise UsageError(message if message.startswith(str(args.game)) else f"{args.game}: {message}") from None
    if status is not None:
        return status
    limits.check_seconds(args.timeout, "--timeout")
    game = read_game_file(args.game)
    concept = get_concept(args.concept)
    if concept.accepts(game):  # else evaluate says which player counts the concept takes
        limits.check_concept_cost(concept.id, game.shape, str(args.game))
    with time_limit(args.timeout):
        valuation = evaluate(concept, game)
    if args.json:
        print(json.dumps(_value_json(concept.id, valuation), indent=2))
        return EXIT_OK
    accuracy = "exact" if valuation.exact else f"{valuation.kind}, ± {_approximately(valuation.error_bound)}"
    print(f"{concept.id} on {game.title or args.game} ({game.shape_name}; {accuracy}):")
    for name, value in zip(game.players, valuation.values):
        shown = format_fraction(value)
        extra = "" if Fraction(value).denominator == 1 else f"  (≈ {_approximately(value)})"
        print(f"  {name}: {shown}{extra}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from .progress import progress_bar
    from .results import COUNTEREXAMPLE, PROVED
    from .search import run_check

    concept = get_concept(args.concept)
    limits.check_bound(args.bound)
    for option, seconds in (("--timeout", args.timeout), ("--query-timeout", args.query_timeout),
                            ("--minimize-seconds", args.minimize_seconds)):
        limits.check_seconds(seconds, option)
    limits.check_count(args.games, "--games", limits.MAX_GAMES)
    _folder_option(args.catalogue, "--catalogue")
    if concept.kind == "bargaining":
        return _check_bargaining(args)
    _check_shape(concept.id, str(args.shape), args.method)
    if (args.dask or args.scheduler) and args.method != "smt":
        raise UsageError("--dask and --scheduler send SMT sub-queries to Dask workers: they need --method smt")
    with _solver_workers(args) as workers, \
            progress_bar(args.games, f"{args.concept} × {args.desideratum}", args.quiet or args.json) as bar:
        result = run_check(
            args.concept,
            args.desideratum,
            shape=args.shape,
            bound=args.bound,
            method=args.method,
            timeout=args.timeout,
            seed=args.seed,
            catalogue=args.catalogue,
            max_games=args.games,
            minimize_seconds=args.minimize_seconds,
            progress=bar,
            query_timeout=args.query_timeout,
            use_form=args.form,
            workers=workers,
        )
    picture = None
    if args.pictures and result.outcome == COUNTEREXAMPLE and result.witness_path:
        picture = _draw_witness_picture(result.witness_path)
    if args.json:
        print(json.dumps({**result.to_json(), **({"picture": str(picture)} if picture else {})}, indent=2))
    else:
        scope = ", ".join(f"{k} {v}" for k, v in result.scope.items())
        print(f"{result.concept} × {result.desideratum} ({scope}): {result.outcome}")
        print(f"  {result.message}")
        if result.outcome == COUNTEREXAMPLE:
            label = "minimal witness" if result.details.get("minimal") else "witness (minimization incomplete)"
            print(f"  {label}:")
            for line in str(result.details.get("game", "")).splitlines():
                print(f"    {line}")
            if result.witness_path:
                print(f"  witness: {result.witness_path}")
                if picture:
                    print(f"  picture: {picture}")
                print(f"  replay: bargaincheck replay {result.witness_path}")
        elif result.outcome == PROVED and result.solvers:
            print(f"  solvers: {', '.join(result.solvers)}")
        if result.details.get("proof_record"):
            print(f"  proof record: {result.details['proof_record']}")
        if args.method == "search":
            games = result.details.get("games") if result.outcome == COUNTEREXAMPLE else None
            from .search import parse_bound, replay_command

            paths = "".join(f" --path {shlex.quote(folder)}" for folder in getattr(args, "path", None) or [])
            print(f"  seed {args.seed}; rerun: "
                  + replay_command(result.concept, result.desideratum, result.scope.get("shape", args.shape),
                                   parse_bound(args.bound), "search", args.seed, games if games else args.games)
                  + paths)
    if result.details.get("encoding_defect"):  # the suite's own defect: never a proof, and not a quiet unknown
        print(f"bargaincheck: error: encoding defect: {result.details['encoding_defect']}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_FOUND if result.outcome == COUNTEREXAMPLE else EXIT_OK


def _check_bargaining(args: argparse.Namespace) -> int:
    """`check` for a bargaining solution: random search over small integer
    problems, a minimal witness, or an exhaustive check of a small scope."""
    from .bargaining_search import search_bargaining
    from .results import COUNTEREXAMPLE

    if args.method == "smt":
        # bounded proof over real problems: --shape kN (or N) = N payoff points
        from .bargaining_smt import prove_bargaining

        shape = str(args.shape).lower().lstrip("k")
        points = int(shape) if shape.isdigit() and len(shape) <= 6 else 3
        if not 1 <= points <= limits.MAX_BARGAINING_POINTS:
            raise UsageError(f"--shape {args.shape}: a bargaining proof takes 1 to {limits.MAX_BARGAINING_POINTS} "
                             f"payoff points (see docs/reference/limits.md)")
        result = prove_bargaining(args.concept, args.desideratum, points=points, bound=args.bound,
                                  timeout=args.timeout, out_dir=args.catalogue)
    else:
        result = search_bargaining(
            args.concept,
            args.desideratum,
            seed=args.seed,
            budget=args.games or 400,
            out_dir=args.catalogue,
            minimize_seconds=args.minimize_seconds if args.minimize_seconds is not None else 30.0,
            exhaustive_seconds=args.timeout,
        )
    if args.json:
        payload = result.to_json()
        payload["details"] = {k: v for k, v in result.details.items() if k != "witness"}
        print(json.dumps(payload, indent=2))
    else:
        scope = ", ".join(f"{k} {v}" for k, v in result.scope.items())
        print(f"{result.concept} × {result.desideratum} ({scope}): {result.outcome}")
        print(f"  {result.message}")
        if result.witness_path:
            print(f"  witness: {result.witness_path}")
            print(f"  replay: bargaincheck replay {result.witness_path}")
        if result.solvers:
            print(f"  solvers: {', '.join(result.solvers)}")
        if result.details.get("proof_record"):
            print(f"  proof record: {result.details['proof_record']}")
    if result.details.get("encoding_defect"):  # as for games: never a proof, and not a quiet unknown
        print(f"bargaincheck: error: encoding defect: {result.details['encoding_defect']}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_FOUND if result.outcome == COUNTEREXAMPLE else EXIT_OK


def _draw_witness_picture(witness_path: str):
    """The payoff-space picture next to a 2-player witness (None for other
    player counts), the catalogue index relinked."""
    from .catalogue import write_index
    from .pictures import picture_path, witness_picture
    from ..specs.witness import load_json_file

    drawn = witness_picture(load_json_file(witness_path), picture_path(witness_path))
    if drawn is not None:
        write_index(Path(witness_path).parent)
    return drawn


def cmd_proofs(args: argparse.Namespace) -> int:
    """`proofs`: each record with its status; exit 1 when one is not current
    (for `resolve`: not proved again)."""
    from .proofs import all_records, record_name

    limits.check_seconds(args.query_timeout, "--query-timeout")
    if args.catalogue is not None and not os.path.isdir(os.path.join(args.catalogue, "proofs")):
        raise UsageError(f"--catalogue {args.catalogue}: no proofs/ folder there")
    records = all_records(args.catalogue)
    if args.records:
        known = {record_name(r): r for r in records}
        unknown = [name for name in args.records if name not in known]
        if unknown:
            raise UsageError(f"no proof record {unknown[0]!r} (`bargaincheck proofs list` names them)")
        records = [known[name] for name in args.records]
    if (args.dask or args.scheduler) and args.action != "resolve":
        raise UsageError("--dask and --scheduler send the solver processes of `proofs resolve` to Dask workers")
    with _solver_workers(args) as workers:
        rows = _proof_rows(args, records, workers)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            reason = f"  ({row['reason']})" if row["reason"] else ""
            print(f"{row['status']:8} {row['verdict']:9} {row['queries']:4} queries {row['certified']:4} certified  "
                  f"{row['record']}{reason}")
        current = sum(row["status"] == "current" for row in rows)
        print(f"{current} of {len(rows)} records current")
    return EXIT_OK if all(row["status"] == "current" for row in rows) else EXIT_FOUND


def _proof_rows(args: argparse.Namespace, records: list[dict[str, Any]], workers: Any) -> list[dict[str, Any]]:
    """`proofs`: one row per record, verified or solved again as asked."""
    from .proofs import certificate_status, record_name, resolve_record, verify_record

    rows = []
    for record in records:
        status = record["status"]
        if args.action == "verify" and status.current:
            status = verify_record(record)
        if args.action == "resolve" and (args.records or not status.current):
            result = resolve_record(record, args.query_timeout, args.catalogue, workers)
            status = _resolved_status(result)
            written = result.details.get("proof_record")
            if written:  # the row describes the record as now written, not the one it replaced
                try:
                    record = {**json.loads(Path(written).read_text()), "path": written}
                except (OSError, ValueError):
                    pass
        row = {"record": record_name(record), "verdict": record.get("verdict", "?"), "status": status.state,
               "reason": status.reason, "queries": len(record.get("queries", [])), "seconds": record.get("seconds"),
               "certified": record.get("certified_subqueries", 0)}
        if args.certificates and "queries" in record:
            checked, total, failed = certificate_status(record)
            row["certified"] = checked
            if failed:
                row["status"], row["reason"] = "damaged", f"certificate of {failed[0]} does not check"
        rows.append(row)
    return rows


def _resolved_status(result):
    from .proofs import ProofStatus
    from .results import PROVED

    if result.outcome == PROVED:
        return ProofStatus("current", f"proved again in {result.seconds:.1f} s")
    return ProofStatus("stale", f"solved again: {result.outcome}: {result.message}")


def cmd_pictures(args: argparse.Namespace) -> int:
    from .pictures import draw_survey_pictures, draw_witness_pictures

    folder = Path(args.folder)
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    problems: list[str] = []
    if (folder / "survey.json").exists():
        written = draw_survey_pictures(folder, problems=problems)
    else:
        written = draw_witness_pictures(folder, problems=problems)
    for problem in problems:
        print(f"bargaincheck: warning: {problem}", file=sys.stderr)
    if problems and not written:
        raise UsageError(f"no picture written in {folder}: {len(problems)} file(s) could not be read")
    print(f"{len(written)} pictures written in {folder}")
    return EXIT_OK


def cmd_replay(args: argparse.Namespace) -> int:
    from .replay import replay_file

    limits.check_seconds(args.timeout, "--timeout")
    with time_limit(args.timeout):
        result = replay_file(args.witness)
    if args.json:
        print(json.dumps({"witness": args.witness, "confirmed": result.confirmed, "message": result.message}, indent=2))
    elif result.confirmed:
        print(result.message)
    else:
        print(f"bargaincheck replay: {args.witness}: {result.message}", file=sys.stderr)
    return EXIT_OK if result.confirmed else EXIT_FOUND


def cmd_survey(args: argparse.Namespace) -> int:
    from .search import parse_bound, parse_shape
    from .survey import (
        DEFAULT_BOUND,
        DEFAULT_BUDGET,
        DEFAULT_MINIMIZE_SECONDS,
        DEFAULT_SHAPES,
        SurveySettings,
        default_jobs,
        run_bargaining_survey,
        run_survey,
    )

    def ids(text):
        return tuple(x.strip() for x in text.split(",") if x.strip()) if text else None

    _folder_option(args.out, "--out")
    _folder_option(args.catalogue, "--catalogue")
    if args.bound is not None:
        limits.check_bound(args.bound)
    for option, seconds in (("--budget", args.budget), ("--minimize-seconds", args.minimize_seconds),
                            ("--bargaining-minimize-seconds", args.bargaining_minimize_seconds)):
        limits.check_seconds(seconds, option)
    limits.check_count(args.games, "--games", limits.MAX_GAMES)
    limits.check_count(args.jobs, "--jobs", limits.MAX_JOBS)
    shapes_option = "--shapes"
    expected = None
    if args.expect:
        from .expect import expected_settings, load_expected

        expected = load_expected(args.expect)
        recorded = expected_settings(args.expect)  # the recorded run's settings, unless overridden
        if args.shapes is None and recorded.get("shapes"):
            shapes = recorded["shapes"]
            if not isinstance(shapes, list) or not all(isinstance(x, str) for x in shapes):
                raise UsageError(f"{args.expect}: settings 'shapes' must be a list of shapes like [\"2x2\"]")
            args.shapes = ",".join(shapes)
            shapes_option = f"{args.expect}: settings 'shapes'"
        if args.bound is None and recorded.get("bound") is not None:
            args.bound = str(recorded["bound"])
            limits.check_bound(args.bound, f"{args.expect}: settings 'bound'")
        if args.games is None and args.budget is None and recorded.get("max_games_per_shape") is not None:
            args.games = _setting_number(recorded, "max_games_per_shape", args.expect, int)
            limits.check_count(args.games, f"{args.expect}: settings 'max_games_per_shape'", limits.MAX_GAMES)
        if args.budget is None and args.games is None and recorded.get("budget_seconds_per_cell") is not None:
            args.budget = _setting_number(recorded, "budget_seconds_per_cell", args.expect, float)
            limits.check_seconds(args.budget, f"{args.expect}: settings 'budget_seconds_per_cell'")
        # The expected table names the cells to rerun unless the command narrows them.
        if not args.concepts:
            args.concepts = ",".join(dict.fromkeys(c for c, _ in expected))
        if not args.desiderata:
            args.desiderata = ",".join(dict.fromkeys(d for _, d in expected))
    for text in (args.shapes or "").split(","):
        if text.strip():
            if len(text) > limits.MAX_SHAPE_TEXT:
                raise UsageError(f"{shapes_option}: {len(text)} characters is not a shape like '2x2'")
            _check_survey_shape(parse_shape(text.strip()), ids(args.concepts), f"{shapes_option} {text.strip()}")
    settings = SurveySettings(
        out=Path(args.out),
        budget=args.budget if args.budget is not None else (1e9 if args.games is not None else DEFAULT_BUDGET),
        shapes=ids(args.shapes) or DEFAULT_SHAPES,
        bound=parse_bound(args.bound) if args.bound is not None else DEFAULT_BOUND,
        seed=args.seed,
        minimize_seconds=args.minimize_seconds if args.minimize_seconds is not None else DEFAULT_MINIMIZE_SECONDS,
        jobs=args.jobs if args.jobs is not None else default_jobs(),
        resume=args.resume and not args.expect,  # a regression check reruns every cell
        quiet=args.quiet,
        catalogue=Path(args.catalogue) if args.catalogue else None,
        concepts=ids(args.concepts),
        desiderata=ids(args.desiderata),
        prove=args.prove,
        max_games=args.games,
        bargaining_minimize_seconds=args.bargaining_minimize_seconds,
        import_paths=getattr(args, "import_paths", ()),
    )
    if args.dask or args.scheduler:
        from .dask_sweep import run_survey_dask

        report = run_survey_dask(settings, scheduler=args.scheduler, workers=args.jobs)
    else:
        report = run_survey(settings)
    report = run_bargaining_survey(settings, report)
    if args.pictures:
        from .pictures import draw_survey_pictures

        draw_survey_pictures(args.out, settings.catalogue)
    cells = report["cells"].values()
    found = sum(1 for c in cells if c.get("outcome") == "counterexample")
    errors = sum(1 for c in cells if c.get("outcome") == "error")
    bargaining = report.get("bargaining", {}).get("cells", [])
    bargaining_found = sum(1 for c in bargaining if c["outcome"] == "counterexample")
    print(
        f"survey: {len(report['cells'])} cells ({report['resumed']} resumed), {found} counterexamples, "
        f"{errors} errors, {report['seconds']:.0f} s"
        + (f"; bargaining: {len(bargaining)} cells, {bargaining_found} counterexamples" if bargaining else "")
        + f"; report: {Path(args.out) / 'survey.md'}"
    )
    from .expect import matrix_of

    if args.write_expected:
        from .expect import write_expected

        write_expected(args.write_expected, matrix_of(report), report.get("settings"))
        print(f"expected table written: {args.write_expected}")
    if expected is not None:
        from .expect import compare, format_differences

        differences = compare(expected, matrix_of(report))
        failing = [d for d in differences if d.failing]
        print(format_differences(differences), file=sys.stderr if failing else sys.stdout)
        if failing:
            return EXIT_FOUND
    return EXIT_ERROR if errors else EXIT_OK


class _VersionAction(argparse.Action):
    """`--version`: the solvers are imported only when it is asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from .smt import version_text

        print(version_text())
        parser.exit()


def _check_survey_shape(shape: tuple[int, ...], concept_ids: Sequence[str] | None, where: str) -> None:
    """A survey shape within the game-size limit and the work estimate of every
    surveyed built-in concept that takes its player count (default: all TU concepts)."""
    limits.check_game_size(shape, where)
    get_concept("coco")  # loads the built-ins
    for concept_id in concept_ids or [c.id for c in CONCEPTS.values() if c.kind == "tu"]:
        concept = CONCEPTS.get(concept_id)
        if concept is not None and concept.min_players <= len(shape) <= (concept.max_players or len(shape)):
            limits.check_concept_cost(concept.id, shape, where)


def _setting_number(settings: dict, key: str, source: str, kind: type) -> int | float:
    """A number from an expected table's "settings" (int or float), or a UsageError naming it."""
    value = settings[key]
    try:
        if isinstance(value, bool) or (kind is int and Fraction(str(value)).denominator != 1):
            raise ValueError
        return kind(Fraction(str(value)))
    except (ValueError, ZeroDivisionError, OverflowError):
        what = "a whole number" if kind is int else "a number of seconds"
        raise UsageError(f"{source}: settings {key!r} is {str(value)[:40]!r}, expected {what}") from None


def _add_solver_worker_options(p: argparse.ArgumentParser, what: str) -> None:
    """--jobs, --dask and --scheduler of the commands that run SMT solvers
    (`_solver_workers` reads them); `what` prefixes their help."""
    p.add_argument("--jobs", type=int, default=None,
                   help=f"{what}: solver processes at a time, or local Dask workers with --dask (default 2)")
    p.add_argument("--dask", action="store_true",
                   help=f"{what}: solve the sub-queries on a local Dask cluster of --jobs workers")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help=f"{what}: solve the sub-queries on the Dask cluster at ADDRESS (its workers need the same "
                        "bargaincheck, z3 and cvc5)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bargaincheck",
        description="Formal checking of bargaining solution concepts on small finite games.",
    )
    parser.add_argument("--version", action=_VersionAction, help="the suite's and the solvers' versions, and exit")
    sub = parser.add_subparsers(dest="command", required=True)
    path_help = "a folder to import module:function concepts from (repeatable; the current folder is searched too)"

    p = sub.add_parser("list", help="the concepts and desiderata, with ids")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("value", help="each player's value under a concept")
    p.add_argument("game", help="a Gambit .nfg file (or a witness .json)")
    p.add_argument("--concept", required=True, help="a concept id or module:function")
    p.add_argument("--path", action="append", metavar="DIR", help=path_help)
    p.add_argument("--timeout", type=float, default=DEFAULT_VALUE_SECONDS,
                   help=f"wall-clock budget, seconds (default {DEFAULT_VALUE_SECONDS:.0f})")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_value)

    p = sub.add_parser("check", help="search or prove one (concept, desideratum) pair")
    p.add_argument("--concept", required=True, help="a concept id or module:function")
    p.add_argument("--path", action="append", metavar="DIR", help=path_help)
    p.add_argument("--desideratum", required=True)
    p.add_argument("--shape", default="2x2")
    p.add_argument("--bound", default="10")
    p.add_argument("--method", choices=["smt", "search", "exhaustive"], default="search")
    p.add_argument("--timeout", type=float, default=60.0,
                   help="wall-clock budget of the whole check, seconds (default 60)")
    p.add_argument("--query-timeout", type=float, default=None,
                   help="smt: the limit of each solver process (default: --timeout)")
    p.add_argument("--form", action=argparse.BooleanOptionalAction, default=True,
                   help="smt: decide by the form of the concept's definition where it reaches, with no solver "
                        "(default: on); --no-form asks z3 and cvc5 anyway and writes a proof record")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--games", type=int, default=None, help="stop the search after this many games (replays a search)")
    p.add_argument("--catalogue", default="witnesses", help="directory for witness files (default: ./witnesses)")
    p.add_argument("--minimize-seconds", type=float, default=60.0)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true")
    _add_solver_worker_options(p, "smt")
    p.add_argument("--pictures", action=argparse.BooleanOptionalAction, default=True,
                   help="draw a 2-player witness in payoff space next to its JSON (default: on)")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("replay", help="re-verify a logged witness exactly")
    p.add_argument("witness")
    p.add_argument("--path", action="append", metavar="DIR", help=path_help)
    p.add_argument("--timeout", type=float, default=DEFAULT_VALUE_SECONDS,
                   help=f"wall-clock budget, seconds (default {DEFAULT_VALUE_SECONDS:.0f})")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_replay)

    p = sub.add_parser("survey", help="every concept against every applicable desideratum")
    p.add_argument("--out", default="survey-out")
    p.add_argument("--budget", type=float, default=None, help="seconds of search per cell (split over its shapes)")
    p.add_argument("--shapes", default=None, help="comma-separated, default 2x2,2x3,3x3,2x1x1,2x2x2")
    p.add_argument("--bound", default=None, help="payoff bound (default 5)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--minimize-seconds", type=float, default=None)
    p.add_argument("--bargaining-minimize-seconds", type=float, default=10.0,
                   help="seconds to minimize each bargaining witness (default 10)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: min(2, cores))")
    p.add_argument("--concepts", default=None, help="comma-separated concept ids (default: all TU concepts)")
    p.add_argument("--path", action="append", metavar="DIR", help=path_help)
    p.add_argument("--desiderata", default=None, help="comma-separated desideratum ids (default: all)")
    p.add_argument("--catalogue", default=None, help="also copy the witnesses into this catalogue folder")
    p.add_argument("--prove", action="store_true", help="try bounded SMT proofs where no counterexample was found")
    p.add_argument("--resume", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--games", type=int, default=None,
                   help="games per shape and cell: a deterministic budget (no time limit unless --budget is given)")
    p.add_argument("--expect", default=None, metavar="FILE",
                   help="compare with an expected table (survey.json or --write-expected output); "
                        "exit 1 naming every differing cell")
    p.add_argument("--write-expected", default=None, metavar="FILE", help="record this run's matrix as an expected table")
    p.add_argument("--dask", action="store_true", help="run the cells on a local Dask cluster (--jobs workers)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run the cells on the Dask cluster at ADDRESS (default: Dask's scheduler-address config)")
    p.add_argument("--pictures", action=argparse.BooleanOptionalAction, default=True,
                   help="draw survey.png and the 2-player witnesses in payoff space (default: on)")
    p.set_defaults(handler=cmd_survey)

    p = sub.add_parser("pictures", help="(re)draw the pictures of a witness catalogue or survey folder")
    p.add_argument("folder")
    p.set_defaults(handler=cmd_pictures)

    p = sub.add_parser("proofs", help="the proof records: list them with their status, verify them against "
                                      "today's code, or solve them again")
    p.add_argument("action", nargs="?", choices=("list", "verify", "resolve"), default="list",
                   help="list (default): status from the fingerprints; verify: also rebuild every query and "
                        "compare; resolve: solve the named (or all not current) records again")
    p.add_argument("records", nargs="*", help="record names as `list` prints them (default: all)")
    p.add_argument("--catalogue", default=None, help="the folder holding proofs/ (default: the package's)")
    p.add_argument("--query-timeout", type=float, default=300.0, help="resolve: each solver process's limit")
    p.add_argument("--certificates", action="store_true",
                   help="verify: also re-check every Farkas certificate in exact arithmetic (no solver)")
    _add_solver_worker_options(p, "resolve")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_proofs)
    return parser


def _refuse_nul_characters(args: argparse.Namespace) -> None:
    """A NUL character cannot be in a file name or an id (open() raises ValueError)."""
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and "\x00" in item:
                option = name if name in ("game", "witness", "folder") else "--" + name.replace("_", "-")
                raise UsageError(f"{option}: {item!r} contains a NUL character")


def _one_line(error: BaseException) -> str:
    """The first line of an error's message, never empty; an OSError as `FILE: reason`."""
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename is not None else ""
        return f"{where}{error.strerror}"
    lines = str(error).splitlines()
    return lines[0] if lines and lines[0].strip() else type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "command", None) == "proofs" and not any(e.startswith("-") for e in extra):
        args.records = [*args.records, *extra]  # `proofs verify --certificates NAME`: names after an option
    elif extra:
        parser.parse_args(argv)  # the usual error message and exit status for what is not understood
    try:
        _refuse_nul_characters(args)
        _add_import_paths(args)
        return int(args.handler(args))
    except BrokenPipeError:  # the reader went away (`bargaincheck list | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (UsageError, GameError, ConceptError, BargainingError, OSError) as error:
        print(f"bargaincheck: error: {_one_line(error)}", file=sys.stderr)
        return EXIT_ERROR
    except MemoryError:
        print(f"bargaincheck: error: out of memory during `{args.command}`: the input is too large for this "
              "machine (see docs/reference/limits.md)", file=sys.stderr)
        return EXIT_ERROR
    except RecursionError:
        print(f"bargaincheck: error: `{args.command}` recursed too deeply: the input is nested too deeply "
              "(see docs/reference/limits.md)", file=sys.stderr)
        return EXIT_ERROR
    except TimeLimit:
        print(f"bargaincheck: error: `{args.command}` ran out of its time limit "
              f"({getattr(args, 'timeout', None) or '?'} s; --timeout sets it)", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("bargaincheck: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug, not the user's fault: still one line (BARGAINCHECK_DEBUG=1: traceback)
        if os.environ.get("BARGAINCHECK_DEBUG"):
            raise
        detail = _one_line(error)
        detail = detail if detail == type(error).__name__ else f"{type(error).__name__}: {detail}"
        print(f"bargaincheck: error: internal error in `{args.command}`: {detail} "
              "(please report it; BARGAINCHECK_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
