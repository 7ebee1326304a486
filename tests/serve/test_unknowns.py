"""What the corpus does not speak of (serve.unknowns), over the real corpus vocabulary and analyzer."""
from __future__ import annotations

import pytest

from policyqa.serve.unknowns import unknown_acronym, unknown_place, unknown_title, unsaid_place
from policyqa.serve.unsaid import unsaid_role


def test_an_unknown_acronym_is_found_and_a_known_one_or_a_numeral_is_not(answerer):
    bank = answerer.bank
    assert unknown_acronym("2024年的GDP增速", bank) == "GDP"
    assert unknown_acronym("What is the PMI in section III?", bank) == "PMI"  # III is a numeral, not a word
    assert unknown_acronym("How will SMEs use AI and 5G?", bank) is None  # the corpus has them
    assert unknown_acronym("Which pilot cities?", bank) is None


@pytest.mark.parametrize("question,place", [
    ("台灣的半導體產業補貼政策有哪些？", "台灣"), ("德国的工业4.0有哪些重点？", "德国"),
    ("What does Japan's monozukuri policy do?", "Japan"), ("How does Hangzhou subsidize factories?", "Hangzhou"),
    # named in the corpus, in any language (京津冀: the Qiushi article's Beijing-Tianjin-Hebei), or no place
    ("京津冀在工业稳增长中要扮演什么角色？", None), ("长江经济带沿江化工企业怎么办？", None),
    ("指导意见怎么平衡新旧动能？", None), ("What does the Qiushi piece say about the Yangtze River Delta?", None),
    ("By March 2017, how many centers were built?", None),  # a month is no place
    # a place by its proper name, whole: "South Korea" is not in the corpus though "south" is (south
    # Jiangsu); 江苏 is, though CC-CEDICT's gloss goes on "in southeast China, … capital Nanjing"
    ("韓國的製造業創新戰略有哪些內容？", "韓國"), ("江苏的传统制造业有哪些试点？", None), ("广东省怎么承接产业转移？", None),
])
def test_an_unknown_place_is_found_and_a_known_one_is_not(answerer, question, place):
    names = [k for k, _, _ in answerer.names.names]
    assert unknown_place(question, answerer.bank, names) == place


@pytest.mark.parametrize("question,tokens,place", [
    # the answer's clauses never name the province asked about: its own plan is not in the documents
    ("廣東省出台了哪些配套政策？", {"金融", "finance"}, "廣東"),
    ("广东省出台了哪些配套政策？", {"广东", "guangdong"}, None),  # named, in Chinese
    ("廣東省出台了哪些配套政策？", {"guangdong", "provinc"}, None),  # or by its English name, whole
    ("我国制造业的规模怎么样？", {"制造业"}, None),  # no place asked
    ("中国的传统制造业有哪些问题？", {"传统"}, None),  # China: named in many clauses, no place apart
])
def test_a_place_the_answer_never_names_is_found(answerer, question, tokens, place):
    assert unsaid_place(question, answerer.bank, tokens) == place


def test_a_word_that_is_also_a_common_noun_is_no_place(answerer):
    # 青山: a district of Wuhan, and "green hills" (绿水青山就是金山银山)
    assert unknown_place("“绿水青山就是金山银山”的理念在工业发展中怎么体现？", answerer.bank) is None


def test_a_document_named_in_book_title_marks_that_the_corpus_lacks_is_found():
    names = ["指导意见", "中国制造2025", "求是"]
    asked = []

    def corpus():
        asked.append(1)
        return "落实工业领域和有色、建材等重点行业碳达峰实施方案"
    assert unknown_title("美国《芯片与科学法案》有哪些补贴？", names, corpus) == "《芯片与科学法案》"
    assert unknown_title("《工業領域碳達峰實施方案》是哪天發佈的？", names, corpus) == "《工業領域碳達峰實施方案》"
    # a document of the corpus, a name inside the title, a title quoted by a text, or no title at all
    assert unknown_title("《中国制造2025》实施得怎么样？", names, corpus) is None
    assert unknown_title("《关于加快传统制造业转型升级的指导意见》讲了什么？", names, corpus) is None
    assert unknown_title("《碳达峰实施方案》", names, corpus) is None
    n = len(asked)
    assert unknown_title("没有书名号的问题", names, corpus) is None and len(asked) == n  # the corpus is not read


def test_an_answer_to_a_document_the_corpus_lacks_abstains_and_says_so(answerer):
    a = answerer.ask("美国《芯片与科学法案》对制造业企业有哪些补贴？")
    assert a.abstained and a.note == "这些文件没有提到《芯片与科学法案》。"
    assert not answerer.ask("《求是》上工信部党组的文章讲了哪些重点任务？").abstained


@pytest.mark.parametrize("question,role", [
    ("國家製造強國建設領導小組的組長由誰擔任？", "組長"), ("指导意见的政策解读是由哪位司长做的？", "司长"),
    ("Who is the Minister heading MIIT's Party leadership group?", "Minister"), ("Which official signed it?", "official"),
    ("Who signed the Guiding Opinions?", None), ("谁负责组织实施？", None), ("What is the head of the program?", None),
])
def test_a_person_asked_for_by_office_is_found(question, role):
    assert unsaid_role(question, lambda: "") == role


def test_an_office_the_answer_names_is_said():
    assert unsaid_role("领导小组组长是谁？", lambda: "国家制造强国建设领导小组组长") is None
    assert unsaid_role("Who is the minister?", lambda: "the minister of industry") is None

    def unread() -> str:
        raise AssertionError("the clauses are read only for a question asking for a person")
    assert unsaid_role("Who signed the Guiding Opinions?", unread) is None


