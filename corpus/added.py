"""Documents a user adds: checked, extracted and described before anything is written.

They live in config.documents_dir: each file under a name made from its doc_id (nothing from the
user's file name reaches a path) and one manifest.json entry with what was found at add time
(language, title, number, family, kind, when), so a rebuild reproduces the same clauses.
A manifest given with the files (`policyqa add --manifest`) overrides what was found.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.corpus.formats import Extracted, extract_data
from policyqa.corpus.limits import FileLimits, human_bytes
from policyqa.corpus.metadata import number_key
from policyqa.corpus.sources import MANIFEST, DocumentFile, is_valid_id, opencc_converter, slugify
from policyqa.corpus.store import DOCUMENTS_PREFIX, ClauseStore, Parsed, parse_source
from policyqa.corpus.types import LANGS, Unit

SUFFIX = {"txt": ".txt", "md": ".md", "pdf": ".pdf", "docx": ".docx", "html": ".html"}
OVERRIDABLE = ("doc_id", "family", "lang", "title", "title_en", "issuer", "number", "date", "source")


@dataclass(frozen=True)
class Prepared:
    """One incoming file, read and understood; `entry` is its line in the documents manifest."""
    name: str  # the user's file name, sanitized, for messages and the manifest
    data: bytes
    extracted: Extracted
    parsed: Parsed
    entry: dict
    joined: str  # "" or the doc_id of a known version whose family it joined


def display_name(path: Path | str) -> str:
    """The file's base name with control, format (bidi) and separator characters removed."""
    name = str(path).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    return name.strip()[:120] or "file"


