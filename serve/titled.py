"""A clause the question names by its title: "优化产业结构有什么要求" asks for （二）持续优化产业结构.

A numbered clause's title states its topic in a few words, and a question that repeats most of them
asks about that clause. Its body rarely repeats them (it lists the measures: 锻长板, 去产能, …), so
sentence choice alone prefers some other clause's sentence that shares a word with the question
("优化国家制造业创新中心…布局"). The clause whose title the question covers best -- the idf-weighted
share of the title's words the question has, at least TITLE_COVER and two words -- becomes the
anchor, and its measures are quoted as for a "how" question. Likewise a question that names a
top-level section of the document it is scoped to by its heading's words ("planned next steps" →
"III. Next Steps") is answered with that section's items, each with its leading measures. Within one
language: across languages a title's words are dictionary senses, too loose to replace an answer
with a section, and they name an English item only by CLAUSE_WORDS of its title's words at least, and
only when no other item is so named (glossed_clauses); a named English section only lifts its sentences
(glossed_sections, SECTION_BOOST): "下一步试点城市要扩大到多少个" asks for the next steps' 20 to 30
cities, not the 8 pilot cities so far. A numbered slogan (五大工程) names what an English text
calls "Five major programs" (numbered_slogans), and lifts the sentences that say so the same way.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from policyqa.corpus.types import Lang, Unit
from policyqa.index.bridge import spanning_phrases
from policyqa.serve.cited import version
from policyqa.serve.facts import GOAL_RATES, goal_rates, is_preamble
from policyqa.serve.records import Scored
from policyqa.serve.outline import is_salutation, tree
from policyqa.serve.question import normalize
from policyqa.serve.records import Source, family_of

# Chosen on the tuning half: for clauses 0.4 to 0.6 gave the same gains and only sensible changes,
# 0.3 and below also re-anchored questions that merely share two common title words with a clause;
# for sections 0.6 and 0.8 gave the same.
TITLE_COVER = 0.6
MIN_WORDS = 2


def cover(bank, question: set[str], title: Sequence[str]) -> float:
    """The idf-weighted share of a title's words the question has; 0 below MIN_WORDS of them."""
    total = sum(bank.idf(w) for w in set(title))
    found = {w for w in title if w in question}
    return sum(bank.idf(w) for w in found) / total if total and len(found) >= MIN_WORDS else 0.0


def titled_clause(bank, query: str, sources: Sequence[Source], qlang: Lang) -> str | None:
    """The unit key of the source whose title the question names, or None."""
    tokens = set(bank.tokenize(query))
    best, key = 0.0, None
    for src in sources:
        if (src.unit.lang == "en") != (qlang == "en"):
            continue
        for title in (s for s in bank.sentences(src.unit) if s.title):
            if (c := cover(bank, tokens, tuple(title.tokens))) > best:
                best, key = c, src.unit.key
    return key if best >= TITLE_COVER else None


def titled_section(bank, store, query: str, family: str, qlang: Lang, lang: Lang | None = None) -> int | None:
    """The number (1-based, in reading order) of the family's top-level section whose heading the
    question names by its words ("What were MIIT's planned next steps?" → "III. Next Steps"), or None."""
    headings = [version(store, node.heading.clause_id, qlang, lang) or node.heading for node in tree(store, family)[1]]
    found = _best_heading(bank, set(bank.tokenize(query)), headings, english=qlang == "en")
    return headings.index(found) + 1 if found is not None else None


# How far things have got, what stands in the way, or what comes next, asked of a whole document
# ("What progress did MIIT report?", "中国制造2025实施以来取得了哪些进展？", "what obstacles did MIIT
# see?", "下一步工作有什么安排？"): its section headed by progress, by difficulties and problems, or by
# next steps answers -- in any language -- when the question names no other topic.
# Analyzer tokens (English stemmed, Chinese folded); SCAFFOLD are the words such a question is built
# from besides: when, who said it, and how it asks.
PROGRESS = frozenset("progress achiev accomplish ground cover 进展 成效 成绩 成果".split())
PROBLEMS = frozenset("problem difficulti obstacl challeng hurdl bottleneck 困难 问题 挑战 障碍 瓶颈".split())
NEXT = frozenset("next 下一步 接下来 今后 下步".split())
SCAFFOLD = frozenset(
    "what which how did do doe had has have been be is ar wa were report review say said made make so far up see saw fac face "
    "as of by at per accord sinc earli late overal main major key whole thing januari februari march april may june juli "
    "august septemb octob novemb decemb year carri out implement "
    "roll in the step plan work arrang "
    "实施 以来 取得 目前 截至 截止 哪些 什么 主要 情况 总体 整体 年 月 初 底 以后 到 为止 存在 遇到 面临 认为 列出 列举 指出 提到 说 讲 工作 安排 打算 计划 部署 做 要 都 有 "
    "这份 那份 这篇 那篇 关于 报告 文件 材料 文章 工信部 miit 我 请问 请 帮 一下 看看 知道 想 份 篇".split()
)


