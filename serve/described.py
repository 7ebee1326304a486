"""A document described rather than named: "the traditional manufacturing guidance", "the policy on
modernising traditional manufacturing", "传统制造业那份文件". The words next to a kind of document are
its description; the document whose title shares clearly most of them (TITLE_LEAD) is the one meant.
"""
from __future__ import annotations

import re

from policyqa.serve.docscope import DocNames, DocScope

# A kind of document said of a description: "the traditional manufacturing guidance", "the policy on
# modernising traditional manufacturing", "传统制造业那份文件"; the description is the words next to it.
_DESCRIBED = re.compile(r"(?P<before>(?:[\w'’-]+\s+){0,4})(?:guidance|guidelines?|opinions?|document|policy|paper)\b"
                        r"(?P<after>\s+(?:on|about|for|regarding|to)\s+(?:[\w'’-]+\s*){1,6})?"
                        r"|(?P<zh>(?:(?!方面|这块|這塊)[\u4e00-\u9fff]){2,12})(?:意见|意見|文件|政策)", re.IGNORECASE)
TITLE_LEAD = 1.5  # how much more of the question one document's title must share than any other's
# Words before a description that ask, and describe nothing ("How does the …", "what do the …").
_ASKING = re.compile(r"^(?:(?:how|what|which|why|when|where|who|does|do|did|is|are|was|were|will|would|can|could|should|"
                     r"has|have|the|a|an|in|of|under|per|by|to|according|says?|said|and|or|this|that|its|their)\s+)+", re.IGNORECASE)


def title_leader(bank, store, query: str) -> str | None:
    """The family whose titles share the most of the question's words (idf-weighted), when it shares
    clearly more (TITLE_LEAD) than any other: the document a question describes rather than names."""
    words = set(bank.tokenize(query))
    shared: dict[str, float] = {}
    for meta in store.docs.values():
        title = set(bank.tokenize(f"{meta.title} {meta.title_en}"))
        shared[meta.family] = max(shared.get(meta.family, 0.0), sum(bank.idf(w) for w in words & title))
    ranked = sorted(shared, key=lambda f: -shared[f])
    if len(ranked) > 1 and shared[ranked[0]] > 0 and shared[ranked[0]] > TITLE_LEAD * shared[ranked[1]]:
        return ranked[0]
    return None


def _described_before(words: str | None) -> str:
    """The words right before a kind of document that describe it: those after the last asking word
    ("which industrial solid wastes does the guidance" describes nothing; "the traditional
    manufacturing guidance" describes it)."""
    out: list[str] = []
    for word in (words or "").split():
        out = [] if _ASKING.fullmatch(word + " ") else out + [word]
    return " ".join(out)


def described(question: str, names: DocNames, bank, store) -> DocScope | None:
    """The document a question describes by its title's words next to a kind of document ("what does
    the policy on modernising traditional manufacturing say about…"), when one title leads; else None."""
    spans = [m for m in _DESCRIBED.finditer(question)]
    said = " ".join(" ".join(filter(None, (_described_before(m.group("before")), m.group("after"), m.group("zh"))))
                    for m in spans)
    family = title_leader(bank, store, said) if said.strip() else None
    if family not in names.families:
        return None
    # the description as written, for taking it out of the question where its words choose no sentence
    name = _ASKING.sub("", max((m.group(0).strip() for m in spans), key=len), count=1)
    return DocScope(family, names.families[family], "described", name)