def read_entries(documents_dir: Path) -> list[dict]:
    path = documents_dir / MANIFEST
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return list(data["documents"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PolicyQAError(f"{path}: the list of added documents is damaged ({exc}); restore it or delete the "
                            "documents folder and add the files again") from None


def write_entries(documents_dir: Path, entries: list[dict]) -> None:
    text = json.dumps({"format": 1, "documents": entries}, ensure_ascii=False, indent=1)
    (documents_dir / MANIFEST).write_text(text, encoding="utf-8")


def read_overrides(path: Path | None) -> dict[str, dict]:
    """{file name: entry} from a manifest the user passes with the files."""
    if path is None:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the manifest ({exc}); give a JSON file like "
                         '{"documents": [{"file": "notice.pdf", "family": "...", "title": "..."}]}') from None
    docs = data.get("documents") if isinstance(data, dict) else data
    if not isinstance(docs, list) or not all(isinstance(d, dict) and d.get("file") for d in docs):
        raise UsageError(f"{path}: expected {{\"documents\": [{{\"file\": \"notice.pdf\", ...}}, ...]}}")
    out = {}
    for d in docs:
        unknown = set(d) - set(OVERRIDABLE) - {"file"}
        if unknown:
            raise UsageError(f"{path}: {d['file']}: unknown keys {sorted(unknown)}; allowed: {', '.join(OVERRIDABLE)}")
        out[display_name(d["file"])] = d
    return out


def check_sizes(paths: list[Path], limits: FileLimits) -> None:
    """Count and size limits, before a byte is read."""
    if not paths:
        raise UsageError("no files given; name one or more .pdf, .docx, .html, .txt or .md files")
    if len(paths) > limits.max_files:
        raise UsageError(f"{len(paths)} files at once is over the limit of {limits.max_files}; add them in smaller groups")
    total = 0
    for p in paths:
        if not p.is_file():
            raise UsageError(f"{p}: not found or not a file; check the path")
        size = p.stat().st_size
        if size > limits.max_file_bytes:
            raise PolicyQAError(f"{display_name(p)}: is {human_bytes(size)}, over the {human_bytes(limits.max_file_bytes)} "
                                "limit per file; split it or raise the limit")
        total += size
    if total > limits.max_add_bytes:
        raise PolicyQAError(f"the files together are {human_bytes(total)}, over the {human_bytes(limits.max_add_bytes)} "
                            "limit per add; add them in smaller groups")


# ------------------------------------------------------------------ families


def _fold(title: str) -> str:
    return re.sub(r"[\s\"“”'‘’《》「」]+", "", opencc_converter("t2s").convert(title)).lower()


def signature(units: list[Unit] | tuple[Unit, ...]) -> tuple[int, int, int]:
    """(sections, clauses, items): versions of one document number them alike."""
    sections = sum(1 for u in units if u.kind == "heading" and re.search(r"/s\d+$", u.clause_id))
    return sections, sum(1 for u in units if u.kind == "clause"), sum(1 for u in units if u.kind == "item")


@dataclass
class Family:
    name: str
    langs: set[str]
    numbers: set[tuple[int, int]]
    titles: set[str]
    sig: tuple[int, int, int]
    first_doc: str


def families_of(store: ClauseStore) -> dict[str, Family]:
    out: dict[str, Family] = {}
    for d, meta in store.docs.items():
        fam = out.setdefault(meta.family, Family(meta.family, set(), set(), set(), (0, 0, 0), d))
        fam.langs.add(meta.lang)
        if (key := number_key(meta.number)) is not None:
            fam.numbers.add(key)
        fam.titles |= {_fold(t) for t in (meta.title, meta.title_en) if t}
        if fam.first_doc == d:
            fam.sig = signature([u for u in store.units if u.doc_id == d])
    return out


def match_family(parsed: Parsed, families: dict[str, Family]) -> Family | None:
    """The family this document is another language version of, when the match is confident: a
    language the family lacks, the same numbering (sections, clauses, items; some numbered), and the
    same document number or the same title (simplified and traditional fold together)."""
    sig = signature(parsed.units)
    if sig[0] + sig[1] + sig[2] == 0:
        return None
    key = number_key(parsed.meta.number)
    title = _fold(parsed.found_title) if parsed.found_title else ""
    hits = [f for f in families.values()
            if parsed.meta.lang not in f.langs and f.sig == sig
            and ((key is not None and key in f.numbers) or (title and title in f.titles))]
    return hits[0] if len(hits) == 1 else None


# ------------------------------------------------------------------ preparing a batch


@dataclass(frozen=True)
class Incoming:
    """One file as given: read once, typed by content and extracted (the slow part, done outside the
    build lock)."""
    name: str
    path: Path
    data: bytes
    digest: str
    extracted: Extracted


def read_files(paths: list[Path], limits: FileLimits) -> list[Incoming]:
    """Count and size limits, then every file read and extracted; the first bad one is a
    PolicyQAError naming it. Nothing is written."""
    check_sizes(paths, limits)
    out: list[Incoming] = []
    seen: dict[str, str] = {}
    for path in paths:
        name = display_name(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PolicyQAError(f"{name}: cannot be read ({exc.strerror}); check the path and its permissions") from None
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen:
            raise UsageError(f"{name}: is the same file as {seen[digest]}; each file is added once")
        seen[digest] = name
        out.append(Incoming(name, path, data, digest, extract_data(data, name, limits)))
    return out


def prepare(files: list[Path] | list[Incoming], *, store: ClauseStore, limits: FileLimits,
            overrides: dict[str, dict], existing: list[dict] = (), now: datetime | None = None) -> list[Prepared]:
    """Every file (paths, or already read) described and parsed against the current corpus: doc_id,
    language, metadata, family. The first bad one is a PolicyQAError naming it. Nothing is written."""
    incoming = files if all(isinstance(f, Incoming) for f in files) else read_files(list(files), limits)  # type: ignore[arg-type]
    now = now or datetime.now(timezone.utc)
    families = families_of(store)
    taken = set(store.docs)
    known_hashes = {e.get("sha256"): f"added document {e.get('doc_id')!r}" for e in existing}
    out: list[Prepared] = []
    for item in incoming:
        name, path, data, digest, extracted = item.name, item.path, item.data, item.digest, item.extracted
        over = overrides.get(name, {})
        if digest in known_hashes:
            raise UsageError(f"{name}: is the same file as {known_hashes[digest]}; each file is added once")
        doc_id = str(over.get("doc_id") or "")
        if doc_id:
            if not is_valid_id(doc_id):
                raise UsageError(f"{name}: doc_id {doc_id!r} may only use letters, digits, '.', '_' and '-'")
            if doc_id in taken:
                raise UsageError(f"{name}: doc_id {doc_id!r} is already in use; remove that document first or choose another")
        else:
            base = slugify(name)
            doc_id, n = base, 2
            while doc_id in taken:
                doc_id, n = f"{base}-{n}", n + 1
        taken.add(doc_id)
        lang = over.get("lang")
        if lang is not None and lang not in LANGS:
            raise UsageError(f"{name}: lang must be one of {', '.join(LANGS)}, got {lang!r}")
        family = str(over.get("family") or "")
        if family and not is_valid_id(family):
            raise UsageError(f"{name}: family {family!r} may only use letters, digits, '.', '_' and '-'")
        stored = f"{doc_id}{SUFFIX[extracted.kind]}"
        src = DocumentFile(path=path, rel=f"{DOCUMENTS_PREFIX}/{stored}", doc_id=doc_id, family=family or doc_id,
                     lang=lang, title=str(over.get("title", "")), title_en=str(over.get("title_en", "")),
                     issuer=str(over.get("issuer", "")), number=str(over.get("number", "")),
                     date=str(over.get("date", "")), source=str(over.get("source", "")),
                     added_at=now.isoformat(timespec="seconds"))
        parsed = parse_source(src, name=name, extracted=extracted)
        joined = ""
        if not family:
            match = match_family(parsed, families)
            if match is not None:
                joined, family = match.first_doc, match.name
                src = replace(src, family=family)
                parsed = parse_source(src, name=name, extracted=extracted)
        if family and family in families and parsed.meta.lang in families[family].langs:
            raise UsageError(f"{name}: family {family!r} already has a {parsed.meta.lang} version; "
                             "give this file its own family, or remove the other version first")
        fam = families.setdefault(parsed.meta.family, Family(parsed.meta.family, set(), set(), set(),
                                                             signature(parsed.units), doc_id))
        fam.langs.add(parsed.meta.lang)
        if (key := number_key(parsed.meta.number)) is not None:
            fam.numbers.add(key)
        if parsed.found_title:
            fam.titles.add(_fold(parsed.found_title))
        m = parsed.meta
        entry = {"file": stored, "doc_id": doc_id, "family": m.family, "lang": m.lang, "title": parsed.found_title,
                 "title_en": src.title_en, "issuer": src.issuer, "number": m.number, "date": m.date,
                 "source": src.source or f"added from {name}", "kind": extracted.kind, "added_at": src.added_at,
                 "original_name": name, "sha256": digest, "bytes": len(data), "pages": extracted.pages}
        out.append(Prepared(name, data, extracted, parsed, entry, joined))
    return out
