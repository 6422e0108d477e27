"""Properties that follow from the form of a concept's one definition, with no
solver and no bound: structural inductions over the concept algebra
(`specs.concepts.algebra`), re-derived from today's definition every time they
are asked (nothing is recorded, so nothing can go stale). Each rests on a
lemma about the atoms, proved below and tested exactly kind by kind
(`tests/test_form.py`), and is checked against the exact implementation on
pinned games before it is reported: a disagreement is an encoding defect,
never a proof. A definition that fails a test is not shown to violate the
property (a constant that cancels, say); it is only not proved by its form.

The atoms: M, max_i, maximin_i, a payoff entry U_i(a), the zero-sum value
val(Σ_j c_j U_j) and the extractable surplus S_l of a two-player game
(max over the leader's mixed ν of max_b ν·(U_1+U_2)(·,b) − max_b ν·U_f(·,b)),
on the game or on a coalition game "S vs N∖S" (whose payoffs are sums of its
members').

**Scale** (φ(λG) = λφ(G), every λ > 0): every atom is positively homogeneous
(an optimum of linear functions of the payoffs over sets λ > 0 leaves alone:
simplices, pure profiles, best responses); so is a rational-linear combination
with constant 0, and an argmax or case distinction whose keys, conditions and
branches are (λ > 0 keeps every comparison of homogeneous quantities, ties
too).

**Linearity** (φ(dG + eH) = dφ(G) + eφ(H) for G, H of one shape played in
parallel, d, e ≥ 0): M, max_i, maximin_i, val and S are additive over parallel
games — in each, the objective for a mixed strategy over pairs of actions
depends only on its two marginals and splits into d·(the G part) + e·(the H
part), and the opponents' best pure pair is a pair of best pure responses;
coalition games of a parallel game are the parallel games of the coalition
games (up to the order of joint actions, which no atom sees). Payoff entries
are not (a profile of dG + eH is not a profile of G). So the property holds
when the definition on the shape and on the parallel shape is the same
rational-linear combination, constant 0, of additive atoms named alike (kind,
coalition path, arguments).

**Redundancy** (a new, last action of player j that is a mixture of its
actions, the same mixture of payoffs for everyone, or a duplicate): M and
max_i are maxima over pure profiles, and a new profile's payoffs are convex
combinations of old ones; maximin_i, val and S are optima over mixed
strategies, and a strategy using the new action is worth exactly the strategy
that spreads its weight over the mixture, while a best pure reply never
needs the new action (its expected payoffs are an average of the old
actions'); payoff entries of old profiles are unchanged (the new action comes
last). A coalition side's new joint actions are mixtures of its old ones. So
the property holds when each value is the same rational-linear combination
(any constant) of atoms named alike on the shape and with any one player's
extra action.

**Money** (the payment game: every player may also pay each other player T ≥ 0):
sums of payoffs do not change, so M does not; a player's own payment only
lowers its payoff and another's payment to it only raises it, so maximin_i
(whose worst case has nobody paying it) does not; in val(c_0 U_0 + c_1 U_1)
with c_0 ≥ c_1 a payment by the maximizer lowers its row by t(c_0 − c_1) and one
by the minimizer raises its column by as much, rows and columns weakly
dominated by their no-payment copies, so the value does not change; in S_l
the first maximum sees only U_1 + U_2, the follower never pays, and the
leader's expected payment is subtracted, so the best ν pays nothing. max_i
does change (others may pay player i), and so may payoff entries. A
coalition game of the payment game is its coalition game with transfers of
several amounts between the sides and duplicate actions (payments inside a
side cancel), where the same arguments apply. So the property holds when each
value is the same combination of these atoms on the shape and on the payment
shape.

**Shift** (φ(G + c) = φ(G) + c, c_i added to every payoff of player i): each
expression moves by a fixed linear function s·c of the shifts, its shift
vector. A payoff of a coalition side is the sum of its members' payoffs, so a
side's shift is the sum of its members' (m_j: player j's membership vector in
root players). M moves by Σ_j m_j·c, max_i, maximin_i and U_i(a) by m_i·c (an
optimum of player i's payoffs alone), val(Σ_j c_j U_j) by Σ_j c_j m_j·c (the
matrix moves by that constant), S_l by m_l·c (the first maximum moves by
(m_l + m_f)·c, the second by m_f·c). A rational-linear combination, constant
or not, moves by Σ_k c_k s_k. An argmax whose keys share one shift vector
chooses the same branch (every comparison of keys is unchanged, ties too),
and a case distinction whose conditions' differences have shift vector 0
takes the same branch; either then moves by its branches' vector when they
share one. The property holds when player i's value has shift vector e_i.

**Continuity** (|φ_i(G') − φ_i(G)| ≤ L·‖G' − G‖∞, the desideratum's Lipschitz
form with its L = 10·n): an atom on a game whose player j's payoffs move by at
most w_j·ε moves by at most: M Σ_j w_j, max_i / maximin_i / U_i(a) w_i,
val(Σ c_j U_j) Σ |c_j| w_j, S_l w_1 + w_2 + w_f (a sup over ν of a difference of
maxima of moved linear functions); a coalition game's sides have the summed
weights of their members (w = 1 for every player of the game itself). A
rational-linear combination is Σ |c_k| L_k-Lipschitz, a maximum or minimum of
values (an argmax whose keys are its branches) max_k L_k; any other argmax or
case distinction can jump, and the form then proves nothing. The property
holds when every player's constant is at most the desideratum's L.

**Pareto** (Σ_i φ_i = M): when the sum of the players' expressions, as a
rational-linear combination of atoms named alike, is the atom M of the game
itself and nothing else, it equals M on every game (same atom, same value).

**Maximin** (φ_i ≥ maximin_i): when φ_i − maximin_i, as a linear form over
atoms, is Σ_k λ_k L_k + c with λ_k ≥ 0, c ≥ 0 (an exact LP finds the λ) and
each L_k ≥ 0 on every game, it is ≥ 0 on every game. The inequalities, on
any game and its coalition games: maximin_j ≤ max_j (a guarantee is an
average of j's payoffs); Σ_j maximin_j ≤ M (everyone playing a maximin
strategy independently gets at least maximin_j each in expectation, and an
expected total is at most M); for each CE selection maximin_j ≤ ce_j (in a
CE every recommendation is a best reply to its posterior over the others'
profiles, worth at least what j guarantees against all of them), ce_j ≤ max_j
and Σ_j ce_j ≤ M (averages of payoffs, of totals).

**Payoff dominance** (U_i ≥ U_j at every profile ⇒ φ_i ≥ φ_j): as for
maximin, with the inequalities the hypothesis adds on the game itself:
max_i ≥ max_j, U_i(a) ≥ U_j(a) for each entry, and ce_i ≥ ce_j for each
selection (the expectations of U_i − U_j ≥ 0 under one distribution).

**Symmetry** (identical players 0 and 1 of a two-player game get equal
values): φ_0 − φ_1 must be zero by equalities that identical players satisfy
(both signs of each, in the same LP): max_0 = max_1 and maximin_0 = maximin_1
(the swap, with the relabelling of actions, maps one player's problem onto
the other's), and the egalitarian ce_0 = ce_1: the CE payoff polytope P is
symmetric; a point q of P with min(q) ≥ t* (the max-min value) and q_0 ≠ q_1
would average with its mirror image into a point of P whose smaller
coordinate exceeds t*, so the egalitarian stages end at (t*, t*). (The
utilitarian tie-break E[U_0] first is not symmetric, and neither is the
argument for three or more players.)

**Threat** (the destruction game, where each player may burn another's
utility by a cap at no cost to itself): M and max_i do not change (burns only
lower payoffs; the no-burn copies remain), and neither do the CE payoffs: the
incentive rows of a player see its own payoff differences, which burns by
others do not change and its own burns do not touch, so summing a CE's rows
over the burn choices shows that its original-action marginal is a CE of G;
hence P' ⊆ P − R^n_+ (the expected burns received are ≥ 0), while P ⊆ P'
(never burn). Every stage of both selections maximizes a quantity that a
burn can only lower (Σ_i, min_i, E[U_0], …) with P's optimum still available,
so its optimal points are the burn-free ones, P's, and d does not change. The
property holds when each value is the same combination of these atoms on the
shape and on every destruction shape (each set of positive caps).

**The correlated-equilibrium atoms** ce_i = d_i, player i's payoff at the CE
that a selection picks (`specs.concepts.correlated`). Lemma: d depends on G
only through P(G) = {E_x[U] : x a CE of G}, the polytope of CE payoff
vectors, because every stage of both selections (utilitarian: Σ_i E[U_i],
then E[U_0], E[U_1], …; egalitarian: first max min_i E[U_i]) optimizes a
function of the payoff vector alone, and the last stages fix it. Then:
P(λG) = λP(G), and a lexicographic optimum of linear (or min-of-linear)
objectives over λP is λ times the one over P, so both selections are
homogeneous (scale). P(G + c) = P(G) + c (the incentive rows see payoff
differences only): linear objectives keep their optimal faces, so the
utilitarian d_i moves by c_i (shift vector m_i); min_i(p_i + c_i) does not
keep its optimum, and the egalitarian atom has no shift vector. P is
unchanged by a mixture or duplicate action of player j (redundancy): a CE
that recommends the new action a* (a mixture σ of old actions) maps to one
that recommends a_k with probability σ_k instead — a* is a best reply to the
posterior, so every a_k in σ's support is one too, and the others' expected
payoffs against a* are the σ-averages of theirs against the a_k — with the
same expected payoffs; conversely every CE of G is one of the wider game (a*
is worth an average of old actions). P is unchanged by side payments (money):
an action that pays T > 0 is strictly dominated by the same action paying
nothing, so no CE recommends it, and the incentive rows toward it hold
whenever those toward its copy do (T = 0 is a duplicate). P(dG + eH) =
dP(G) + eP(H) for d, e ≥ 0 (linearity): a product of CEs of G and H is a CE
of the parallel game (a deviation's gain is d·(the G gain) + e·(the H gain)),
and the marginals of a CE of the parallel game are CEs of G and H (sum the
incentive rows of the deviations that change one component only); the
lexicographic optimum of linear objectives over a Minkowski sum is the sum of
the optima (the optimal face of a sum is the sum of the optimal faces), so the
utilitarian atom is additive; a max-min is not, and the egalitarian one is
not. A selected CE can jump when payoffs move (a tie between CEs breaks the
other way), so neither has a Lipschitz constant (continuity).
"""

