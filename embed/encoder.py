"""The Encoder: texts to normalized float32 vectors through sentence-transformers, CPU only.

Queries and passages get their own prompt ("query: " / "passage: " for e5). Passages over the
model's limit are refused (splitting them is chunking's job); queries over it are cut at a token
boundary and the caller gets a warning to show. Texts are sanitized first: lone surrogates become
U+FFFD and NUL is dropped, so no input string can crash the tokenizer.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from policyqa.corpus.config import BUNDLED_MODEL, Config
from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.embed.types import Encoder, Kind

log = logging.getLogger(__name__)

_BLOCK = 256  # texts per sentence-transformers call: keeps its length sorting, lets tqdm move


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


class SentenceTransformerEncoder:
    """A loaded sentence-transformers model with separate query and passage encoding."""

    def __init__(self, model: Any, spec: ModelSpec, batch_size: int = 16) -> None:
        self._model = model
        self.spec = spec
        self.batch_size = max(1, int(batch_size))
        tok = model.tokenizer
        backend = getattr(tok, "backend_tokenizer", None)
        # Our own copy: the loaded one may carry truncation/padding settings that would hide length.
        self._backend = None
        if backend is not None:
            from tokenizers import Tokenizer

            self._backend = Tokenizer.from_str(backend.to_str())
            self._backend.no_truncation()
            self._backend.no_padding()
        get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self._dim = int(get_dim() or model.encode(["dim"], convert_to_numpy=True).shape[1])
        self._n_special = len(tok("", add_special_tokens=True)["input_ids"]) - len(
            tok("", add_special_tokens=False)["input_ids"]
        )
        self._max_tokens = int(model.max_seq_length) - self._n_special

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
        if self._backend is not None:
            return self._backend.encode(text, add_special_tokens=False).ids
        return list(self._model.tokenizer(text, add_special_tokens=False, truncation=False)["input_ids"])

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
        return self._encode([q.text], self.query_prompt, progress=False)[0], q.warnings

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Queries -> (n, dim); overlong ones are cut (warnings go to the log; use encode_query to get them)."""
        prepared = [self.prepare_query(t) for t in _as_list(texts)]
        for q in prepared:
            for w in q.warnings:
                log.warning(w)
        return self._encode([q.text for q in prepared], self.query_prompt, progress=False)

    # ---------------------------------------------------------------- passages
    def check_passage(self, text: str, index: int | None = None) -> str:
        text = sanitize(text)
        where = "passage" if index is None else f"passage {index}"
        self._check_nonempty(text, where)
        n = self.count_tokens(text, "passage")
        if n > self.max_tokens:
            raise PolicyQAError(
                f"{where} has {n} model tokens (prompt included), over the model limit of {self.max_tokens}; "
                f"passages must be split by chunking before embedding (starts: {text[:60]!r})"
            )
        return text

    def encode_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        clean = [self.check_passage(t, i) for i, t in enumerate(_as_list(texts))]
        return self._encode(clean, self.passage_prompt, progress=progress)

    # ---------------------------------------------------------------- core
    def _encode(self, texts: list[str], prompt: str, progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        bar = None
        if progress and len(texts) > self.batch_size:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), unit="passage", desc="embedding")
        parts = []
        try:
            for start in range(0, len(texts), _BLOCK):
                block = texts[start: start + _BLOCK]
                vecs = self._model.encode(
                    block, prompt=prompt or None, batch_size=self.batch_size, show_progress_bar=False,
                    convert_to_numpy=True, normalize_embeddings=True,
                )
                parts.append(np.asarray(vecs, dtype=np.float32))
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


# -------------------------------------------------------------------- loading
def resolve(config: Config) -> tuple[Path, str, dict | None]:
    """(model folder, model id, bundled manifest or None); never touches the network."""
    if config.model == BUNDLED_MODEL:
        from policyqa.embed.bundled import materialize, read_manifest

        folder = materialize(config.model_cache_dir)
        return folder, BUNDLED_MODEL, read_manifest(folder)
    local = Path(config.model).expanduser()
    if local.is_dir():
        return local.resolve(), str(local.resolve()), None
    if local.exists() or config.model.startswith((".", "/", "~")):
        raise UsageError(f"model folder not found: {config.model} (set --model to a folder or a model name)")
    try:
        from huggingface_hub import snapshot_download

        path = snapshot_download(config.model, local_files_only=True)
    except Exception as exc:  # the hub library raises several kinds for "not cached"
        raise PolicyQAError(
            f"model {config.model!r} is not in the local Hugging Face cache and no model hub is reachable "
            f"({type(exc).__name__}); download it on a connected machine (`hf download {config.model}`), "
            "point --model / POLICYQA_MODEL at a local folder, or use the bundled model"
        ) from None
    return Path(path), config.model, None


def _prompts(config: Config, model: Any, model_id: str) -> tuple[str, str]:
    prompts = dict(getattr(model, "prompts", None) or {})
    e5_like = "e5" in Path(model_id).name.lower()
    query = prompts.get("query", "query: " if e5_like else "")
    passage = prompts.get("passage", prompts.get("document", "passage: " if e5_like else ""))
    if config.query_prompt is not None:
        query = config.query_prompt
    if config.passage_prompt is not None:
        passage = config.passage_prompt
    return query, passage


def load_encoder(config: Config) -> Encoder:
    """Load (materializing the bundled model on first use) the configured model on CPU, offline."""
    folder, model_id, manifest = resolve(config)
    from sentence_transformers import SentenceTransformer

    from policyqa.embed.fingerprint import fingerprint_folder

    from transformers.utils import logging as hf_logging

    # transformers draws a "Loading weights" bar on every load; noise for `policyqa search`.
    bar_was_on = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except Exception as exc:  # torch, safetensors and transformers each raise their own kinds for a bad folder
        fix = ("delete that folder and run `policyqa model install`" if config.model == BUNDLED_MODEL
               else "check that the folder holds a complete sentence-transformers model")
        raise PolicyQAError(f"cannot load the model in {folder} ({type(exc).__name__}: {exc}); {fix}") from None
    finally:
        if bar_was_on:
            hf_logging.enable_progress_bar()
    model.eval()
    if manifest is not None and manifest.get("fingerprint"):
        fp = manifest["fingerprint"]
    else:
        fp = fingerprint_folder(folder, memo=config.model_cache_dir / "fingerprints.json")
    query, passage = _prompts(config, model, model_id)
    return SentenceTransformerEncoder(model, ModelSpec(model_id, folder, fp, query, passage), batch_size=config.batch_size)
