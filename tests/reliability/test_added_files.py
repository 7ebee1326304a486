"""Untrusted files through the real `add_documents`: a scan without text, a truncated PDF, DOCX zip
bombs, renamed binaries, a 0-byte file, a page of navigation only, files over the size, page, count
and time limits, hostile names. Each is a clear error naming the file, and the documents folder, the
clause store and the index stay byte for byte as they were (nothing half-added). A good add in the
same call as a bad one adds nothing."""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from policyqa.corpus.config import BUNDLED_CORPUS, Config
from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.limits import FileLimits
from policyqa.corpus.store import load_store
from policyqa.index.documents import add_documents, list_documents

pytestmark = pytest.mark.slow


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory, encoder):
    """A built index over a one-document corpus (the 2017 report), with the session's model."""
    from policyqa.index.build import build

    tmp = tmp_path_factory.mktemp("added")
    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copy(BUNDLED_CORPUS / "002_b9e9ab654130a510.txt", corpus / "cm2025.txt")
    config = Config(corpus_dir=corpus, data_dir=tmp / "var", cache_dir=Path("~/.cache/policyqa").expanduser())
    build(config, encoder=encoder, progress=False)
    return config


def _docx_with(made: Path, extra: dict[str, bytes] | None = None, entries: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, src.read(item))
        for name, data in (extra or {}).items():
            out.writestr(name, data)
        for i in range(entries):
            out.writestr(f"customXml/extra{i}.xml", b"<a/>")
    return buf.getvalue()


