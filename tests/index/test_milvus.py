"""The Milvus backend (a real milvus-lite database) answers like FAISS flat on the bundled corpus,
filters inside the database, and carries the keyword half of the hybrid (BM25) as well."""
import os
import shutil
import subprocess
import sys
from collections import Counter

from policyqa.index.build import build
from policyqa.index.search import load_searcher

QUERIES = ["产业大脑是什么？", "tax credit for safety equipment", "強化重點行業本質安全",
           "pilot cities for China Manufacturing 2025", "绿色工厂", "How will SMEs be supported?"]


def test_milvus_matches_faiss_flat(config, built, searcher, encoder, tmp_path):
    data = tmp_path / "var"
    shutil.copytree(config.data_dir, data)  # the embedding cache comes along: nothing is re-embedded
    shutil.rmtree(data / "index")
    cfg = config.replace(data_dir=data, vector_backend="milvus")
    report = build(cfg, encoder=encoder, progress=False)
    assert report.backend == "milvus" and report.embedded == 0
    milvus = load_searcher(cfg, encoder=encoder)
    assert type(milvus.vectors).__name__ == "MilvusIndex"
    overlaps = []
    for q in QUERIES:
        a = [h.unit.clause_id for h in searcher.search(q, top_k=10, mode="dense").hits]
        b = [h.unit.clause_id for h in milvus.search(q, top_k=10, mode="dense").hits]
        overlaps.append(len(set(a) & set(b)) / 10)
        assert a[0] == b[0], q
    assert min(overlaps) >= 0.9, overlaps


