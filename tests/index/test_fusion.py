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


# ------------------------------------------------------------------ adaptive fusion (arithmetic by hand)
from policyqa.index.fusion import AdaptiveWeights, adaptive_fusion, dense_confidence, margin, promote  # noqa: E402

FLAT = AdaptiveWeights(dense=0.5, margin_gain=0.0, short_dense=1.0, short_tokens=0, spread_scale=1.0, spread_depth=2)


def test_margin_is_the_first_results_relative_lead():
    assert margin([("a", 4.0), ("b", 1.0)]) == pytest.approx(0.75)
    assert margin([("a", 2.0)]) == 1.0
    assert margin([]) == 0.0
    assert margin([("a", 2.0), ("b", 2.0)]) == 0.0


def test_dense_confidence_is_spread_over_scale_capped_at_one():
    ranking = [("a", 0.40), ("b", 0.35), ("c", 0.30)]
    assert dense_confidence(ranking, scale=0.2, depth=3) == pytest.approx(0.5)  # (0.40-0.30)/0.2
    assert dense_confidence(ranking, scale=0.05, depth=3) == 1.0
    assert dense_confidence(ranking, scale=0.2, depth=1) == 0.0
    assert dense_confidence([], scale=0.2, depth=3) == 0.0


def test_adaptive_with_flat_weights_is_the_plain_convex_mean():
    dense = [("a", 0.9), ("b", 0.5), ("c", 0.1)]  # normalized 1, 0.5, 0
    bm25 = [("c", 8.0), ("a", 4.0), ("b", 0.0)]  # normalized 1, 0.5, 0
    out = dict(adaptive_fusion(dense, bm25, weights=FLAT))
    assert out == pytest.approx({"a": 0.75, "b": 0.25, "c": 0.5})


def test_bm25_margin_raises_its_weight():
    dense = [("a", 0.9), ("b", 0.1)]
    bm25 = [("b", 4.0), ("a", 1.0)]  # margin 0.75
    w = AdaptiveWeights(dense=0.5, margin_gain=1.0, short_dense=1.0, short_tokens=0, spread_scale=1.0, spread_depth=2)
    out = dict(adaptive_fusion(dense, bm25, weights=w))
    # w_d = 0.5, w_b = 0.5 * 1.75 = 0.875; a = 0.5*1 / 1.375, b = 0.875*1 / 1.375
    assert out["a"] == pytest.approx(0.5 / 1.375)
    assert out["b"] == pytest.approx(0.875 / 1.375)
    assert max(out, key=out.get) == "b"


def test_short_query_scales_the_dense_weight():
    dense = [("a", 0.9), ("b", 0.1)]
    bm25 = [("b", 2.0), ("a", 1.0)]  # normalized b 1, a 0
    w = AdaptiveWeights(dense=0.7, margin_gain=0.0, short_dense=0.25, short_tokens=4, spread_scale=1.0, spread_depth=2)
    long_q = dict(adaptive_fusion(dense, bm25, short=False, weights=w))
    short_q = dict(adaptive_fusion(dense, bm25, short=True, weights=w))
    assert long_q["a"] == pytest.approx(0.7) and long_q["b"] == pytest.approx(0.3)
    # w_d = 0.175, w_b = 0.3: a = 0.175/0.475, b = 0.3/0.475
    assert short_q["a"] == pytest.approx(0.175 / 0.475) and short_q["b"] == pytest.approx(0.3 / 0.475)


def test_blind_term_is_bounded_by_dense_confidence():
    dense = [("en", 0.30), ("zh", 0.25), ("x", 0.20)]  # normalized 1, 0.5, 0; spread at depth 2 = 0.05
    bm25 = [("zh", 3.0), ("x", 0.0)]
    w = AdaptiveWeights(dense=0.5, margin_gain=0.0, short_dense=1.0, short_tokens=0, spread_scale=0.1, spread_depth=2)
    out = dict(adaptive_fusion(dense, bm25, blind={"en"}, weights=w))
    # confidence 0.05/0.1 = 0.5: "en" gets 0.5*1 + 0.5*(1*0.5) = 0.75, not the 1.0 plain imputation gives
    assert out["en"] == pytest.approx(0.75)
    assert out["zh"] == pytest.approx(0.5 * 0.5 + 0.5 * 1.0)


def test_bridge_score_replaces_a_weaker_imputed_term():
    dense = [("en1", 0.30), ("en2", 0.20), ("zh", 0.10)]  # normalized 1, 0.5, 0; confidence 0 at depth 1
    w = AdaptiveWeights(dense=0.5, margin_gain=0.0, short_dense=1.0, short_tokens=0, spread_scale=0.1, spread_depth=1)
    out = dict(adaptive_fusion(dense, [("zh", 1.0)], blind={"en1", "en2"}, bridge=[("en2", 6.0), ("en1", 3.0)], weights=w))
    assert out["en2"] == pytest.approx(0.5 * 0.5 + 0.5 * 1.0)
    assert out["en1"] == pytest.approx(0.5 * 1.0 + 0.5 * 0.5)
    assert out["zh"] == pytest.approx(0.5)


def test_promote_puts_the_named_first_with_monotonic_scores():
    ranked = [("a", 0.9), ("b", 0.6), ("c", 0.3)]
    out = promote(ranked, ["c", "b"])
    assert [cid for cid, _ in out] == ["c", "b", "a"]
    scores = [s for _, s in out]
    assert scores == sorted(scores, reverse=True) and scores[0] <= 1.0
    assert out[0][1] == pytest.approx(1.0) and out[1][1] == pytest.approx(1.0 - 0.1 / 3)
    assert promote([], ["x"]) == [("x", 1.0)]


def test_coverage_factors_are_words_contained_over_the_best():
    from policyqa.index.fusion import coverage_factors

    assert coverage_factors({"a": 1, "b": 3, "c": 2}, words=4) == pytest.approx({"a": 1 / 3, "b": 1.0, "c": 2 / 3})
    assert coverage_factors({"a": 1}, words=1) == {}  # one word: nothing to weigh
    assert coverage_factors({}, words=3) == {}


def test_coverage_scales_the_lexical_term_of_a_partial_match():
    # "a" (visible) shares one word of four, "e" (English-only, bridged) three: before coverage both
    # have the full lexical term and dense decides; with it, the better-covered clause leads.
    dense = [("a", 0.9), ("e", 0.89), ("z", 0.1)]
    bm25 = [("a", 5.0), ("z", 0.0)]
    bridge = [("e", 2.0)]
    w = AdaptiveWeights(dense=0.5, margin_gain=0.0, short_dense=1.0, short_tokens=4, spread_scale=1.0, spread_depth=2)
    plain = dict(adaptive_fusion(dense, bm25, blind={"e"}, bridge=bridge, short=True, weights=w))
    assert max(plain, key=plain.get) == "a"
    cov = dict(adaptive_fusion(dense, bm25, blind={"e"}, bridge=bridge, short=True, weights=w,
                               coverage={"a": 1 / 3, "e": 1.0}))
    # a = (0.5 * 1 + 0.5 * 1/3) / 1; e = (0.5 * 0.89/0.8 + 0.5 * 1) / 1 (dense normalized over 0.1..0.9)
    assert cov["a"] == pytest.approx(0.5 + 0.5 / 3)
    assert cov["e"] == pytest.approx(0.5 * (0.79 / 0.8) + 0.5)
    assert max(cov, key=cov.get) == "e"
