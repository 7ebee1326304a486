"""Honest abstention, over the real bundled corpus and model: noise and out-of-scope questions, years,
figures, acronyms and places the documents never mention abstain, and say why."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("question", ["xqzv plorf wnbb kkdj", "<script>alert(1)</script>", "<b></b><i>qwrtp</i>",
                                      "What's the weather in Beijing tomorrow?", "紅燒肉怎麼做？"])
def test_noise_and_out_of_scope_abstain(answerer, question):
    assert answerer.ask(question).abstained


def test_a_year_the_nearest_clauses_never_mention_is_out_of_scope():
    from policyqa.serve.figures import unmatched_year

    assert unmatched_year("2024年12月PMI是多少？", ["2016年，数字化研发设计工具普及率达到61.8%", "2017-06-30"]) == "2024"
    assert unmatched_year("What happened in 2016 and 2017?", ["In 2016 …", "2017-06-30"]) is None
    assert unmatched_year("中国制造2025的五大工程", ["China Manufacturing 2025"]) is None
    assert unmatched_year("增长20.18%、降低2019.5吨", ["无年份"]) is None  # figures, not years
    # a year inside a document's name is no mention of that year, in the texts or in the question,
    # whichever script either is written in
    assert unmatched_year("2025年新能源汽车购置税怎么减免？", ["对标“中国制造2025”"], ["中国制造2025"]) == "2025"
    assert unmatched_year("2025年的目标", ["对标中国制造2025，到2025年"], ["中国制造2025"]) is None
    assert unmatched_year("《中國製造2025》實施情況報告的困難", ["2016年"], ["中国制造2025"]) is None
    # "the 2017 report" / "2017年那份报告" names a document as its name would
    assert unmatched_year("What did the 2017 review report about smart manufacturing?", ["In 2016 …"]) is None
    assert unmatched_year("2017年那份報告說了什麼？", ["2016年"]) is None
    assert unmatched_year("2017年的产量是多少？", ["2016年"]) == "2017"


def test_an_unscoped_question_about_another_year_abstains(answerer):
    assert answerer.ask("2024年12月中國製造業PMI是多少？").abstained
    a = answerer.ask("What was China's manufacturing output growth in 2019?")
    assert a.abstained and a.note == "The documents never mention 2019."
    assert answerer.ask("What 2020 targets did the original 2015 Made in China 2025 plan set for manufacturing innovation?").abstained
    assert answerer.ask("2025年新能源汽车购置税减免政策具体是怎样的？").abstained  # 2025 only in 中国制造2025
    # Asked of one document, the year is looked for in all of it: the Guiding Opinions never say 2030.
    a = answerer.ask("What CNC rate for key processes do the Guiding Opinions set as the 2030 target?")
    assert a.abstained and a.note == "The documents never mention 2030."
    # an overview of a year's goals too: the Guiding Opinions set goals for 2027, none for 2025
    b = answerer.ask("传统制造业转型升级到2025年的阶段性目标是什么？")
    assert b.abstained and b.note == "这些文件没有提到2025年。"
    assert not answerer.ask("传统制造业转型升级到2027年的目标是什么？").abstained
    assert not answerer.ask("What CNC rate for key processes do the Guiding Opinions set as the 2027 target?").abstained
    assert not answerer.ask("中國製造2025實施情況報告裡提到了哪些主要困難和問題？").abstained  # 2025 is in its name
    a = answerer.ask("How many national low-carbon industrial parks had been built by 2017?")  # the report's year
    assert not a.abstained
    # only the best clauses' documents' years of issue count: another document's is no mention
    assert answerer.ask("工信部2024年公布的智能工厂名单里有哪些企业？").abstained


def test_a_sum_asked_in_billions_is_not_answered_with_a_rate(answerer):
    a = answerer.ask("How many billion yuan does the central budget set aside for traditional manufacturing upgrades under the Guiding Opinions?")
    assert a.abstained and a.note == "The question asks for a figure, and the closest clauses give none."


def test_has_figure_reads_digits_numerals_with_measure_words_and_number_words():
    from policyqa.serve.figures import has_figure

    assert has_figure("超过90%") and has_figure("批准了五个试点城市") and has_figure("twenty cities")
    assert not has_figure("加大对制造业技术改造资金支持力度") and not has_figure("Increase funding support.")


def test_a_figure_asked_and_none_found_abstains_one_found_answers(answerer):
    a = answerer.ask("How many billion yuan does the Guiding Opinions allocate to technology transformation funds?")
    assert a.abstained and a.related  # the nearest clauses are still listed
    assert "figure" in a.note
    a = answerer.ask("萬元工業增加值用水量要比2023年下降多少？")
    assert not a.abstained and "13%" in a.answer


def test_a_question_about_an_acronym_the_corpus_never_uses_abstains(answerer):
    a = answerer.ask("2024年政府工作报告定的GDP增速目标是多少？")
    assert a.abstained and a.note == "这些文件没有提到GDP。" and a.to_dict()["note"] == a.note
    assert not answerer.ask("How will SMEs be supported?").abstained


def test_an_unscoped_question_about_a_place_the_corpus_never_names_abstains_and_says_so(answerer):
    a = answerer.ask("台灣對半導體產業有哪些租稅優惠？")
    assert a.abstained and "台湾" in a.note.replace("臺", "台") or "台灣" in a.note
    assert not answerer.ask("京津冀、长三角在工业稳增长中要扮演什么角色？").abstained


def test_a_province_the_answer_never_names_abstains(answerer):
    # Jiangsu is in the corpus (a photo caption, south Jiangsu's pilot cities), its own plan is not
    a = answerer.ask("江苏省的传统制造业转型升级实施方案订了哪些目标？")
    assert a.abstained and a.note == "最相关的条款没有提到江苏。"
    # a place the answer does name still answers
    assert not answerer.ask("京津冀在工业稳增长中要扮演什么角色？").abstained


def test_a_place_the_answer_never_names_abstains_before_any_llm_call(answerer, config, monkeypatch):
    from policyqa.serve import kinds
    from policyqa.serve.answer import Answerer
    from policyqa.serve.llm import LLMClient
    from tests.serve.fake_llm import FakeLLM

    question = "廣東省出台了哪些落實這份意見的政策？有哪些目標？"
    with FakeLLM() as fake:
        llm_answerer = Answerer(answerer.searcher, config, llm=LLMClient(fake.base_url, "fake", "sk-test", timeout=10),
                                bank=answerer.bank)
        built, original = [], kinds.answer
        # a spy, not a stub: the structured path answers it (a section's clauses), the place check refuses it
        monkeypatch.setattr(kinds, "answer", lambda *a, **k: built.append(original(*a, **k)) or built[-1])
        a = llm_answerer.ask(question)
        assert built and built[-1] is not None
        assert a.abstained and a.note == "最相關的條款沒有提到廣東。"
        assert fake.requests == []


def test_a_fact_of_a_document_the_corpus_lacks_described_by_its_topic_abstains_and_says_which(answerer):
    a = answerer.ask("Which departments co-signed MIIT's guidelines on humanoid robot innovation?")
    assert a.abstained and a.note == "The documents never mention guidelines on humanoid robot innovation."
    ours = answerer.ask("Who signed the guidance on upgrading traditional manufacturing?")
    assert not ours.abstained and "Ministry of Finance" in ours.answer


def test_asked_where_an_answer_naming_no_place_abstains_and_says_why(answerer):
    a = answerer.ask("全国新型工业化推进大会是哪天在哪里召开的？")
    assert a.abstained and a.note == "问题问的是地点，最相关的条款没有提到。"
