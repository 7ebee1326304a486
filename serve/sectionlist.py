"""A list question answered by a section: the numbered children of a heading -- clauses （十五）…,
items 1. … -- or a document's outline, when its title is what the question names.

A heading answers only when it matches the question at least as well as the best content sentence,
less LIST_MARGIN; otherwise the question is answered like a fact. A section of unnumbered
paragraphs (a part of an essay) answers so only when the best sentence is one of its own. A topic
summed up whose topic is a section's title, or whose best sentences lie in most of one section's
clauses, gets that section's clauses in full; a topic that is one of the section's clauses gets
that clause in full under its item.
"""
from __future__ import annotations

import re
from collections import Counter

from policyqa.corpus.structure import zh_numeral
from policyqa.corpus.types import Lang, Unit
from policyqa.serve import docfacts, outline
from policyqa.serve.cited import Cited, version
from policyqa.serve.docscope import DocScope
from policyqa.serve.question import PARTS

LIST_MARGIN = 0.125
# A topic summed up ("关于数字化转型…概括一下") is answered with a section's clauses in full only when
# its heading matches nearly as well as the best sentence: a wrong section would replace the few
# relevant clauses with a whole other part of the document (chosen on the tuning half).
DIGEST_SECTION_MARGIN = 0.08
# ...or when three of the four clauses with the best sentences are the section's: the topic is spread over
# it. Clauses, not sentences: a topic that is one clause (its sentences all near the top) stays that
# clause. Chosen on the tuning half (3 of 5 the same, 2 of 3 lost one; counted for a list question
# too, it replaced dozens of right answers).
DIGEST_VOTE = (3, 4)
# A document's title competes as a heading (its children: the top-level sections) only when the
# question asks for tasks or parts ("key tasks of new industrialization", "哪七项任务", "哪些方面";
# "碳达峰方面" names a topic, not parts).
_QUOTED = re.compile(r"《[^》]*》|“[^”]*”|\"[^\"]*\"|(?<!\w)'[^']+'(?!\w)|‘[^’]*’|「[^」]*」|『[^』]*』")
# "哪七项" / "seven tasks": a count equal to a document's number of sections asks for its outline.
_COUNT = re.compile(r"[哪几]([一二三四五六七八九十]{1,2})[项大个條条点項個點]|\b(two|three|four|five|six|seven|eight|nine|ten)\b", re.IGNORECASE)
_EN_COUNT = {w: i for i, w in enumerate("two three four five six seven eight nine ten".split(), 2)}
MIN_CHILDREN = 2
TOPIC_SENTENCES = (2, 3)


def section_list(answerer, query: str, scope: DocScope | None, families: list[str], scored, qlang: Lang,
                 lang: Lang | None, qvec=None, how: bool = False,
                 digest: bool = False) -> tuple[str, str, Cited] | None:
    """(family, text, cited) of the section (or outline) that answers a list question, or None.
    `how`: the question asks how something is done, not what the items are; each numbered item
    of the section found then also quotes the first sentence of its body (chosen on the tuning half
    over the body sentence closest to the question, which picked side remarks). `digest`: a topic
    summed up; each item then quotes its whole body (the section is the topic, all of it)."""
    store = answerer.store
    count = _count(query)
    if count and scope is not None and len(outline.tree(store, scope.family)[1]) == count:
        text, cited = outline.outline(store, scope.family, qlang, lang)
        return scope.family, text, cited
    # A topic summed up is never the whole document; a title quoted to name the document
    # (《扎实推进新型工业化重点任务》) asks for no tasks.
    tasks = bool(PARTS.search(_QUOTED.sub(" ", query))) and not digest
    candidates: list[tuple[str, Unit]] = []
    prose: dict[str, frozenset[str]] = {}  # a section of paragraphs: its heading's key → their clause ids
    for fam in families:
        for node in outline.tree(store, fam)[1]:
            numbered = sum(1 for c in node.children if c.number)
            if numbered >= MIN_CHILDREN or (not numbered and len(node.children) >= MIN_CHILDREN):
                heading = version(store, node.heading.clause_id, qlang, lang) or node.heading
                candidates.append((fam, heading))
                if not numbered:
                    prose[heading.key] = frozenset(c.clause_id for c in node.children)
        title = docfacts.fact_unit(store, fam, "title", qlang, lang) if tasks else None
        if title is not None:
            candidates.append((fam, title))
    if not candidates:
        return None
    scores = heading_scores(answerer, query, [u for _, u in candidates], qlang, qvec, phrases=not how, exempt=frozenset(prose))
    best = max(range(len(candidates)), key=lambda i: scores[i])
    content = scored[0].score - scored[0].boost if scored else float("-inf")
    vote = section_vote(store, candidates, scored) if digest else None
    if vote is not None:
        best = vote
    elif scores[best] < content - (DIGEST_SECTION_MARGIN if digest else LIST_MARGIN):
        return None
    fam, unit = candidates[best]
    # An essay's part is headed by a topic line ("Third, we will improve the scientific and
    # technological innovation capabilities…") that questions about one of its sentences match as
    # well as that sentence; the part is the answer only when its own paragraph holds the best
    # sentence (chosen on the tuning half: without this, six answers turned into a wrong part).
    if unit.key in prose and not (scored and scored[0].source.unit.clause_id in prose[unit.key]):
        return None
    if unit.kind == "title":
        text, cited = outline.outline(store, fam, qlang, lang)
    else:
        base = outline.item_body if digest else (lambda u: _lead_sentence(answerer, u)) if how else None
        topic = topic_clause(scored, query, {c.clause_id for c in outline.children(store, fam, unit)})
        # the topic item whole -- from its best sentence on when that lies past the bound (deep in a
        # long item), an offset only its own language version has
        best = next((x for x in scored if x.source.unit.clause_id == topic), None)

        def detail(u: Unit) -> tuple[int, int] | None:
            if u.clause_id == topic:
                return outline.item_body(u, reach=best.start if best is not None and best.source.unit.key == u.key else 0)
            return base(u) if base is not None else None
        # a part of an essay: the paragraph holding the best sentence, whole
        whole = scored[0].source.unit.clause_id if unit.key in prose else None
        text, cited = outline.section(store, fam, unit, qlang, lang, detail=detail, whole=whole)
    return fam, text, cited


