"""A topic summed up or gathered, over the real bundled corpus and model: the best clause in full,
a section whose clauses hold the topic, or each clause that names it, cited in reading order; the
problems a document addresses, where things stand, and how it characterizes things."""
from __future__ import annotations

import pytest

GO = "guiding-opinions-2023"


def test_a_topic_summary_quotes_several_clauses(answerer):
    # "概括一下" with a topic is no whole-document overview: the topic's clauses, one sentence each
    a = answerer.ask("文件里关于技术改造都有哪些安排？概括一下")
    assert a.question_type == "fact" and len(a.citations) >= 3
    assert len({c.source.unit.clause_id for c in a.citations}) == len(a.citations)
    assert "技术改造" in a.answer and "共6部分" not in a.answer


def test_a_topic_summary_quotes_its_best_clause_in_full(answerer):
    a = answerer.ask("文件裡關於質量和品牌的內容，總結一下")
    assert a.citations[0].source.unit.clause_id == f"{GO}/c4"
    assert "老字號" in a.answer and "中國消費名品方陣" in a.answer


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
    # a verb of direction ("boosting", 提升) says which way, not what: no topic either
    assert gather(answerer, "boosting", "qiushi-2024", "en", None) is None
    # The best clause naming the topic answers itself; an English-only document is not matched by
    # Chinese words.
    c9 = next(u for u in answerer.store.units if u.key == "guiding-opinions-2023/c9@zh-Hans")
    assert gather(answerer, "园区", fam, "zh-Hans", None, anchor=c9) is None
    assert gather(answerer, "园区", "qiushi-2024", "zh-Hans", None) is None


def test_a_list_best_answered_by_an_english_only_report_is_not_gathered_from_a_chinese_document(answerer):
    # The search's best sentence is the 2017 report's (English only); the Guiding Opinions have a
    # version in the question's script and name 融合 in several clauses, but they answer nothing here.
    a = answerer.ask("2016年製造業和互聯網融合有哪些成效？")
    cited = [c.source.unit.clause_id for c in a.citations]
    assert cited[0] == "cm2025-2017/s1/i5" and "61.8%" in a.answer
    # not gathered (a line per Guiding Opinions clause naming 融合): the report's clauses come first, and
    # another document adds at most the close sentences of OTHER_CLAUSES clauses after them
    assert cited[:2] == ["cm2025-2017/s1/i5", "cm2025-2017/s1/i6"] and len(cited) <= 4


@pytest.mark.parametrize("question", ["文件在数字化这一块是怎么说的？总结一下", "這份指導意見在數字化這塊都講了什麼？總結下"])
def test_a_topic_whose_best_sentences_fill_one_section_is_summed_up_by_that_section(answerer, question):
    from policyqa.eval.keyfacts import normalise
    from policyqa.serve.sectionlist import DIGEST_VOTE

    # Section three's heading scores far below the best sentence, but its clauses hold the best sentences.
    a = answerer.ask(question)
    assert [c.source.unit.clause_id for c in a.citations] == [f"guiding-opinions-2023/{k}" for k in ("s3", "c5", "c6", "c7")]
    assert "产业大脑" in normalise(a.answer) and "智能工厂" in normalise(a.answer)
    assert DIGEST_VOTE == (3, 4)


def test_the_section_vote_counts_the_best_sentences_by_section(answerer):
    from types import SimpleNamespace

    from policyqa.serve.sectionlist import section_vote

    store = answerer.store
    heads = [u for u in store.units if u.lang == "zh-Hans" and u.clause_id in ("guiding-opinions-2023/s2", "guiding-opinions-2023/s3")]
    candidates = [("guiding-opinions-2023", u) for u in heads]  # s2, s3 in document order
    unit = {u.clause_id: u for u in store.units if u.lang == "zh-Hans"}

    def ranked(*cids):
        return [SimpleNamespace(source=SimpleNamespace(unit=unit[f"guiding-opinions-2023/{c}"])) for c in cids]

    # Clauses in the order of their best sentence, the first four counted: three of them in s3 wins.
    assert section_vote(store, candidates, ranked("c5", "c6", "c5", "c2", "c7")) == 1
    assert section_vote(store, candidates, ranked("c5", "c5", "c5", "c5", "c2", "c3")) is None  # one clause is no spread
    assert section_vote(store, candidates, ranked("c5", "c6", "c2", "c3", "c7")) is None  # s3's third clause comes fifth


