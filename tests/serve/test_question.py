"""serve.question: rule-based question types in English, 简体 and 繁體 (pure, no model)."""
from __future__ import annotations

import pytest

from policyqa.serve.question import SectionRef, classify

TYPES = [
    # a plural after "which", hyphenated adjective or not, asks for a list; "which issue" is no source facet
    ("Which up-and-coming sectors does the article name?", "list"),
    ("What categories of eco-friendly equipment does the guidance want developed?", "list"),
    ("Which issue does the document address?", "list"),
    # fact
    ("Is there a tax credit for safety equipment?", "fact"),
    ("What does the Qiushi article say about artificial intelligence?", "fact"),
    ("产业大脑是什么？", "fact"),
    ("求是文章关于人工智能说了什么？", "fact"),
    ("對安全生產專用設備有稅收優惠嗎？", "fact"),
    ("推動傳統製造業轉型升級有什麼重大意義？", "fact"),  # 重大意义 holds 大意 (gist), and is no overview cue
    # "which" asks for a list only before a plural noun
    ("Which leading group oversees implementation of the Guiding Opinions?", "fact"),
    ("Which process is used for the pilot?", "fact"),
    # document facts
    ("Who signed the Guiding Opinions?", "doc_fact"),
    ("这份文件的发文日期是？", "doc_fact"),
    ("這份文件是哪天發布的？", "doc_fact"),
    ("指导意见的文号是多少", "doc_fact"),
    ("Who wrote the article on new industrialization?", "doc_fact"),
    ("發文機關是哪個？", "doc_fact"),
    ("指导意见的全称是什么？", "doc_fact"),
    # lists
    ("What policy support measures does the Guiding Opinions list?", "list"),
    ("政策保障措施有哪些？", "list"),
    ("What main difficulties and problems did the 2017 report point out?", "list"),
    ("產業融合方面有哪些任務？", "list"),
    ("What problems does the 2017 report identify?", "list"),
    ("In which consumer fields should manufacturers develop new products?", "list"),
    ("Which key industries need green transformation?", "list"),
    ("What kind of policy support do the eight departments promise — money, credit, people?", "list"),
    # outlines
    ("List the sections of the Guiding Opinions.", "outline"),
    ("Which parts does the document have?", "outline"),
    ("How is the report structured?", "outline"),
    ("指导意见的结构是怎样的？", "outline"),
    ("指导意见的目录", "outline"),
    ("科学细化高耗能高排放项目管理目录的时候，要避免什么做法？", "fact"),  # a catalogue, not a table of contents
    # the structure of an economy is a topic, not the document's outline
    ("八部門的意見怎麼處理產業結構調整、落後產能這些問題？", "fact"),
    ("What does the Qiushi article say about upgrading China's industrial structure, broadly speaking?", "fact"),
    # figures a document aims for are no document number
    ("what numbers is the 258 document shooting for by 2027?", "fact"),
    # "parts of" something that is not a document asks for content
    ("Which parts of the manufacturing process should smart tech be built into, per the Qiushi article?", "list"),
    # direction, path, overall requirements, guiding principles: the document's overview
    ("传统制造业转型升级往什么方向走，靠什么路径？", "overview"),
    ("What are the guiding principles of the Guiding Opinions?", "overview"),
    ("指导意见分为哪几部分？", "outline"),
    ("指導意見共有幾部分？分別是什麼？", "outline"),
    # overviews
    ("Give me an overview of the 2017 report.", "overview"),
    ("Can you give me a quick rundown of the report?", "overview"),
    ("What's the big picture of the Guiding Opinions?", "overview"),
    ("What is the Qiushi article about?", "overview"),
    ("258号文讲的是什么？", "overview"),
    ("258号文主要讲了哪些内容？", "overview"),  # what it mainly says, not a list of some heading's items
    ("這份指導意見的主要內容是什麼？", "overview"),
    ("请概括一下这份文件。", "overview"),
    ("求是文章的核心观点是什么？", "overview"),
    ("用三句話介紹一下這份指導意見", "overview"),
    ("What problem does this policy try to solve?", "overview"),
    # section references
    ("第六部分有哪些政策保障？", "section"),
    ("第（十五）条讲的是什么？", "section"),
    ("What does section II of the Guiding Opinions cover?", "section"),
    ("What does part 5 of the Qiushi article say?", "section"),
    ('What does the Qiushi article say under "Fifth,"?', "section"),
    ("第（十八）條說了什麼", "section"),
]


