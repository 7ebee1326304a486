"""Dispatch by question type: which document, then which structured answer.

Without a named or chosen document, the document is the best-ranked one that can answer the
kind: for a document fact, the first family in the search results that has a line for the facet;
for a section reference, the first that has the part; for an outline or overview, the first.
A list question gets the numbered children of a heading -- clauses （十五）…, items 1. … -- or a
document's outline, when its title is what the question names, only when that heading matches the
question at least as well as the best content sentence, less LIST_MARGIN; otherwise it is answered
like a fact. A section of unnumbered paragraphs (a part of an essay) answers so only when the best
sentence is one of its own. A topic summed up whose topic is a section's title, or whose best
sentences lie in most of one section's clauses, gets that section's clauses in full; a topic that
is one of the section's clauses gets that clause in full under its item.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from policyqa.corpus.structure import zh_numeral
from policyqa.corpus.types import Lang, Unit
from policyqa.serve import docfacts, mentions, outline
from policyqa.serve.cited import Cited, marker, title_span, version
from policyqa.serve.docscope import DocScope
from policyqa.serve.question import PARTS, Question
from policyqa.serve.records import Source, document_card, family_of

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
TITLE_LEAD = 1.5  # how much more of the question one document's title must share (_by_title; 1 to 2.5 gave the same answers)


@dataclass(frozen=True)
class Built:
    text: str
    cited: Cited
    qtype: str
    scope: DocScope | None
    card: dict | None = None


def _families(sources: Sequence[Source], store) -> list[str]:
    out: list[str] = []
    for s in sources:
        fam = family_of(s.unit)
        if fam not in out:
            out.append(fam)
    for meta in store.docs.values():  # families the search did not reach come last
        if meta.family not in out:
            out.append(meta.family)
    return out


def _by_script(families: list[str], store, qlang: Lang) -> list[str]:
    """Documents with a version in the question's script first ("第四部分" means the Chinese one)."""
    has = {m.family for m in store.docs.values() if m.lang == qlang}
    return [f for f in families if f in has] + [f for f in families if f not in has]


def _by_title(answerer, query: str, families: list[str]) -> list[str]:
    """`families` with the one whose titles share the most of the question's words (idf-weighted)
    first, when it shares clearly more than any other: a document fact asked of a document described
    rather than named ("who issued the policy on upgrading traditional manufacturing?") is asked of
    it, whichever document the search ranked first."""
    bank, store = answerer.bank, answerer.store
    words = set(bank.tokenize(query))
    shared: dict[str, float] = {}
    for meta in store.docs.values():
        title = set(bank.tokenize(f"{meta.title} {meta.title_en}"))
        shared[meta.family] = max(shared.get(meta.family, 0.0), sum(bank.idf(w) for w in words & title))
    ranked = sorted(families, key=lambda f: -shared.get(f, 0.0))
    if len(ranked) > 1 and shared.get(ranked[0], 0.0) > TITLE_LEAD * shared.get(ranked[1], 0.0) and shared[ranked[0]] > 0:
        return [ranked[0]] + [f for f in families if f != ranked[0]]
    return families


def _scope(family: str, store, scope: DocScope | None) -> DocScope:
    if scope is not None and scope.family == family:
        return scope
    ids = tuple(d for d, m in store.docs.items() if m.family == family)
    return DocScope(family, ids, "ranked", "")


def card(store, family: str, qlang: Lang, lang: Lang | None) -> dict:
    unit = docfacts.fact_unit(store, family, "title", qlang, lang) or docfacts.fact_unit(store, family, "number", qlang, lang)
    doc_id = unit.doc_id if unit else next(d for d, m in store.docs.items() if m.family == family)
    return document_card(store.doc(doc_id), docfacts.facts_dict(store, family, qlang, lang))


# A section asked for and summed up ("第四部分讲了什么", "What were the planned next steps?"): each item's
# body from its first sentence, up to this many characters -- its lead measure and the ones after it
# (most of the bundled items whole). Chosen on the tuning half: the lead sentence alone missed the
# measures asked about; 400-600 characters gained 1, 800 and whole bodies 2; the shortest of those.
# A topic answered by a section's list keeps to each item's lead sentence (_list).
SUMMARY_CHARS = {"en": 800, "zh": 330}


