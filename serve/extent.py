"""How far a picked sentence reaches, and how it is cited: a piece the splitter cut from a long sentence
is quoted with the rest of its sentence; an anchor that opens a statement (a colon, a dated target, figures
the next sentence continues, "Among them"/"其中", a short topic line) is followed by the sentences that
carry it on, up to CONTINUATION_CHARS; a clause is quoted whole up to a bound, in a window around the
anchor; and the picked sentences are numbered [n], one citation per clause.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from policyqa.corpus.types import Lang
from policyqa.serve.records import Citation, Quote, Scored

WINDOW_BEFORE = 1 / 3  # of an over-long clause's shown window, at most this share comes before the anchor
CONTINUATION_CHARS = {"en": 900, "zh": 320}
TOPIC_SENTENCE_CHARS = {"en": 100, "zh": 30}  # at most this long, a paragraph's first sentence is its topic line
_TERMINAL = tuple(".。!！?？;；:：”\"'’)）")
_OPENS = re.compile(r"[:：]$|^(?:by|until) (?:the end of )?20\d\d\b|^到20\d\d年", re.IGNORECASE)
_CONTINUES = re.compile(r"^(?:among them|of which|specifically|in particular|其中|具体|分别)", re.IGNORECASE)
_FIGURE = re.compile(r"\d")


def complete(picked: Sequence[Scored], bank, continuation: bool = True) -> list[Scored]:
    """Each picked sentence made whole (fragments joined), and (unless `continuation` is False) the
    anchor's continuation added."""
    out: list[Scored] = []
    for i, s in enumerate(picked):
        sents = bank.sentences(s.source.unit)
        pos = s.position
        while pos > 0 and not sents[pos - 1].text.rstrip().endswith(_TERMINAL):
            pos -= 1  # a piece cut from a long sentence: start where the sentence starts
        last = sentence_end(sents, s.position)
        if i == 0 and continuation:
            last = _continuation(sents, pos, last, s.source.unit.lang)
        for p in range(pos, last + 1):
            sent = sents[p]
            if sent.title and p != s.position:  # kept only where whole_clause chose it
                continue
            if p == s.position:
                out.append(s)
            else:
                out.append(replace(s, start=sent.start, end=sent.end, text=sent.text, position=p))
    seen, unique = set(), []
    for s in out:
        key = (s.source.unit.key, s.start)
        if key not in seen:
            seen.add(key)
            unique.append(s)
    return unique


def whole_clause(anchor: Scored, bank, limits: dict[str, int]) -> list[Scored]:
    """A clause shown whole: from its number and title ("（十一）强化重点行业本质安全。", which names
    the measures that follow) through every sentence, up to limits["en"] / limits["zh"] characters.
    A clause longer than that (the 2017 report's items run to pages) shows its title and the run of
    sentences around the anchor instead: a little before it, as much after it as fits."""
    unit = anchor.source.unit
    bound = limits["en" if unit.lang == "en" else "zh"]
    sents = bank.sentences(unit)
    here = next((i for i, s in enumerate(sents) if s.start <= anchor.start < s.end), 0)
    if sum(len(s.text) for s in sents) <= bound:
        keep = set(range(len(sents)))
    else:
        keep = {i for i, s in enumerate(sents) if s.title} | {here}
        total = sum(len(sents[i].text) for i in keep)
        first = here
        while first - 1 not in keep and first - 1 >= 0 and total + len(sents[first - 1].text) <= bound * WINDOW_BEFORE:
            first -= 1
            total += len(sents[first].text)
            keep.add(first)
        last = here
        while last + 1 < len(sents) and total + len(sents[last + 1].text) <= bound:
            last += 1
            total += len(sents[last].text)
            keep.add(last)
    out = []
    for i in sorted(keep):
        sent = sents[i]
        start = 0 if sent.title else sent.start  # the title sentence starts after the clause's number
        out.append(anchor if sent.start == anchor.start else
                   replace(anchor, start=start, end=sent.end, text=unit.text[start:sent.end], position=sent.position))
    return out if any(s is anchor for s in out) else [anchor] + out


