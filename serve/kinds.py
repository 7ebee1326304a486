"""Dispatch by question type: which document, then which structured answer.

Without a named or chosen document, the document is the best-ranked one that can answer the
kind: for a document fact, the first family in the search results that has a line for the facet;
for a section reference, the first that has the part; for an outline or overview, the first.
A list question gets the children of a heading (or a document's outline, when its title is what
the question names) only when that heading matches the question at least as well as the best
content sentence, less LIST_MARGIN; otherwise it is answered like a fact.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from policyqa.corpus.types import Lang, Unit
from policyqa.serve import docfacts, outline
from policyqa.serve.cited import Cited, marker, title_span, version
from policyqa.serve.docscope import DocScope
from policyqa.serve.question import Question
from policyqa.serve.records import Source, document_card

LIST_MARGIN = 0.0
MIN_CHILDREN = 2


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
        fam = s.unit.clause_id.split("/", 1)[0]
        if fam not in out:
            out.append(fam)
    for meta in store.docs.values():  # families the search did not reach come last
        if meta.family not in out:
            out.append(meta.family)
    return out


def _scope(family: str, store, scope: DocScope | None) -> DocScope:
    if scope is not None and scope.family == family:
        return scope
    ids = tuple(d for d, m in store.docs.items() if m.family == family)
    return DocScope(family, ids, "ranked", "")


def card(store, family: str, qlang: Lang, lang: Lang | None) -> dict:
    unit = docfacts.fact_unit(store, family, "title", qlang, lang) or docfacts.fact_unit(store, family, "number", qlang, lang)
    doc_id = unit.doc_id if unit else next(d for d, m in store.docs.items() if m.family == family)
    return document_card(store.doc(doc_id), docfacts.facts_dict(store, family, qlang, lang))


def answer(answerer, q: Question, query: str, scope: DocScope | None, sources: Sequence[Source], scored,
           qlang: Lang, lang: Lang | None) -> Built | None:
    store = answerer.store
    families = [scope.family] if scope is not None else _families(sources, store)
    if q.type == "doc_fact":
        fam = next((f for f in families if docfacts.has_facet(store, f, q.facet)), None)
        if fam is None:
            return None
        got = docfacts.answer(store, fam, q.facet, qlang, lang)
        if got is None:
            return None
        text, cited = got
        return Built(text, cited, "doc_fact", _scope(fam, store, scope), card(store, fam, qlang, lang))
    if q.type == "section":
        found = next(((f, u) for f in families if (u := outline.find(store, f, q.ref)) is not None), None)
        if found is None:
            return None
        fam, unit = found
        if unit.kind == "heading":
            text, cited = outline.section(store, fam, unit, qlang, lang)
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
        text, cited = outline.overview(store, fam, qlang, lang, cited)
        return Built("\n".join(filter(None, [head, text])), cited, "overview", _scope(fam, store, scope),
                     card(store, fam, qlang, lang))
    if q.type == "list":
        return _list(answerer, query, scope, families if scope is not None else families[:2], scored, qlang, lang)
    return None


def _card_line(store, family: str, qlang: Lang, lang: Lang | None, cited: Cited) -> str:
    """The title line and the number line, quoted: what an overview of a document starts with."""
    parts = []
    for kind in ("title", "number"):
        u = docfacts.fact_unit(store, family, kind, qlang, lang)
        if u is not None:
            parts.append(marker(u.text, cited.cite(u, [(0, len(u.text))]), u.lang))
    return (" " if qlang == "en" else "").join(parts)


def _list(answerer, query: str, scope: DocScope | None, families: list[str], scored, qlang: Lang,
          lang: Lang | None) -> Built | None:
    store = answerer.store
    candidates: list[tuple[str, Unit]] = []
    for fam in families:
        for node in outline.tree(store, fam)[1]:
            if len(node.children) >= MIN_CHILDREN:
                candidates.append((fam, version(store, node.heading.clause_id, qlang, lang) or node.heading))
        title = docfacts.fact_unit(store, fam, "title", qlang, lang)
        if title is not None:
            candidates.append((fam, title))
    if not candidates:
        return None
    scores = heading_scores(answerer, query, [u for _, u in candidates])
    best = max(range(len(candidates)), key=lambda i: scores[i])
    content = scored[0].score if scored else float("-inf")
    if scores[best] < content - LIST_MARGIN:
        return None
    fam, unit = candidates[best]
    if unit.kind == "title":
        text, cited = outline.outline(store, fam, qlang, lang)
    else:
        text, cited = outline.section(store, fam, unit, qlang, lang)
    return Built(text, cited, "list", _scope(fam, store, scope))


def heading_scores(answerer, query: str, units: list[Unit]) -> list[float]:
    """Centered cosine plus lexical overlap of each heading (or title) with the question, on the
    same scale as a fact sentence's score without its rank bonus."""
    from policyqa.serve.answer import LEXICAL_WEIGHT, detect_lang

    bank = answerer.bank
    qvec, _ = answerer.encoder.encode_query(query)
    qc = bank.center_query(qvec, detect_lang(query))
    qtokens = bank.tokenize(query)
    centered = bank.centered(units)
    out = []
    for u in units:
        vecs = centered[u.key]
        sents = bank.sentences(u)
        if not len(vecs):
            out.append(float("-inf"))
            continue
        cos = vecs @ qc
        out.append(max(float(c) + LEXICAL_WEIGHT * bank.overlap(qtokens, s) for c, s in zip(cos, sents)))
    return out


__all__ = ["Built", "answer", "card", "heading_scores", "title_span"]
