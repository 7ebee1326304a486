"""`policyqa build`: ingest → chunk → embed (cached) → vector index + BM25, written atomically.

The index directory holds plain files and a manifest.json that names the model fingerprint,
corpus hash, backend and a sha256 of every file, so a loader can refuse a mismatched or damaged
index. The whole directory is swapped in one rename: a build killed at any point leaves the
previous index usable.
"""
from __future__ import annotations

import json
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from policyqa.corpus.acronyms import defined, expansions
from policyqa.corpus.atomic import exclusive_lock, replace_dir, sweep_stale
from policyqa.corpus.chunking import chunk_units
from policyqa.corpus.config import Config
from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.manifest import MANIFEST, file_problem, write_manifest
from policyqa.corpus.manifest import read_manifest as read_manifest_file
from policyqa.corpus.store import ClauseStore, ingest, write_store
from policyqa.corpus.types import Chunk
from policyqa.index.centering import center_rows, language_means
from policyqa.index.terms import terms_hash

FORMAT_VERSION = 8
CHUNKS = "chunks.jsonl"
BM25_DIR = "bm25"
MEANS = "language_means.npy"
ROWS = "row_chunks.npy"  # vector row → chunk (see index.rows)


@dataclass(frozen=True)
class BuildReport:
    up_to_date: bool
    units: int
    chunks: int
    embedded: int  # texts (chunks and sentences) embedded now; the rest came from the embedding cache
    seconds: float
    index_dir: str
    model_id: str
    backend: str
    rows: int  # vectors indexed: the chunks and the sentences of multi-sentence chunks

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        if self.up_to_date:
            return (f"index up to date: nothing changed, 0 passages embedded "
                    f"({self.units} units, {self.chunks} chunks) in {self.index_dir}")
        cached = self.rows - self.embedded
        return (f"built {self.backend} index of {self.chunks} chunks ({self.rows} vectors with their sentences) "
                f"from {self.units} units in {self.seconds:.1f}s: {self.embedded} texts embedded, {cached} from cache "
                f"(model {self.model_id}) → {self.index_dir}")


_FIX = "run `policyqa build --force`"


def read_manifest(index_dir: Path) -> dict:
    manifest = read_manifest_file(index_dir, FORMAT_VERSION, what="index", fix=_FIX, required=_REQUIRED,
                                  missing_fix="run `policyqa build` first")
    if not isinstance(manifest["files"], dict):
        raise PolicyQAError(f"the index manifest in {index_dir} is damaged (bad: files); {_FIX}")
    return manifest


# Keys a loader reads without a default; a manifest without one of them is damaged.
_REQUIRED = ("files", "model_id", "model_fingerprint", "backend", "corpus_hash", "units", "chunks", "rows",
             "centered_languages")


def verify_files(index_dir: Path, manifest: dict) -> None:
    """Every file the manifest lists exists with its recorded checksum."""
    problem = file_problem(index_dir, manifest)
    if problem:
        raise PolicyQAError(f"the index in {index_dir} is damaged: {problem}; {_FIX}")


def _is_current(config: Config, manifest_path: Path, corpus_hash: str, fingerprint: str) -> bool:
    try:
        m = read_manifest(manifest_path.parent)
        verify_files(manifest_path.parent, m)
    except (PolicyQAError, KeyError):
        return False
    return (m.get("corpus_hash"), m.get("model_fingerprint"), m.get("backend"), m.get("factory"),
            m.get("keyword_backend", "bm25s"), m.get("policy_terms")) == (
        corpus_hash, fingerprint, config.vector_backend, config.faiss_factory, config.keyword_backend, terms_hash())


