"""The keyword index interface and the factory that picks a backend from the configuration:
bm25s in this process (the default) or BM25 inside Milvus (index.milvus_keyword)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from policyqa.corpus.config import Config
from policyqa.index.types import KeywordIndex


def build(config: Config, texts: Sequence[str], fields: Mapping[str, Sequence],
          extra: Sequence[list[str]] | None = None) -> KeywordIndex:
    """`extra[i]`: tokens row i carries beyond its text (section references such as §s6)."""
    if config.keyword_backend == "milvus":
        from policyqa.index.milvus_keyword import MilvusKeywordIndex
        from policyqa.index.vectors import milvus_uri

        return MilvusKeywordIndex.build(texts, fields, milvus_uri(config), extra)
    from policyqa.index.bm25 import BM25Index

    return BM25Index.build(list(texts), list(extra) if extra is not None else None)


def manifest_entries(config: Config, index: KeywordIndex) -> dict:
    return {"keyword_backend": config.keyword_backend,
            "keyword_collection": getattr(index, "collection", ""),
            "milvus_uri_keywords": getattr(index, "uri", None)}


def load(manifest: dict, directory: Path, count: int) -> KeywordIndex:
    if manifest.get("keyword_backend", "bm25s") == "milvus":
        from policyqa.index.milvus_keyword import MilvusKeywordIndex

        return MilvusKeywordIndex.load(manifest, count)
    from policyqa.index.bm25 import BM25Index

    return BM25Index.load(directory, count)
