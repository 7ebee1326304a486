"""Which documents a corpus folder holds: manifest entries plus any other document files
(.txt/.md, .pdf, .docx, .html/.htm; the kind is then told by content, see corpus.formats).

A file without a manifest entry gets a doc_id slugged from its name and a detected language.
Paths in a manifest must stay inside the corpus folder.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.corpus.types import CJK, LANGS, Lang

_HAN = re.compile(f"[{CJK}]")

MANIFEST = "manifest.json"
SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
_DOC_ID_RE = re.compile(r"^[\w][\w.-]{0,99}$")


@dataclass(frozen=True)
class DocumentFile:
    path: Path
    rel: str  # path relative to the corpus folder, "/"-separated
    doc_id: str
    family: str
    lang: Lang | None  # None: detect from the text
    title: str = ""
    title_en: str = ""
    issuer: str = ""
    number: str = ""
    date: str = ""
    source: str = ""
    added_at: str = ""  # ISO time a user added it (`policyqa add`); "" for corpus files
    aliases: tuple[str, ...] = ()


def is_valid_id(value: str) -> bool:
    """A doc_id or family: letters, digits, '.', '_' and '-', never '..' (it becomes part of paths and ids)."""
    return bool(_DOC_ID_RE.fullmatch(value)) and ".." not in value


def slugify(name: str) -> str:
    """A doc_id from a file name: lowercase letters/digits (any script) and single dashes; never
    contains a path separator or "..", never empty."""
    stem = unicodedata.normalize("NFKC", name)
    stem = re.sub(r"\.(txt|md|pdf|docx|html?)$", "", stem, flags=re.IGNORECASE)
    slug = re.sub(r"[^\w]+", "-", stem.lower(), flags=re.UNICODE).replace("_", "-")
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug[:80] or "document"


@lru_cache(maxsize=4)
def opencc_converter(kind: str):
    """Converters are costly to build (dictionary load) and stateless: build each once."""
    from opencc import OpenCC

    return OpenCC(kind)


def detect_lang(text: str) -> Lang:
    """en unless CJK characters dominate the letters; Hant vs Hans by which OpenCC conversion
    changes more characters (traditional text changes under t2s, simplified under s2t)."""
    cjk = len(_HAN.findall(text))
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    if cjk == 0 or cjk < 0.3 * (cjk + latin):
        return "en"
    sample = text[:20000]
    to_s = opencc_converter("t2s").convert(sample)
    to_t = opencc_converter("s2t").convert(sample)
    changed_by_t2s = sum(1 for a, b in zip(sample, to_s) if a != b)
    changed_by_s2t = sum(1 for a, b in zip(sample, to_t) if a != b)
    return "zh-Hant" if changed_by_t2s > changed_by_s2t else "zh-Hans"


def _inside(root: Path, rel: str) -> Path:
    if not rel or "\\" in rel or rel.startswith("/") or any(part in ("", "..") for part in rel.split("/")):
        raise PolicyQAError(f"{root / MANIFEST}: file {rel!r} must be a relative path inside the corpus folder (no '..', no absolute path)")
    path = (root / rel).resolve()
    if root.resolve() not in path.parents:
        raise PolicyQAError(f"{root / MANIFEST}: file {rel!r} points outside the corpus folder; move it inside")
    return path


def _read_manifest(root: Path) -> list[dict]:
    path = root / MANIFEST
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PolicyQAError(f"{path}: not valid JSON ({exc}); fix it or delete it to describe files automatically") from None
    docs = data.get("documents") if isinstance(data, dict) else data
    if not isinstance(docs, list) or not all(isinstance(d, dict) for d in docs):
        raise PolicyQAError(f"{path}: expected {{\"documents\": [{{\"file\": ..., \"doc_id\": ...}}, ...]}}")
    return docs


def discover(root: Path, *, rel_prefix: str = "", allow_empty: bool = False) -> list[DocumentFile]:
    """Sources of a corpus folder, in a stable order (manifest order, then file names).

    `rel_prefix` is put before each source's `rel` (the added documents are "documents/..."), so
    two folders can feed one store without their names colliding."""
    if allow_empty and not root.exists():
        return []
    if not root.is_dir():
        raise UsageError(f"corpus folder not found: {root}; pass --corpus DIR, a folder of .txt/.md files")
    sources: list[DocumentFile] = []
    seen_files: set[str] = set()
    seen_ids: set[str] = set()
    for entry in _read_manifest(root):
        rel = str(entry.get("file", ""))
        path = _inside(root, rel)
        if not path.is_file():
            raise PolicyQAError(f"{root / MANIFEST}: file {rel!r} does not exist; fix the entry or add the file")
        doc_id = str(entry.get("doc_id") or slugify(Path(rel).name))
        if not _DOC_ID_RE.fullmatch(doc_id) or ".." in doc_id:
            raise PolicyQAError(f"{root / MANIFEST}: doc_id {doc_id!r} may only use letters, digits, '.', '_' and '-'")
        lang = entry.get("lang")
        if lang is not None and lang not in LANGS:
            raise PolicyQAError(f"{root / MANIFEST}: {rel}: lang must be one of {', '.join(LANGS)}, got {lang!r}")
        family = str(entry.get("family") or doc_id)
        if not _DOC_ID_RE.fullmatch(family) or ".." in family:
            raise PolicyQAError(f"{root / MANIFEST}: family {family!r} may only use letters, digits, '.', '_' and '-'")
        if doc_id in seen_ids:
            raise PolicyQAError(f"{root / MANIFEST}: doc_id {doc_id!r} is used twice; give each file its own")
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise PolicyQAError(f"{root / MANIFEST}: {rel}: aliases must be a list of non-empty strings")
        seen_ids.add(doc_id)
        seen_files.add(rel)
        sources.append(DocumentFile(
            path=path, rel=rel, doc_id=doc_id, family=family, lang=lang,
            title=str(entry.get("title", "")), title_en=str(entry.get("title_en", "")),
            issuer=str(entry.get("issuer", "")), number=str(entry.get("number", "")),
            date=str(entry.get("date", "")), source=str(entry.get("source", "")),
            added_at=str(entry.get("added_at", "")),
            aliases=tuple(a.strip() for a in aliases),
        ))
    extra = sorted(
        p for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    for path in extra:
        rel = path.relative_to(root).as_posix()
        if rel in seen_files:
            continue
        base = slugify(rel.replace("/", "-"))
        doc_id, n = base, 2
        while doc_id in seen_ids:
            doc_id, n = f"{base}-{n}", n + 1
        seen_ids.add(doc_id)
        sources.append(DocumentFile(path=path, rel=rel, doc_id=doc_id, family=doc_id, lang=None))
    if not sources and not allow_empty:
        raise PolicyQAError(f"{root}: no documents (.txt, .md, .pdf, .docx, .html) found; add some or point --corpus elsewhere")
    if rel_prefix:
        sources = [replace(s, rel=f"{rel_prefix}{s.rel}") for s in sources]
    return sources
