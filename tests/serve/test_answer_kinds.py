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


def test_a_facet_the_document_lacks_gives_way_to_the_next_one_asked(answerer):
    # "署名作者" reads as signatures and author: an article is signed by no department, but has an author
    a = answerer.ask("求是上那篇讲新型工业化重点任务的文章，署名作者是谁？")
    assert a.question_type == "doc_fact" and a.doc_scope["family"] == "qiushi-2024"
    assert a.answer.startswith("Author: CPC Leadership Group of the Ministry of Industry and Information Technology")
    b = answerer.ask("这篇讲新型工业化重点任务的求是文章是谁署名的？")
    assert b.answer.startswith("Author: CPC Leadership Group")


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
    hant = answerer.ask("第六部分講了什麼？")  # asked what it says: each item with its lead measure
    assert hant.items[0].text.startswith("(十五)加強組織領導：在國家製造強國建設領導小組領導下") and hant.citations[1].source.unit.lang == "zh-Hant"


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
    # an overview once the document's name is out ("主要讲了哪些内容" is no list)
    ("2017年《中國製造2025》實施情況那份材料主要講了哪些內容？", "cm2025-2017", "Next Steps"),
])
def test_a_document_asked_what_it_is_gets_its_overview(answerer, question, family, says):
    a = answerer.ask(question)
    assert a.question_type == "overview" and a.doc_scope["family"] == family and says in a.answer


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


def test_a_date_question_quotes_the_date_line_and_the_release_date(answerer):
    a = answerer.ask("When was the 2017 report released?")
    assert a.question_type == "doc_fact" and "March 11, 2017" in a.answer and "2017-03-14" in a.answer
    release = next(c for c in a.citations if c.source.unit.clause_id == "cm2025-2017/meta/date2")
    assert [q.text for q in release.quotes] == ["2017-03-14"]  # the date highlighted, not the page furniture
    assert a.document["date"] == "March 11, 2017"  # the card keeps the document's own date line


def test_when_and_where_says_a_line_that_answers_both_once(answerer):
    a = answerer.ask("When and where did the English version of the Qiushi piece come out?")
    assert a.question_type == "doc_fact" and "2024-03-11" in a.answer and "en.qstheory.cn" in a.answer
    assert a.answer.count("en.qstheory.cn") == 1 and a.answer.count("Originally appeared") == 1


def test_a_list_asked_of_a_prose_part_reaches_past_its_first_paragraph(answerer):
    # The Qiushi article's seventh part is three paragraphs under one heading, no numbered items;
    # the kinds of enterprise asked for are named in its third paragraph, the best match is its first,
    # and the part's heading matches the question: the part answers, each paragraph cited.
    a = answerer.ask("求是文章要培育哪些類型的優質企業？")
    assert a.question_type == "list"
    cited = [c.source.unit.clause_id for c in a.citations]
    assert cited == ["qiushi-2024/part7"] + [f"qiushi-2024/part7/p{i}" for i in (1, 2, 3)]
    assert "little giant" in a.answer and "single-product champion" in a.answer


def test_a_prose_part_quotes_the_paragraph_holding_the_best_sentence_whole(answerer):
    # part 1's first paragraph names the growth poles in its last sentence; the other paragraphs
    # keep their opening sentences
    a = answerer.ask("求是文章提到要讓哪些區域加快發展、打造工業增長極？")
    cited = [c.source.unit.clause_id for c in a.citations]
    assert a.question_type == "list" and cited[:2] == ["qiushi-2024/part1", "qiushi-2024/part1/p1"]
    assert "Beijing-Tianjin-Hebei" in a.answer and "Greater Bay Area" in a.answer
    p1 = next(c for c in a.citations if c.source.unit.clause_id == "qiushi-2024/part1/p1")
    assert "".join(q.text for q in p1.quotes).endswith("industrial growth poles.")


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


def test_a_section_asked_for_by_number_and_summed_up_states_each_item_s_lead_measure(answerer):
    a = answerer.ask("第四部分讲了什么？")
    assert a.question_type == "section" and a.answer.startswith("四、强化绿色低碳发展")
    assert "（九）完善绿色制造和服务体系：引导企业实施绿色化改造" in a.answer
    # ...its measures past the first, up to SUMMARY_CHARS each
    en = answerer.ask("Summarize section III of the traditional manufacturing guiding opinions.")
    assert en.question_type == "section" and "smart factories" in en.answer and "chain-network collaboration" in en.answer
    # ...and so does one asking what it covers or proposes
    covered = answerer.ask("what's covered in part III of the guiding opinions?")
    assert covered.question_type == "section" and "smart factories" in covered.answer
    # ...while a bare reference keeps to the titles
    b = answerer.ask("第四部分")
    assert b.question_type == "section" and "（九）完善绿色制造和服务体系[" in b.answer


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


def test_an_essay_s_numbered_task_is_its_part(answerer):
    # the Qiushi article numbers no clauses: its second key task is its second part
    a = answerer.ask("求是文章說的第二項重點任務是什麼？")
    assert a.question_type == "section"
    assert a.citations[0].source.unit.clause_id == "qiushi-2024/part2"
    assert "resilience and security" in a.answer
    # a document that numbers its clauses keeps the clause: （二） of the Guiding Opinions
    b = answerer.ask("指导意见第二条讲什么？")
    assert b.citations[0].source.unit.clause_id == "guiding-opinions-2023/c2"


def test_a_clause_asked_for_by_its_reference_is_quoted_whole(answerer, store):
    from policyqa.serve.outline import CLAUSE_CHARS, REFERENCED_CHARS

    item = next(u for u in store.units if u.key == "cm2025-2017/s1/i6@en")
    assert CLAUSE_CHARS["en"] < len(item.text) <= REFERENCED_CHARS["en"]  # longer than a clause quoted in passing
    a = answerer.ask("What does item 6 of section I of the 2017 China Manufacturing 2025 implementation report say?")
    assert a.question_type == "section" and "34.1%" in a.answer  # its last sentence too


@pytest.mark.parametrize("question,family,says", [
    ("Was the traditional manufacturing upgrading policy a State Council document? If not, who issued it?",
     GO, "seven other departments"),
    ("What is the full official title of the MIIT-led policy on traditional manufacturing?", GO, "Guiding Opinions"),
])
def test_a_document_fact_of_a_described_document_is_asked_of_the_document_whose_title_it_echoes(answerer, question,
                                                                                              family, says):
    a = answerer.ask(question)
    assert a.question_type == "doc_fact" and a.doc_scope["family"] == family and says in a.answer


def test_a_list_of_measures_is_not_anchored_by_the_document_s_opening(answerer):
    # the opening paragraph names the subject (传统制造业…安全水平) and ranks first; the measures asked for are （十一）'s
    a = answerer.ask("傳統製造業指導意見在安全生產方面提出了哪些要求？")
    assert not a.abstained and a.citations[0].source.unit.clause_id == "guiding-opinions-2023/c11"
    assert "安全生產" in a.answer


@pytest.mark.parametrize("question,said", [
    ("工信部黨組文章說要鞏固哪些行業的全產業鏈優勢？", "high-speed rail"),  # 全产业链: "entire industrial chains"
    ("求是那篇談新型工業化的文章，對北斗有什麼提法？", "BeiDou"),
])
def test_a_policy_term_found_whole_in_its_english_rendering_chooses_the_sentence(answerer, question, said):
    a = answerer.ask(question)
    assert not a.abstained and said in a.answer
    # quoted from a clause among the first two cited, not a far-down one
    assert any(said in c.source.unit.text for c in a.citations[:2])
