"""Milvus backend, for corpora that outgrow one machine's FAISS index.

URI forms (config.milvus_uri, env POLICYQA_MILVUS_URI):
  unset                      milvus-lite: an embedded database `milvus.db` in the data dir (beside, not
                             inside, the index dir: milvus-lite's server locks its folder, so it must not
                             move with the index's atomic swap)
  ./path/to/file.db          milvus-lite at that path
  http://host:19530          a Milvus standalone server or cluster (token from POLICYQA_MILVUS_TOKEN,
                             e.g. "user:password")
A server is started outside policyqa, e.g. with the official docker compose file of Milvus
standalone (`docker compose up -d`, port 19530) or the Milvus Helm chart on Kubernetes for a
cluster; then `POLICYQA_VECTOR_BACKEND=milvus POLICYQA_MILVUS_URI=http://host:19530 policyqa build`.
Vectors live in a collection named after the index content, so an index directory and its
collection always belong together; the manifest records both.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

_INSERT_BATCH = 1000


def _client(uri: str):
    from pymilvus import MilvusClient

    return MilvusClient(uri, token=os.environ.get("POLICYQA_MILVUS_TOKEN", ""))


@dataclass
class MilvusIndex:
    dim: int
    uri: str
    collection: str = ""
    client: object | None = None
    _pending: list[np.ndarray] = field(default_factory=list)
    _count: int = 0

    @classmethod
    def create(cls, dim: int, uri: str) -> "MilvusIndex":
        return cls(dim, uri)

    def add(self, vectors: np.ndarray) -> None:
        # Buffered until save(): the collection's location is only known then.
        self._pending.append(np.ascontiguousarray(vectors, dtype=np.float32))
        self._count += len(vectors)

    def save(self, directory: Path) -> list[str]:
        from pymilvus import DataType

        vectors = np.vstack(self._pending) if self._pending else np.zeros((0, self.dim), np.float32)
        self.collection = "policyqa_" + hashlib.sha256(vectors.tobytes()).hexdigest()[:16]
        client = _client(self.uri)
        try:
            if client.has_collection(self.collection):
                client.drop_collection(self.collection)
            schema = client.create_schema(auto_id=False)
            schema.add_field("id", DataType.INT64, is_primary=True)
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=self.dim)
            params = client.prepare_index_params()
            params.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
            client.create_collection(self.collection, schema=schema, index_params=params)
            for start in range(0, len(vectors), _INSERT_BATCH):
                rows = [{"id": start + i, "vector": v.tolist()} for i, v in enumerate(vectors[start:start + _INSERT_BATCH])]
                client.insert(self.collection, rows)
            client.flush(self.collection)
        finally:
            client.close()
        return []  # the rows live in Milvus; load() checks the collection and its row count

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, self._count))
        res = self.client.search(
            self.collection, data=[q.tolist() for q in queries], limit=k,
            search_params={"metric_type": "IP"}, output_fields=["id"],
        )
        scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        ids = np.full((len(queries), k), -1, dtype=np.int64)
        for qi, hits in enumerate(res):
            for j, h in enumerate(hits[:k]):
                scores[qi, j], ids[qi, j] = h["distance"], h["id"]
        return scores, ids

    def count(self) -> int:
        return self._count

    @classmethod
    def load(cls, directory: Path, manifest: dict) -> "MilvusIndex":
        from policyqa.corpus.errors import PolicyQAError

        uri = manifest["milvus_uri"]
        client = _client(uri)
        collection = manifest["collection"]
        if not client.has_collection(collection):
            raise PolicyQAError(f"Milvus at {uri} has no collection {collection}; run `policyqa build --force`")
        client.load_collection(collection)
        n = int(client.get_collection_stats(collection)["row_count"])
        if n != manifest["rows"]:
            raise PolicyQAError(f"Milvus collection {collection} has {n} rows, the index expects "
                                f"{manifest['rows']}; run `policyqa build --force`")
        return cls(manifest["dim"], uri, collection, client, [], n)
