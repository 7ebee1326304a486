"""The issue's questions, in the user's own wording, answered over the real bundled corpus and model:
document facts quoted from the fact lines, structure answers with one citation per item, complete
fact answers, and honest abstention."""
from __future__ import annotations

import pytest

GO = "guiding-opinions-2023"


def test_date_of_this_document_cites_the_date_line(answerer):
    a = answerer.ask("这份文件的发文日期是？")
    assert not a.abstained and a.question_type == "doc_fact" and "2023年12月28日" in a.answer
    c = a.citations[0]
    assert c.source.unit.clause_id == f"{GO}/meta/date" and c.source.unit.kind == "date"
    assert c.quotes[0].text == "2023年12月28日" and a.doc_scope["family"] == GO
    assert a.to_dict()["document"]["number"] == "工信部联规〔2023〕258号"


def test_document_number_names_the_document(answerer):
    a = answerer.ask("258号文讲的是什么？")
    assert not a.abstained and a.doc_scope["family"] == GO and a.doc_scope["reason"] == "named"
    for fact in ("关于加快传统制造业转型升级的指导意见", "工业和信息化部等八部门", "工信部联规〔2023〕258号"):
        assert fact in a.answer
    assert {c.source.unit.kind for c in a.citations} >= {"title", "number"}


def test_signatories_one_item_each(answerer):
    a = answerer.ask("Who signed the Guiding Opinions?")
    assert a.question_type == "doc_fact" and len(a.items) == 8
    assert a.items[-1].text == "China Securities Regulatory Commission"
    assert {i.n for i in a.items} == {1} and a.citations[0].source.unit.kind == "signature"
    assert len(a.citations[0].quotes) == 8  # each name highlighted where it stands


def test_the_addressees_are_quoted_from_the_salutation_in_the_question_script(answerer):
    a = answerer.ask("這份指導意見的主送單位有哪些？")
    assert a.question_type == "doc_fact" and a.answer.startswith("主送：各省、自治區")
    [c] = a.citations
    assert c.source.unit.clause_id == "guiding-opinions-2023/intro/p1" and c.source.unit.lang == "zh-Hant"
    assert "有關中央企業" in a.answer and not a.answer.rstrip(" [1]").endswith("：")


def test_sections_listed_as_written_each_cited(answerer):
    a = answerer.ask("List the sections of the Guiding Opinions.")
    assert a.question_type == "outline"
    assert [i.text.split(" ")[0] for i in a.items] == ["I.", "II.", "III.", "4.", "5.", "6."]
    assert [i.n for i in a.items] == [1, 2, 3, 4, 5, 6]
    assert [c.source.unit.clause_id for c in a.citations] == [f"{GO}/s{i}" for i in range(1, 7)]


def test_part_six_lists_its_clauses_in_the_question_script(answerer):
    a = answerer.ask("第六部分有哪些政策保障？")
    assert a.question_type == "section" and a.doc_scope["family"] == GO
    assert [i.text for i in a.items] == ["（十五）加强组织领导", "（十六）加大财税支持", "（十七）强化金融服务", "（十八）扩大人才供给"]
    assert all(c.source.unit.lang == "zh-Hans" for c in a.citations)
    assert len({i.n for i in a.items}) == 4
    hant = answerer.ask("第六部分講了什麼？")
    assert hant.items[0].text == "(十五)加強組織領導" and hant.citations[1].source.unit.lang == "zh-Hant"


def test_qiushi_on_artificial_intelligence(answerer):
    a = answerer.ask("What does the Qiushi article say about artificial intelligence?")
    assert not a.abstained and a.doc_scope["family"] == "qiushi-2024"
    assert "artificial general intelligence" in a.answer
    assert all(c.source.unit.doc_id == "qiushi-2024" for c in a.citations)


