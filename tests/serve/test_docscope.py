"""serve.docscope: a question's document from names in the store (titles, numbers, manifest aliases)."""
from __future__ import annotations

import pytest

from policyqa.serve.described import described
from policyqa.serve.docscope import DocNames, resolve

GO = "guiding-opinions-2023"


@pytest.fixture(scope="module")
def names(store):
    return DocNames.from_store(store)


@pytest.mark.parametrize("question,family", [
    ("Who signed the Guiding Opinions?", GO), ("258号文讲的是什么？", GO), ("258號文講的是什麼？", GO),
    ("What does document No. 258 say about finance?", GO), ("指導意見的文號是什麼？", GO),
    ("What does the Qiushi article say about AI?", "qiushi-2024"), ("求是文章对专精特新怎么说？", "qiushi-2024"),
    ("Give me an overview of the 2017 report.", "cm2025-2017"), ("How is Made in China 2025 going?", "cm2025-2017"), ("What did the CM2025 progress report say?", "cm2025-2017"), ("What does the 2023 guiding opinion say about talent?", "guiding-opinions-2023"), ("the December 2023 eight-ministry policy", "guiding-opinions-2023"), ("How does the eight-department opinion approach regional layout?", "guiding-opinions-2023"), ("五大工程进展如何？工信部2017年的材料怎么说", "cm2025-2017"), ("MIIT's 2023 policy on old industries", "guiding-opinions-2023"), ("2017年報告的主要內容是什麼？", "cm2025-2017"),
    # the number's issuer code, its digits before "document", the issuers' count (a manifest alias)
    ("工信部聯規那份傳統製造業文件是哪一年的第幾號？", GO), ("what numbers is the 258 document shooting for by 2027?", GO),
    ("What does MIIT Joint Regulation say about finance?", GO), ("八部門的意見怎麼處理落後產能？", GO),
    ("What does the MIIT Party group's article say about AI?", "qiushi-2024"), ("工信部党组的文章怎么说数字经济？", "qiushi-2024"),
    # a year with a kind of document names the one document of that year; a year no document has, none
    ("What did the 2017 MIIT report plan for smart manufacturing?", "cm2025-2017"),
    ("2024年那篇文章讲了什么？", "qiushi-2024"), ("2017年的實施報告提到哪些挑戰？", "cm2025-2017"), ("What does the 2023 document say about finance?", GO),
    ("What will the 2030 report say?", None), ("By 2027, what share of firms will be digital?", None),
    ("产业大脑是什么？", None),
    # a short name inside another word names nothing: 要求 + 是 holds 求是
    ("加快传统制造业转型升级的总体要求是什么？", None), ("那篇求是的文章怎么讲数字技术？", "qiushi-2024"),
])
def test_named_documents(names, store, question, family):
    scope = resolve(question, names, store, None, deictic=False)
    assert (scope.family if scope else None) == family
    if scope:
        assert scope.reason == "named" and set(scope.doc_ids) == {d for d, m in store.docs.items() if m.family == family}


@pytest.mark.parametrize("question,family", [
    ("What measurable goals does the traditional manufacturing guidance set?", GO),
    ("What does the document on transforming traditional manufacturing say about brands?", GO),
    ("數位轉型這塊，傳統製造業文件到底有什麼招？", GO),
    # only the words next to the kind of document describe it: "making … solid" elsewhere in the
    # question echoes the Qiushi article's title ("Making Solid Progress…") and names nothing
    ("What does the MIIT-led guidance say about making use of industrial solid waste?", None),
    # …nor do the words before the asking words: "solid wastes does the guidance" describes no title
    ("Which industrial solid wastes does the guidance name for large-scale reuse?", None),
    ("How will China upgrade traditional manufacturing?", None),  # no kind of document said
    ("生物製造方面文件說了什麼？", None),  # a topic (…方面) and a document: the topic describes no document
])
def test_a_document_described_by_its_title_words(answerer, names, question, family):
    scope = described(question, names, answerer.bank, answerer.store)
    assert (scope.family, scope.reason) == (family, "described") if family else scope is None


