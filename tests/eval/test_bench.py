"""Bench plumbing: percentiles, the machine description, scale sizes, the Markdown, real warm timings."""
from __future__ import annotations

import pytest

from policyqa.corpus.errors import UsageError
from policyqa.eval.bench import bench_search, machine, scale_sizes
from policyqa.eval.bench_report import markdown, readme_section
from policyqa.eval.timing import percentiles, time_calls


def test_percentiles_hand_checked():
    p = percentiles([1.0, 2.0, 3.0, 4.0, 5.0])
    # numpy's linear interpolation: p50 = 3, p95 = 4 + 0.8 * 1 = 4.8, p99 = 4.96
    assert (p["n"], p["p50_ms"], p["p95_ms"], p["p99_ms"], p["max_ms"]) == (5, 3.0, 4.8, 4.96, 5.0)
    assert percentiles([]) == {"n": 0}


def test_machine_is_described():
    m = machine()
    assert m["cores"] >= 1 and m["cpu"] and m["python"].count(".") == 2
    assert m["faiss"] and m["torch"] and m["numpy"]


def test_scale_sizes():
    assert scale_sizes(None) == scale_sizes([]) == (100_000,)
    assert scale_sizes([0]) == ()
    assert scale_sizes([100_000, 1_000_000]) == (100_000, 1_000_000)
    with pytest.raises(UsageError, match="at least 1000"):
        scale_sizes([10])


def test_time_calls_records_only_the_recorded_passes():
    calls = []
    samples = time_calls(calls.append, ["a", "b"], repeats=3, warmup=1)
    assert calls == ["a", "b"] * 4 and len(samples) == 6 and all(s >= 0 for s in samples)


def test_markdown_carries_every_measure():
    res = {"date": "2024-01-02", "machine": machine(), "model_load_s": 7.5,
           "build": {"cold_s": 60.1, "warm_s": 1.2},
           "embedding": {"passages": 138, "passage_tokens_mean": 250.0, "passages_per_s": 3.1, "tokens_per_s": 790.0,
                         "queries": 149, "query_ms_p50": 25.0, "query_ms_p95": 40.0},
           "search": {"hybrid": percentiles([10, 20, 30])}, "ask": percentiles([50, 60]),
           "peak_rss_mb": 1500.0,
           "scale": [{"vectors": 100000, "index": "Flat", "recall@10": 1.0, "qps": 900.0, "memory_mb": 146.5, "build_s": 0.1}],
           "load": {"clients": 20, "planned": 500, "sent": 500, "ok": 499, "errors": 1, "wall_s": 80.5,
                    "throughput_rps": 6.2, "p50_ms": 900.0, "p95_ms": 2100.0, "p99_ms": 2900.0, "max_ms": 3100.0,
                    "over_5s": 0}}
    md = markdown(res)
    for text in ("2024-01-02", "| search (hybrid) | 3 | 20.0 |", "| ask (extractive) | 2 | 55.0 |",
                 "| index build, cold: ingest + embed + index (s) | 60.1 |", "| index build, warm: nothing changed (s) | 1.2 |",
                 "| 100000 | Flat | 1.0 | 900.0 | 146.5 | 0.1 |", "| peak memory, search + ask + build (MB RSS) | 1500.0 |",
                 "20 concurrent clients, 500 of 500", "| 499 | 1 | 80.5 | 6.2 | 900.0 | 2100.0 | 2900.0 | 3100.0 | 0 |"):
        assert text in md, text
    assert readme_section(res) in md


@pytest.mark.slow
def test_bench_search_measures_every_mode(searcher):
    out = bench_search(searcher, ["产业大脑是什么？", "tax credit for safety equipment"], repeats=1)
    assert set(out) == {"hybrid", "dense", "bm25"}
    assert all(p["n"] == 2 and 0 < p["p50_ms"] <= p["max_ms"] for p in out.values())


def test_backends_table_lines_up_and_shows_failures():
    from policyqa.eval.bench import _backends
    from policyqa.eval.bench_backends import COLUMNS, table

    rows = [{"backend": "torch", "load_s": 1.5, "encode_p50_ms": 17.6, "search_p50_ms": 22.0},
            {"backend": "onnx-int8", "error": "export failed: no space left"}]
    lines = table(rows).splitlines()
    assert lines[0].count("|") == lines[1].count("|") == lines[2].count("|") == len(COLUMNS) + 1
    assert "| torch | – | 1.5 | 17.6 |" in lines[2]
    assert lines[3].startswith("| onnx-int8 | failed: export failed")
    assert _backends(None) == ("torch", "onnx", "onnx-int8", "onnx-q8") and _backends(["none"]) == ()
    assert _backends(["onnx"]) == ("onnx",)
