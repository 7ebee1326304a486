"""The text handling every encoder backend shares (the seam itself, the `Encoder` Protocol, is in
embed.types).

`TextEncoder` holds what does not depend on the runtime: sanitizing, the model's
prompts, token counting with the folder's own tokenizer, the limit check for passages, the cut for
overlong queries, and the blocked loop with a progress bar. A backend only says how one block of
prompted texts becomes normalized vectors (`_embed_block`).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.embed.types import Kind

log = logging.getLogger(__name__)

_BLOCK = 256  # texts per backend call while a progress bar shows, so that it moves


def sanitize(text: str) -> str:
    """Valid UTF-8 whatever came in: surrogate pairs are joined, lone halves become U+FFFD."""
    if not isinstance(text, str):
        raise UsageError(f"expected text, got {type(text).__name__}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    # NUL would end the string in C tokenizers and has no entry in the model's normalization table.
    return text.replace("\x00", "")


@dataclass(frozen=True)
class PreparedQuery:
    text: str  # sanitized, and cut to the model's limit when it was longer
    tokens: int  # model tokens including the prompt, excluding the special tokens
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ModelSpec:
    model_id: str  # what indexes record next to the fingerprint
    path: Path
    fingerprint: str
    query_prompt: str
    passage_prompt: str


class TextEncoder:
    """Everything but the forward pass. Subclasses set `_backend` (a `tokenizers.Tokenizer` without
    truncation or padding, or None), `_dim`, `_max_tokens`, and implement `_embed_block`."""

    backend = "?"
    _backend: Any = None
    _dim: int
    _max_tokens: int

    def __init__(self, spec: ModelSpec, batch_size: int = 16) -> None:
        self.spec = spec
        self.batch_size = max(1, int(batch_size))

    # ---------------------------------------------------------------- properties
    @property
    def model_id(self) -> str:
        return self.spec.model_id

    @property
    def fingerprint(self) -> str:
        return self.spec.fingerprint

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def max_tokens(self) -> int:
        """Most model tokens a text may have, prompt included, special tokens excluded (510 for e5)."""
        return self._max_tokens

    @property
    def query_prompt(self) -> str:
        return self.spec.query_prompt

    @property
    def passage_prompt(self) -> str:
        return self.spec.passage_prompt

    def prompt(self, kind: Kind) -> str:
        return self.spec.query_prompt if kind == "query" else self.spec.passage_prompt

    # ---------------------------------------------------------------- tokens
    def _ids(self, text: str) -> list[int]:
        return self._backend.encode(text, add_special_tokens=False).ids

    def count_tokens(self, text: str, kind: Kind = "passage") -> int:
        """Model tokens of prompt + text, without <s> </s>: what must stay <= max_tokens."""
        return len(self._ids(self.prompt(kind) + sanitize(text)))

    def _check_nonempty(self, text: str, what: str) -> None:
        norm = self._backend.normalizer if self._backend is not None else None
        visible = norm.normalize_str(text) if norm is not None else text
        if not visible.strip():
            raise UsageError(f"{what} is empty (only whitespace or control characters); give it some text")

    # ---------------------------------------------------------------- queries
    def prepare_query(self, text: str) -> PreparedQuery:
        text = sanitize(text)
        self._check_nonempty(text, "the query")
        prompt = self.query_prompt
        n = self.count_tokens(text, "query")
        if n <= self.max_tokens:
            return PreparedQuery(text, n)
        cut = self._cut(prompt, text, self.max_tokens)
        kept = self.count_tokens(cut, "query")
        warning = (
            f"the query is {n} model tokens long; only the first {kept} (limit {self.max_tokens}) were used "
            f"(it was cut after {len(cut)} of {len(text)} characters)"
        )
        return PreparedQuery(cut, kept, (warning,))

    def _cut(self, prompt: str, text: str, limit: int) -> str:
        """The longest prefix of `text` whose prompt + prefix fits in `limit` tokens."""
        full = prompt + text
        if self._backend is not None:
            enc = self._backend.encode(full, add_special_tokens=False)
            end = enc.offsets[limit][0] if len(enc.offsets) > limit else len(full)
            cut = text[: max(0, end - len(prompt))]
        else:
            cut = text
        # A retokenized cut can merge differently at its end; shrink until it fits.
        while cut and len(self._ids(prompt + cut)) > limit:
            cut = cut[: max(0, len(cut) - max(1, len(cut) // 50))]
        return cut.rstrip()

    def encode_query(self, text: str) -> tuple[np.ndarray, tuple[str, ...]]:
        """One query -> (vector of shape (dim,), warnings to show the user)."""
        q = self.prepare_query(text)
        return self._encode([q.text], "query", progress=False)[0], q.warnings

    def query_warnings(self, text: str) -> tuple[str, ...]:
        return self.prepare_query(text).warnings

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Queries -> (n, dim); overlong ones are cut (warnings go to the log; use encode_query to get them)."""
        prepared = [self.prepare_query(t) for t in _as_list(texts)]
        for q in prepared:
            for w in q.warnings:
                log.warning(w)
        return self._encode([q.text for q in prepared], "query", progress=False)

    # ---------------------------------------------------------------- passages
    def check_passage(self, text: str, index: int | None = None) -> str:
        text = sanitize(text)
        where = "passage" if index is None else f"passage {index}"
        self._check_nonempty(text, where)
        self._check_length(text, where, self.count_tokens(text, "passage"))
        return text

    def check_passages(self, texts: Sequence[str]) -> list[str]:
        """`check_passage` for many, with one batched tokenization for the limit check (the Rust
        tokenizer's threads), not one call per passage: a build checks every chunk and sentence row."""
        clean = [sanitize(t) for t in _as_list(texts)]
        for i, text in enumerate(clean):
            self._check_nonempty(text, f"passage {i}")
        prompt = self.prompt("passage")
        counts = self._passage_token_counts([prompt + t for t in clean])
        for i, (text, n) in enumerate(zip(clean, counts)):
            self._check_length(text, f"passage {i}", n)
        return clean

    def _passage_token_counts(self, prompted: list[str]) -> list[int]:
        """Tokens of each prompted passage, special tokens excluded."""
        if self._backend is not None:
            return [len(e.ids) for e in self._backend.encode_batch(prompted, add_special_tokens=False)]
        return [len(self._ids(t)) for t in prompted]

    def _check_length(self, text: str, where: str, n: int) -> None:
        if n > self.max_tokens:
            raise PolicyQAError(
                f"{where} has {n} model tokens (prompt included), over the model limit of {self.max_tokens}; "
                f"passages must be split by chunking before embedding (starts: {text[:60]!r})"
            )

    def encode_passages(self, texts: Sequence[str], progress: bool = False, checked: bool = False) -> np.ndarray:
        """Passages -> (n, dim). `checked`: the texts are `check_passages`'s output already (the
        embedding cache checks every text, cached or not, before it embeds the missing ones)."""
        clean = _as_list(texts) if checked else self.check_passages(texts)
        return self._encode(clean, "passage", progress=progress)

    # ---------------------------------------------------------------- core
    def _embed_block(self, texts: list[str], kind: Kind) -> np.ndarray:
        """Sanitized, limit-checked texts (without prompt) -> normalized float32 rows."""
        raise NotImplementedError

    def _encode(self, texts: list[str], kind: Kind, progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        bar = None
        if progress and len(texts) > self.batch_size:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), unit="passage", desc="embedding")
        parts = []
        try:
            # Without a bar to move, one call: length sorting and batching see every text, and
            # side-by-side batches wait for each other once, not once per block.
            step = _BLOCK if bar is not None else len(texts)
            for start in range(0, len(texts), step):
                block = texts[start: start + step]
                parts.append(np.asarray(self._embed_block(block, kind), dtype=np.float32))
                if bar is not None:
                    bar.update(len(block))
        finally:
            if bar is not None:
                bar.close()
        return np.ascontiguousarray(np.vstack(parts), dtype=np.float32)


def _as_list(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise UsageError("expected a list of texts, got a single string")
    return list(texts)


def prompts_from(config_prompts: dict | None, model_id: str, query_override: str | None,
                 passage_override: str | None) -> tuple[str, str]:
    """(query prompt, passage prompt): the model's own, e5's convention when it names none, then
    the configuration's overrides."""
    prompts = dict(config_prompts or {})
    e5_like = "e5" in Path(model_id).name.lower()
    query = prompts.get("query", "query: " if e5_like else "")
    passage = prompts.get("passage", prompts.get("document", "passage: " if e5_like else ""))
    if query_override is not None:
        query = query_override
    if passage_override is not None:
        passage = passage_override
    return query, passage