def test_a_chinese_description_chooses_no_sentence(answerer, names):
    from policyqa.serve.docscope import without_name

    question = "传统制造业转型升级的文件如何保障落实？"
    scope = described(question, names, answerer.bank, answerer.store)
    assert scope.name == "传统制造业转型升级的文件" and without_name(question, scope, names, titles=True) == "如何保障落实？"
    english = "How does the traditional manufacturing guideline plan to optimise the layout?"
    scope = described(english, names, answerer.bank, answerer.store)
    assert scope.name == "traditional manufacturing guideline" and without_name(english, scope, names, titles=True) == english


def test_chosen_and_default_documents(names, store):
    assert resolve("这份文件讲了什么", names, store, "cm2025-2017", deictic=True).reason == "chosen"
    default = resolve("这份文件讲了什么", names, store, None, deictic=True)
    assert (default.family, default.reason) == (GO, "default")
    assert resolve("What is the Qiushi article about?", names, store, "cm2025-2017", deictic=False).family == "qiushi-2024"


@pytest.mark.parametrize("question,expected", [
    ("求是文章對專精特新中小企業怎麼說？", "對專精特新中小企業怎麼說？"),  # 繁 text, 简 alias
    ("What does the Qiushi article say about artificial intelligence?", "What does say about artificial intelligence?"),
    ("指导意见对金融有什么规定", "对金融有什么规定"),
    # a title-length name is also the topic, and a name alone leaves nothing to search with
    ("What are the key tasks of new industrialization in the Qiushi article?",
     "What are the key tasks of new industrialization in the Qiushi article?"),
    ("258号文", "258号文"),
    ("产业大脑是什么？", "产业大脑是什么？"),
])
def test_without_name_drops_a_short_label_only(names, store, question, expected):
    from policyqa.serve.docscope import without_name

    assert without_name(question, resolve(question, names, store, None, deictic=False)) == expected


@pytest.mark.parametrize("question,expected", [
    ("关于质量和品牌建设，传统制造业转型升级的指导意见提了哪些要求", "关于质量和品牌建设， 提了哪些要求"),
    ("傳統製造業轉型升級指導意見在科技創新方面提了哪些措施？", "在科技創新方面提了哪些措施？"),  # 繁, without 的
    ("传统制造业有多重要？指导意见怎么说", "传统制造业有多重要？ 怎么说"),  # not next to the name: the topic
])
def test_title_words_next_to_a_short_name_go_with_it(names, store, question, expected):
    from policyqa.serve.docscope import without_name

    assert without_name(question, resolve(question, names, store, None, deictic=False), names) == expected


@pytest.mark.parametrize("question,whole", [
    ("258号文是什么？", True), ("What is the Guiding Opinions?", True), ("介紹一下求是文章", True),
    ("What is China Manufacturing 2025, according to MIIT's 2017 report?", True), ("指导意见", True),
    ("258号文对金融有什么规定？", False), ("What does the Qiushi article say about AI?", False),
    ("产业大脑是什么？", False),  # names no document
])
def test_a_bare_what_is_with_a_document_name_asks_about_the_document(names, store, question, whole):
    from policyqa.serve.docscope import only_names

    assert only_names(question, resolve(question, names, store, None, deictic=False)) is whole


def test_a_long_name_is_kept_for_the_search_and_taken_out_for_choosing_sentences(names, store):
    from policyqa.serve.docscope import without_name

    question = "中国制造2025实施情况里，下一步要做哪些工作？"
    scope = resolve(question, names, store, None, deictic=False)
    assert scope.family == "cm2025-2017"
    assert without_name(question, scope, names) == question  # a title-length name names the topic too
    assert without_name(question, scope, names, titles=True) == "里，下一步要做哪些工作？"


def test_chinese_title_words_anywhere_are_taken_out_for_choosing_sentences(names, store):
    from policyqa.serve.docscope import TITLE_RUN, without_name

    question = "求是文章怎麼描述當前推進新型工業化面臨的國際環境？"
    scope = resolve(question, names, store, None, deictic=False)
    assert scope.family == "qiushi-2024"
    # The search keeps the topic; choosing among the article's sentences drops 新型工業化 (inside its
    # name 新型工业化重点任务), as written, in 繁, also when the name itself is gone already.
    assert without_name(question, scope, names) == "怎麼描述當前推進新型工業化面臨的國際環境？"
    assert without_name(question, scope, names, titles=True) == "怎麼描述當前推進面臨的國際環境？"
    assert without_name("怎麼描述當前推進新型工業化面臨的國際環境？", scope, names, titles=True) == "怎麼描述當前推進面臨的國際環境？"
    # A run shorter than TITLE_RUN stays ("工业" is any sentence's word), and so does a question that
    # would be left with too little to search with.
    assert TITLE_RUN == 4 and without_name("求是文章里工业的国际环境", scope, names, titles=True) == "里工业的国际环境"
    assert without_name("求是文章谈新型工业化", scope, names, titles=True) == "谈新型工业化"


