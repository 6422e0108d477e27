"""Desiderata for bargaining solutions (SPEC §4, the bargaining rows), as
first-class objects following specs/desiderata/base.py: an id, a statement,
`applies`, `parameters(problem, rng, count)` and an exact
`check(solution, problem, params)` returning None or a `BargainingViolation`.

`solution` is a bargaining concept id ("nash", …) or a callable taking a
`BargainingProblem` and returning a point or a sequence of points. Set-valued
solutions (ROSE points) are compared as sets; "every selected point" for
Pareto, rationality and random-dictator dominance; each player's worst point
for the monotonicity axioms. Sub-problems (IIA, monotonicity) are given by
parameters: {"keep": [point indices]} (the hull of the kept points and d) or
{"cap": [player, c]} (the feasible set intersected with u_player ≤ c).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence, Union

from ..games import format_fraction, to_fraction
from .pmm import SELECTIONS, pareto_meet_minimum, renegotiate, select
from .problem import (
    BargainingError,
    BargainingProblem,
    Point,
    clip_halfplane,
    dominates,
    format_point,
    weakly_dominates,
)
from .solutions import random_dictator_point, solution_set

__all__ = [
    "BargainingViolation",
    "BargainingDesideratum",
    "BARGAINING_DESIDERATA",
    "get_bargaining_desideratum",
    "sub_problem",
    "solve",
]

Solution = Union[str, Callable[[BargainingProblem], Any]]


@dataclass(frozen=True)
class BargainingViolation:
    """Like `Violation`, with the bargaining problem in place of the game.
    `extra_problems` holds the transformed problems the check compared."""

    concept: str
    desideratum: str
    problem: BargainingProblem
    params: dict[str, Any]
    values: dict[str, list[str]]
    message: str
    gap: Fraction
    extra_problems: dict[str, BargainingProblem] = field(default_factory=dict)


def _pt_json(x: Sequence[Fraction]) -> list[str]:
    return [format_fraction(v) for v in x]


def _set_json(points: Sequence[Point]) -> list[str]:
    return [format_point(x) for x in points]


def _set_str(points: Sequence[Point]) -> str:
    return "{" + ", ".join(format_point(x) for x in points) + "}"


def _concept_name(solution: Solution) -> str:
    return solution if isinstance(solution, str) else getattr(solution, "__name__", repr(solution))


def solve(solution: Solution, problem: BargainingProblem) -> tuple[Point, ...]:
    """The solution as a sorted tuple of distinct exact points."""
    if isinstance(solution, str):
        result = solution_set(solution, problem)
    else:
        result = solution(problem)
        if result and not isinstance(result[0], (tuple, list)):
            result = (result,)
    return tuple(sorted({tuple(to_fraction(v) for v in x) for x in result}))


def sub_problem(problem: BargainingProblem, params: dict[str, Any]) -> BargainingProblem:
    """The sub-problem S ⊆ F named by {"keep": [...]} or {"cap": [player, c]}."""
    if "keep" in params:
        kept = [problem.points[int(k)] for k in params["keep"]]
        return problem.with_points(kept)
    player, c = int(params["cap"][0]), to_fraction(params["cap"][1])
    if c < problem.disagreement[player]:
        raise BargainingError("a cap below the disagreement point removes d")
    normal = tuple(Fraction(-1) if k == player else Fraction(0) for k in range(2))
    hull = problem.hull()
    points = clip_halfplane(hull, normal, -c)
    if problem.free_disposal:
        other = 1 - player
        above = clip_halfplane(hull, tuple(-v for v in normal), c)
        if above:
            best = max(p[other] for p in above)
            points = points + [(c, best) if player == 0 else (best, c)]
    return problem.with_points(points)


def _worst(points: Sequence[Point], i: int) -> Fraction:
    return min(x[i] for x in points)


class BargainingDesideratum:
    """Base class (mirrors specs/desiderata/base.Desideratum for problems)."""

    id: str = ""
    name: str = ""
    statement: str = ""
    needs_transformation: bool = False

    def applies(self, solution: Solution, problem: BargainingProblem) -> bool:
        return problem.n_players == 2

    def parameters(self, problem: BargainingProblem, rng: random.Random, count: int) -> list[dict[str, Any]]:
        return [{}]

    def check(self, solution: Solution, problem: BargainingProblem, params: dict[str, Any]) -> BargainingViolation | None:
        raise NotImplementedError

    def _violation(self, solution, problem, params, values, message, gap, extra=None) -> BargainingViolation:
        return BargainingViolation(_concept_name(solution), self.id, problem, params, values, message,
                                   Fraction(gap), extra or {})

    def __repr__(self) -> str:
        return f"<bargaining desideratum {self.id}>"


def _strict_improvement(problem: BargainingProblem, x: Point) -> tuple[Fraction, Point | None]:
    """max over F of min_i (y_i − x_i), with a maximizer: candidates are the hull's
    vertices and the crossings of the hull's edges with the line y − x ∈ R(1, 1)."""
    hull = problem.hull()
    cands = list(hull)
    n = len(hull)
    for k in range(n if n > 2 else n - 1):
        p, q = hull[k], hull[(k + 1) % n]
        fp = (p[0] - x[0]) - (p[1] - x[1])
        fq = (q[0] - x[0]) - (q[1] - x[1])
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            cands.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    best = max(cands, key=lambda y: min(y[0] - x[0], y[1] - x[1]))
    return min(best[0] - x[0], best[1] - x[1]), best


