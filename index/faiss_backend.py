"""FAISS backend: flat inner product by default, any FAISS factory string for large corpora."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import faiss
import numpy as np

if TYPE_CHECKING:
    from policyqa.index.types import Where

FILE = "vectors.faiss"


@dataclass
class FaissIndex:
    index: faiss.Index
    factory: str

    @classmethod
    def create(cls, dim: int, factory: str = "Flat") -> "FaissIndex":
        try:
            index = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
        except RuntimeError as exc:
            from policyqa.corpus.errors import UsageError

            raise UsageError(f"FAISS cannot build index {factory!r}: {exc}. Try 'Flat', 'HNSW32' or 'IVF256,Flat'") from None
        return cls(index, factory)

    def add(self, vectors: np.ndarray, fields: Mapping[str, Sequence] | None = None) -> None:
        # Filters arrive as row masks (Where.rows), so the per-row fields need not be kept here.
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if not self.index.is_trained:
            # IVF/PQ need training data; with fewer rows than lists FAISS warns but still trains.
            self.index.train(vectors)
        self.index.add(vectors)

    def search(self, queries: np.ndarray, k: int, where: "Where | None" = None) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, self.index.ntotal))
        if hasattr(self.index, "nprobe"):
            self.index.nprobe = max(getattr(self.index, "nprobe", 1), 16)
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if not where or where.rows is None:
            return self.index.search(queries, k)
        # In memory, ranking every row and masking is exact for any index type (and cheap at the
        # sizes FAISS serves here); it is the reference the Milvus filter expressions are tested against.
        scores, ids = self.index.search(queries, self.index.ntotal)
        out_s = np.full((len(queries), k), -np.inf, dtype=np.float32)
        out_i = np.full((len(queries), k), -1, dtype=np.int64)
        for q in range(len(queries)):
            keep = ids[q] >= 0
            keep[keep] = where.rows[ids[q][keep]]
            s, i = scores[q][keep][:k], ids[q][keep][:k]
            out_s[q, :len(s)], out_i[q, :len(i)] = s, i
        return out_s, out_i

    def save(self, directory: Path) -> list[str]:
        faiss.write_index(self.index, str(directory / FILE))
        return [FILE]

    def count(self) -> int:
        return int(self.index.ntotal)

    @classmethod
    def load(cls, directory: Path, manifest: dict) -> "FaissIndex":
        return cls(faiss.read_index(str(directory / FILE)), manifest.get("factory", "Flat"))
