"""Clause-level ranking: chunk scores collapse to their clause; lists fuse by reciprocal rank."""
from __future__ import annotations

from collections.abc import Iterable, Sequence, Set


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
