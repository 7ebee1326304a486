"""What kind of answer a question wants, by rule (cue words and patterns in English, 简体 and 繁體;
no model). Patterns run on the normalized question (NFKC, lowercase, 繁→简), so one 简体 pattern
also reads 繁體.

  fact      anything else: answered from the best-ranked clauses' sentences
  doc_fact  a fact about the document itself; `facet` says which: title, number, issuer,
            signatories, date, author, source (answered from the document's fact lines)
  list      有哪些 / which measures / list …: the children of the matching heading, else sentences
  outline   几部分 / the sections of …: the document's top-level sections
  section   a reference to a part of the document: 第六部分, 第（十五）条, section II, part 5,
            clause (11), under "Fifth" (`ref` holds it)
  overview  主要内容 / 讲了什么 / summarize / what is X about / overall goal: purpose, goal and outline
`deictic` marks "this document" / 这份文件: the document chosen in the app, if any.
`how` marks a fact question that asks how something is done (怎么/如何/how will …); `digest` one
that asks for a summary of a topic across the document (an overview cue with 关于/方面/about X);
`overview` a document fact asked together with an overview of the document (介绍一下…谁发的).
Order matters: a section reference wins over everything, then document facts, then overview and
outline, then list; the first rule that matches decides.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Literal

from policyqa.corpus.sources import opencc_converter
from policyqa.corpus.structure import zh_numeral

QuestionType = Literal["fact", "doc_fact", "list", "outline", "section", "overview"]
QUESTION_TYPES: tuple[QuestionType, ...] = ("fact", "doc_fact", "list", "outline", "section", "overview")
Facet = Literal["title", "number", "issuer", "signatories", "addressees", "date", "author", "source"]
RefLevel = Literal["section", "clause"]


@dataclass(frozen=True)
class SectionRef:
    level: RefLevel  # section: a top-level section or part; clause: a numbered clause "(15)"
    value: int
    section: int | None = None  # the enclosing section when both are named (第三部分第（五）条)
    within: bool = False  # the value counts the section's own clauses (第四部分的第一条); -1: the last one

    def to_dict(self) -> dict:
        return {"level": self.level, "value": self.value, "section": self.section, "within": self.within}


@dataclass(frozen=True)
class Question:
    text: str
    type: QuestionType
    facet: Facet | None = None
    ref: SectionRef | None = None
    deictic: bool = False
    facets: tuple[Facet, ...] = ()  # every facet asked ("who published it, and when?"), `facet` first
    how: bool = False  # asks how something is done (怎么/如何/how will …): the measures, not one line
    measures: bool = False  # asks how something is done or for its measures -- not how the document sees it (怎么看)
    detail: bool = False  # asks how something is done or for the items of a list -- not a document's parts (PARTS)
    opening: bool = False  # asks what the document says at its start (开头, preamble): its opening paragraphs
    goals: bool = False  # asks for the goals or targets set (量化目标, "what targets"): the goals paragraph
    positions: bool = False  # asks how something is positioned or characterized (定位成什么, "characterize")
    body: bool = False  # asks which body leads or coordinates (哪个领导机构, "which body coordinates"): one that does answers
    name: bool = False  # asks what a thing is called (叫什么, "the name of the campaign"): a sentence naming one answers
    digest: bool = False  # a summary of one topic across the document ("关于技术改造…概括一下"): many clauses
    problems: bool = False  # an overview asked as "what problem does it address": quote the problems too
    standing: bool = False  # how the document judges where things stand (现状, 形势): its assessment paragraph, whole
    overview: bool = False  # a document fact asked with an overview ("介绍一下：谁发的、核心是什么"): both
    quantity: bool = False  # a fact asked as a figure (多少/哪一年/how many): an answer without one answers nothing
    year: bool = False  # the figure asked is a year (哪一年/what year): a date is then a figure
    balance: bool = False  # how the document weighs two things (政府和市场的关系, 立和破): its principles answer too
    where: bool = False  # asks where something was held or happened: an answer naming no place answers nothing
    money: str = ""  # a sum asked for, by its scale ("billion", "亿", "元"): an answer without one answers nothing

    def to_dict(self) -> dict:
        return {"type": self.type, "facet": self.facet, "facets": list(self.facets), "ref": self.ref.to_dict() if self.ref else None,
                "deictic": self.deictic, "how": self.how, "measures": self.measures, "detail": self.detail, "opening": self.opening,
                "goals": self.goals, "positions": self.positions, "body": self.body, "name": self.name,
                "digest": self.digest, "problems": self.problems, "standing": self.standing, "overview": self.overview, "quantity": self.quantity, "year": self.year,
                "balance": self.balance, "money": self.money, "where": self.where}


_ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), 1)}
_EN_NUMBERS = {w: i for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split(), 1)}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11, "xii": 12}
_ZH_NUM = "[一二三四五六七八九十]{1,3}|\\d{1,2}"


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return opencc_converter("t2s").convert(text)


def _value(token: str) -> int | None:
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    return _ROMAN.get(token) or _EN_NUMBERS.get(token) or _ORDINALS.get(token) or zh_numeral(token)


# ------------------------------------------------------------------ section references
_ZH_SECTION = re.compile(rf"第({_ZH_NUM})(?:部分|大部分|节|章|方面)")
_ZH_CLAUSE = re.compile(rf"第\s*[(]\s*({_ZH_NUM})\s*[)]\s*[条项款]?|第({_ZH_NUM})[条项款]|[(]\s*({_ZH_NUM})\s*[)]")
_EN_SECTION = re.compile(r"\b(?:section|part|chapter)\s+(\d{1,2}|[ivx]{1,4}|" + "|".join(_EN_NUMBERS) + r")\b")
_EN_ORDINAL_PART = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\s+(?:(?:of (?:the|its) (?:\w+ ){0,2})?(?:parts?|sections?|chapters?|tasks?))\b"
                              r"|[\"“'‘](" + "|".join(_ORDINALS) + r")\b,?[\"”'’]?")
# "第四部分的第一条" / "第五部分最后一条": an ordinal among the section's clauses, not clause (一).
_ZH_WITHIN = re.compile(rf"第({_ZH_NUM})部分.{{0,4}}?(?:第({_ZH_NUM})|最后一)[条项个点款]")
# "item four", "clause (xv)" -- but "the article first appeared" names no article one.
_EN_CLAUSE = re.compile(r"\b(?:clause|article|item|paragraph|point)\s*\(?\s*(\d{1,2}|[ivx]{1,4}|" + "|".join(_EN_NUMBERS) + r")\b\s*\)?"
                        r"|\(\s*(\d{1,2}|" + "|".join(_EN_NUMBERS) + r")\s*\)")


def section_ref(q: str) -> SectionRef | None:
    """The part of a document a normalized question names, if any."""
    section = None
    if m := _ZH_SECTION.search(q):
        section = _value(m.group(1))
    elif m := _EN_SECTION.search(q):
        section = _value(m.group(1))
    elif m := _EN_ORDINAL_PART.search(q):
        section = _value(m.group(1) or m.group(2))
    if m := _ZH_WITHIN.search(q):
        return SectionRef("clause", _value(m.group(2)) if m.group(2) else -1, _value(m.group(1)), within=True)
    clause = None
    if m := _ZH_CLAUSE.search(q):
        clause = _value(next(g for g in m.groups() if g))
    elif m := _EN_CLAUSE.search(q):
        clause = _value(next(g for g in m.groups() if g))
    if clause:
        return SectionRef("clause", clause, section)
    if section:
        return SectionRef("section", section)
    return None


# Casual Chinese words for the ones the documents use ("有啥毛病" asks 有什么问题): the question is read
# in the documents' words, for its type, its search and its sentences alike. Whole words only, in
# either script; the asker's own wording is what the answer repeats.
_PLAIN = ((re.compile(r"啥时候|啥時候"), "什么时候"), (re.compile(r"咋样|咋樣"), "怎么样"), (re.compile(r"咋"), "怎么"),
          (re.compile(r"啥"), "什么"), (re.compile(r"毛病"), "问题"))


def plain(question: str) -> str:
    """The question with casual Chinese words put as the documents put them (`_PLAIN`)."""
    for pattern, word in _PLAIN:
        question = pattern.sub(word, question)
    return question


# ------------------------------------------------------------------ cue tables
_FACETS: tuple[tuple[Facet, re.Pattern], ...] = (
    ("addressees", re.compile(r"主送|(?:发文|印发|下发|发送)对象|发给谁|发给哪些|发给了?.{0,16}(?:谁|哪)|发送给谁|下发给|受文|addressed to|addressees?\b|to whom|who (?:is|was) it (?:sent|addressed) to")),
    ("signatories", re.compile(r"签署|签发|落款(?!日期|时间|是?(?:哪天|哪一天|什么时候|何时|几号))|署名|联署|会签|联名|联合印发|联合发布|联合发文|联合发|哪些部门.{0,4}(?:印发|发布|发文|签)"
                               r"|参与.{0,12}(?:发文|印发|发布|制定)|(?:take|took|taking) part in (?:issuing|drafting|publishing)|(?:involved|participat\w*) in (?:issuing|drafting|publishing)|who signed|signator|signed by|signing|signed off|sign off|co-?signed|co-?sign\b|which (?:government )?(?:departments|ministries|agencies|bodies) (?:jointly )?(?:issued|signed|published)"
                               r"|jointly (?:put out|issued|released|published|signed)")),
    ("date", re.compile(r"\d{4}年(?:发布|印发|出台|发)的?吗|(?:issued|published|released) in \d{4}\b|发文日期|落款日期|落款时间|落款是?(?:哪天|哪一天|什么时候|何时|几号)|成文日期|印发日期|发布日期|发布时间|印发时间|(?:什么时候|何时|哪天|哪一天|哪年|哪个日期).{0,6}(?:发|印发|发布|发表|签|出台|公布|刊出|刊登|刊载|登出|上线)"
                        r"|(?:发|印发|发布|发表|出台).{0,4}(?:什么时候|何时|哪天|哪一天)|日期"
                        r"|\bwhen (?:and where )?(?:was|were|did)\b[^?]{0,120}?\b(?:issu|publish|sign|releas|dat|written|appear|post|upload|put out|come out|came out)"
                        r"|\bwhat date\b|\bwhich date\b|\b(?:release|publication|posting) (?:date|time)\b|\b(?:what|which) day\b|\bdate of\b|\bissue date\b|\bdated\b|\bdate (?:is|on)\b")),
    # "叫什么" / "what is … called" of the document itself, not of a thing it names ("第一家创新中心叫什么")
    ("title", re.compile(r"标题|题目|全称|全名|名称|(?:文件|文章|报告|意见|这份|这篇|那份|那篇|它|该文)(?:(?!的(?!全称|名字|名称|标题|题目))[^，,。？?]){0,8}叫什么|^叫什么|\btitle\b|full name|公文种类|文种|哪一?类公文|什么(?:类型|类别|性质|种类)的?(?:文件|公文)|(?:what|which) (?:sort|kind|type) of (?:document|policy document|official document)"
                         r"|what is (?:the|this|that|its) (?:document|article|report|policy|paper|opinions?|piece|text)\b.{0,20}called|\bwhat is it called|official name")),
    ("number", re.compile(r"文号|发文字号|文件号|编号|document number|reference number|\bdoc(?:ument)? (?:no|number)\b(?!\.?\s*\d)|\bwhat number\b|第几号|几号文")),
    ("author", re.compile(r"作者|署名(?!的?(?:单位|部门|机关|机构))|谁写|哪个单位写|撰写|who wrote|who is the author|author|written by|who authored|\bpenned\b")),
    ("issuer", re.compile(r"发文机关|发文单位|发文部门|印发机关|印发单位|印发部门|出台部门|发布部门|发布机构|发布单位|牵头|(?:几|多少)个?(?:部门|单位|机构)"
                          r"|how many (?:\w+ )?(?:departments|ministries|agencies|bodies)|(?:由|是)?(?:谁|哪个部门|哪个机构|哪些机构)(?:发布|印发|发的|制定|出台|发文)|是谁发"
                          r"|(?:哪个|哪一个)(?:部门|机构|单位)[、，,和及]"
                          r"|who (?:issued|published|released|is the issuer|puts? out|has put out)|\bwho(?:\'s| is| are| was| were)(?: \w+){0,3} behind (?:it|this|that|the (?:[\w-]+ ){0,6}(?:opinions?|document|policy|report|article|piece|guidance|guidelines|paper))\b|issued by|issuing (?:body|authority|agency)"
                          r"|which (?:ministry|department|agency|body) (?:issued|published)|publisher"
                          r"|state council (?:document|paper|file)|国务院(?:发|印发|发布)的|国务院文件")),
    ("source", re.compile(r"出处|刊登|刊发|发表在|发表于|哪个刊物|哪本杂志|哪一期|第几期|来源|where (?:was|is) .{0,40}(?:published|from)|which journal|source of"
                          r"|which issue of|what issue of|\b(?:which|what) (?:publication|periodical|magazine)\b|\bin (?:which|what) issue\b|(?:first |originally )(?:appear|ran|run|print)\w* in\b|(?:which|what) issue\b.{0,40}\bin\W*$|(?:first |originally )?(?:appear|ran|run|print)\w* in (?:which|what)\b|(?:originally|first) (?:appeared|published|ran|printed) in|\bwhere (?:did|was|were) .{0,80}\b(?:run|appear|printed|come out|came out)\b|(?:put|posted|went|go|goes) online")),
)
_OVERVIEW = re.compile(
    r"主要内容|核心内容|重点内容|概括|概述|总结|梳理|归纳|整理一下|(?:整体|总体|大致|大概)(?:说说|讲讲|介绍)(?:一下)?(?:这份|这篇|这个|该|本)(?:文件|文章|报告|意见)|总体目标|主要目标|总体要求|指导思想|基本原则|总体思路|(?:什么|哪些|哪个)方向|什么路径|"
    r"(?:达成|实现|达到)什么目标|目标是什么|主旨|大意(?!义)|要点|介绍一下|介绍下|简单说说|简要说明|解决什么问题|核心观点|主要观点|中心思想"
    r"|overview|summar|\bsum (?:up|it up)\b|(?<!\bper )(?<!\bin )(?<!according to )(?<!'s )(?<!\d )\brun-?down\b|\bbig picture\b|\brecap\b|introduce (?:the|this)|what problems? does .{1,60} (?:solve|address|tackle)|main idea|main argument|key message|central idea|main point|gist|in a nutshell|key points of|overall goal|main goal|main objective|overall requirements?|general requirements?|guiding (?:principles|ideology|thought)|basic principles"
    r"|what(?:'s| is| are) .{1,100} about(?:,? (?:broadly|overall|in general|in short|in brief|basically|mainly|in a few words))?\W*$|what does .{1,60} aim|purpose of (?:the|this)|tell me about (?:the|this)")
# "讲了什么" asks for an overview only when no topic narrows it ("关于人工智能说了什么" is a fact question).
_WHAT_SAYS = re.compile(r"^.{0,16}?(?:主要(?:讲|说|写|谈)了?些?(?:哪些|什么|啥)(?:内容|方面)?|讲了些?(?:什么|啥)|讲的是什么|讲什么|说了些?(?:什么|啥)|说的是什么|是关于什么|写了些?什么)\W*$")
# "关于X，文件都说了些啥": what the document says on one topic, summed up (a digest).
_SAYS = re.compile(r"(?:整体|总体|大致|大概)(?:说说|讲讲|介绍)|(?:怎么|如何|怎样)(?:部署|安排)的?|(?:什么|哪些)思路|思路是|说了些?(?:什么|啥)|讲了些?(?:什么|啥)|都说了|都讲了|提了些?(?:什么|啥)|(?:是)?(?:怎么|如何)(?:说|讲|论述|表述)的?"
                   r"|(?:什么|哪些|何)说法|\b(?:say|says|said|report|reports|reported)\s+(?:\w+\s+){0,2}(?:about|on)\b")
_TOPIC = re.compile(r"关于|有关|对.{1,12}(?:说|讲|论述)|这一?(?:部分|块)|\babout\s+\w")
# A summary asked of one topic ("关于技术改造…概括一下", "在国际合作方面…总结一下", "summarize what it says on finance").
# "on" right after a document noun is part of its title ("the Guiding Opinions on traditional manufacturing").
_DIGEST_TOPIC = re.compile(r"关于|有关|方面|这一?块|\b(?:plans?|measures|policies|steps|proposals) for\s+\w|对[^，,。？?]{2,12}的(?:安排|部署|要求|规定|措施|说法)|对[^，,。？?]{2,20}有(?:什么|哪些|何)(?:说法|总体思路|思路|考虑|部署|安排|要求)|对[^，,。？?]{2,16}(?:是)?(?:怎么|如何|怎样)|在[^在上]{1,12}上|(?:谈到?|谈及|提到|涉及)(?!了?(?:什么|啥|些什么|哪些)(?:内容|方面|东西)?(?:\W|$))|(?<!有)相关(?!部门|单位|机构|方面)|[^第，,。？?\d]{2,12}的(?:部分|内容|进展|成效|成绩)(?!是)|\bhow\b(?! (?:would|do|can|should) (?:you|i|we)\b).{1,60}\b(?:plans?|intends?|aims?|means|proposes?|wants?|expects?|will|would)\b(?: to)?\s+\w|\b(?:summary|overview|recap|rundown) of (?!(?:the|this|that|its|these|[\w.]+'s)\s+(?:\w+\s+){0,3}?(?:reports?|documents?|articles?|pieces?|papers?|guidelines?|opinions?|policy|policies|texts?)\b)\w|\bhow far\b|\b(?:about|regarding|(?<!opinions )(?<!opinion )(?<!report )(?<!article )(?<!guidelines )(?<!piece )(?<!paper )(?<!document )(?<!group )on)"
                           r"\s+(?!(?:the|this)\s+(?:document|policy|article|report|opinions)\b)\w")
# "parts of" a document asks for its outline; "parts of the manufacturing process" does not.
_DOC_NOUN = r"(?:the |this |that |its )?(?:\w+ )?(?:document|policy|opinions?|article|report|paper|text|piece|qiushi)\b"
# "结构" / "structure" of the text, not of an economy ("产业结构调整", "upgrading the industrial structure").
_OUTLINE = re.compile(r"几部分|几个部分|哪几部分|哪些部分|分为哪|分成哪|分几|(?<!产业)(?<!经济)(?<!行业)(?<!能源)(?<!供给)结构(?!调整|优化|升级|转型|性)|(?<!管理)(?<!指导)(?<!产品)(?<!技术)(?<!应用)(?<!推广)(?<!名单)目录|提纲|框架|大纲"
                      rf"|(?:sections|parts|chapters|headings) of {_DOC_NOUN}|\boutline\b|(?<!industrial )(?<!economic )(?<!industry )(?<!energy )\bstructure\b(?! of (?!{_DOC_NOUN}))|\bstructured\b|table of contents"
                      r"|how many (?:sections|parts|chapters)|list (?:the|its) (?:sections|parts)"
                      rf"|(?:what|which) (?:sections|parts)\b(?! of (?!{_DOC_NOUN}))")
_LIST = re.compile(r"有哪些|哪些|哪几|哪些方面|包括什么|包含什么|包括哪|列出|列举|分别是|有几项|几项|哪七|哪五|哪六|哪三|哪四"
                   r"|\blist\b|\bwhich (?!(?:is|was|has|does)\b)(?:[\w-]+ )?\w+[^\Ws]s\b|\bwhat (?!(?:is|was|has|does)\b)(?:\w+ ){0,2}\w+[^\Ws]s (?:and \w+[^\Ws]s )?(?:does|do|did|are|were|will|should|can|must)\b|what (?:are|were) the\b|what measures|what steps|what tasks|key tasks|main tasks"
                   r"|enumerate|name the|what kinds|what kind of|\b(?:what|which) (?:types?|categories|sorts?) of\b")
# An overview asked as "what problem does it address" also quotes the problems the document names.
# How the document judges where things stand ("对传统制造业现状怎么判断", "家底和短板"): its opening
# part's assessment, problems included, is the answer.
_STANDING = re.compile(r"(?:现状|形势|家底|短板|发展基础|基本情况).{0,12}(?:判断|评价|看待|分析|认识|估计)|(?:判断|评价|看待|分析|认识)[^，,。？?]{0,16}(?:现状|形势|家底|短板)"
                       r"|有利条件|\b(?:assess|judge|evaluat|describe|see|view|analy[sz])\w*\b.{0,50}\b(?:current|present) (?:state|standing|condition|situation)\b"
                       r"|\bwhere (?:does|do|did) .{1,60}\bstand\b")
_PROBLEMS = re.compile(r"问题|困难|挑战|problem|challenge|difficult")
_HOW = re.compile(r"怎么|如何|怎样|采取什么|提出了?(?:什么|哪些|啥)|要(?:加强|推进|推动|发展|支持|做好|抓好|强化)(?:些)?什么|存在(?:什么|哪些)问题|\bsays? (?:should|must|will) (?:happen|be done)\b|\bwhat (?:support|help|incentives) (?:does|do|did|will|would)\b|\bwhat progress (?:had|has|have) been made\b|\bwhat (?:does|do|did) .{1,60}\b(?:offer|propose)\b|有(?:什么|哪些|啥)(?:举措|措施|安排|办法|要求|部署|打算|计划|考虑|做法|招数?|高招|妙招|路子)|要?做(?:些|哪些)?什么|要做哪些|\bhow (?:will|should|does|do|did|can|is|are|was|were|to)\b"
                  r"|\bwhat (?:will|should|must|does|do) .{1,60} do\b|what needs to be done|\bwhat (?:does|do|did|will|would) .{1,80}\bplan (?:for|to|on)\b|\bwhat (?:will|is to|would|should) be done\b|\bwhat(?:'s| is) being done\b")
# How the document sees or describes something ("怎么看…处境", "how does it describe…"): a view, not measures.
_VIEW = re.compile(r"(?:怎么|如何|怎样)(?:看待?|描述|分析|判断|评价|定位|认识|理解|形容|概括|论述|阐述)|\bhow (?:does|do|did) .{1,80}\b(?:see|view|describe|assess|characteri[sz]e|judge|evaluate|portray)\b")
# Why something is done: the document's reasons (its opening says them), not its measures.
_WHY = re.compile(r"为什么|为何|\bwhy\b", re.IGNORECASE)
def asks_why(question: str) -> bool:
    """Whether the question asks why (为什么, why): reasons, which a document's opening gives."""
    return bool(_WHY.search(normalize(question)))


