"""Cited answers on the real corpus, model and index."""
from __future__ import annotations

import re

import pytest

from policyqa.corpus.errors import UsageError
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
    _every_sentence_ends_with_its_marker(answer)
    for x in out["citations"]:
        assert {"n", "doc_id", "clause_id", "lang", "heading", "number", "text", "quote", "parallel"} <= set(x)
        if x["clause_id"].startswith(GO + "/"):  # the Guiding Opinions exist in all three versions
            assert {v["lang"] for v in x["parallel"]} == {"en", "zh-Hans", "zh-Hant"} - {x["lang"]}
            assert all(v["clause_id"] == x["clause_id"] and v["text"] for v in x["parallel"])
    return c


def _every_sentence_ends_with_its_marker(answer):
    """The extractive answer is quoted sentences, each followed by the marker of the clause it is from."""
    parts = re.split(r" ?\[(\d+)\]", answer.answer)
    assert parts[-1] == "" and len(parts) > 1, answer.answer
    quotes = {c.n: {q.text for q in c.quotes} for c in answer.citations}
    for sentence, n in zip(parts[0:-1:2], parts[1::2]):
        assert sentence.strip() in quotes[int(n)], (sentence, n)
    for c in answer.citations:
        for q in c.quotes:
            assert c.source.unit.text[q.start:q.end] == q.text


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


@pytest.mark.parametrize("question,doc,note", [
    ("求是文章说企业在新型工业化中扮演什么角色？", "qiushi-2024", "所引用的内容只有英文原文"),
    ("第一个国家制造业创新中心是哪个？", "cm2025-2017", "所引用的内容只有英文原文"),
    # Once a regression of issue 14's adaptive fusion (a Guiding Opinions paragraph won); fixed when
    # word overlap with English sentences began counting each Chinese word by its best sense.
    ("工業化對實現現代化有什麼意義？", "qiushi-2024", "所引用的內容只有英文原文"),
])
def test_chinese_question_about_an_english_only_document_says_so(answerer, question, doc, note):
    answer = answerer.ask(question)
    assert not answer.abstained, answer.support
    assert answer.citations[0].source.unit.doc_id == doc and answer.citations[0].source.unit.lang == "en"
    assert all(c.source.unit.lang == "en" for c in answer.citations)
    assert answer.note.startswith(note) and answer.to_dict()["note"] == answer.note
    _every_sentence_ends_with_its_marker(answer)


