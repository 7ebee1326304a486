"""The clause store: every unit of every document, written atomically to config.store_dir.

Files: units.jsonl (one content unit a line), facts.jsonl (document facts: title, number, byline,
date, signature and source lines, see corpus.facts), docs.json (metadata, cleaned bodies, removed
lines, warnings), manifest.json (format_version, corpus_hash, counts). `units` holds the content
(what is indexed and retrieved); `facts` stays apart so it never competes with clauses. A crash while writing leaves the previous store.
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from policyqa.corpus import atomic, metadata
from policyqa.corpus.cleaning import CLEANING_VERSION, clean_document
from policyqa.corpus.config import Config
from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.limits import FileLimits
from policyqa.corpus.facts import fact_units, matter
from policyqa.corpus.manifest import MANIFEST, load_manifest, read_manifest, write_manifest
from policyqa.corpus.sources import MANIFEST as CORPUS_MANIFEST
from policyqa.corpus.sources import DocumentFile, detect_lang, discover
from policyqa.corpus.structure import parse_units
from policyqa.corpus.types import DocMeta, Unit

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
_FIX = "run `policyqa ingest` (or `policyqa build --force`) to rebuild it"


@dataclass(frozen=True)
class ClauseStore:
    docs: dict[str, DocMeta]
    units: tuple[Unit, ...]
    corpus_hash: str
    bodies: dict[str, str] = field(default_factory=dict)  # doc_id -> cleaned body (unit offsets)
    removed: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # doc_id -> (reason, line)
    warnings: tuple[str, ...] = ()
    facts: tuple[Unit, ...] = ()  # document facts (corpus.facts), not content

    def __post_init__(self) -> None:
        every = self.units + self.facts
        object.__setattr__(self, "_by_key", {(u.clause_id, u.lang): u for u in every})
        versions: dict[str, list[Unit]] = {}
        for u in every:
            versions.setdefault(u.clause_id, []).append(u)
        object.__setattr__(self, "_versions", {k: tuple(v) for k, v in versions.items()})

    def get(self, clause_id: str, lang: str) -> Unit | None:
        return self._by_key.get((clause_id, lang))  # type: ignore[attr-defined]

    def versions(self, clause_id: str) -> tuple[Unit, ...]:
        """The same clause in every language it exists in, in document order."""
        return self._versions.get(clause_id, ())  # type: ignore[attr-defined]

    def doc(self, doc_id: str) -> DocMeta | None:
        return self.docs.get(doc_id)

    def facts_of(self, doc_id: str) -> tuple[Unit, ...]:
        return tuple(u for u in self.facts if u.doc_id == doc_id)

    def matter(self, doc_id: str) -> str:
        """The text a document fact's start/end point into."""
        return matter(self.facts_of(doc_id))

    def summary(self) -> dict:
        per_doc = Counter(u.doc_id for u in self.units)
        return {
            "corpus_hash": self.corpus_hash,
            "documents": len(self.docs),
            "units": len(self.units),
            "per_doc": {d: {"lang": m.lang, "units": per_doc[d], "kinds": dict(Counter(u.kind for u in self.units if u.doc_id == d))}
                        for d, m in self.docs.items()},
            "per_kind": dict(Counter(u.kind for u in self.units)),
            "per_lang": dict(Counter(u.lang for u in self.units)),
            "facts": dict(Counter(u.kind for u in self.facts)),
            "removed_lines": {d: len(r) for d, r in self.removed.items()},
            "warnings": list(self.warnings),
        }

    def describe(self) -> list[str]:
        s = self.summary()
        lines = [f"clause store: {s['documents']} documents, {s['units']} units ({_fmt(s['per_kind'])}); corpus {self.corpus_hash[:12]}"]
        for d, info in s["per_doc"].items():
            meta = self.docs[d]
            lines.append(f"  {d} [{info['lang']}] {info['units']} units ({_fmt(info['kinds'])}), "
                         f"{s['removed_lines'].get(d, 0)} lines removed: {meta.title_en or meta.title}")
        lines += [f"warning: {w}" for w in self.warnings]
        return lines

    @staticmethod
    def unit_dict(unit: Unit) -> dict:
        return {"doc_id": unit.doc_id, "clause_id": unit.clause_id, "lang": unit.lang, "kind": unit.kind,
                "heading": list(unit.heading), "number": unit.number, "text": unit.text,
                "start": unit.start, "end": unit.end}


def _fmt(counts: dict) -> str:
    return ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))


def corpus_hash(sources: list[DocumentFile], root: Path, documents_dir: Path | None = None) -> str:
    """Hash of the raw files, the manifests and the cleaning and extraction code versions."""
    from policyqa.corpus.formats import EXTRACTOR_VERSION

    h = hashlib.sha256(f"policyqa-store/{FORMAT_VERSION}/cleaning/{CLEANING_VERSION}/extract/{EXTRACTOR_VERSION}\n".encode())
    for folder in (root, documents_dir):
        manifest = folder / CORPUS_MANIFEST if folder is not None else None
        if manifest is not None and manifest.is_file():
            h.update(b"manifest\0" + manifest.read_bytes())
    for s in sorted(sources, key=lambda s: s.rel):
        h.update(f"{s.rel}\0{s.doc_id}\0".encode() + hashlib.sha256(s.path.read_bytes()).digest())
    return h.hexdigest()


