"""Implied constraints ("cuts") that make the non-linear queries easy for
both solvers without changing their solutions.

Every one-sided LP encoding (`encoders.concepts`) consists of a mixed
strategy z ∈ Δ(K) of its witness and a *family* of constraints d_k ≥ 0
indexed by some action set (e.g. for maximin_i ≥ t: d_c = x·U_i(·,c) − t for
every column c). Two kinds of additions are made, both implied by the query,
so the set of solutions (hence SAT/UNSAT and every model) is unchanged:

* RLT aggregation (the reformulation-linearization technique): for a family
  {d_k ≥ 0 : k ∈ K} and a strategy z ∈ Δ(K) of *another* atom's witness over
  the same action set K (same game, same player), Σ_k z_k·d_k ≥ 0 holds
  because z ≥ 0. A family indexed by two action sets (M's t − T(a,b) ≥ 0) is
  aggregated over one index (each remaining member is a cut) and then over
  the other.
* best-response split: for an upper bound on S_L (dual μ^{b1} for each b1)
  and a strategy z over the leader's actions from another atom, some
  follower action b1 is a best response to z, i.e. z·F(·,b1) ≥ z·F(·,b) for
  all b — a finite disjunction over b1 that always holds (the maximum of
  finitely many numbers is attained), so enumerating it is an exhaustive
  case split. Each alternative also carries its RLT aggregations with the
  μ's.
* for two related players with equally many actions (`SymbolicGame.
  shared_actions`, set for identical players), the two action sets
  are identified: any weights ≥ 0 make a valid aggregation, and the best
  response split holds for any weights, so this is sound for every game.
* a game with extra actions (`SymbolicGame.with_extra_action`): a strategy
  over the original actions lifts to it with weight 0 on the new ones.
* the destruction game's action sets map to the original game's (a burning
  copy projects to its action, an action lifts to its no-burn copy), so the
  aggregations also connect a game and its destruction game; and every
  strategy weight times every cap, z_k·D ≥ 0.

Why this helps: the hand proofs (e.g. S_i ≥ maximin_i: commit to the
maximin strategy x, the follower best-responds b1, so S_i ≥ x·U_i(·,b1) ≥
maximin_i) are chains of exactly these aggregated inequalities; with them in
the query the contradiction is *linear* in the monomials, which the
linearization-based procedures of z3 and cvc5 find at once, instead of
needing a degree-3 Positivstellensatz certificate.
"""

from __future__ import annotations


from pysmt.fnode import FNode
from pysmt.shortcuts import GE, And, Minus, Times

from .symbolic import linear_sum, real_const

__all__ = ["rlt_cuts"]


def _aggregate(weights: list[FNode], family: dict[tuple, FNode], dim: int) -> dict[tuple, FNode]:
    """Σ_k z_k · family[index with k at position dim], for every rest index."""
    rests: dict[tuple, list[FNode]] = {}
    for index, d in family.items():
        k = index[dim]
        rest = index[:dim] + index[dim + 1:]
        rests.setdefault(rest, []).append(_times(weights[k], d))
    return {rest: linear_sum(terms) for rest, terms in rests.items()}


def _times(w: FNode, d: FNode) -> FNode:
    if w.is_constant() and w.constant_value() == 1:
        return d
    return Times(w, d)