@pytest.mark.parametrize("question,message", [
    ("What housing purchase subsidy does Hangzhou offer first-time home buyers?", "No clause in these documents"),
    ("农村宅基地可以继承吗？", "这些文件中没有条款"),
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


def test_llm_answer_is_used_when_valid_and_rejected_when_it_invents_a_source(answerer, config):
    from policyqa.serve.answer import Answerer
    from policyqa.serve.llm import LLMClient

    with FakeLLM() as fake:
        answerer = Answerer(answerer.searcher, config, llm=LLMClient(fake.base_url, "fake", "sk-test", timeout=10),
                            bank=answerer.bank)
        fake.reply = "Yes, companies get an income tax credit for safety production equipment [1]."
        good = answerer.ask("Is there a tax credit for safety equipment?")
        assert good.generator == "llm" and good.answer.endswith("[1].") and len(good.citations) == 1
        assert good.answer == fake.reply and not good.llm_fallback
        # The model saw the numbered clauses; [1] is the first one it was given, quoted at its best sentence.
        c = good.citations[0]
        assert c.n == 1 and c.source.unit.text[c.quotes[0].start:c.quotes[0].end] == c.quotes[0].text
        assert c.source.unit.text in fake.requests[-1]["messages"][-1]["content"]
        # Replies often have paragraphs; a blank line once hung the sentence splitter.
        fake.reply = "Yes, there is a credit [1].\n\nIt covers safety production equipment [1]."
        para = answerer.ask("Is there a tax credit for safety equipment?")
        assert para.generator == "llm" and para.answer.count("[1]") == 2 and "covers safety" in para.answer
        fake.reply = "Yes, there is a credit [9]."
        bad = answerer.ask("Is there a tax credit for safety equipment?")
        assert bad.generator == "extractive" and "[9]" in bad.llm_fallback
        assert any(c.source.unit.clause_id == f"{GO}/c16" for c in bad.citations)


def test_text_output_lists_citations_and_related(answerer):
    """What `policyqa ask` prints without --json."""
    answer = answerer.ask("對安全生產專用設備有稅收優惠嗎？", top_k=5)
    text = answer.to_text().splitlines()
    assert text[0] == answer.answer and text[-1].endswith(" ms)")
    c = answer.citations[0]
    assert f"[1] {c.source.doc.title} {c.source.doc.number}, {c.source.doc.date}" in text
    assert f"    “{c.quotes[0].text}”  ({c.source.unit.clause_id}@zh-Hant)" in text
    assert "相關條款：" in text and len(text) - text.index("相關條款：") - 2 == len(answer.related)


def test_a_chinese_question_weighs_its_words_found_in_english_sentences_more(answerer):
    """Across languages the words a question shares with a sentence (through their dictionary
    senses) choose the sentence: the Qiushi article's lines on SMEs, not a generic topic line. The
    extra weight is in `score` alone; `support`, which decides abstention, is unchanged."""
    from policyqa.serve.answer import CROSS_LEXICAL_WEIGHT, LEXICAL_WEIGHT
    from policyqa.serve.records import Source

    question = "求是文章對專精特新中小企業怎麼說？"
    a = answerer.ask(question)
    assert a.doc_scope["family"] == "qiushi-2024" and "little giant" in a.answer, a.answer[:200]
    units = [u for u in answerer.store.units if u.doc_id.startswith("qiushi-2024") and u.kind == "paragraph"]
    sources = [Source(u, answerer.store.doc(u.doc_id), (), 1, 0.5) for u in units]
    scored = answerer.score_sentences(question, sources, "zh-Hant")
    words = answerer.bank.query_words(question, "zh-Hant")
    found = [s for s in scored if s.boost > 0]
    assert found, "some English sentence has a word of the question"
    from policyqa.serve.scoring import TERM_BOOST

    termed = 0
    for s in found:
        sentence = next(x for x in answerer.bank.sentences(s.source.unit) if x.start == s.start)
        overlap = answerer.bank.overlap(words, sentence, "en")
        # 专精特新 is a policy term: its official rendering found whole adds TERM_BOOST
        term = any(all(t in sentence.tokens for t in sense) for w, senses in words.glossed if w == "专精特新" for sense in senses)
        termed += term
        assert s.boost == pytest.approx((CROSS_LEXICAL_WEIGHT - LEXICAL_WEIGHT) * overlap + (TERM_BOOST if term else 0.0))
    assert termed, "the term's rendering is found in some sentence"
    english = answerer.score_sentences("What does the article say about SMEs?", sources, "en")
    assert all(s.boost == 0 for s in english)


def test_a_chinese_question_on_an_english_document_weighs_the_search_rank_more(answerer):
    from policyqa.serve.answer import CROSS_RANK, RANK_WEIGHT

    assert CROSS_RANK > 1 and RANK_WEIGHT > 0
    a = answerer.ask("那份中國製造2025的報告裡，機器人和減速器方面有什麼突破？")
    assert a.citations[0].source.unit.clause_id == "cm2025-2017/s1/i2"
    assert "RV reducers" in a.answer and "harmonic wave decelerator" in a.answer


def test_a_policy_term_the_dictionary_lacks_finds_its_english_rendering(answerer):
    # 全产业链: "entire industrial chains" (index.terms), not the rare-earths sentence on strengths
    a = answerer.ask("求是文章要鞏固哪些產業的全產業鏈優勢？")
    assert "high-speed rail" in a.answer and "communications equipment" in a.answer