POSITION = frozenset("定位 定性 character posit 成 为 把 将 给 样 么".split())


def only_scaffold(bank, query: str) -> bool:
    """Whether the question's words, its document's name taken out, only ask (SCAFFOLD, POSITION):
    "2017年那份报告把《》定位成什么" asks about the document's subject itself."""
    query = re.sub(r"什么样的?[\u4e00-\u9fff]{1,3}", " ", normalize(query))  # 什么样的纲领: the kind asked for
    return all(t in SCAFFOLD or t in POSITION or t.isdigit() for t in bank.tokenize(query))


_ASKS = re.compile(r"怎|如何|什么|啥|哪|吗|几|多少|\b(?:how|what|which|who|when|why)\b")  # the clause that asks stays
_CJK_SCAFFOLD = sorted((w for w in SCAFFOLD if len(w) > 1 and not w.isascii()), key=len, reverse=True)
_CLAUSE = re.compile(r"[^，,。？?！!；;]+[，,。？?！!；;]*")


def without_naming_clause(bank, question: str, keys: Sequence[str]) -> str:
    """The question without a clause that only says which document it means ("…怎么布局的？我说的是
    求是上工信部那篇"): once the document is scoped, such a clause is no evidence for any of its
    sentences, and its leftovers, the name taken out, are noise (jieba cuts 上工信部 into 上工/信部).
    `keys`: the document's folded names. Unchanged when no such clause, or nothing else, is left."""
    from policyqa.serve.docscope import fold

    clauses = _CLAUSE.findall(question)
    kept = []
    for i, c in enumerate(clauses):
        folded = fold(c)
        if i == 0:  # a leading clause names the document and often the topic with it
            kept.append(c)
            continue
        said = [k for k in keys if k in folded]
        rest = folded
        for k in sorted(said, key=len, reverse=True) + _CJK_SCAFFOLD:  # whole, before jieba cuts across them
            rest = rest.replace(k, " ")
        if said and not _ASKS.search(folded) and all(t in SCAFFOLD or len(t) == 1 for t in bank.tokenize(rest)):
            continue
        kept.append(c)
    out = "".join(kept).strip()
    return out if kept and len(kept) < len(clauses) and len(re.sub(r"\W", "", out)) >= 4 else question


# Phrases that say what single words would: what is "holding back" something are its obstacles; a
# "progress report" is the document, no progress asked.
_STANDING_PHRASES = re.compile(r"\b(hold(?:s|ing)? (?:\w+ )?back|stand(?:s|ing)? in the way)\b|\bprogress (?=report\b)report\b", re.IGNORECASE)


def standing_section(bank, store, query: str, family: str) -> int | None:
    """The number of the family's top-level section headed by progress ("I. Progress of Main
    Activities"), by problems ("II. Main Difficulties and Problems") or by next steps ("III. Next
    Steps"), when the question asks how far things have got, what stands in the way or what comes
    next, and names nothing else."""
    query = _STANDING_PHRASES.sub(lambda m: " obstacles " if m.group(1) else " report ", query)
    text, tokens = normalize(query), bank.tokenize(query)
    phrases = spanning_phrases(text, tokens)  # 下一步, which jieba splits (对下 / 一步)
    around = [text[max(0, i - 1): i + len(p) + 1] for p in phrases if (i := text.find(p)) >= 0]
    tokens = {t for t in tokens if not any(t in w for w in around)} | set(phrases)
    tokens = {t for t in tokens if not any(t != v and t in v for v in tokens)}  # 接下来, not 接下 and 下来
    asked = next((words for words in (PROGRESS, PROBLEMS, NEXT) if tokens & words), None)
    if asked is None or any(t not in asked and t not in SCAFFOLD and not t.isdigit() for t in tokens):
        return None
    headings = [node.heading for node in tree(store, family)[1]]
    return next((i + 1 for i, h in enumerate(headings) if any(t in asked for s in bank.sentences(h) for t in s.tokens)), None)