from __future__ import annotations

import functools
import math
import random
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

from ..specs.concepts.algebra import Argmax, Atom, Case, Expr, GameRef, Linear
from ..specs.concepts.registry import Concept, get_concept
from ..specs.games import Game, format_fraction

__all__ = ["FormProof", "FormDefect", "FORM_DESIDERATA", "atom_kind", "homogeneity_obstacle", "linear_form", "lipschitz_constant",
           "shift_vector", "form_obstacle", "form_proof"]

# Every atom kind, as `atom_kind` names them (a correlated-equilibrium atom by its selection);
# every one is positively homogeneous.
ALL_ATOMS = ("M", "max", "maximin", "entry", "val", "S", "ce:utilitarian", "ce:egalitarian")
HOMOGENEOUS_ATOMS = ALL_ATOMS
ADDITIVE_ATOMS = ("M", "max", "maximin", "val", "S", "ce:utilitarian")
# Unchanged by side payments (zero-sum values only when the maximizer's own weight is the larger).
MONEY_ATOMS = ("M", "maximin", "val", "S", "ce:utilitarian", "ce:egalitarian")
# The payment amounts of the exact cross-check of money, and the largest payment game checked.
PINNED_AMOUNTS = (Fraction(1), Fraction(7, 2), Fraction(25))
MONEY_CHECK_PROFILES = 64
# Unchanged when a player gets a mixture (or a duplicate) of its actions as a new, last action.
REDUNDANT_ATOMS = ("M", "max", "maximin", "entry", "val", "S", "ce:utilitarian", "ce:egalitarian")
# The factors of the exact cross-check of scale (the form covers every λ > 0).
PINNED_FACTORS = (Fraction(2), Fraction(1, 3), Fraction(7, 5))
# The weights (d, e) of the exact cross-check of linearity.
PINNED_WEIGHTS = ((Fraction(1), Fraction(1)), (Fraction(2), Fraction(1, 3)), (Fraction(0), Fraction(3, 2)))