@pytest.mark.parametrize("question,expected", [
    ("2018年中國製造2025實施情況報告提到了哪些新進展？", "2018年中国制造2025实施情况"),
    ("2019年的求是文章讲了什么", "2019年求是文章"),
    ("Summarize the 2016 report.", "a 2016 report"),
    # the documents' own years, a year of events, and a year inside a name
    ("2017年中国制造2025实施情况报告讲了什么", None), ("2023年的指导意见", None),
    ("2016年中国制造2025的重点标志性项目完成得怎么样？", None), ("Made in China 2025 report progress", None),
    ("到2025年的阶段性目标", None),
])
def test_a_document_named_by_a_year_none_has_is_unknown(names, question, expected):
    assert names.unknown_year(question) == expected


def test_a_question_about_a_document_of_another_year_abstains(answerer):
    a = answerer.ask("Summarize the 2016 report.")
    assert a.abstained and a.note == "The documents never mention a 2016 report."


def test_without_issuer_drops_the_issuer_written_out_or_as_its_acronym():
    from policyqa.serve.docscope import without_issuer

    miit = ["Ministry of Industry and Information Technology"]
    assert without_issuer("What are MIIT's plans for working with other countries?", miit) == \
        "What are plans for working with other countries?"
    assert without_issuer("What did the Ministry of Industry and Information Technology plan for SMEs?", miit) == \
        "What did the plan for SMEs?"
    assert without_issuer("How will SMEs use AI?", miit) == "How will SMEs use AI?"  # other acronyms stay
    assert without_issuer("MIIT's?", miit) == "MIIT's?"  # too little left: unchanged
    assert without_issuer("工信部的计划", ["工业和信息化部"]) == "工信部的计划"


def test_the_sentence_spelling_out_the_issuer_does_not_answer_every_question_naming_it(answerer):
    a = answerer.ask("What standards-related work does MIIT's 2017 report on China Manufacturing 2025 mention?")
    assert not a.answer.startswith("The Ministry of Industry and Information Technology (MIIT), in collaboration")
    assert "standards" in a.answer


@pytest.mark.parametrize("question,family", [
    ("那篇文章最後一部分，對國有企業改革說了什麼？", "qiushi-2024"), ("文章希望哪些区域加快发展？", "qiushi-2024"),
    ("What does the report say about pilot cities?", "cm2025-2017"), ("報告裡工業強基方面取得了哪些突破？", "cm2025-2017"),
    ("这份文件的发文日期是？", None), ("意見對構建綠色製造體系有哪些舉措？", GO),
])
def test_a_kind_of_document_alone_names_the_only_document_of_that_kind(names, question, family):
    assert names.of_kind(question) == family


def test_a_kind_of_document_scopes_an_unnamed_question(names, store):
    scope = resolve("報告說到2016年底有多少省份出台了實施方案？", names, store, None, False)
    assert scope.family == "cm2025-2017" and scope.reason == "kind"
    # a document named, or chosen in the app, wins over the kind
    assert resolve("指导意见和那份报告有什么不同？", names, store, None, False).family == "guiding-opinions-2023"
    assert resolve("报告讲了什么？", names, store, "guiding-opinions-zh-hans", False).family == "guiding-opinions-2023"
    # "this opinion" of the principal document reads as "this document": its deictic default
    assert resolve("这份意见怎么定位它的意义？", names, store, None, True).reason == "default"


def test_a_document_meant_by_its_kind_chooses_its_sentences_without_its_title_words(names, store):
    from policyqa.serve.docscope import without_name

    question = "新型工業化那篇文章說要培育壯大哪些新興產業？"
    scope = resolve(question, names, store, None, False)
    assert scope.reason == "kind" and scope.family == "qiushi-2024"
    assert without_name(question, scope, names, titles=True) == "那篇文章說要培育壯大哪些新興產業？"
    assert without_name(question, scope, names) == question  # the search keeps them