def _synthetic_rows(n: int, dim: int, seed: int = 7):
    import numpy as np

    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    docs = [f"doc-{i}" for i in range(9)] + ['quote"and\\slash']  # a value that needs escaping
    fields = {"doc_id": [docs[i] for i in rng.integers(0, len(docs), n)],
              "lang": [("en", "zh-Hans", "zh-Hant")[i] for i in rng.integers(0, 3, n)],
              "clause_id": [f"c{i // 3}" for i in range(n)], "chunk": [i // 3 for i in range(n)]}
    return vectors, fields, rng.standard_normal((4, dim)).astype(np.float32)


def test_milvus_filters_in_the_database_and_equals_faiss_flat(tmp_path):
    """Over 20,000 rows, document and language filters run as Milvus filter expressions and return
    exactly FAISS Flat's filtered top k (the mask applied to an exact ranking)."""
    import numpy as np

    from policyqa.index.faiss_backend import FaissIndex
    from policyqa.index.milvus_backend import MAX_TOPK, MilvusIndex, filter_expr
    from policyqa.index.types import Where

    n, dim = 24_000, 64
    vectors, fields, queries = _synthetic_rows(n, dim)
    uri = str(tmp_path / "milvus.db")
    built = MilvusIndex.create(dim, uri)
    built.add(vectors, fields)
    built.save(tmp_path)
    milvus = MilvusIndex.load(tmp_path, {"milvus_uri": uri, "collection": built.collection, "rows": n, "dim": dim})
    flat = FaissIndex.create(dim, "Flat")
    flat.add(vectors)
    doc_ids, langs = np.array(fields["doc_id"]), np.array(fields["lang"])
    cases = [(None, None, 10), ("doc-3", None, 100), (None, "zh-Hant", 800), ("doc-5", "en", 50),
             ('quote"and\\slash', "zh-Hans", 10), ("doc-1", "en", 5000)]
    for doc, lang, k in cases:
        rows = (doc_ids == doc if doc else True) & (langs == lang if lang else True) & np.ones(n, bool)
        where = Where(doc, lang, rows) if doc or lang else None
        got_s, got_i = milvus.search(queries, k, where)
        want_s, want_i = flat.search(queries, k, where)
        expected = min(k, int(rows.sum()))
        assert (got_i >= 0).sum(axis=1).tolist() == [expected] * len(queries), (doc, lang, k)
        assert rows[got_i[got_i >= 0]].all(), (doc, lang)  # nothing outside the filter
        np.testing.assert_allclose(got_s[:, :expected], want_s[:, :expected], atol=1e-5)
        # Same rows in the same order, except where two scores tie to float precision.
        diff = got_i[:, :expected] != want_i[:, :expected]
        assert not diff.any() or np.allclose(got_s[:, :expected][diff], want_s[:, :expected][diff], atol=1e-6)
    assert filter_expr(Where("doc-1", "en")) == 'doc_id == "doc-1" and lang == "en"'
    assert milvus.search(queries[:1], MAX_TOPK + 5000)[1].shape[1] == MAX_TOPK  # Milvus's top-k limit


def test_analyzed_text_segments_in_milvus_like_the_project_analyzer(searcher, store):
    """Milvus's jieba analyzer (milvus-lite's, with the stop-word filter the collection declares) over
    analyzed_text() yields exactly the project's tokens, for every keyword text of the corpus."""
    from milvus_lite.analyzer.factory import create_analyzer

    from policyqa.index.analyzer import analyzed_text, engine_token, tokenize
    from policyqa.index.build import keyword_texts
    from policyqa.index.milvus_keyword import analyzer_params

    analyzer = create_analyzer(analyzer_params())
    texts = keyword_texts(store, searcher.chunks) + QUERIES + ["（十一）第十一条 〔2023〕258号 U.S. 2.5%"]
    for text in texts:
        assert Counter(analyzer.tokenize(analyzed_text(text))) == Counter(engine_token(t) for t in tokenize(text)), text
    assert analyzed_text("clause (11)") == "qxrefc11 claus 11"


def _milvus_copy(config, tmp_path, **changes):
    data = tmp_path / "var"
    shutil.copytree(config.data_dir, data)  # the embedding cache comes along: nothing is re-embedded
    shutil.rmtree(data / "index")
    return config.replace(data_dir=data, **changes)


def test_hybrid_entirely_in_milvus_ranks_like_bm25s(config, built, searcher, encoder, tmp_path):
    cfg = _milvus_copy(config, tmp_path, vector_backend="milvus", keyword_backend="milvus")
    build(cfg, encoder=encoder, progress=False)
    assert not (cfg.index_dir / "bm25").exists()  # no bm25s files: the keyword index is in Milvus
    milvus = load_searcher(cfg, encoder=encoder)
    assert type(milvus.bm25).__name__ == "MilvusKeywordIndex"
    for q in QUERIES + ["第十一条", "clause (11)"]:
        a = searcher.search(q, top_k=10, mode="bm25").hits
        b = milvus.search(q, top_k=10, mode="bm25").hits
        assert [h.unit.clause_id for h in a] == [h.unit.clause_id for h in b], q
        assert [h.score for h in a] == [h.score for h in b] or all(  # bm25s leaves out the (k1+1) factor
            abs(x.score * 2.5 - y.score) < 1e-3 * y.score for x, y in zip(a, b)), q
        hybrid = milvus.search(q, top_k=5, mode="hybrid").hits
        assert hybrid and hybrid[0].unit.clause_id == searcher.search(q, top_k=5, mode="hybrid").hits[0].unit.clause_id
    doc = searcher.chunks[0].doc_id
    for lang in (None, "en"):
        a = searcher.search("安全 safety", top_k=10, mode="hybrid", doc=doc, lang=lang).hits
        b = milvus.search("安全 safety", top_k=10, mode="hybrid", doc=doc, lang=lang).hits
        assert [h.unit.clause_id for h in a] == [h.unit.clause_id for h in b]
        assert all(h.unit.doc_id == doc and (lang is None or h.unit.lang == lang) for h in b)


def test_milvus_build_prints_no_traceback(config, built, tmp_path):
    """milvus-lite does not implement AllocTimestamp; a build must not provoke its logged traceback."""
    cfg = _milvus_copy(config, tmp_path)
    env = {**os.environ, "POLICYQA_DATA_DIR": str(cfg.data_dir), "POLICYQA_VECTOR_BACKEND": "milvus",
           "POLICYQA_KEYWORD_BACKEND": "milvus", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.run([sys.executable, "-m", "policyqa", "build"], env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "built milvus index" in proc.stdout
    for noise in ("Traceback", "Method not implemented", "ERROR", "Building prefix dict"):
        assert noise not in proc.stderr, proc.stderr