@pytest.mark.parametrize("question,qtype", TYPES)
def test_question_types(question, qtype):
    assert classify(question).type == qtype


FACETS = [
    ("Who signed the Guiding Opinions?", "signatories"),
    ("那份指導意見落款排在第一位的是哪個單位？", "signatories"),
    ("Which regulators co-signed the Guiding Opinions?", "signatories"), ("指导意见的印发单位是谁？", "issuer"),
    ("指导意见的落款时间是哪天？", "date"), ("What release time is shown on the report's web page?", "date"),
    ("這份意見發給金融監管和證券監管系統的哪些下屬機構？", "addressees"),
    ("Who put out the guiding opinions on traditional manufacturing?", "issuer"),
    ("258号文属于哪一类公文？", "title"), ("那篇文章的全称叫什么？", "title"), ("工信部聯規258號在公文種類上算是什麼？", "title"),
    ("What sort of document is No. 258 — a law, a notice, a plan?", "title"),
    ("When was the English version of the Qiushi article put online, and where?", "source"),
    ("落款的八個部門裡，屬於金融管理部門的是哪幾家？", "signatories"),
    ("258号文下发到地方，发给了省级哪几类主管部门？", "addressees"),
    ("這份文件除了發給各省，還發給了哪些單位？", "addressees"),
    ("落款单位有哪些？", "signatories"),
    ("哪些部門簽署了這份文件？", "signatories"),
    ("When were the Guiding Opinions issued?", "date"),
    ("When was the English version of the MIIT Party group's article on new industrialization published online?", "date"),
    ("When did the ministry put out that report?", "date"),
    ("On what day were the Guiding Opinions signed?", "date"),
    ("这份文件的发文日期是？", "date"),
    ("指导意见是2024年发布的吗？", "date"),
    ("Was the Guiding Opinions issued in 2024?", "date"),
    ("管財政和稅收的部門有沒有參與這份指導意見的發文？", "signatories"),
    ("Did the Ministry of Finance take part in issuing the Guiding Opinions?", "signatories"),
    ("落款日期是哪一天？", "date"),
    ("What's the document number of the Guiding Opinions?", "number"),
    ("指導意見的文號是什麼？", "number"),
    ("What is the full title of document No. 258?", "title"),
    ("工信部聯規〔2023〕258號的發文對象包括哪些單位？", "addressees"),
    ("Which government bodies signed off on the Guiding Opinions?", "signatories"),
    ("這份文件的標題是什麼", "title"), ("这份文件叫什么？", "title"), ("What is the article called?", "title"),
    ("Who issued this policy?", "issuer"),
    ("发文机关是哪个？", "issuer"),
    ("求是那篇文章的作者是谁？", "author"),
    ("In which publication and issue did the article appear?", "source"),
    ("Where was the Qiushi article published?", "source"),
    ("Where did the article first run, and in which issue?", "source"),
    ("Which journal did the Qiushi article first appear in?", "source"),  # "article first" is no article one
    ("Which issue of Qiushi Journal did the article originally appear in?", "source"),
    ("求是文章刊登在哪一期？", "source"),
    ("證監會有沒有一起聯署這份文件？", "signatories"),
    ("這份指導意見的主送單位有哪些？", "addressees"),
    ("Who is the Guiding Opinions addressed to?", "addressees"),
    ("哪几个部门联合发的这份意见？", "signatories"),
    ("這份意見是哪些部門聯合發的？", "signatories"),
    ("Which bodies jointly issued the Guiding Opinions?", "signatories"),
    ("What issue was the Qiushi article printed in?", "source"),
    ("工信部聯規那份傳統製造業文件是哪一年的第幾號？", "number"),
    ("What number is the Guiding Opinions?", "number"),
    ("指導意見文末落款的第一個和最後一個部門各是哪個？", "signatories"),
    ("When was the report posted on the ministry's website?", "date"),
    ("the eight-ministry opinions, what's the doc number on that?", "number"),
    ("who are the departments behind the traditional manufacturing guiding opinions?", "issuer"),
    ("八部门那个意见落款是哪天", "date"),  # the day of the signatures, not the signatures
]


@pytest.mark.parametrize("question,facet", FACETS)
def test_document_fact_facets(question, facet):
    q = classify(question)
    assert (q.type, q.facet) == ("doc_fact", facet)


@pytest.mark.parametrize("question", ["中国制造2025建成的第一家国家级创新中心叫什么？", "What is the first innovation center called?"])
def test_the_name_of_a_thing_the_document_names_is_no_title_question(question):
    assert classify(question).type != "doc_fact"