# A list of a document's parts, tasks or aspects ("主要讲了哪几个方面", "key tasks"), or of the kinds of
# something ("哪些类型的企业"): what its parts' topic lines state.
PARTS = re.compile(r"任务|任務|部分|[哪几幾][些个個]?方面|tasks|parts|points|pillars|aspects", re.IGNORECASE)
_KINDS_OF = re.compile(r"类型|類型|種類|种类|\bkinds\b|\btypes\b", re.IGNORECASE)
# What the document says at its start ("文件开头怎么说", "according to its preamble"): its opening paragraphs.
_OPENING = re.compile(r"开头|开篇|开宗明义|一开始|前言|引言|\b(?:at|in) the (?:very )?(?:start|beginning|opening)\b|\bopening (?:paragraphs?|part|lines?|section)\b|\bpreamble\b|\bintroduction\b", re.IGNORECASE)
# The goals or targets a document sets ("设了哪些量化目标", "what measurable goals"): its goals paragraph.
_GOALS = re.compile(r"目标|指标|\b(?:goals?|targets?|objectives?)\b(?!-)", re.IGNORECASE)
# How something is positioned or characterized ("把《中国制造2025》定位成什么", "how does it characterize"):
# of the document's own subject, its opening says.
_POSITIONS = re.compile(r"定位|定性|称为|称作|称之为|视为|看作|\bcharacteri[sz]\w*|\bposition(?:s|ed)?\b|\b(?:describe|call)s? .{1,60}\bas\b", re.IGNORECASE)
# Kinds of named undertaking a question asks the name of ("开展的是什么行动", "实施什么工程").
NAME_KINDS = "行动|活动|工程|计划|专项|倡议"
# What a thing is called: "叫什么", "开展的是什么行动", "what's the name of the campaign", "what is it called".
_NAME = re.compile(rf"叫(?:做)?(?:什么|啥)|(?:什么|啥)名(?:字|称)|(?:是|开展|实施|启动|推出|发起)(?:的是|了)?什么(?:{NAME_KINDS})"
                   r"|\bname of (?:the|this|that|a|an|its)\b|\bwhat(?:'s| is| was| are| were) (?:the |this |that |it )?(?:[\w-]+ ){0,5}called\b|\bcalled what\b", re.IGNORECASE)