def test_overview_of_the_2017_report(answerer):
    a = answerer.ask("Give me an overview of the 2017 report.")
    assert a.question_type == "overview" and a.doc_scope["family"] == "cm2025-2017"
    assert "first ten-year action guideline" in a.answer
    assert [i.text for i in a.items if i.level == 0] == ["I. Progress of Main Activities",
                                                         "II. Main Difficulties and Problems", "III. Next Steps"]
    # each part's numbered items follow it, nested: 6 + 3 + 6 in the report
    levels = [i.level for i in a.items]
    assert levels == [0] + [1] * 6 + [0] + [1] * 3 + [0] + [1] * 6
    nested = [i.text for i in a.items if i.level == 1]
    assert nested[6] == "1. International environment remains complicated and challenging"
    assert "\n  1. International environment remains complicated and challenging [" in a.answer
    assert not a.answer.split("\n")[1].rstrip(" [2]").endswith(",")  # the purpose sentence is whole


def test_2027_targets_complete_and_never_the_news_lead(answerer):
    a = answerer.ask("What are the 2027 targets of the Guiding Opinions?")
    for figure in ("90%", "70%", "13%", "57%"):
        assert figure in a.answer
    assert all("/lead" not in c.source.unit.clause_id for c in a.citations)
    assert a.citations[0].source.unit.clause_id == f"{GO}/s1/p3"


@pytest.mark.parametrize("question", ["金融方面有哪些支持？", "银行贷款有什么优惠？", "税收方面有什么政策？",
                                      "How will banks and financial institutions support the transformation?"])
def test_salutation_never_answers(answerer, question):
    a = answerer.ask(question)
    assert all(c.source.unit.clause_id != f"{GO}/intro/p1" for c in a.citations)
    assert "有关中央企业：" not in a.answer and "relevant central enterprises:" not in a.answer


@pytest.mark.parametrize("question", ["xqzv plorf wnbb kkdj", "<script>alert(1)</script>", "<b></b><i>qwrtp</i>",
                                      "What's the weather in Beijing tomorrow?", "紅燒肉怎麼做？"])
def test_noise_and_out_of_scope_abstain(answerer, question):
    assert answerer.ask(question).abstained


def test_chosen_document_gives_this_document_its_meaning(answerer):
    a = answerer.ask("Who issued this document?", doc="cm2025-2017")
    assert a.doc_scope["family"] == "cm2025-2017" and a.doc_scope["reason"] == "chosen"
    assert "Ministry of Industry and Information Technology" in a.answer


def test_json_keeps_every_field_and_adds_the_new_ones(answerer):
    d = answerer.ask("指导意见分为哪几部分？").to_dict()
    for key in ("question", "answer", "abstained", "took_ms", "lang", "mode", "generator", "support", "threshold",
                "citations", "related", "question_type", "doc_scope", "items"):
        assert key in d
    assert d["question_type"] == "outline" and d["items"][0] == {"text": "一、发展基础和总体要求", "n": 1, "level": 0}


def test_llm_gets_the_typed_sources_and_keeps_its_checks(searcher, config):
    """A document-fact question through the optional LLM: the fact line is given as a labelled
    source, a cited reply is used, an uncited one falls back to the extractive answer."""
    from policyqa.serve.answer import Answerer
    from policyqa.serve.llm import LLMClient
    from tests.serve.fake_llm import FakeLLM

    with FakeLLM() as fake:
        answerer = Answerer(searcher, config, llm=LLMClient(fake.base_url, "m", "k", timeout=5))
        fake.reply = "文件落款日期为2023年12月28日。[1]"
        a = answerer.ask("这份文件的发文日期是？")
        sent = fake.requests[-1]["messages"][1]["content"]
        assert "date line" in sent and "2023年12月28日" in sent
        assert a.generator == "llm" and a.citations[0].source.unit.kind == "date"
        assert a.citations[0].quotes[0].text == "2023年12月28日"
        fake.reply = "It was issued at the end of 2023."
        b = answerer.ask("这份文件的发文日期是？")
        assert b.generator == "extractive" and "cites no clause" in b.llm_fallback and "2023年12月28日" in b.answer


def test_topic_sentence_is_continued_by_its_paragraph(answerer):
    # "Green is the defining feature of new industrialization." alone tells the asker nothing.
    # Green development is the sixth part's title: the part answers, each paragraph past its topic line.
    a = answerer.ask("求是文章怎么讲绿色发展？")
    assert [c.source.unit.clause_id for c in a.citations][:2] == ["qiushi-2024/part6", "qiushi-2024/part6/p1"]
    assert "peak carbon emissions" in a.answer


