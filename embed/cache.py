"""Embedding cache keyed by (model fingerprint, prompt, sha256 of the text).

Rebuilding after a small corpus change re-embeds only the texts it has not seen. One shard folder
per (fingerprint, prompt) holds plain files -- keys.json (text hashes, in row order), vectors.npy
(float32 rows) and manifest.json -- and is replaced as a whole (staging dir + rename), so a crash
never leaves keys and vectors out of step. No pickle: vectors load with allow_pickle=False.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from policyqa.corpus.atomic import exclusive_lock, replace_dir, sweep_stale
from policyqa.corpus.manifest import load_manifest, write_manifest
from policyqa.embed.encoder import sanitize
from policyqa.embed.types import Encoder

FORMAT = 2  # 2: the shared manifest format (format_version)


def text_key(text: str) -> str:
    return hashlib.sha256(sanitize(text).encode("utf-8")).hexdigest()


def shard_dir(cache_dir: Path, fingerprint: str, prompt: str) -> Path:
    fp = fingerprint.split(":")[-1][:16]
    return cache_dir / f"{fp}-{hashlib.sha256(prompt.encode('utf-8')).hexdigest()[:12]}-v{FORMAT}"


def _load(shard: Path, fingerprint: str, prompt: str, dim: int) -> tuple[list[str], np.ndarray]:
    empty = ([], np.zeros((0, dim), dtype=np.float32))
    manifest = load_manifest(shard)
    if manifest is None or (manifest.get("format_version"), manifest.get("fingerprint"), manifest.get("prompt"),
                            manifest.get("dim")) != (FORMAT, fingerprint, prompt, dim):
        return empty
    try:
        keys = json.loads((shard / "keys.json").read_text(encoding="utf-8"))
        vectors = np.load(shard / "vectors.npy", allow_pickle=False)
    except (OSError, ValueError):
        return empty  # a missing or damaged shard is only a cold cache
    if vectors.dtype != np.float32 or vectors.shape != (len(keys), dim):
        return empty
    return list(keys), vectors


def _save(shard: Path, fingerprint: str, prompt: str, keys: list[str], vectors: np.ndarray) -> None:
    with replace_dir(shard) as staging:
        np.save(staging / "vectors.npy", np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
        (staging / "keys.json").write_text(json.dumps(keys), encoding="utf-8")
        write_manifest(staging, FORMAT, {"fingerprint": fingerprint, "prompt": prompt,
                                         "dim": int(vectors.shape[1]), "count": len(keys)})


def encode_passages_cached(
    encoder: Encoder, texts: Sequence[str], cache_dir: Path, progress: bool = False
) -> tuple[np.ndarray, int]:
    """(vectors in input order, how many texts had to be embedded now)."""
    texts = list(texts)
    # Validate every text (empty, over the limit) even when its vector is cached.
    clean = encoder.check_passages(texts)
    prompt, fp, dim = encoder.passage_prompt, encoder.fingerprint, encoder.dim
    if not clean:
        return np.zeros((0, dim), dtype=np.float32), 0
    shard = shard_dir(Path(cache_dir), fp, prompt)
    with exclusive_lock(shard.parent / f".{shard.name}.lock"):
        sweep_stale(shard.parent, shard.name)
        keys, vectors = _load(shard, fp, prompt, dim)
        row = {k: i for i, k in enumerate(keys)}
        wanted = [text_key(t) for t in clean]
        missing: dict[str, str] = {}
        for k, t in zip(wanted, clean):
            if k not in row and k not in missing:
                missing[k] = t
        if missing:
            new = encoder.encode_passages(list(missing.values()), progress=progress, checked=True)
            for k in missing:
                row[k] = len(keys)
                keys.append(k)
            vectors = np.vstack([vectors, new]) if len(vectors) else new
            _save(shard, fp, prompt, keys, vectors)
    out = vectors[[row[k] for k in wanted]]
    return np.ascontiguousarray(out, dtype=np.float32), len(missing)