# Which body leads or coordinates something ("由哪个机构统筹协调", "哪個領導機構", "which body oversees").
_BODY = re.compile(r"哪个(?:领导)?(?:机构|组织|小组)|\bwhich (?:body|agency|organi[sz]ation|group|authority|institution)\b|\bwho (?:coordinates|leads|oversees|steers)\b", re.IGNORECASE)
# Where something was held or happened ("在哪里召开", "where was it held"): a place is the answer.
_WHERE = re.compile(r"在哪(?:里|儿|个城市|座城市)?(?:召开|举行|举办|开的|发生)|(?:召开|举行|举办)地点|\bwhere (?:was|were|is|did|will) .{0,60}\b(?:held|hold|take place|took place|convened|happen)", re.IGNORECASE)
# What was achieved on something ("质量品牌方面取得了什么成绩", "在…方面做了什么"): an item of a report's
# progress lists its achievements, all of them the answer, as a "how" question's measures are (in
# Chinese: "what had been achieved" also turned English questions into a section's list, and lost one).
_ACHIEVED = re.compile(r"取得了?(?:什么|哪些|啥)(?:样的)?(?:成绩|成效|进展|成果|突破|效果)|做了(?:什么|哪些|啥)")
# What a part of the document holds ("what's covered in part III", "what does section 2 propose"):
# its content, not just its items' titles.
_COVERS = re.compile(r"\bcover(?:s|ed)?\b|\bwhat(?:'s| is) in\b|\bpropos\w*|\boutline what\b|内容|讲|说|提出", re.IGNORECASE)
# When something was or will be: a year or date is what such a question asks for.
_WHEN = r"哪一?年|何年|哪一?天|什么时候|何时|\bwhen (?:was|were|did|will|is|are)\b"
_QUANTITY = re.compile(rf"多少|(?<![那这])几[个项家条年座批成倍]|{_WHEN}|百分之几|比例是|\bhow (?:many|much)\b|\b(?:what|which) (?:exact |precise |specific )?(?:percentage|share|proportion|year|number|figure|amount|(?:interest )?rate)s?\b|\bin percent\b"
                       r"|\bby how much\b", re.IGNORECASE)
