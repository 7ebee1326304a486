"""Add, remove and list documents: the library under `policyqa add/remove/docs`, Engine.add/remove/docs
and the app's documents panel.

    add_documents(config, paths, *, progress=None) -> AddReport
    remove_document(config, doc_id) -> RemoveReport
    list_documents(config) -> list[DocInfo]

The index is built from the corpus folder (bundled, or --corpus) plus the added documents, which are
copied into config.documents_dir. An add or remove is all-or-nothing: every file is checked and
extracted first (a bad one is a PolicyQAError naming it, and nothing is written); then, under the build
lock, the new documents folder is staged, the clause store built from it, only new texts embedded
(the embedding cache holds the rest), and store, index and documents folder swapped in, in that order
(each with an atomic rename). A crash between two swaps leaves a store and index that the next build
sees as out of date and rebuilds from the documents folder, the source of truth.
"""
from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from policyqa.corpus import added as added_docs
from policyqa.corpus.atomic import exclusive_lock, replace_dir, sweep_stale
from policyqa.corpus.config import Config
from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.corpus.formats import cache_path, save_cached
from policyqa.corpus.store import DOCUMENTS_PREFIX, ClauseStore, is_current, load_store, store_of
from policyqa.index.build import BuildReport, build_locked

# progress(stage, fraction): stage is a short English phrase ("reading notice.pdf", "embedding"),
# fraction from 0 to 1 over the whole call.
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class DocInfo:
    doc_id: str
    title: str
    lang: str
    kind: str  # txt | md | pdf | docx | html
    units: int
    added_at: str  # ISO time; "" for corpus documents
    origin: str  # "corpus" (bundled or --corpus) | "added"
    family: str
    number: str = ""
    date: str = ""
    file: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AddedDoc:
    doc_id: str
    file: str  # the user's file name
    kind: str
    lang: str
    title: str
    family: str
    units: int
    joined: str  # doc_id of a known language version whose family it joined, or ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AddReport:
    added: tuple[AddedDoc, ...]
    build: BuildReport
    seconds: float

    def to_dict(self) -> dict:
        return {"added": [a.to_dict() for a in self.added], "build": self.build.to_dict(), "seconds": self.seconds}

    def summary(self) -> str:
        lines = [f"added {a.doc_id} [{a.lang}, {a.kind}] {a.units} units: {a.title or a.file}"
                 + (f" (joins {a.family} with {a.joined})" if a.joined else "") for a in self.added]
        lines.append(f"index updated in {self.seconds:.1f}s: {self.build.embedded} texts embedded, "
                     f"{self.build.rows - self.build.embedded} from cache")
        return "\n".join(lines)


@dataclass(frozen=True)
class RemoveReport:
    doc_id: str
    title: str
    build: BuildReport
    seconds: float

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "title": self.title, "build": self.build.to_dict(), "seconds": self.seconds}

    def summary(self) -> str:
        return f"removed {self.doc_id}: {self.title}; index updated in {self.seconds:.1f}s"


def _lock(config: Config):
    return exclusive_lock(config.data_dir / ".build.lock")


def current_store(config: Config) -> ClauseStore:
    """The written clause store when it matches the corpus and the added documents, else one built
    in memory (nothing is written)."""
    if is_current(config):
        try:
            return load_store(config)
        except PolicyQAError:
            pass
    return store_of(config)


def list_documents(config: Config) -> list[DocInfo]:
    store = current_store(config)
    per_doc = Counter(u.doc_id for u in store.units)
    return [DocInfo(doc_id=d, title=m.title, lang=m.lang, kind=m.kind, units=per_doc[d], added_at=m.added_at,
                     origin="added" if m.file.startswith(f"{DOCUMENTS_PREFIX}/") else "corpus", family=m.family,
                     number=m.number, date=m.date, file=m.file)
            for d, m in store.docs.items()]


def _stage_existing(documents_dir: Path, staging: Path, entries: list[dict]) -> None:
    for e in entries:
        src = documents_dir / e["file"]
        if not src.is_file():
            raise PolicyQAError(f"{src}: an added document is missing from the documents folder; add it again "
                                f"or remove it (`policyqa remove {e['doc_id']}`)")
        shutil.copy2(src, staging / e["file"])


