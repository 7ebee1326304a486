"""The report, plots, metrics.json and TREC files are written and say what the run measured."""
from __future__ import annotations

import json

import pytest
from ranx import Qrels, Run, evaluate

from policyqa.eval.readme import replace_section, update_readme
from policyqa.eval.report import EvalResult, readme_section
from policyqa.eval.report_files import write_report
from policyqa.eval.run import score
from policyqa.corpus.errors import UsageError

QRELS = {"q1": {"a": 1}, "q2": {"b": 1, "c": 1}, "q3": {"d": 1}}
GROUPS = {
    "q1": ("all", "lang:en", "kind:direct"),
    "q2": ("all", "lang:zh-Hans", "kind:multi_clause"),
    "q3": ("all", "lang:zh-Hant", "kind:cross_lingual", "cross-lingual"),
}
RANKED = {
    "hybrid": {"q1": ["a", "x"], "q2": ["c", "b"], "q3": ["d"], "oos": ["x"]},
    "naive": {"q1": ["x", "a"], "q2": ["z", "c"], "q3": ["y"], "oos": ["y"]},
}


def _result() -> EvalResult:
    rows = tuple(score(n, RANKED[n], QRELS, GROUPS, {"p50": 1.0, "p95": 2.0}) for n in ("hybrid", "naive"))
    ab = {"out_of_scope": 1, "answerable": 3, "abstained_out_of_scope": 1, "abstained_answerable": 0,
          "precision": 1.0, "recall": 1.0, "false_abstention_rate": 0.0, "mode": "hybrid"}
    return EvalResult("policyqa", "2024-01-02", 4, 3, rows, ab)


def test_report_plots_and_trec_files_are_written(tmp_path):
    res = _result()
    files = write_report(res, tmp_path, QRELS, RANKED)
    for name in ("report.md", "metrics.json", "recall_at_k.png", "by_language.png", "by_kind.png",
                 "qrels.trec", "run.hybrid.trec", "run.naive.trec", "readme_section.md"):
        assert (tmp_path / name).is_file(), name
        assert files[name] == tmp_path / name
    for png in ("recall_at_k.png", "by_language.png", "by_kind.png"):
        assert (tmp_path / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (tmp_path / "report.md").read_text()
    # hybrid finds everything at rank 1: R@1 = (1 + 1/2 + 1)/3, R@5 = 1
    assert "| hybrid | 0.833 | 1.000 | 1.000 | 1.000 |" in md
    assert "![recall_at_k.png](recall_at_k.png)" in md
    assert "| zh-Hant | 1 |" in md and "| cross-lingual | 1 |" in md
    # the targets table marks the naive gap (R@5 hybrid 1.0 vs naive 0.5)
    assert "| hybrid - naive all R@5 | 0.500 | ≥ 0.10 | yes |" in md
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["retrievers"]["naive"]["groups"]["all"]["mrr@10"] == pytest.approx((1 / 2 + 1 / 2 + 0) / 3)
    assert metrics["abstention"]["recall"] == 1.0


def test_trec_files_round_trip_through_ranx(tmp_path):
    write_report(_result(), tmp_path, QRELS, RANKED)
    qrels = Qrels.from_file(str(tmp_path / "qrels.trec"), kind="trec")
    run = Run.from_file(str(tmp_path / "run.naive.trec"), kind="trec")
    assert qrels.to_dict() == QRELS
    # the saved run scores exactly as the in-memory one (out-of-scope "oos" is in the run, not the qrels)
    assert set(run.to_dict()) == {"q1", "q2", "q3", "oos"}
    run_judged = Run({q: d for q, d in run.to_dict().items() if q in QRELS})
    assert evaluate(qrels, run_judged, "mrr@10") == pytest.approx((1 / 2 + 1 / 2 + 0) / 3)


def test_readme_section_replaced_between_markers(tmp_path):
    body = readme_section(_result())
    assert "2024-01-02" in body and "| hybrid |" in body
    readme = tmp_path / "README.md"
    readme.write_text("# x\n<!-- eval:start -->\nold table\n<!-- eval:end -->\ntail\n")
    update_readme(readme, "eval", body)
    text = readme.read_text()
    assert "old table" not in text and body.strip() in text
    assert text.startswith("# x\n<!-- eval:start -->\n") and text.endswith("<!-- eval:end -->\ntail\n")
    update_readme(readme, "eval", "second")  # idempotent markers: replaced again, not appended
    assert readme.read_text() == "# x\n<!-- eval:start -->\nsecond\n<!-- eval:end -->\ntail\n"


def test_readme_without_markers_is_a_clear_error():
    with pytest.raises(UsageError, match="<!-- bench:start -->"):
        replace_section("no markers here", "bench", "x")


def test_report_carries_the_answer_quality_tables(tmp_path):
    from policyqa.eval.answers import answer_quality

    rows = ({"id": "ka001", "kind": "fact", "lang": "en", "passed": True, "answer": "90% [1]", "missing": []},
            {"id": "ka002", "kind": "fact", "lang": "zh-Hans", "passed": False, "answer": "…", "missing": [["57%"]]},
            {"id": "ka003", "kind": "out_of_scope", "lang": "zh-Hant", "passed": True, "answer": "", "missing": []})
    base = _result()
    res = EvalResult(base.dataset, base.date, base.questions, base.judged, base.retrievers, base.abstention,
                     answers={**answer_quality(rows), "mode": "hybrid"}, answer_rows=rows)
    files = write_report(res, tmp_path, QRELS, RANKED)
    md = (tmp_path / "report.md").read_text()
    # whole 2/3, tuning (odd ids ka001, ka003) 2/2, held-out (ka002) 0/1
    assert "| all | 0.667 (2/3) | 1.000 (2/2) | 0.000 (0/1) |" in md
    assert "| kind: fact | 0.500 (1/2) | 1.000 (1/1) | 0.000 (0/1) |" in md
    assert "| script: zh-Hant | 1.000 (1/1) | 1.000 (1/1) | – |" in md
    assert "| ask held-out worst script (zh-Hans) key-fact rate | 0.000 | ≥ 0.80 | **no** |" in md
    assert "answers.jsonl" in md and "| all | 0.667 (2/3)" in readme_section(res)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["answers"]["halves"]["held-out"]["overall"] == {"rate": 0.0, "n": 1, "passed": 0}
    assert {t["group"]: t["met"] for t in metrics["answers"]["targets"]}["all overall"] is False
    dumped = [json.loads(line) for line in files["answers.jsonl"].read_text().splitlines()]
    assert [d["id"] for d in dumped] == ["ka001", "ka002", "ka003"] and dumped[1]["missing"] == [["57%"]]
