"""`policyqa model install|info`: materialize the configured model and describe it."""
from __future__ import annotations

from pathlib import Path

from policyqa.corpus.config import BUNDLED_MODEL, Config


def install(config: Config) -> Path:
    """The folder the configured model loads from (the bundled model is converted on first call)."""
    from policyqa.embed.encoder import resolve

    folder, _, _ = resolve(config)
    return folder


def info(config: Config) -> dict:
    """Model id, folder, dimension, max tokens, prompts and fingerprint, from the loaded model."""
    from policyqa.embed.encoder import load_encoder

    enc = load_encoder(config)
    out = {
        "model_id": enc.model_id,
        "path": str(enc.spec.path),
        "dimension": enc.dim,
        "max_tokens": enc.max_tokens,
        "query_prompt": enc.query_prompt,
        "passage_prompt": enc.passage_prompt,
        "fingerprint": enc.fingerprint,
    }
    if config.model == BUNDLED_MODEL:
        from policyqa.embed.bundled import MODEL_ID, read_manifest

        manifest = read_manifest(enc.spec.path) or {}
        out["source"] = MODEL_ID
        out["source_sha256"] = manifest.get("source_sha256", "")
    return out
