"""`policyqa ask` in-process through policyqa.cli.main, on the suite's built data dir."""
from __future__ import annotations

import json

import pytest

from policyqa.cli import main

GO = "guiding-opinions-2023"
TOP = ["question", "answer", "abstained", "took_ms", "citations", "related"]
CITATION = ["n", "doc_id", "clause_id", "lang", "heading", "number", "text", "quote", "parallel"]


@pytest.mark.slow
def test_ask_json(config, built, store, capsys):
    assert main(["ask", "产业大脑是什么？", "--json", "--top-k", "4", "--data-dir", str(config.data_dir)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out)[:4] == TOP[:4] and set(TOP) <= set(out)
    assert out["question"] == "产业大脑是什么？" and out["abstained"] is False and out["took_ms"] > 0
    c = out["citations"][0]
    assert set(CITATION) <= set(c)
    assert (c["n"], c["clause_id"], c["lang"], c["number"]) == (1, f"{GO}/c6", "zh-Hans", "（六）")
    assert c["text"] == store.get(f"{GO}/c6", "zh-Hans").text  # the full clause, not a chunk
    assert c["text"][c["quote_start"]:c["quote_end"]] == c["quote"] and c["quote"] + "[1]" in out["answer"]
    assert sorted(v["lang"] for v in c["parallel"]) == ["en", "zh-Hant"]
    cited = {x["clause_id"] for x in out["citations"]}
    assert out["related"] and len(out["citations"]) + len(out["related"]) <= 4
    assert not cited & {r["clause_id"] for r in out["related"]}


@pytest.mark.slow
def test_ask_queries_file_prints_one_line_per_question_with_its_id(config, built, capsys, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "hans", "query": "产业大脑是什么？"},
        {"id": 7, "query": "Is there a tax credit for safety equipment?"},
        {"id": "oos", "query": "What housing purchase subsidy does Hangzhou offer first-time home buyers?"},
        {"id": "blank", "query": "   "},
    ]) + "\n", encoding="utf-8")
    assert main(["ask", "--queries", str(queries), "--data-dir", str(config.data_dir)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["hans", "7", "oos", "blank"]
    hans, en, oos, blank = lines
    assert hans["citations"][0]["clause_id"] == f"{GO}/c6"
    assert any(c["clause_id"] == f"{GO}/c16" and c["lang"] == "en" for c in en["citations"])
    assert oos["abstained"] is True and oos["citations"] == [] and oos["related"]
    assert oos["answer"] == "No clause in these documents addresses this."
    # One bad question does not stop the file: its line carries the error.
    assert "question is empty" in blank["error"] and "answer" not in blank


@pytest.mark.parametrize("argv,message", [
    (["ask", "  "], "question is empty"),
    (["ask"], "question is empty: give a QUESTION or --queries FILE.jsonl"),
    (["ask", "--queries", "missing.jsonl"], "queries file not found"),
])
def test_bad_input_exits_2_with_a_message_and_no_traceback(config, capsys, argv, message, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert main([*argv, "--data-dir", str(config.data_dir)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_queries_line_names_the_file_and_line(config, capsys, tmp_path):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "a", "query": "ok"}\n{"id": "b"}\n', encoding="utf-8")
    assert main(["ask", "--queries", str(queries), "--data-dir", str(config.data_dir)]) == 2
    err = capsys.readouterr().err
    assert f"{queries}:2" in err and "'query'" in err and "Traceback" not in err