class WeakPareto(BargainingDesideratum):
    id = "weak-pareto"
    name = "weak Pareto optimality"
    statement = "No feasible point is strictly better for both players than a selected point."

    def check(self, solution, problem, params):
        for x in solve(solution, problem):
            gain, y = _strict_improvement(problem, x)
            if gain > 0:
                return self._violation(
                    solution, problem, params, {"solution": _pt_json(x), "better": _pt_json(y)},
                    f"{_concept_name(solution)} selects {format_point(x)}, but {format_point(y)} is feasible "
                    f"and better for both by {format_fraction(gain)}", gain)
        return None


class StrongPareto(BargainingDesideratum):
    id = "pareto"
    name = "strong Pareto optimality"
    statement = "No feasible point is at least as good for both players and better for one than a selected point."

    def check(self, solution, problem, params):
        hull = problem.hull()
        for x in solve(solution, problem):
            above = clip_halfplane(clip_halfplane(hull, (Fraction(1), Fraction(0)), x[0]),
                                   (Fraction(0), Fraction(1)), x[1])
            better = [y for y in above if dominates(y, x)]
            if better:
                y = max(better, key=lambda y: y[0] + y[1] - x[0] - x[1])
                gap = y[0] + y[1] - x[0] - x[1]
                return self._violation(
                    solution, problem, params, {"solution": _pt_json(x), "better": _pt_json(y)},
                    f"{_concept_name(solution)} selects {format_point(x)}, but {format_point(y)} is feasible "
                    f"and Pareto-dominates it", gap)
        return None


class IndividualRationality(BargainingDesideratum):
    id = "individual-rationality"
    name = "individual rationality"
    statement = "Every selected point gives each player at least its disagreement payoff."

    def check(self, solution, problem, params):
        d = problem.disagreement
        for x in solve(solution, problem):
            gap = max(d[i] - x[i] for i in range(2))
            if gap > 0:
                i = 0 if d[0] - x[0] == gap else 1
                return self._violation(
                    solution, problem, params, {"solution": _pt_json(x), "disagreement": _pt_json(d)},
                    f"{_concept_name(solution)} gives player {i + 1} {format_fraction(x[i])}, below its "
                    f"disagreement payoff {format_fraction(d[i])}", gap)
        return None


class RandomDictatorDominance(BargainingDesideratum):
    id = "random-dictator"
    name = "random-dictator dominance"
    statement = "Every selected point gives each player at least the random-dictator point (seed 000)."

    def check(self, solution, problem, params):
        r = random_dictator_point(problem)
        for x in solve(solution, problem):
            gap = max(r[i] - x[i] for i in range(2))
            if gap > 0:
                i = 0 if r[0] - x[0] == gap else 1
                return self._violation(
                    solution, problem, params, {"solution": _pt_json(x), "random-dictator": _pt_json(r)},
                    f"{_concept_name(solution)} gives player {i + 1} {format_fraction(x[i])} at "
                    f"{format_point(x)}, below the random-dictator point {format_point(r)}", gap)
        return None


