"""Encoder benchmark: passage throughput, warm single-query latency, peak memory. Not a test."""
from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from policyqa.embed.types import Encoder
from policyqa.eval.timing import peak_rss_mb, percentiles, time_calls


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
    lat = percentiles(time_calls(encoder.encode_query, queries, warmup=0))
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
        "query_ms_p50": lat["p50_ms"],
        "query_ms_p95": lat["p95_ms"],
        "query_ms_max": lat["max_ms"],
        "peak_rss_mb": peak_rss_mb(),
    }

