"""The seam between embedding and the stages above it: what any encoder offers (the
sentence-transformers one in embed.encoder, the ONNX Runtime one in embed.onnx_encoder), typed as a Protocol."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np

Kind = Literal["query", "passage"]


class Encoder(Protocol):
    """Unit-normalized float32 vectors for queries and passages, each with its own prompt."""

    @property
    def model_id(self) -> str: ...  # what indexes record next to the fingerprint

    @property
    def fingerprint(self) -> str: ...  # content hash of the model: an index refuses another

    @property
    def dim(self) -> int: ...

    @property
    def max_tokens(self) -> int: ...  # prompt included, special tokens excluded

    @property
    def passage_prompt(self) -> str: ...

    batch_size: int
    backend: str  # how it runs: corpus.config.EncoderBackend for the built-in encoders

    def count_tokens(self, text: str, kind: Kind = "passage") -> int: ...

    def check_passage(self, text: str, index: int | None = None) -> str: ...

    def check_passages(self, texts: Sequence[str]) -> list[str]: ...

    def encode_query(self, text: str) -> tuple[np.ndarray, tuple[str, ...]]:
        """(vector, warnings): a warning says the query was cut to the model's limit."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def query_warnings(self, text: str) -> tuple[str, ...]:
        """What encode_query would warn about this query (that it is cut to the model's limit)."""
        ...

    def encode_passages(self, texts: Sequence[str], progress: bool = False, checked: bool = False) -> np.ndarray:
        """`checked`: the texts came from check_passages (sanitized, within the limit)."""
        ...
