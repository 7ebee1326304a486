"""Cited answers on the real corpus, model and index."""
from __future__ import annotations

import json
import re

import pytest

from corpus.errors import UsageError
from serve.answer import compose, cite
from serve.cli import main
from tests.serve.fake_llm import FakeLLM

pytestmark = pytest.mark.slow
GO = "guiding-opinions-2023"


def _check(answer, clause_id: str, lang: str):
    out = answer.to_dict()
    assert not out["abstained"], out["answer"]
    cited = {c["clause_id"]: c for c in out["citations"]}
    assert clause_id in cited, list(cited)
    c = cited[clause_id]
    assert c["lang"] == lang and c["text"][c["quote_start"]:c["quote_end"]] == c["quote"]
    assert c["quote"] in out["answer"] and f"[{c['n']}]" in out["answer"]
    # Only sources the answer used are cited; the rest are related, never both.
    assert {int(n) for n in re.findall(r"\[(\d+)\]", out["answer"])} == {x["n"] for x in out["citations"]}
    assert not set(cited) & {r["clause_id"] for r in out["related"]}
    return c


def test_english_question_cites_clause_16(answerer):
    c = _check(answerer.ask("Is there a tax credit for safety equipment?"), f"{GO}/c16", "en")
    assert c["number"] == "(16)" and c["doc_number"] and c["date"] == "2023-12-28"
    assert {v["lang"] for v in c["parallel"]} == {"zh-Hans", "zh-Hant"}
    assert c["title"].startswith("(16) ")


def test_simplified_question_cites_clause_6_in_simplified(answerer):
    c = _check(answerer.ask("产业大脑是什么？"), f"{GO}/c6", "zh-Hans")
    assert c["title"] == "（六）促进产业链供应链网络化协同"
    assert c["heading"] == ["三、加快数字技术赋能，全面推动智能制造"]
    assert "产业大脑" in c["quote"]


def test_traditional_question_is_answered_in_traditional(answerer):
    answer = answerer.ask("對安全生產專用設備有稅收優惠嗎？")
    c = _check(answer, f"{GO}/c16", "zh-Hant")
    assert answer.lang == "zh-Hant" and "稅" in answer.answer and "税" not in answer.answer


def test_chinese_question_about_an_english_only_document_says_so(answerer):
    answer = answerer.ask("求是文章说企业在新型工业化中扮演什么角色？")
    assert not answer.abstained
    assert all(c.source.unit.lang == "en" for c in answer.citations)
    assert answer.citations[0].source.unit.doc_id.startswith("qiushi")
    assert "只有英文原文" in answer.note


@pytest.mark.parametrize("question,message", [
    ("What housing purchase subsidy does Hangzhou offer first-time home buyers?", "No clause in these documents"),
    ("勞保老年年金幾歲可以請領？", "這些文件中沒有條款"),
])
def test_out_of_scope_question_abstains_and_still_lists_related(answerer, question, message):
    answer = answerer.ask(question, top_k=4)
    assert answer.abstained and answer.answer.startswith(message)
    assert answer.citations == () and len(answer.related) == 4
    assert answer.support < answer.threshold


def test_typed_reference_answers_from_that_clause(answerer):
    answer = answerer.ask("（十一）")
    assert not answer.abstained and [c.source.unit.clause_id for c in answer.citations] == [f"{GO}/c11"]


def test_empty_question_is_a_usage_error(answerer):
    with pytest.raises(UsageError, match="question is empty"):
        answerer.ask("   ")


def test_compose_and_cite_keep_clause_sentences_together(answerer):
    scored = answerer.score_sentences("产业大脑", [answerer._source(h) for h in answerer.searcher.search("产业大脑", top_k=3).hits])
    picked = compose(scored)
    assert 1 <= len(picked) <= 3 and picked[0] is scored[0]
    assert all(p.score >= scored[0].score - 0.02 for p in picked)
    citations, text = cite(picked, "zh-Hans")
    assert [c.n for c in citations] == list(range(1, len(citations) + 1))
    assert text.startswith(picked[0].text) or any(text.startswith(p.text) for p in picked)


def test_llm_answer_is_used_when_valid_and_rejected_when_it_invents_a_source(searcher, config):
    from serve.answer import Answerer
    from serve.llm import LLMClient

    with FakeLLM() as fake:
        answerer = Answerer(searcher, config, llm=LLMClient(fake.base_url, "fake", "sk-test", timeout=10))
        fake.reply = "Yes, companies get an income tax credit for safety production equipment [1]."
        good = answerer.ask("Is there a tax credit for safety equipment?")
        assert good.generator == "llm" and good.answer.endswith("[1].") and len(good.citations) == 1
        fake.reply = "Yes, there is a credit [9]."
        bad = answerer.ask("Is there a tax credit for safety equipment?")
        assert bad.generator == "extractive" and "[9]" in bad.llm_fallback
        assert any(c.source.unit.clause_id == f"{GO}/c16" for c in bad.citations)


def test_cli_ask_json_and_queries(config, built, capsys, tmp_path):
    assert main(["ask", "产业大脑是什么？", "--json", "--data-dir", str(config.data_dir)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"question", "answer", "abstained", "took_ms", "citations", "related"} <= set(out)
    assert {"n", "doc_id", "clause_id", "lang", "heading", "number", "text", "quote", "parallel"} <= set(out["citations"][0])
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "a", "query": "产业大脑是什么？"}\n{"id": "b", "query": "tax credit for safety equipment"}\n',
                       encoding="utf-8")
    assert main(["ask", "--queries", str(queries), "--json", "--data-dir", str(config.data_dir)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"] and all("answer" in x for x in lines)


def test_cli_empty_question_exits_2_without_traceback(config, built, capsys):
    assert main(["ask", "  ", "--data-dir", str(config.data_dir)]) == 2
    err = capsys.readouterr().err
    assert "question is empty" in err and "Traceback" not in err
