"""PDF text layer (pdfplumber): lines with their positions, running headers, footers and page numbers
removed, wrapped lines joined into paragraphs by layout.

A line starts a paragraph when the vertical gap above it is wider than the line pitch, when it is
indented (the first line of a Chinese paragraph), when the line before it stopped short although its
first word would have fit, or when it opens with a section or clause marker. The paragraphs go out
separated by blank lines, so the corpus cleaning sees one paragraph per block. A PDF without a text
layer (a scan) is an error: OCR is not supported.
"""
from __future__ import annotations

import io
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass

from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.formats import Extracted
from policyqa.corpus.limits import FileLimits
from policyqa.corpus.types import CJK

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—－]\s*\d{1,4}\s*[-–—－]"  # - 3 -
    r"|第\s*\d{1,4}\s*[页頁](?:\s*[,，/]?\s*共\s*\d{1,4}\s*[页頁])?"  # 第 3 页 (共 9 页)
    r"|(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?)$", re.IGNORECASE)  # 3 | 3/9 | Page 3 of 9
_MARKER = re.compile(r"^(?:[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3}|[A-Z][a-z]+)[）)]|[一二三四五六七八九十]{1,3}、"
                     r"|[IVX]{1,4}\.\s|#{1,6}\s)")
_CJK = re.compile(f"[{CJK}\u3000-\u303f\uff00-\uffef]")  # Han and CJK punctuation (not curly quotes)
# PDF fonts (Noto CJK as printed by Chromium, many Word exports) map some glyphs to the radical and
# compatibility blocks: "⼯" (KANGXI RADICAL WORK) for 工, "⻔" (C-SIMPLIFIED GATE) for 门. Kangxi radicals have
# NFKC forms; the supplement's simplified radicals do not, so they are listed.
_RADICALS = dict(zip(
    "⺗⺠⺧⺪⺮⺳⺷⺻⻄⻅⻆⻈⻉⻋⻐⻑⻓⻔⻖⻗⻘⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
    "心民牛疋竹网羊聿西见角讠贝车钅長长门阝雨青页风飞食飠饣马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟"))


def _unify(c: str) -> str:
    if c in _RADICALS:
        return _RADICALS[c]
    if "\u2f00" <= c <= "\u2fdf" or "\uf900" <= c <= "\ufaff":
        return unicodedata.normalize("NFKC", c)
    return c


def unify_radicals(text: str) -> str:
    """Radical and compatibility-ideograph code points a PDF font maps glyphs to (兩 as U+F978) →
    the unified ideographs they stand for."""
    if not any("\u2e80" <= c <= "\u2fdf" or "\uf900" <= c <= "\ufaff" for c in text):
        return text
    return "".join(_unify(c) for c in text)


ZONE_LINES = 3
_SUSPENDED = {"and", "or", "to", "nor"}  # "industry- and region-specific": the hyphen stands alone
_END = tuple(".。!！?？;；:：")  # lines at the top and the bottom of a page where running headers and footers sit


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def strip_running(pages: list[list[Line]]) -> tuple[list[list[Line]], list[str]]:
    """Remove page numbers and lines repeated at the same place on most pages (running headers and
    footers); returns the kept lines and the removed texts."""
    def zone(lines: list[Line]) -> list[Line]:
        return lines[:ZONE_LINES] + lines[-ZONE_LINES:] if len(lines) > 2 * ZONE_LINES else lines

    seen: Counter = Counter()
    for lines in pages:
        seen.update({(_key(l.text), round(l.top / 8)) for l in zone(lines)})
    repeated = {k for k, n in seen.items() if len(pages) >= 2 and n >= max(2, 0.5 * len(pages))}
    kept, removed = [], []
    for lines in pages:
        z = {id(l) for l in zone(lines)}
        ends = {id(lines[0]), id(lines[-1])} if lines else set()
        out = []
        for l in lines:
            if id(l) in z and ((_key(l.text), round(l.top / 8)) in repeated or (id(l) in ends and is_page_number(l.text))):
                removed.append(l.text)
            else:
                out.append(l)
        # A page number may sit just inside a repeated footer: check the new edges once more.
        while out and is_page_number(out[-1].text) and id(out[-1]) in z:
            removed.append(out.pop().text)
        while out and is_page_number(out[0].text) and id(out[0]) in z:
            removed.append(out.pop(0).text)
        kept.append(out)
    return kept, removed


def _join(a: str, b: str) -> str:
    if not a:
        return b
    # No space inside CJK text, nor after a line-end hyphen ("high-" + "risk"): the layout broke there.
    if _CJK.search(a[-1]) or _CJK.search(b[:1]):
        return a + b
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha() and b.split(" ", 1)[0] not in _SUSPENDED:
        return a + b
    return a + " " + b


