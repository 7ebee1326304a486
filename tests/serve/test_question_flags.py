"""serve.question: what a question asks beyond its type -- measures, the items of a list, the
document's opening, a figure, a sum or a year, a balance, positions -- and its casual words read
plainly (pure, but for the one test that asks)."""
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


@pytest.mark.parametrize("question,quantity", [
    ("2024年政府工作报告定的GDP增速目标是多少？", True),
    ("萬元工業增加值用水量要比2023年下降多少？", True),
    ("新能源汽车购置税减免政策延续到哪一年？", True),
    ("How many billion yuan are allocated?", True),
    ("What share of industrial enterprises should use digital R&D tools?", True),
    ("产业大脑是什么？", False),
    ("How will banks support the transformation?", False),
    ("What interest rate, in percent, will the re-lending carry?", True),
    ("建成了几个国家级创新中心？", True),
    ("要大力开发新产品的那几个消费领域都是啥", False),  # "those few": which, not how many
])
def test_a_fact_asked_as_a_figure_is_marked(question, quantity):
    assert classify(question).quantity is quantity


@pytest.mark.parametrize("question,money", [
    ("How many billion yuan does the central budget set aside?", "billion"),
    ("How much, in trillion yuan, did output reach?", "trillion"),
    ("中央財政安排了多少億元？", "亿"), ("技改要花多少钱？", "元"), ("补贴几万亿", "万亿"), ("违规企业会被处以多少罚款？", "元"),
    ("How much central government money went into the innovation center?", "元"),  # money, any scale
    ("How much funding do pilot cities get?", "元"),
    ("How much should water use per 10,000 yuan of value added fall?", ""),  # a rate, not a sum
    ("关键工序数控化率要达到多少？", ""),
])
def test_a_sum_of_money_is_marked_with_its_scale(question, money):
    assert classify(question).money == money


@pytest.mark.parametrize("question,year", [
    ("What year was the report released?", True), ("中國製造2025是哪一年提出的？", True),
    ("What figure does the Qiushi article give for value added in 2023?", False), ("到2027年普及率要达到多少？", False),
])
def test_a_figure_asked_as_a_year_is_marked(question, year):
    q = classify(question)
    assert q.quantity and q.year is year


def test_a_year_or_date_is_no_figure_unless_a_year_is_asked():
    from policyqa.serve.figures import has_figure

    assert not has_figure("At the Central Economic Work Conference in December 2023, it was stressed …")
    assert not has_figure("2023年12月28日") and not has_figure("到2027年，传统制造业高端化水平明显提升")
    assert has_figure("普及率超过90%") and has_figure("In 2023 output rose by 5%.") and has_figure("十九个省")
    assert has_figure("It was released in March 2017.", dates=True)


def test_a_sum_is_found_only_at_the_scale_asked():
    from policyqa.serve.figures import has_sum

    assert has_sum("The fund totals 20 billion yuan.", "billion") and has_sum("安排资金20亿元", "billion")
    assert not has_sum("Water use per 10,000 yuan will fall by 13%.", "billion")
    assert has_sum("Water use per 10,000 yuan will fall by 13%.", "元")
    assert not has_sum("超过90%、70%", "元") and not has_sum("数十亿", "亿")  # no figure: no sum


@pytest.mark.parametrize("question,balance", [
    ("這份文件怎麼處理政府和市場的關係？", True),
    ("指导意见怎么平衡新旧动能？", True),
    ("How does the Guiding Opinions balance growth and emissions?", True),
    ("What is the relationship between the market and the government in the policy?", True),
    ("政府怎么支持企业？", False),
    ("How will banks support the transformation?", False),
])
def test_a_question_about_weighing_two_things_is_marked(question, balance):
    q = classify(question)
    assert q.balance is balance and q.to_dict()["balance"] is balance


@pytest.mark.parametrize("question,plain_text", [
    ("这文件对数字化转型咋说的", "这文件对数字化转型怎么说的"), ("傳統製造業有啥毛病？", "傳統製造業有什么问题？"),
    ("啥时候发的？", "什么时候发的？"), ("What does it say about SMEs?", "What does it say about SMEs?"),
])
def test_casual_words_are_read_as_the_documents_put_them(question, plain_text):
    from policyqa.serve.question import plain

    assert plain(question) == plain_text


def test_the_answer_repeats_the_question_as_asked(answerer):
    a = answerer.ask("八部门这个文件对数字化转型咋说的")
    assert a.question == "八部门这个文件对数字化转型咋说的" and not a.abstained and "数字化" in a.answer


@pytest.mark.parametrize("question,positions", [
    ("求是文章里，什么被称为新型工业化的鲜明特征？", True), ("文章把什么称作新型工业化的底色？", True),
    ("How does the article describe green development as a feature?", True), ("绿色发展有哪些举措？", False),
])
def test_a_question_about_how_things_are_characterized_is_marked(question, positions):
    assert classify(question).positions is positions