def _mapper(games):
    """mapped(z, from_key, to_key, size): the weights of strategy z over the
    action set `from_key` carried to `to_key` (a list of `size` terms), or
    None. Same set: z itself. A destruction game's actions project onto the
    original ones (w_a = Σ of z over the copies of a); original actions lift
    to the no-burn copies (weight 0 on the burning copies). Any such map
    keeps the weights ≥ 0, which is all an aggregation needs."""
    links = {}
    same = set()
    lifts: dict[tuple, int] = {}
    for g in games:
        if getattr(g, "base", None) is not None:
            parent, copies = g.base
            for i, c in enumerate(copies):
                links[(g.name, i)] = ((parent, i), c)
        if getattr(g, "extends", None) is not None:
            # a game with extra actions: the original actions lift (weight 0 on the new ones)
            parent, player, extra = g.extends
            for i in range(g.n_players):
                lifts[((parent, i), (g.name, i))] = extra if i == player else 0
        if getattr(g, "shared_actions", None) is not None:
            # a strategy over one player's actions used over the other's (same count)
            i, j = g.shared_actions
            same |= {((g.name, i), (g.name, j)), ((g.name, j), (g.name, i))}

    def mapped(z, from_key, to_key, size):
        if from_key == to_key or (from_key, to_key) in same:
            return z if len(z) == size else None
        if (from_key, to_key) in lifts:
            extra = lifts[(from_key, to_key)]
            return list(z) + [real_const(0)] * extra if len(z) + extra == size else None
        if links.get(from_key, (None,))[0] == to_key:
            c = links[from_key][1]
            if len(z) != size * c:
                return None
            return [linear_sum(z[a * c + e] for e in range(c)) for a in range(size)]
        if links.get(to_key, (None,))[0] == from_key:
            c = links[to_key][1]
            if len(z) * c != size:
                return None
            return [z[k // c] if k % c == 0 else real_const(0) for k in range(size)]
        return None

    return mapped


def rlt_cuts(pieces, games=(), caps=()) -> tuple[list[FNode], list[list[FNode]]]:
    """(cut constraints, extra choice disjunctions) for the encoded `pieces`
    of one query (see the module docstring); `games` are the query's
    symbolic games (for the destruction game's action maps), `caps` its cap
    terms (each D ≥ 0 is multiplied by every strategy weight ≥ 0)."""
    strategies = [(p, key, z) for p, piece in enumerate(pieces) for key, z in piece.strategies]
    mapped = _mapper(games)
    constraints: list[FNode] = []
    seen: set = set()

    def add(expression: FNode) -> None:
        cut = GE(expression, real_const(0))
        if cut not in seen:
            seen.add(cut)
            constraints.append(cut)

    for p, piece in enumerate(pieces):
        for keys, family in piece.families:
            if len(keys) > 2 or any(k is None for k in keys):
                continue
            for dim, key in enumerate(keys):
                for q, skey, z in strategies:
                    z = mapped(z, skey, key, 1 + max(i[dim] for i in family)) if q != p else None
                    if z is None:
                        continue
                    partial = _aggregate(z, family, dim)
                    for expression in partial.values():
                        add(expression)
                    if len(keys) == 2:
                        other = keys[1 - dim]
                        for r, okey, y in strategies:
                            y = mapped(y, okey, other, 1 + max(i[0] for i in partial)) if r != p else None
                            if y is not None:
                                add(_aggregate(y, partial, 0)[()])
    choices: list[list[FNode]] = []
    for p, piece in enumerate(pieces):
        for lead_key, follow_key, follow, mus in piece.responses:
            for q, skey, z in strategies:
                z = mapped(z, skey, lead_key, len(follow)) if q != p else None
                if z is None:
                    continue
                cols = len(follow[0])
                payoff = [linear_sum(_times(z[a], follow[a][b]) for a in range(len(follow))) for b in range(cols)]
                alternatives = []
                for b1 in range(cols):
                    gaps = {(b,): Minus(payoff[b1], payoff[b]) for b in range(cols)}
                    parts = [GE(gaps[(b,)], real_const(0)) for b in range(cols) if b != b1]
                    parts += [GE(_aggregate(mu, gaps, 0)[()], real_const(0)) for mu in mus if len(mu) == cols]
                    alternatives.append(And(parts))
                if cols > 1:
                    choices.append(alternatives)
    for d in caps:
        for _, _, z in strategies:
            for w in z:
                add(Times(w, d))
    return constraints, choices
