"""Clause-level ranking: chunk scores collapse to their clause; lists fuse by a convex combination
(fixed or adaptive weights) or by reciprocal rank."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass


def best_per_clause(pairs: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    """(clause_id, score) pairs in any order → one entry per clause, best score, descending."""
    best: dict[str, float] = {}
    for cid, score in pairs:
        if cid not in best or score > best[cid]:
            best[cid] = score
    return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = 60,
                           blind: Sequence[Set[str]] | None = None, stand_in: float = 1.0) -> list[tuple[str, float]]:
    """Cormack et al. 2009: score(d) = Σ 1 / (k + rank(d)), ranks from 1. Ties break by id for stability.

    `blind[i]` holds the ids retriever i could not have found whatever the query (BM25 cannot match
    a Chinese question against an English-only clause). Plain RRF counts that as a vote against
    them; here a blind retriever's vote is replaced by `stand_in` times the mean vote of the
    retrievers that can see d (1.0: as if it agreed with them; 0.0: plain RRF).
    """
    blind = blind or [frozenset()] * len(rankings)
    votes: dict[str, list[float]] = {}
    for ranking, cannot_see in zip(rankings, blind):
        for rank, cid in enumerate(ranking, 1):
            if cid not in cannot_see:
                votes.setdefault(cid, []).append(1.0 / (k + rank))
    fused = {}
    for cid, v in votes.items():
        seeing = sum(1 for cannot_see in blind if cid not in cannot_see)
        fused[cid] = sum(v) + (len(rankings) - seeing) * stand_in * (sum(v) / seeing if seeing else 0.0)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def convex_fusion(rankings: Sequence[Sequence[tuple[str, float]]], weights: Sequence[float],
                  blind: Sequence[Set[str]] | None = None) -> list[tuple[str, float]]:
    """Σ w_i · norm_i(d) with each retriever's scores min-max normalized over its own candidates
    (Bruch et al. 2023: a convex combination of normalized scores keeps the score gaps that RRF
    flattens). A blind retriever's term is replaced by the mean normalized score of those that see d."""
    blind = blind or [frozenset()] * len(rankings)
    norms: list[dict[str, float]] = []
    for ranking in rankings:
        if not ranking:
            norms.append({})
            continue
        hi, lo = ranking[0][1], min(s for _, s in ranking)
        span = hi - lo
        norms.append({cid: (s - lo) / span if span > 0 else 1.0 for cid, s in ranking})
    ids = {cid for n in norms for cid in n}
    fused = {}
    for cid in ids:
        seen = [(w, n.get(cid, 0.0)) for w, n, cannot in zip(weights, norms, blind) if cid not in cannot]
        mean = sum(v for _, v in seen) / len(seen) if seen else 0.0
        fused[cid] = sum(w * (n.get(cid, 0.0) if cid not in cannot else mean)
                         for w, n, cannot in zip(weights, norms, blind))
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


# ------------------------------------------------------------------ adaptive fusion
@dataclass(frozen=True)
class AdaptiveWeights:
    """The adaptive fusion's constants, chosen on the odd-numbered half of the evaluation set
    (eval/data/questions.jsonl) and reported on the even half; see the README's Evaluation."""

    dense: float = 0.7  # base weight of the dense term; BM25 gets the rest
    margin_gain: float = 0.5  # BM25's weight grows by this times its margin (a clear winner counts more)
    short_dense: float = 0.25  # dense weight factor for a keyword query: short queries embed poorly
    short_tokens: int = 4  # a query of at most this many distinct analyzer tokens is a keyword query
    spread_scale: float = 0.3  # dense cosine spread (best minus k-th) at which dense counts as sure
    spread_depth: int = 5  # the k of that spread


def margin(ranking: Sequence[tuple[str, float]]) -> float:
    """How clearly a retriever's first result wins: (s1 - s2) / s1 in [0, 1]; 1 for a lone hit, 0 for none."""
    if not ranking or ranking[0][1] <= 0:
        return 0.0
    if len(ranking) == 1:
        return 1.0
    return max(0.0, (ranking[0][1] - ranking[1][1]) / ranking[0][1])