def paragraphs(pages: list[list[Line]]) -> list[str]:
    """Body lines of every page → paragraphs (see the module docstring for the rules)."""
    lines = [l for page in pages for l in page]
    if not lines:
        return []
    heights = [l.bottom - l.top for l in lines if l.bottom > l.top]
    h = statistics.median(heights) if heights else 10.0
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and 0 < b.top - a.top < 3 * h]
    pitch = statistics.median(pitches) if pitches else 1.5 * h
    left = Counter(round(l.x0) for l in lines).most_common(1)[0][0]
    right = sorted(l.x1 for l in lines)[int(0.9 * (len(lines) - 1))]
    out: list[str] = []
    current = ""
    prev: Line | None = None
    mid = (left + right) / 2

    def centered(l: Line, indented: bool = True) -> bool:
        return (l.x0 > left + 0.8 * h or not indented) and abs((l.x0 + l.x1) / 2 - mid) < h

    for l in lines:
        new = prev is None
        if prev is not None:
            same_page = l.page == prev.page
            # Larger type (a title) has a wider pitch: scale what counts as a gap by the line's height.
            scale = max(1.0, (l.bottom - l.top) / h)
            gap = same_page and l.top - prev.top > 1.3 * pitch * scale
            if centered(l) and centered(prev, indented=False) and not gap and not prev.text.endswith(_END):
                new = False  # a centered title wrapped over two lines
            else:
                first_word = l.text.split(" ", 1)[0] if not _CJK.search(l.text[:1]) else l.text[:1]
                char_w = (l.x1 - l.x0) / max(len(l.text), 1)
                room = right - prev.x1
                new = (gap or l.x0 > left + 0.8 * h
                       or room > (len(first_word) + 1) * char_w + 0.5 * h
                       or bool(_MARKER.match(l.text)))
        if new and current:
            out.append(current)
            current = ""
        current = _join(current, l.text)
        prev = l
    if current:
        out.append(current)
    return out


def extract(data: bytes, name: str, limits: FileLimits) -> Extracted:
    import pdfplumber

    # A hostile or broken file can make pdfminer raise almost anything (pdfplumber wraps some of it in
    # PdfminerException): every failure is reported as a damaged PDF.
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        n = len(pdf.pages)
    except Exception as exc:
        if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            raise PolicyQAError(f"{name}: the PDF is password-protected; save an unprotected copy") from None
        raise PolicyQAError(f"{name}: is not a readable PDF (damaged or truncated: {_why(exc)}); "
                            "download or export it again") from None
    with pdf:
        if n == 0:
            raise PolicyQAError(f"{name}: the PDF has no pages (damaged or truncated); download or export it again")
        if n > limits.max_pdf_pages:
            raise PolicyQAError(f"{name}: has {n} pages, over the limit of {limits.max_pdf_pages}; split it")
        pages: list[list[Line]] = []
        try:
            for i, page in enumerate(pdf.pages):
                rows = page.extract_text_lines(strip=True, return_chars=False)
                lines = [Line(unify_radicals(r["text"]), r["x0"], r["x1"], r["top"], r["bottom"], i) for r in rows if r["text"].strip()]
                pages.append(sorted(lines, key=lambda l: (round(l.top), l.x0)))
                page.flush_cache()
        except Exception as exc:
            raise PolicyQAError(f"{name}: page {len(pages) + 1} cannot be read (damaged or truncated PDF: "
                                f"{_why(exc)}); download or export it again") from None
        info = pdf.metadata or {}
    if not any(pages):
        raise PolicyQAError(f"{name}: the PDF has no text layer (scanned pages or images only); OCR is not "
                            "supported: use a PDF with selectable text, or run OCR on it first")
    body, removed = strip_running(pages)
    meta = {k: _meta_str(info.get(src)) for k, src in (("title", "Title"), ("author", "Author"), ("subject", "Subject"))}
    text = "\n\n".join(paragraphs(body))
    return Extracted(text=text, kind="pdf", meta={k: v for k, v in meta.items() if v}, pages=n,
                     warnings=tuple(f"removed running header/footer: {t}" for t in dict.fromkeys(removed)))


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc)[:100]}" if str(exc) else type(exc).__name__


def _meta_str(value: object) -> str:
    if isinstance(value, bytes):
        for enc in ("utf-16", "utf-8", "latin-1"):
            try:
                return value.decode(enc).strip()
            except UnicodeDecodeError:
                continue
    return str(value).strip() if isinstance(value, str) else ""
