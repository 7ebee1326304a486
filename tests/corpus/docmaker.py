"""Real test documents made from the bundled texts with real tools: a PDF printed by Debian's chromium
(headless, through playwright, page headers, footers and page numbers on), a .docx written by
python-docx, a web page with navigation and footer debris. Each holds one Guiding Opinions version
laid out as the ministry publishes it: (lead,) title, document number, body, signatories, date."""
from __future__ import annotations

import html
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = os.environ.get("POLICYQA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class Doc:
    lang: str
    lead: list[str]
    title: str
    number: str
    body: list[str]
    signatories: list[str]
    date_line: str


def doc_from_store(store, doc_id: str) -> Doc:
    """The document as published, rebuilt from the bundled clause store (metadata + cleaned body)."""
    meta = store.docs[doc_id]
    body = store.bodies[doc_id]
    paras = body.split("\n\n")
    lead_end = max((u.end for u in store.units if u.doc_id == doc_id and "/lead" in u.clause_id), default=-1)
    offsets, pos = [], 0
    for p in paras:
        offsets.append(pos)
        pos += len(p) + 2
    lead = [p for p, o in zip(paras, offsets) if o < lead_end]
    rest = paras[len(lead):]
    y, m, d = meta.date.split("-")
    if meta.lang == "en":
        months = "January February March April May June July August September October November December".split()
        date_line = f"{months[int(m) - 1]} {int(d)}, {y}"
    else:
        date_line = f"{y}年{int(m)}月{int(d)}日"
    return Doc(meta.lang, lead, meta.title, meta.number, rest, list(meta.signatories), date_line)


def _css(lang: str) -> str:
    if lang == "en":
        return ("body{font-family:'Noto Serif','DejaVu Serif',serif;font-size:13px;line-height:1.5}"
                "p{margin:0 0 .7em 0}h1{font-size:20px;text-align:center}.c{text-align:center}.r{text-align:right;margin:0}")
    return ("body{font-family:'Noto Serif CJK SC','Noto Serif CJK TC',serif;font-size:15px;line-height:1.7}"
            "p{margin:0;text-indent:2em;text-align:justify}h1{font-size:21px;text-align:center;font-weight:normal}"
            ".c{text-align:center;text-indent:0}.r{text-align:right;text-indent:0}")


def article_html(doc: Doc) -> str:
    e = html.escape
    parts = [f"<p>{e(p)}</p>" for p in doc.lead]
    parts.append(f"<h1>{e(doc.title)}</h1>")
    parts.append(f'<p class="c">{e(doc.number)}</p>')
    parts += [f"<p>{e(p)}</p>" for p in doc.body]
    parts += [f'<p class="r">{e(s)}</p>' for s in doc.signatories]
    parts.append(f'<p class="r">{e(doc.date_line)}</p>')
    return "\n".join(parts)


def print_html(doc: Doc) -> str:
    lang = {"en": "en", "zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}[doc.lang]
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(doc.title)}</title>'
            f"<style>{_css(doc.lang)}</style></head><body>{article_html(doc)}</body></html>")


def write_pdf(doc: Doc, path: Path, browser, *, page_label: str | None = None, extra_css: str = "") -> Path:
    """Print with chromium: running header (the title) and a page-number footer on every page."""
    label = page_label or ("- {n} -" if doc.lang == "en" else "第 {n} 页")
    footer = html.escape(label).replace("{n}", '<span class="pageNumber"></span>')
    page = browser.new_page()
    try:
        page.set_content(print_html(doc).replace("</style>", extra_css + "</style>"), wait_until="load")
        page.pdf(path=str(path), format="A4", display_header_footer=True, print_background=False,
                 header_template=f'<div style="font-size:9px;width:100%;text-align:center;font-family:serif">{html.escape(doc.title)}</div>',
                 footer_template=f'<div style="font-size:9px;width:100%;text-align:center;font-family:serif">{footer}</div>',
                 margin={"top": "2.2cm", "bottom": "2.2cm", "left": "2.4cm", "right": "2.4cm"})
    finally:
        page.close()
    return path