def _best_heading(bank, words: set[str], headings: Sequence[Unit], english: bool) -> Unit | None:
    """Of the headings in the language asked for, the one whose words (without its number) `words`
    cover best, at TITLE_COVER at least."""
    best, hit = 0.0, None
    for h in headings:
        if (h.lang == "en") != english:
            continue
        text = h.text[len(h.number):] if h.number and h.text.startswith(h.number) else h.text
        if (c := cover(bank, words, tuple(bank.tokenize(text)))) > best:
            best, hit = c, h
    return hit if best >= TITLE_COVER else None


# A part asked for by its topic ("绿色低碳这一部分主要讲了啥", "the part of the article on green
# development"): the top-level section whose heading holds SECTION_ON of the topic's words.
_PART_ON = re.compile(r"[这那]一?(?:部分|块|节)|\b(?:part|section|chapter)s? (?:of [^?]{0,60}?)?(?:on|about|dealing with|that deals with)\b", re.IGNORECASE)
SECTION_ON = 0.6


def section_on(bank, store, query: str, family: str, qlang: Lang, lang: Lang | None = None) -> int | None:
    """The number of the family's top-level section a question asks for by its topic, or None."""
    if not _PART_ON.search(normalize(query)):
        return None
    topic = " ".join(t for t in bank.tokenize(_PART_ON.sub(" ", normalize(query))) if t not in SCAFFOLD and t not in _PART_WORDS)
    if not topic:
        return None
    words = bank.query_words(topic, qlang)
    shares = []
    for node in tree(store, family)[1]:
        h = version(store, node.heading.clause_id, qlang, lang) or node.heading
        shares.append(max((bank.overlap(words, s, h.lang) for s in bank.sentences(h)), default=0.0))
    ranked = sorted(range(len(shares)), key=lambda i: -shares[i])
    if ranked and shares[ranked[0]] >= SECTION_ON and (len(ranked) == 1 or shares[ranked[1]] < shares[ranked[0]]):
        return ranked[0] + 1
    return None


_PART_WORDS = frozenset("部分 主要 讲 啥 内容 说 里 part section chapter articl report document say cover".split())


# A Chinese question naming an English section by its heading's senses (下一步 "the next step" →
# "III. Next Steps") lifts that section's sentences by this much: chosen on the tuning half (0.15
# to 0.4 gave the same answers, 0.1 fewer). A question about a document's opening (开头, "its
# preamble") lifts the opening paragraphs' sentences as much (0.15 and 0.25 the same).
SECTION_BOOST = 0.25
# Across languages an item's title is named only by this many of its words' senses at least, and only
# when it is the one item so named: a dictionary sense is looser than a word (chosen on the tuning
# half: 2 and 3 gave the same answers; 3 is the safer).
CLAUSE_WORDS = 3


def glossed_sections(bank, store, query: str, families: Sequence[str]) -> set[str]:
    """The top-level English headings (as written) that a Chinese question names through its words'
    dictionary senses, a jieba-split dictionary word whole (下一步) included: at most one per family,
    the one whose words the senses cover best, at TITLE_COVER at least."""
    glossed = bank.query_words(query, "zh-Hans", phrases=True).glossed or ()
    senses = {t for _, group in glossed for sense in group for t in sense}
    found = (_best_heading(bank, senses, [node.heading for node in tree(store, family)[1]], english=True)
             for family in families)
    return {h.text for h in found if h is not None}


def glossed_clauses(bank, query: str, sources: Sequence[Source]) -> set[str]:
    """The English numbered items among `sources` whose titles a Chinese question names through its
    words' senses ("下一步打算怎么优化制造业发展环境" → "5. To optimize development environment for
    manufacturing sector"): those whose title words the senses cover at TITLE_COVER at least, by
    CLAUSE_WORDS words at least, as unit keys."""
    glossed = bank.query_words(query, "zh-Hans", phrases=True).glossed or ()
    senses = {t for _, group in glossed for sense in group for t in sense}
    out = set()
    for src in sources:
        if src.unit.lang != "en" or not src.unit.number:
            continue
        for title in (x for x in bank.sentences(src.unit) if x.title):
            words = set(title.tokens)
            if len(words & senses) >= CLAUSE_WORDS and cover(bank, senses, tuple(title.tokens)) >= TITLE_COVER:
                out.add(src.unit.key)
    return out


