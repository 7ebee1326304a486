"""The vector index interface and the factory that picks a backend from the configuration."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from policyqa.corpus.config import Config
from policyqa.index.types import Where


class VectorIndex(Protocol):
    """Inner-product search over normalized float32 vectors; row i is chunk i."""

    def add(self, vectors: np.ndarray, fields: Mapping[str, Sequence] | None = None) -> None:
        """`fields`: per-row scalars (doc_id, lang, clause_id, chunk) a backend may store to filter on."""
        ...

    def search(self, queries: np.ndarray, k: int, where: Where | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each (n_queries, k): the best k rows that pass `where`; missing results have id -1."""
        ...

    def save(self, directory: Path) -> list[str]:
        """Write the index into `directory`; return the names of the files written."""
        ...

    def count(self) -> int: ...


def row_fields(chunks: Sequence, row_chunk: np.ndarray) -> dict[str, list]:
    """The scalar fields of every vector row, taken from the chunk the row belongs to."""
    owners = [chunks[int(i)] for i in row_chunk]
    return {"chunk": [int(i) for i in row_chunk], "doc_id": [c.doc_id for c in owners],
            "lang": [c.lang for c in owners], "clause_id": [c.clause_id for c in owners]}


def milvus_uri(config: Config) -> str:
    """The configured Milvus server, else milvus-lite's file beside (not inside) the index dir."""
    return config.milvus_uri or str((config.data_dir / "milvus.db").resolve())


def create(config: Config, dim: int) -> VectorIndex:
    if config.vector_backend == "milvus":
        from policyqa.index.milvus_backend import MilvusIndex

        return MilvusIndex.create(dim, milvus_uri(config))
    from policyqa.index.faiss_backend import FaissIndex

    return FaissIndex.create(dim, config.faiss_factory)


def load(backend: str, directory: Path, manifest: dict) -> VectorIndex:
    if backend == "milvus":
        from policyqa.index.milvus_backend import MilvusIndex

        return MilvusIndex.load(directory, manifest)
    from policyqa.index.faiss_backend import FaissIndex

    return FaissIndex.load(directory, manifest)
