"""A question's time: what a document plans ("下一步要扩大到多少个城市", "what will MIIT do") or what it
reports done ("已经批复了哪些试点", "what had been achieved"). In a document with a section of progress
and one of next steps (the 2017 report: "I. Progress of Main Activities", "III. Next Steps"), the
same topic is in both; the section of the asked time answers, when its best sentence is within
TENSE_MARGIN of the best sentence of the other.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from policyqa.serve.question import normalize
from policyqa.serve.records import Scored
from policyqa.serve.titled import NEXT, PROGRESS

TENSE_MARGIN = 0.1
_FUTURE = re.compile(r"下一步|今后|接下来|将要|打算|计划|安排|准备|要扩大|\bwill\b|\bplan(?:s|ned|ning)? (?:to|for|on)\b|\bnext\b"
                     r"|\bgoing to\b|\bintends?\b|\baims? to\b")
_PAST = re.compile(r"已经|已有|取得|截至|截止|完成了|\bhad\b|\bhas been\b|\bhave been\b|\bachieved\b|\bso far\b")


def tense_first(scored: Sequence[Scored], query: str, bank) -> list[Scored] | None:
    """`scored` with the best sentence of the section of the asked time first, when the best sentence
    is in the section of the other time; else None."""
    text = normalize(query)
    future, past = bool(_FUTURE.search(text)), bool(_PAST.search(text))
    if not scored or future == past:
        return None
    want, other = (NEXT, PROGRESS) if future else (PROGRESS, NEXT)
    parts: dict[str, frozenset[str] | None] = {}  # by top heading: a clause's sentences share it

    def part(s: Scored) -> frozenset[str] | None:
        heading = s.source.unit.heading[0] if s.source.unit.heading else ""
        if heading not in parts:
            words = set(bank.tokenize(heading))
            parts[heading] = want if words & want else other if words & other else None
        return parts[heading]

    if part(scored[0]) is not other:
        return None
    pick = next((s for s in scored[1:] if s.score >= scored[0].score - TENSE_MARGIN and part(s) is want), None)
    return None if pick is None else [pick] + [s for s in scored if s is not pick]