class FormDefect(Exception):
    """The form says the property holds, the exact implementation says it does not."""


@dataclass(frozen=True)
class FormProof:
    """A property of `concept` on games of `shape`, by the form of its definition."""

    concept: str
    desideratum: str
    shape: str
    statement: str
    pinned_checks: int

    @property
    def message(self) -> str:
        return (f"holds by the form of the definition on every game of shape {self.shape} (no bound, no "
                f"solver): {self.statement}, by structural induction over the concept algebra; the exact "
                f"implementation agrees on {self.pinned_checks} pinned checks")


def atom_kind(atom: Atom) -> str:
    """The atom's kind as the form rules name it: "ce:<selection>" for a
    correlated-equilibrium atom (the selections obey different lemmas), else
    its kind."""
    return f"ce:{atom.args[0]}" if atom.kind == "ce" else atom.kind


def _short(node) -> str:
    text = node.text()
    return text if len(text) <= 120 else text[:117] + "..."


def _first(found) -> str | None:
    return next((o for o in found if o), None)


# -- scale: positive homogeneity ---------------------------------------------------------------------


def homogeneity_obstacle(expr: Expr) -> str | None:
    """None if `expr` is positively homogeneous by the rules of the module
    docstring, else the first sub-expression that is not (as text)."""
    return _homogeneity(expr)


@functools.lru_cache(maxsize=4096)
def _homogeneity(expr: Expr) -> str | None:
    if isinstance(expr, Atom):
        return None if atom_kind(expr) in HOMOGENEOUS_ATOMS else f"atom {expr.text()} (kind {atom_kind(expr)!r})"
    if isinstance(expr, Linear):
        if expr.const != 0:
            return f"the constant {expr.const} in {_short(expr)}"
        return _first(_homogeneity(t) for t, _ in expr.terms)
    if isinstance(expr, Argmax):
        return _first(_homogeneity(e) for e in expr.keys + expr.branches)
    if isinstance(expr, Case):
        for comparison in expr.condition.parts():
            found = _homogeneity(comparison.difference)
            if found:
                return f"the condition {_short(comparison)}: {found}"
        return _homogeneity(expr.then) or _homogeneity(expr.otherwise)
    return f"an expression of kind {type(expr).__name__}"


def _scale_obstacle(concept: Concept, shape: tuple[int, ...]) -> str | None:
    for player, expr in enumerate(concept.definition.expressions(shape)):
        found = homogeneity_obstacle(expr)
        if found:
            return f"player {player + 1}'s value is not homogeneous by its form: {found}"
    return None


def _scale_checks(concept, desideratum, games: list[Game]) -> list[tuple[Game, dict[str, Any]]]:
    return [(g, {"factor": format_fraction(f)}) for g in games for f in PINNED_FACTORS]


# -- linearity: additivity over parallel games --------------------------------------------------------


def linear_form(expr: Expr, atoms: tuple[str, ...] = ADDITIVE_ATOMS, const_zero: bool = True,
                what: str = "additive over parallel games") -> dict[tuple, Fraction] | str:
    """The expression as {atom name (kind, coalition path, arguments): coefficient}
    (the constant under the key ()) when it is a rational-linear combination of
    atoms of the kinds `atoms`, with constant 0 if `const_zero`; else why not
    (`what`: the property the other atoms lack)."""
    linear = expr.linear()
    if const_zero and linear.const != 0:
        return f"the constant {linear.const} in {_short(linear)}"
    form: dict[tuple, Fraction] = {(): linear.const}
    for term, c in linear.terms:
        if not isinstance(term, Atom):
            return f"{_short(term)} is a choice, not a linear combination of atoms"
        if atom_kind(term) not in atoms:
            return f"atom {term.text()} is not {what}"
        key = (term.kind, term.game.path, term.args)
        form[key] = form.get(key, Fraction(0)) + c
    return {k: c for k, c in form.items() if c != 0}


def _same_combination(concept: Concept, shape: tuple[int, ...], other: tuple[int, ...], relation: str,
                      **rules) -> str | None:
    """None if every player's value is, on `shape` and on `other`, the same
    combination of atoms (`linear_form` with `rules`), else why not."""
    other_name = "x".join(map(str, other))
    if not concept.symbolic_on(other):
        return f"no symbolic form on the {relation} shape {other_name}"
    for player, (narrow_expr, wide_expr) in enumerate(zip(concept.definition.expressions(shape),
                                                          concept.definition.expressions(other))):
        narrow, broad = linear_form(narrow_expr, **rules), linear_form(wide_expr, **rules)
        for form in (narrow, broad):
            if isinstance(form, str):
                return f"player {player + 1}'s value is not linear by its form: {form}"
        if narrow != broad:
            return f"player {player + 1}'s value is a different combination of atoms on the {relation} shape {other_name}"
    return None


