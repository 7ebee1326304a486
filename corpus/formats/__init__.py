"""Document files to text: one small module per format behind one interface, and a factory.

    extract_file(path, limits) -> Extracted        # what every caller uses
    sniff(data, name) -> Kind                      # type by content (magic bytes), never by name
    extractor(kind) -> Extractor                   # the module for one kind

Each format module has `extract(data: bytes, name: str, limits: FileLimits) -> Extracted`. PDF, DOCX
and HTML are parsed in a child process (formats.worker) with a wall-time and memory limit, so a
hostile file can neither hang nor exhaust the caller (a server, a CLI run). Plain text decodes in
process. After extraction the corpus' own cleaning, structure parser, ids and chunking run unchanged.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import subprocess
import sys
import zipfile
import io
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal, Protocol, get_args

from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.limits import FileLimits, human_bytes

Kind = Literal["txt", "md", "pdf", "docx", "html"]
KINDS: tuple[Kind, ...] = get_args(Kind)
# Bump when an extractor's output changes: cached extractions of the old version are not reused.
EXTRACTOR_VERSION = "1"
_IN_CHILD: tuple[Kind, ...] = ("pdf", "docx", "html")
SUPPORTED = "PDF (with a text layer), Word .docx, HTML, or plain text (.txt/.md)"


@dataclass(frozen=True)
class Extracted:
    text: str  # plain text: lines, blank lines between paragraphs where the format knows them
    kind: Kind
    meta: dict[str, str] = field(default_factory=dict)  # from the file: title, author, subject, date, lang
    pages: int = 0  # PDF pages
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {**asdict(self), "warnings": list(self.warnings)}

    @classmethod
    def from_dict(cls, d: dict) -> "Extracted":
        return cls(text=str(d["text"]), kind=d["kind"], meta={str(k): str(v) for k, v in d.get("meta", {}).items()},
                   pages=int(d.get("pages", 0)), encoding=str(d.get("encoding", "utf-8")),
                   warnings=tuple(str(w) for w in d.get("warnings", ())))


class Extractor(Protocol):
    def extract(self, data: bytes, name: str, limits: FileLimits) -> Extracted: ...


# Binary formats we recognise only to name them in the error.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"\x7fELF", "a Linux executable"),
    (b"MZ", "a Windows executable"), (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"), (b"\xd0\xcf\x11\xe0", "a legacy Office file (.doc/.xls); save it as .docx"),
    (b"{\\rtf", "an RTF file; save it as .docx"), (b"BZh", "a bzip2 archive"), (b"\x00asm", "a WebAssembly binary"),
)


def sniff(data: bytes, name: str = "<bytes>") -> Kind:
    """The kind of a file from its first bytes. Raises PolicyQAError for what we cannot read."""
    if not data.strip(b" \t\r\n\x00"):
        raise PolicyQAError(f"{name}: the file is empty; add the document's text or remove the file")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise PolicyQAError(f"{name}: is {what}, not a document this tool reads; supported: {SUPPORTED}")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<body" in head):
        return "html"
    return "md" if name.lower().endswith((".md", ".markdown")) else "txt"


def _zip_kind(data: bytes, name: str) -> Kind:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise PolicyQAError(f"{name}: looks like a ZIP/DOCX file but is damaged or truncated ({exc}); "
                            "save it again from Word") from None
    if "word/document.xml" in names:
        return "docx"
    what = ("an Excel workbook" if "xl/workbook.xml" in names else "a PowerPoint file" if "ppt/presentation.xml" in names
            else "an OpenDocument file; save it as .docx" if "content.xml" in names else "a ZIP archive")
    raise PolicyQAError(f"{name}: is {what}, not a Word .docx; supported: {SUPPORTED}")


def extractor(kind: Kind) -> Extractor:
    """The module that extracts one kind (imported on first use: nothing heavy at import time)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    module = "text" if kind in ("txt", "md") else kind
    return importlib.import_module(f"policyqa.corpus.formats.{module}")  # type: ignore[return-value]


def extract_bytes(data: bytes, name: str, limits: FileLimits, kind: Kind | None = None) -> Extracted:
    """Extract in this process (the worker calls this; tests may too)."""
    kind = kind or sniff(data, name)
    out = extractor(kind).extract(data, name, limits)
    if len(out.text) > limits.max_text_chars:
        raise PolicyQAError(f"{name}: holds more than {limits.max_text_chars:,} characters of text (limit); split it")
    return out


def extract_file(path: Path, limits: FileLimits | None = None, name: str | None = None,
                 cache_dir: Path | None = None) -> Extracted:
    """Read, type and extract one file; PDF, DOCX and HTML in a time- and memory-limited child.

    With `cache_dir`, an extraction of the same bytes by the same extractor version is reused."""
    limits = limits or FileLimits()
    name = name or str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise PolicyQAError(f"{name}: is {human_bytes(size)}, over the {human_bytes(limits.max_file_bytes)} "
                                "limit per file; split it or raise the limit")
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyQAError(f"{name}: cannot be read ({exc.strerror}); check the path and its permissions") from None
    return extract_data(data, name, limits, cache_dir)


def extract_data(data: bytes, name: str, limits: FileLimits, cache_dir: Path | None = None) -> Extracted:
    """`extract_file` for bytes already read (read once: the file cannot change between checks)."""
    if len(data) > limits.max_file_bytes:
        raise PolicyQAError(f"{name}: is {human_bytes(len(data))}, over the {human_bytes(limits.max_file_bytes)} "
                            "limit per file; split it or raise the limit")
    kind = sniff(data, name)
    if kind not in _IN_CHILD:
        return extract_bytes(data, name, limits, kind)
    cached = cache_path(cache_dir, data) if cache_dir is not None else None
    if cached is not None and cached.is_file():
        try:
            return Extracted.from_dict(json.loads(cached.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache entry is only a cold cache
    out = _in_child(data, name, kind, limits)
    if cached is not None:
        save_cached(cached, out)
    return out


def cache_path(cache_dir: Path, data: bytes) -> Path:
    return cache_dir / f"{hashlib.sha256(data).hexdigest()}-v{EXTRACTOR_VERSION}.json"


def save_cached(path: Path, out: Extracted) -> None:
    from policyqa.corpus import atomic

    try:
        atomic.write_text(path, json.dumps(out.to_dict(), ensure_ascii=False))
    except OSError:
        pass  # caching is an optimization; a read-only data dir still ingests


def _in_child(data: bytes, name: str, kind: Kind, limits: FileLimits) -> Extracted:
    cmd = [sys.executable, "-m", "policyqa.corpus.formats.worker", kind, name, json.dumps(limits.to_dict())]
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=limits.extract_seconds)
    except subprocess.TimeoutExpired:
        raise PolicyQAError(f"{name}: extracting its text took longer than {limits.extract_seconds:.0f} s (the limit per "
                            "file); the file may be damaged or built to stall readers") from None
    try:
        out = json.loads(proc.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        why = "ran out of memory" if proc.returncode in (-9, 137) or b"MemoryError" in proc.stderr else f"exit {proc.returncode}"
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise PolicyQAError(f"{name}: the {kind} reader failed ({why}{': ' + tail[0][:200] if tail[0] else ''}); "
                            "the file may be damaged") from None
    if "error" in out:
        raise PolicyQAError(str(out["error"]))
    return Extracted.from_dict(out)
