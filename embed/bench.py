"""Encoder benchmark: passage throughput, warm single-query latency, peak memory. Not a test."""
from __future__ import annotations

import resource
import sys
import time
from collections.abc import Sequence

import numpy as np

from policyqa.embed.encoder import Encoder


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(encoder: Encoder, passages: Sequence[str], queries: Sequence[str], warmup: int = 3) -> dict:
    """Embed every passage once (batched) and every query alone; report rates and percentiles."""
    passages, queries = list(passages), list(queries)
    if not passages or not queries:
        raise ValueError("measure needs at least one passage and one query")
    tokens = [encoder.count_tokens(p) for p in passages]
    encoder.encode_passages(passages[: min(len(passages), encoder.batch_size)])  # warm: threads, allocator
    start = time.perf_counter()
    encoder.encode_passages(passages)
    passage_seconds = time.perf_counter() - start

    for q in queries[:warmup]:
        encoder.encode_query(q)
    latencies = []
    for q in queries:
        t0 = time.perf_counter()
        encoder.encode_query(q)
        latencies.append((time.perf_counter() - t0) * 1000)
    lat = np.asarray(latencies)
    return {
        "model_id": encoder.model_id,
        "fingerprint": encoder.fingerprint,
        "batch_size": encoder.batch_size,
        "passages": len(passages),
        "passage_tokens_mean": round(float(np.mean(tokens)), 1),
        "passage_tokens_max": int(max(tokens)),
        "passages_per_s": round(len(passages) / passage_seconds, 2),
        "tokens_per_s": round(sum(tokens) / passage_seconds, 1),
        "passage_seconds": round(passage_seconds, 2),
        "queries": len(queries),
        "query_ms_p50": round(float(np.percentile(lat, 50)), 2),
        "query_ms_p95": round(float(np.percentile(lat, 95)), 2),
        "query_ms_max": round(float(lat.max()), 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