def parallel_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of G + H for G and H of `shape`: each player's actions are pairs."""
    return tuple(k * k for k in shape)


def _linearity_obstacle(concept: Concept, shape: tuple[int, ...]) -> str | None:
    return _same_combination(concept, shape, parallel_shape(shape), "parallel")


def _linearity_checks(concept, desideratum, games: list[Game]) -> list[tuple[Game, dict[str, Any]]]:
    from ..specs.witness import game_to_json

    few = games[:4]
    return [(g, {"other": game_to_json(few[(k + 1) % len(few)]), "d": format_fraction(d), "e": format_fraction(e)})
            for k, g in enumerate(few) for d, e in PINNED_WEIGHTS]


# -- redundancy: atoms that a mixture action leaves alone ---------------------------------------------


def _redundancy_obstacle(concept: Concept, shape: tuple[int, ...]) -> str | None:
    for player in range(len(shape)):
        wider = tuple(k + (i == player) for i, k in enumerate(shape))
        found = _same_combination(concept, shape, wider, f"player {player + 1}'s wider", atoms=REDUNDANT_ATOMS,
                                  const_zero=False, what="unchanged by a mixture action")
        if found:
            return found
    return None


def _redundancy_checks(concept, desideratum, games: list[Game]) -> list[tuple[Game, dict[str, Any]]]:
    # Per game and player: a duplicate, a mixture of every action, and the player's maximin
    # strategy as a new pure action (which a reading of maximin over pure strategies would see).
    from ..specs.concepts.basic import maximin_strategy

    checks = []
    for g in games[:5]:
        for player, k in enumerate(g.shape):
            spread = [Fraction(1, 2 ** (a + 1)) for a in range(k)]
            spread[-1] *= 2  # 1/2, 1/4, ..., the last two equal
            checks.append((g, {"player": player, "duplicate": k - 1}))
            for weights in (spread, list(maximin_strategy(g, player)[1])):
                checks.append((g, {"player": player, "weights": [format_fraction(w) for w in weights]}))
    return checks


# -- money: atoms that side payments leave alone ------------------------------------------------------


def payment_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of the payment game: each action with each set of payees."""
    return tuple(k * 2 ** (len(shape) - 1) for k in shape)


def _money_obstacle(concept: Concept, shape: tuple[int, ...]) -> str | None:
    wide = payment_shape(shape)
    profiles = 1
    for k in wide:
        profiles *= k
    if profiles > MONEY_CHECK_PROFILES:
        return (f"the payment game of {'x'.join(map(str, shape))} has {profiles} profiles, too many to check the "
                f"form against the exact implementation (at most {MONEY_CHECK_PROFILES})")
    found = _same_combination(concept, shape, wide, "payment", atoms=MONEY_ATOMS, const_zero=False,
                              what="unchanged by side payments")
    if found:
        return found
    for player, expr in enumerate(concept.definition.expressions(shape)):
        for kind, _, args in linear_form(expr, atoms=MONEY_ATOMS, const_zero=False):
            if kind == "val":
                weight = dict(args[0])
                if weight.get(0, Fraction(0)) < weight.get(1, Fraction(0)):
                    return (f"player {player + 1}'s value has a zero-sum value whose maximizer gains by paying "
                            f"(weight {format_fraction(weight.get(0, Fraction(0)))} on its own payoff below "
                            f"{format_fraction(weight.get(1, Fraction(0)))} on the other's)")
    return None


def _money_checks(concept, desideratum, games: list[Game]) -> list[tuple[Game, dict[str, Any]]]:
    return [(g, {"amount": format_fraction(t)}) for g in games for t in PINNED_AMOUNTS]


# -- shift: a shift vector per expression --------------------------------------------------------------


def shift_vector(expr: Expr, root_players: int) -> tuple[Fraction, ...] | str:
    """The vector s with expr(G + c) = expr(G) + s·c for every game G and every
    shift c of the root game's players (rules of the module docstring), or why
    the form gives none."""
    return _shift(expr, root_players)


@functools.lru_cache(maxsize=4096)
def _shift(expr: Expr, n: int) -> tuple[Fraction, ...] | str:
    if isinstance(expr, Atom):
        m = _memberships(expr.game, n)
        if expr.kind == "M":
            return _combine((1, v) for v in m)
        if expr.kind in ("max", "maximin", "entry"):
            return m[expr.args[0]]
        if expr.kind == "val":
            return _combine((c, m[i]) for i, c in expr.args[0])
        if expr.kind == "S":
            return m[expr.args[0]]
        if atom_kind(expr) == "ce:utilitarian":
            return m[expr.args[1]]
        if expr.kind == "ce":
            return (f"atom {expr.text()}: the {expr.args[0]} CE's max-min objective does not move along with "
                    f"unequal shifts, so the selected CE can change")
        return f"atom {expr.text()} (kind {expr.kind!r}) has no shift vector here"
    if isinstance(expr, Linear):
        found = [_shift(term, n) for term, _ in expr.terms]
        broken = _first(f for f in found if isinstance(f, str))
        return broken or _combine(((c, f) for (_, c), f in zip(expr.terms, found)), n)
    if isinstance(expr, Argmax):
        keys = [_shift(k, n) for k in expr.keys]
        broken = _first(k for k in keys if isinstance(k, str))
        if broken:
            return broken
        if len(set(keys)) > 1:
            return f"the keys of {_short(expr)} move by different shifts, so the choice can change"
        return _same_shift(expr, [_shift(b, n) for b in expr.branches])
    if isinstance(expr, Case):
        for comparison in expr.condition.parts():
            moved = _shift(comparison.difference, n)
            if isinstance(moved, str):
                return f"the condition {_short(comparison)}: {moved}"
            if any(moved):
                return f"the condition {_short(comparison)} moves with the shift, so the case can change"
        return _same_shift(expr, [_shift(expr.then, n), _shift(expr.otherwise, n)])
    return f"an expression of kind {type(expr).__name__}"


def _same_shift(expr: Expr, branches: list) -> tuple[Fraction, ...] | str:
    broken = _first(b for b in branches if isinstance(b, str))
    if broken:
        return broken
    if len(set(branches)) > 1:
        return f"the branches of {_short(expr)} move by different shifts"
    return branches[0]


def _combine(terms, n: int | None = None) -> tuple[Fraction, ...]:
    """Σ_k c_k v_k for (c_k, v_k) pairs; the zero vector of length n when empty."""
    total: list[Fraction] | None = None
    for c, v in terms:
        total = [Fraction(c) * x for x in v] if total is None else [t + Fraction(c) * x for t, x in zip(total, v)]
    return tuple(total) if total is not None else tuple(Fraction(0) for _ in range(n or 0))


@functools.lru_cache(maxsize=4096)
def _memberships(game: GameRef, n: int) -> tuple[tuple[Fraction, ...], ...]:
    """Per player of `game`, its root players (as a 0/1 vector): a coalition side
    holds its members' payoffs summed."""
    members = tuple(tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n))
    for side in game.path:
        inside = _combine(((1, members[i]) for i in side), n)
        everyone = _combine(((1, v) for v in members), n)
        members = (inside, tuple(a - b for a, b in zip(everyone, inside)))
    return members