def test_two_facets_in_one_question():
    assert classify("Who published the 2017 report, and when?").facets == ("issuer", "date")
    # a count of the bodies that signed: the signatures and the issuer line that counts them
    assert classify("How many government bodies jointly released the Guiding Opinions?").facets == ("signatories", "issuer")
    assert classify("落款日期是哪天？").facets == ("date",)
    # "哪个部门、哪一天发布的": which body, and which day, put it out
    assert classify("这份报告是哪个部门、哪一天发布的？").facets == ("date", "issuer")
    # how people ask of an article: who penned it, where it first ran, which day it appeared
    assert classify("这篇是谁写的？英文版哪天刊出？").facets == ("date", "author")
    assert classify("who penned the piece, and which issue did the original run in?").facets == ("author", "source")
    assert classify("When and where did the English version of the Qiushi piece come out?").facets == ("date", "source")
    # who is behind a document asks for its issuer; who is behind a push does not
    assert classify("Who was behind the push for smart manufacturing?").type != "doc_fact"
    # a document named by its number is not asked for it
    assert classify("Doc No. 258 — in a nutshell, what does it say about going green?").type != "doc_fact"
    assert classify("Who wrote it and where did it first run?").facets == ("author", "source")


REFS = [
    ("What does the first of the seven tasks in the Qiushi article cover?", SectionRef("section", 1)),
    ("What does the third of the seven key tasks commit to?", SectionRef("section", 3)),
    ("第六部分有哪些政策保障？", SectionRef("section", 6)),
    ("第六部分講了什麼？", SectionRef("section", 6)),
    ("第（十五）条讲的是什么？", SectionRef("clause", 15)),
    ("第十五条讲的是什么？", SectionRef("clause", 15)),
    ("第三部分第（五）条说了什么？", SectionRef("clause", 5, 3)),
    ("第四部分的第一條說了什麼？", SectionRef("clause", 1, 4, within=True)),  # the part's first, not (一)
    ("第五部分最后一条讲的是什么？", SectionRef("clause", -1, 5, within=True)),
    ("What's in point 2 of the Next Steps?", SectionRef("clause", 2)),
    ("What does section II cover?", SectionRef("section", 2)),
    ("What does part 5 say?", SectionRef("section", 5)),
    ('What is under "Fifth,"?', SectionRef("section", 5)),
    ("the sixth part of the article", SectionRef("section", 6)),
    ("What's in clause (11)?", SectionRef("clause", 11)),
    ("What does item (Seventeen) say?", SectionRef("clause", 17)),
]


@pytest.mark.parametrize("question,ref", REFS)
def test_section_references(question, ref):
    assert classify(question).ref == ref


@pytest.mark.parametrize("question,deictic", [
    ("这份文件的发文日期是？", True), ("這個政策想達成什麼目標？", True), ("Who issued this policy?", True),
    ("Who signed the Guiding Opinions?", False), ("产业大脑是什么？", False),
    # "in the document", wherever it stands in the question
    ("文件里关于金融支持说了什么", True), ("幫我總結一下文件裡關於金融支持的內容", True), ("总结一下文件中的主要措施", True),
    ("有哪些文件？", False)])
def test_this_document(question, deictic):
    assert classify(question).deictic is deictic