def test_a_list_question_about_prose_is_answered_from_its_sentences(answerer):
    # Qiushi's "Fourth, ..." heads paragraphs, not numbered items: its children are no list.
    a = answerer.ask("求是文章提到哪些地区要培育工业增长极？")
    assert a.question_type == "list" and not a.items
    assert "Yangtze River Delta" in a.answer and "Beijing-Tianjin-Hebei" in a.answer


def test_how_many_departments_quotes_the_document(answerer):
    a = answerer.ask("这份指导意见是几个部门联合发的？")
    assert a.question_type == "doc_fact" and "八部门" in a.answer


@pytest.mark.parametrize("question,family,says", [
    ("258号文是什么？", "guiding-opinions-2023", "关于加快传统制造业转型升级的指导意见"),
    ("What is China Manufacturing 2025, according to MIIT's 2017 report?", "cm2025-2017", "first ten-year action guideline"),
])
def test_a_document_asked_what_it_is_gets_its_overview(answerer, question, family, says):
    a = answerer.ask(question)
    assert a.question_type == "overview" and a.doc_scope["family"] == family and says in a.answer


def test_an_overview_asked_as_a_problem_quotes_the_problems(answerer):
    a = answerer.ask("What problem does the Guiding Opinions try to solve?")
    assert a.question_type == "overview" and "large but not strong" in a.answer
    plain = answerer.ask("What is the Guiding Opinions about?")
    assert "large but not strong" not in plain.answer  # an ordinary overview stays short


def test_a_how_question_gets_the_clause_measures_not_one_line(answerer):
    # a one-sentence answer ("This will ensure that ... remain stable") says nothing of how
    # The question is the title of the article's second part: the part, both paragraphs, answers.
    a = answerer.ask("求是文章說要怎麼增強產業鏈供應鏈的韌性和安全？")
    cited = [c.source.unit.clause_id for c in a.citations]
    assert cited == ["qiushi-2024/part2", "qiushi-2024/part2/p1", "qiushi-2024/part2/p2"]
    for measure in ("shore up weaknesses", "consolidating strengths", "reinforce foundations"):
        assert measure in a.answer


def test_a_list_from_content_prefers_the_sentence_that_enumerates(answerer):
    a = answerer.ask("In which consumer fields should traditional manufacturers develop new products?")
    assert "smart home" in a.answer and "infant and child products" in a.answer
    b = answerer.ask("实施技术改造升级工程要加快哪几方面？")
    assert "设备更新、工艺升级、数字赋能、管理创新" in b.answer


def test_an_overview_quotes_purpose_principles_and_the_nested_outline(answerer):
    a = answerer.ask("What is the Qiushi article about?")
    assert "adhere to the general principle" in a.answer
    hant = answerer.ask("請概括一下這份文件。")  # the purpose paragraph is found in the 繁 version too
    assert "戰略選擇" in hant.answer and "提出如下意見" in hant.answer
    assert "(十五)加強組織領導" in hant.answer or "（十五）加強組織領導" in hant.answer
    assert any(i.level == 1 for i in hant.items)


def test_a_prose_section_shares_its_length_among_paragraphs(answerer):
    a = answerer.ask("What does the third part of the Qiushi piece say?")
    assert a.question_type == "section"
    assert "additional tax deductions" in a.answer and "standardization" in a.answer  # paragraphs 2 and 3


def test_a_topic_summary_quotes_several_clauses(answerer):
    # "概括一下" with a topic is no whole-document overview: the topic's clauses, one sentence each
    a = answerer.ask("文件里关于技术改造都有哪些安排？概括一下")
    assert a.question_type == "fact" and len(a.citations) >= 3
    assert len({c.source.unit.clause_id for c in a.citations}) == len(a.citations)
    assert "技术改造" in a.answer and "共6部分" not in a.answer


@pytest.mark.parametrize("question,clause", [("第四部分的第一條說了什麼？", "c8"), ("第五部分最后一条讲的是什么？", "c14")])
def test_an_ordinal_within_a_part_counts_that_parts_clauses(answerer, question, clause):
    a = answerer.ask(question)  # part 4 opens with clause (八), part 5 closes with (十四)
    assert a.question_type == "section"
    assert a.citations[0].source.unit.clause_id == f"{GO}/{clause}"