def answer(answerer, q: Question, query: str, scope: DocScope | None, sources: Sequence[Source], scored,
           qlang: Lang, lang: Lang | None, qvec=None) -> Built | None:
    store = answerer.store
    families = [scope.family] if scope is not None else _by_script(_families(sources, store), store, qlang)
    if q.type == "doc_fact":
        if scope is None:  # "the policy on traditional manufacturing": the document whose title it echoes
            families = _by_title(answerer, query, families)
        asked = q.facets or (q.facet,)  # "署名作者": an article has no signatures, but an author
        fam = next((f for f in families if any(docfacts.has_facet(store, f, x) for x in asked)), None)
        if fam is None:
            return None
        cited, texts = Cited(store), []
        # Asked with an overview, the answer is that overview with the facts on its first line: the
        # title and number lines are cited first, so they are numbered first.
        head = _card_line(store, fam, qlang, lang, cited) if q.overview else ""
        for facet in asked:
            got = docfacts.answer(store, fam, facet, qlang, lang, cited)
            if got is not None:
                texts.append(got[0])
        if not texts:
            return None
        text = (" " if qlang == "en" else "").join(filter(None, [head, *texts]))
        if q.overview and outline.tree(store, fam)[1]:
            text, cited = _overview(store, fam, qlang, lang, cited, text)
        return Built(text, cited, "doc_fact", _scope(fam, store, scope), card(store, fam, qlang, lang))
    if q.type == "section":
        found = next(((f, u) for f in families if (u := outline.find(store, f, q.ref, query)) is not None), None)
        if found is None:
            return None
        fam, unit = found
        if unit.kind == "heading":  # a section: summed up, each item's leading measures too
            text, cited = outline.section(store, fam, unit, qlang, lang,
                                          detail=(lambda u: outline.item_body(u, limits=SUMMARY_CHARS)) if q.how else None)
        else:
            text, cited = outline.clause(store, unit, qlang, lang)
        return Built(text, cited, "section", _scope(fam, store, scope))
    if q.type in ("outline", "overview"):
        fam = families[0]
        if not outline.tree(store, fam)[1]:
            return None
        if q.type == "outline":
            text, cited = outline.outline(store, fam, qlang, lang)
            return Built(text, cited, "outline", _scope(fam, store, scope))
        cited = Cited(store)
        head = _card_line(store, fam, qlang, lang, cited)
        text, cited = _overview(store, fam, qlang, lang, cited, head, problems=q.problems)
        return Built(text, cited, "overview", _scope(fam, store, scope), card(store, fam, qlang, lang))
    # "how will X be done" or "关于X…概括一下", X a section's title: the section's measures
    if q.type == "list" or q.how or q.digest:
        built = _list(answerer, query, scope, families, scored, qlang, lang, qvec, how=q.type != "list", digest=q.digest)
        # A topic named in several clauses -- of the document the search's best sentence is in: a
        # Chinese question answered best by an English-only report is not gathered from a Chinese one.
        anchor = scored[0].source.unit if scored else None
        if built is None and (q.type == "list" or q.digest) and \
                (anchor is None or family_of(anchor) == families[0]):
            got = mentions.gather(answerer, query, families[0], qlang, lang, scope.name if scope else "",
                                  anchor=anchor)
            if got is not None:
                built = Built(got[0], got[1], "list", _scope(families[0], store, scope))
        return built
    return None


def _overview(store, family: str, qlang: Lang, lang: Lang | None, cited: Cited, head: str,
              problems: bool = False) -> tuple[str, Cited]:
    """`head` (the lines already cited), then the document's overview, numbered on in `cited`."""
    text, cited = outline.overview(store, family, qlang, lang, cited, problems=problems)
    return "\n".join(filter(None, [head, text])), cited


def _card_line(store, family: str, qlang: Lang, lang: Lang | None, cited: Cited) -> str:
    """The title line and the number line, quoted: what an overview of a document starts with."""
    parts = []
    for kind in ("title", "number"):
        u = docfacts.fact_unit(store, family, kind, qlang, lang)
        if u is not None:
            parts.append(marker(u.text, cited.cite(u, [(0, len(u.text))]), u.lang))
    return (" " if qlang == "en" else "").join(parts)


def _list(answerer, query: str, scope: DocScope | None, families: list[str], scored, qlang: Lang,
          lang: Lang | None, qvec=None, how: bool = False, digest: bool = False) -> Built | None:
    """`how`: the question asks how something is done, not what the items are; each numbered item
    of the section found then also quotes the first sentence of its body (chosen on the tuning half
    over the body sentence closest to the question, which picked side remarks). `digest`: a topic
    summed up; each item then quotes its whole body (the section is the topic, all of it)."""
    store = answerer.store
    count = _count(query)
    if count and scope is not None and len(outline.tree(store, scope.family)[1]) == count:
        text, cited = outline.outline(store, scope.family, qlang, lang)
        return Built(text, cited, "list", scope)
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
    vote = _section_vote(store, candidates, scored) if digest else None
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
        topic = _topic_clause(scored, query, {c.clause_id for c in outline.children(store, fam, unit)})
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
    return Built(text, cited, "list", _scope(fam, store, scope))


def _topic_clause(scored, query: str, items: set[str]) -> str | None:
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


def _section_vote(store, candidates: list[tuple[str, Unit]], scored) -> int | None:
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
    from policyqa.serve.facts import sentence_end

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


__all__ = ["Built", "answer", "card", "heading_scores", "title_span"]
