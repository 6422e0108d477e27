"""The Python API: the checks of the command line, as functions returning objects.

    from bargaincheck.checkers.api import check, survey

    result = check("coco", "threat", shape="2x2", bound=10, games=2000)
    result.violated              # True
    result.witness.game          # the minimal witness, a Game
    result.witness.violation     # the sentence with the exact numbers

    result = check("mypackage.values:my_value", "maximin", shape="2x2", bound=10)
    result = check(my_function, "pareto")          # a plain callable works too

A concept is a built-in id, a `module:function` string, a `Concept`, or a
function from `Game` to one value per player (see `checkers/plugins.py`).
`outcome` is "counterexample" (with a minimal, exactly re-verified witness),
"proved" (bounded SMT proof: shape and bound in `scope`) or "unknown" (no
violation found within the budget: not a proof).
"""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ..specs.concepts.registry import CONCEPTS, Concept, get_concept
from ..specs.games import Game, to_fraction
from ..specs.witness import game_from_json, load_json_file, plain_json
from .results import COUNTEREXAMPLE, PROVED, UNKNOWN, CheckResult

__all__ = ["Witness", "CheckOutcome", "SurveyResult", "check", "survey", "resolve_concept"]

DEFAULT_BUDGET = 10.0  # seconds of search when no game count is given


@dataclass(frozen=True)
class Witness:
    """A logged minimal witness: the game, the transformation, every value
    involved (exact), the violation sentence and how much it fails by."""

    concept: str
    desideratum: str
    game: Game
    transformation: dict[str, Any]
    values: dict[str, tuple[Fraction, ...]]
    violation: str
    gap: Fraction
    minimal: bool
    path: Path | None
    record: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_record(cls, record: dict[str, Any], path: str | Path | None = None) -> "Witness":
        values = {
            name: tuple(to_fraction(v, name) for v in vector)
            for name, vector in record.get("values", {}).items()
            if isinstance(vector, list)
        }
        return cls(
            concept=record["concept"],
            desideratum=record["desideratum"],
            game=game_from_json(record["game"]),
            transformation=record.get("transformation", {}),
            values=values,
            violation=record.get("violation", ""),
            gap=to_fraction(record.get("gap", "0"), "gap"),
            minimal=bool(record.get("minimal", False)),
            path=Path(path) if path is not None else None,
            record=record,
        )

    @classmethod
    def load(cls, path: str | Path) -> "Witness":
        return cls.from_record(plain_json(load_json_file(path)), path)

    def replay(self, concept: Any = None) -> Any:
        """Re-verify exactly (as `bargaincheck replay`); `concept` is needed
        only for a callable that is not importable by its id."""
        from .replay import replay_record

        with _registered(resolve_concept(concept) if concept is not None else None):
            return replay_record(self.record, str(self.path or "witness"))

    def __str__(self) -> str:
        kind = "minimal witness" if self.minimal else "witness (minimization incomplete)"
        return f"{self.violation}\n{kind}:\n{self.game.describe()}"




@dataclass
class CheckOutcome(CheckResult):
    """A `CheckResult` with the witness itself (None unless a counterexample)."""

    witness: Witness | None = None

    @property
    def violated(self) -> bool:
        return self.outcome == COUNTEREXAMPLE

    @property
    def proved(self) -> bool:
        return self.outcome == PROVED

    @property
    def unknown(self) -> bool:
        return self.outcome == UNKNOWN

    def summary(self) -> str:
        scope = ", ".join(f"{k} {v}" for k, v in self.scope.items())
        text = f"{self.concept} × {self.desideratum} ({scope}): {self.outcome}\n  {self.message}"
        if self.witness is not None:
            text += "\n" + "\n".join("  " + line for line in str(self.witness).splitlines()[1:])
        return text


def resolve_concept(concept: Any) -> Concept:
    """A Concept from an id, `module:function`, a Concept or a callable."""
    if isinstance(concept, str):
        return get_concept(concept)
    from .plugins import as_concept

    return as_concept(concept)


@contextlib.contextmanager
def _registered(concept: Concept | None) -> Iterator[None]:
    """Make an ad-hoc concept findable by id (workers, replay) for the duration."""
    if concept is None or CONCEPTS.get(concept.id) is concept:
        yield
        return
    get_concept("coco")  # built-ins first, so an ad-hoc id never hides from them
    previous = CONCEPTS.get(concept.id)
    CONCEPTS[concept.id] = concept
    try:
        yield
    finally:
        if previous is None:
            CONCEPTS.pop(concept.id, None)
        else:
            CONCEPTS[concept.id] = previous


