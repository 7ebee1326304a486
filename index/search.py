"""Hybrid search over the built index: dense (FAISS or Milvus), BM25, and their fusion (convex or RRF).

Results are clauses, not chunks: the language versions of one clause and the pieces of a split
clause count once. Each hit is shown in the query's language and script when that version exists;
the other versions travel with it in `parallel`.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from policyqa.corpus.config import Config, SearchMode, check_mode, check_top_k
from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.corpus.sources import detect_lang
from policyqa.corpus.store import ClauseStore, load_store
from policyqa.corpus.types import LANGS, Chunk, Lang, Unit, check_lang, preference
from policyqa.embed.types import Encoder
from policyqa.index.centering import center, query_form
from policyqa.index.exact import PhraseIndex, distinctive
from policyqa.index.fusion import (AdaptiveWeights, adaptive_fusion, best_per_clause, convex_fusion, coverage_factors, promote,
                                   reciprocal_rank_fusion)
from policyqa.index.rows import best_per_chunk
from policyqa.index.types import Hit, KeywordIndex, SearchResult, Where
from policyqa.index.vectors import VectorIndex

MAX_QUERY_CHARS = 10_000
REFERENCE_BONUS = 1.0
CANDIDATES = 200  # chunks fetched per retriever before fusion, when no filter narrows the corpus
ROWS_PER_CANDIDATE = 4  # dense rows fetched per candidate chunk: a chunk's sentences share its rank


@dataclass
class Searcher:
    config: Config
    store: ClauseStore
    encoder: Encoder
    chunks: list[Chunk]
    vectors: VectorIndex
    bm25: KeywordIndex  # bm25s, or BM25 inside Milvus (index.keywords)
    manifest: dict
    means: dict = field(default_factory=dict)  # language → mean passage vector (see index.centering)
    row_chunk: np.ndarray | None = None  # vector row → chunk (index.rows); None: one row per chunk
    _clause_of: list[str] = field(init=False, repr=False)
    _families: dict[str, set[str]] = field(init=False, repr=False)
    # Per writing system ("en", "zh"): the clauses with no version in it, as ids and as a chunk mask.
    _blind: dict[str, frozenset[str]] = field(init=False, repr=False)
    _blind_rows: dict[str, np.ndarray] = field(init=False, repr=False)
    _phrases: PhraseIndex = field(init=False, repr=False)
    weights: AdaptiveWeights = field(default_factory=AdaptiveWeights)

    def __post_init__(self) -> None:
        self._clause_of = [c.clause_id for c in self.chunks]
        # Which writing systems each clause exists in: BM25 folds 繁 to 简, so it matches a Chinese
        # question against either Chinese version, and never against an English-only clause.
        families: dict[str, set[str]] = {}
        for c in self.chunks:
            families.setdefault(c.clause_id, set()).add(_family(c.lang))
        self._families = families
        self._blind, self._blind_rows = {}, {}
        for family in {_family(lang) for lang in LANGS}:
            self._blind[family] = frozenset(cid for cid, fams in families.items() if family not in fams)
            self._blind_rows[family] = np.array([cid in self._blind[family] for cid in self._clause_of], dtype=bool)
        if self.row_chunk is None:
            self.row_chunk = np.arange(len(self.chunks), dtype=np.int32)
        self._phrases = PhraseIndex([c.text for c in self.chunks])

    def validate(self, query: object, top_k: int, mode: str, lang: str | None, doc: str | None) -> str:
        if not isinstance(query, str) or is_blank(query):
            raise UsageError("query is empty: type a question or some keywords")
        check_mode(mode)
        check_top_k(top_k)
        check_lang(lang)
        if doc is not None and doc not in self.store.docs:
            raise UsageError(f"unknown document {doc!r}; choose one of: {', '.join(sorted(self.store.docs))}")
        return query.strip()

    def search(self, query: str, top_k: int = 10, mode: SearchMode = "hybrid",
               lang: Lang | None = None, doc: str | None = None) -> SearchResult:
        t0 = time.perf_counter()
        query = self.validate(query, top_k, mode, lang, doc)
        warnings: list[str] = []
        if len(query) > MAX_QUERY_CHARS:
            warnings.append(f"the query has {len(query)} characters; only the first {MAX_QUERY_CHARS} were used")
            query = query[:MAX_QUERY_CHARS]
        allowed = np.array([(doc is None or c.doc_id == doc) and (lang is None or c.lang == lang)
                            for c in self.chunks])
        qlang = detect_lang(query)
        where = Where(doc, lang, allowed[self.row_chunk]) if doc is not None or lang is not None else None
        chunk_score: dict[int, float] = {}
        rankings = []
        qvec = None
        if mode in ("dense", "hybrid"):
            ranking, scores, warn, qvec = self._dense(query, qlang, allowed, where)
            warnings.extend(warn)
            rankings.append(ranking)
            chunk_score.update(scores)
        if mode in ("bm25", "hybrid"):
            ranking, bm25_scores = self._bm25(query, allowed, where)
            rankings.append(ranking)
            for i, s in bm25_scores.items():
                chunk_score.setdefault(i, s)
        if mode == "hybrid":
            ranked = self._fuse(query, qlang, rankings[0], rankings[1], bm25_scores, allowed)
            ranked = self._exact_references_first(query, ranked, rankings[-1], allowed)
        else:
            ranked = rankings[0]
        hits = tuple(
            self._hit(rank, cid, score, qlang, lang, doc, chunk_score)
            for rank, (cid, score) in enumerate(ranked[:top_k], 1)
        )
        return SearchResult(query, mode, (time.perf_counter() - t0) * 1000, hits, tuple(warnings), qlang, qvec)

    # ------------------------------------------------------------ fusion
    def _fuse(self, query: str, qlang: Lang, dense: list[tuple[str, float]], bm25: list[tuple[str, float]],
              bm25_scores: dict[int, float], allowed: np.ndarray) -> list[tuple[str, float]]:
        from policyqa.index.analyzer import tokenize

        family = _family(qlang)
        blind = self._blind[family]
        if self.config.fusion == "rrf":
            return reciprocal_rank_fusion([[cid for cid, _ in r] for r in (dense, bm25)], self.config.rrf_k,
                                          blind=[frozenset(), blind])
        if self.config.fusion == "convex":
            w = self.config.dense_weight
            return convex_fusion([dense, bm25], [w, 1.0 - w], blind=[frozenset(), blind])
        blind_rows = self._blind_rows[family] if family == "zh" and blind else None
        bridge = self._bridge(query, blind_rows, allowed) if blind_rows is not None else []
        short = len(set(tokenize(query))) <= self.weights.short_tokens
        coverage = self._coverage(query, blind_rows, allowed) if short else None
        fused = adaptive_fusion(dense, bm25, blind, bridge, short=short, weights=self.weights, coverage=coverage)
        # A distinctive term typed verbatim names its clauses: they lead, in fused order.
        named = distinctive([self._clause_of[i] for i in self._phrases.chunks_with(query, bm25_scores)])
        if not named:
            return fused
        order = {cid: r for r, (cid, _) in enumerate(fused)}
        return promote(fused, sorted(named, key=lambda cid: order.get(cid, len(order))))

    def _coverage(self, query: str, blind_rows: np.ndarray | None, allowed: np.ndarray) -> dict[str, float]:
        """Per clause, how many of a keyword query's words it contains (index.fusion.coverage_factors);
        a clause BM25 cannot see (`blind_rows`, a Chinese query's) contains a Chinese word when it has
        one of the word's English glosses."""
        from policyqa.index.analyzer import has_cjk, tokenize
        from policyqa.index.bridge import english_tokens

        tokens = [t for t in dict.fromkeys(tokenize(query)) if not t.startswith("§")]
        words = [t for t in tokens if not any(t != v and t in v for v in tokens)]  # 中小 inside 中小企业
        matched: dict[str, int] = {}
        for word in words:
            rows = self.bm25.token_scores([word]) > 0
            glossed = english_tokens([word]) if blind_rows is not None and has_cjk(word) else []
            if glossed:
                rows = rows | ((self.bm25.token_scores(glossed) > 0) & blind_rows)
            for cid in {self._clause_of[i] for i in np.flatnonzero(rows & allowed)}:
                matched[cid] = matched.get(cid, 0) + 1
        return coverage_factors(matched, len(words))

    def _bridge(self, query: str, blind_rows: np.ndarray, allowed: np.ndarray) -> list[tuple[str, float]]:
        """BM25 over the clauses a Chinese query cannot match, with its words translated (index.bridge)."""
        from policyqa.index.analyzer import tokenize
        from policyqa.index.bridge import chinese_words_in_english

        tokens = chinese_words_in_english(tokenize(query))
        if not tokens:
            return []
        scores = self.bm25.token_scores(tokens)
        return best_per_clause((self._clause_of[i], float(scores[i]))
                               for i in np.flatnonzero(allowed & blind_rows & (scores > 0)))

    # ------------------------------------------------------------ retrievers
    def _depth(self, allowed: np.ndarray, available: int, per_candidate: int = 1) -> int:
        """How many results to fetch: all when a filter will drop some, else the candidate pool."""
        return available if not allowed.all() else min(available, CANDIDATES * per_candidate)

    def _dense(self, query: str, qlang: Lang, allowed: np.ndarray, where: Where | None = None):
        text, centered_as = query_form(query, qlang, self.means)
        if text == query:
            raw, warnings = self.encoder.encode_query(query)
            written = raw
        else:
            # One encoder call for both forms: the folded one is searched, the one as written is what
            # `ask` compares sentences in the question's own script with.
            raw, written = self.encoder.encode_queries([text, query])
            warnings = self.encoder.query_warnings(text)
        vec = center(raw, self.means.get(centered_as))
        # The backend applies the filter (a Milvus expression, a FAISS row mask), so a filtered search
        # fetches the same candidate pool as an unfiltered one.
        depth = min(len(self.row_chunk), CANDIDATES * ROWS_PER_CANDIDATE)
        scores, ids = self.vectors.search(vec[None, :], depth, where)
        kept = best_per_chunk(scores[0], ids[0], self.row_chunk, allowed)
        return best_per_clause((self._clause_of[i], s) for i, s in kept.items()), kept, list(warnings), written

    def _bm25(self, query: str, allowed: np.ndarray, where: Where | None = None):
        scores = np.where(allowed, self.bm25.scores(query, where), 0.0)
        order = np.argsort(-scores, kind="stable")[: self._depth(allowed, len(self.chunks))]
        kept = {int(i): float(scores[i]) for i in order if scores[i] > 0}
        return best_per_clause((self._clause_of[i], s) for i, s in kept.items()), kept

    def _exact_references_first(self, query: str, fused: list[tuple[str, float]],
                                bm25_ranking: list[tuple[str, float]], allowed: np.ndarray):
        """A typed clause or document reference ("（十一）", "clause 11", "No. 258") is an exact
        look-up: clauses carrying every referenced token go first, in BM25 order, scored
        REFERENCE_BONUS + 1/(k + rank) so scores stay monotonic above every fused score."""
        from policyqa.index.analyzer import normalize, reference_tokens

        refs = sorted(set(reference_tokens(normalize(query))))
        if not refs:
            return fused
        has_all = allowed.copy()
        for tok in refs:
            has_all &= self.bm25.token_scores([tok]) > 0
        exact = {self._clause_of[i] for i in np.flatnonzero(has_all)}
        if not exact:
            return fused
        k = self.config.rrf_k
        order = [cid for cid, _ in bm25_ranking if cid in exact]
        if any(tok.startswith("§s") for tok in refs):  # a section: its heading, then its units
            order.sort(key=lambda cid: self.store.versions(cid)[0].kind != "heading")
        first = [(cid, REFERENCE_BONUS + 1.0 / (k + r)) for r, cid in enumerate(order, 1)]
        return first + [(cid, sc) for cid, sc in fused if cid not in exact]

    # ------------------------------------------------------------ presentation
    def _hit(self, rank: int, cid: str, score: float, qlang: Lang, lang: Lang | None, doc: str | None,
             chunk_score: dict[int, float]) -> Hit:
        versions = [u for u in self.store.versions(cid) if doc is None or u.doc_id == doc]
        order = (lang,) if lang else preference(qlang)
        shown = next((u for want in order for u in versions if u.lang == want), versions[0])
        candidates = [i for i, c in enumerate(self.chunks) if c.clause_id == cid and c.lang == shown.lang]
        best = max(candidates, key=lambda i: chunk_score.get(i, float("-inf")))
        parallel = tuple(u for u in self.store.versions(cid) if u.lang != shown.lang)
        return Hit(rank, round(score, 6), shown, self.chunks[best], parallel, citation(self.store, shown))


def is_blank(text: str) -> bool:
    """Nothing visible: only whitespace, controls or format characters (a zero-width space alone)."""
    return not any(ch.isprintable() and not ch.isspace() for ch in text)


def _family(lang: str) -> str:
    return "zh" if lang.startswith("zh") else lang


def citation(store: ClauseStore, unit: Unit) -> str:
    meta = store.doc(unit.doc_id)
    parts = [meta.title if meta else unit.doc_id]
    parts.extend(h for h in unit.heading if h != unit.text)
    if unit.number and unit.kind != "heading":
        parts.append(unit.number)
    return " · ".join(parts)


def load_searcher(config: Config, encoder=None) -> Searcher:
    """Load the store, the model and the index once; refuse a mismatched or damaged index."""
    from policyqa.index import keywords as keyword_backends
    from policyqa.index import vectors as vector_backends
    from policyqa.index.build import BM25_DIR, CHUNKS, MEANS, ROWS, read_chunks, read_manifest, verify_files

    index_dir = config.index_dir
    manifest = read_manifest(index_dir)
    verify_files(index_dir, manifest)
    store = load_store(config)
    if store.corpus_hash != manifest["corpus_hash"]:
        raise PolicyQAError("the clause store changed since the index was built; run `policyqa build`")
    if encoder is None:
        from policyqa.embed.encoder import load_encoder

        encoder = load_encoder(config)
    if encoder.fingerprint != manifest["model_fingerprint"]:
        raise PolicyQAError(
            f"the index was built with model {manifest['model_id']} (fingerprint {manifest['model_fingerprint'][:12]}), "
            f"but the configured model is {encoder.model_id} ({encoder.fingerprint[:12]}); "
            "run `policyqa build --force` to rebuild it with this model"
        )
    chunks = read_chunks(index_dir / CHUNKS)
    vectors = vector_backends.load(manifest["backend"], index_dir, manifest)
    bm25 = keyword_backends.load(manifest, index_dir / BM25_DIR, len(chunks))
    row_chunk = np.load(index_dir / ROWS, allow_pickle=False)
    if not (len(chunks) == manifest["chunks"] and len(row_chunk) == vectors.count() == manifest["rows"]
            and (not len(row_chunk) or 0 <= row_chunk.min() <= row_chunk.max() < len(chunks))):
        raise PolicyQAError(f"the index in {index_dir} is inconsistent ({len(chunks)} chunks, {vectors.count()} "
                            f"vectors, {len(row_chunk)} row entries); run `policyqa build --force`")
    # jieba reads its dictionary on first use: start that now, beside the ONNX session the encoder
    # is still preparing, so a Chinese first query does not wait for it and an English one never
    # does (daemon: a one-shot search exits without waiting for a warm-up it did not need).
    import threading

    from policyqa.index.analyzer import tokenize

    threading.Thread(target=tokenize, args=("中文",), name="jieba-warm", daemon=True).start()
    if config.fusion == "adaptive":
        from policyqa.index.bridge import dictionary

        dictionary(config.cache_dir)
    means = {}
    if manifest["centered_languages"]:
        stacked = np.load(index_dir / MEANS, allow_pickle=False)
        means = dict(zip(manifest["centered_languages"], stacked))
    return Searcher(config, store, encoder, chunks, vectors, bm25, manifest, means, row_chunk)