def test_a_person_the_answer_never_names_by_office_abstains(answerer):
    a = answerer.ask("國家製造強國建設領導小組的組長由誰擔任？")
    assert a.abstained and a.note == "最相關的條款沒有提到組長。"


@pytest.mark.parametrize("question,asked", [
    ("專精特新「小巨人」企業要符合什麼認定標準？", "认定标准"), ("申报国家卓越工程师实践基地需要满足哪些条件？", "满足哪些条件"),
    ("What are the eligibility rules for the re-lending?", "eligibility"),
    ("指导意见提出了哪些标准化工作？", None), ("What standards does the report mention?", None),
])
def test_conditions_asked_for_are_found(question, asked):
    from policyqa.serve.unsaid import unsaid_criteria

    assert unsaid_criteria(question, lambda: "") == asked
    assert unsaid_criteria(question, lambda: "符合条件的项目") is None  # the answer states conditions


def test_conditions_the_answer_never_states_abstain(answerer):
    a = answerer.ask("专精特新小巨人企业要符合什么认定标准？")
    assert a.abstained and "认定标准" in a.note
    # ...while an answer that states them answers
    assert not answerer.ask("哪些传统制造业转型升级重点项目可以获得优惠利率资金支持？需要符合什么条件？").abstained


@pytest.mark.parametrize("question,asked", [
    ("违反了要怎么处罚？", "处罚"), ("What penalties apply to firms that miss the targets?", "penalties"),
    ("這份意見的有效期到哪一年？", "有效期"), ("When does the policy expire?", "expire"),
    ("对外资企业有什么放宽准入的措施？", "外资"), ("Is there anything for foreign-invested firms?", "foreign-invested"),
    # a thing the clauses do speak of, and words that only look alike
    ("What does it say about China-foreign SME cooperation zones?", None), ("How effective were the pilots?", None),
])
def test_things_asked_for_by_name_are_found(question, asked):
    from policyqa.serve.unsaid import unsaid_subject

    assert unsaid_subject(question, lambda: "") == asked
    if asked:
        assert unsaid_subject(question, lambda: f"…{asked}…") is None  # the answer speaks of it


def test_a_penalty_or_validity_the_clauses_never_state_abstains(answerer):
    for question in ("What penalties do the guiding opinions set for companies that miss the digital targets?",
                     "这份指导意见的有效期到哪一年？"):
        a = answerer.ask(question)
        assert a.abstained, question
    assert not answerer.ask("What does the 2017 report say about industrial access?").abstained


@pytest.mark.parametrize("question,issue", [
    ("求是杂志2024年第2期刊登了哪篇工信部的文章？", "第2期"), ("What did Qiushi No. 3, 2024 carry?", "no. 3"),
    ("求是2024年第1期刊登了哪篇文章？", None), ("Which issue of Qiushi carried the article?", None),
])
def test_an_issue_no_source_line_names_is_found(question, issue):
    from policyqa.serve.unknowns import unknown_issue

    assert unknown_issue(question, ["(Originally appeared in Qiushi Journal, Chinese edition, No. 1, 2024)"]) == issue
    assert unknown_issue(question, []) is None  # no periodical in the corpus: nothing to compare


def test_a_source_asked_of_an_issue_the_corpus_lacks_abstains(answerer):
    a = answerer.ask("求是杂志2024年第2期刊登了哪篇工信部的文章？")
    assert a.abstained and "第2期" in a.note
    assert not answerer.ask("求是2024年第1期刊登了哪篇文章？").abstained


@pytest.mark.parametrize("question,unknown", [
    ("工信部2023年那份製造業可靠性提升實施意見是哪幾個部門聯合印發的？", "年那份制造业可靠性提升实施意见"),  # a kind none has
    ("工信部2024年印发的制造业数字化转型行动方案，文号是多少？", "年印发的制造业数字化转型行动方案"),
    ("Which departments co-signed MIIT's guidelines on humanoid robot innovation?", "guidelines on humanoid robot innovation"),
    ("Who signed the guidance on upgrading traditional manufacturing?", None),  # ours, described
    ("传统制造业转型升级的指导意见是哪天印发的？", None),
    ("这份推动传统产业改造升级的意见，主送单位都有哪些？", None),  # the document at hand
    ("那份文件全称叫什么？是通知还是意见？", None),  # asks its kind
])
def test_a_document_described_by_a_topic_and_kind_none_has_is_unknown(answerer, question, unknown):
    from policyqa.serve.mentions import GENERIC
    from policyqa.serve.titled import SCAFFOLD
    from policyqa.serve.unknowns import unknown_described

    names = [n for m in answerer.store.docs.values() for n in (m.title, m.title_en, *m.aliases)]
    assert unknown_described(question, answerer.bank, names, SCAFFOLD | GENERIC) == unknown


def test_a_sentence_names_a_place_in_either_language(answerer):
    from policyqa.serve.unknowns import names_place

    assert names_place("8 cities (Ningbo, Quanzhou, Shenyang) were approved as pilot cities.", answerer.bank)
    assert names_place("支持江苏、广东建设先进制造业集群。", answerer.bank)
    assert not names_place("At the Central Economic Work Conference in December 2023, it was stressed…", answerer.bank)
    assert not names_place("China will build a strong manufacturing nation.", answerer.bank)  # the country is no venue