_YEAR_ASKED = re.compile(rf"{_WHEN}|几几年|\b(?:what|which) year\b|\bin what year\b|\bwhat date\b")
# A sum of money asked for, with the scale it is asked in ("how many billion yuan", "多少亿元", "多少钱").
_MONEY = re.compile(r"\bhow (?:many|much)\b[^?]{0,24}?\b(million|billion|trillion)\b|\bhow much (?:[\w-]+ ){0,3}?(?:money|funding|funds?|investment|subsid(?:y|ies))\b|多少(万亿|亿)元|多少(?:万元|元|钱)|多少(?:资金|经费|罚款|罚金|补贴|补助|奖励|奖金)|(?:几|多少)(万亿|亿)")
# How a document weighs two things against each other: the balance its guiding principles strike
# ("坚持市场主导、政府引导", "先立后破、有保有压") is part of the answer.
_BALANCE = re.compile(r"(?:处理|平衡|把握|协调|权衡|看待|摆正)好?.{0,24}(?:关系|之间)|(?:和|与|同).{1,12}的关系|兼顾|(?:怎么|如何|怎样)(?:平衡|权衡)"
                      r"|\bbalanc\w*\b|relationship between|\btrade-?offs?\b|\bweigh\w*\b.{0,40}\bagainst\b")
