"""Word .docx (python-docx): body paragraphs and table cells in document order, with Word's automatic
list numbering rendered as written ("（一）", "1.", "IV.") from numbering.xml, since python-docx
returns paragraph text without it. The zip is checked against bomb limits before it is opened.
"""
from __future__ import annotations

import io
import zipfile

from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.formats import Extracted
from policyqa.corpus.limits import FileLimits, human_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ZH = "〇一二三四五六七八九"


def check_zip(data: bytes, name: str, limits: FileLimits) -> None:
    """Entry count, total uncompressed size and per-entry compression ratio (zip bombs). zipfile
    never inflates an entry past its declared size, so the declared sizes bound the real work."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise PolicyQAError(f"{name}: the .docx is damaged or truncated ({exc}); save it again from Word") from None
    if len(infos) > limits.max_zip_entries:
        raise PolicyQAError(f"{name}: the .docx holds {len(infos)} parts, over the limit of {limits.max_zip_entries} "
                            "(a zip bomb?); save it again from Word")
    total = sum(i.file_size for i in infos)
    if total > limits.max_zip_uncompressed_bytes:
        raise PolicyQAError(f"{name}: the .docx unpacks to {human_bytes(total)}, over the limit of "
                            f"{human_bytes(limits.max_zip_uncompressed_bytes)} (a zip bomb?); remove large images or split it")
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > limits.max_zip_ratio * max(i.compress_size, 1):
            raise PolicyQAError(f"{name}: part {i.filename!r} of the .docx is compressed {i.file_size // max(i.compress_size, 1)}:1, "
                                f"over the limit of {limits.max_zip_ratio}:1 (a zip bomb?); save it again from Word")


def format_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        out, k = "", n
        for v, s in vals:
            while k >= v:
                out, k = out + s, k - v
        return out if fmt == "upperRoman" else out.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        s = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting",
               "chineseLegalSimplified", "ideographDigital"):
        if n < 10:
            return _ZH[n]
        if n < 100:
            tens, ones = divmod(n, 10)
            return ("" if tens == 1 else _ZH[tens]) + "十" + (_ZH[ones] if ones else "")
        return str(n)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Numbering:
    """Counters of Word's automatic numbering, advanced paragraph by paragraph."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, lvlText, start)
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for a in root.iter(f"{W}abstractNum"):
            lv = {}
            for l in a.iter(f"{W}lvl"):
                fmt = l.find(f"{W}numFmt")
                text = l.find(f"{W}lvlText")
                start = l.find(f"{W}start")
                lv[int(l.get(f"{W}ilvl", "0"))] = (fmt.get(f"{W}val") if fmt is not None else "decimal",
                                                   text.get(f"{W}val") if text is not None else "",
                                                   int(start.get(f"{W}val")) if start is not None else 1)
            abstract[a.get(f"{W}abstractNumId")] = lv
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.abstract_of[num.get(f"{W}numId")] = ref.get(f"{W}val")
                self.levels[num.get(f"{W}numId")] = abstract.get(ref.get(f"{W}val"), {})

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        key = self.abstract_of.get(num_id, num_id)
        counters = self.counters.setdefault(key, {})
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if fmt in ("bullet", "none"):
            return ""
        out = text
        for lvl in range(ilvl, -1, -1):
            if lvl in levels:
                value = counters.get(lvl, levels[lvl][2])
                out = out.replace(f"%{lvl + 1}", format_number(value, levels[lvl][0]))
        return out


def _num_pr(paragraph) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph, or from its style (list styles carry their numbering)."""
    for holder in (paragraph._p.pPr, getattr(getattr(paragraph.style, "element", None), "pPr", None)):
        if holder is None:
            continue
        num = holder.find(f"{W}numPr")
        if num is not None:
            nid, lvl = num.find(f"{W}numId"), num.find(f"{W}ilvl")
            if nid is not None and nid.get(f"{W}val") != "0":
                return nid.get(f"{W}val"), int(lvl.get(f"{W}val")) if lvl is not None else 0
    return None


def extract(data: bytes, name: str, limits: FileLimits) -> Extracted:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_zip(data, name, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds (KeyError, ValueError, lxml errors) for a bad package
        raise PolicyQAError(f"{name}: the .docx cannot be opened ({type(exc).__name__}: {str(exc)[:120]}); "
                            "save it again from Word") from None
    numbering = Numbering(document)
    blocks: list[str] = []

    def paragraph_text(p: Paragraph) -> str:
        text = p.text.strip()
        if not text:
            return ""
        num = _num_pr(p)
        label = numbering.label(*num) if num else ""
        return f"{label}{'' if not label or label[-1] in '、）)' else ' '}{text}" if label else text

    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            text = paragraph_text(Paragraph(child, document))
            if text:
                blocks.append(text)
        elif child.tag == f"{W}tbl":
            for row in Table(child, document).rows:
                cells = [c.text.strip() for c in row.cells]
                line = " | ".join(dict.fromkeys(c for c in cells if c))
                if line:
                    blocks.append(line)
    text = "\n\n".join(blocks)
    if not text.strip():
        raise PolicyQAError(f"{name}: the .docx holds no text (only images or empty paragraphs); "
                            "OCR is not supported")
    props = document.core_properties
    meta = {"title": props.title or "", "author": props.author or "", "subject": props.subject or ""}
    return Extracted(text=text, kind="docx", meta={k: v.strip() for k, v in meta.items() if v and v.strip()})