def check(
    concept: str | Concept | Callable[[Game], Any],
    desideratum: str,
    shape: str = "2x2",
    bound: Any = 10,
    method: str = "search",
    seed: int = 0,
    budget: float | None = None,
    games: int | None = None,
    catalogue: str | Path | None = None,
    minimize_seconds: float = 60.0,
) -> CheckOutcome:
    """Check one (concept, desideratum) pair on games of `shape` with payoffs
    in [−bound, bound]. `budget`: seconds of search (or the SMT time-out);
    `games`: stop after this many games (deterministic; with no `budget` the
    search then runs until the count). Neither given: 10 s. The witness is
    logged in `catalogue` when given (else in a temporary folder, returned in
    memory only)."""
    from .search import run_check

    resolved = resolve_concept(concept)
    if budget is None:
        budget = 1e9 if games is not None else DEFAULT_BUDGET
    with _registered(resolved), contextlib.ExitStack() as stack:
        folder = catalogue
        if folder is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bargaincheck-"))
        result = run_check(
            resolved.id,
            desideratum,
            shape=shape,
            bound=bound,
            method=method,
            timeout=budget,
            seed=seed,
            catalogue=folder,
            max_games=games,
            minimize_seconds=minimize_seconds,
        )
        witness = None
        if result.outcome == COUNTEREXAMPLE and result.witness_path:
            witness = Witness.load(result.witness_path)
            if catalogue is None:
                witness = Witness.from_record(witness.record, None)
    outcome = CheckOutcome(**{name: getattr(result, name) for name in result.__dataclass_fields__})
    if catalogue is None:
        outcome.witness_path = None
    outcome.witness = witness
    return outcome


@dataclass
class SurveyResult:
    """The survey report (as written to survey.json), its matrix
    {(concept, desideratum): "counterexample" | "proved" | "none-found" |
    "n/a" | "error"}, and the differences from an expected table if one was given."""

    report: dict[str, Any]
    out: Path
    differences: list[Any] = field(default_factory=list)

    @property
    def matrix(self) -> dict[tuple[str, str], str]:
        from .expect import matrix_of

        return matrix_of(self.report)

    def witnesses(self) -> list[Witness]:
        from .catalogue import load_witnesses

        return [Witness.from_record(plain_json(r), p) for p, r in load_witnesses(self.out / "counterexamples")]


def survey(
    concepts: Sequence[Any] | None = None,
    desiderata: Sequence[str] | None = None,
    shapes: Sequence[str] = ("2x2",),
    bound: Any = 5,
    budget: float = 4.0,
    games: int | None = None,
    seed: int = 0,
    out: str | Path | None = None,
    jobs: int = 1,
    dask: bool = False,
    scheduler: str | None = None,
    expect: str | Path | dict | None = None,
    pictures: bool = False,
    minimize_seconds: float = 30.0,
    prove: bool = False,
) -> SurveyResult:
    """Every (concept, desideratum) cell: `budget` seconds of search per cell
    (split over its shapes), or `games` games per shape (deterministic). Runs
    serially, on `jobs` local processes, or on Dask (`dask=True`: a local
    cluster, or `scheduler` ADDRESS). `expect`: an expected table (file or
    dict) to compare with; the differences are in the result."""
    from .search import parse_bound
    from .survey import SurveySettings, run_survey

    resolved = [resolve_concept(c) for c in concepts] if concepts else None
    out = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="bargaincheck-survey-"))
    with contextlib.ExitStack() as stack:
        for c in resolved or []:
            stack.enter_context(_registered(c))
        settings = SurveySettings(
            out=out,
            budget=budget if games is None else 1e9,
            shapes=tuple(shapes),
            bound=parse_bound(bound),
            seed=seed,
            minimize_seconds=minimize_seconds,
            jobs=jobs,
            resume=False,
            quiet=True,
            concepts=tuple(c.id for c in resolved) if resolved else None,
            desiderata=tuple(desiderata) if desiderata else None,
            prove=prove,
        )
        if games is not None:
            settings.max_games = games
        if dask or scheduler:
            from .dask_sweep import run_survey_dask

            report = run_survey_dask(settings, scheduler=scheduler)
        else:
            report = run_survey(settings)
        if pictures:
            from .pictures import draw_survey_pictures

            draw_survey_pictures(out)
    result = SurveyResult(report, out)
    if expect is not None:
        from .expect import compare, load_expected

        result.differences = compare(load_expected(expect), result.matrix)
    return result
