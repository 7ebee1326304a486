"""The naive baseline most RAG tutorials build: fixed 500-character chunks of each whole cleaned
document (langchain-text-splitters, no structure), dense only, the same encoder, in-memory FAISS flat.

For scoring, each chunk is mapped back to the clause it overlaps most (character offsets of the
store's units in the cleaned body); a clause's rank is the rank of its best chunk.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CHUNK_SIZE = 500
# The overlap most tutorials pair with 500-character chunks; it is part of what "naive" means here.
CHUNK_OVERLAP = 50


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    clause_id: str


@dataclass(frozen=True)
class SourceDoc:
    doc_id: str
    text: str  # the cleaned body the spans point into
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class NaiveChunk:
    doc_id: str
    start: int
    end: int
    clause_id: str | None  # None: overlaps no unit (e.g. a title line)
    text: str


def best_clause(start: int, end: int, spans: Sequence[Span]) -> str | None:
    """The clause whose units overlap [start, end) the most (summed per clause)."""
    overlap: dict[str, int] = {}
    for s in spans:
        n = min(end, s.end) - max(start, s.start)
        if n > 0:
            overlap[s.clause_id] = overlap.get(s.clause_id, 0) + n
    if not overlap:
        return None
    return max(overlap.items(), key=lambda kv: kv[1])[0]


def split_documents(docs: Sequence[SourceDoc], chunk_size: int = CHUNK_SIZE, chunk_overlap: int = CHUNK_OVERLAP) -> list[NaiveChunk]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap, add_start_index=True)
    out: list[NaiveChunk] = []
    for doc in docs:
        for piece in splitter.create_documents([doc.text]):
            start = int(piece.metadata["start_index"])
            end = start + len(piece.page_content)
            out.append(NaiveChunk(doc.doc_id, start, end, best_clause(start, end, doc.spans), piece.page_content))
    return out


def fit_to_model(text: str, encoder) -> str:
    """Cut a chunk to the model's token limit, as a tutorial pipeline's model would silently truncate it
    (500 Chinese characters can exceed 510 tokens; our encoder refuses such passages)."""
    limit = encoder.max_tokens
    while text and encoder.count_tokens(text, "passage") > limit:
        text = text[: int(len(text) * 0.95)]
    return text


class NaiveRetriever:
    """Ranked clause ids for a query, the way a tutorial pipeline would find them."""

    name = "naive"

    def __init__(self, chunks: Sequence[NaiveChunk], encoder) -> None:
        import faiss

        self.chunks = [c for c in chunks if c.clause_id is not None]
        if not self.chunks:
            raise ValueError("the naive baseline got no chunk that overlaps a clause")
        self.encoder = encoder
        texts = [fit_to_model(c.text, encoder) for c in self.chunks]
        vecs = np.ascontiguousarray(encoder.encode_passages(texts), dtype=np.float32)
        faiss.normalize_L2(vecs)  # cosine, whatever the encoder returns
        self.index = faiss.IndexFlatIP(vecs.shape[1])
        self.index.add(vecs)

    def search(self, query: str, top_k: int = 10) -> list[tuple[str, float]]:
        import faiss

        q = np.ascontiguousarray(self.encoder.encode_queries([query]), dtype=np.float32).reshape(1, -1)
        faiss.normalize_L2(q)
        # Several chunks can map to one clause: look deeper than k to return k distinct clauses.
        n = min(self.index.ntotal, max(top_k * 4, 50))
        scores, idx = self.index.search(q, n)
        out: list[tuple[str, float]] = []
        seen: set[str] = set()
        for s, i in zip(scores[0], idx[0]):
            if i < 0:
                continue
            cid = self.chunks[i].clause_id
            if cid in seen:
                continue
            seen.add(cid)
            out.append((cid, float(s)))
            if len(out) == top_k:
                break
        return out


def source_docs_from_store(store) -> list[SourceDoc]:
    """One SourceDoc per document of the clause store: its cleaned body and its units' spans.

    Headings-only units (a section title) are left out of the spans so a chunk is credited to the
    clause text it carries, not to the title line at its start.
    """
    docs = []
    for doc_id, body in store.bodies.items():
        spans = tuple(Span(u.start, u.end, u.clause_id) for u in store.units if u.doc_id == doc_id and u.kind != "heading")
        docs.append(SourceDoc(doc_id, body, spans))
    return docs