def _mirror(problem: BargainingProblem) -> BargainingProblem:
    d = problem.disagreement
    m = min(d)
    pts = list(problem.points) + [(p[1], p[0]) for p in problem.points]
    if d[0] != d[1]:
        pts += [d, (d[1], d[0])]
    return BargainingProblem(tuple(pts), (m, m), problem.free_disposal)


class Symmetry(BargainingDesideratum):
    id = "symmetry"
    name = "symmetry (impartiality)"
    statement = ("On a symmetric problem (mirror-symmetric feasible set, d1 = d2) the solution is "
                 "mirror-symmetric (a point solution gives equal payoffs). A non-symmetric problem is "
                 "checked through its symmetrization (P ∪ swap(P), d = (min d, min d)).")

    def check(self, solution, problem, params):
        sym = problem if problem.is_symmetric() else _mirror(problem)
        points = solve(solution, sym)
        mirrored = tuple(sorted((x[1], x[0]) for x in points))
        if mirrored == points:
            return None
        gap = max(abs(x[0] - x[1]) for x in points)
        return self._violation(
            solution, sym, params, {"solution": _set_json(points)},
            f"{_concept_name(solution)} selects {_set_str(points)} on the symmetric problem {sym.describe()}",
            gap or Fraction(1))


class AffineInvariance(BargainingDesideratum):
    id = "scale"
    name = "affine invariance"
    statement = ("Rescaling each player's utility by u_i ↦ α_i u_i + β_i (α_i > 0) maps the solution "
                 "by the same transformation.")
    needs_transformation = True

    def parameters(self, problem, rng, count):
        fixed = [([2, 1], [0, 0]), ([1, 2], [0, 0]), ([1, 1], [1, 0]), ([3, 1], [0, 0]), ([1, 3], [0, 0])]
        out = [{"scale": [str(a) for a in s], "shift": [str(b) for b in t]} for s, t in fixed]
        for _ in range(max(0, count - len(out))):
            out.append({"scale": [str(rng.randint(1, 4)), str(rng.randint(1, 4))],
                        "shift": [str(rng.randint(-2, 2)), str(rng.randint(-2, 2))]})
        return out[: max(count, 1)]

    def check(self, solution, problem, params):
        a = [to_fraction(v) for v in params["scale"]]
        b = [to_fraction(v) for v in params["shift"]]
        moved = problem.affine(a, b)
        original = solve(solution, problem)
        expected = tuple(sorted(tuple(a[i] * x[i] + b[i] for i in range(2)) for x in original))
        got = solve(solution, moved)
        if got == expected:
            return None
        if len(got) == len(expected):
            gap = max(abs(g[i] - e[i]) / a[i] for g, e in zip(got, expected) for i in range(2))
        else:
            gap = Fraction(1)
        return self._violation(
            solution, problem, params,
            {"solution": _set_json(original), "transformed solution": _set_json(got),
             "expected": _set_json(expected)},
            f"{_concept_name(solution)} selects {_set_str(original)}; after u ↦ "
            f"({format_fraction(a[0])}·u1 + {format_fraction(b[0])}, {format_fraction(a[1])}·u2 + "
            f"{format_fraction(b[1])}) it selects {_set_str(got)} instead of {_set_str(expected)}",
            gap, {"transformed": moved})


def _subset_parameters(problem: BargainingProblem, solution: Solution, rng: random.Random, count: int) -> list[dict]:
    n = len(problem.points)
    out: list[dict] = []
    for drop in range(n):  # drop one point
        if n > 1:
            out.append({"keep": [k for k in range(n) if k != drop]})
    for keep in range(n):  # keep one point
        if n > 2:
            out.append({"keep": [keep]})
    try:
        sol = solve(solution, problem)
    except BargainingError:
        sol = ()
    b = problem.ideal_point()
    d = problem.disagreement
    for i in range(2):
        caps = {max(x[i] for x in sol)} if sol else set()
        caps |= {(d[i] + b[i]) / 2, d[i] + (b[i] - d[i]) * 3 / 4}
        for c in sorted(caps):
            if d[i] <= c < b[i]:
                out.append({"cap": [i, format_fraction(c)]})
    while len(out) < count and n > 1:
        size = rng.randint(1, n - 1)
        out.append({"keep": sorted(rng.sample(range(n), size))})
    return out[: max(count, len(out))]


