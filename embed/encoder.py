"""The sentence-transformers/torch encoder (the reference backend), and `load_encoder`, the factory
that picks a backend from `Config.backend`.

The torch backend is the reference every other backend is measured against, the path for any model
given by configuration, and what exports the ONNX graphs. Queries and passages get their own prompt
("query: " / "passage: " for e5); the shared text handling lives in embed.base.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np

from policyqa.corpus.config import BUNDLED_MODEL, Config
from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.embed.source import model_fingerprint, resolve
from policyqa.embed.base import ModelSpec, PreparedQuery, TextEncoder, prompts_from, sanitize
from policyqa.embed.types import Encoder, Kind

__all__ = ["Encoder", "Kind", "ModelSpec", "PreparedQuery", "SentenceTransformerEncoder", "load_encoder", "resolve", "sanitize"]

log = logging.getLogger(__name__)


class SentenceTransformerEncoder(TextEncoder):
    """A loaded sentence-transformers model on CPU."""

    backend = "torch"

    def __init__(self, model: Any, spec: ModelSpec, batch_size: int = 16,
                 threads: tuple[int, int] | None = None) -> None:
        super().__init__(spec, batch_size)
        self._model = model
        # (query threads, passage threads) for torch's intra-op pool; None leaves torch's default.
        self._threads = threads
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

    def _ids(self, text: str) -> list[int]:
        if self._backend is not None:
            return self._backend.encode(text, add_special_tokens=False).ids
        return list(self._model.tokenizer(text, add_special_tokens=False, truncation=False)["input_ids"])

    def _embed_block(self, texts: list[str], kind: Kind) -> np.ndarray:
        if self._threads is not None:
            import torch

            want = self._threads[0] if kind == "query" else self._threads[1]
            if torch.get_num_threads() != want:
                torch.set_num_threads(want)
        prompt = self.prompt(kind)
        return self._model.encode(
            texts, prompt=prompt or None, batch_size=self.batch_size, show_progress_bar=False,
            convert_to_numpy=True, normalize_embeddings=True,
        )


# -------------------------------------------------------------------- loading
def load_encoder(config: Config, warm: Kind | None = None) -> Encoder:
    """The configured model with the configured backend, on CPU, offline (the bundled model is
    materialized, and its ONNX graphs exported, on first use). `warm` names the kind of text the
    caller will encode first, so a backend that can prepare for it in the background does."""
    if config.backend != "torch":
        from policyqa.embed.onnx_encoder import load_onnx_encoder

        return load_onnx_encoder(config, warm=warm)
    return load_torch_encoder(config)


def load_torch_encoder(config: Config) -> SentenceTransformerEncoder:
    """The sentence-transformers model, whatever `config.backend` says (the reference)."""
    folder, model_id, manifest = resolve(config)
    from sentence_transformers import SentenceTransformer

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
    fp = model_fingerprint(config, folder, manifest)
    query, passage = prompts_from(getattr(model, "prompts", None), model_id, config.query_prompt, config.passage_prompt)
    threads = (config.threads("query"), config.threads("passage"))
    return SentenceTransformerEncoder(model, ModelSpec(model_id, folder, fp, query, passage), batch_size=config.batch_size,
                        threads=threads)
