"""The bargaining problem (SPEC §2): a finite set of payoff points P, a
disagreement point d and a free-disposal flag; exact 2-player geometry.

Feasible set F = conv(P ∪ {d}), or its comprehensive hull F − R²₊ when
`free_disposal` is set. The disagreement point is always feasible (the
players can always walk away). The individually rational set is
S_d = F ∩ {u ≥ d}: a bounded convex polygon, possibly degenerate (a segment or
the single point d). Everything here is exact (Fractions); the solutions are
defined for 2 players (`BargainingError` otherwise).

Conventions for the 2-player frontier of a convex polygon K:
- `top(K)` = the point maximizing u2, ties broken by the larger u1;
- `right(K)` = the point maximizing u1, ties broken by the larger u2;
- the strong Pareto frontier is the chain of vertices from `top` to `right`
  (u1 increasing, u2 decreasing strictly along every edge).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Iterable, Sequence

from ..games import format_fraction, to_fraction

__all__ = [
    "BargainingError",
    "BargainingProblem",
    "Point",
    "convex_hull",
    "clip_halfplane",
    "strong_frontier",
    "frontier_edges",
    "ray_exit",
    "dominates",
    "weakly_dominates",
    "format_point",
]

Point = tuple[Fraction, ...]


class BargainingError(ValueError):
    """A bargaining problem is malformed or outside what a solution handles."""


def _point(values: Iterable[Any], where: str) -> Point:
    return tuple(to_fraction(v, where) for v in values)


def format_point(point: Sequence[Fraction]) -> str:
    return "(" + ", ".join(format_fraction(v) for v in point) + ")"


def weakly_dominates(x: Sequence[Fraction], y: Sequence[Fraction]) -> bool:
    """x ≥ y in every coordinate."""
    return all(a >= b for a, b in zip(x, y))


def dominates(x: Sequence[Fraction], y: Sequence[Fraction]) -> bool:
    """x ≥ y everywhere and x ≠ y (a Pareto improvement)."""
    return weakly_dominates(x, y) and tuple(x) != tuple(y)


def _cross(o: Point, a: Point, b: Point) -> Fraction:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Iterable[Point]) -> list[Point]:
    """Vertices of the convex hull in counter-clockwise order, collinear points
    dropped (Andrew's monotone chain, exact). One point → [p]; a segment → [p, q]."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts
    lower: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(pts):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    return hull if len(hull) >= 2 else pts[:1]


def clip_halfplane(polygon: Sequence[Point], normal: Point, bound: Fraction) -> list[Point]:
    """The convex polygon ∩ {u : normal·u ≥ bound}, as a hull (may be empty)."""
    def side(p: Point) -> Fraction:
        return normal[0] * p[0] + normal[1] * p[1] - bound

    if not polygon:
        return []
    if len(polygon) == 1:
        return list(polygon) if side(polygon[0]) >= 0 else []
    out: list[Point] = []
    n = len(polygon)
    for k in range(n):
        p, q = polygon[k], polygon[(k + 1) % n]
        sp, sq = side(p), side(q)
        if sp >= 0:
            out.append(p)
        if (sp > 0 > sq) or (sp < 0 < sq):
            t = sp / (sp - sq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return convex_hull(out)


def top(polygon: Sequence[Point]) -> Point:
    return max(polygon, key=lambda p: (p[1], p[0]))


def right(polygon: Sequence[Point]) -> Point:
    return max(polygon, key=lambda p: (p[0], p[1]))


def strong_frontier(polygon: Sequence[Point]) -> list[Point]:
    """The strong Pareto frontier's vertices, from `top` to `right` (u1 increasing)."""
    if len(polygon) <= 1:
        return list(polygon)
    hull = list(polygon)
    n = len(hull)
    start = hull.index(right(hull))
    stop = hull.index(top(hull))
    chain = [hull[start]]
    k = start
    while k != stop:  # counter-clockwise from the rightmost to the topmost vertex
        k = (k + 1) % n
        chain.append(hull[k])
    chain.reverse()
    return chain


def frontier_edges(polygon: Sequence[Point]) -> list[tuple[Point, Point]]:
    chain = strong_frontier(polygon)
    return list(zip(chain, chain[1:]))


def ray_exit(polygon: Sequence[Point], origin: Point, direction: Point) -> Fraction | None:
    """max t ≥ 0 with origin + t·direction in the polygon (origin inside it), or
    None when the direction is zero."""
    if direction == (0, 0):
        return None
    best = Fraction(0)
    n = len(polygon)
    dd = direction[0] * direction[0] + direction[1] * direction[1]

    def on_line(p: Point) -> bool:
        return direction[0] * (p[1] - origin[1]) - direction[1] * (p[0] - origin[0]) == 0

    for p in polygon:
        if on_line(p):
            best = max(best, ((p[0] - origin[0]) * direction[0] + (p[1] - origin[1]) * direction[1]) / dd)
    if n >= 2:
        for k in range(n):
            p, q = polygon[k], polygon[(k + 1) % n]
            e = (q[0] - p[0], q[1] - p[1])
            denom = direction[0] * e[1] - direction[1] * e[0]
            if denom == 0:
                continue
            w = (p[0] - origin[0], p[1] - origin[1])
            t = (w[0] * e[1] - w[1] * e[0]) / denom
            s = (w[0] * direction[1] - w[1] * direction[0]) / denom
            if 0 <= s <= 1 and t > best:
                best = t
    return best


@dataclass(frozen=True)
class BargainingProblem:
    """Payoff points (one tuple per feasible pure outcome), the disagreement
    point and whether free disposal is allowed. Immutable; exact Fractions.
    Point order is kept (witness parameters refer to point indices); duplicates
    are allowed on input and harmless."""

    points: tuple[Point, ...]
    disagreement: Point
    free_disposal: bool = False
    title: str = ""

    def __post_init__(self) -> None:
        points = tuple(_point(p, f"point {k}") for k, p in enumerate(self.points))
        d = _point(self.disagreement, "disagreement point")
        if not points:
            raise BargainingError("a bargaining problem needs at least one payoff point")
        n = len(d)
        if n < 1:
            raise BargainingError("the disagreement point is empty")
        for k, p in enumerate(points):
            if len(p) != n:
                raise BargainingError(f"point {k} has {len(p)} coordinates, the disagreement point {n}")
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "disagreement", d)
        object.__setattr__(self, "free_disposal", bool(self.free_disposal))

    # -- shape ---------------------------------------------------------------

    @property
    def n_players(self) -> int:
        return len(self.disagreement)

    def require_two_players(self) -> None:
        if self.n_players != 2:
            raise BargainingError(
                f"this computation is implemented for 2 players; the problem has {self.n_players}"
            )

    def max_abs_coordinate(self) -> Fraction:
        return max(abs(v) for p in self.points + (self.disagreement,) for v in p)

    def is_integer(self) -> bool:
        return all(v.denominator == 1 for p in self.points + (self.disagreement,) for v in p)

    # -- exact 2-player geometry --------------------------------------------

    def _cached(self, key: str, compute):
        cache = self.__dict__.setdefault("_geometry", {})
        if key not in cache:
            cache[key] = compute()
        return list(cache[key])

    def hull(self) -> list[Point]:
        """Vertices of conv(P ∪ {d}) (counter-clockwise)."""
        self.require_two_players()
        return self._cached("hull", lambda: convex_hull(self.points + (self.disagreement,)))

    def rational_set(self) -> list[Point]:
        """Vertices of S_d = F ∩ {u ≥ d} (counter-clockwise). With free disposal
        this is the union of the boxes [d, q] over q in conv(P ∪ {d}) ∩ {u ≥ d}."""
        return self._cached("rational", self._rational_set)

    def _rational_set(self) -> list[Point]:
        d = self.disagreement
        k = clip_halfplane(clip_halfplane(self.hull(), (Fraction(1), Fraction(0)), d[0]),
                           (Fraction(0), Fraction(1)), d[1])
        if not self.free_disposal:
            return k
        corners = [d]
        for q in k:
            corners += [q, (q[0], d[1]), (d[0], q[1])]
        return convex_hull(corners)

    def feasible_frontier(self) -> list[Point]:
        """Strong Pareto frontier of F (free disposal does not change it)."""
        return strong_frontier(self.hull())

    def contains(self, x: Sequence[Fraction]) -> bool:
        """Whether x is feasible (in F)."""
        hull = self.hull()
        x = tuple(x)
        if self.free_disposal:
            # x ∈ F − R²₊ iff some point of F weakly dominates x: test the
            # hull clipped to {u ≥ x} for non-emptiness.
            clipped = clip_halfplane(clip_halfplane(hull, (Fraction(1), Fraction(0)), x[0]),
                                     (Fraction(0), Fraction(1)), x[1])
            return bool(clipped)
        return _in_polygon(hull, x)

    def ideal_point(self) -> Point:
        """b_i = max u_i over S_d: the best i can get without pushing the other below d."""
        s = self.rational_set()
        return (right(s)[0], top(s)[1])

    def is_degenerate(self) -> bool:
        """No feasible point is strictly better than d for both players."""
        d = self.disagreement
        s = self.rational_set()
        return not any(p[0] > d[0] for p in s) or not any(p[1] > d[1] for p in s)

    def dictator_points(self) -> tuple[Point, Point]:
        """(player 1's dictated point, player 2's): the dictator's best point of F
        subject to the other getting ≥ d; ties: the best for the other."""
        s = self.rational_set()
        return right(s), top(s)

    # -- transformations -----------------------------------------------------

    def affine(self, scale: Sequence[Any], shift: Sequence[Any]) -> "BargainingProblem":
        """u_i ↦ scale_i·u_i + shift_i (scale_i > 0) applied to every point and d."""
        a = _point(scale, "scale")
        b = _point(shift, "shift")
        if any(v <= 0 for v in a):
            raise BargainingError("affine scale factors must be positive")
        f = lambda p: tuple(ai * v + bi for ai, v, bi in zip(a, p, b))  # noqa: E731
        return BargainingProblem(tuple(f(p) for p in self.points), f(self.disagreement), self.free_disposal)

    def swapped(self) -> "BargainingProblem":
        """The players' roles exchanged (2 players)."""
        self.require_two_players()
        sw = lambda p: (p[1], p[0])  # noqa: E731
        return BargainingProblem(tuple(sw(p) for p in self.points), sw(self.disagreement), self.free_disposal)

    def with_disagreement(self, d: Sequence[Any]) -> "BargainingProblem":
        return BargainingProblem(self.points, tuple(d), self.free_disposal)

    def with_points(self, points: Iterable[Sequence[Any]]) -> "BargainingProblem":
        return BargainingProblem(tuple(tuple(p) for p in points), self.disagreement, self.free_disposal)

    def is_symmetric(self) -> bool:
        """d₁ = d₂ and the feasible set is mirror-symmetric (compared by hull vertices)."""
        self.require_two_players()
        d = self.disagreement
        if d[0] != d[1]:
            return False
        return sorted(self.hull()) == sorted(self.swapped().hull())

    def subset_of(self, other: "BargainingProblem") -> bool:
        """Whether this feasible set lies inside the other's (same d not required)."""
        if self.free_disposal and not other.free_disposal:
            return False
        return all(other.contains(v) for v in self.hull())

    def describe(self) -> str:
        pts = ", ".join(format_point(p) for p in self.points)
        fd = ", free disposal" if self.free_disposal else ""
        return f"P = {{{pts}}}, d = {format_point(self.disagreement)}{fd}"


def _in_polygon(polygon: Sequence[Point], x: Point) -> bool:
    n = len(polygon)
    if n == 1:
        return polygon[0] == x
    if n == 2:
        p, q = polygon
        return _cross(p, q, x) == 0 and min(p, q) <= x <= max(p, q)
    return all(_cross(polygon[k], polygon[(k + 1) % n], x) >= 0 for k in range(n))