def topic_clause(scored, query: str, items: set[str]) -> str | None:
    """The item whose body a section list quotes in full: of the section's `items`, the clause
    holding the best of their sentences and at least TOPIC_SENTENCES[0] of their TOPIC_SENTENCES[1]
    best -- the topic asked about is that one clause ("碳达峰、降碳方面有哪些考虑" → （八）'s measures,
    not just its title). None when the question asks for the section's parts themselves ("哪些方面",
    "key tasks"). Chosen on the tuning half: the best sentence's clause alone also expanded items
    where the best sentence was a side remark."""
    if PARTS.search(query):
        return None
    need, top = TOPIC_SENTENCES
    best = [c for x in scored if (c := x.source.unit.clause_id) in items][:top]
    return best[0] if best and best.count(best[0]) >= need else None


def section_vote(store, candidates: list[tuple[str, Unit]], scored) -> int | None:
    """The candidate section holding at least DIGEST_VOTE[0] of the DIGEST_VOTE[1] clauses whose
    sentences score best: a topic spread over one section's clauses is that section, however its
    heading scores (a short heading, "三、加快数字技术赋能，全面推动智能制造", scores far below a
    sentence on the same topic)."""
    owner: dict[str, int] = {}
    for i, (fam, unit) in enumerate(candidates):
        for node in outline.tree(store, fam)[1]:
            if node.heading.clause_id == unit.clause_id:
                owner.update((c.clause_id, i) for c in node.children)
    need, top = DIGEST_VOTE
    clauses = list(dict.fromkeys(s.source.unit.clause_id for s in scored))[:top]  # in order of their best sentence
    votes = Counter(owner[c] for c in clauses if c in owner)
    winner = votes.most_common(1)
    return winner[0][0] if winner and winner[0][1] >= need else None


def _lead_sentence(answerer, unit: Unit) -> tuple[int, int] | None:
    """The first sentence of a numbered item's body: the measure its title names, stated -- whole,
    with the pieces the splitter cut from an over-long sentence (no fragments)."""
    from policyqa.serve.extent import sentence_end

    sents = answerer.bank.sentences(unit)
    first = next((x for x in sents if not x.title), None)
    return (first.start, sents[sentence_end(sents, first.position)].end) if first is not None else None


def _count(query: str) -> int | None:
    m = _COUNT.search(query)
    if not m:
        return None
    return zh_numeral(m.group(1)) if m.group(1) else _EN_COUNT.get(m.group(2).lower())


def heading_scores(answerer, query: str, units: list[Unit], qlang: Lang, qvec=None,
                   phrases: bool = False, exempt: frozenset[str] = frozenset()) -> list[float]:
    """Centered cosine plus lexical overlap of each heading (or title) with the question, on the
    same scale as a fact sentence's score without its rank bonus.

    -inf for an English heading that shares no word with a Chinese question, unless `exempt`: an
    essay's part answers only when its own paragraph holds the best sentence anyway, and "stable
    growth" shares no stem with 增长's "grow". `phrases` (a list question): a dictionary word jieba
    split (下一步, "the next step") counts as shared too; a "how" question about one of the next
    steps asks for that step, not the list of them (both chosen on the tuning half)."""
    from policyqa.serve.facts import LEXICAL_WEIGHT

    bank = answerer.bank
    if qvec is None:  # bm25 mode: the search did not encode the question
        qvec, _ = answerer.encoder.encode_query(query)
    qc = bank.center_query(qvec, qlang)
    words = bank.query_words(query, qlang)
    # a list question's words with jieba's split dictionary words whole (下一步)
    whole = bank.query_words(query, qlang, phrases=True) if phrases and words.glossed is not None else None
    centered = bank.centered(units)
    out = []
    for u in units:
        vecs = centered[u.key]
        sents = bank.sentences(u)
        if not len(vecs):
            out.append(float("-inf"))
            continue
        cos = vecs @ qc
        overlaps = [bank.overlap(words, s, u.lang) for s in sents]
        # Across languages a short heading's cosine alone says little ("II. Main Difficulties and
        # Problems" is near any Chinese question about the report): it must share a word too.
        if qlang != "en" and u.lang == "en" and u.key not in exempt and not any(overlaps) and \
                not (whole is not None and any(bank.overlap(whole, s, u.lang) for s in sents)):
            out.append(float("-inf"))
            continue
        out.append(max(float(c) + LEXICAL_WEIGHT * o for c, o in zip(cos, overlaps)))
    return out


__all__ = ["heading_scores", "section_list", "section_vote", "topic_clause"]
