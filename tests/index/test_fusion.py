"""Fusion with tiny hand-written rankings and arithmetic expectations."""
from __future__ import annotations

import pytest

from policyqa.index.fusion import best_per_clause, convex_fusion, reciprocal_rank_fusion


def test_best_per_clause_keeps_the_best_chunk():
    assert best_per_clause([("a", 0.2), ("b", 0.9), ("a", 0.5)]) == [("b", 0.9), ("a", 0.5)]


def test_rrf_sums_reciprocal_ranks():
    out = dict(reciprocal_rank_fusion([["a", "b"], ["b", "c"]], k=10))
    assert out["a"] == pytest.approx(1 / 11)
    assert out["b"] == pytest.approx(1 / 12 + 1 / 11)
    assert out["c"] == pytest.approx(1 / 12)


def test_rrf_blind_retriever_votes_with_the_others():
    # "e" cannot be seen by the second retriever: its missing vote becomes its first-retriever vote.
    out = dict(reciprocal_rank_fusion([["e", "a"], ["a"]], k=10, blind=[set(), {"e"}]))
    assert out["e"] == pytest.approx(2 / 11)
    assert out["a"] == pytest.approx(1 / 12 + 1 / 11)
    plain = dict(reciprocal_rank_fusion([["e", "a"], ["a"]], k=10))
    assert plain["e"] == pytest.approx(1 / 11)


def test_convex_normalizes_each_retriever_then_weights():
    dense = [("a", 0.9), ("b", 0.7), ("c", 0.5)]  # min-max → a 1.0, b 0.5, c 0.0
    bm25 = [("c", 12.0), ("b", 4.0)]              # min-max → c 1.0, b 0.0
    out = dict(convex_fusion([dense, bm25], [0.6, 0.4]))
    assert out["a"] == pytest.approx(0.6 * 1.0)           # not found by BM25: 0 there
    assert out["b"] == pytest.approx(0.6 * 0.5 + 0.4 * 0.0)
    assert out["c"] == pytest.approx(0.6 * 0.0 + 0.4 * 1.0)
    assert [cid for cid, _ in convex_fusion([dense, bm25], [0.6, 0.4])] == ["a", "c", "b"]


def test_convex_blind_term_takes_the_mean_of_the_seeing_retrievers():
    dense = [("en-only", 0.8), ("zh", 0.6), ("zh2", 0.4)]  # → 1.0, 0.5, 0.0
    bm25 = [("zh", 9.0), ("zh2", 3.0)]                      # → 1.0, 0.0
    out = dict(convex_fusion([dense, bm25], [0.5, 0.5], blind=[set(), {"en-only"}]))
    assert out["en-only"] == pytest.approx(0.5 * 1.0 + 0.5 * 1.0)
    assert out["zh"] == pytest.approx(0.5 * 0.5 + 0.5 * 1.0)


def test_single_candidate_and_empty_rankings():
    assert convex_fusion([[("a", 3.0)], []], [0.5, 0.5]) == [("a", 0.5)]
    assert convex_fusion([[], []], [0.5, 0.5]) == []
