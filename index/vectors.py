"""The vector index interface and the factory that picks a backend from the configuration."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from policyqa.corpus.config import Config


class VectorIndex(Protocol):
    """Inner-product search over normalized float32 vectors; row i is chunk i."""

    def add(self, vectors: np.ndarray) -> None: ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each (n_queries, k); missing results have id -1."""
        ...

    def save(self, directory: Path) -> list[str]:
        """Write the index into `directory`; return the names of the files written."""
        ...

    def count(self) -> int: ...


def create(config: Config, dim: int) -> VectorIndex:
    if config.vector_backend == "milvus":
        from policyqa.index.milvus_backend import MilvusIndex

        return MilvusIndex.create(dim, config.milvus_uri or str((config.data_dir / "milvus.db").resolve()))
    from policyqa.index.faiss_backend import FaissIndex

    return FaissIndex.create(dim, config.faiss_factory)


def load(backend: str, directory: Path, manifest: dict) -> VectorIndex:
    if backend == "milvus":
        from policyqa.index.milvus_backend import MilvusIndex

        return MilvusIndex.load(directory, manifest)
    from policyqa.index.faiss_backend import FaissIndex

    return FaissIndex.load(directory, manifest)
