"""Latency and memory figures, defined once for the benchmarks, the eval report and the load driver."""
from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable, Sequence

import numpy as np


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024, 1)


def percentiles(samples_ms: Sequence[float], digits: int = 2) -> dict:
    """n, p50/p95/p99, mean and max of latencies in ms; {"n": 0} for no samples."""
    a = np.asarray(samples_ms, dtype=float)
    if not len(a):
        return {"n": 0}
    out: dict = {"n": int(len(a))}
    for q in (50, 95, 99):
        out[f"p{q}_ms"] = round(float(np.percentile(a, q)), digits)
    out["mean_ms"] = round(float(a.mean()), digits)
    out["max_ms"] = round(float(a.max()), digits)
    return out


def time_calls(fn: Callable[[str], object], queries: Sequence[str], repeats: int = 1, warmup: int = 1) -> list[float]:
    """Warm latency: every query once per warm-up pass (not recorded), then `repeats` recorded passes."""
    for _ in range(warmup):
        for q in queries:
            fn(q)
    out = []
    for _ in range(repeats):
        for q in queries:
            t0 = time.perf_counter()
            fn(q)
            out.append((time.perf_counter() - t0) * 1000)
    return out