def _shift_obstacle(concept: Concept, shape: tuple[int, ...]) -> str | None:
    n = len(shape)
    for player, expr in enumerate(concept.definition.expressions(shape)):
        found = shift_vector(expr, n)
        if isinstance(found, str):
            return f"player {player + 1}'s value has no shift vector by its form: {found}"
        if found != tuple(Fraction(int(j == player)) for j in range(n)):
            return (f"player {player + 1}'s value moves by {'·'.join(map(format_fraction, found))} times the "
                    f"shifts, not by its own shift alone")
    return None


def _shift_checks(concept, desideratum, games: list[Game]) -> list[tuple[Game, dict[str, Any]]]:
    n = games[0].n_players
    vectors = [[Fraction(3 if j == i else 0) for j in range(n)] for i in range(n)]
    vectors.append([Fraction((-1) ** j * (2 * j + 1), 3) for j in range(n)])
    return [(g, {"shifts": [format_fraction(c) for c in v]}) for g in games for v in vectors]


# -- continuity: a Lipschitz constant -----------------------------------------------------------------


def lipschitz_constant(expr: Expr, root_players: int) -> Fraction | str:
    """A Lipschitz constant of `expr` in ‖Δ‖∞ of the root game (rules of the
    module docstring), or why the form gives none."""
    return _lipschitz(expr, root_players)


@functools.lru_cache(maxsize=4096)
def _lipschitz(expr: Expr, n: int) -> Fraction | str:
    if isinstance(expr, Atom):
        w = _atom_weights(expr.game, n)
        if expr.kind == "M":
            return sum(w, Fraction(0))
        if expr.kind in ("max", "maximin", "entry"):
            return w[expr.args[0]]
        if expr.kind == "val":
            return sum((abs(c) * w[i] for i, c in expr.args[0]), Fraction(0))
        if expr.kind == "S":
            return w[0] + w[1] + w[1 - expr.args[0]]
        if expr.kind == "ce":
            return f"atom {expr.text()}: the selected CE can jump (a tie between CEs breaks the other way)"
        return f"atom {expr.text()} (kind {expr.kind!r}) has no Lipschitz constant here"
    if isinstance(expr, Linear):
        total = Fraction(0)
        for term, c in expr.terms:
            found = _lipschitz(term, n)
            if isinstance(found, str):
                return found
            total += abs(c) * found
        return total
    if isinstance(expr, Argmax):
        if expr.keys != expr.branches:
            return f"{_short(expr)} chooses between values by other keys and can jump"
        found = [_lipschitz(b, n) for b in expr.branches]
        return _first(f for f in found if isinstance(f, str)) or max(found)
    if isinstance(expr, Case):
        return f"the case distinction {_short(expr)} can jump"
    return f"an expression of kind {type(expr).__name__}"


@functools.lru_cache(maxsize=4096)
def _atom_weights(game: GameRef, n: int) -> tuple[Fraction, ...]:
    weights = tuple(Fraction(1) for _ in range(n))
    for side in game.path:
        inside = sum((weights[i] for i in side), Fraction(0))
        weights = (inside, sum(weights, Fraction(0)) - inside)
    return weights


def _continuity_bound(n: int) -> Fraction:
    from ..specs.desiderata.continuity import DEFAULT_LIPSCHITZ_PER_PLAYER

    return Fraction(DEFAULT_LIPSCHITZ_PER_PLAYER * n)


def _constants(concept: Concept, shape: tuple[int, ...]) -> list[Fraction] | str:
    found = []
    for player, expr in enumerate(concept.definition.expressions(shape)):
        constant = lipschitz_constant(expr, len(shape))
        if isinstance(constant, str):
            return f"player {player + 1}'s value has no Lipschitz constant by its form: {constant}"
        found.append(constant)
    return found


