"""serve.titled: a clause the question names by its title anchors the answer (real corpus and model)."""
from __future__ import annotations

import re

import pytest

from policyqa.serve.titled import cover, titled_clause, titled_section

GO = "guiding-opinions-2023"


@pytest.mark.parametrize("question,lang,key", [
    ("指導意見對傳統製造業優化產業結構有什麼要求？", "zh-Hant", f"{GO}/c2@zh-Hant"),
    ("What does the document say about optimizing the industrial structure?", "en", f"{GO}/c2@en"),
    ("组织领导方面怎么加强？", "zh-Hans", f"{GO}/c15@zh-Hans"),
])
def test_a_question_that_covers_a_title_names_that_clause(answerer, store, question, lang, key):
    sources = _sources(answerer, store, lang)
    assert titled_clause(answerer.bank, question, sources, lang) == key


@pytest.mark.parametrize("question,lang", [
    ("传统制造业有什么要求？", "zh-Hans"),  # one title word is no title
    ("What is the industrial brain?", "en"),
    ("优化产业结构有什么要求？", "en"),  # a Chinese title is not matched for an English question
])
def test_a_question_that_does_not_cover_a_title_names_none(answerer, store, question, lang):
    assert titled_clause(answerer.bank, question, _sources(answerer, store, "zh-Hans"), lang) is None


def test_the_named_clause_is_quoted_as_its_measures(answerer):
    a = answerer.ask("指導意見對傳統製造業優化產業結構有什麼要求？")
    assert a.citations[0].source.unit.clause_id == f"{GO}/c2"
    assert "去產能" in a.answer and "一刀切" in a.answer  # the measures of its body, not just its title
    # ...also when the search's best sentence is in it already: the clause, not that one sentence
    b = answerer.ask("這份文件在產業布局方面有什麼部署？")
    assert b.answer.startswith("(十四)持續優化產業布局") and "老工業基地" in b.answer and "一帶一路" in b.answer
    # ...and never the list of its section's clauses, however well the section's heading scores
    c = answerer.ask("指导意见在财税支持上具体有什么政策？")
    assert c.answer.startswith("（十六）加大财税支持") and "税收优惠政策" in c.answer


def test_a_list_asked_of_a_clause_named_by_its_title_is_its_measures(answerer):
    a = answerer.ask("關於優化產業佈局，指導意見有哪些想法？")  # 佈局 as Taiwan writes it
    assert a.answer.startswith("(十四)持續優化產業布局") and "老工業基地" in a.answer
    # ...unless a sentence elsewhere, well above the clause, lists the things asked for
    b = answerer.ask("What are the Five Major Programs?")
    assert b.citations[0].source.unit.clause_id == "cm2025-2017/s1/i1"
    assert "smart manufacturing" in b.answer and "high-end equipment innovation" in b.answer


def test_a_chinese_question_names_an_english_item_by_most_of_its_title_s_senses(answerer, store):
    from policyqa.serve.titled import glossed_clauses

    sources = _sources(answerer, store, "en") + _items(answerer, store)
    assert glossed_clauses(answerer.bank, "下一步打算怎么优化制造业发展环境？", sources) == {"cm2025-2017/s3/i5@en"}
    assert glossed_clauses(answerer.bank, "怎么优化环境？", sources) == set()  # two words are not enough
    a = answerer.ask("中国制造2025实施报告里，工信部下一步打算怎么优化制造业发展环境？")
    assert a.citations[0].source.unit.clause_id == "cm2025-2017/s3/i5" and "Streamline administration" in a.answer


def _items(answerer, store):
    from policyqa.serve.records import Source

    return [Source(u, store.doc(u.doc_id), (), i, 0.5) for i, u in enumerate(store.units) if u.kind == "item"]


def _sources(answerer, store, lang):
    from policyqa.serve.records import Source

    return [Source(u, store.doc(u.doc_id), (), i, 0.5) for i, u in enumerate(store.units)
            if u.lang == lang and u.kind == "clause"]


@pytest.mark.parametrize("question,family,number", [
    ("What were MIIT's planned next steps as of 2017?", "cm2025-2017", 3),
    ("What main difficulties and problems did the report point out?", "cm2025-2017", 2),
    ("What does the report say about green manufacturing?", "cm2025-2017", None),  # names no heading
    ("下一步有什么安排？", "cm2025-2017", None),  # across languages a heading's words are not matched
])
def test_a_question_names_a_section_by_its_heading(answerer, store, question, family, number):
    lang = "en" if question.isascii() else "zh-Hans"
    assert titled_section(answerer.bank, store, question, family, lang) == number


def test_cover_is_the_idf_weighted_share_of_the_title_found(answerer):
    bank = answerer.bank
    title = ("next", "step")
    assert cover(bank, {"next", "step", "plan"}, title) == pytest.approx(1.0)
    assert cover(bank, {"next"}, title) == 0.0  # one word is too few to name anything
    share = bank.idf("main") + bank.idf("problem")
    assert cover(bank, {"main", "problem"}, ("main", "difficulti", "problem")) == pytest.approx(
        share / (share + bank.idf("difficulti")))