class IndependenceOfIrrelevantAlternatives(BargainingDesideratum):
    id = "iia"
    name = "independence of irrelevant alternatives"
    statement = ("If S ⊆ T (same d) and the solution of T lies in S, the solution of S is the same "
                 "(set-valued: f(T) ∩ S ≠ ∅ ⇒ f(S) = f(T) ∩ S).")
    needs_transformation = True

    def parameters(self, problem, rng, count):
        return _subset_parameters(problem, "nash", rng, count)

    def check(self, solution, problem, params):
        small = sub_problem(problem, params)
        if small.is_degenerate():
            return None  # the classical axioms concern non-degenerate problems
        big_sol = solve(solution, problem)
        inside = tuple(x for x in big_sol if small.contains(x))
        if not inside:
            return None
        small_sol = solve(solution, small)
        if small_sol == inside:
            return None
        gap = max(abs(x[i] - y[i]) for x in inside for y in small_sol for i in range(2))
        return self._violation(
            solution, problem, params,
            {"solution": _set_json(big_sol), "sub-problem solution": _set_json(small_sol)},
            f"{_concept_name(solution)} selects {_set_str(big_sol)} on T = {problem.describe()}; on the "
            f"sub-problem S = {small.describe()}, which still contains it, it selects {_set_str(small_sol)}",
            gap, {"sub-problem": small})


class ResourceMonotonicity(BargainingDesideratum):
    id = "resource-monotonicity"
    name = "resource monotonicity"
    statement = ("Enlarging the feasible set (same d) makes no player worse off: S ⊆ T ⇒ f_i(T) ≥ f_i(S) "
                 "for every player (seed 003; set-valued: each player's worst selected point).")
    needs_transformation = True

    def parameters(self, problem, rng, count):
        return _subset_parameters(problem, "nash", rng, count)

    def check(self, solution, problem, params):
        small = sub_problem(problem, params)
        if small.is_degenerate():
            return None  # the classical axioms concern non-degenerate problems
        big_sol, small_sol = solve(solution, problem), solve(solution, small)
        gaps = [_worst(small_sol, i) - _worst(big_sol, i) for i in range(2)]
        i = 0 if gaps[0] >= gaps[1] else 1
        if gaps[i] <= 0:
            return None
        return self._violation(
            solution, problem, params,
            {"solution": _set_json(big_sol), "sub-problem solution": _set_json(small_sol)},
            f"{_concept_name(solution)} gives player {i + 1} {format_fraction(_worst(big_sol, i))} on "
            f"T = {problem.describe()}, but {format_fraction(_worst(small_sol, i))} on the smaller "
            f"S = {small.describe()}", gaps[i], {"sub-problem": small})


class IndividualMonotonicity(BargainingDesideratum):
    id = "individual-monotonicity"
    name = "individual monotonicity (Kalai–Smorodinsky)"
    statement = ("If S ⊆ T (same d) and the other player's ideal payoff is the same in both, "
                 "player i gets at least as much in T as in S.")
    needs_transformation = True

    def parameters(self, problem, rng, count):
        return _subset_parameters(problem, "kalai-smorodinsky", rng, count)

    def check(self, solution, problem, params):
        small = sub_problem(problem, params)
        if small.is_degenerate():
            return None  # the classical axioms concern non-degenerate problems
        bt, bs = problem.ideal_point(), small.ideal_point()
        big_sol, small_sol = solve(solution, problem), solve(solution, small)
        for i in range(2):
            j = 1 - i
            if bt[j] != bs[j]:
                continue
            gap = _worst(small_sol, i) - _worst(big_sol, i)
            if gap > 0:
                return self._violation(
                    solution, problem, params,
                    {"solution": _set_json(big_sol), "sub-problem solution": _set_json(small_sol),
                     "ideal": _pt_json(bt), "sub-problem ideal": _pt_json(bs)},
                    f"{_concept_name(solution)} gives player {i + 1} {format_fraction(_worst(big_sol, i))} on "
                    f"T = {problem.describe()}, but {format_fraction(_worst(small_sol, i))} on the smaller "
                    f"S = {small.describe()} with the same ideal payoff {format_fraction(bt[j])} for player {j + 1}",
                    gap, {"sub-problem": small})
        return None


