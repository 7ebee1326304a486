"""Clause-level ranking: chunk scores collapse to their clause; lists fuse by reciprocal rank."""
from __future__ import annotations

from collections.abc import Iterable, Sequence


def best_per_clause(pairs: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    """(clause_id, score) pairs in any order → one entry per clause, best score, descending."""
    best: dict[str, float] = {}
    for cid, score in pairs:
        if cid not in best or score > best[cid]:
            best[cid] = score
    return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = 60) -> list[tuple[str, float]]:
    """Cormack et al. 2009: score(d) = Σ 1 / (k + rank(d)), ranks from 1. Ties break by id for stability."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, cid in enumerate(ranking, 1):
            fused[cid] = fused.get(cid, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))
