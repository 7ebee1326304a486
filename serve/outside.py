"""Whether a question is outside what the corpus can answer, checked before an answer is given, and
what an answer's clauses leave unsaid, checked after: each gives the reason shown with the abstention.

Before: random letters or markup; an acronym, a document (by its title, a year none has, an issue of
a periodical, a described topic and kind) or an unscoped place the corpus never mentions; a year that
the nearest clauses (or the one document asked of) never mention. After: a place, an office, the
conditions to qualify or a thing asked for by name that no cited clause names, in any version.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from policyqa.corpus.types import Lang
from policyqa.serve import i18n
from policyqa.serve.docscope import DocNames, DocScope
from policyqa.serve.figures import names_year, unmatched_year
from policyqa.serve.mentions import GENERIC
from policyqa.serve.question import Question, normalize
from policyqa.serve.records import Citation, Source
from policyqa.serve.titled import SCAFFOLD
from policyqa.serve.unknowns import (is_noise, unknown_acronym, unknown_described, unknown_issue, unknown_place, unknown_title,
                                     unsaid_place)
from policyqa.serve.unsaid import unsaid_criteria, unsaid_role, unsaid_subject

# Of an unscoped question's clauses, the best this many lend their documents' dates to the year check:
# any ranked document's year of issue would answer "工信部2024年公布的…名单" whenever the 2024 article
# ranked eighth, and the best clause's alone missed "2017年下一步…" (chosen on the tuning half and
# the retrieval set's abstentions: 1 lost a question, 3 and 5 the same).
DATED_CLAUSES = 3


def outside(question: str, query: str, q: Question, scope: DocScope | None, content: Sequence[Source], qlang: Lang,
            bank, names: DocNames, store, corpus: Callable[[], str]) -> str | None:
    """Why the question is outside the corpus ("" for noise, which needs no reason), or None. `query`
    is the question as searched, `content` its nearest clauses, `corpus` all text, folded, on demand."""
    if is_noise(query, bank):
        return ""
    keys = [k for k, _, _ in names.names]
    not_mentioned = i18n.pick(i18n.NOT_MENTIONED, qlang)
    if acronym := unknown_acronym(query, bank):
        return not_mentioned.format(what=acronym)
    # a document the corpus lacks, named by its title (《芯片与科学法案》) or by a year none has ("the 2016 report")
    if document := unknown_title(question, keys, corpus) or names.unknown_year(question) or ("source" in q.facets and unknown_issue(
            question, [u.text for f in names.families for u in store.versions(f"{f}/meta/source")])):
        return not_mentioned.format(what=document)
    # ...or described by a topic and a kind none of its documents has, asked for its facts ("工信部2023年那份
    # 制造业可靠性提升实施意见是哪几个部门印发的"): its facts would be another document's
    if q.type == "doc_fact" and (scope is None or scope.reason not in ("named", "chosen")) and (document := unknown_described(
            question, bank, [n for m in store.docs.values() for n in (m.title, m.title_en, *m.aliases)], SCAFFOLD | GENERIC)):
        return not_mentioned.format(what=document)
    # So does an unscoped question about a place or name the corpus never mentions (台湾, Germany).
    if scope is None and (place := unknown_place(query, bank, keys)):
        return not_mentioned.format(what=place)
    # A fact, list or overview question about a year is out of scope when its nearest clauses (and
    # their documents' title, date and number) never mention it -- or, asked of one document, when
    # no line of that document does ("the Guiding Opinions' 2030 target", "到2025年的阶段性目标").
    if q.type in ("fact", "list", "overview") and names_year(query) and (year := unmatched_year(
            query, said(content, scope, store), [w for _, _, w in names.names])):
        return not_mentioned.format(what=year if qlang == "en" else f"{year}年")
    return None


def said(content: Sequence[Source], scope: DocScope | None, store) -> list[str]:
    """What a question's years are looked for in: its nearest clauses, their documents' title and
    number, and the dates of the best DATED_CLAUSES clauses' documents; for a question scoped to
    one document, every line of that document."""
    if scope is None:
        if not content:
            return []
        return [t for s in content for t in (s.unit.text, s.doc.title, s.doc.number)] + \
            [s.doc.date for s in content[:DATED_CLAUSES]]
    docs = [m for m in (store.doc(d) for d in scope.doc_ids) if m is not None]
    return [u.text for u in store.units if u.doc_id in scope.doc_ids] + \
        [t for m in docs for t in (m.title, m.date, m.number)]


def unsaid(query: str, citations: Sequence[Citation], q: Question, bank, names: DocNames) -> str | None:
    """A place of the question, or the office of a person it asks for, or a thing it asks for by name,
    that no cited clause names, in any of its versions: the answer is about something else, or does
    not say who (a document fact answers about the document, not a place)."""
    if q.type == "doc_fact":
        return None
    units = [u for c in citations for u in (c.source.unit, *(p for p, _ in c.source.parallel))]
    tokens = {t for u in units for sent in bank.sentences(u) for t in sent.tokens}
    text = lambda: normalize(" ".join(u.text for u in units))  # noqa: E731
    return unsaid_place(query, bank, tokens, [k for k, _, _ in names.names]) or \
        unsaid_role(query, text) or unsaid_criteria(query, text) or unsaid_subject(query, text)
