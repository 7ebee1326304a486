"""`policyqa eval --beir DIR`: the same retrievers on any dataset in BEIR format.

The dataset becomes an in-memory clause store (one unit per BEIR document, its `_id` as clause id),
chunked, embedded and indexed with the project's own components — the chunker, the encoder, FAISS
flat, the bm25s index over the shared EN/ZH analyzer — and searched by the same `Searcher`, so bm25,
dense and hybrid mean exactly what they mean on the bundled corpus. Nothing is written to the index dir.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from policyqa.corpus.config import Config
from policyqa.corpus.store import ClauseStore
from policyqa.corpus.types import DocMeta, Unit
from policyqa.eval.beir import BeirDataset, load_beir
from policyqa.eval.report import EvalResult

FAMILY = "beir"


def dataset_store(ds: BeirDataset) -> ClauseStore:
    """One DocMeta for the whole dataset; each BEIR document is a unit whose clause id is its _id."""
    from policyqa.corpus.sources import detect_lang

    doc_id = f"beir-{ds.name}"
    units, body, pos = [], [], 0
    for d in ds.docs:
        text = f"{d.title}\n{d.text}".strip() if d.title else d.text.strip()
        units.append(Unit(doc_id, d.id, detect_lang(text), "paragraph", (), "", text, pos, pos + len(text)))
        body.append(text)
        pos += len(text) + 2
    meta = DocMeta(doc_id=doc_id, family=FAMILY, lang="en", title=ds.name, title_en=ds.name)
    return ClauseStore({doc_id: meta}, tuple(units), f"beir:{ds.name}", {doc_id: "\n\n".join(body)})


def build_searcher(config: Config, store: ClauseStore, encoder, progress: bool = False):
    from policyqa.corpus.chunking import chunk_units
    from policyqa.index.bm25 import BM25Index
    from policyqa.index.build import embed_rows, keyword_texts
    from policyqa.index.faiss_backend import FaissIndex
    from policyqa.index.search import Searcher

    chunks = chunk_units(store.units, lambda t: encoder.count_tokens(t, "passage"), encoder.max_tokens)
    # The same rows as index.build.build; the embedding cache makes a second run on a dataset fast.
    dense = embed_rows(encoder, list(store.units), chunks, config.embed_cache_dir, progress=progress)
    vindex = FaissIndex.create(encoder.dim, "Flat")
    vindex.add(dense.vectors)
    bm25 = BM25Index.build(keyword_texts(store, chunks))
    manifest = {"backend": "faiss", "factory": "Flat", "chunks": len(chunks), "rows": len(dense.row_chunk),
                "model_id": encoder.model_id, "model_fingerprint": encoder.fingerprint,
                "corpus_hash": store.corpus_hash, "centered_languages": sorted(dense.means)}
    return Searcher(config, store, encoder, chunks, vindex, bm25, manifest, dense.means, dense.row_chunk)


def evaluate_beir(config: Config, root: Path, names: Sequence[str], *, encoder=None, progress: bool = False):
    from policyqa.eval.baseline import NaiveRetriever, source_docs_from_store, split_documents
    from policyqa.eval.passes import method_notes, run_retriever, score, searcher_retriever, today

    ds = load_beir(root)
    if encoder is None:
        from policyqa.embed.encoder import load_encoder

        encoder = load_encoder(config)
    if progress:
        print(f"eval: {ds.name}: {len(ds.docs)} documents, {len(ds.queries)} judged queries ({ds.split})", file=sys.stderr)
    store = dataset_store(ds)
    searcher = build_searcher(config, store, encoder, progress) if any(n != "naive" for n in names) else None
    groups = {q: ("all",) for q in ds.qrels}
    ranked_all, results = {}, []
    for name in names:
        if progress:
            print(f"eval: {name} on {len(ds.queries)} queries", file=sys.stderr)
        if name == "naive":
            retriever = NaiveRetriever(split_documents(source_docs_from_store(store)), encoder).search
        else:
            retriever = searcher_retriever(searcher, name)
        ranked, latency = run_retriever(retriever, ds.queries)
        ranked_all[name] = ranked
        results.append(score(name, ranked, ds.qrels, groups, latency))
    res = EvalResult(f"beir:{ds.name}", today(), len(ds.queries), len(ds.qrels), tuple(results), None,
                     notes=(f"BEIR split: {ds.split}",) + tuple(n for n in method_notes(names) if n.startswith("naive")))
    return res, ds.qrels, ranked_all