def _continuity_obstacle(concept: Concept, shape: tuple[int, ...]) -> str | None:
    constants = _constants(concept, shape)
    if isinstance(constants, str):
        return constants
    bound = _continuity_bound(len(shape))
    if max(constants) > bound:
        return (f"the form's Lipschitz constant {format_fraction(max(constants))} exceeds the desideratum's "
                f"L = {format_fraction(bound)}")
    return None


def _continuity_checks(concept, desideratum, games: list[Game]) -> list[tuple[Game, dict[str, Any]]]:
    # Seeded perturbations, each checked against the form's own (smaller) constant.
    constant = max(_constants(concept, tuple(games[0].shape)))
    rng = random.Random(0)
    checks = []
    for g in games:
        for scale in (Fraction(1, 10), Fraction(1)):
            delta = [[Fraction(rng.randint(-10, 10), 10) * scale for _ in row] for row in g.payoffs]
            checks.append((g, {"delta": [[format_fraction(v) for v in row] for row in delta],
                               "lipschitz": format_fraction(constant)}))
    return checks


def _continuity_statement(concept: Concept, shape: tuple[int, ...]) -> str:
    constants = _constants(concept, shape)
    return (f"every value is Lipschitz in the largest payoff change with constant "
            f"{format_fraction(max(constants))} ≤ L = {format_fraction(_continuity_bound(len(shape)))}")


# -- pareto: the values sum to M by their form ---------------------------------------------------------

def _pareto_obstacle(concept: Concept, shape: tuple[int, ...]) -> str | None:
    total = sum(concept.definition.expressions(shape), Linear(()))
    form = linear_form(total, atoms=ALL_ATOMS, const_zero=False, what="an atom")
    if isinstance(form, str):
        return f"the sum of the values is not linear by its form: {form}"
    if form != {("M", (), ()): Fraction(1)}:
        return f"the sum of the values is {_short(total)}, not M identically"
    return None


def _plain_checks(concept, desideratum, games: list[Game]) -> list[tuple[Game, dict[str, Any]]]:
    return [(g, {}) for g in games]


# -- maximin: a nonnegative combination of valid atom inequalities -----------------------------------


def atom_inequalities(keys: set[tuple], n_players: int) -> list[dict[tuple, Fraction]]:
    """Linear forms L ≥ 0 that hold on every game, over the atoms named by
    `keys` ((kind, coalition path, arguments), as `linear_form` names them)
    of an `n_players`-player game and its coalition games (two sides each),
    game by game (lemmas in the module docstring)."""
    found = []
    one = Fraction(1)
    for path in sorted({k[1] for k in keys if k}):
        selections = sorted({k[2][0] for k in keys if k and k[0] == "ce" and k[1] == path})
        n = 2 if path else n_players
        maximin = [("maximin", path, (j,)) for j in range(n)]
        top = [("max", path, (j,)) for j in range(n)]
        m = ("M", path, ())
        found.append({m: one, **{a: -one for a in maximin}})  # Σ_j maximin_j ≤ M
        for j in range(n):
            found.append({top[j]: one, maximin[j]: -one})  # maximin_j ≤ max_j
        for sel in selections:
            ce = [("ce", path, (sel, j)) for j in range(n)]
            found.append({m: one, **{a: -one for a in ce}})  # Σ_j ce_j ≤ M
            for j in range(n):
                found.append({ce[j]: one, maximin[j]: -one})  # ce_j ≥ maximin_j
                found.append({top[j]: one, ce[j]: -one})  # ce_j ≤ max_j
    return found


def nonnegative_by_lemmas(form: dict[tuple, Fraction], n_players: int,
                          extra: list[dict[tuple, Fraction]] = ()) -> bool:
    """Whether the linear form (constant under ()) is Σ_k λ_k L_k + c with
    λ ≥ 0, c ≥ 0 and L_k the `atom_inequalities` (and the `extra` ones, valid
    under a desideratum's hypothesis): an exact LP feasibility."""
    from ..specs.lp import InfeasibleLP, solve_lp

    lemmas = atom_inequalities(set(form), n_players) + list(extra)
    keys = sorted({k for k in form if k} | {k for L in lemmas for k in L}, key=repr)
    if not lemmas:
        return all(c == 0 for k, c in form.items() if k) and form.get((), Fraction(0)) >= 0
    # Variables λ_k and the slack c of the constant: Σ λ_k L_k[key] = form[key]; c = form[()] ≥ 0.
    if form.get((), Fraction(0)) < 0:
        return False
    rows = [[L.get(key, Fraction(0)) for L in lemmas] for key in keys]
    try:
        solve_lp([Fraction(0)] * len(lemmas), a_eq=rows, b_eq=[form.get(key, Fraction(0)) for key in keys])
    except InfeasibleLP:
        return False
    return True


def _maximin_obstacle(concept: Concept, shape: tuple[int, ...]) -> str | None:
    for player, expr in enumerate(concept.definition.expressions(shape)):
        excess = expr - GameRef(shape).maximin(player)
        form = linear_form(excess, atoms=ALL_ATOMS, const_zero=False, what="an atom")
        if isinstance(form, str):
            return f"player {player + 1}'s excess over its maximin value is not linear by its form: {form}"
        if not nonnegative_by_lemmas(form, len(shape)):
            return (f"player {player + 1}'s excess over its maximin value, {_short(excess)}, is not a nonnegative "
                    f"combination of the atom inequalities")
    return None


# -- payoff dominance and symmetry: atom inequalities under the hypothesis ---------------------------


def _keys_of(exprs) -> set[tuple]:
    keys: set[tuple] = set()
    for e in exprs:
        form = linear_form(e, atoms=ALL_ATOMS, const_zero=False, what="an atom")
        if isinstance(form, str):
            return set()
        keys |= set(form)
    return keys


