"""Dispatch by question type: which document, then which structured answer.

Without a named or chosen document, the document is the best-ranked one that can answer the
kind: for a document fact, the first family in the search results that has a line for the facet;
for a section reference, the first that has the part; for an outline or overview, the first.
A list question (or a "how" or a topic summed up) gets a section's items when one answers it
(serve.sectionlist), else the clauses that mention its topic (serve.mentions), else the fact path.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from policyqa.corpus.types import Lang
from policyqa.serve import docfacts, mentions, outline, sectionlist
from policyqa.serve.cited import Cited, marker
from policyqa.serve.described import title_leader
from policyqa.serve.docscope import DocScope
from policyqa.serve.question import Question
from policyqa.serve.records import Source, document_card, family_of



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
    """`families` with the one whose titles share clearly most of the question's words first: a
    document fact asked of a document described rather than named ("who issued the policy on
    upgrading traditional manufacturing?") is asked of it, whichever document the search ranked
    first (TITLE_LEAD: 1 to 2.5 gave the same answers)."""
    lead = title_leader(answerer.bank, answerer.store, query)
    return [lead] + [f for f in families if f != lead] if lead in families else families


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
# A topic answered by a section's list keeps to each item's lead sentence (sectionlist).
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
            if got is not None:  # "" when what it would quote is already said
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
        text, cited = _overview(store, fam, qlang, lang, cited, head, problems=q.problems, standing=q.standing)
        return Built(text, cited, "overview", _scope(fam, store, scope), card(store, fam, qlang, lang))
    # "how will X be done" or "关于X…概括一下", X a section's title: the section's measures
    if q.type == "list" or q.how or q.digest:
        got = sectionlist.section_list(answerer, query, scope, families, scored, qlang, lang, qvec,
                                       how=q.type != "list", digest=q.digest)
        built = Built(got[1], got[2], "list", _scope(got[0], store, scope)) if got is not None else None
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
              problems: bool = False, standing: bool = False) -> tuple[str, Cited]:
    """`head` (the lines already cited), then the document's overview, numbered on in `cited`."""
    text, cited = outline.overview(store, family, qlang, lang, cited, problems=problems, standing=standing)
    return "\n".join(filter(None, [head, text])), cited


def _card_line(store, family: str, qlang: Lang, lang: Lang | None, cited: Cited) -> str:
    """The title line and the number line, quoted: what an overview of a document starts with."""
    parts = []
    for kind in ("title", "number"):
        u = docfacts.fact_unit(store, family, kind, qlang, lang)
        if u is not None:
            parts.append(marker(u.text, cited.cite(u, [(0, len(u.text))]), u.lang))
    return (" " if qlang == "en" else "").join(parts)


__all__ = ["Built", "answer", "card"]