def test_an_item_under_a_part_named_by_its_title(answerer):
    a = answerer.ask("What's in point 2 of the Next Steps in the 2017 report?")
    assert a.question_type == "section" and a.citations[0].source.unit.clause_id == "cm2025-2017/s3/i2"
    assert "pilot cities" in a.answer
    # "Main" is in two headings; "Progress … Activities" names one
    a = answerer.ask("Summarize item 4 under 'Progress of Main Activities' in the 2017 report.")
    assert a.question_type == "section" and a.citations[0].source.unit.clause_id == "cm2025-2017/s1/i4"


def test_an_overview_of_prose_parts_gives_each_part_its_topic_sentence(answerer):
    a = answerer.ask("give me the gist of what role each of the Qiushi article's seven tasks plays for new industrialization")
    assert a.question_type == "overview"
    nested = [i.text for i in a.items if i.level == 1]
    assert len(nested) == 7 and nested[0] == "Stable growth is a crucial foundation for advancing new industrialization."


def test_a_topic_summary_quotes_its_best_clause_in_full(answerer):
    a = answerer.ask("文件裡關於質量和品牌的內容，總結一下")
    assert a.citations[0].source.unit.clause_id == f"{GO}/c4"
    assert "老字號" in a.answer and "中國消費名品方陣" in a.answer


def test_a_date_question_quotes_the_date_line_and_the_release_date(answerer):
    a = answerer.ask("When was the 2017 report released?")
    assert a.question_type == "doc_fact" and "March 11, 2017" in a.answer and "2017-03-14" in a.answer
    release = next(c for c in a.citations if c.source.unit.clause_id == "cm2025-2017/meta/date2")
    assert [q.text for q in release.quotes] == ["2017-03-14"]  # the date highlighted, not the page furniture
    assert a.document["date"] == "March 11, 2017"  # the card keeps the document's own date line


def test_a_list_asked_of_a_prose_part_reaches_past_its_first_paragraph(answerer):
    # The Qiushi article's seventh part is three paragraphs under one heading, no numbered items;
    # the kinds of enterprise asked for are named in its third paragraph, the best match is its first,
    # and the part's heading matches the question: the part answers, each paragraph cited.
    a = answerer.ask("求是文章要培育哪些類型的優質企業？")
    assert a.question_type == "list"
    cited = [c.source.unit.clause_id for c in a.citations]
    assert cited == ["qiushi-2024/part7"] + [f"qiushi-2024/part7/p{i}" for i in (1, 2, 3)]
    assert "little giant" in a.answer and "single-product champion" in a.answer


def test_a_how_question_on_a_section_states_each_item_s_lead_measure(answerer):
    a = answerer.ask("How does the Guiding Opinions deal with green and low-carbon development overall?")
    assert a.question_type == "list" and [c.source.unit.clause_id.rsplit("/", 1)[-1] for c in a.citations] == [
        "s4", "c8", "c9", "c10", "c11"]
    nine = next(i for i in a.items if i.text.startswith("(9)"))
    assert nine.text.startswith("(9) Improve green manufacturing and service systems: Guide enterprises")
    assert "green supply chains" in nine.text and len(a.citations[2].quotes) == 2  # title and sentence, each highlighted
    # A list question on the same section keeps to the titles.
    titles = answerer.ask("绿色低碳方面有哪些重点任务？")
    assert all("：" not in i.text for i in titles.items)


def test_a_document_fact_asked_with_an_overview_gets_both_numbered_on(answerer):
    a = answerer.ask("簡單介紹一下這份指導意見：誰發的、核心是什麼")
    assert a.question_type == "doc_fact" and a.doc_scope["family"] == GO
    kinds = [c.source.unit.kind for c in a.citations]
    assert kinds[:3] == ["title", "number", "signature"]  # the card line, then the fact asked
    assert "工信部聯規〔2023〕258號" in a.answer or "工信部联规〔2023〕258号" in a.answer
    assert "到2027年" in a.answer and "六、加大政策支持力度" in a.answer  # the overview: goal and outline
    assert [c.n for c in a.citations] == list(range(1, len(a.citations) + 1))
    only = answerer.ask("這份指導意見是誰發的？")
    assert "到2027年" not in only.answer  # a fact alone stays short