def _continuation(sents, first: int, last: int, lang: str) -> int:
    bound = CONTINUATION_CHARS["en" if lang == "en" else "zh"]
    head = " ".join(sents[p].text for p in range(first, last + 1))
    total = len(head)
    opens = (bool(_OPENS.search(head.strip())) or bool(_OPENS.search(sents[first].text.strip()))
             or _topic_line(sents, first, last, head, lang))
    while last + 1 < len(sents):
        nxt = sents[last + 1].text
        carries = opens or _CONTINUES.search(nxt) or (_FIGURE.search(head) and _FIGURE.search(nxt))
        if not carries or total + len(nxt) > bound:
            break
        last += 1
        total += len(nxt)
        head = nxt
    return last


def sentence_end(sents, i: int) -> int:
    """The position of the last piece of sentence `i`: the splitter cuts an over-long sentence into
    pieces that do not end where a sentence ends."""
    while i + 1 < len(sents) and not sents[i].text.rstrip().endswith(_TERMINAL):
        i += 1
    return i


def topic_line(sents, i: int, lang: str) -> bool:
    """Whether sentence `i` is its paragraph's topic line ("Innovation is the fundamental force behind
    new industrialization."), which other sentences of the paragraph go on from."""
    return _topic_line(sents, i, i, sents[i].text, lang)


def _topic_line(sents, first: int, last: int, head: str, lang: str) -> bool:
    """`head` (sentences first..last) is the paragraph's first sentence (after its title, if any),
    short and without figures."""
    opening = next((p for p, s in enumerate(sents) if not s.title), None)
    return (first == opening and last + 1 < len(sents) and not _FIGURE.search(head)
            and len(head) <= TOPIC_SENTENCE_CHARS["en" if lang == "en" else "zh"])


def cite(picked: Sequence[Scored], qlang: Lang) -> tuple[list[Citation], str]:
    """Number the clauses in order of first use; sentences of one clause stay together in text order."""
    order: list[str] = []
    by_clause: dict[str, list[Scored]] = {}
    for s in picked:
        key = s.source.unit.key
        if key not in by_clause:
            order.append(key)
            by_clause[key] = []
        by_clause[key].append(s)
    citations, parts = [], []
    for n, key in enumerate(order, 1):
        sents = by_clause[key]
        citations.append(Citation(n, sents[0].source, tuple(Quote(s.text, s.start, s.end, s.support) for s in sents)))
        for s in sorted(sents, key=lambda s: s.position):
            parts.append(_with_marker(s.text, n, s.source.unit.lang))
    joiner = "" if qlang != "en" and all(c.source.unit.lang != "en" for c in citations) else " "
    return citations, joiner.join(parts)


def _with_marker(sentence: str, n: int, lang: str) -> str:
    return f"{sentence}[{n}]" if lang != "en" else f"{sentence} [{n}]"


# A question asking how several things are characterized ("数实融合和绿色分别怎么定位") is answered by
# each one's topic line ("Green is the defining feature of new industrialization."): the best ones
# within POSITION_MARGIN of the best, besides what was picked, at most POSITION_LINES.
POSITION_MARGIN = 0.1
POSITION_LINES = 3


def positioned(scored: Sequence[Scored], picked: Sequence[Scored], bank) -> list[Scored]:
    """The topic lines of other paragraphs close to the best one, for a question about positions; a
    scored sentence's own paragraph gives at most one."""
    have = {(s.source.unit.key, s.start) for s in picked}
    lines = [s for s in scored if s.source.unit.kind == "paragraph"  # prose: a numbered clause opens with its title
             and topic_line(bank.sentences(s.source.unit), s.position, s.source.unit.lang)]
    if not lines:
        return []
    top = lines[0].score
    out = []
    for s in lines:
        if s.score < top - POSITION_MARGIN or len(out) >= POSITION_LINES:
            break
        if (s.source.unit.key, s.start) not in have and all(o.source.unit.key != s.source.unit.key for o in out):
            out.append(s)
    return out