_DEICTIC = re.compile(r"这份|这个文件|这个政策|该文件|本文件|此文件|这篇|这一文件|该政策|本政策|这项政策|这个意见|该意见"
                      r"|^文件|文件[里中内]|this (?:document|policy|file|paper|article|report|text|opinion)|the document\b|the policy\b")


# "How is X done? Sum it up": the how names a topic -- unless it is how to sum up ("怎么概括这份文件").
_HOW_SUMMARY = re.compile(r"(?:怎么|如何|怎样)来?(?:概括|总结|归纳|梳理|介绍|评价这份)|\bhow (?:would|do|can|should|to) (?:you |i |we )?(?:summar|sum up|describe|introduce)")


def _how_topic(q: str) -> bool:
    # "想解决什么问题，打算怎么解决": how the document goes about its purpose is its overview
    return bool(_HOW.search(q)) and not _HOW_SUMMARY.search(q) and not _PROBLEMS.search(q)


# "关于X的文章/文件" describes a document, as its title does ("关于加快…的指导意见"): no topic of the question.
_DOC_ABOUT = re.compile(r"关于[^，,。？?、]{1,24}?的(?=(?:那篇|那份|这篇|这份|一篇|一份)?(?:文章|文件|报告|指导意见|意见|材料|通知))")


