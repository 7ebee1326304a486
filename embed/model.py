"""`policyqa model install|info`: materialize the configured model, export its ONNX graphs, describe it."""
from __future__ import annotations

from pathlib import Path

from policyqa.corpus.config import BUNDLED_MODEL, Config


def install(config: Config) -> Path:
    """The folder the configured model loads from (the bundled model is converted on first call)."""
    from policyqa.embed.source import resolve

    folder, _, _ = resolve(config)
    return folder


def install_onnx(config: Config) -> dict[str, Path]:
    """Export the configured model for both ONNX backends (needs torch; done once per model).
    A model the ONNX backend cannot run is an error only when the configuration asks for ONNX."""
    from policyqa.corpus.errors import PolicyQAError
    from policyqa.embed.source import model_fingerprint, resolve
    from policyqa.embed.onnx_export import VARIANTS, check_supported, ensure_exported

    folder, model_id, manifest = resolve(config)
    try:
        check_supported(folder)
    except PolicyQAError:
        if config.backend != "torch":
            raise
        return {}
    fp = model_fingerprint(config, folder, manifest)
    return {v: ensure_exported(config.model_cache_dir, folder, fp, model_id, v, threads=config.threads("passage"))
            for v in VARIANTS}


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
        "backend": enc.backend,
    }
    if config.model == BUNDLED_MODEL:
        from policyqa.embed.bundled import MODEL_ID, read_manifest

        manifest = read_manifest(enc.spec.path) or {}
        out["source"] = MODEL_ID
        out["source_sha256"] = manifest.get("source_sha256", "")
    return out