def all_sources(root: Path, documents_dir: Path | None = None) -> list[DocumentFile]:
    """The corpus folder's documents, then the ones a user added (rel "documents/<file>")."""
    sources = discover(root)
    if documents_dir is not None:
        sources += discover(documents_dir, rel_prefix=f"{DOCUMENTS_PREFIX}/", allow_empty=True)
    return sources


DOCUMENTS_PREFIX = "documents"


@dataclass(frozen=True)
class Parsed:
    """One document through extraction, metadata, cleaning and the structure parser."""
    meta: DocMeta
    units: list[Unit]
    body: str
    removed: tuple[tuple[str, str], ...]
    warnings: list[str]
    found_title: str = ""  # the title the text or file gave (before falling back to the first line)
    facts: tuple[Unit, ...] = ()  # title block, number line, byline, date line, signatures (corpus.facts)


def parse_source(src: DocumentFile, *, limits: FileLimits | None = None, cache_dir: Path | None = None,
                 name: str | None = None, extracted=None) -> Parsed:
    """Extract (by content type), find metadata, clean and structure one document."""
    from policyqa.corpus.formats import extract_file

    name = name or str(src.path)
    ex = extracted or extract_file(src.path, limits, name=name, cache_dir=cache_dir)
    raw = ex.text
    if not raw.strip():
        raise PolicyQAError(f"{name}: the file is empty; add the document's text or remove the file")
    lang = src.lang or detect_lang(raw)
    text_meta = metadata.from_text(raw, lang) if not (src.title and src.number) else metadata.TextMeta()
    title = metadata.choose_title(src.title, text_meta, ex.meta.get("title", ""), raw)
    number = src.number or text_meta.number
    cleaned = clean_document(raw, lang, title=title, number=number)
    if not cleaned.body.strip():
        raise PolicyQAError(f"{name}: nothing is left after cleaning (only web debris or metadata); check the file")
    units, warnings = parse_units(cleaned.body, cleaned.paragraphs, doc_id=src.doc_id, family=src.family,
                                  lang=lang, lead_count=cleaned.lead_count)
    meta = DocMeta(
        doc_id=src.doc_id, family=src.family, lang=lang,
        title=title or _first_line(cleaned.body), title_en=src.title_en,
        issuer=src.issuer, number=number, date=src.date or cleaned.date,
        source=src.source, file=src.rel, signatories=cleaned.signatories, kind=ex.kind, added_at=src.added_at,
        aliases=src.aliases,
    )
    facts = fact_units(cleaned.removed, doc_id=src.doc_id, family=src.family, lang=lang)
    return Parsed(meta, units, cleaned.body, cleaned.removed, warnings, title, tuple(facts))


def build_store(root: Path, documents_dir: Path | None = None, *, limits: FileLimits | None = None,
                cache_dir: Path | None = None) -> ClauseStore:
    """Read, clean and structure every document of a corpus folder and of the added documents (no writing)."""
    sources = all_sources(root, documents_dir)
    docs: dict[str, DocMeta] = {}
    bodies: dict[str, str] = {}
    removed: dict[str, tuple[tuple[str, str], ...]] = {}
    units: list[Unit] = []
    facts: list[Unit] = []
    warnings: list[str] = []
    for src in sources:
        if src.doc_id in docs:
            raise PolicyQAError(f"{src.path}: doc_id {src.doc_id!r} is also used by a corpus file; "
                                "remove the added document (`policyqa remove`) or rename the corpus file")
        parsed = parse_source(src, limits=limits, cache_dir=cache_dir)
        for w in parsed.warnings:
            log.warning(w)
        warnings += parsed.warnings
        docs[src.doc_id] = parsed.meta
        bodies[src.doc_id] = parsed.body
        removed[src.doc_id] = parsed.removed
        units += parsed.units
        facts += parsed.facts
    check_versions(units + facts)
    return ClauseStore(docs, tuple(units), corpus_hash(sources, root, documents_dir), bodies, removed, tuple(warnings),
                       tuple(facts))


def check_versions(units: list[Unit]) -> None:
    """One document per (family, language): two would claim the same clause ids."""
    seen: dict[tuple[str, str], str] = {}
    for u in units:
        other = seen.setdefault((u.clause_id, u.lang), u.doc_id)
        if other != u.doc_id:
            raise PolicyQAError(f"{other} and {u.doc_id} are both {u.lang} versions of family {u.clause_id.split('/')[0]!r}; "
                                "give one of them its own family in manifest.json")


def _first_line(body: str) -> str:
    return body.split("\n", 1)[0][:120]