def test_a_digest_quotes_up_to_two_sentences_of_each_other_clause(answerer):
    from policyqa.serve.facts import DIGEST_PER_CLAUSE
    from policyqa.serve.question import classify

    question = "政府在財稅、金融上會怎麼支持傳統製造業轉型？整理一下文件的說法"
    assert classify(question).digest
    a = answerer.ask(question)
    assert a.question_type == "fact"
    others = [len(c.quotes) for c in a.citations[1:]]
    assert others and max(others) == DIGEST_PER_CLAUSE == 2
    assert "技術改造資金" in a.answer or "税收优惠" in a.answer or "稅收優惠" in a.answer


def test_a_summary_of_a_topic_in_the_document_answers_in_every_script(answerer):
    # "文件裡" mid-question means this document as "文件…" at its start does: the principal one.
    for question in ("幫我總結一下文件裡關於金融支持的內容", "总结一下文件里关于金融支持的内容"):
        a = answerer.ask(question)
        assert not a.abstained and a.doc_scope["family"] == GO, question
        assert a.citations[0].source.unit.clause_id == f"{GO}/c17", question


@pytest.mark.parametrize("question", ["文件里关于数字化转型和智能制造的部署，帮我概括一下",
                                      "關於產業融合、新業態新模式，文件都說了些啥"])
def test_a_topic_that_is_a_section_is_summed_up_by_its_clauses_in_full(answerer, question):
    from policyqa.serve.question import classify

    assert classify(question).digest
    a = answerer.ask(question)
    heading, *clauses = [c.source.unit for c in a.citations]
    assert a.question_type == "list" and heading.kind == "heading" and len(clauses) == 3
    for unit, quoted in zip(clauses, a.citations[1:]):
        body = "".join(q.text for q in quoted.quotes)
        assert unit.text.endswith(body[-20:]), unit.key  # each clause quoted to its last sentence
    assert ("产业大脑" in a.answer and "虚拟园区" in a.answer) or ("服務型製造" in a.answer and "一帶一路" in a.answer)


def test_a_topic_that_is_one_clause_is_not_answered_with_its_whole_section(answerer):
    a = answerer.ask("文件裡關於質量和品牌的內容，總結一下")
    assert a.question_type == "fact" and all(c.source.unit.kind != "heading" for c in a.citations)


def test_a_year_the_nearest_clauses_never_mention_is_out_of_scope():
    from policyqa.serve.facts import unmatched_year

    assert unmatched_year("2024年12月PMI是多少？", ["2016年，数字化研发设计工具普及率达到61.8%", "2017-06-30"]) == "2024"
    assert unmatched_year("What happened in 2016 and 2017?", ["In 2016 …", "2017-06-30"]) is None
    assert unmatched_year("中国制造2025的五大工程", ["China Manufacturing 2025"]) is None
    assert unmatched_year("增长20.18%、降低2019.5吨", ["无年份"]) is None  # figures, not years
    # a year inside a document's name is no mention of that year, in the texts or in the question,
    # whichever script either is written in
    assert unmatched_year("2025年新能源汽车购置税怎么减免？", ["对标“中国制造2025”"], ["中国制造2025"]) == "2025"
    assert unmatched_year("2025年的目标", ["对标中国制造2025，到2025年"], ["中国制造2025"]) is None
    assert unmatched_year("《中國製造2025》實施情況報告的困難", ["2016年"], ["中国制造2025"]) is None