def test_an_english_heading_answers_a_chinese_list_question_only_when_it_shares_a_word(answerer):
    """A short English heading is near any Chinese question about its document; without a word in
    common it is no candidate, and the report's items answer instead of its list of difficulties."""
    from policyqa.serve.sectionlist import heading_scores

    store = answerer.store
    heads = {u.text: u for u in store.units if u.doc_id == "cm2025-2017" and u.kind == "heading"}
    difficulties, steps = heads["II. Main Difficulties and Problems"], heads["III. Next Steps"]
    five = heading_scores(answerer, "《中國製造2025》實施情況報告裡的「五大工程」指哪些？", [difficulties, steps], "zh-Hant")
    assert five == [float("-inf"), float("-inf")]
    pilot = heading_scores(answerer, "报告里试点城市方面有哪些进展？", [difficulties, steps], "zh-Hans")
    assert pilot == [float("-inf"), float("-inf")]
    # a list question's words count whole as the dictionary has them: 下一步 "the next step", which
    # jieba cuts into a stop word and 一步; a "how" question's do not (it asks for one step's measures)
    steps_q = "中国制造2025实施情况里，下一步要做哪些工作？"
    listed = heading_scores(answerer, steps_q, [difficulties, steps], "zh-Hans", phrases=True)
    assert listed[0] == float("-inf") and listed[1] > float("-inf")
    assert heading_scores(answerer, steps_q, [difficulties, steps], "zh-Hans")[1] == float("-inf")
    assert answerer.ask(steps_q).answer.startswith("III. Next Steps")
    # within one language the heading competes on its cosine as before
    assert all(s > float("-inf") for s in heading_scores(answerer, "What are the main problems?", [difficulties, steps], "en"))
    a = answerer.ask("《中國製造2025》實施情況報告裡的「五大工程」指哪些？")
    assert "Main Difficulties" not in a.answer and "smart manufacturing" in a.answer, a.answer[:200]


def test_a_quoted_title_with_tasks_in_it_asks_for_no_tasks(answerer):
    # the Qiushi article's title names "key tasks"; quoted, it only names the document
    a = answerer.ask("《扎实推进新型工业化重点任务》里怎么谈生产性服务业和服务型制造？")
    assert "共7部分" not in a.answer and "service-oriented manufacturing" in a.answer
    # asked for without quotes, the key tasks are the article's seven parts
    b = answerer.ask("求是那篇文章说新型工业化有哪几项重点任务？")
    assert b.question_type == "list" and len(b.citations) == 7


def test_a_chinese_how_question_on_an_essay_is_not_answered_by_a_part_s_topic_line(answerer):
    a = answerer.ask("求是文章怎麼說要強化企業的科技創新主體地位？")
    assert not a.answer.startswith("Innovation is the fundamental force")  # part 3's topic line
    assert "additional tax deductions" in a.answer


def test_topic_line(answerer, store):
    from policyqa.serve.extent import topic_line

    part = next(u for u in store.units if u.key == "qiushi-2024/part3/p1@en")
    sents = answerer.bank.sentences(part)
    assert topic_line(sents, 0, "en") and not topic_line(sents, 1, "en")


def test_the_words_of_sum_up_are_no_topic_to_gather(answerer):
    # "up" is in several clauses ("shore up", "build up"); gathered, it quoted them instead of part 6
    a = answerer.ask("Sum up what the Qiushi article says about making industry greener and lower-carbon.")
    assert a.citations[0].source.unit.clause_id.startswith("qiushi-2024/part6")
    assert "shore up" not in a.answer


@pytest.mark.parametrize("question", ["这份指导意见在碳达峰、降碳方面整体有哪些考虑？",
                                      "在绿色低碳这块，八部门准备怎么推动传统产业节能降碳？"])
def test_a_topic_that_is_one_item_of_a_section_list_quotes_that_item_in_full(answerer, question):
    a = answerer.ask(question)
    assert a.citations[0].source.unit.clause_id == f"{GO}/s4"
    c8 = next(c for c in a.citations if c.source.unit.clause_id == f"{GO}/c8")
    assert "产能置换" in a.answer and "碳足迹" in a.answer and "电气化水平" in a.answer
    assert len(c8.quotes) >= 2  # its title and its body
    # the other items keep only their titles (and, for "how", their lead measure)
    assert "再制造" not in a.answer and "绿色诊断" not in a.answer


def test_a_question_for_a_section_s_parts_expands_no_item(answerer):
    from policyqa.serve.sectionlist import topic_clause

    a = answerer.ask("绿色低碳方面有哪些重点任务？")
    assert a.citations[0].source.unit.clause_id == f"{GO}/s4"
    assert "产能置换" not in a.answer and "绿色诊断" not in a.answer
    assert topic_clause([], "有哪些考虑", set()) is None


def test_a_long_item_summed_up_is_quoted_from_its_best_sentence_on(answerer):
    # item 1 of the report's section I covers all five programs; green manufacturing is deep in it
    a = answerer.ask("How far had the green manufacturing effort got by the time of MIIT's March 2017 report on "
                     "China Manufacturing 2025?")
    assert "99 enterprises" in a.answer and "51 national low-carbon industrial parks" in a.answer
    i1 = next(c for c in a.citations if c.source.unit.clause_id == "cm2025-2017/s1/i1")
    assert i1.quotes[-1].text.startswith("The building of a green manufacturing system")


