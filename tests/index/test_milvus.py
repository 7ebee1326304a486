"""The Milvus backend (a real milvus-lite database) answers like FAISS flat on the bundled corpus."""
import shutil

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
    from policyqa.index.vectors import Where

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
