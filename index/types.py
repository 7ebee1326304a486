"""Search results: small frozen records, one JSON shape for the CLI, the HTTP API and the app."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from policyqa.corpus.config import SearchMode
from policyqa.corpus.types import Chunk, Lang, Unit


@dataclass(frozen=True)
class Where:
    """A document and/or language filter, in the two forms backends use: the stored fields it tests
    (Milvus turns them into a filter expression) and the rows it keeps (in-memory backends mask)."""

    doc: str | None = None
    lang: str | None = None
    rows: np.ndarray | None = None  # bool per vector row

    def __bool__(self) -> bool:
        return self.doc is not None or self.lang is not None


class KeywordIndex(Protocol):
    """Lexical scores over the indexed chunks, one per chunk in chunk order: bm25s by default, or
    BM25 inside Milvus (index.keywords picks)."""

    def scores(self, query: str, where: Where | None = None) -> np.ndarray:
        """`where`: a backend that filters where the data lives uses it; the
        caller masks the returned array either way."""
        ...

    def token_scores(self, tokens: list[str]) -> np.ndarray:
        """Scores for already analyzed tokens (exact references such as （十一） → "ref:c11")."""
        ...

    def save(self, directory: Path) -> None:
        """Write the index's files into `directory` (created if needed); nothing for Milvus."""
        ...


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float
    unit: Unit  # the version shown: the user's language and script when it exists
    chunk: Chunk  # the best matching chunk of that clause (its text is unit.text unless split)
    parallel: tuple[Unit, ...]  # the clause's versions in the other languages
    citation: str  # "document title · heading path · number", in the unit's language

    def to_dict(self) -> dict:
        return {
            "rank": self.rank,
            "score": self.score,
            "doc_id": self.unit.doc_id,
            "clause_id": self.unit.clause_id,
            "lang": self.unit.lang,
            "heading": list(self.unit.heading),
            "number": self.unit.number,
            "text": self.chunk.text,
            "citation": self.citation,
            "parallel": [
                {"doc_id": u.doc_id, "lang": u.lang, "heading": list(u.heading), "number": u.number, "text": u.text}
                for u in self.parallel
            ],
        }


@dataclass(frozen=True)
class SearchResult:
    query: str
    mode: SearchMode
    took_ms: float
    hits: tuple[Hit, ...]
    warnings: tuple[str, ...] = ()
    # What the search already computed about the query, so `ask` neither encodes it nor detects its
    # language again. query_vector is the encoder's raw output for the query as written (None when no
    # dense search ran); a 繁 query was searched in its folded form (index.centering.query_form).
    lang: Lang = "en"
    query_vector: np.ndarray | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        out = {
            "query": self.query,
            "mode": self.mode,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.to_dict() for h in self.hits],
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out
