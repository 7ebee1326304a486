"""serve.members: the sentence listing a class's members answers "what does the class include"."""
from __future__ import annotations

import pytest

from policyqa.index.analyzer import tokenize
from policyqa.serve.members import lists_members

ZH = "石化化工、钢铁、有色、建材、机械、汽车、轻工、纺织等传统制造业增加值占全部制造业的比重近80%。"
EN = ("Traditional manufacturing industries such as petrochemical, steel, non-ferrous metals, building "
      "materials, machinery, automobiles, light industry, and textiles account for nearly 80%.")


@pytest.mark.parametrize("text,lang,question,expected", [
    (ZH, "zh-Hans", "传统制造业具体包括哪些行业？", True),
    (ZH, "zh-Hant", "傳統製造業指的是哪些行業？", True),
    (ZH, "zh-Hans", "传统制造业要加快推动哪几方面的变革？", False),  # asks no members
    (ZH, "zh-Hans", "制造业包括哪些？", False),  # 制造业 is too short a piece of the name to be it
    # the class's name right after "哪些" asks for its members too
    ("加快人工智能、大数据、云计算、5G、物联网等信息技术与制造全过程深度融合。", "zh-Hant", "智改數轉網聯要跟哪些新一代信息技術深度融合？", True),
    ("加快人工智能、大数据、云计算、5G、物联网等信息技术与制造全过程深度融合。", "zh-Hans", "信息技术和哪些环节融合？", False),
    ("推进石化化工、钢铁等产业耦合发展。", "zh-Hans", "石化化工包括哪些？", False),  # two items are no list
    (EN, "en", "Which industries count as traditional manufacturing?", True),
    (EN, "en", "What kinds of industries are traditional manufacturing?", True),
    (EN, "en", "Which sectors does the Guiding Opinions count as traditional manufacturing?", True),  # another word for them
    (EN, "en", "Which recycling industries should traditional manufacturing develop?", False),  # asks of recycling
    (EN, "en", "Which industries grow fastest?", False),  # the class's other words are missing
])
def test_lists_members(text, lang, question, expected):
    assert lists_members(text, lang, question, tokenize) is expected


@pytest.mark.parametrize("question", ["文件里说的传统制造业具体指哪些行业？",
                                      # the class is in the named document's title: still the class asked about
                                      "指导意见里说的传统制造业包括哪些行业？"])
def test_a_list_of_a_class_s_members_is_answered_by_the_sentence_that_lists_them(answerer, question):
    a = answerer.ask(question)
    assert a.citations[0].source.unit.clause_id == "guiding-opinions-2023/s1/p1"
    assert "石化化工、钢铁" in a.answer and "纺织" in a.answer and len(a.citations) == 1


def test_the_best_sentence_naming_a_leading_body_answers_which_body_first():
    from policyqa.corpus.types import Unit
    from policyqa.serve.records import Scored
    from policyqa.serve.members import BODY_MARGIN, body_first
    from policyqa.serve.records import Source

    def scored(text, lang, score):
        u = Unit("d", f"d/{score}", lang, "clause", (), "", text, 0, len(text))
        return Scored(Source(u, None, (), 1, 0.5), 0, len(text), text, 0, score, score)

    top = scored("加快传统制造业转型升级，提出如下意见。", "zh-Hans", 0.40)
    english = scored("under the coordination of the State Leading Group for Building China", "en", 0.35)
    chinese = scored("在国家制造强国建设领导小组领导下，加强统筹协调。", "zh-Hans", 0.30)
    assert body_first([top, english, chinese], "zh-Hans")[0] is chinese  # the question's language first
    assert body_first([top, english, chinese], "en")[0] is english
    far = scored("在国家制造强国建设领导小组领导下。", "zh-Hans", 0.40 - BODY_MARGIN - 0.01)
    assert body_first([top, far], "zh-Hans") is None  # too far below the best
    assert body_first([top], "zh-Hans") is None and body_first([], "zh-Hans") is None


def test_the_sentence_that_names_something_answers_what_it_is_called():
    from policyqa.corpus.types import Unit
    from policyqa.serve.records import Scored
    from policyqa.serve.members import NAME_MARGIN, name_first
    from policyqa.serve.records import Source

    def scored(text, clause, score):
        u = Unit("d", f"d/{clause}", "en", "clause", (), "", text, 0, len(text))
        return Scored(Source(u, None, (), 1, 0.5), 0, len(text), text, 0, score, score)

    top = scored("We will guide large enterprises in providing SMEs with settings for innovation.", "p3", 0.50)
    named = scored("We will carry out the “Acting in Concert” initiative to spur collaborative innovation.", "p3", 0.30)
    elsewhere = scored("We will launch the “Smart Factory” campaign.", "p5", 0.50 - NAME_MARGIN - 0.01)
    assert name_first([top, named]) == [named, top]  # same clause: however far below
    assert name_first([top, elsewhere]) is None  # another clause, too far below the best
    assert name_first([named, top]) is None  # the best names one already
    # a quoted document name names nothing asked about
    document = scored("Pilot cities for “China Manufacturing 2025” were approved.", "p3", 0.45)
    assert name_first([top, document], documents=["China Manufacturing 2025"]) is None
    # 实施什么工程: the best Chinese sentence names it without quotes
    zh = scored("实施卓越质量工程，推动企业健全完善先进质量管理体系。", "p4", 0.50)
    assert name_first([zh, scored("打造“中国制造”高端品牌。", "p4", 0.45)], "文件说要实施什么工程？") is None


def test_what_a_campaign_is_called_is_answered_by_its_name(answerer):
    a = answerer.ask("求是那篇說要推動大中小企業融通，開展的是什麼行動？")
    assert "Acting in Concert" in a.answer.split("[1]")[0]
    # the paragraph's first named thing ("little giant") leads; the campaign's name follows it
    assert "Acting in Concert" in answerer.ask("What's the name of the campaign to get large firms and SMEs innovating together?").answer
