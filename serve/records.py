"""What `ask` returns: an Answer with numbered citations and related clauses; one JSON shape for
the CLI, the HTTP API and the app."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from policyqa.corpus.types import DocMeta, Lang, Unit
from policyqa.corpus.sentences import split_sentences

Generator = Literal["extractive", "llm"]
TITLE_CHARS = 120
RELATED_LABEL = {"en": "related:", "zh-Hans": "相关条款：", "zh-Hant": "相關條款："}


def family_of(unit: Unit) -> str:
    """The document family a unit belongs to: the first part of its clause id (all its versions share it)."""
    return unit.clause_id.split("/", 1)[0]


def clause_title(unit: Unit) -> str:
    """The clause number and its heading sentence as written: "（十一）强化重点行业本质安全",
    "(11) Strengthen intrinsic safety in key industries"; a heading is its own title; a plain
    paragraph has none."""
    if unit.kind == "heading":
        title = unit.text
    elif unit.kind in ("clause", "item") and unit.number:
        spans = split_sentences(unit.text, skip_prefix=unit.number)
        first = spans[0].text.rstrip("。.；;") if spans else ""
        sep = "" if unit.number.endswith(("）", ")")) and unit.lang != "en" else " "
        title = f"{unit.number}{sep}{first}" if first else unit.number
    else:
        return ""
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def version_dict(unit: Unit, doc: DocMeta | None) -> dict:
    return {
        "lang": unit.lang, "doc_id": unit.doc_id, "clause_id": unit.clause_id, "heading": list(unit.heading),
        "number": unit.number, "title": clause_title(unit), "text": unit.text,
        "doc_title": doc.title if doc else unit.doc_id,
    }


@dataclass(frozen=True)
class Quote:
    text: str
    start: int  # offsets into the clause text
    end: int
    score: float


@dataclass(frozen=True)
class Source:
    """A retrieved clause in the version shown, with its document and its other versions."""

    unit: Unit
    doc: DocMeta | None
    parallel: tuple[tuple[Unit, DocMeta | None], ...]
    rank: int
    score: float  # retrieval score (fused rank score in hybrid mode)

    def base_dict(self) -> dict:
        u, d = self.unit, self.doc
        return {
            "doc_id": u.doc_id, "clause_id": u.clause_id, "lang": u.lang, "kind": u.kind,
            "heading": list(u.heading), "number": u.number, "title": clause_title(u), "text": u.text,
            "doc_title": d.title if d else u.doc_id, "doc_title_en": d.title_en if d else "",
            "doc_number": d.number if d else "", "date": d.date if d else "",
            "rank": self.rank, "retrieval_score": round(self.score, 6),
            "parallel": [version_dict(pu, pd) for pu, pd in self.parallel],
        }


@dataclass(frozen=True)
class Scored:
    """A sentence of a source (offsets into its text, its index among the unit's sentences), scored for a question."""

    source: Source
    start: int
    end: int
    text: str
    position: int
    support: float
    score: float
    boost: float = 0.0  # the part of `score` a cross-lingual word match adds (serve.answer.CROSS_LEXICAL_WEIGHT)


@dataclass(frozen=True)
class Citation:
    n: int
    source: Source
    quotes: tuple[Quote, ...]  # the sentences the answer used, best first

    def to_dict(self) -> dict:
        best = self.quotes[0]
        return {
            "n": self.n, **self.source.base_dict(),
            "quote": best.text, "quote_start": best.start, "quote_end": best.end,
            "quotes": [{"text": q.text, "start": q.start, "end": q.end, "score": round(q.score, 4)} for q in self.quotes],
        }


@dataclass(frozen=True)
class Item:
    """One entry of a list answer: its text as written (number and title), the citation it comes
    from, and its depth (0: a section; 1: a clause under it)."""

    text: str
    n: int
    level: int = 0

    def to_dict(self) -> dict:
        return {"text": self.text, "n": self.n, "level": self.level}


def document_card(doc: DocMeta | None, facts: dict[str, str] | None = None) -> dict:
    """Title, number, date and issuers of a document, for the card a document-fact answer shows.
    `facts` are the document's own lines (kind → text) and win over the manifest's fields."""
    if doc is None:
        return {}
    facts = facts or {}
    return {"doc_id": doc.doc_id, "family": doc.family, "lang": doc.lang,
            "title": facts.get("title") or doc.title, "number": facts.get("number") or doc.number,
            "date": facts.get("date") or doc.date, "issuer": doc.issuer,
            "signatories": list(doc.signatories), "byline": facts.get("byline", "")}


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    took_ms: float
    lang: Lang  # the question's language and script
    citations: tuple[Citation, ...]
    related: tuple[Source, ...]
    note: str = ""
    mode: str = "hybrid"
    support: float = 0.0  # best sentence support; abstained when below the threshold
    threshold: float = 0.0
    generator: Generator = "extractive"
    llm_fallback: str = ""  # why a configured LLM's answer was not used
    warnings: tuple[str, ...] = field(default=())
    question_type: str = "fact"  # serve.question.QuestionType
    doc_scope: dict | None = None  # serve.docscope.DocScope.to_dict(): the document answered from
    items: tuple[Item, ...] = ()  # a list answer's entries (the answer text has them one a line)
    document: dict | None = None  # document_card() for document-fact and overview answers

    def to_dict(self) -> dict:
        out = {
            "question": self.question, "answer": self.answer, "abstained": self.abstained,
            "took_ms": round(self.took_ms, 2), "lang": self.lang, "mode": self.mode,
            "generator": self.generator, "support": round(self.support, 4), "threshold": self.threshold,
            "citations": [c.to_dict() for c in self.citations],
            "related": [r.base_dict() for r in self.related],
            "question_type": self.question_type, "doc_scope": self.doc_scope,
            "items": [i.to_dict() for i in self.items],
        }
        if self.document:
            out["document"] = self.document
        if self.note:
            out["note"] = self.note
        if self.llm_fallback:
            out["llm_fallback"] = self.llm_fallback
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out

    def to_text(self) -> str:
        lines = [self.answer]
        if self.note:
            lines.append(f"({self.note})")
        for c in self.citations:
            s = c.source
            doc = s.doc.title if s.doc else s.unit.doc_id
            number = f" {s.doc.number}" if s.doc and s.doc.number else ""
            date = f", {s.doc.date}" if s.doc and s.doc.date else ""
            where = " > ".join(s.unit.heading)
            lines.append(f"[{c.n}] {doc}{number}{date}")
            if where:
                lines.append(f"    {where}")
            if clause_title(s.unit):
                lines.append(f"    {clause_title(s.unit)}")
            lines.append(f"    “{c.quotes[0].text}”  ({s.unit.clause_id}@{s.unit.lang})")
        if self.related:
            lines.append(RELATED_LABEL.get(self.lang, RELATED_LABEL["en"]))
            for r in self.related:
                title = clause_title(r.unit) or r.unit.text[:60]
                lines.append(f"  - {r.unit.clause_id}@{r.unit.lang}  {title}")
        lines.append(f"({self.took_ms:.0f} ms)")
        return "\n".join(lines)
