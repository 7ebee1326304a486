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

Each row stores the scalars a search filters on (doc_id, lang, clause_id, chunk), so a document or
language filter is a Milvus filter expression evaluated where the data lives: a filtered search
fetches the same top k as an unfiltered one, never the whole collection.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from policyqa.index.types import Where

# Milvus refuses a search whose limit (top k) exceeds this (its proxy's maxTopK).
MAX_TOPK = 16384
_INSERT_BATCH = 1000
_VARCHAR_MAX = 512  # doc_id, clause_id and lang values; longer ids are refused at build time
SCALARS = ("doc_id", "lang", "clause_id")


def client(uri: str):
    from pymilvus import MilvusClient

    return MilvusClient(uri, token=os.environ.get("POLICYQA_MILVUS_TOKEN", ""))


def is_lite(uri: str) -> bool:
    """pymilvus's own rule: a URI ending in .db is a milvus-lite file."""
    return uri.endswith(".db")


def create_collection(cli, uri: str, name: str, schema, index_params) -> None:
    """Create `name` afresh with its indexes, and load it.

    The indexes are created after the collection rather than with it: pymilvus then waits for
    them by polling with AllocTimestamp, a call milvus-lite does not implement (its gRPC server logs
    the NotImplementedError with a traceback although the build succeeds). milvus-lite builds an
    index synchronously inside CreateIndex, so there is nothing to wait for; a server is waited on.
    """
    if cli.has_collection(name):
        cli.drop_collection(name)
    cli.create_collection(name, schema=schema)
    cli.create_index(name, index_params, sync=not is_lite(uri))
    cli.load_collection(name)


def insert(cli, name: str, rows: Sequence[dict]) -> None:
    for start in range(0, len(rows), _INSERT_BATCH):
        cli.insert(name, list(rows[start:start + _INSERT_BATCH]))
    cli.flush(name)


def literal(value: str) -> str:
    """A Milvus string literal (double-quoted, backslash escapes) for a value in a filter expression."""
    return json.dumps(value, ensure_ascii=False)


def filter_expr(where: "Where | None") -> str:
    """Where → Milvus boolean expression on the stored scalar fields ("" = no filter)."""
    if not where:
        return ""
    parts = []
    if where.doc is not None:
        parts.append(f"doc_id == {literal(where.doc)}")
    if where.lang is not None:
        parts.append(f"lang == {literal(where.lang)}")
    return " and ".join(parts)


def check_scalars(fields: Mapping[str, Sequence]) -> None:
    from policyqa.corpus.errors import UsageError

    for name in SCALARS:
        too_long = [v for v in fields.get(name, ()) if len(str(v).encode("utf-8")) > _VARCHAR_MAX]
        if too_long:
            raise UsageError(f"{name} {too_long[0][:40]!r}… is longer than Milvus's field limit here "
                             f"({_VARCHAR_MAX} bytes); shorten the document ids in the corpus manifest")


def add_scalar_fields(schema) -> None:
    from pymilvus import DataType

    for name in SCALARS:
        schema.add_field(name, DataType.VARCHAR, max_length=_VARCHAR_MAX)
    schema.add_field("chunk", DataType.INT64)


@dataclass
class MilvusIndex:
    dim: int
    uri: str
    collection: str = ""
    client: object | None = None
    _pending: list[np.ndarray] = field(default_factory=list)
    _fields: dict[str, list] = field(default_factory=dict)
    _count: int = 0

    @classmethod
    def create(cls, dim: int, uri: str) -> "MilvusIndex":
        return cls(dim, uri)

    def add(self, vectors: np.ndarray, fields: Mapping[str, Sequence] | None = None) -> None:
        # Buffered until save(): the collection's location is only known then.
        n = len(vectors)
        fields = dict(fields or {})
        fields.setdefault("chunk", list(range(self._count, self._count + n)))
        for name in SCALARS:
            fields.setdefault(name, [""] * n)
        check_scalars(fields)
        self._pending.append(np.ascontiguousarray(vectors, dtype=np.float32))
        for name in (*SCALARS, "chunk"):
            self._fields.setdefault(name, []).extend(fields[name])
        self._count += n

    def save(self, directory: Path) -> list[str]:
        from pymilvus import DataType

        vectors = np.vstack(self._pending) if self._pending else np.zeros((0, self.dim), np.float32)
        digest = hashlib.sha256(vectors.tobytes())
        digest.update(json.dumps(self._fields, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        self.collection = "policyqa_" + digest.hexdigest()[:16]
        cli = client(self.uri)
        try:
            schema = cli.create_schema(auto_id=False)
            schema.add_field("id", DataType.INT64, is_primary=True)
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=self.dim)
            add_scalar_fields(schema)
            params = cli.prepare_index_params()
            params.add_index(field_name="vector", index_type="FLAT", metric_type="IP")
            create_collection(cli, self.uri, self.collection, schema, params)
            insert(cli, self.collection, [
                {"id": i, "vector": v.tolist(), **{k: vals[i] for k, vals in self._fields.items()}}
                for i, v in enumerate(vectors)
            ])
        finally:
            cli.close()
        return []  # the rows live in Milvus; load() checks the collection and its row count

    def search(self, queries: np.ndarray, k: int, where: "Where | None" = None) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, self._count, MAX_TOPK))
        res = self.client.search(
            self.collection, data=[q.tolist() for q in queries], limit=k, filter=filter_expr(where),
            anns_field="vector", search_params={"metric_type": "IP"}, output_fields=["id"],
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
        uri, collection = manifest["milvus_uri"], manifest["collection"]
        cli = open_collection(uri, collection, manifest["rows"])
        return cls(manifest["dim"], uri, collection, cli, [], {}, manifest["rows"])


def open_collection(uri: str, collection: str, rows: int):
    """A client with `collection` loaded, after checking it holds the rows the index expects."""
    from policyqa.corpus.errors import PolicyQAError

    cli = client(uri)
    if not cli.has_collection(collection):
        raise PolicyQAError(f"Milvus at {uri} has no collection {collection}; run `policyqa build --force`")
    cli.load_collection(collection)
    n = int(cli.get_collection_stats(collection)["row_count"])
    if n != rows:
        raise PolicyQAError(f"Milvus collection {collection} has {n} rows, the index expects "
                            f"{rows}; run `policyqa build --force`")
    return cli
