"""`ask` graded on real questions of the answer set with the real model and index."""
from __future__ import annotations

from policyqa.eval.answer_set import load_answer_set
from policyqa.eval.answers import answer_quality, grade_answers
from policyqa.eval.keyfacts import answer_passes


def test_grade_answers_on_real_answers(answerer):
    items = load_answer_set()
    picked = [next(i for i in items if i.kind == k) for k in ("fact", "doc_fact", "cross_lingual", "out_of_scope")]
    rows = grade_answers(answerer, picked)
    assert [r["id"] for r in rows] == [i.id for i in picked]
    for item, row in zip(picked, rows):
        assert row["answer"] and row["kind"] == item.kind and row["half"] in ("tuning", "held-out")
        # the row agrees with the metric applied to the text it records
        assert row["passed"] == answer_passes(row["answer"], item.facts, item.need, abstained=row["abstained"])
        assert row["found"] + len(row["missing"]) == len(item.facts)
        if not row["abstained"]:
            assert row["cited"], row
    summary = answer_quality(rows)
    assert summary["questions"] == 4
    assert summary["halves"]["all"]["overall"]["passed"] == sum(r["passed"] for r in rows)