def test_a_section_named_by_its_heading_lists_its_items_with_their_lead_measures(answerer):
    a = answerer.ask("What were MIIT's planned next steps for China Manufacturing 2025 as of 2017?")
    assert a.question_type == "section"
    assert a.citations[0].source.unit.clause_id == "cm2025-2017/s3"
    assert "20 to 30 cities" in a.answer  # item 2's lead measure, not only its title
    # each lead measure whole: item 6's first sentence is over-long, and no piece of it is quoted alone
    assert all(re.sub(r"\s*\[\d+\]$", "", line).endswith(".") for line in a.answer.splitlines()[1:])
    assert "win-win cooperation" in a.answer


@pytest.mark.parametrize("question,expected", [
    ("下一步试点城市要扩大到多少个？", {"III. Next Steps"}),  # 下一步, split by jieba, counts whole
    ("報告說存在哪些主要困難和問題？", {"II. Main Difficulties and Problems"}),
    ("试点城市有哪些？", set()),  # names no heading
])
def test_a_chinese_question_names_an_english_section_through_its_senses(answerer, store, question, expected):
    from policyqa.serve.titled import glossed_sections

    assert glossed_sections(answerer.bank, store, question, ["cm2025-2017"]) == expected


def test_the_named_section_s_sentences_answer_first(answerer):
    # the next steps' 20 to 30 cities, not the 8 pilot cities approved so far
    a = answerer.ask("报告下一步打算把“中国制造2025”试点城市扩大到多少个？")
    assert a.citations[0].source.unit.clause_id == "cm2025-2017/s3/i2" and "20 to 30" in a.answer
    # naming a section, like naming a document, says the question is about the corpus: it answers
    # on the weaker support a named document gets, here without the document's name
    b = answerer.ask("下一步試點城市要擴大到多少個？")
    assert not b.abstained and "20 to 30" in b.answer


def test_a_numbered_slogan_is_found_as_english_writes_it():
    from policyqa.serve.titled import numbered_slogans

    patterns = numbered_slogans("「五大工程」指哪些？")
    assert len(patterns) == 1 and patterns[0].search("Five major programs were carried out")
    assert not patterns[0].search("15 key milestone projects")
    assert numbered_slogans("三大攻堅戰是什麼")[0].search("the three key battles")
    assert numbered_slogans("试点城市有哪些？") == []
    assert numbered_slogans("几大工程进展如何？")[0].search("Five Major Programs")  # however many


@pytest.mark.parametrize("question", ["截至2017年初，《中國製造2025》「五大工程」推進得怎麼樣了？",
                                      "中国制造2025的几大工程到2017年初取得了哪些初步成效？"])
def test_a_numbered_slogan_names_the_english_item_titled_by_it(answerer, question):
    a = answerer.ask(question)
    assert not a.abstained and a.citations[0].source.unit.clause_id == "cm2025-2017/s1/i1"
    assert "109 smart manufacturing pilot" in a.answer


@pytest.mark.parametrize("question", ["2017年那份《中国制造2025》实施情况报告里，“五大工程”具体指哪些？",
                                      # its clause ranks below the search's best eight: the slogan brings it in
                                      "中国制造2025的“五大工程”是指哪五个？"])
def test_the_five_major_programs_are_the_report_s_five_programs(answerer, question):
    a = answerer.ask(question)
    assert "national manufacturing innovation centers" in a.answer and "green manufacturing" in a.answer


def test_a_clause_named_by_its_title_in_an_overview_question_is_that_clause(answerer):
    # "X在指导意见里主要讲了什么": what the document says of X, not the document's overview
    a = answerer.ask("產業基礎再造工程在指導意見裏主要講了什麼？")
    assert a.question_type == "fact" and a.citations[0].source.unit.clause_id == "guiding-opinions-2023/c3"
    assert "基礎零部件" in a.answer and "共6部分" not in a.answer


@pytest.mark.parametrize("question,number", [
    ("What progress did report in March 2017?", 1),
    ("Overall, what had been achieved by early 2017?", 1),
    ("实施以来取得了哪些进展？", 1),
    ("What progress on product quality did it report?", None),  # a topic: its own clause answers
    ("What were the main difficulties?", 2),  # what stands in the way
    ("what obstacles did they see in rolling it out", 2),
    ("What difficulties did private investment meet?", None),  # a topic
    ("What's holding back , according to 2017 progress report?", 2),  # what holds it back; the report named
    ("What progress did the 2017 progress report say was made?", 1),  # asked of the report so named
    ("What are the next steps?", 3),
    ("對下一步工作有什麼安排？", 3),  # 下一步, which jieba splits
    ("接下来的工作安排有哪些？", 3),
    ("下一步工作有什么安排？我说的是那份报告", 3),  # as people write it
    ("下一步试点城市要扩大到多少个？", None),  # a fact of the next steps, not all of them
])
def test_progress_problems_or_next_steps_asked_of_a_whole_document_name_its_section_on_them(answerer, store, question, number):
    from policyqa.serve.titled import standing_section

    assert standing_section(answerer.bank, store, question, "cm2025-2017") == number
    assert standing_section(answerer.bank, store, question, "guiding-opinions-2023") is None  # no such heading