class DisagreementInvariance(BargainingDesideratum):
    id = "disagreement-invariance"
    name = "disagreement-point invariance"
    statement = ("Moving d to any d' that F weakly dominates, without changing either player's cap "
                 "b_i (best payoff without pushing the other below d), leaves the solution unchanged (seed 000).")
    needs_transformation = True

    def parameters(self, problem, rng, count):
        d = problem.disagreement
        b = problem.ideal_point()
        candidates = [(d[0] - 1, d[1] - 1), (d[0] - 1, d[1]), (d[0], d[1] - 1), (d[0] - 2, d[1]),
                      (d[0], d[1] - 2), (d[0] + 1, d[1]), (d[0], d[1] + 1)]
        for _ in range(count):
            candidates.append((d[0] + rng.randint(-3, 3), d[1] + rng.randint(-3, 3)))
        out, seen = [], set()
        for c in candidates:
            c = (Fraction(c[0]), Fraction(c[1]))
            if c == d or c in seen:
                continue
            seen.add(c)
            if not problem.contains(c):
                continue
            if problem.with_disagreement(c).ideal_point() != b:
                continue
            out.append({"disagreement": _pt_json(c)})
        return out[: max(count, 1)]

    def check(self, solution, problem, params):
        new_d = tuple(to_fraction(v) for v in params["disagreement"])
        moved = problem.with_disagreement(new_d)
        if moved.is_degenerate() or moved.ideal_point() != problem.ideal_point() or not problem.contains(new_d):
            return None  # not a legal move: it changes a cap or enlarges the feasible set
        before, after = solve(solution, problem), solve(solution, moved)
        if before == after:
            return None
        if len(before) == len(after):
            gap = max(abs(x[i] - y[i]) for x, y in zip(before, after) for i in range(2))
        else:
            gap = Fraction(1)
        return self._violation(
            solution, problem, params, {"solution": _set_json(before), "moved solution": _set_json(after)},
            f"{_concept_name(solution)} selects {_set_str(before)} with d = {format_point(problem.disagreement)} "
            f"and {_set_str(after)} with d' = {format_point(new_d)}, though both caps stay at "
            f"{format_point(problem.ideal_point())}", gap, {"moved": moved})


def _improvements(problem: BargainingProblem, default: Point) -> list[Point]:
    """Pure outcomes and pairwise midpoints (correlated outcomes) that weakly improve on `default`."""
    base = sorted(set(problem.points + (problem.disagreement,)))
    mids = {((p[0] + q[0]) / 2, (p[1] + q[1]) / 2) for p in base for q in base if p < q}
    return [x for x in sorted(set(base) | mids) if weakly_dominates(x, default)]


class _SelectionDesideratum(BargainingDesideratum):
    def applies(self, solution, problem):
        return isinstance(solution, str) and solution in SELECTIONS and problem.n_players == 2


