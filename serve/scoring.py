"""How a fact question's candidate sentences are scored (serve.answer chooses and cites from them).

Fact sentences are scored against the question twice:
    support = cos(question, sentence) + LEXICAL_WEIGHT * idf-weighted word overlap
    score   = cos over language-centered vectors - DENSITY_WEIGHT * density + LEXICAL_WEIGHT * overlap
              + RANK_WEIGHT / (rank + 1)   (CROSS_LEXICAL_WEIGHT for a Chinese question's English sentence;
                                              CROSS_RANK times RANK_WEIGHT when all its sources are English)
`score` picks the sentences: centering removes each language's offset so a Chinese question can
choose an English sentence, and a sentence crowded by many others (a generic topic line) does not
win every question near its topic. `support` decides whether to answer at all: the raw cosine is what
separates questions the corpus answers from ones it does not (centering blurs that).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from policyqa.corpus.types import Lang
from policyqa.serve.extent import topic_line
from policyqa.serve.facts import LEXICAL_WEIGHT, is_goals, is_preamble
from policyqa.serve.records import Scored
from policyqa.serve.records import Source

RANK_WEIGHT = 0.05
CROSS_RANK = 2  # chosen on the tuning half: 1.5 +1, 2 +3, 2.5 and 3 +3 −1 (the slogan clauses brought in rank low)
# A Chinese question's words found in an English sentence (through their dictionary senses) choose
# among sentences this much more than LEXICAL_WEIGHT: across languages the small model's cosine tells
# a generic topic line ("Innovation is the fundamental force behind new industrialization.") from
# the sentence that answers far less well than within one. It weighs the choice of sentences only,
# not the support that decides abstention, nor a list's heading against content (Scored.boost).
# Chosen on the tuning half (0.2-0.3 all gained and 0.25 lost none; 0.4 and more lost answers).
CROSS_LEXICAL_WEIGHT = 0.25
# A crowded sentence (SentenceBank.density: close to many sentences of other clauses) is close to many
# questions too; its score pays this much per unit of crowding (chosen on the tuning half: 0.1-0.15
# with 5-20 neighbours the same, 0.2 and more lost answers).
DENSITY_WEIGHT = 0.1
# A Chinese "how" or list question about an English essay (Question.detail): a part's topic line
# ("Innovation is the fundamental force behind new industrialization.") is close to every question on
# its part, and says how nothing is done and lists nothing -- unless the list asked for is of the
# document's parts or of kinds of things, which the parts' topic lines state. Chosen on the tuning
# half: 0.2 and 0.3 gave the same answers, 0.1 fewer; for every kind of question it lost four answers
# while gaining seven, and for English "how" questions too it changed none. For list questions it
# gained six more, none lost.
TOPIC_LINE_PENALTY = 0.2
# Asked how something is done (Question.measures), a document's opening paragraphs (before its first
# section: addressees, purpose, the setting) weigh this much less: they say why the document was
# written, not how anything is to be done, yet share its subject's words with every question. Not
# when asked how the document sees or describes something, which the opening states. Chosen on the
# tuning half: 0.2 gained most and lost none; 0.1 gained less, 0.3 lost one. So does a goals
# paragraph ("By 2027, … will exceed 90%"): it states targets, not how they are to be met (+2).
PREAMBLE_PENALTY = 0.2
# A Chinese question's policy term (index/data/policy_terms.u8: 全产业链, 专精特新, 北斗…) found whole in an
# English sentence, as its official rendering ("entire industrial chains"), is evidence the small model's
# cosine misses: that sentence weighs this much more. Chosen on the tuning half: 0.05 none, 0.1 +3,
# 0.15 and 0.2 +5, none lost.
TERM_BOOST = 0.15


def _policy_terms() -> frozenset[str]:
    from policyqa.index.terms import headwords  # the file is read once (term_lines)

    return frozenset(headwords())


def score_sentences(bank, encoder, query: str, sources: Sequence[Source], qlang: Lang,
                    qvec: np.ndarray | None = None, named_as: str = "", detail: bool = False,
                    measures: bool = False) -> list[Scored]:
    """Every non-title sentence of `sources` scored against the question, best first. `bank`: the
    sentence bank; `encoder` encodes the question when `qvec`, its raw vector, is None (the bm25 mode
    search did not encode it). `named_as`: the document name the question scoped itself with; its
    words are no evidence for one sentence of that document over another, so they do not count as
    overlap. `detail`: the question asks how something is done or for a list's items, which a
    paragraph's topic line never says (TOPIC_LINE_PENALTY); `measures`: it asks how something is
    done, not how the document sees it, which a document's opening never says either
    (PREAMBLE_PENALTY)."""
    if qvec is None:
        qvec, _ = encoder.encode_query(query)
    qcentered = bank.center_query(qvec, qlang)
    words = bank.query_words(query, qlang, drop=named_as)
    # a policy term's official English rendering found whole (全产业链 → "entire industrial chains")
    terms = [(w, senses) for w, senses in (words.glossed or ()) if w in _policy_terms()]
    sources = [s for s in sources if s.unit.kind != "heading"]  # a section title answers nothing
    raw = bank.vectors(s.unit for s in sources)
    centered = bank.centered(s.unit for s in sources)
    # Asked across languages of English text only (an English document named), the search's rank,
    # which the keyword bridge and the passage as a whole inform, counts CROSS_RANK times as much.
    rank_weight = RANK_WEIGHT * (CROSS_RANK if qlang != "en" and all(s.unit.lang == "en" for s in sources) else 1)
    out = []
    for src in sources:
        key = src.unit.key
        sents = bank.sentences(src.unit)
        if not sents:
            continue
        preamble = is_preamble(src.unit) or is_goals(src.unit)
        cos, ccos = raw[key] @ qvec, centered[key] @ qcentered - DENSITY_WEIGHT * bank.density(src.unit)
        for sent, c, cc in zip(sents, cos, ccos):
            if sent.title:
                continue
            overlap = bank.overlap(words, sent, src.unit.lang)
            lexical = LEXICAL_WEIGHT * overlap
            cross = qlang != "en" and src.unit.lang == "en"
            boost = (CROSS_LEXICAL_WEIGHT - LEXICAL_WEIGHT) * overlap if cross else 0.0
            if cross and terms and any(all(t in sent.tokens for t in sense) for _, senses in terms for sense in senses):
                boost += TERM_BOOST
            if detail and cross and topic_line(sents, sent.position, src.unit.lang):
                boost -= TOPIC_LINE_PENALTY
            if measures and preamble:
                boost -= PREAMBLE_PENALTY
            out.append(Scored(src, sent.start, sent.end, sent.text, sent.position, float(c) + lexical,
                              float(cc) + lexical + boost + rank_weight / (src.rank + 1), boost))
    out.sort(key=lambda s: -s.score)
    return out


__all__ = ["CROSS_LEXICAL_WEIGHT", "CROSS_RANK", "DENSITY_WEIGHT", "PREAMBLE_PENALTY", "RANK_WEIGHT", "TERM_BOOST", "TOPIC_LINE_PENALTY", "score_sentences"]