def write_chunks(path: Path, chunks: list[Chunk]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for c in chunks:
            fh.write(json.dumps({**asdict(c), "heading": list(c.heading)}, ensure_ascii=False) + "\n")


def read_chunks(path: Path) -> list[Chunk]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            out.append(Chunk(**{**d, "heading": tuple(d["heading"])}))
    return out


@dataclass(frozen=True)
class DenseRows:
    vectors: np.ndarray  # centered, one row per chunk and per sentence of a multi-sentence chunk
    row_chunk: np.ndarray  # row → chunk index
    means: dict[str, np.ndarray]
    embedded: int  # texts embedded now; the rest came from the cache


def embed_rows(encoder, units: list, chunks: list[Chunk], cache_dir: Path, progress: bool = False) -> DenseRows:
    """The vector index's rows (see index.rows), centered per language."""
    from policyqa.embed.cache import encode_passages_cached
    from policyqa.index.rows import row_chunks, sentence_rows

    sentences, owners = sentence_rows(chunks, {u.key: u.number for u in units})
    # One call for both kinds of row: the backend sorts and batches them together, and a pass's
    # last batch does not leave a core idle twice.
    all_vectors, embedded = encode_passages_cached(encoder, [c.text for c in chunks] + sentences, cache_dir,
                                                   progress=progress)
    langs = [c.lang for c in chunks]
    # Means come from whole passages only, so the sentence rows do not shift them.
    means = language_means(all_vectors[: len(chunks)], langs)
    if means and min(Counter(langs).values()) < 2:
        # A language with a single chunk would be centered to the zero vector (NaN after normalizing).
        means = {}
    centered = center_rows(all_vectors, langs + [langs[i] for i in owners], means)
    return DenseRows(centered, row_chunks(len(chunks), owners), means, embedded)


def keyword_texts(store: ClauseStore, chunks: list[Chunk]) -> list[str]:
    """What BM25 indexes: the chunk text plus its document's number, which lives in metadata.

    Every chunk carries the number's reference token, so "258号 （十一）" finds clause (11) of that
    document; the document's opening chunk also carries the title and the number as written, so a
    bare document-number look-up lands on the start of the document. An English chunk that uses an
    acronym its document defined earlier ("SMEs") also carries the acronym's long form
    (corpus.acronyms), which its text no longer says.
    """
    out, seen = [], set()
    acronyms: dict[str, dict[str, str]] = {}
    for c in chunks:
        meta = store.doc(c.doc_id)
        extra = ""
        if meta and meta.lang == "en":
            if c.doc_id not in acronyms:
                acronyms[c.doc_id] = defined(store.bodies.get(c.doc_id, ""))
            extra = "".join(f" {form}" for form in expansions(c.text, acronyms[c.doc_id]))
        if meta and meta.number:
            digits = re.findall(r"\d+", meta.number)
            extra += f" No. {digits[-1]}" if digits else ""
            if c.doc_id not in seen:
                extra += f" {meta.title} {meta.number}"
        seen.add(c.doc_id)
        out.append(c.text + extra)
    return out


def section_tokens(store: ClauseStore, chunks: list[Chunk]) -> list[list[str]]:
    """`§sN` for every chunk under a numbered top-level section (its heading included), so "第六部分",
    "section VI" or "part 6" finds the section and its clauses, whose own text never says so."""
    from policyqa.index.analyzer import section_number

    numbers = {(u.doc_id, u.text): section_number(u.number) for u in store.units if u.kind == "heading" and u.number}
    out = []
    for c in chunks:
        n = numbers.get((c.doc_id, c.heading[0])) if c.heading else None
        out.append([f"§s{n}"] if n else [])
    return out


def build(config: Config, force: bool = False, progress: bool = True, encoder=None) -> BuildReport:
    with exclusive_lock(config.data_dir / ".build.lock"):
        return build_locked(config, force=force, progress=progress, encoder=encoder)


def build_locked(config: Config, *, force: bool = False, progress: bool = True, encoder=None,
                 store: ClauseStore | None = None) -> BuildReport:
    """`build` for a caller that holds the build lock (policyqa.index.documents).

    Without `store`, the corpus is ingested (and the clause store written) first. With `store` (the
    corpus plus documents being added or removed), nothing is written until the embedding succeeded:
    then the store, then the index are swapped in, so a failure leaves both as they were.
    """
    from policyqa.index import keywords as keyword_backends
    from policyqa.index import vectors as vector_backends

    t0 = time.perf_counter()
    index_dir = config.index_dir
    sweep_stale(index_dir.parent, index_dir.name)
    pending = store
    if store is None:
        store = ingest(config)  # cheap and deterministic; also repairs an old or damaged store
    if encoder is None:
        from policyqa.embed.encoder import load_encoder

        encoder = load_encoder(config)
    if not force and _is_current(config, index_dir / MANIFEST, store.corpus_hash, encoder.fingerprint):
        if pending is not None:
            write_store(config, pending)
        m = read_manifest(index_dir)
        return BuildReport(True, m["units"], m["chunks"], 0, time.perf_counter() - t0, str(index_dir),
                           encoder.model_id, config.vector_backend, m["rows"])
    units = [u for u in store.units]
    chunks = chunk_units(units, lambda t: encoder.count_tokens(t, "passage"), encoder.max_tokens)
    # The keyword index needs no vectors: it is built beside the embedding, whose model runs outside
    # the GIL, so its analyzer's start-up and tokenizing cost no wall time of their own.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="keywords") as pool:
        keywords = pool.submit(keyword_backends.build, config, keyword_texts(store, chunks),
                               vector_backends.row_fields(chunks, np.arange(len(chunks))),
                               section_tokens(store, chunks))
        dense = embed_rows(encoder, units, chunks, config.embed_cache_dir, progress=progress)
        bm25 = keywords.result()
    means, rows = dense.means, dense.row_chunk
    vindex = vector_backends.create(config, encoder.dim)
    vindex.add(dense.vectors, vector_backends.row_fields(chunks, rows))
    if pending is not None:
        write_store(config, pending)
    with replace_dir(index_dir) as staging:
        write_chunks(staging / CHUNKS, chunks)
        vindex.save(staging)
        np.save(staging / ROWS, rows, allow_pickle=False)
        if means:
            np.save(staging / MEANS, np.stack([means[lang] for lang in sorted(means)]), allow_pickle=False)
        bm25.save(staging / BM25_DIR)
        write_manifest(staging, FORMAT_VERSION, {
            "model_id": encoder.model_id,
            "model_fingerprint": encoder.fingerprint,
            "dim": encoder.dim,
            "metric": "inner_product",
            "backend": config.vector_backend,
            "factory": config.faiss_factory,
            "milvus_uri": getattr(vindex, "uri", None),
            "collection": getattr(vindex, "collection", ""),
            **keyword_backends.manifest_entries(config, bm25),
            "corpus_hash": store.corpus_hash,
            "policy_terms": terms_hash(),  # the analyzer keeps these words whole (index.terms)
            "centered_languages": sorted(means),
            "units": len(units),
            "chunks": len(chunks),
            "rows": len(rows),
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }, files="sha256")
    return BuildReport(False, len(units), len(chunks), dense.embedded, time.perf_counter() - t0, str(index_dir),
                       encoder.model_id, config.vector_backend, len(rows))