# ------------------------------------------------------------------ persistence


def _write(store: ClauseStore, target: Path) -> None:
    try:
        _write_files(store, target)
    except OSError as exc:  # data dir is a file, read-only, full disk: say where and what to check
        raise PolicyQAError(f"cannot write the clause store to {target} ({exc.strerror or exc}); "
                            "check that the data directory (--data-dir, POLICYQA_DATA_DIR) is a writable folder") from None


def _write_files(store: ClauseStore, target: Path) -> None:
    atomic.sweep_stale(target.parent, target.name)
    with atomic.replace_dir(target) as tmp:
        for name, rows in (("units.jsonl", store.units), ("facts.jsonl", store.facts)):
            with open(tmp / name, "w", encoding="utf-8") as fh:
                for u in rows:
                    fh.write(json.dumps(ClauseStore.unit_dict(u), ensure_ascii=False) + "\n")
        docs = {d: {"meta": asdict(m), "body": store.bodies.get(d, ""), "removed": [list(r) for r in store.removed.get(d, ())]}
                for d, m in store.docs.items()}
        (tmp / "docs.json").write_text(json.dumps(docs, ensure_ascii=False, indent=1), encoding="utf-8")
        write_manifest(tmp, FORMAT_VERSION, {"corpus_hash": store.corpus_hash, "units": len(store.units),
                                             "facts": len(store.facts),
                                             "documents": len(store.docs), "warnings": list(store.warnings)})


def store_of(config: Config, documents_dir: Path | None = None) -> ClauseStore:
    """The clause store of config's corpus folder plus its added documents (built, not written)."""
    return build_store(Path(config.corpus_dir), documents_dir or config.documents_dir, limits=config.limits,
                       cache_dir=config.extract_cache_dir)


def write_store(config: Config, store: ClauseStore) -> None:
    _write(store, Path(config.store_dir))


def ingest(config: Config) -> ClauseStore:
    """Build the clause store from config.corpus_dir and the added documents, and write it to
    config.store_dir atomically."""
    store = store_of(config)
    _write(store, Path(config.store_dir))
    return store


def load_store(config: Config) -> ClauseStore:
    """The store as written by `ingest`; a clear PolicyQAError when missing, damaged or outdated."""
    root = Path(config.store_dir)
    manifest = read_manifest(root, FORMAT_VERSION, what="clause store", fix=_FIX)
    try:
        raw_docs = json.loads((root / "docs.json").read_text(encoding="utf-8"))
        docs, bodies, removed = {}, {}, {}
        for d, entry in raw_docs.items():
            meta = dict(entry["meta"])
            meta["signatories"] = tuple(meta.get("signatories", ()))
            meta["aliases"] = tuple(meta.get("aliases", ()))
            docs[d] = DocMeta(**meta)
            bodies[d] = entry["body"]
            removed[d] = tuple((r[0], r[1]) for r in entry["removed"])
        units, facts = _read_units(root / "units.jsonl"), _read_units(root / "facts.jsonl")
        for what, rows in (("units", units), ("facts", facts)):
            if len(rows) != manifest.get(what):
                raise PolicyQAError(f"the clause store in {root} is incomplete ({len(rows)} of {manifest.get(what)} {what}); {_FIX}")
        # Built inside the try: a damaged field (a list where a string belongs) fails here, not later.
        return ClauseStore(docs, tuple(units), str(manifest["corpus_hash"]), bodies, removed,
                           tuple(str(w) for w in manifest.get("warnings", ())), tuple(facts))
    except PolicyQAError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:  # AttributeError: JSON of the wrong shape
        raise PolicyQAError(f"the clause store in {root} is damaged ({type(exc).__name__}: {exc}); {_FIX}") from None


def _read_units(path: Path) -> list[Unit]:
    units = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            units.append(Unit(o["doc_id"], o["clause_id"], o["lang"], o["kind"], tuple(o["heading"]),
                              o["number"], o["text"], o["start"], o["end"]))
    return units


def is_current(config: Config) -> bool:
    """Whether the written store was built from the corpus as it is now."""
    manifest = load_manifest(Path(config.store_dir))
    if manifest is None:
        return False
    root, added = Path(config.corpus_dir), config.documents_dir
    return (manifest.get("format_version") == FORMAT_VERSION
            and manifest.get("corpus_hash") == corpus_hash(all_sources(root, added), root, added))


def load_or_ingest(config: Config) -> ClauseStore:
    """The written store when it matches the corpus, else a fresh ingest."""
    if is_current(config):
        try:
            return load_store(config)
        except PolicyQAError as exc:
            log.warning("%s; ingesting again", exc)
    elif (Path(config.store_dir) / MANIFEST).is_file():
        # Not current: the corpus changed (silent, expected), or the store is damaged or from another
        # format version, which the user should hear about.
        try:
            load_store(config)
        except PolicyQAError as exc:
            log.warning("%s; ingesting again", exc)
    return ingest(config)