def test_progress_of_a_whole_document_is_its_standing_section_summed_up(answerer):
    a = answerer.ask("What progress on Made in China 2025 did MIIT report in March 2017?")
    assert a.question_type == "section" and a.answer.startswith("I. Progress of Main Activities")
    assert "eleven supporting plans" in a.answer and "8 cities" in a.answer


def test_a_document_s_goals_paragraph_is_the_one_setting_rates_by_a_deadline(store):
    from policyqa.serve.titled import goals_unit

    unit = goals_unit(store, GO, "zh-Hant")
    assert unit.key == f"{GO}/s1/p3@zh-Hant" and "90%" in unit.text and unit.text.startswith("到2027年")
    assert goals_unit(store, GO, "en").key == f"{GO}/s1/p3@en"
    assert goals_unit(store, "qiushi-2024", "en") is None  # no paragraph sets rates by a deadline


@pytest.mark.parametrize("question", [
    "258號文設了哪些量化目標？",
    "What measurable goals does the traditional manufacturing guidance set for the end of its planning horizon?",
])
def test_goals_asked_of_a_document_are_its_goals_paragraph(answerer, question):
    a = answerer.ask(question)
    assert not a.abstained and a.citations[0].source.unit.clause_id == f"{GO}/s1/p3"
    assert all(x in a.answer for x in ("90%", "70%", "13%", "57%"))
    assert len(a.citations) == 1  # the goals paragraph is the whole answer


def test_how_targets_are_to_be_met_is_answered_by_measures_not_the_goals_paragraph(answerer):
    a = answerer.ask("How does the 2023 traditional manufacturing guidance plan to cut carbon emissions?")
    assert not a.abstained and a.citations[0].source.unit.clause_id != f"{GO}/s1/p3"
    assert "carbon peak" in a.answer


@pytest.mark.parametrize("question,opening", [
    ("2017年那份报告把《中国制造2025》定位成什么？", "cm2025-2017/intro/p1"),
    ("How does the 2017 report characterize China Manufacturing 2025?", "cm2025-2017/intro/p1"),
    ("指导意见把传统制造业定位成什么？", f"{GO}/intro/p2"),  # past the addressees
])
def test_how_a_document_positions_its_own_subject_is_what_its_opening_says(answerer, question, opening):
    a = answerer.ask(question)
    assert not a.abstained and a.citations[0].source.unit.clause_id == opening


def test_only_scaffold_is_a_question_with_nothing_asked_but_the_position(answerer):
    from policyqa.serve.titled import only_scaffold

    assert only_scaffold(answerer.bank, "2017年那份报告把《 》定位成什么？")
    assert only_scaffold(answerer.bank, "工信部的報告把《》定位為什麼樣的綱領？")  # 什么样的X: the kind asked for
    assert not only_scaffold(answerer.bank, "求是文章把数字技术和实体经济融合定位成什么？")  # a topic of its own


def test_a_trailing_clause_that_only_says_which_document_is_left_out(answerer, store):
    from policyqa.serve.docscope import DocNames
    from policyqa.serve.titled import without_naming_clause

    keys = [k for k, f, _ in DocNames.from_store(store).names if f == "qiushi-2024"]
    drop = lambda q: without_naming_clause(answerer.bank, q, keys)  # noqa: E731
    assert drop("文章对新兴产业是怎么布局的？我说的是求是上工信部那篇") == "文章对新兴产业是怎么布局的？"
    assert drop("扩大内需这块，求是上工信部那篇文章打算怎么做？") == "扩大内需这块，求是上工信部那篇文章打算怎么做？"  # it asks
    assert drop("求是那篇文章，主要讲了哪几个方面？") == "求是那篇文章，主要讲了哪几个方面？"  # a leading clause stays


@pytest.mark.parametrize("question,family,number", [
    ("绿色低碳这一部分主要讲了啥？", GO, 4),
    ("绿色低碳那一部分主要讲了什么？", "qiushi-2024", 6),  # an English heading, by the words' senses
    ("What does the part of the Qiushi article on green development say?", "qiushi-2024", 6),
    ("绿色低碳方面有哪些要求？", GO, None),  # no part asked for: a topic, answered from its clauses
    ("这一部分主要讲了啥？", GO, None),  # no topic
])
def test_a_part_asked_for_by_its_topic_is_the_section_headed_by_it(answerer, store, question, family, number):
    from policyqa.serve.titled import section_on

    assert section_on(answerer.bank, store, question, family, "en" if question.isascii() else "zh-Hans") == number
