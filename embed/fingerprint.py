"""A model's fingerprint: a content hash of the files that decide its vectors.

Indexes record it and refuse to be queried by another model. Weights, tokenizer and every config
file count; READMEs, alternate backends (onnx/, openvino/) and our own manifest do not. Hashing a
multi-GB model takes seconds, so results are remembered per (file, size, mtime) in a small cache.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from policyqa.corpus.atomic import write_text

_SKIP_DIRS = {"onnx", "openvino", ".git", ".cache", "__pycache__"}
_SKIP_SUFFIXES = (".md", ".txt.lock", ".lock", ".png", ".jpg", ".gitattributes")
_SKIP_NAMES = {"policyqa-manifest.json", ".gitattributes"}
_CHUNK = 1 << 22


def model_files(folder: Path) -> list[Path]:
    """Files that decide the model's output, sorted by relative path."""
    out: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in files:
            if name in _SKIP_NAMES or name.startswith(".") or name.lower().endswith(_SKIP_SUFFIXES):
                continue
            out.append(Path(root) / name)
    return sorted(out, key=lambda p: p.relative_to(folder).as_posix())


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_CHUNK):
            h.update(block)
    return h.hexdigest()


def fingerprint_folder(folder: Path, memo: Path | None = None) -> str:
    """sha256 over (relative path, file sha256) pairs; `memo` (a json file) skips rehashing unchanged files."""
    known: dict = {}
    if memo is not None:
        try:
            known = json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
    changed = False
    total = hashlib.sha256()
    for path in model_files(folder):
        real = path.resolve()
        st = real.stat()
        key = f"{real}|{st.st_size}|{st.st_mtime_ns}"
        digest = known.get(key)
        if digest is None:
            digest = _file_sha256(real)
            known[key] = digest
            changed = True
        total.update(f"{path.relative_to(folder).as_posix()}\0{digest}\n".encode())
    if memo is not None and changed:
        write_text(memo, json.dumps(known, indent=0, sort_keys=True))
    return "sha256:" + total.hexdigest()[:32]