_SLOGAN = re.compile(r"([一二两三四五六七八九十几])大[\u4e00-\u9fff]")
_EN_NUMBER = dict(zip("一二两三四五六七八九十", "one two two three four five six seven eight nine ten".split()),
                  几="(?:two|three|four|five|six|seven|eight|nine|ten)")  # 几大工程: "the Five Major Programs", whichever


def numbered_slogans(query: str) -> list[re.Pattern]:
    """For a numbered slogan of a Chinese question ("五大工程", "三大攻坚战"), the English way such
    slogans are translated ("Five major programs", "three key battles"), as patterns."""
    return [re.compile(rf"\b{_EN_NUMBER[m.group(1)]}\s+(?:major|big|key|great|main)\b", re.IGNORECASE)
            for m in _SLOGAN.finditer(normalize(query))]


def lift_named(bank, store, query: str, scored: Sequence[Scored], qlang: Lang, fact: bool,
               opening: bool = False) -> tuple[list[Scored], set[str]]:
    """`scored` with the sentences of what the question names lifted by SECTION_BOOST each, best first;
    and the sections named. For a Chinese question: the English sections it names (a fact question's;
    glossed_sections, among the best three sentences' documents) and its slogans (numbered_slogans);
    `opening` (it asks what a document says at its start, 开头): the opening paragraphs."""
    if not scored:
        return list(scored), set()
    chinese = qlang != "en"
    sections = glossed_sections(bank, store, query, {family_of(s.source.unit) for s in scored[:3]}) if fact and chinese else set()
    slogans = numbered_slogans(query) if chinese else []
    if not sections and not slogans and not opening:
        return list(scored), sections

    def lifts(s: Scored) -> int:
        unit = s.source.unit
        named = bool(unit.heading[:1] and unit.heading[0] in sections) or \
            (unit.lang == "en" and any(p.search(s.text) for p in slogans))
        return named + (opening and is_preamble(unit))
    lifted = [replace(s, score=s.score + SECTION_BOOST * n) if (n := lifts(s)) else s for s in scored]
    return sorted(lifted, key=lambda s: -s.score), sections


def clause_named(bank, query: str, sources: Sequence[Source], scored: Sequence[Scored], qlang: Lang) -> Scored | None:
    """The best sentence of the clause the question names by its title (titled_clause), if scored."""
    key = titled_clause(bank, query, sources, qlang)
    return next((s for s in scored if s.source.unit.key == key), None) if key else None


def opening_units(store, family: str, qlang: Lang, lang: Lang | None = None) -> list[Unit]:
    """A document's opening paragraphs (before its first section, past its addressees), in the version shown."""
    ids = dict.fromkeys(u.clause_id for u in store.units if family_of(u) == family and is_preamble(u) and not is_salutation(u))
    return [u for c in ids if (u := version(store, c, qlang, lang)) is not None]


def goals_unit(store, family: str, qlang: Lang, lang: Lang | None = None) -> Unit | None:
    """A document's goals paragraph, in the version shown: the one setting a deadline with the most
    rates, at least GOAL_RATES -- what "设了哪些量化目标", "what targets does it set" ask for, however
    little of it repeats the question's words (or the search ranked it)."""
    rated = [(goal_rates(u), u.clause_id) for u in store.units if family_of(u) == family and u.kind == "paragraph"]
    rates, clause = max(rated, default=(0, ""))
    return version(store, clause, qlang, lang) if rates >= GOAL_RATES else None


__all__ = ["CLAUSE_WORDS", "section_on", "without_naming_clause", "POSITION", "only_scaffold", "opening_units", "goals_unit", "NEXT", "PROBLEMS", "PROGRESS", "SCAFFOLD", "standing_section", "SECTION_BOOST", "TITLE_COVER", "clause_named", "cover", "glossed_clauses", "glossed_sections", "lift_named", "numbered_slogans",
           "titled_clause", "titled_section"]
