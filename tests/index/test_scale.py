from policyqa.index.scale import run_scale


def test_scale_rows_compare_against_exact_search():
    rows = run_scale([3000], n_queries=50, factories=("Flat", "HNSW32", "IVF{nlist},Flat"))
    assert [r["index"] for r in rows] == ["Flat", "HNSW32", "IVF219,Flat"]
    assert rows[0]["recall@10"] == 1.0  # exact search is its own ground truth
    for r in rows:
        assert 0.0 <= r["recall@10"] <= 1.0 and r["qps"] > 0 and r["memory_mb"] > 0
    # HNSW keeps its graph beside the vectors: it is larger than the flat index.
    assert rows[1]["memory_mb"] > rows[0]["memory_mb"]
