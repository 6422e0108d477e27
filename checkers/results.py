"""The outcome of checking one (concept, desideratum) pair: a counterexample,
a bounded proof, or unknown. Shared by search, exhaustive, SMT and the survey."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["CheckResult", "COUNTEREXAMPLE", "PROVED", "UNKNOWN", "NOT_APPLICABLE"]

COUNTEREXAMPLE = "counterexample"
PROVED = "proved"
UNKNOWN = "unknown"  # no violation found within budget, or the solver said unknown / timed out
NOT_APPLICABLE = "n/a"


@dataclass
class CheckResult:
    """outcome: one of the constants above. `scope` states what was searched or
    proved (shape, bound, method); `solvers` names solver(s) and versions for
    proofs; `witness_path` points to the logged witness JSON; `details` holds
    method-specific numbers (games tried, seed, time, the violation sentence)."""

    concept: str
    desideratum: str
    outcome: str
    scope: dict[str, Any] = field(default_factory=dict)
    method: str = ""
    seconds: float = 0.0
    witness_path: str | None = None
    solvers: list[str] = field(default_factory=list)
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "desideratum": self.desideratum,
            "outcome": self.outcome,
            "scope": self.scope,
            "method": self.method,
            "seconds": round(self.seconds, 3),
            "witness": self.witness_path,
            "solvers": self.solvers,
            "message": self.message,
            "details": self.details,
        }
