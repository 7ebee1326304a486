"""A clause the question names by its title: "优化产业结构有什么要求" asks for （二）持续优化产业结构.

A numbered clause's title states its topic in a few words, and a question that repeats most of them
asks about that clause. Its body rarely repeats them (it lists the measures: 锻长板, 去产能, …), so
sentence choice alone prefers some other clause's sentence that shares a word with the question
("优化国家制造业创新中心…布局"). The clause whose title the question covers best -- the idf-weighted
share of the title's words the question has, at least TITLE_COVER and two words -- becomes the
anchor, and its measures are quoted as for a "how" question. Only within one language: across
languages a title's words are dictionary senses, too loose to name a clause.
"""
from __future__ import annotations

from collections.abc import Sequence

from policyqa.corpus.types import Lang
from policyqa.serve.records import Source

# Chosen on the tuning half: 0.4 to 0.6 gave the same gains and only sensible changes; 0.3 and
# below also re-anchored questions that merely share two common title words with a clause.
TITLE_COVER = 0.6
MIN_WORDS = 2


def titled_clause(bank, query: str, sources: Sequence[Source], qlang: Lang) -> str | None:
    """The unit key of the source whose title the question names, or None."""
    tokens = set(bank.tokenize(query))
    best, key = 0.0, None
    for src in sources:
        if (src.unit.lang == "en") != (qlang == "en"):
            continue
        for title in (s for s in bank.sentences(src.unit) if s.title):
            total = sum(bank.idf(w) for w in title.tokens)
            found = [w for w in title.tokens if w in tokens]
            cover = sum(bank.idf(w) for w in found) / total if total else 0.0
            if len(found) >= MIN_WORDS and cover > best:
                best, key = cover, src.unit.key
    return key if best >= TITLE_COVER else None


__all__ = ["TITLE_COVER", "titled_clause"]