def add_documents(config: Config, paths: Sequence[str | Path], *, progress: Progress | None = None,
                  manifest: str | Path | None = None, encoder=None) -> AddReport:
    """Add files (PDF, DOCX, HTML, TXT, MD) to the corpus and the index; see the module docstring.

    `manifest` is an optional JSON file overriding what is found per file ({"documents": [{"file":
    "notice.pdf", "family": ..., "title": ..., "lang": ..., "doc_id": ...}]}). `encoder` reuses a
    loaded one (a running server's)."""
    t0 = time.perf_counter()
    say = progress or (lambda stage, fraction: None)
    files = [Path(p) for p in paths]
    overrides = added_docs.read_overrides(Path(manifest) if manifest else None)
    documents_dir = config.documents_dir
    say(f"reading {len(files)} file(s)", 0.02)
    incoming = added_docs.read_files(files, config.limits)  # the slow extraction runs outside the lock
    with _lock(config):
        sweep_stale(documents_dir.parent, documents_dir.name)
        entries = added_docs.read_entries(documents_dir)
        say("reading the current corpus", 0.2)
        store = current_store(config)
        prepared = added_docs.prepare(incoming, store=store, limits=config.limits, overrides=overrides, existing=entries)
        say("checking the new corpus", 0.3)
        with replace_dir(documents_dir) as staging:
            _stage_existing(documents_dir, staging, entries)
            for p in prepared:
                (staging / p.entry["file"]).write_bytes(p.data)
            added_docs.write_entries(staging, entries + [p.entry for p in prepared])
            for p in prepared:  # so the store below (and every later build) reads them without extracting again
                if p.extracted.kind in ("pdf", "docx", "html"):
                    save_cached(cache_path(config.extract_cache_dir, p.data), p.extracted)
            new_store = store_of(config, staging)  # rebuilt from the staged files: what a later build sees
            say("embedding and indexing", 0.4)
            report = build_locked(config, progress=False, encoder=encoder, store=new_store)
        say("done", 1.0)
    per_doc = Counter(u.doc_id for u in new_store.units)
    added = tuple(AddedDoc(p.entry["doc_id"], p.name, p.extracted.kind, new_store.docs[p.entry["doc_id"]].lang,
                           new_store.docs[p.entry["doc_id"]].title, p.entry["family"], per_doc[p.entry["doc_id"]], p.joined)
                  for p in prepared)
    return AddReport(added, report, time.perf_counter() - t0)


def remove_document(config: Config, doc_id: str, *, encoder=None) -> RemoveReport:
    """Remove an added document from the corpus and the index. Corpus-folder documents cannot be
    removed here (they are the bundled texts or the --corpus folder's files)."""
    t0 = time.perf_counter()
    documents_dir = config.documents_dir
    with _lock(config):
        sweep_stale(documents_dir.parent, documents_dir.name)
        entries = added_docs.read_entries(documents_dir)
        target = next((e for e in entries if e.get("doc_id") == doc_id), None)
        if target is None:
            known = {d.doc_id: d for d in list_documents(config)}
            if doc_id in known:
                raise UsageError(f"{doc_id!r} belongs to the corpus folder, not to the added documents; "
                                 "remove the file from that folder (or use another --corpus) instead")
            added_ids = [e.get("doc_id") for e in entries]
            raise UsageError(f"no added document {doc_id!r}; added: {', '.join(added_ids) or 'none'} "
                             "(`policyqa docs` lists every document)")
        keep = [e for e in entries if e is not target]
        with replace_dir(documents_dir) as staging:
            _stage_existing(documents_dir, staging, keep)
            added_docs.write_entries(staging, keep)
            new_store = store_of(config, staging)
            report = build_locked(config, progress=False, encoder=encoder, store=new_store)
    return RemoveReport(doc_id, str(target.get("title") or target.get("original_name") or ""), report,
                        time.perf_counter() - t0)
