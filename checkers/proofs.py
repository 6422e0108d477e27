"""The proof records: what produced them, and whether they still speak for
today's code.

A record's `fingerprint` names the sha256 of every source file its claim
depends on: the modules of `specs/` and `encoders/` reachable by imports from
the concept's implementation, the desideratum's checker and the SMT encoders
(the exact semantics the claim is about, and the formulas that stand for it),
together with the suite version and the solver versions that decided it.

A record is *current* when every SMT-LIB2 file matches its recorded sha256,
the fingerprint matches the sources and solvers installed now, and (checked by
`verify_record`, which rebuilds the queries) today's encoders produce the very
same query texts. Anything else is *stale* (the code or the solvers changed
since) or *damaged* (a query file is missing or altered), and a stale or
damaged record is never shown as a proof. Fingerprints are coarse on purpose:
any edit of a file in the closure, even a comment, makes the record stale
until it is re-solved.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable

__all__ = [
    "ProofStatus",
    "fingerprint",
    "record_status",
    "proof_records",
    "regenerate_texts",
    "verify_record",
]

PACKAGE = "bargaincheck"
ROOT = Path(__file__).resolve().parents[1]
# Only these folders hold what a claim is about; checkers/ drives the solvers
# and its query building is covered by regenerating the texts.
FINGERPRINTED = ("specs", "encoders")
ENCODER_MODULES = {
    "tu": ("encoders.concepts", "encoders.desiderata", "encoders.cuts", "encoders.symbolic"),
    "bargaining": ("encoders.bargaining",),
}


def _module_path(module: str) -> Path | None:
    """The file of `bargaincheck.<module>` (a package's __init__.py), if it is ours."""
    parts = module.split(".")
    if parts[0] == PACKAGE:
        parts = parts[1:]
    if not parts or parts[0] not in FINGERPRINTED:
        return None
    base = ROOT.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@functools.lru_cache(maxsize=None)
def _imported_modules(path: Path) -> frozenset[str]:
    """Every module a file imports, anywhere in it (function-level imports
    included), as names relative to the package root."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            found.add(prefix)
            found.update(f"{prefix}.{alias.name}" for alias in node.names)  # `from . import lp`
    return frozenset(found)


def source_closure(modules: Iterable[str]) -> list[Path]:
    """The files of `specs/` and `encoders/` reachable from `modules` by imports."""
    seen: dict[Path, None] = {}
    todo = [p for p in (_module_path(m) for m in modules) if p is not None]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen[path] = None
        todo += [p for p in (_module_path(m) for m in _imported_modules(path)) if p is not None and p not in seen]
    return sorted(seen)


@functools.lru_cache(maxsize=None)
def _closure(roots: tuple[str, ...]) -> tuple[Path, ...]:
    return tuple(source_closure(roots))


@functools.lru_cache(maxsize=None)
def _file_digest(path: Path, mtime_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _roots(kind: str, concept_id: str, desideratum_id: str) -> list[str]:
    if kind == "bargaining":
        from ..specs.bargaining.desiderata import get_bargaining_desideratum
        from ..specs.bargaining.solutions import SOLUTIONS

        concept_module = SOLUTIONS[concept_id].__module__ if concept_id in SOLUTIONS else "specs.bargaining.solutions"
        desideratum_module = type(get_bargaining_desideratum(desideratum_id)).__module__
    else:
        from ..specs.concepts.registry import get_concept
        from ..specs.desiderata.registry import get_desideratum

        concept = get_concept(concept_id)
        concept_module = [concept.function.__module__]
        if concept.definition is not None:  # where the definition and its parts are written
            concept_module.append(concept.definition.build.__module__)
            concept_module.append("specs.concepts.builtin")
        desideratum_module = type(get_desideratum(desideratum_id)).__module__
        # the registry builds the desideratum objects (their transformations)
        desideratum_module = [desideratum_module, "specs.desiderata.registry"]
    concept_module = concept_module if isinstance(concept_module, list) else [concept_module]
    roots = concept_module + (desideratum_module if isinstance(desideratum_module, list) else [desideratum_module])
    return roots + list(ENCODER_MODULES[kind])


def fingerprint(concept_id: str, desideratum_id: str, kind: str = "tu", shape: str | None = None) -> dict[str, Any]:
    """What a proof record of (concept, desideratum) on `shape` depends on,
    now: the sha256 of each source file in the closure, of the concept's
    algebra definition on the shape (its canonical text: this binds a user's
    concept, written outside the package, too), their combined digest, the
    suite version and the solver versions."""
    from .. import __version__
    from .smt import solver_versions

    roots = _roots(kind, concept_id, desideratum_id) + _hand_encoding_roots(kind, concept_id, shape)
    sources = {str(p.relative_to(ROOT)): _file_digest(p, p.stat().st_mtime_ns)
               for p in _closure(tuple(roots))}
    definition = _definition_digest(kind, concept_id, shape)
    if definition is not None:
        sources[f"definition of {concept_id} on {shape}"] = definition
    digest = hashlib.sha256(json.dumps(sources, sort_keys=True).encode()).hexdigest()
    return {"suite": __version__, "solvers": solver_versions(), "digest": digest, "sources": sources}


def _hand_encoding_roots(kind: str, concept_id: str, shape: str | None) -> list[str]:
    """The modules of a built-in concept's hand-written encoding (and of its
    registration, the encoders package) when a record on `shape` uses it:
    where the concept's algebra definition does not reach and the encoding
    covers the shape (`encoders.rose_three`)."""
    if kind != "tu" or shape is None:
        return []
    from ..encoders.rose_three import HAND_ENCODED, covers
    from ..specs.concepts.registry import get_concept

    dims = tuple(int(k) for k in shape.split("x"))
    if concept_id not in HAND_ENCODED or get_concept(concept_id).symbolic_on(dims) or not covers(dims):
        return []
    return ["encoders", "encoders.rose_three"]


def _definition_digest(kind: str, concept_id: str, shape: str | None) -> str | None:
    if kind != "tu" or shape is None:
        return None
    from ..specs.concepts.registry import get_concept

    concept = get_concept(concept_id)
    dims = tuple(int(k) for k in shape.split("x"))
    if not concept.symbolic_on(dims):
        return None
    return hashlib.sha256(concept.definition.text(dims).encode()).hexdigest()


@dataclass(frozen=True)
class ProofStatus:
    """`state`: "current", "stale", "damaged" or "contradicted" (a catalogued
    witness lies inside the proof's scope); `reason` says why when it is not current."""

    state: str
    reason: str = ""

    @property
    def current(self) -> bool:
        return self.state == "current"


def _files_intact(folder: Path, entries: list[dict[str, Any]]) -> bool:
    """Every query file of `entries` (refinement trees included) present and
    matching its sha256."""
    for entry in entries:
        try:
            text = (folder / entry["file"]).read_text()
        except (OSError, KeyError, TypeError):
            return False
        if hashlib.sha256(text.encode()).hexdigest() != entry.get("sha256"):
            return False
        answers = [entry] + [entry[s] for s in ("z3", "cvc5") if isinstance(entry.get(s), dict)]
        for answer in answers:
            tree = answer.get("refinement")  # TU: {"cases": [...]}
            if tree is not None and not _files_intact(folder, tree.get("cases", [])):
                return False
            if answer is not entry and not _files_intact(folder, answer.get("refined", [])):  # bargaining
                return False
        if "refined" in entry and not _files_intact(folder, entry["refined"]):
            return False
    return True


def record_kind(record: dict[str, Any]) -> str:
    return "bargaining" if record.get("kind") == "bargaining" else "tu"


def record_status(record: dict[str, Any], folder: Path) -> ProofStatus:
    """Whether `record` (read from `folder`) speaks for today's code and solvers,
    without re-solving: its files intact, its fingerprint equal to today's."""
    if not _files_intact(folder, record.get("queries", [])):
        return ProofStatus("damaged", "a query file is missing or does not match its sha256")
    recorded = record.get("fingerprint")
    if not isinstance(recorded, dict) or "sources" not in recorded:
        return ProofStatus("stale", "no fingerprint: made by an older suite")
    try:
        now = fingerprint(record["concept"], record["desideratum"], record_kind(record),
                          record.get("scope", {}).get("shape"))
    except (KeyError, ValueError) as error:
        return ProofStatus("stale", f"the pair is no longer defined ({error})")
    if recorded.get("solvers") != now["solvers"]:
        return ProofStatus("stale", f"solved by {_versions(recorded.get('solvers'))}, installed {_versions(now['solvers'])}")
    if recorded.get("digest") != now["digest"]:
        old, new = recorded.get("sources", {}), now["sources"]
        changed = sorted(f for f in set(old) | set(new) if old.get(f) != new.get(f))
        return ProofStatus("stale", "source changed since: " + ", ".join(changed[:4])
                           + (f" (+{len(changed) - 4} more)" if len(changed) > 4 else ""))
    if record.get("verdict") == "proved":
        against = contradicting_witnesses(record, witness_folders(folder, record_kind(record)))
        if against:
            return ProofStatus("contradicted", f"the catalogued witness {against[0].name} lies inside its scope")
    return ProofStatus("current")


def _versions(solvers: Any) -> str:
    if not isinstance(solvers, dict):
        return "unknown solvers"
    return " + ".join(f"{name} {solvers.get(name, '?')}" for name in ("z3", "cvc5"))


def proof_records(out_dir: str | Path | None = None, subfolder: str | Path = "proofs") -> list[dict[str, Any]]:
    """Every record under `<out_dir>/<subfolder>/` (default: the package's
    catalogue), each with its "path" and "status" (a ProofStatus); records that
    cannot be read are listed as damaged."""
    from .smt import DEFAULT_OUT

    folder = (Path(out_dir) if out_dir is not None else DEFAULT_OUT) / subfolder
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            record = json.loads(path.read_text())
            if not isinstance(record, dict) or not {"concept", "desideratum", "scope"} <= set(record):
                raise ValueError("not a proof record")
        except (OSError, ValueError, RecursionError) as error:
            found.append({"path": str(path), "status": ProofStatus("damaged", f"unreadable: {error}")})
            continue
        found.append({**record, "path": str(path), "status": record_status(record, folder)})
    return found


def regenerate_texts(record: dict[str, Any]) -> list[str]:
    """The top-level query texts today's code builds for the record's scope,
    in the record's order (refinement cases are generated while solving and
    are covered by their sha256)."""
    scope = record["scope"]
    if record_kind(record) == "bargaining":
        from .bargaining_smt import query_texts

        return query_texts(record["concept"], record["desideratum"], int(scope["points"]), Fraction(scope["bound"]),
                           int(scope["sub_points"]) if "sub_points" in scope else None)
    from .smt import tu_query_texts

    return tu_query_texts(record["concept"], record["desideratum"], scope, record.get("splits", ()))


def verify_record(record: dict[str, Any]) -> ProofStatus:
    """`record_status`, and the queries rebuilt from today's code compared with
    the recorded ones, text for text (by sha256)."""
    folder = Path(record["path"]).parent
    status = record_status(record, folder)
    if not status.current:
        return status
    try:
        texts = regenerate_texts(record)
    except (KeyError, ValueError) as error:
        return ProofStatus("stale", f"today's encoders build no queries for this scope ({error})")
    recorded = [q.get("sha256") for q in record.get("queries", [])]
    rebuilt = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    if len(rebuilt) != len(recorded):
        return ProofStatus("stale", f"today's encoders build {len(rebuilt)} queries, the record has {len(recorded)}")
    differing = [k for k, (a, b) in enumerate(zip(recorded, rebuilt)) if a != b]
    if differing:
        return ProofStatus("stale", f"{len(differing)} of {len(rebuilt)} queries differ from today's encoders "
                                    f"(first: q{differing[0]:03d})")
    return ProofStatus("current")


def all_records(out_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """The TU and the bargaining records (`proof_records` of both folders)."""
    return proof_records(out_dir) + proof_records(out_dir, Path("proofs") / "bargaining")


def record_name(record: dict[str, Any]) -> str:
    path = Path(record["path"])
    return f"{path.parent.name}/{path.stem}" if path.parent.name == "bargaining" else path.stem


def resolve_record(record: dict[str, Any], timeout: float, out_dir: str | Path | None = None, workers: Any = 2):
    """Solve the record's scope again with today's code and solvers (the new
    record is written under `out_dir`/proofs/, by default the catalogue the
    record came from), `workers` solver processes at a time or on an
    `smt.SolverPool` (Dask); the CheckResult."""
    scope = record["scope"]
    levels = 3 if record_kind(record) == "bargaining" else 2  # <catalogue>/proofs[/bargaining]/<record>.json
    target = Path(out_dir) if out_dir is not None else Path(record["path"]).parents[levels - 1]
    if record_kind(record) == "bargaining":
        from .bargaining_smt import prove_bargaining

        return prove_bargaining(record["concept"], record["desideratum"], points=int(scope["points"]),
                                bound=Fraction(scope["bound"]), timeout=timeout, out_dir=target,
                                sub_points=int(scope["sub_points"]) if "sub_points" in scope else None,
                                workers=workers)
    from .smt import NORMALIZATION, VERTEX_SPLIT, smt_check

    return smt_check(record["concept"], record["desideratum"], scope["shape"], Fraction(scope["bound"]), timeout,
                     target, domain=scope.get("domain", "real"), cap=Fraction(scope.get("cap", 10)),
                     normalize=scope.get("normalization") == NORMALIZATION,
                     vertex_split=VERTEX_SPLIT in record.get("splits", ()), use_form=False, workers=workers)


# -- consistency with the catalogue ------------------------------------------------------


def _numbers(value: Any) -> Iterable[Fraction]:
    """Every number written in a JSON value (strings like "3/2" included)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, (int, str)) and not isinstance(value, bool):
        try:
            yield Fraction(value)
        except (ValueError, ZeroDivisionError):
            return


def witness_in_scope(record: dict[str, Any], witness: dict[str, Any]) -> bool:
    """Whether a catalogued witness lies inside a proof's scope: the same
    pair, a game (problem) no larger than the proof's shape (number of
    points), every payoff (coordinate) and desideratum parameter within the
    bound (caps within the cap). Such a witness and such a proof cannot both
    be right."""
    if (witness.get("concept"), witness.get("desideratum")) != (record.get("concept"), record.get("desideratum")):
        return False
    scope = record.get("scope", {})
    try:
        bound = Fraction(scope["bound"])
        cap = Fraction(scope.get("cap", scope["bound"]))
        if record_kind(record) == "bargaining":
            problem = witness["problem"]
            if len(problem["points"]) > int(scope["points"]):
                return False
            numbers = list(_numbers([problem["points"], problem["disagreement"]]))
        else:
            shape = [int(k) for k in scope["shape"].split("x")]
            actions = [len(a) for a in witness["game"]["actions"]]
            if len(actions) != len(shape) or not any(
                    all(a <= s for a, s in zip(actions, order)) for order in (shape, shape[::-1])):
                return False
            numbers = list(_numbers(witness["game"]["payoffs"]))
        transformation = dict(witness.get("transformation", {}))
        caps = list(_numbers(transformation.pop("caps", [])))  # threat: burn caps D_ij in [0, cap]
        parameters = list(_numbers(transformation))
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return all(abs(x) <= bound for x in numbers + parameters) and all(0 <= x <= cap for x in caps)


def contradicting_witnesses(record: dict[str, Any], folders: Iterable[Path]) -> list[Path]:
    """The witness files in `folders` that lie inside the record's scope."""
    found = []
    for folder in folders:
        for path, witness in _witnesses(Path(folder)):
            if witness_in_scope(record, witness):
                found.append(path)
    return found


def _witnesses(folder: Path) -> list[tuple[Path, dict[str, Any]]]:
    if not folder.is_dir():
        return []
    stamp = max((p.stat().st_mtime_ns for p in folder.glob("*.json")), default=0)
    return _witnesses_cached(folder, stamp)


@functools.lru_cache(maxsize=32)
def _witnesses_cached(folder: Path, stamp: int) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for path in sorted(folder.glob("*__*.json")):
        try:
            witness = json.loads(path.read_text())
        except (OSError, ValueError, RecursionError):
            continue
        if isinstance(witness, dict) and "concept" in witness and ("game" in witness or "problem" in witness):
            found.append((path, witness))
    return found


def witness_folders(record_folder: Path, kind: str) -> list[Path]:
    """Where the witnesses a record must agree with are: the package's catalogue
    and the catalogue the record lives in."""
    from .smt import DEFAULT_OUT

    catalogue = record_folder.parent if kind == "tu" else record_folder.parent.parent
    folders = [DEFAULT_OUT, catalogue]
    if kind == "bargaining":
        folders = [f / "bargaining" for f in folders]
    return list(dict.fromkeys(folders))


def certificate_status(record: dict[str, Any]) -> tuple[int, int, list[str]]:
    """(sub-queries whose certificate checks, sub-queries, the failing ones):
    every certificate the record names re-checked exactly against its query."""
    from .certificates import verify_certificates

    folder = Path(record["path"]).parent
    queries = record.get("queries", [])
    checked, failed = verify_certificates(folder, queries)
    return checked, len(queries), failed
