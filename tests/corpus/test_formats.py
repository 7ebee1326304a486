"""PDF, DOCX and HTML files made by real tools from the bundled texts give the same clause store as the
bundled .txt: for each format and language, the Guiding Opinions' six sections and eighteen clauses
with the same ids, numbers as written, and the new file joins the family of the other versions."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policyqa.corpus.added import prepare, signature
from policyqa.corpus.config import BUNDLED_CORPUS, Config
from policyqa.corpus.formats import extract_file, sniff
from policyqa.corpus.formats.pdf import Line, is_page_number, strip_running, unify_radicals
from policyqa.corpus.limits import FileLimits
from policyqa.corpus.metadata import from_text, number_key
from policyqa.corpus.store import store_of
from tests.corpus.docmaker import GUIDING, doc_from_store

FAMILY = "guiding-opinions-2023"
CASES = [(d, kind) for kind in ("pdf", "docx", "html") for d in GUIDING]


def corpus_without(tmp_path: Path, doc_id: str) -> Config:
    """A corpus folder holding the bundled Guiding Opinions versions other than `doc_id`."""
    entries = json.loads((BUNDLED_CORPUS / "manifest.json").read_text(encoding="utf-8"))["documents"]
    keep = [e for e in entries if e["family"] == FAMILY and e["doc_id"] != doc_id]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for e in keep:
        shutil.copy(BUNDLED_CORPUS / e["file"], corpus / e["file"])
    (corpus / "manifest.json").write_text(json.dumps({"documents": keep}), encoding="utf-8")
    return Config(corpus_dir=corpus, data_dir=tmp_path / "var", cache_dir=tmp_path / "cache")


def rows(units) -> list[tuple]:
    return [(u.clause_id, u.kind, u.number, u.heading, u.text) for u in units]


@pytest.mark.parametrize("doc_id,kind", CASES, ids=[f"{k}-{d.removeprefix('guiding-opinions-')}" for d, k in CASES])
def test_file_gives_the_bundled_clause_store_and_joins_its_family(tmp_path, store, made_docs, doc_id, kind):
    path = made_docs[(doc_id, kind)]
    assert sniff(path.read_bytes(), path.name) == kind
    config = corpus_without(tmp_path, doc_id)
    [p] = prepare([path], store=store_of(config), limits=FileLimits(), overrides={})
    # Joined by a confident match (document number and numbering), with no manifest saying so.
    assert p.entry["family"] == FAMILY and p.joined
    expected = [u for u in store.units if u.doc_id == doc_id]
    assert rows(p.parsed.units) == rows(expected)
    assert signature(p.parsed.units) == (6, 18, 0)
    numbers = [u.number for u in p.parsed.units if u.kind == "clause"]
    assert numbers == [u.number for u in expected if u.kind == "clause"]  # as written: (1) / （一） / (一)
    meta, ref = p.parsed.meta, store.docs[doc_id]
    assert (meta.lang, meta.title, meta.number, meta.date, meta.signatories) == (
        ref.lang, ref.title, ref.number, ref.date, ref.signatories)
    assert meta.kind == kind
    # Aligned across languages: each clause exists in the file's language and the corpus' other two.
    others = store_of(config)
    for n in range(1, 19):
        langs = {u.lang for u in others.versions(f"{FAMILY}/c{n}")} | {p.parsed.meta.lang}
        assert langs == {"en", "zh-Hans", "zh-Hant"}


def test_pdf_running_headers_and_page_numbers_are_removed(made_docs):
    ex = extract_file(made_docs[("guiding-opinions-zh-hans", "pdf")])
    assert ex.pages >= 3
    assert "第 1 页" not in ex.text and "第 2 页" not in ex.text
    title = "工业和信息化部等八部门关于加快传统制造业转型升级的指导意见"
    assert ex.text.count(title) == 1  # the title block, not the header of every page
    assert "\u2f2f" not in ex.text and "工信部联规〔2023〕258号" in ex.text  # no KANGXI RADICAL WORK for 工
    en = extract_file(made_docs[("guiding-opinions-en", "pdf")])
    assert "- 2 -" not in en.text and en.meta["title"].startswith("Guiding Opinions")


def test_html_drops_navigation_and_footer(made_docs):
    ex = extract_file(made_docs[("guiding-opinions-zh-hans", "html")])
    for debris in ("首页", "网站地图", "版权所有", "关于公布2024年工业互联网试点示范项目名单的通知", "tracking"):
        assert debris not in ex.text
    assert ex.meta["title"].startswith("工业和信息化部等八部门")


# ------------------------------------------------------------------ pure pieces


@pytest.mark.parametrize("text", ["- 3 -", "— 12 —", "第 3 页", "第3页", "第 3 页 共 9 页", "3 / 9", "Page 3 of 9", "7"])
def test_page_numbers(text):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["(3)", "3.5%", "（三）", "2023年12月28日", "- 3 - items", "第三章"])
def test_not_page_numbers(text):
    assert not is_page_number(text)


def _page(i: int, body: list[str], header: str = "Running Title", footer: str = "- {n} -") -> list[Line]:
    lines = [Line(header, 200, 400, 30, 40, i)]
    lines += [Line(t, 72, 520, 100 + 20 * k, 112 + 20 * k, i) for k, t in enumerate(body)]
    return lines + [Line(footer.format(n=i + 1), 290, 310, 800, 810, i)]


def test_strip_running_keeps_the_title_where_it_is_not_a_header():
    pages = [_page(0, ["Running Title", "Body one.", "b", "c", "d"]), _page(1, ["Body two.", "e", "f", "g"]),
             _page(2, ["Body three.", "h", "i", "j"])]
    kept, removed = strip_running(pages)
    texts = [[l.text for l in p] for p in kept]
    assert texts[0][0] == "Running Title"  # the title on page 1 sits lower than the running header
    assert all("Running Title" not in t[1:] for t in texts) and all(not t[-1].startswith("- ") for t in texts)
    assert removed.count("Running Title") == 3 and "- 2 -" in removed


def test_single_page_keeps_lines_but_drops_its_page_number():
    kept, removed = strip_running([_page(0, ["Only page.", "x", "y", "z"], footer="第 {n} 页")])
    assert [l.text for l in kept[0]][:2] == ["Running Title", "Only page."] and removed == ["第 1 页"]


def test_unify_radicals():
    assert unify_radicals("⼯业和信息化部⻔⻅\uf978") == "工业和信息化部门见兩"
    assert unify_radicals("plain 中文") == "plain 中文"


def test_number_key_across_languages():
    assert number_key("工信部联规〔2023〕258号") == number_key("MIIT Joint Regulation [2023] No. 258") == (2023, 258)
    assert number_key("工信部聯規〔2023〕258號") == (2023, 258)
    assert number_key("258号") is None and number_key("In 2023 we made 258 cars") is None


def test_title_block_above_the_number():
    text = "工业和信息化部等八部门关于加快传统\n制造业转型升级的指导意见\n\n工信部联规〔2023〕258号\n\n各省：\n\n正文。"
    meta = from_text(text, "zh-Hans")
    assert meta.number == "工信部联规〔2023〕258号"
    assert meta.title == "工业和信息化部等八部门关于加快传统制造业转型升级的指导意见"
    assert from_text("No number here.\n\nJust text.", "en").title == ""


def test_docx_automatic_numbering_is_kept(tmp_path, store):
    """Word's own list numbering (numbering.xml, not typed text): rendered as written."""
    import docx
    from docx.oxml import parse_xml

    doc = doc_from_store(store, "guiding-opinions-zh-hans")
    d = docx.Document()
    numbering = d.part.numbering_part.element
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for aid, text in ((90, "%1、"), (91, "（%1）")):
        numbering.insert(0, parse_xml(
            f'<w:abstractNum {ns} w:abstractNumId="{aid}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            f'<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'))
        numbering.append(parse_xml(f'<w:num {ns} w:numId="{aid}"><w:abstractNumId w:val="{aid}"/></w:num>'))
    d.add_paragraph(doc.title)
    d.add_paragraph(doc.number)
    import re

    for text in doc.body:
        m = re.match(r"^(?:[一二三四五六]、|（[一二三四五六七八九十]+）)", text)
        p = d.add_paragraph(text[m.end():] if m else text)
        if m:
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {ns}><w:ilvl w:val="0"/><w:numId w:val="{90 if m.group().endswith("、") else 91}"/></w:numPr>'))
    for s in doc.signatories + [doc.date_line]:
        d.add_paragraph(s)
    path = tmp_path / "numbered.docx"
    d.save(str(path))
    ex = extract_file(path)
    assert "（十八）扩大人才供给。" in ex.text and "六、加大政策支持力度" in ex.text
    config = corpus_without(tmp_path, "guiding-opinions-zh-hans")
    [p] = prepare([path], store=store_of(config), limits=FileLimits(), overrides={})
    assert rows(p.parsed.units) == rows([u for u in store.units if u.doc_id == "guiding-opinions-zh-hans"])


def test_manifest_overrides_what_is_found(tmp_path, store, made_docs):
    path = made_docs[("guiding-opinions-en", "html")]
    config = corpus_without(tmp_path, "guiding-opinions-en")
    over = {path.name: {"file": path.name, "doc_id": "go-web", "family": "my-family", "title": "Guiding Opinions (web)",
                        "issuer": "MIIT"}}
    [p] = prepare([path], store=store_of(config), limits=FileLimits(), overrides=over)
    assert (p.entry["doc_id"], p.entry["family"], p.parsed.meta.title, p.parsed.meta.issuer) == (
        "go-web", "my-family", "Guiding Opinions (web)", "MIIT")
    assert not p.joined and all(u.clause_id.startswith("my-family/") for u in p.parsed.units)


def test_a_corpus_folder_may_hold_pdf_docx_html(tmp_path, store, made_docs):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc_id, kind in (("guiding-opinions-zh-hans", "pdf"), ("guiding-opinions-en", "docx"), ("guiding-opinions-zh-hant", "html")):
        shutil.copy(made_docs[(doc_id, kind)], corpus / f"{doc_id}.{kind}")
    config = Config(corpus_dir=corpus, data_dir=tmp_path / "var", cache_dir=tmp_path / "cache")
    first = store_of(config)
    assert {d: m.kind for d, m in first.docs.items()} == {
        "guiding-opinions-zh-hans": "pdf", "guiding-opinions-en": "docx", "guiding-opinions-zh-hant": "html"}
    assert len(list(config.extract_cache_dir.glob("*.json"))) == 3  # extracted once, by content hash
    again = store_of(config)
    assert again.units == first.units and again.corpus_hash == first.corpus_hash
    for d in first.docs:  # each file on its own (no manifest, so each is its own family)
        assert [u.text for u in first.units if u.doc_id == d] == [u.text for u in store.units if u.doc_id == d]
