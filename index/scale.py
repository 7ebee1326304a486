"""Synthetic scale run: how FAISS index types trade recall for speed and memory at sizes the
bundled corpus never reaches. Vectors have the bundled model's dimension, are normalized and drawn
around random cluster centres (real embeddings are clustered; uniform noise would make every
approximate index look bad). Each index is built once and searched at a few settings of its
speed/recall knob (HNSW efSearch, IVF nprobe)."""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import faiss
import numpy as np

# Cheapest to build first, so a run cut short by its time budget still reports the IVF rows.
DEFAULT_FACTORIES = ("Flat", "IVF{nlist},Flat", "HNSW32", "IVF{nlist},SQ8")
_ADD_BATCH = 100_000
_MIN_TIMING_S = 2.0  # a fast index is searched repeatedly for at least this long, so qps is not one burst
EF_SEARCH = (64, 128)
NPROBE = (8, 16, 32)
TARGET_RECALL = 0.95  # the recall an approximate index must keep to be recommended


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


def nlist_for(n: int) -> int:
    """IVF lists: about 4·√n (FAISS's guideline is 4·√n to 16·√n)."""
    return max(16, int(4 * np.sqrt(n)))


def _settings(index) -> list[tuple[str, callable]]:
    """(label, apply) for each search setting of this index type."""
    if hasattr(index, "hnsw"):
        return [(f"efSearch={ef}", lambda ef=ef: setattr(index.hnsw, "efSearch", ef)) for ef in EF_SEARCH]
    if hasattr(index, "nprobe"):
        return [(f"nprobe={p}", lambda p=p: setattr(index, "nprobe", p)) for p in NPROBE]
    return [("exact", lambda: None)]


def run_scale(sizes: Sequence[int] = (100_000,), dim: int = 384, n_queries: int = 500, k: int = 10,
              factories: Sequence[str] = DEFAULT_FACTORIES, seed: int = 0,
              max_seconds: float | None = None, on_row: Callable[[dict], None] | None = None,
              nlist: int | None = None) -> list[dict]:
    """One row per (size, index type, search setting): recall@k against exact search, queries/s
    (and × Flat's), serialized size, build time. Once `max_seconds` have passed, an index being
    filled stops between batches and the remaining ones are skipped, each with a row that says so.
    `on_row` sees each row as soon as it is measured (progress for a long run); `nlist` overrides
    nlist_for(n) (fewer lists train faster on a busy machine)."""
    faiss.omp_set_num_threads(max(1, faiss.omp_get_max_threads()))
    started = time.perf_counter()

    def out_of_time() -> bool:
        return max_seconds is not None and time.perf_counter() - started > max_seconds

    class Rows(list):
        def append(self, row: dict) -> None:
            super().append(row)
            if on_row:
                on_row(row)

    rows = Rows()
    for n in sizes:
        data = synthetic(n + n_queries, dim, seed)
        base, queries = data[:n], data[n:]
        truth, flat_qps = None, None
        lists = nlist or nlist_for(n)
        for template in factories:
            factory = template.format(nlist=lists)
            if out_of_time():
                rows.append({"vectors": n, "index": factory, "search": "skipped: time budget spent"})
                continue
            t0 = time.perf_counter()
            index = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
            if not index.is_trained:
                index.train(base[: min(n, 50 * lists)])
            for start in range(0, n, _ADD_BATCH):
                if start and out_of_time():
                    break
                index.add(base[start:start + _ADD_BATCH])
            build_s = time.perf_counter() - t0
            if index.ntotal < n:
                rows.append({"vectors": n, "index": factory, "search": f"stopped: time budget spent after "
                             f"{index.ntotal} vectors in {build_s:.0f} s"})
                del index
                continue
            memory_mb = round(faiss.serialize_index(index).nbytes / 2**20, 1)
            for label, apply in _settings(index):
                apply()
                t0 = time.perf_counter()
                _, found = index.search(queries, k)
                searched = 1
                while time.perf_counter() - t0 < _MIN_TIMING_S:
                    index.search(queries, k)
                    searched += 1
                qps = searched * n_queries / (time.perf_counter() - t0)
                if factory == "Flat":
                    truth, flat_qps = found, qps
                rows.append({
                    "vectors": n,
                    "index": factory,
                    "search": label,
                    "recall@10": round(_recall_at_k(found, truth), 4) if truth is not None else None,
                    "qps": round(qps, 1),
                    "x_flat_qps": round(qps / flat_qps, 1) if flat_qps else None,
                    "memory_mb": memory_mb,
                    "build_s": round(build_s, 2),
                })
            del index
    return list(rows)


def recommend(rows: Sequence[dict], target_recall: float = TARGET_RECALL) -> dict | None:
    """The fastest approximate row at the largest size that keeps recall@10 ≥ target_recall."""
    measured = [r for r in rows if r.get("qps") and r.get("index") != "Flat"]
    if not measured:
        return None
    largest = max(r["vectors"] for r in measured)
    good = [r for r in measured if r["vectors"] == largest and (r.get("recall@10") or 0) >= target_recall]
    return max(good, key=lambda r: r["qps"]) if good else None
