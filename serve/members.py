"""The members of a class the question asks about: "传统制造业具体包括哪些行业？" is answered by the
sentence that lists them in front of the class's name ("石化化工、钢铁、有色……等传统制造业增加值占…",
"Traditional manufacturing industries such as petrochemical, steel, …"), wherever it stands.

Such a sentence is rarely the closest to the question: it goes on about something else (the
industries' share of value added), and a sentence that merely repeats the class's name is closer.
For a list question that asks what a class includes, it is the answer (with its continuation,
as any anchor) when it scores within MEMBERS_MARGIN of the best; the class's other clauses are not
added, as they answer other questions about it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from policyqa.serve.records import Scored
from policyqa.serve.question import NAME_KINDS, normalize

# Chosen on the tuning half.
MEMBERS_MARGIN = 0.3
MIN_MEMBERS = 3
# "A、B、C等X": at least MIN_MEMBERS items, then 等 and the class's name.
_ZH = re.compile(r"((?:[^、，。；：,;:]{1,12}、){%d,}[^、，。；：,;:]{1,12})等([\u4e00-\u9fff]{2,8})" % (MIN_MEMBERS - 1))
# "X such as A, B, C" / "X, including A, B and C": the class's name is the words just before.
_EN = re.compile(r"((?:[A-Za-z-]+ ){0,3}[A-Za-z-]+),? (?:such as|including|like) ((?:[^,.;]+, ){%d,}[^.;]+)" % (MIN_MEMBERS - 2),
                 re.IGNORECASE)
# A class head asked by another word for it ("which sectors count as traditional manufacturing").
_SAME_HEAD = {"sector": "industri", "branch": "industri"}
MIN_NAME = 4  # characters of a Chinese class name found in the question
# The question asks what a class includes: "传统制造业具体包括哪些行业", "哪些新一代信息技术", "which industries count as …".
_ASKS_ZH = re.compile(r"(?:包括|包含|涵盖|具体指|指的是|是指|指)(?:了)?(?:哪些|什么|哪几)")
_WHICH_ZH = r"(?:哪些|哪几[类种个项])[^，,。？?、]{0,6}?"
_ASKS_EN = re.compile(r"\b(?:which|what)\s+(?:kinds? of |types? of |sorts? of )?([a-z-]+)", re.IGNORECASE)


def lists_members(text: str, lang: str, query: str, tokenize) -> bool:
    """Whether `text` lists the members of the class the question asks about: in Chinese, the
    class's name (MIN_NAME characters at least) is in a question that asks what it includes; in
    English, the question asks "which <class head>" and has the class's other words too."""
    if lang != "en":
        q = normalize(query)
        includes = bool(_ASKS_ZH.search(q))
        for m in _ZH.finditer(normalize(text)):
            name = m.group(2)
            for n in range(len(name), MIN_NAME - 1, -1):
                # "…包括哪些", or the class's name right after "哪些" ("哪些新一代信息技术")
                if name[:n] in q and (includes or re.search(_WHICH_ZH + re.escape(name[:n]), q)):
                    return True
        return False
    asked = {_SAME_HEAD.get(t, t) for m in _ASKS_EN.finditer(query) for t in tokenize(m.group(1))}
    q = {_SAME_HEAD.get(t, t) for t in tokenize(query)}
    for m in _EN.finditer(text):
        name = tokenize(m.group(1))
        if len(name) >= 2 and name[-1] in asked and all(t in q for t in name):
            return True
    return False


def members_first(scored: Sequence[Scored], query: str, tokenize) -> list[Scored] | None:
    """`scored` with the sentence that lists the asked class's members first, or None if none does."""
    if not scored:
        return None
    for s in scored:
        if s.score < scored[0].score - MEMBERS_MARGIN:
            break
        if lists_members(s.text, s.source.unit.lang, query, tokenize):
            return [s] + [x for x in scored if x is not s]
    return None


# A body that leads or coordinates: what "由哪个机构统筹协调" asks for.
_LEADING_BODY = re.compile(r"领导小组|領導小組|\b(?:Leading|Leadership) Group\b|\bunder the (?:coordination|leadership|guidance) of\b")
BODY_MARGIN = 0.2


def body_first(scored: Sequence[Scored], qlang: str) -> list[Scored] | None:
    """`scored` with the best sentence naming a leading or coordinating body first (within BODY_MARGIN
    of the best; one in the question's language before one in another), or None if none does."""
    close = [s for s in scored if s.score >= scored[0].score - BODY_MARGIN and _LEADING_BODY.search(s.text)] if scored else []
    pick = next((s for s in close if s.source.unit.lang == qlang), close[0] if close else None)
    return None if pick is None else [pick] + [x for x in scored if x is not pick]


# A name as documents write one: in quotation marks or title marks ("Acting in Concert", “领航”企业, 《…》).
_QUOTED_NAME = re.compile(r"“[^”]{2,60}”|「[^」]{2,60}」|《[^》]{2,60}》|\"[^\"]{2,60}\"")
NAME_MARGIN = 0.1


_NAME_KIND = re.compile(NAME_KINDS)
_CAMPAIGN = r"(?:campaign|initiative|programme|program|project|plan|action|scheme|drive)"
_KIND_ASKED = re.compile(rf"\b{_CAMPAIGN}s?\b", re.IGNORECASE)
_KIND_NAMED = re.compile(rf"[”\"]\s*{_CAMPAIGN}s?\b", re.IGNORECASE)


def name_first(scored: Sequence[Scored], query: str = "", documents: Sequence[str] = ()) -> list[Scored] | None:
    """`scored` with the best sentence that names something in quotation marks first, when the best
    sentence names nothing and that one is of the same clause or within NAME_MARGIN of the best; else
    None: "what's the name of the campaign" is answered by the sentence that names it. A quoted
    document name (`documents`: “China Manufacturing 2025”) names nothing asked about; a Chinese best
    sentence with the kind of thing asked (实施什么工程: 卓越质量工程) names it without quotes."""
    known = [normalize(d) for d in documents if d]
    kinds = set(_NAME_KIND.findall(normalize(query)))

    def names(text: str) -> bool:
        return any(not any(k in normalize(m.group(0)) for k in known) for m in _QUOTED_NAME.finditer(text))

    if not scored or names(scored[0].text) or any(k in normalize(scored[0].text) for k in kinds):
        return None
    best = scored[0]
    close = [s for s in scored[1:] if names(s.text) and (
        s.source.unit.key == best.source.unit.key or s.score >= best.score - NAME_MARGIN)]
    # a name given as the kind asked ("the name of the campaign": the “Acting in Concert” initiative) first
    pick = next((s for s in close if _KIND_NAMED.search(s.text)), close[0] if close else None) \
        if _KIND_ASKED.search(query) else (close[0] if close else None)
    return None if pick is None else [pick] + [x for x in scored if x is not pick]


__all__ = ["BODY_MARGIN", "MEMBERS_MARGIN", "NAME_MARGIN", "body_first", "lists_members", "members_first", "name_first"]
