"""Key-fact metrics: one measure per function, checked by hand-countable arithmetic."""
from __future__ import annotations

import pytest

from policyqa.eval.keyfacts import (Graded, answer_passes, facts_found, half, id_number, in_half, key_fact_hit,
                                    key_fact_rate, missing_facts, normalise, rate_by, summary)


def test_normalise_folds_width_case_script_space_and_markers():
    assert normalise("ＡＢＣ　１２３") == "abc123"  # NFKC: full-width letters, digits and space
    assert normalise("工業和信息化部") == normalise("工业和信息化部") == "工业和信息化部"  # 繁→简
    assert normalise("2023年 12月\n28日") == "2023年12月28日"  # the PDF's stray spaces and line breaks
    assert normalise("（十五）加强组织领导。[1]") == "(十五)加强组织领导。"  # full-width parentheses, marker
    assert normalise("Strengthen  Financial\nServices [2]") == "strengthenfinancialservices"


def test_key_fact_hit_any_alternative():
    assert key_fact_hit("The date is December 28, 2023. [1]", ["2023-12-28", "December 28, 2023"])
    assert key_fact_hit("發文日期：2023年12月28日", ["2023年12月28日"])  # 繁 answer, 简 fact
    assert not key_fact_hit("2023年12月29日", ["2023年12月28日"])
    assert not key_fact_hit("anything", [])


def test_counts_and_missing():
    facts = [["90%"], ["70%"], ["13%"], ["57%"]]
    text = "exceed 90% and 70% respectively … decrease by about 13%"
    assert facts_found(text, facts) == 3
    assert missing_facts(text, facts) == [["57%"]]


def test_answer_passes_need_and_abstention():
    facts = [["a"], ["b"], ["c"], ["d"]]
    assert answer_passes("a b c d", facts)  # need defaults to all
    assert not answer_passes("a b c", facts)
    assert answer_passes("a b c", facts, need=3)
    assert not answer_passes("a b", facts, need=3)
    assert not answer_passes("a b c d", facts, abstained=True)  # an abstention never answers
    assert answer_passes("No clause in these documents addresses this.", [], abstained=True)  # out of scope
    assert not answer_passes("Some made-up answer", [], abstained=False)


def test_halves_by_id_parity():
    assert id_number("ka017") == 17 and half("ka017") == "tuning" and half("ka018") == "held-out"
    with pytest.raises(ValueError, match="numeric suffix"):
        id_number("abc")


G = [Graded("k1", "fact", "en", True), Graded("k2", "fact", "zh-Hans", False),
     Graded("k3", "list", "en", True), Graded("k4", "list", "zh-Hant", True),
     Graded("k5", "out_of_scope", "en", False)]


def test_rates_overall_by_group_and_half():
    assert key_fact_rate(G) == pytest.approx(3 / 5)
    assert key_fact_rate([]) is None
    by_kind = rate_by(G, "kind")
    assert by_kind["fact"] == {"rate": 0.5, "n": 2, "passed": 1}
    assert by_kind["list"]["rate"] == 1.0 and by_kind["out_of_scope"]["rate"] == 0.0
    assert rate_by(G, "lang")["en"] == {"rate": pytest.approx(2 / 3), "n": 3, "passed": 2}
    assert [g.id for g in in_half(G, "tuning")] == ["k1", "k3", "k5"]
    assert [g.id for g in in_half(G, "held-out")] == ["k2", "k4"]
    s = summary(G)
    assert s["all"]["overall"]["rate"] == pytest.approx(3 / 5)
    assert s["tuning"]["overall"] == {"rate": pytest.approx(2 / 3), "n": 3, "passed": 2}
    assert s["held-out"]["overall"] == {"rate": 0.5, "n": 2, "passed": 1}
    assert s["held-out"]["kind"] == {"fact": {"rate": 0.0, "n": 1, "passed": 0}, "list": {"rate": 1.0, "n": 1, "passed": 1}}
    with pytest.raises(ValueError, match="half must be"):
        in_half(G, "odd")