@pytest.mark.parametrize("question,qtype,how,digest", [
    # "how" questions want the measures, not one line
    ("求是文章說要怎麼增強產業鏈供應鏈的韌性和安全？", "fact", True, False),
    ("如何促进大中小企业融通发展？", "fact", True, False),
    ("How will banks support the transformation?", "fact", True, False),
    ("What is the industrial brain?", "fact", False, False),
    ("产业大脑是什么？", "fact", False, False),
    # a summary of one topic is a digest, not the whole-document overview
    ("文件里关于技术改造都有哪些安排？概括一下", "fact", False, True),
    ("Summarize what the Guiding Opinions say on finance.", "fact", False, True),
    ("On finance, summarize what the Guiding Opinions say.", "fact", False, True),
    ("Give me a quick summary of how far the integration of manufacturing and the Internet had got.", "fact", False, True),
    ("Give me a summary of the 2017 report.", "overview", False, False),
    ("Give me a rundown of the 2017 report.", "overview", False, False),
    # "MIIT's 2017 rundown" names the document: the question is what it asks of it
    ("which individual cities got the nod as pilot cities, per MIIT's 2017 rundown?", "list", False, False),
    ("What does the guidance plan for workplace safety in dangerous industries?", "fact", True, False),
    ("How were provinces brought into China Manufacturing 2025?", "fact", True, False),  # how it was done
    ("這份意見對產業集群的數字化升級有什麼打算？", "fact", True, False),
    ("數位轉型這塊，傳統製造業文件到底有什麼招？", "fact", True, False),
    # what was achieved on a topic: all of its item's achievements, as a "how" answer quotes them
    ("报告里质量品牌提升方面取得了什么成绩？", "fact", True, False),
    # what it proposes, what must be strengthened, what problems stand: the clause's measures, all of them
    ("在带动产业链上下游协作方面，意见提出了什么？", "fact", True, False), ("在數字基礎設施方面要加強什麼？", "fact", True, False),
    ("在让市场发挥更有效作用方面存在什么问题？", "fact", True, False),
    ("What does the Guiding Opinions say should happen with industrial parks and clusters?", "fact", True, False),
    ("What do the 2023 opinions offer smaller firms?", "fact", True, False),
    ("What progress had been made in combining the Internet with manufacturing?", "fact", True, False), ("What support does the guidance give SMEs?", "fact", True, False), ("在提升質量和打造品牌方面做了什麼？", "fact", True, False), ("在科研平台上有啥打算？", "fact", True, False),
    ("2017年實施報告中質量和品牌提升的進展，總結一下", "fact", False, True),
    # "关于X的文章" describes the document (as its title does), it names no topic
    ("求是那篇关于新型工业化的文章主要讲了什么？", "overview", False, False),
    ("關於加快傳統製造業轉型升級的指導意見主要講了什麼", "overview", False, False),
    ("Give me an overview of MIIT's 2017 report on China Manufacturing 2025.", "overview", False, False),
    ("请概括一下这份文件。", "overview", False, False),
    ("What is the Qiushi article about?", "overview", False, False),
    ("工信部2017年关于《中国制造2025》实施情况的那份材料，主要讲了些什么？", "overview", False, False),
    ("那份报告讲了些啥？", "overview", False, False),
    ("258号文里绿色低碳这一部分主要讲了啥？", "fact", False, False),  # a part of it, not the whole
    ("What is the Qiushi article on new industrialization about, broadly?", "overview", False, False),
    ("What is the Qiushi piece by MIIT's Party leadership group on new industrialization about?", "overview", False, False),
    # "on" after a document noun belongs to its title, not to a topic
    ("What is the Guiding Opinions on traditional manufacturing about, in a nutshell?", "overview", False, False),
    ("Give me the gist of the Qiushi piece on new industrialization", "overview", False, False),
    ("那份報告的重點內容是什麼？", "overview", False, False),
    ("请把这份文件梳理一下", "overview", False, False),
    # what the document says on one topic, or how it talks about it, summed up
    ("关于产业融合、新业态新模式，文件都说了些啥", "fact", False, True),
    ("政府在財稅、金融上會怎麼支持？整理一下文件的說法", "fact", False, True),
    ("求是那篇文章怎么谈工业绿色低碳发展的？简单总结", "fact", False, True),
    # "how does it put it", "what does it say about": the topic summed up too
    ("指导意见在金融支持方面是怎么说的？", "fact", False, True),
    ("這份意見對行業耦合發展有什麼說法", "fact", False, True),
    ("指導意見對用金融手段支持傳統製造業改造有什麼說法？", "fact", False, True),  # a longer topic
    ("請總結一下這份文件對產業佈局的安排", "fact", False, True),
    ("What did the 2017 review report about smart manufacturing?", "fact", False, True),
    ("What does this document say about going green?", "fact", False, True),
    ("What does the report say overall about quality?", "fact", False, True),
    ("文件在人才这块是怎么说的？总结一下", "fact", False, True),
    ("指導意見在金融這一塊都說了些什麼？總結下", "fact", False, True),
    ("Summarize the article's plans for digital industry.", "fact", False, True),
    ("258號文在產業布局、承接產業轉移上有什麼思路？", "fact", False, True),  # the approach to a topic
    # a topic named by what it is related to, or by what the document mentions, summed up
    ("文件里跟数据安全相关的内容，帮我整理一下", "fact", False, True),
    ("這份文件提到哪些試點示範工作？歸納一下", "fact", False, True),
    ("关于人才培养，整体说说文件的安排", "fact", False, True),
    ("請整體說說這份文件", "overview", False, False),
    ("文件打算怎樣推動產業園區改造升級？大概說說", "fact", True, False),  # a "how" question, said roughly
    ("文件提到了哪些内容？总结一下", "overview", False, False),
    ("相关部门的意见主要内容是什么？", "overview", False, False),
    ("幫我整理一下意見裡人才培養的部分", "fact", False, True),
    ("文件里讲数字化的内容大概说了啥？", "fact", False, True),
    ("Can you sum up how the report plans to support pilot cities?", "fact", False, True),
    ("Sum up the Qiushi article, please.", "overview", False, False),
    # "how is X done? sum it up": the how names the topic; "how would you sum it up" does not
    ("258號文對人才培養是怎麼部署的？幫我歸納一下", "fact", False, True),
    ("文件對數字化轉型有什麼總體思路？", "fact", False, True),
    ("這份意見對人才培養是怎麼部署的？", "fact", False, True),  # how it is arranged: what it says, summed up
    ("文件怎么安排财税支持？", "fact", True, False),  # no topic named apart: the measures
    ("Give me an overview of how the report wants pilot cities to work.", "fact", False, True),
    ("How would you summarize the report?", "overview", False, False),
    ("怎么概括这份文件？", "overview", False, False),
    ("这份文件要解决什么问题？又打算怎么解决？概括一下", "overview", False, False),
    # "what is to be done" asks for the measures
    ("強化重點行業本質安全，都要做些什麼？", "fact", True, False),
    ("What needs to be done to cut emissions?", "fact", True, False),
    ("What will be done to reinforce companies' role in innovation?", "fact", True, False),
    # what a document requires or arranges of a topic: its measures too
    ("这份文件对提升产品质量、打造品牌有什么要求？", "fact", True, False),
    ("文件對重點行業安全生產有什麼部署？", "fact", True, False),
])
def test_how_and_digest_questions_are_marked(question, qtype, how, digest):
    q = classify(question)
    assert (q.type, q.how, q.digest) == (qtype, how, digest)
    assert (q.to_dict()["how"], q.to_dict()["digest"]) == (how, digest)


