"""Keyword index: bm25s over the shared analyzer's tokens, saved as bm25s's plain files."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from policyqa.index.analyzer import tokenize
from policyqa.index.types import Where


def _bm25s():
    """bm25s, imported without numba: bm25s imports numba when it is installed (ranx brings it) and
    only its numba retrieval backend uses it; we call get_scores, which is numpy. Numba's import
    is the larger part of a one-shot search's imports."""
    import sys

    if "bm25s" in sys.modules or "numba" in sys.modules:
        import bm25s

        return bm25s
    sys.modules["numba"] = None  # type: ignore[assignment]  # makes `import numba` raise ImportError
    try:
        import bm25s
    finally:
        del sys.modules["numba"]
    return bm25s


@dataclass(frozen=True)
class BM25Index:
    retriever: object  # bm25s.BM25
    count: int

    @classmethod
    def build(cls, texts: list[str], extra: list[list[str]] | None = None) -> "BM25Index":
        """`extra[i]`: tokens row i carries beyond its text (a section reference such as §s6)."""
        bm25s = _bm25s()

        # bm25s sets its own logger to DEBUG, which would print on every build.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        retriever = bm25s.BM25()
        # An empty token list would make bm25s drop the document and shift ids; a placeholder keeps rows aligned.
        extra = extra or [[] for _ in texts]
        docs = [tokenize(t) + more or ["§empty"] for t, more in zip(texts, extra)]
        # bm25s numbers the vocabulary in set order, which follows the hash seed; numbering it sorted
        # here makes two builds of the same texts write the same files (the scores do not change).
        vocab = {token: i for i, token in enumerate(sorted({t for doc in docs for t in doc}))}
        retriever.index(([[vocab[t] for t in doc] for doc in docs], vocab), show_progress=False)
        return cls(retriever, len(texts))

    def scores(self, query: str, where: Where | None = None) -> np.ndarray:
        """BM25 score of every row for the query (zeros where nothing matches); the caller applies
        any filter (`where`) to the returned array."""
        return self.token_scores(tokenize(query))

    def token_scores(self, tokens: list[str]) -> np.ndarray:
        """Scores for already-analyzed tokens (e.g. one reference token such as §c11)."""
        if not tokens:
            return np.zeros(self.count, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)

    def save(self, directory: Path) -> None:
        directory.mkdir(exist_ok=True)
        self.retriever.save(str(directory))

    @classmethod
    def load(cls, directory: Path, count: int) -> "BM25Index":
        bm25s = _bm25s()

        # allow_pickle stays False: the saved arrays are plain .npy, nothing executable is loaded.
        return cls(bm25s.BM25.load(str(directory), allow_pickle=False), count)