class PMMGuarantee(_SelectionDesideratum):
    id = "pmm"
    name = "Pareto-meet-minimum guarantee"
    statement = ("Conditional set-valued renegotiation with PMP-extended sets gives every player at least "
                 "the Pareto meet minimum, for every default outcome and base renegotiation sets "
                 "(seed 002, Theorem 3); checked for the selection function built from the concept's welfare function.")
    needs_transformation = True

    def parameters(self, problem, rng, count):
        defaults = sorted(set(problem.points + (problem.disagreement,)))
        out = []
        for a in defaults:
            imp = _improvements(problem, a)
            out.append({"default": _pt_json(a), "r1": [], "r2": []})
            for _ in range(max(1, count // max(1, len(defaults)))):
                r1 = rng.sample(imp, rng.randint(0, min(3, len(imp))))
                r2 = rng.sample(imp, rng.randint(0, min(3, len(imp))))
                out.append({"default": _pt_json(a), "r1": [_pt_json(x) for x in r1],
                            "r2": [_pt_json(x) for x in r2]})
        return out

    def check(self, solution, problem, params):
        a = tuple(to_fraction(v) for v in params["default"])
        r1 = [tuple(to_fraction(v) for v in x) for x in params["r1"]]
        r2 = [tuple(to_fraction(v) for v in x) for x in params["r2"]]
        result = renegotiate(problem, solution, a, r1, r2)
        pmm = pareto_meet_minimum(problem)
        gaps = [pmm[i] - result.new[i] for i in range(2)]
        i = 0 if gaps[0] >= gaps[1] else 1
        if gaps[i] <= 0:
            return None
        return self._violation(
            solution, problem, params,
            {"pmm": _pt_json(pmm), "old outcome": _pt_json(result.old), "new outcome": _pt_json(result.new),
             "agreement set": _set_json(result.agreement)},
            f"with default {format_point(a)}, the {solution} selection renegotiates to "
            f"{format_point(result.new)} from the PMP-extended agreement set {_set_str(result.agreement)}, "
            f"giving player {i + 1} less than its PMM payoff {format_fraction(pmm[i])}", gaps[i])


class SelectionTransitivity(_SelectionDesideratum):
    id = "transitivity"
    name = "transitivity of the selection function"
    statement = ("If every point of S' is at least as good for all players as sel(S), then "
                 "sel(S ∪ S') is at least as good for all players as sel(S) (seed 002, Definition 6); "
                 "S = the problem's points, sel built from the concept's welfare function.")
    needs_transformation = True

    def parameters(self, problem, rng, count):
        # The premise needs sel(S), which depends on the concept: propose extras
        # around every welfare selection's choice; `check` skips non-instances.
        out = []
        for welfare in SELECTIONS:
            o = select(welfare, problem.points, problem.disagreement)
            out += [{"extra": [_pt_json((o[0] + 1, o[1]))]}, {"extra": [_pt_json((o[0], o[1] + 1))]}]
            for _ in range(max(1, count // len(SELECTIONS))):
                extra = [(o[0] + rng.randint(0, 3), o[1] + rng.randint(0, 3)) for _ in range(rng.randint(1, 2))]
                out.append({"extra": [_pt_json(x) for x in extra]})
        return out

    def check(self, solution, problem, params):
        d = problem.disagreement
        s = list(problem.points)
        o = select(solution, s, d)
        extra = [tuple(to_fraction(v) for v in x) for x in params["extra"]]
        if not all(weakly_dominates(x, o) for x in extra):
            return None  # not an instance of the premise
        new = select(solution, s + extra, d)
        gaps = [o[i] - new[i] for i in range(2)]
        i = 0 if gaps[0] >= gaps[1] else 1
        if gaps[i] <= 0:
            return None
        return self._violation(
            solution, problem, params,
            {"sel(S)": _pt_json(o), "sel(S ∪ S')": _pt_json(new)},
            f"the {solution} selection picks {format_point(o)} from S = {_set_str(sorted(set(s)))}, but after "
            f"adding {_set_str(extra)} (all at least as good for both) it picks {format_point(new)}, "
            f"worse for player {i + 1}", gaps[i])


BARGAINING_DESIDERATA: dict[str, BargainingDesideratum] = {
    d.id: d
    for d in (
        WeakPareto(),
        StrongPareto(),
        Symmetry(),
        AffineInvariance(),
        IndependenceOfIrrelevantAlternatives(),
        ResourceMonotonicity(),
        IndividualMonotonicity(),
        IndividualRationality(),
        RandomDictatorDominance(),
        DisagreementInvariance(),
        PMMGuarantee(),
        SelectionTransitivity(),
    )
}


def get_bargaining_desideratum(desideratum_id: str) -> BargainingDesideratum:
    if desideratum_id not in BARGAINING_DESIDERATA:
        raise BargainingError(
            f"unknown bargaining desideratum {desideratum_id!r}; known: {', '.join(BARGAINING_DESIDERATA)}"
        )
    return BARGAINING_DESIDERATA[desideratum_id]
