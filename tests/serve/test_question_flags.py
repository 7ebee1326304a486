"""serve.question: what a question asks beyond its type -- measures, the items of a list, the
document's opening (pure, no model)."""
from __future__ import annotations

import pytest

from policyqa.serve.question import classify


@pytest.mark.parametrize("question,how,measures", [
    ("请问指导意见对区域布局有什么安排？", True, True),
    ("How will technological innovation be promoted under the guiding opinions?", True, True),
    ("求是这篇文章怎么看中国工业当前的处境？", True, False),  # how it sees things: a view
    ("文件开头是怎么论述的？", True, False),
    ("How does the report describe efforts to get provinces to cooperate?", True, False),
])
def test_a_question_asking_how_the_document_sees_something_asks_for_no_measures(question, how, measures):
    q = classify(question)
    assert (q.how, q.measures) == (how, measures)


@pytest.mark.parametrize("question,detail", [
    ("求是文章提到要推动哪些新兴产业？", True),
    ("求是上那篇文章主要讲了哪几个方面？", False),  # its parts: their topic lines answer
    ("求是文章要培育哪些類型的優質企業？", False),
    ("What are the key tasks of the Qiushi article?", False),
])
def test_a_list_of_a_document_s_parts_or_kinds_asks_for_no_detail(question, detail):
    assert classify(question).detail is detail


@pytest.mark.parametrize("question,opening", [
    ("文件开头怎么评价《中国制造2025》颁布以来的总体实施情况？", True),
    ("Why, according to its preamble, does the document treat upgrading as a big deal?", True),
    ("What does the report say at the beginning about the leading group?", True),
    ("What does the opening of a new factory require?", False),
    ("求是文章怎么看中国工业的处境？", False),
])
def test_a_question_about_the_document_s_opening_is_marked(question, opening):
    assert classify(question).opening is opening


@pytest.mark.parametrize("question,goals", [
    ("258號文設了哪些量化目標？", True), ("What targets does the Guiding Opinions set for 2027?", True),
    ("What measurable goals does the guidance set?", True), ("指导意见的主要目标是什么？", True),
    ("What does the guidance say about goal-setting?", False), ("产业大脑是什么？", False),
])
def test_a_question_asking_for_goals_is_marked(question, goals):
    assert classify(question).goals is goals


@pytest.mark.parametrize("question,positions", [
    ("2017年那份报告把《中国制造2025》定位成什么？", True), ("How does the 2017 report characterize China Manufacturing 2025?", True),
    ("指導意見對傳統製造業的定性是什麼？", True), ("产业大脑是什么？", False), ("What does the report say about pilot cities?", False),
])
def test_a_question_asking_how_something_is_positioned_is_marked(question, positions):
    assert classify(question).positions is positions


@pytest.mark.parametrize("question,body", [
    ("據工信部2017年的說明，《中國製造2025》的推進由哪個機構統籌協調？", True), ("统筹推进的是哪个领导机构？", True),
    ("Which body coordinates the implementation?", True), ("Who coordinates the work?", True),
    ("哪个部门印发的？", False), ("Which industries count as traditional manufacturing?", False),
])
def test_a_question_asking_which_body_leads_is_marked(question, body):
    assert classify(question).body is body


@pytest.mark.parametrize("question,where", [
    ("全国新型工业化推进大会是哪天在哪里召开的？", True), ("Where was the conference held?", True),
    ("会议在哪个城市举行？", True), ("产业大脑在哪些领域应用？", False), ("Where does the report stand on SMEs?", False),
])
def test_a_question_asking_where_something_was_held_is_marked(question, where):
    assert classify(question).where is where


def test_an_exact_rate_asked_is_a_figure_asked():
    assert classify("What exact interest rate applies to the re-lending?").quantity


def test_why_asks_for_reasons_not_measures():
    from policyqa.serve.question import asks_why

    assert asks_why("为什么要推动传统制造业升级？") and asks_why("Why is the push urgent?")
    assert not classify("为什么要推动传统制造业转型，怎么推动？").measures
    assert classify("怎么推动传统制造业转型？").measures and not asks_why("怎么推动传统制造业转型？")
