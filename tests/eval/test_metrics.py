"""Metric plumbing against values worked out by hand on a tiny run."""
from __future__ import annotations

import math

import pytest

from policyqa.eval.metrics import abstention, evaluate_groups, make_run, recall_curve

QRELS = {"q1": {"a": 1}, "q2": {"b": 1, "c": 1}, "q3": {"d": 1}}
RANKED = {"q1": ["x", "a", "y"], "q2": ["c", "z", "b"], "q3": ["y", "z"]}
GROUPS = {"q1": ("all", "lang:en"), "q2": ("all", "lang:zh-Hans"), "q3": ("all", "lang:en")}


def test_overall_metrics_match_hand_computation():
    table = evaluate_groups(QRELS, RANKED, GROUPS)
    row = table["all"]
    assert row["n"] == 3
    # recall@1: q1 misses, q2 finds c of {b, c}, q3 misses
    assert row["recall@1"] == pytest.approx((0 + 1 / 2 + 0) / 3)
    # recall@5: q1 finds a, q2 finds both, q3 nothing
    assert row["recall@5"] == pytest.approx((1 + 1 + 0) / 3)
    # reciprocal rank of the first relevant: 1/2, 1/1, 0
    assert row["mrr@10"] == pytest.approx((1 / 2 + 1 + 0) / 3)
    # nDCG: q1 = (1/log2 3) / 1 ; q2 = (1 + 1/log2 4) / (1 + 1/log2 3) ; q3 = 0
    q1 = 1 / math.log2(3)
    q2 = (1 + 1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert row["ndcg@10"] == pytest.approx((q1 + q2) / 3)


def test_group_breakdown():
    table = evaluate_groups(QRELS, RANKED, GROUPS)
    assert set(table) == {"all", "lang:en", "lang:zh-Hans"}
    assert table["lang:en"]["n"] == 2
    assert table["lang:en"]["recall@5"] == pytest.approx(0.5)
    assert table["lang:en"]["mrr@10"] == pytest.approx(0.25)
    assert table["lang:zh-Hans"]["recall@1"] == pytest.approx(0.5)
    assert table["lang:zh-Hans"]["mrr@10"] == pytest.approx(1.0)


def test_recall_curve_is_monotone_and_hand_checked():
    curve = recall_curve(QRELS, RANKED, ks=(1, 2, 3))
    assert curve[1] == pytest.approx(1 / 6)
    assert curve[2] == pytest.approx((1 + 0.5 + 0) / 3)
    assert curve[3] == pytest.approx(2 / 3)


def test_run_keeps_retriever_order_and_best_rank_of_duplicates():
    run = make_run({"q": ["b", "a", "b", "c"]}, "r").to_dict()
    assert run["q"] == {"b": 1.0, "a": 0.5, "c": 0.25}
    # a question with no hits is still present (scored 0, not dropped)
    run = make_run({"q": ["a"]}, "r", only=["q", "missing"]).to_dict()
    assert run == {"q": {"a": 1.0}, "missing": {}}


def test_missing_query_scores_zero_not_dropped():
    table = evaluate_groups({"q1": {"a": 1}, "q2": {"b": 1}}, {"q1": ["a"]}, {})
    assert table["all"]["recall@1"] == pytest.approx(0.5)


def test_no_hits_anywhere_scores_zero():
    table = evaluate_groups({"q1": {"a": 1}}, {"q1": []}, {})
    assert table["all"]["recall@10"] == 0.0 and table["all"]["mrr@10"] == 0.0


def test_abstention_counts():
    # (should_abstain, abstained)
    ab = abstention([(True, True), (True, False), (False, True), (False, False), (False, False)])
    assert ab.precision == pytest.approx(1 / 2)
    assert ab.recall == pytest.approx(1 / 2)
    assert ab.false_abstention_rate == pytest.approx(1 / 3)
    assert abstention([(False, False)]).precision is None
