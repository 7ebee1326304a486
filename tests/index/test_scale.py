from policyqa.index.scale import recommend, run_scale


def test_scale_rows_compare_against_exact_search():
    rows = run_scale([3000], n_queries=50, factories=("Flat", "HNSW32", "IVF{nlist},Flat"))
    assert [(r["index"], r["search"]) for r in rows] == [
        ("Flat", "exact"), ("HNSW32", "efSearch=64"), ("HNSW32", "efSearch=128"),
        ("IVF219,Flat", "nprobe=8"), ("IVF219,Flat", "nprobe=16"), ("IVF219,Flat", "nprobe=32")]
    assert all(r["build_s"] >= 0 for r in rows)
    assert rows[0]["recall@10"] == 1.0 and rows[0]["x_flat_qps"] == 1.0  # exact search is its own ground truth
    for r in rows:
        assert 0.0 <= r["recall@10"] <= 1.0 and r["qps"] > 0 and r["memory_mb"] > 0
    # HNSW keeps its graph beside the vectors: it is larger than the flat index.
    assert rows[1]["memory_mb"] > rows[0]["memory_mb"]
    # More lists probed never finds fewer true neighbours.
    assert rows[3]["recall@10"] <= rows[4]["recall@10"] <= rows[5]["recall@10"]


def test_scale_run_stops_at_its_time_budget():
    rows = run_scale([2000], n_queries=10, factories=("Flat", "HNSW32"), max_seconds=0.0)
    assert [r["search"] for r in rows] == ["skipped: time budget spent"] * 2


def test_recommend_picks_the_fastest_index_that_keeps_recall():
    rows = [{"vectors": 10, "index": "Flat", "recall@10": 1.0, "qps": 1.0},
            {"vectors": 10, "index": "A", "recall@10": 0.99, "qps": 20.0},
            {"vectors": 10, "index": "B", "recall@10": 0.90, "qps": 90.0},
            {"vectors": 10, "index": "C", "recall@10": 0.95, "qps": 30.0},
            {"vectors": 5, "index": "D", "recall@10": 1.0, "qps": 99.0}]
    assert recommend(rows)["index"] == "C"
    assert recommend(rows, target_recall=0.999) is None
    assert recommend([]) is None