def test_an_unscoped_question_about_another_year_abstains(answerer):
    assert answerer.ask("2024年12月中國製造業PMI是多少？").abstained
    a = answerer.ask("What was China's manufacturing output growth in 2019?")
    assert a.abstained and a.note == "The documents never mention 2019."
    assert answerer.ask("What 2020 targets did the original 2015 Made in China 2025 plan set for manufacturing innovation?").abstained
    assert answerer.ask("2025年新能源汽车购置税减免政策具体是怎样的？").abstained  # 2025 only in 中国制造2025
    # Asked of one document, the year is looked for in all of it: the Guiding Opinions never say 2030.
    a = answerer.ask("What CNC rate for key processes do the Guiding Opinions set as the 2030 target?")
    assert a.abstained and a.note == "The documents never mention 2030."
    assert not answerer.ask("What CNC rate for key processes do the Guiding Opinions set as the 2027 target?").abstained
    assert not answerer.ask("中國製造2025實施情況報告裡提到了哪些主要困難和問題？").abstained  # 2025 is in its name
    a = answerer.ask("How many national low-carbon industrial parks had been built by 2017?")  # the report's year
    assert not a.abstained


def test_has_figure_reads_digits_numerals_with_measure_words_and_number_words():
    from policyqa.serve.facts import has_figure

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


def test_the_name_of_the_document_asked_about_does_not_choose_its_sentences(answerer):
    # "China Manufacturing 2025" is in the report's opening paragraph; it answered every question
    a = answerer.ask("中國製造2025實施情況中，綠色製造取得了哪些進展？")
    assert a.citations[0].source.unit.clause_id == "cm2025-2017/s1/i1"
    assert "51 national low-carbon industrial parks" in a.answer
    a = answerer.ask("中国制造2025实施情况里，下一步要做哪些工作？")
    assert [c.source.unit.clause_id for c in a.citations][:2] == ["cm2025-2017/s3", "cm2025-2017/s3/i1"]


def test_a_prose_part_summed_up_reaches_past_each_paragraph_s_topic_line(answerer):
    from policyqa.serve.outline import SECTION_CHARS

    a = answerer.ask("Can you summarize the seventh part of the Qiushi article?")
    assert a.question_type == "section" and "single-product champion" in a.answer and "overdue payments to SMEs" in a.answer
    quoted = sum(len(q.text) for c in a.citations[1:] for q in c.quotes)
    assert quoted <= SECTION_CHARS["en"] + 400  # bounded: each paragraph stops at a whole sentence


def test_an_essay_part_answers_a_list_only_when_its_own_paragraph_holds_the_best_sentence(answerer):
    # "稳增长方面有哪些举措" is the first part's topic: its three paragraphs, the last one included.
    a = answerer.ask("求是文章里稳增长方面有哪些举措")
    assert [c.source.unit.clause_id for c in a.citations] == ["qiushi-2024/part1"] + [
        f"qiushi-2024/part1/p{i}" for i in (1, 2, 3)]
    assert "monitoring, forecasting, and early warning" in a.answer and "rural households" in a.answer
    # The regions to grow are one sentence of part four: that sentence's paragraph answers, not the part.
    a = answerer.ask("求是文章提到哪些地区要培育工业增长极？")
    assert "qiushi-2024/part4" not in [c.source.unit.clause_id for c in a.citations]


def test_a_topic_named_in_several_clauses_is_gathered_clause_by_clause(answerer):
    # Parks (园区) are named in four clauses, none of which lists them all, and the search's best
    # clause for this question names none: each clause that does gives its line, in reading order.
    a = answerer.ask("意见里对各类园区提了哪些要求？")
    cited = [c.source.unit.clause_id for c in a.citations]
    assert cited == [f"guiding-opinions-2023/c{n}" for n in (7, 9, 11, 13)]
    assert [i.n for i in a.items] == [1, 2, 3, 4]
    for park in ("虚拟园区", "绿色工业园区", "智慧化工园区", "创意设计园区"):
        assert park in a.answer
    assert a.answer.startswith("（七）推动产业园区和集群整体改造升级：")  # the clause's number and title first


def test_gathering_needs_a_topic_word_shared_by_a_few_clauses(answerer):
    from policyqa.serve.mentions import gather

    fam = "guiding-opinions-2023"
    # 园区 is in four clauses; 制造业 in nearly all (a theme, not a topic); 要求 asks, names nothing.
    assert gather(answerer, "园区", fam, "zh-Hans", None) is not None
    assert gather(answerer, "制造业", fam, "zh-Hans", None) is None
    assert gather(answerer, "有哪些要求", fam, "zh-Hans", None) is None
    # The best clause naming the topic answers itself; an English-only document is not matched by
    # Chinese words.
    c9 = next(u for u in answerer.store.units if u.key == "guiding-opinions-2023/c9@zh-Hans")
    assert gather(answerer, "园区", fam, "zh-Hans", None, anchor=c9) is None
    assert gather(answerer, "园区", "qiushi-2024", "zh-Hans", None) is None


