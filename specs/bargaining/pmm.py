"""Seed 002: the Pareto meet minimum, Pareto meet projections, selection
functions built from welfare functions, and conditional set-valued
renegotiation (CSR) with PMP-extended renegotiation sets.

- PMM (Definition 5): u^PMM_i = min over Pareto-efficient outcomes of u_i.
  Computed over the finite outcomes P ∪ {d} that no other outcome Pareto
  dominates; for 2 players this equals the minimum over the strong Pareto
  frontier of the hull (its ends are outcomes, and an efficient outcome with a
  smaller u1 than the top end would be dominated by it).
- PMP_i(a) (Definition 5): outcomes x with x_i ≥ max(PMM_i, a_i) and
  x_j = max(PMM_j, a_j): a segment of F (continuous action sets, as Theorem 3
  assumes), returned by its end points.
- A selection function maps a finite agreement set to one of its points that
  is Pareto efficient in it (Definition 6). Those built from a welfare function
  W with a fixed reference point d maximize a fixed key (W, then leximin gains,
  then u1): strictly monotone in the Pareto order, hence efficient and
  transitive. The Kalai–Smorodinsky one normalizes gains by the ideal point b
  of the set itself (min_i (x_i − d_i)/(b_i − d_i)), so its ordering depends on
  the set; it is transitive all the same: if the added points S' (all ≥ o =
  sel(S)) raise b_j, the point y ∈ S' with y_j = b'_j scores ≥ (o_i − d_i)/(b'_i − d_i),
  which beats every old z ∈ S that is not ≥ o (such a z lost to o before, and
  a larger b' only lowers its score). The search confirms it on small problems.
- CSR with PMP extension (Definition 7, Theorem 3): with base renegotiation
  sets R1, R2 (finite sets of Pareto improvements on the default a), the old
  outcome is o = sel(R1 ∩ R2) (a if empty); each player adds PMP_i(o); the new
  agreement set is R1' ∩ R2' = (R1 ∩ R2) ∪ (R1 ∩ PMP_2(o)) ∪ (PMP_1(o) ∩ R2) ∪
  (PMP_1(o) ∩ PMP_2(o)), and the guarantee is sel(R1' ∩ R2') ≥ u^PMM.
  (Proof for a transitive sel: every added point is ≥ o, so the new choice
  y ≥ o; y ∈ R1 ∩ R2 would force y = o, which is dominated by
  max(PMM, o) ∈ I' unless o ≥ PMM; otherwise y lies in a PMP set, all of whose
  points are ≥ PMM.)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Iterable, Sequence

from .problem import (
    BargainingError,
    BargainingProblem,
    Point,
    clip_halfplane,
    dominates,
    weakly_dominates,
)

__all__ = [
    "pareto_meet_minimum",
    "pareto_meet_projection",
    "SELECTIONS",
    "selection_key",
    "select",
    "Renegotiation",
    "renegotiate",
]


def pareto_meet_minimum(problem: BargainingProblem) -> Point:
    """u^PMM: per player, the minimum over Pareto-efficient outcomes; exact, any n."""
    outcomes = sorted(set(problem.points + (problem.disagreement,)))
    efficient = [x for x in outcomes if not any(dominates(y, x) for y in outcomes)]
    return tuple(min(x[i] for x in efficient) for i in range(problem.n_players))


def pareto_meet_projection(problem: BargainingProblem, player: int, a: Sequence[Fraction]) -> list[Point]:
    """PMP_player(a) as the end points of a segment of F (empty if infeasible); 2 players."""
    problem.require_two_players()
    pmm = pareto_meet_minimum(problem)
    i, j = player, 1 - player
    ci, cj = max(pmm[i], a[i]), max(pmm[j], a[j])
    ei = tuple(Fraction(int(k == i)) for k in range(2))
    ej = tuple(Fraction(int(k == j)) for k in range(2))
    hull = problem.hull()
    above = clip_halfplane(hull, ej, cj)
    if not above:
        return []
    if problem.free_disposal:
        top_i = max(p[i] for p in above)
        if top_i < ci:
            return []
        ends = [(ci, cj), (top_i, cj)] if i == 0 else [(cj, ci), (cj, top_i)]
        return sorted(set(ends))
    on_line = clip_halfplane(clip_halfplane(above, tuple(-v for v in ej), -cj), ei, ci)
    return sorted(set(on_line))


def _on_segment(x: Point, ends: Sequence[Point]) -> bool:
    if not ends:
        return False
    if len(ends) == 1:
        return tuple(x) == ends[0]
    p, q = ends
    cross = (q[0] - p[0]) * (x[1] - p[1]) - (q[1] - p[1]) * (x[0] - p[0])
    return cross == 0 and min(p, q) <= tuple(x) <= max(p, q)


def _leximin(g: Sequence[Fraction]) -> tuple:
    return (min(g), max(g), g[0])


def selection_key(welfare: str, agreement: Sequence[Point], d: Point) -> Callable[[Point], tuple]:
    """The key a welfare-function selection maximizes over a finite set."""
    if welfare == "utilitarian":
        return lambda x: (x[0] + x[1], -abs((x[0] - d[0]) - (x[1] - d[1])), x[0])

    def gains(x: Point) -> tuple[Fraction, Fraction]:
        return (x[0] - d[0], x[1] - d[1])

    if welfare == "egalitarian":
        return lambda x: _leximin(gains(x))
    if welfare == "nash":
        def nash_key(x: Point) -> tuple:
            g = gains(x)
            product = g[0] * g[1] if min(g) >= 0 else Fraction(-1)
            return (product,) + _leximin(g)
        return nash_key
    if welfare == "kalai-smorodinsky":
        rational = [x for x in agreement if weakly_dominates(x, d)]
        ideal = [max((x[k] for x in rational), default=d[k]) for k in range(2)]

        def ks_key(x: Point) -> tuple:
            g = gains(x)
            if min(g) < 0:
                return (0, Fraction(0)) + _leximin(g)
            normalized = [g[k] / (ideal[k] - d[k]) for k in range(2) if ideal[k] > d[k]]
            return (1, min(normalized, default=Fraction(0))) + _leximin(g)
        return ks_key
    raise BargainingError(f"no selection function for {welfare!r}; known: {', '.join(SELECTIONS)}")


SELECTIONS = ("nash", "kalai-smorodinsky", "egalitarian", "utilitarian")


def select(welfare: str, agreement: Iterable[Point], d: Point) -> Point:
    """sel_W(S): the point of the finite set S maximizing W's key (see module doc)."""
    points = sorted(set(tuple(x) for x in agreement))
    if not points:
        raise BargainingError("cannot select from an empty agreement set")
    return max(points, key=selection_key(welfare, points, tuple(d)))