def dominance_inequalities(keys: set[tuple], i: int, j: int) -> list[dict[tuple, Fraction]]:
    """Under U_i(a) ≥ U_j(a) at every profile a of the game itself: max_i ≥ max_j,
    ce_i ≥ ce_j for each selection (one distribution's expectations), and
    U_i(a) ≥ U_j(a) for the entries named in `keys`."""
    one = Fraction(1)
    found = [{("max", (), (i,)): one, ("max", (), (j,)): -one}]
    for sel in sorted({k[2][0] for k in keys if k and k[0] == "ce" and k[1] == ()}):
        found.append({("ce", (), (sel, i)): one, ("ce", (), (sel, j)): -one})
    for k in keys:
        if k and k[0] == "entry" and k[1] == () and k[2][0] in (i, j):
            profile = k[2][1]
            found.append({("entry", (), (i, profile)): one, ("entry", (), (j, profile)): -one})
    return found


def _difference_form(concept: Concept, shape: tuple[int, ...], i: int, j: int):
    exprs = concept.definition.expressions(shape)
    return linear_form(exprs[i] - exprs[j], atoms=ALL_ATOMS, const_zero=False, what="an atom")


def _dominance_obstacle(concept: Concept, shape: tuple[int, ...]) -> str | None:
    n = len(shape)
    keys = _keys_of(concept.definition.expressions(shape))
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            form = _difference_form(concept, shape, i, j)
            if isinstance(form, str):
                return f"φ_{i + 1} − φ_{j + 1} is not linear by its form: {form}"
            if not nonnegative_by_lemmas(form, n, dominance_inequalities(keys | set(form), i, j)):
                return (f"φ_{i + 1} − φ_{j + 1} is not a nonnegative combination of the atom inequalities that hold "
                        f"when player {i + 1}'s payoffs dominate player {j + 1}'s")
    return None


def _dominance_checks(concept, desideratum, games: list[Game]) -> list[tuple[Game, dict[str, Any]]]:
    # Pinned games made to satisfy the hypothesis: U_i := U_j + |U_i| for each ordered pair.
    checks = []
    for g in games:
        for i in range(g.n_players):
            for j in range(g.n_players):
                if i != j:
                    rows = [list(r) for r in g.payoffs]
                    rows[i] = [b + abs(a) for a, b in zip(g.payoffs[i], g.payoffs[j])]
                    checks.append((g.with_payoffs(rows), {}))
    return checks


def symmetry_equalities(keys: set[tuple], n_players: int) -> list[dict[tuple, Fraction]]:
    """For identical players 0 and 1 of a two-player game (both signs of each
    equality): max_0 = max_1, maximin_0 = maximin_1 (the swap maps one's
    problem to the other's), and the egalitarian ce_0 = ce_1 (the CE payoff
    polytope is symmetric, and the max-min point of a symmetric convex set
    with the largest sum is unique and on the diagonal)."""
    if n_players != 2:
        return []
    one = Fraction(1)
    pairs = [(("max", (), (0,)), ("max", (), (1,))), (("maximin", (), (0,)), ("maximin", (), (1,)))]
    if any(k and k[0] == "ce" and k[1] == () and k[2][0] == "egalitarian" for k in keys):
        pairs.append((("ce", (), ("egalitarian", 0)), ("ce", (), ("egalitarian", 1))))
    return [{a: s * one, b: -s * one} for a, b in pairs for s in (1, -1)]


def _symmetry_obstacle(concept: Concept, shape: tuple[int, ...]) -> str | None:
    if len(shape) != 2 or shape[0] != shape[1]:
        return "a symmetry argument by form is made for square two-player games only"
    form = _difference_form(concept, shape, 0, 1)
    if isinstance(form, str):
        return f"φ_1 − φ_2 is not linear by its form: {form}"
    keys = _keys_of(concept.definition.expressions(shape)) | set(form)
    lemmas = symmetry_equalities(keys, 2)
    negated = {k: -c for k, c in form.items()}
    if not (nonnegative_by_lemmas(form, 2, lemmas) and nonnegative_by_lemmas(negated, 2, lemmas)):
        return "φ_1 − φ_2 is not zero by the atom equalities of identical players"
    return None


def _symmetry_checks(concept, desideratum, games: list[Game]) -> list[tuple[Game, dict[str, Any]]]:
    # Pinned games made symmetric: U_1(a, b) := U_0(b, a).
    checks = []
    for g in games:
        k = g.shape[0]
        rows = [list(g.payoffs[0]), [g.payoffs[0][b * k + a] for a in range(k) for b in range(k)]]
        checks.append((g.with_payoffs(rows), {}))
    return checks


# -- threat: atoms that burning leaves alone ----------------------------------------------------------

# Unchanged in every destruction game: M and max_i (a burn only lowers payoffs, and the no-burn
# copies remain), the CE payoffs (module docstring).
THREAT_ATOMS = ("M", "max", "ce:utilitarian", "ce:egalitarian")