def dense_confidence(ranking: Sequence[tuple[str, float]], scale: float, depth: int) -> float:
    """Cosine spread between the dense best and its `depth`-th result, over `scale`, capped at 1.
    A flat top (every clause about as close) means the query embedding singles nothing out."""
    if not ranking:
        return 0.0
    spread = ranking[0][1] - ranking[min(depth, len(ranking)) - 1][1]
    return min(1.0, max(0.0, spread / scale))


def _normalize(ranking: Sequence[tuple[str, float]]) -> dict[str, float]:
    if not ranking:
        return {}
    hi, lo = ranking[0][1], min(s for _, s in ranking)
    span = hi - lo
    return {cid: (s - lo) / span if span > 0 else 1.0 for cid, s in ranking}


def coverage_factors(matched: Mapping[str, int], words: int) -> dict[str, float]:
    """A keyword query's words each clause contains (directly, or through the dictionary for a clause
    BM25 cannot see), over the most any clause contains: 1.0 for the best-covered clauses."""
    best = max(matched.values(), default=0)
    if words < 2 or best == 0:
        return {}
    return {cid: n / best for cid, n in matched.items()}


def adaptive_fusion(dense: Sequence[tuple[str, float]], bm25: Sequence[tuple[str, float]],
                    blind: Set[str] = frozenset(), bridge: Sequence[tuple[str, float]] = (),
                    short: bool = False, weights: AdaptiveWeights = AdaptiveWeights(),
                    coverage: Mapping[str, float] | None = None) -> list[tuple[str, float]]:
    """(w_d·dense(d) + w_b·lex(d)) / (w_d + w_b), each term min-max normalized, weights per query:

    w_d = dense · (short_dense if the query is a keyword query else 1)
    w_b = (1 - dense) · (1 + margin_gain · margin(bm25))
    lex(d) = bm25(d) for clauses BM25 can see; for the `blind` ones (English-only clauses under a
    Chinese query) the larger of the bridge's score (dictionary-translated BM25, over its own best)
    and dense(d) · dense_confidence: the imputed term is bounded by how sure the dense model is,
    so a flat dense ranking no longer counts twice for clauses BM25 cannot judge.
    `coverage` (keyword queries, coverage_factors): lex(d) is scaled by the share of the query's
    words d contains relative to the best-covered clause -- BM25 normalized over its own best gives
    a clause sharing one word of four ("研发" of 研发费用加计扣除) the full lexical term otherwise.
    Scores stay in [0, 1]."""
    nd, nb = _normalize(dense), _normalize(bm25)
    top_bridge = bridge[0][1] if bridge and bridge[0][1] > 0 else 0.0
    nbr = {cid: s / top_bridge for cid, s in bridge} if top_bridge else {}
    sure = dense_confidence(dense, weights.spread_scale, weights.spread_depth)
    w_d = weights.dense * (weights.short_dense if short else 1.0)
    w_b = (1.0 - weights.dense) * (1.0 + weights.margin_gain * margin(bm25))
    total = w_d + w_b
    fused = {}
    for cid in set(nd) | set(nb) | set(nbr):
        d = nd.get(cid, 0.0)
        lex = max(d * sure, nbr.get(cid, 0.0)) if cid in blind else nb.get(cid, 0.0)
        if coverage:
            lex *= coverage.get(cid, 0.0) if cid not in blind or cid in nbr else 1.0
        fused[cid] = (w_d * d + w_b * lex) / total
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def promote(ranked: Sequence[tuple[str, float]], first: Sequence[str], ceiling: float = 1.0) -> list[tuple[str, float]]:
    """`first` (in its order) ahead of everything else, scores kept monotonic: the promoted ones are
    spread between the best remaining score and `ceiling`."""
    chosen = set(first)
    rest = [(cid, s) for cid, s in ranked if cid not in chosen]
    floor = min(rest[0][1], ceiling) if rest else 0.0
    n = len(first)
    return [(cid, ceiling - (ceiling - floor) * i / (n + 1)) for i, cid in enumerate(first)] + rest
