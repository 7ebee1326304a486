"""The naive 500-character baseline: chunk → clause mapping by offsets, and retrieval on the real corpus."""
from __future__ import annotations

import pytest

from policyqa.eval.baseline import CHUNK_SIZE, NaiveRetriever, SourceDoc, Span, best_clause, source_docs_from_store, split_documents


def test_chunk_maps_to_clause_with_largest_overlap():
    spans = (Span(0, 100, "d/c1"), Span(100, 400, "d/c2"))
    assert best_clause(50, 160, spans) == "d/c2"  # c1 50 chars, c2 60
    assert best_clause(0, 90, spans) == "d/c1"
    assert best_clause(500, 600, spans) is None  # overlaps nothing (a title line, say)
    # overlaps of one clause's several units add up: c1 40 + 40 = 80 beats c2's 60
    split = (Span(0, 40, "d/c1"), Span(40, 100, "d/c2"), Span(100, 140, "d/c1"))
    assert best_clause(0, 140, split) == "d/c1"


def test_split_is_fixed_size_and_offsets_point_into_the_body():
    body = ("word " * 300).strip() + "\n\n" + ("字" * 700)
    doc = SourceDoc("d", body, (Span(0, 1499, "d/p1"), Span(1501, len(body), "d/p2")))
    chunks = split_documents([doc])
    assert all(len(c.text) <= CHUNK_SIZE for c in chunks)
    assert all(body[c.start:c.end] == c.text for c in chunks)
    assert {c.clause_id for c in chunks} == {"d/p1", "d/p2"}


def test_store_documents_are_chunked_whole(store):
    docs = source_docs_from_store(store)
    assert {d.doc_id for d in docs} == set(store.docs)
    chunks = split_documents(docs)
    known = {u.clause_id for u in store.units}
    assert all(c.clause_id in known for c in chunks if c.clause_id)
    # the chunker knows nothing of clauses: some chunk spans a clause boundary
    by_doc = {d.doc_id: d for d in docs}
    assert any(len({s.clause_id for s in by_doc[c.doc_id].spans if s.start < c.end and s.end > c.start}) > 1 for c in chunks)


@pytest.mark.slow
def test_naive_retriever_on_the_real_corpus(store, encoder):
    r = NaiveRetriever(split_documents(source_docs_from_store(store)), encoder)
    hits = r.search("What is the 'Acting in Concert' initiative about?", top_k=5)
    assert len(hits) == 5 and len({c for c, _ in hits}) == 5  # distinct clauses
    assert "qiushi-2024/part7/p3" in [c for c, _ in hits]
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