def classify(question: str) -> Question:
    q, text = _classify(question), normalize(question)
    return replace(q, opening=bool(_OPENING.search(text)), goals=bool(_GOALS.search(text)),
                   positions=bool(_POSITIONS.search(text)), body=bool(_BODY.search(text)), name=bool(_NAME.search(text)))


def _classify(question: str) -> Question:
    q = _DOC_ABOUT.sub("", normalize(question).strip())
    deictic = bool(_DEICTIC.search(q))
    ref = section_ref(q)
    if ref is not None:
        return Question(question, "section", ref=ref, deictic=deictic,
                        how=bool(_OVERVIEW.search(q) or _SAYS.search(q) or _HOW.search(q) or _COVERS.search(q)))
    facets = tuple(f for f, pattern in _FACETS if pattern.search(q))
    if re.search(r"\band when\b|什么时候|何时", q) and "date" not in facets and facets:
        facets += ("date",)
    if facets:
        return Question(question, "doc_fact", facet=facets[0], deictic=deictic, facets=facets,
                        overview=bool(_OVERVIEW.search(q)) and not _DIGEST_TOPIC.search(q))
    if _OUTLINE.search(q):
        return Question(question, "outline", deictic=deictic)
    if _STANDING.search(q):
        return Question(question, "overview", deictic=deictic, problems=True, standing=True)
    overview = bool(_OVERVIEW.search(q))
    if ((overview or _SAYS.search(q)) and _DIGEST_TOPIC.search(q)) or (overview and _how_topic(q)):
        return Question(question, "fact", deictic=deictic, digest=True)
    if overview or (_WHAT_SAYS.search(q) and not _TOPIC.search(q)):
        return Question(question, "overview", deictic=deictic, problems=bool(_PROBLEMS.search(q)))
    if _LIST.search(q):
        return Question(question, "list", deictic=deictic, detail=not (PARTS.search(q) or _KINDS_OF.search(q)))
    money, how = _MONEY.search(q), bool(_HOW.search(q) or _ACHIEVED.search(q))
    return Question(question, "fact", deictic=deictic, how=how, measures=how and not _VIEW.search(q) and not _WHY.search(q),
                    detail=how, quantity=bool(_QUANTITY.search(q)), year=bool(_YEAR_ASKED.search(q)),
                    money=next((g for g in money.groups() if g), "元") if money else "",
                    balance=bool(_BALANCE.search(q)), where=bool(_WHERE.search(q)))