@dataclass(frozen=True)
class Renegotiation:
    """One CSR round: the old outcome o, the PMP sets of o, the new agreement set
    and the new outcome."""

    old: Point
    pmp1: tuple[Point, ...]
    pmp2: tuple[Point, ...]
    agreement: tuple[Point, ...]
    new: Point


def renegotiate(
    problem: BargainingProblem,
    welfare: str,
    default: Sequence[Fraction],
    r1: Iterable[Point],
    r2: Iterable[Point],
) -> Renegotiation:
    """CSR with both players' sets PMP-extended at the old outcome (Definition 7)."""
    default = tuple(default)
    d = problem.disagreement
    r1 = {tuple(x) for x in r1}
    r2 = {tuple(x) for x in r2}
    base = r1 & r2
    old = select(welfare, base, d) if base else default
    pmp1 = pareto_meet_projection(problem, 0, old)
    pmp2 = pareto_meet_projection(problem, 1, old)
    pmm = pareto_meet_minimum(problem)
    agreement = set(base)
    agreement |= {x for x in r1 if _on_segment(x, pmp2)}
    agreement |= {x for x in r2 if _on_segment(x, pmp1)}
    meet = tuple(max(p, o) for p, o in zip(pmm, old))
    if _on_segment(meet, pmp1) and _on_segment(meet, pmp2):
        agreement.add(meet)
    new = select(welfare, agreement, d) if agreement else old
    return Renegotiation(old, tuple(pmp1), tuple(pmp2), tuple(sorted(agreement)), new)
