"""Keyword search inside Milvus: BM25 as a collection function, so both halves of the hybrid live
in the engine that scales past one machine (bm25s keeps its index in one process's memory).

Each chunk is a row whose VARCHAR field holds analyzer.analyzed_text(): folded to simplified,
English stemmed and stop-worded, references spelled as words. Milvus segments it with its jieba
tokenizer in search mode and drops the same Chinese stop words, so it sees the tokens bm25s sees
(tests/index/test_milvus.py checks that over the corpus); the BM25 function turns the field into a
sparse vector and searches it with bm25s's k1 and b. The fusion stays the project's own.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from policyqa.index import milvus_backend as mb

if TYPE_CHECKING:
    from policyqa.index.types import Where

_TEXT_MAX = 65535  # Milvus's VARCHAR limit, in bytes
BM25_PARAMS = {"bm25_k1": 1.5, "bm25_b": 0.75}  # bm25s's defaults, so both keyword paths rank alike


def analyzer_params() -> dict:
    from policyqa.index.analyzer import ZH_STOP_WORDS

    # "jieba" is Milvus's Chinese tokenizer on servers and in milvus-lite ("chinese" is refused there).
    from policyqa.index.terms import headwords

    # ...with the policy terms the project's jieba keeps whole (index.terms), after Milvus's default dictionary
    return {"tokenizer": {"type": "jieba", "mode": "search", "dict": ["_default_", *sorted(headwords())]},
            "filter": [{"type": "stop", "stop_words": sorted(ZH_STOP_WORDS)}]}


def _quiet_jieba() -> None:
    # milvus-lite runs the global jieba in this process; its first use prints "Building prefix dict…".
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)


@dataclass
class MilvusKeywordIndex:
    uri: str
    collection: str
    count: int
    client: object | None = None

    @classmethod
    def build(cls, texts: Sequence[str], fields: Mapping[str, Sequence], uri: str,
              extra: Sequence[list[str]] | None = None) -> "MilvusKeywordIndex":
        """`extra[i]`: tokens row i carries beyond its text (section references), as for bm25s."""
        from pymilvus import DataType, Function, FunctionType

        from policyqa.corpus.errors import PolicyQAError
        from policyqa.index.analyzer import analyzed_text, engine_token

        extra = extra or [[] for _ in texts]
        analyzed = [" ".join([analyzed_text(t), *(engine_token(x) for x in more)]).strip()
                    for t, more in zip(texts, extra)]
        too_long = [i for i, t in enumerate(analyzed) if len(t.encode("utf-8")) > _TEXT_MAX]
        if too_long:
            raise PolicyQAError(f"chunk {too_long[0]} is longer than Milvus's text field ({_TEXT_MAX} bytes)")
        fields = {k: list(v) for k, v in fields.items()}
        mb.check_scalars(fields)
        digest = hashlib.sha256(json.dumps([analyzed, fields, analyzer_params(), BM25_PARAMS],
                                           ensure_ascii=False, sort_keys=True).encode("utf-8"))
        index = cls(uri, "policyqa_kw_" + digest.hexdigest()[:16], len(texts))
        if mb.is_lite(uri):
            _quiet_jieba()
        cli = mb.client(uri)
        try:
            schema = cli.create_schema(auto_id=False)
            schema.add_field("id", DataType.INT64, is_primary=True)
            schema.add_field("text", DataType.VARCHAR, max_length=_TEXT_MAX, enable_analyzer=True,
                             analyzer_params=analyzer_params())
            schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
            mb.add_scalar_fields(schema)
            schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                         input_field_names=["text"], output_field_names=["sparse"]))
            params = cli.prepare_index_params()
            params.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                             params=BM25_PARAMS)
            mb.create_collection(cli, uri, index.collection, schema, params)
            mb.insert(cli, index.collection, [
                {"id": i, "text": t, **{k: v[i] for k, v in fields.items()}} for i, t in enumerate(analyzed)
            ])
        finally:
            cli.close()
        return index

    @classmethod
    def load(cls, manifest: dict, count: int) -> "MilvusKeywordIndex":
        uri, collection = manifest["milvus_uri_keywords"], manifest["keyword_collection"]
        if mb.is_lite(uri):
            _quiet_jieba()
        return cls(uri, collection, count, mb.open_collection(uri, collection, count))

    def save(self, directory: Path) -> None:
        """Nothing to write: the rows live in Milvus; the manifest names the collection."""

    def scores(self, query: str, where: "Where | None" = None) -> np.ndarray:
        """BM25 score of every chunk Milvus returns for the query (its top MAX_TOPK; zeros elsewhere)."""
        from policyqa.index.analyzer import analyzed_text

        return self._search(analyzed_text(query), where)

    def token_scores(self, tokens: list[str]) -> np.ndarray:
        from policyqa.index.analyzer import engine_token

        return self._search(" ".join(engine_token(t) for t in tokens), None)

    def _search(self, text: str, where: "Where | None") -> np.ndarray:
        out = np.zeros(self.count, dtype=np.float32)
        if not text.strip() or not self.count:
            return out
        res = self.client.search(self.collection, data=[text], anns_field="sparse",
                                 limit=min(self.count, mb.MAX_TOPK), filter=mb.filter_expr(where),
                                 search_params={"metric_type": "BM25"}, output_fields=["id"])
        for hit in res[0]:
            # milvus-lite reports BM25 as a distance (the negated score), a server as the score;
            # a BM25 score is never negative, so its magnitude is the score either way.
            out[int(hit["id"])] = abs(float(hit["distance"]))
        return out
