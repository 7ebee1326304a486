"""Synthetic scale run: how FAISS index types trade recall for speed and memory at sizes the
bundled corpus never reaches. Vectors are 384-d, normalized, drawn around random cluster centres
(real embeddings are clustered; uniform noise would make every approximate index look bad)."""
from __future__ import annotations

import time
from collections.abc import Sequence

import faiss
import numpy as np

DEFAULT_FACTORIES = ("Flat", "HNSW32", "IVF{nlist},Flat", "IVF{nlist},SQ8")


def synthetic(n: int, dim: int, seed: int, clusters: int = 512) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dim), dtype=np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    step = 100_000
    for start in range(0, n, step):
        m = min(step, n - start)
        out[start:start + m] = centres[rng.integers(0, clusters, m)] + 1.5 * rng.standard_normal((m, dim), dtype=np.float32)
    faiss.normalize_L2(out)
    return out


def _recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    k = truth.shape[1]
    return float(np.mean([len(set(f) & set(t)) / k for f, t in zip(found, truth)]))


def run_scale(sizes: Sequence[int] = (100_000,), dim: int = 384, n_queries: int = 500, k: int = 10,
              factories: Sequence[str] = DEFAULT_FACTORIES, seed: int = 0) -> list[dict]:
    """One row per (size, index type): recall@k against exact search, queries/s, size, build time."""
    faiss.omp_set_num_threads(max(1, faiss.omp_get_max_threads()))
    rows = []
    for n in sizes:
        data = synthetic(n + n_queries, dim, seed)
        base, queries = data[:n], data[n:]
        truth = None
        nlist = max(16, int(4 * np.sqrt(n)))
        for template in factories:
            factory = template.format(nlist=nlist)
            t0 = time.perf_counter()
            index = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
            if not index.is_trained:
                index.train(base[: min(n, 50 * nlist)])
            index.add(base)
            build_s = time.perf_counter() - t0
            if hasattr(index, "nprobe"):
                index.nprobe = 16
            if hasattr(index, "hnsw"):
                index.hnsw.efSearch = 64
            t0 = time.perf_counter()
            _, found = index.search(queries, k)
            search_s = time.perf_counter() - t0
            if factory == "Flat":
                truth = found
            rows.append({
                "vectors": n,
                "index": factory,
                "recall@10": round(_recall_at_k(found, truth), 4) if truth is not None else None,
                "qps": round(n_queries / search_s, 1),
                "memory_mb": round(faiss.serialize_index(index).nbytes / 2**20, 1),
                "build_s": round(build_s, 2),
            })
            del index
    return rows
