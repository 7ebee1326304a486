"""Sentence spans of a clause, for English and both Chinese scripts.

Spans are (start, end) offsets into the clause text, so a quoted sentence can be highlighted in
the clause exactly where it stands. Chinese ends a sentence at 。！？； (and the half-width forms
next to Chinese text, as in the traditional-script seed); English at . ! ? followed by a space
and a capital, a digit, a quote, a bracket or a Chinese character -- except after a known
abbreviation ("No. 258", "e.g. steel"), inside a number ("3.5", "61.8%") or after the list
number that opens a sentence ("1. Plans ...", "3.Implementation ...").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from policyqa.corpus.types import CJK

_CLOSERS = "\"'”’」』）)】》〉]"
# Always a sentence end, whatever follows.
_ZH_END = "。！？；"
# Half-width marks are sentence ends when Chinese text is on either side of them.
_HALF_END = "!?;"
# Lower-cased, without the dot. Multi-dot forms (e.g, i.e, u.s) are matched on the dotted word.
_ABBREVIATIONS = frozenset(
    """no nos art arts para paras fig figs vol vols p pp ch sec cf vs etc approx est
    mr mrs ms dr prof st co corp inc ltd jr sr dept govt jan feb mar apr jun jul aug sep sept oct nov dec
    e.g i.e u.s u.k u.n p.r.c a.m p.m""".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z](?:[A-Za-z.]*[A-Za-z])?)$")
_LIST_NUMBER = re.compile(r"\s*(?:\d{1,3}|[IVXivx]{1,5}|[A-Za-z])$")
MAX_CHARS = 400  # a "sentence" longer than this (a list with no full stops) is cut at a comma


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(re.match(f"[{CJK}]", ch))


def _english_end(text: str, i: int, sent_start: int) -> bool:
    """Does the '.' (or '!'/'?') at i end an English sentence?"""
    ch = text[i]
    after = text[i + 1: i + 2]
    if ch == "." and i > 0 and text[i - 1].isdigit() and after.isdigit():
        return False  # 3.5, 61.8%
    if ch == ".":
        head = text[sent_start:i]
        if _LIST_NUMBER.fullmatch(head):
            return False  # "1. Plans were ..." / "3.Implementation" / "II. Main ..."
        m = _WORD_BEFORE.search(head)
        if m and m.group(1).lower() in _ABBREVIATIONS:
            return False
        if m and len(m.group(1)) == 1 and m.group(1).isupper() and after == " ":
            # An initial such as "J. Smith" -- unless a new sentence plainly starts.
            return False
    j = i + 1
    while j < len(text) and text[j] in _CLOSERS:
        j += 1
    if j >= len(text):
        return True
    if not text[j].isspace():
        # Missing space after a full stop ("results.The") still ends a sentence before a capital
        # word, but not inside tokens like "U.S" (caught above) or "www.miit.gov".
        return ch == "." and text[j].isupper() and i > 0 and text[i - 1].islower() and text[j + 1: j + 2].islower()
    k = j
    while k < len(text) and text[k].isspace():
        k += 1
    if k >= len(text):
        return True
    nxt = text[k]
    return nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘(（[【《「" or _is_cjk(nxt)


def _end_after_closers(text: str, i: int) -> int:
    j = i + 1
    while j < len(text) and text[j] in _CLOSERS:
        j += 1
    return j


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an overlong run at commas (or anywhere, as a last resort) into pieces <= MAX_CHARS."""
    out = []
    while end - start > MAX_CHARS:
        window = text[start: start + MAX_CHARS]
        cut = max(window.rfind(c) for c in "，,、：:")
        cut = start + cut + 1 if cut > MAX_CHARS // 4 else start + MAX_CHARS
        out.append((start, cut))
        start = _skip_space(text, cut)
    if end > start:
        out.append((start, end))
    return out


def split_sentences(text: str, skip_prefix: str = "") -> list[Span]:
    """Sentences of `text` as spans with surrounding whitespace trimmed.

    `skip_prefix` (a clause number such as "(11)" or "（十一）") is left out of the first sentence
    when the text starts with it, so a quote never begins with the number.
    """
    pos = 0
    if skip_prefix and text.startswith(skip_prefix):
        pos = len(skip_prefix)
    raw: list[tuple[int, int]] = []
    start = pos
    i = pos
    n = len(text)
    while i < n:
        ch = text[i]
        end = None
        if ch in _ZH_END:
            end = _end_after_closers(text, i)
        elif ch in _HALF_END and (_is_cjk(text[i - 1: i]) or _is_cjk(text[i + 1: i + 2])):
            end = _end_after_closers(text, i)
        elif ch in ".!?" and _english_end(text, i, _skip_space(text, start)):
            end = _end_after_closers(text, i)
        elif ch == "\n" and text[i + 1: i + 2] == "\n":
            end = i  # a blank line always ends a sentence
        if end is not None:
            raw.append((start, end))
            # A blank line ends the sentence before it (end == i): step past it, never stand still.
            start, i = end, max(end, i + 1)
            continue
        i += 1
    raw.append((start, n))
    spans = []
    for s, e in raw:
        s = _skip_space(text, s)
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        for a, b in _cut_long(text, s, e):
            spans.append(Span(a, b, text[a:b]))
    return spans


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i