@pytest.mark.parametrize("question,principle", [
    ("這份文件怎麼處理政府和市場的關係？", "堅持市場主導、政府引導"),
    ("指导意见怎么平衡新旧动能，也就是“立”和“破”的关系？", "坚持先立后破、有保有压"),
])
def test_a_question_about_a_balance_quotes_the_guiding_principles_first(answerer, question, principle):
    a = answerer.ask(question)
    assert a.citations[0].source.unit.clause_id == "guiding-opinions-2023/s1/p2"
    assert principle in a.citations[0].quotes[0].text and principle in a.answer.split("[1]")[0]
    assert len({c.source.unit.clause_id for c in a.citations}) == len(a.citations)  # cited once, not again below
    other = answerer.ask("這份文件怎麼支持企業技術改造？")  # no balance asked: no principles paragraph
    assert all(c.source.unit.clause_id != "guiding-opinions-2023/s1/p2" for c in other.citations)


def test_a_list_best_answered_by_an_english_only_report_is_not_gathered_from_a_chinese_document(answerer):
    # The search's best sentence is the 2017 report's (English only); the Guiding Opinions have a
    # version in the question's script and name 融合 in several clauses, but they answer nothing here.
    a = answerer.ask("2016年製造業和互聯網融合有哪些成效？")
    assert [c.source.unit.clause_id for c in a.citations] == ["cm2025-2017/s1/i5"]
    assert "61.8%" in a.answer


@pytest.mark.parametrize("question", ["文件在数字化这一块是怎么说的？总结一下", "這份指導意見在數字化這塊都講了什麼？總結下"])
def test_a_topic_whose_best_sentences_fill_one_section_is_summed_up_by_that_section(answerer, question):
    from policyqa.eval.keyfacts import normalise
    from policyqa.serve.kinds import DIGEST_VOTE

    # Section three's heading scores far below the best sentence, but its clauses hold the best sentences.
    a = answerer.ask(question)
    assert [c.source.unit.clause_id for c in a.citations] == [f"guiding-opinions-2023/{k}" for k in ("s3", "c5", "c6", "c7")]
    assert "产业大脑" in normalise(a.answer) and "智能工厂" in normalise(a.answer)
    assert DIGEST_VOTE == (3, 4)


def test_the_section_vote_counts_the_best_sentences_by_section(answerer):
    from types import SimpleNamespace

    from policyqa.serve.kinds import _section_vote

    store = answerer.store
    heads = [u for u in store.units if u.lang == "zh-Hans" and u.clause_id in ("guiding-opinions-2023/s2", "guiding-opinions-2023/s3")]
    candidates = [("guiding-opinions-2023", u) for u in heads]  # s2, s3 in document order
    unit = {u.clause_id: u for u in store.units if u.lang == "zh-Hans"}

    def ranked(*cids):
        return [SimpleNamespace(source=SimpleNamespace(unit=unit[f"guiding-opinions-2023/{c}"])) for c in cids]

    # Clauses in the order of their best sentence, the first four counted: three of them in s3 wins.
    assert _section_vote(store, candidates, ranked("c5", "c6", "c5", "c2", "c7")) == 1
    assert _section_vote(store, candidates, ranked("c5", "c5", "c5", "c5", "c2", "c3")) is None  # one clause is no spread
    assert _section_vote(store, candidates, ranked("c5", "c6", "c2", "c3", "c7")) is None  # s3's third clause comes fifth


def test_an_unscoped_question_about_a_place_the_corpus_never_names_abstains_and_says_so(answerer):
    a = answerer.ask("台灣對半導體產業有哪些租稅優惠？")
    assert a.abstained and "台湾" in a.note.replace("臺", "台") or "台灣" in a.note
    assert not answerer.ask("京津冀、长三角在工业稳增长中要扮演什么角色？").abstained