@pytest.mark.parametrize("question,problems", [
    ("What problem does the Guiding Opinions try to solve?", True), ("这份文件想解决什么问题？", True),
    ("這份文件想解決什麼問題？", True), ("What is the Guiding Opinions about?", False), ("请概括一下这份文件。", False),
    # how the document judges where things stand: its opening assessment, problems included
    ("这份文件怎么评价传统制造业的家底和短板？", True),
    ("八部門文件對傳統製造業現狀是怎麼判斷的？整理一下", True),
    ("How does the document assess the current state of traditional manufacturing?", True),
    ("Where does China's traditional manufacturing stand today, per the Guiding Opinions?", True),
    ("《求是》那篇工信部文章如何分析當前推進工業化面臨的形勢？", True), ("推進新型工業化有哪些有利條件？", True),
    ("How does the Qiushi article analyse the current situation?", True),
])
def test_an_overview_asked_as_a_problem_is_marked(question, problems):
    q = classify(question)
    assert q.type == "overview" and q.problems is problems and q.to_dict()["problems"] is problems
    # asked where things stand (not what problem it solves), the assessment alone answers
    assert q.standing is (problems and "problem" not in question and "问题" not in question and "問題" not in question)


@pytest.mark.parametrize("question,facet,overview", [
    ("簡單介紹一下這份文件：誰發的、核心是什麼", "issuer", True),
    ("Who issued the Guiding Opinions and what is it about?", "issuer", True),
    ("Who issued the Guiding Opinions?", "issuer", False),
    ("这份文件的发文日期是？", "date", False),
])
def test_a_document_fact_asked_with_an_overview_is_marked(question, facet, overview):
    q = classify(question)
    assert (q.type, q.facet, q.overview, q.to_dict()["overview"]) == ("doc_fact", facet, overview, overview)


def test_what_a_thing_the_document_names_is_called_is_no_title_question():
    # "那篇提的专项行动叫什么": the initiative's name, not the article's
    assert classify("促进大中小企业融通发展，工信部那篇提的专项行动叫什么？").type == "fact"


@pytest.mark.parametrize("question", ["今年新能源车免征购置税的政策什么时候到期？", "When was the first innovation center set up?",
                                      "全國新型工業化推進大會是哪天召開的？"])
def test_when_asks_for_a_date(question):
    q = classify(question)
    assert q.type == "fact" and q.quantity and q.year  # the answer must give a date, a year counting


def test_who_put_their_name_to_it_asks_for_signatures_and_author():
    assert classify("这篇求是文章是谁署名的？").facets == ("signatories", "author")
    assert classify("文件末尾署名的单位有哪些？").facets == ("signatories",)  # the signing departments