def destruction_shapes(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The shapes of the destruction games of `shape`, one per set of positive
    caps: player i with t targets has k_i·2^t actions."""
    n = len(shape)
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    shapes = set()
    for mask in range(1, 2 ** len(pairs)):
        targets = [0] * n
        for bit, (i, _) in enumerate(pairs):
            targets[i] += (mask >> bit) & 1
        shapes.add(tuple(k * 2 ** t for k, t in zip(shape, targets)))
    return sorted(shapes)


def _threat_obstacle(concept: Concept, shape: tuple[int, ...]) -> str | None:
    shapes = destruction_shapes(shape)
    if math.prod(shapes[-1]) > MONEY_CHECK_PROFILES:
        return (f"the destruction game of {'x'.join(map(str, shape))} has up to {math.prod(shapes[-1])} profiles, "
                f"too many to check the form against the exact implementation (at most {MONEY_CHECK_PROFILES})")
    for wide in shapes:
        found = _same_combination(concept, shape, wide, "destruction", atoms=THREAT_ATOMS, const_zero=False,
                                  what="unchanged by burning")
        if found:
            return found
    return None


def _threat_checks(concept, desideratum, games: list[Game]) -> list[tuple[Game, dict[str, Any]]]:
    n = games[0].n_players
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j]
    patterns = [[p] for p in pairs] + [pairs]
    checks = []
    for g in games[:5]:
        for amount in (Fraction(1), Fraction(7, 2)):
            for pattern in patterns:
                caps = [[format_fraction(amount if (i, j) in pattern else Fraction(0)) for j in range(n)]
                        for i in range(n)]
                checks.append((g, {"caps": caps}))
    return checks


@dataclass(frozen=True)
class _Form:
    obstacle: Callable[[Concept, tuple[int, ...]], str | None]
    checks: Callable[[Concept, Any, list[Game]], list[tuple[Game, dict[str, Any]]]]
    statement: Callable[[Concept, tuple[int, ...]], str]


# Desiderata that a definition's form can decide.
FORM_DESIDERATA: dict[str, _Form] = {
    "scale": _Form(_scale_obstacle, _scale_checks,
                   lambda c, s: "every expression is positively homogeneous: φ(λG) = λφ(G) for every λ > 0"),
    "linearity": _Form(_linearity_obstacle, _linearity_checks,
                       lambda c, s: "every value is the same rational-linear combination of additive atoms on the "
                                    "shape and on the parallel shape: φ(dG + eH) = dφ(G) + eφ(H) for G, H of the "
                                    "shape and every d, e ≥ 0"),
    "continuity": _Form(_continuity_obstacle, _continuity_checks, _continuity_statement),
    "redundancy": _Form(_redundancy_obstacle, _redundancy_checks,
                        lambda c, s: "every value is the same rational-linear combination of atoms that a mixture "
                                     "action leaves unchanged, on the shape and with any player's extra action: "
                                     "adding a mixture or a duplicate of a player's actions changes no value"),
    "money": _Form(_money_obstacle, _money_checks,
                   lambda c, s: "every value is the same rational-linear combination of atoms that side payments "
                                "leave unchanged, on the shape and on its payment game: payments change no value"),
    "shift": _Form(_shift_obstacle, _shift_checks,
                   lambda c, s: "player i's value moves by exactly c_i under every shift c: φ(G + c) = φ(G) + c"),
    "pareto": _Form(_pareto_obstacle, _plain_checks,
                    lambda c, s: "the values sum to the atom M identically: Σ_i φ_i(G) = M(G)"),
    "payoff-dominance": _Form(_dominance_obstacle, _dominance_checks,
                              lambda c, s: "each φ_i − φ_j is a nonnegative combination of atom inequalities that "
                                           "hold when U_i ≥ U_j at every profile (max_i ≥ max_j, ce_i ≥ ce_j, the "
                                           "entries) and on every game: φ_i ≥ φ_j"),
    "symmetry": _Form(_symmetry_obstacle, _symmetry_checks,
                      lambda c, s: "φ_1 − φ_2 is zero by atom equalities of identical players (max, maximin, the "
                                   "egalitarian CE payoff): identical players get equal values"),
    "threat": _Form(_threat_obstacle, _threat_checks,
                    lambda c, s: "every value is the same rational-linear combination of atoms that burning leaves "
                                 "unchanged (M, max_i, the CE payoffs), on the shape and on each of its destruction "
                                 "games: no burn option changes a value"),
    "maximin": _Form(_maximin_obstacle, _plain_checks,
                     lambda c, s: "each φ_i − maximin_i is a nonnegative combination of atom inequalities that "
                                  "hold on every game (Σ_j maximin_j ≤ M, maximin_j ≤ max_j, and for CE payoffs "
                                  "maximin_j ≤ ce_j ≤ max_j, Σ_j ce_j ≤ M): φ_i ≥ maximin_i"),
}


def form_obstacle(concept_id: str, desideratum_id: str, shape: tuple[int, ...]) -> str | None:
    """None if the form decides the pair on `shape`, else why not."""
    if desideratum_id not in FORM_DESIDERATA:
        return f"no form argument for {desideratum_id}"
    concept = get_concept(concept_id)
    if not concept.symbolic_on(shape):
        return "no symbolic form on this shape"
    return FORM_DESIDERATA[desideratum_id].obstacle(concept, tuple(shape))


def form_proof(concept_id: str, desideratum_id: str, shape: tuple[int, ...], bound: Fraction = Fraction(10)
               ) -> FormProof | None:
    """The form proof of the pair on `shape`, or None when the form does not
    decide it. Raises FormDefect when the exact implementation contradicts it
    on a pinned check (integer payoffs in [−bound, bound])."""
    shape = tuple(shape)
    if form_obstacle(concept_id, desideratum_id, shape) is not None:
        return None
    from ..specs.desiderata.registry import get_desideratum
    from .agreement import pinned_games

    concept, desideratum = get_concept(concept_id), get_desideratum(desideratum_id)
    form = FORM_DESIDERATA[desideratum_id]
    checks = form.checks(concept, desideratum, pinned_games(shape, bound))
    for game, params in checks:
        violation = desideratum.check(concept, game, params)
        if violation is not None:
            raise FormDefect(f"{concept_id} x {desideratum_id}: the form of the definition says it holds, "
                             f"but the exact implementation says: {violation.message}")
    return FormProof(concept_id, desideratum_id, "x".join(map(str, shape)), form.statement(concept, shape),
                     len(checks))
