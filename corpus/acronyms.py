"""The acronyms an English document defines ("small and medium enterprises (SMEs)"), with their long forms.

A document defines an acronym once and then uses it bare: the Qiushi article's part on SMEs never says
"small and medium enterprises" again, so a question that does (or a Chinese one whose 中小企业 is
glossed so) finds only the sentence that defined it. The keyword index therefore reads each later
bare use as its long form too (index.build.keyword_texts).

The long form is found as Schwartz and Hearst's algorithm finds it, simplified to initials: walking
back from the parenthesis, each word (each part of a hyphenated word) must start with the acronym's
next letter from the end, short function words excepted ("Ministry of Industry and Information
Technology (MIIT)").
"""
from __future__ import annotations

import re

_DEFINED = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
_WORD = re.compile(r"[A-Za-z]+")
_FUNCTION_WORDS = frozenset("and of the for in on to".split())
_LOOKBACK = 200  # characters before the parenthesis that may hold the long form


def _letters(acronym: str) -> str:
    """The initials an acronym spells, lowercased: SMEs → sme, SOEs → soe, MIIT → miit."""
    core = acronym[:-1] if acronym.endswith("s") and acronym[:-1].isupper() else acronym
    return core.lower() if core.isupper() else ""


def long_form(before: str, acronym: str) -> str | None:
    """The words at the end of `before` whose initials spell `acronym`, as written, or None."""
    letters = _letters(acronym)
    if len(letters) < 2:
        return None
    words = list(_WORD.finditer(before))
    need, start = len(letters), None
    for w in reversed(words):
        word = w.group().lower()
        if word in _FUNCTION_WORDS:
            if need == len(letters):  # a long form ends in a word of substance
                return None
            continue
        if word[0] != letters[need - 1]:
            return None
        need, start = need - 1, w.start()
        if need == 0:
            break
    if start is None or need:
        return None
    return " ".join(before[start:].split())


def defined(text: str) -> dict[str, str]:
    """Each acronym `text` defines as "long form (ACRONYM)", first definition kept: acronym → long form."""
    out: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        acronym = m.group(1)
        if acronym in out:
            continue
        found = long_form(text[max(0, m.start() - _LOOKBACK):m.start()].rstrip(), acronym)
        if found:
            out[acronym] = found
    return out


def expansions(text: str, acronyms: dict[str, str]) -> list[str]:
    """The long forms of the acronyms `text` uses without them (a later, bare use)."""
    low = text.lower()
    return [form for acronym, form in acronyms.items()
            if re.search(rf"\b{re.escape(acronym)}\b", text) and form.lower() not in low]


__all__ = ["defined", "expansions", "long_form"]
