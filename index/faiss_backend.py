"""FAISS backend: flat inner product by default, any FAISS factory string for large corpora."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

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

    def add(self, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if not self.index.is_trained:
            # IVF/PQ need training data; with fewer rows than lists FAISS warns but still trains.
            self.index.train(vectors)
        self.index.add(vectors)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, self.index.ntotal))
        if hasattr(self.index, "nprobe"):
            self.index.nprobe = max(getattr(self.index, "nprobe", 1), 16)
        return self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)

    def save(self, directory: Path) -> list[str]:
        faiss.write_index(self.index, str(directory / FILE))
        return [FILE]

    def count(self) -> int:
        return int(self.index.ntotal)

    @classmethod
    def load(cls, directory: Path, manifest: dict) -> "FaissIndex":
        return cls(faiss.read_index(str(directory / FILE)), manifest.get("factory", "Flat"))