def write_docx(doc: Doc, path: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    d.core_properties.title = doc.title
    d.core_properties.author = "policyqa tests"
    for p in doc.lead:
        d.add_paragraph(p)
    d.add_heading(doc.title, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph(doc.number).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for p in doc.body:
        d.add_paragraph(p)
    for s in doc.signatories + [doc.date_line]:
        d.add_paragraph(s).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(str(path))
    return path


NAV = {"en": ["Home", "About MIIT", "Policies", "News", "Services", "Contact us"],
       "zh-Hans": ["首页", "机构设置", "政策文件", "新闻发布", "政务服务", "互动交流"]}
FOOTER = {"en": "Copyright © Ministry of Industry and Information Technology. All rights reserved. Site map | Privacy",
          "zh-Hans": "版权所有：中华人民共和国工业和信息化部 ｜ 网站地图 ｜ 联系我们 ｜ 京ICP备04000001号"}
RELATED = {"en": ["Notice on the 2024 industrial internet pilot projects", "MIIT holds press conference on SMEs",
                  "Guidelines for the digital transformation of the steel industry"],
           "zh-Hans": ["关于公布2024年工业互联网试点示范项目名单的通知", "工业和信息化部召开中小企业工作新闻发布会",
                       "钢铁行业数字化转型指南"]}


def web_page(doc: Doc, *, only_nav: bool = False) -> str:
    """A ministry web page: header navigation, breadcrumbs, the article, a related-links box, a footer."""
    e = html.escape
    key = "en" if doc.lang == "en" else "zh-Hans"
    nav = "".join(f'<li><a href="/{i}">{e(t)}</a></li>' for i, t in enumerate(NAV[key]))
    related = "".join(f'<li><a href="/news/{i}">{e(t)}</a></li>' for i, t in enumerate(RELATED[key]))
    article = "" if only_nav else f"<article><div class=\"content\">{article_html(doc)}</div></article>"
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(doc.title)} - MIIT</title>'
            f'<meta name="description" content="{e(doc.title)}"><script>var x = "tracking";</script></head><body>'
            f'<header><div class="logo"><a href="/">MIIT</a></div><nav><ul>{nav}</ul></nav>'
            f'<div class="breadcrumb"><a href="/">{e(NAV[key][0])}</a> &gt; <a href="/p">{e(NAV[key][2])}</a></div></header>'
            f'<main>{article}<aside><h3>{"Related" if key == "en" else "相关文章"}</h3><ul>{related}</ul></aside></main>'
            f'<footer><p>{e(FOOTER[key])}</p><ul>{nav}</ul></footer></body></html>')


GUIDING = ("guiding-opinions-en", "guiding-opinions-zh-hans", "guiding-opinions-zh-hant")


def make_all(out: Path, store) -> dict[tuple[str, str], Path]:
    from playwright.sync_api import sync_playwright

    made: dict[tuple[str, str], Path] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            for d in GUIDING:
                doc = doc_from_store(store, d)
                made[(d, "pdf")] = write_pdf(doc, out / f"{d}.pdf", browser)
                made[(d, "docx")] = write_docx(doc, out / f"{d}.docx")
                made[(d, "html")] = out / f"{d}.html"
                made[(d, "html")].write_text(web_page(doc), encoding="utf-8")
            # A scan: one page holding only an image (no text layer).
            page = browser.new_page()
            page.set_content('<html><body><img src="data:image/png;base64,' + _PNG + '" width="600" height="800"></body></html>')
            page.pdf(path=str(out / "scan.pdf"), format="A4")
            page.close()
            made[("scan", "pdf")] = out / "scan.pdf"
        finally:
            browser.close()
    return made


def png(width: int = 200, height: int = 260) -> bytes:
    """A grey striped PNG written by hand (zlib + CRCs): what a scanner leaves in a PDF, pixels and no text."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((200 if (y // 6) % 2 else 90) for _ in range(width)) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


_PNG = __import__("base64").b64encode(png()).decode()