@pytest.fixture(scope="module")
def bad(made_docs) -> dict[str, tuple[str, bytes, str]]:
    """case -> (file name, bytes, what the message must say)."""
    pdf = made_docs[("guiding-opinions-en", "pdf")].read_bytes()
    docx_path = made_docs[("guiding-opinions-en", "docx")]
    from tests.corpus.docmaker import png

    html = made_docs[("guiding-opinions-en", "html")].read_text(encoding="utf-8")
    nav_only = html.split("<main>")[0] + "<main></main></body></html>"
    return {
        "scan": ("scan.pdf", made_docs[("scan", "pdf")].read_bytes(), "no text layer.*OCR is not supported"),
        "truncated-pdf": ("notice.pdf", pdf[: len(pdf) // 2], "not a readable PDF.*truncated"),
        "docx-ratio-bomb": ("bomb.docx", _docx_with(docx_path, {"word/media/fill.bin": bytes(60_000_000)}), "zip bomb"),
        "docx-entry-bomb": ("many.docx", _docx_with(docx_path, entries=2500), "parts, over the limit.*zip bomb"),
        "png-named-pdf": ("photo.pdf", png(), "is a PNG image, not a document"),
        "elf-named-docx": ("tool.docx", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 40, "is a Linux executable"),
        "zero-bytes": ("empty.pdf", b"", "the file is empty"),
        "nav-only-html": ("menu.html", nav_only.encode(), "no main text found"),
        "xlsx": ("sheet.docx", _xlsx(), "is an Excel workbook, not a Word .docx"),
    }


def _xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


CASES = ["scan", "truncated-pdf", "docx-ratio-bomb", "docx-entry-bomb", "png-named-pdf", "elf-named-docx",
         "zero-bytes", "nav-only-html", "xlsx"]


@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_a_clear_error_and_nothing_changes(tmp_path, small, made_docs, bad, case):
    name, data, message = bad[case]
    path = tmp_path / name
    path.write_bytes(data)
    good = made_docs[("guiding-opinions-zh-hans", "docx")]  # a good file in the same call is not added either
    before = snapshot(small.data_dir)
    with pytest.raises(PolicyQAError, match=message) as err:
        add_documents(small, [good, path])
    assert str(err.value).startswith(name + ":")  # names the file (its name, not a temp path)
    assert "Traceback" not in str(err.value)
    assert snapshot(small.data_dir) == before
    assert [d.doc_id for d in list_documents(small)] == ["cm2025"]


LIMITS = [
    ("per-file size", FileLimits(max_file_bytes=20_000), "limit per file"),
    ("per-add size", FileLimits(max_add_bytes=60_000), "limit per add"),
    ("file count", FileLimits(max_files=1), "over the limit of 1"),
    ("pdf pages", FileLimits(max_pdf_pages=2), "pages, over the limit of 2"),
    ("time", FileLimits(extract_seconds=0.05), "took longer than"),
]


@pytest.mark.parametrize("label,limits,message", LIMITS, ids=[l for l, _, _ in LIMITS])
def test_limits(small, made_docs, label, limits, message):
    files = [made_docs[("guiding-opinions-en", "pdf")], made_docs[("guiding-opinions-zh-hans", "html")]]
    before = snapshot(small.data_dir)
    with pytest.raises(PolicyQAError, match=message):
        add_documents(replace(small, limits=limits), files)
    assert snapshot(small.data_dir) == before


def test_a_file_already_added_or_given_twice(tmp_path, small, made_docs):
    f = made_docs[("guiding-opinions-en", "html")]
    copy = tmp_path / "copy.html"
    copy.write_bytes(f.read_bytes())
    with pytest.raises(PolicyQAError, match="same file as"):
        add_documents(small, [f, copy])


def test_hostile_names_stay_inside_and_the_add_round_trips(tmp_path, small, made_docs, encoder):
    """Add under hostile names (one of them joins a family), list, search, remove: all inside the data dir."""
    from policyqa.index.documents import remove_document
    from policyqa.index.search import load_searcher

    weird = {"\u202eevil..html": made_docs[("guiding-opinions-en", "html")],
             "../名 字 (1).docx": made_docs[("guiding-opinions-zh-hans", "docx")]}
    paths = []
    for name, src in weird.items():
        target = tmp_path / "in" / name.replace("../", "")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, target)
        paths.append(target)
    before_units = load_store(small).units
    inputs_before = snapshot(tmp_path)
    report = add_documents(small, paths, encoder=encoder)
    added = {a.doc_id: a for a in report.added}
    assert len(added) == 2 and report.build.embedded > 0
    for doc_id in added:
        assert "/" not in doc_id and ".." not in doc_id and not doc_id.startswith(".") and "\u202e" not in doc_id
    # The Chinese file joined the English one's family: same clause ids, two languages.
    en, zh = sorted(added.values(), key=lambda a: a.lang)
    assert zh.family == en.family and zh.joined == en.doc_id and zh.units == 29 and en.units == 32
    docs_dir = small.documents_dir
    stored = sorted(p.name for p in docs_dir.iterdir())
    assert stored == sorted([f"{en.doc_id}.html", f"{zh.doc_id}.docx", "manifest.json"])
    entries = json.loads((docs_dir / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert {e["kind"] for e in entries} == {"html", "docx"} and all(e["added_at"] for e in entries)
    infos = {d.doc_id: d for d in list_documents(small)}
    assert infos[zh.doc_id].kind == "docx" and infos[zh.doc_id].origin == "added" and infos["cm2025"].origin == "corpus"
    searcher = load_searcher(small, encoder=encoder)
    hit = searcher.search("（十一）强化重点行业本质安全", top_k=1, doc=zh.doc_id).hits[0]
    assert hit.chunk.clause_id == f"{zh.family}/c11"
    assert {u.lang for u in searcher.store.versions(f"{zh.family}/c11")} == {"en", "zh-Hans"}
    assert snapshot(tmp_path) == inputs_before  # the user's files are copied, never moved or changed
    # Remove both: the store is the corpus alone again.
    for doc_id in added:
        remove_document(small, doc_id, encoder=encoder)
    assert load_store(small).units == before_units
    assert json.loads((docs_dir / "manifest.json").read_text(encoding="utf-8"))["documents"] == []
