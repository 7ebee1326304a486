"""One manifest format for every saved artifact (clause store, embedding cache shards, the
materialized model, the index): a folder of plain files plus `manifest.json` (as bm25s saves its
index), holding `format_version`, the artifact's own fields and, where the artifact needs its
integrity checked, the files it consists of with their sha256 or size. The manifest is written
last, so its presence marks the folder complete."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from policyqa.corpus.atomic import write_text
from policyqa.corpus.errors import PolicyQAError

MANIFEST = "manifest.json"
FileCheck = Literal["sha256", "size"]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def list_files(folder: Path, check: FileCheck, name: str = MANIFEST) -> dict[str, str | int]:
    """Every file below `folder` but the manifest, with its sha256 (hex) or its size in bytes."""
    out: dict[str, str | int] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and rel != name:
            out[rel] = sha256_file(p) if check == "sha256" else p.stat().st_size
    return out


def write_manifest(folder: Path, version: int, fields: dict, *, files: FileCheck | None = None,
                   name: str = MANIFEST) -> dict:
    manifest = {"format_version": version, **fields}
    if files:
        manifest["files"] = list_files(folder, files, name)
    write_text(folder / name, json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def load_manifest(folder: Path, name: str = MANIFEST) -> dict | None:
    """The manifest as written, or None when it is missing, unreadable or not a JSON object."""
    try:
        manifest = json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # ValueError: also bytes that are not UTF-8
        return None
    return manifest if isinstance(manifest, dict) else None


def read_manifest(folder: Path, version: int, *, what: str, fix: str, missing_fix: str | None = None,
                  required: Sequence[str] = (), name: str = MANIFEST) -> dict:
    """The manifest, or a PolicyQAError naming `what` is wrong with it and how to `fix` it."""
    path = folder / name
    if not path.is_file():
        raise PolicyQAError(f"no {what} in {folder}; {missing_fix or fix}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PolicyQAError(f"the {what} manifest {path} is damaged (unreadable: {exc}); {fix}") from None
    if not isinstance(manifest, dict):
        raise PolicyQAError(f"the {what} manifest {path} is damaged (not a JSON object); {fix}")
    if manifest.get("format_version") != version:
        raise PolicyQAError(f"the {what} in {folder} has format {manifest.get('format_version')!r}, "
                            f"this version reads {version}; {fix}")
    missing = [k for k in required if k not in manifest]
    if missing:
        raise PolicyQAError(f"the {what} manifest {path} is damaged (missing: {', '.join(missing)}); {fix}")
    return manifest


def file_problem(folder: Path, manifest: dict) -> str:
    """What is wrong with the files the manifest lists ("" when each has its recorded digest or size)."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return "the manifest lists no files"
    for rel, expected in files.items():
        path = folder / rel
        if not path.is_file():
            return f"{rel} is missing"
        if isinstance(expected, int):
            if path.stat().st_size != expected:
                return f"{rel} has {path.stat().st_size:,} bytes, expected {expected:,}"
        elif sha256_file(path) != expected:
            return f"{rel} is corrupted (checksum mismatch)"
    return ""