def test_item_body_reaches_a_sentence_past_its_bound(store):
    from policyqa.serve.outline import CLAUSE_CHARS, item_body

    i1 = next(u for u in store.units if u.key == "cm2025-2017/s1/i1@en")
    first = item_body(i1)
    assert len(i1.text) > CLAUSE_CHARS["en"] and first[1] < len(i1.text)
    at = i1.text.index("The building of a green manufacturing system")
    assert item_body(i1, reach=at)[0] == at and item_body(i1, reach=first[0]) == first


def test_a_question_asking_how_something_is_done_is_not_answered_by_the_document_s_opening(answerer):
    # The opening says why the document was written ("为加快传统制造业转型升级，提出如下意见"), never how
    a = answerer.ask("請問指導意見對傳統製造業的區域佈局有什麼安排？")
    assert a.answer.startswith("(十四)持續優化產業布局") and "/intro/" not in a.citations[0].source.unit.clause_id
    b = answerer.ask("How will technological innovation be promoted in traditional manufacturing under the 2023 guiding opinions?")
    assert all("/intro/" not in c.source.unit.clause_id for c in b.citations)
    # ...nor anchored by it because the search ranked it first (it names the document's subject)
    d = answerer.ask("工信部黨組文章裡，對產業鏈「補短板、強基礎」具體怎麼做？")
    assert d.citations[0].source.unit.clause_id == "qiushi-2024/part2/p2" and "tailored policies" in d.answer
    # ...but asked how the document sees where things stand, its opening answers
    c = answerer.ask("求是這篇文章怎麼看中國工業當前的處境，優勢和短板各是什麼？")
    assert c.citations[0].source.unit.clause_id.startswith("qiushi-2024/intro/")


def test_the_word_that_names_the_document_is_no_topic_to_gather(answerer):
    # "the guidance" is the document, though "guidance" also occurs in a few of its clauses
    a = answerer.ask("what does the guidance say about talent and skills for traditional manufacturing")
    assert a.citations[0].source.unit.clause_id == f"{GO}/c18" and "Manufacturing Talent Support Plan" in a.answer
    # ...nor is a particle of the question's verb ("single out")
    b = answerer.ask("For consumer upgrading, which product categories does the 2023 opinion on legacy manufacturing single out?")
    assert b.citations[0].source.unit.clause_id == f"{GO}/c4" and "smart home" in b.answer


def test_a_chinese_list_question_on_the_essay_is_not_answered_by_a_part_s_topic_line(answerer):
    # "Innovation is the fundamental force behind new industrialization." lists no new arenas
    a = answerer.ask("求是雜誌那篇文章在未來產業方面提到哪些新賽道？")
    assert a.citations[0].source.unit.clause_id == "qiushi-2024/part4/p4" and "humanoid robotics" in a.answer


def test_a_question_about_the_document_s_opening_is_answered_from_its_opening_paragraphs(answerer):
    a = answerer.ask("文件开头怎么评价《中国制造2025》颁布以来的总体实施情况？")
    assert a.citations[0].source.unit.clause_id == "cm2025-2017/intro/p1" and "first ten-year action guideline" in a.answer


def test_an_overview_asked_as_a_problem_quotes_the_problems(answerer):
    a = answerer.ask("What problem does the Guiding Opinions try to solve?")
    assert a.question_type == "overview" and "large but not strong" in a.answer
    plain = answerer.ask("What is the Guiding Opinions about?")
    assert "large but not strong" not in plain.answer  # an ordinary overview stays short


@pytest.mark.parametrize("question,clause,says", [
    ("那篇求是文章怎么分析当前推进新型工业化面临的形势？", "qiushi-2024/intro/p2", ("backlash against globalization", "vast market")),
    ("According to the Guiding Opinions, where does traditional manufacturing stand today and what are its main weaknesses?",
     "guiding-opinions-2023/s1/p1", ("large but not strong", "factor costs are rising")),
])
def test_where_things_stand_is_answered_by_the_assessment_not_the_outline(answerer, question, clause, says):
    a = answerer.ask(question)
    assert a.question_type == "overview" and all(x in a.answer for x in says)
    assert clause in [c.source.unit.clause_id for c in a.citations]
    assert not any(c.source.unit.kind == "heading" for c in a.citations)  # no outline of the plan


@pytest.mark.parametrize("question,says", [
    ("求是那篇文章怎么定位数实融合和绿色发展？", ("distinctive feature", "defining feature")),
    ("How does the Qiushi article characterize innovation and enterprises?", ("fundamental force", "primary drivers")),
])
def test_how_several_things_are_characterized_quotes_each_topic_line(answerer, question, says):
    a = answerer.ask(question)
    assert all(x in a.answer for x in says), a.answer
