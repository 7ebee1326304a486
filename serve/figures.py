"""Years, figures and sums in a question or an answer: a year the clauses never mention, and whether a
sentence gives the figure or the sum a question asks for. `normalize` (繁→简, lowercase) lets a year
or a scale match in any script.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from policyqa.serve.docscope import DOC_YEAR
from policyqa.serve.question import normalize

_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d\d(?![\d.%])")


def names_year(text: str) -> bool:
    """Whether the text has a year in it (1900–2099, not part of a figure)."""
    return bool(_YEAR.search(text))


def unmatched_year(question: str, texts: Sequence[str], names: Sequence[str] = ()) -> str | None:
    """A year the question asks about that none of `texts` (the clauses that could answer it, their
    documents' dates) mentions: "2024年12月的PMI是多少" asked of documents that never speak of 2024 is not answered by
    their nearest sentence, however close it is in topic. A year inside a document's name (`names`,
    as written: "China Manufacturing 2025") is no mention of that year."""
    if not names_year(question):
        return None
    joined, question = normalize(" ".join(texts)), normalize(question)
    for name in sorted({normalize(n) for n in names if names_year(n)}, key=len, reverse=True):
        joined = joined.replace(name, " ")
        question = question.replace(name, " ")  # "中国制造2025实施情况" asks about no year
    question = DOC_YEAR.sub(" ", question)  # "the 2017 report" names a document, as its name would
    seen = set(_YEAR.findall(joined))
    return next((y for y in _YEAR.findall(question) if y not in seen), None)


_FIGURE_WORDS = re.compile(r"\d|[零一二两三四五六七八九十百千万亿]+\s*[个项家条年座批倍%％成]|百分之"
                           r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundreds?|thousands?|millions?|billions?|dozens?)\b",
                           re.IGNORECASE)


_SUMS = {
    "million": r"\bmillion\b|百万|\d\s*万", "billion": r"\bbillion\b|亿", "trillion": r"\btrillion\b|万亿",
    "亿": r"\bbillion\b|亿", "万亿": r"\btrillion\b|万亿", "元": r"\d\s*(?:万|亿|万亿)?元|\byuan\b|\brmb\b",
}


def has_sum(text: str, scale: str) -> bool:
    """Whether the text gives a figure at the scale a sum was asked in ("how many billion yuan")."""
    text = normalize(text)
    return bool(re.search(_SUMS.get(scale, _SUMS["元"]), text)) and has_figure(text)


# A year or date is when, not how much: "in December 2023" answers no "what figure … in 2023".
_DATES = re.compile(r"(?<![\d.])(?:19|20)\d\d(?:\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|-\d\d(?:-\d\d)?)?(?![\d.%])")


def has_figure(text: str, dates: bool = False) -> bool:
    """Whether a sentence states a number (digits, a Chinese numeral with its measure word, an
    English number word) other than a year or date, unless `dates` (the question asks which year):
    what a question asking 多少/how many needs of its answer."""
    return bool(_FIGURE_WORDS.search(text if dates else _DATES.sub(" ", text)))
