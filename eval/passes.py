"""One retrieval pass, shared by the project's own evaluation (eval.run) and BEIR runs (eval.beir_run):
retrievers are small callables (query, top_k) -> [(id, score)] built by one factory, run and scored
the same way."""
from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable, Mapping, Sequence

from policyqa.corpus.errors import UsageError
from policyqa.eval.metrics import evaluate_groups, recall_curve
from policyqa.eval.report import RetrieverResult
from policyqa.eval.timing import percentiles

RETRIEVERS: tuple[str, ...] = ("bm25", "dense", "hybrid", "naive")
TOP_K = 10
Retriever = Callable[[str, int], list[tuple[str, float]]]


def check_retrievers(names: Sequence[str] | None) -> tuple[str, ...]:
    if not names:
        return RETRIEVERS
    bad = [n for n in names if n not in RETRIEVERS]
    if bad:
        raise UsageError(f"unknown retriever {', '.join(bad)}; choose from {', '.join(RETRIEVERS)}")
    return tuple(dict.fromkeys(names))


def searcher_retriever(searcher, mode: str) -> Retriever:
    def run(query: str, top_k: int) -> list[tuple[str, float]]:
        return [(h.unit.clause_id, float(h.score)) for h in searcher.search(query, top_k=top_k, mode=mode).hits]

    return run


def run_retriever(retriever: Retriever, queries: Mapping[str, str], top_k: int = TOP_K) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Ranked ids per query, and per-query latency percentiles (ms) of this pass."""
    ranked: dict[str, list[str]] = {}
    took: list[float] = []
    for qid, text in queries.items():
        t0 = time.perf_counter()
        hits = retriever(text, top_k)
        took.append((time.perf_counter() - t0) * 1000)
        ranked[qid] = [doc for doc, _ in hits]
    lat = percentiles(took)
    return ranked, {"p50": lat["p50_ms"], "p95": lat["p95_ms"]}


def score(name: str, ranked: Mapping[str, Sequence[str]], qrels, groups, latency) -> RetrieverResult:
    return RetrieverResult(
        name=name,
        groups=evaluate_groups(qrels, ranked, groups, name=name),
        curve=recall_curve(qrels, ranked, name=name),
        latency_ms=latency,
    )


def today() -> str:
    return _dt.date.today().isoformat()


def method_notes(names: Sequence[str]) -> tuple[str, ...]:
    notes = ["Out-of-scope questions have no gold clause; they count only in the abstention figures."]
    if "naive" in names:
        from policyqa.eval.baseline import CHUNK_OVERLAP, CHUNK_SIZE

        notes.append(f"naive: RecursiveCharacterTextSplitter chunk_size={CHUNK_SIZE}, chunk_overlap={CHUNK_OVERLAP} over each "
                     "whole cleaned document, same encoder, FAISS IndexFlatIP; a chunk counts as the clause it overlaps most, "
                     "a clause ranks at its best chunk.")
    return tuple(notes)
