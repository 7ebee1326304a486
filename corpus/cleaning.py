"""Cleaning rules, one pure function each, and `clean_document` that applies them in order.

Display text stays faithful: rules only remove residue that is not part of the document
(pinyin ruby, web debris, photo captions, PDF wraps, stray spaces) or insert a missing space.
Characters are never re-mapped: the over-converted traditional characters of the zh-Hant page
(全麵, 體係, 同誌) are kept as written; search folds scripts with OpenCC, which maps them back.
Metadata (title line, document number, byline, date, signatories, attribution) leaves the body
and is returned separately; every removed line is recorded with its reason, nothing vanishes silently.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from policyqa.corpus.types import CJK

# Bump when a rule changes: part of the store's corpus hash, so a stale store is rebuilt.
CLEANING_VERSION = "4"

CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201d"
_CJK_RE = re.compile(f"[{CJK}]")

# ------------------------------------------------------------------ in-line rules (one line or paragraph)

# Pinyin in ASCII lowercase (tone letters and ü allowed) right after a CJK character, plus one
# following space. Real parentheses hold CJK, digits or are preceded by a non-CJK char: "(一)" at
# a line start, "(係統)", "(套)", "(試行)", "(2024-2025年)" do not match.
_PINYIN_RE = re.compile(f"(?<=[{CJK}])\\((?:[a-zü\u0101\u00e1\u01ce\u00e0\u0113\u00e9\u011b\u00e8\u012b\u00ed\u01d0\u00ec\u014d\u00f3\u01d2\u00f2\u016b\u00fa\u01d4\u00f9\u01d6\u01d8\u01da\u01dc]{{1,6}}[1-5]?)\\) ?")


def remove_pinyin_ruby(text: str) -> str:
    """"業(ye) 和" → "業和"; real parenthesised text survives."""
    return _PINYIN_RE.sub("", text)


_SPACE_AFTER_CJK = re.compile(f"(?<=[{CJK}{CJK_PUNCT}])[ \t\u00a0\u3000]+(?=[{CJK}{CJK_PUNCT}0-9])")
_SPACE_BEFORE_CJK = re.compile(f"(?<=[0-9%{CJK_PUNCT}])[ \t\u00a0\u3000]+(?=[{CJK}{CJK_PUNCT}])")


def fix_cjk_spaces(text: str) -> str:
    """Drop spaces the PDF put between CJK characters and numbers: "2023年 12月 28日" → "2023年12月28日".

    Spaces between Latin words ("5G network") and between CJK and Latin letters are kept.
    """
    return _SPACE_BEFORE_CJK.sub("", _SPACE_AFTER_CJK.sub("", text))


def normalize_whitespace(line: str) -> str:
    """Strip the line (including the PDF's leading space before "（七）") and collapse runs of
    spaces, tabs and no-break spaces to one space."""
    return re.sub(r"[ \t\u00a0\u2002\u2003\u3000]+", " ", line).strip()


_MARKER_GLUE = re.compile(r"^((?:\d{1,2}|[IVX]{1,4})\.)(?=[A-Z])")


def fix_marker_space(text: str) -> str:
    """"3.Implementation" → "3. Implementation" (a list marker glued to its first word)."""
    return _MARKER_GLUE.sub(r"\1 ", text)


_SENTENCE_GLUE = re.compile(r"(?<=[a-z]{2})([.;:])(?=[A-Z][a-z])")
_COMMA_GLUE = re.compile(r"(?<=[A-Za-z]{2})([,;])(?=[A-Za-z]{2})")


def fix_punct_glue(text: str) -> str:
    """"undertaken.Collaboration" → "undertaken. Collaboration", "Nation,relevant" → "Nation, relevant".

    Needs two lowercase letters before the period so abbreviations ("U.S.", "e.g.") are left alone;
    domain names ("en.qstheory.cn") have a lowercase letter after the dot and are left alone.
    """
    return _COMMA_GLUE.sub(r"\1 ", _SENTENCE_GLUE.sub(r"\1 ", text))


_YEAR_GLUE = re.compile(r"(?<=[a-z])(?=(?:19|20)\d\d\b)")


def fix_year_glue(text: str) -> str:
    """"Manufacturing2025" → "Manufacturing 2025" (a lowercase word glued to a year)."""
    return _YEAR_GLUE.sub(" ", text)


_CAMEL_GLUE = re.compile(r"\b([A-Z][a-z]{2,})([A-Z][a-z]{2,})\b")


def fix_camel_glue_in_heading(text: str) -> str:
    """"II. MainDifficulties and Problems" → "II. Main Difficulties and Problems".

    Only applied to heading-like lines (short, no final period) where two capitalised words
    are glued; in running text such tokens may be names (PetroChina) and are left alone.
    """
    if len(text) > 120 or text.rstrip().endswith((".", "。")):
        return text
    return _CAMEL_GLUE.sub(r"\1 \2", text)


# ------------------------------------------------------------------ line classification

_DEBRIS_EXACT = {"related downloads", "related news", "undefined", "share", "print", "close", "打印", "关闭", "關閉", "分享"}
_DEBRIS_RE = re.compile(r"^(views:.*release time:.*|.*\|\s*Author:.*\|\s*Source:.*)$", re.IGNORECASE)
_CAPTION_RE = re.compile(r"PHOTO BY |\bPHOTO: |\(Xinhua/|新华社记者.{1,8}摄|新華社記者.{1,8}攝")
_LINK_LIST_HEAD = {"最新政策", "相关新闻", "相關新聞", "相关文章", "相關文章", "latest policies"}


def is_debris_line(line: str) -> bool:
    """Web page furniture: "Related Downloads", "undefined", "views: release time: …", bylines."""
    s = line.strip()
    return s.lower() in _DEBRIS_EXACT or bool(_DEBRIS_RE.match(s))


def is_photo_caption(line: str) -> bool:
    """A photo caption carries the agency credit ("PHOTO BY XINHUA REPORTER LI BO")."""
    return bool(_CAPTION_RE.search(line))


def trailing_link_list_start(paragraphs: list[str]) -> int | None:
    """Index where a trailing "最新政策" list of unrelated links starts, or None."""
    for i in range(len(paragraphs) - 1, -1, -1):
        if paragraphs[i].strip().lower() in _LINK_LIST_HEAD and all(
            p.lstrip().startswith(("-", "*", "•", "·")) for p in paragraphs[i + 1 :]
        ):
            return i
    return None


_DATE_RES = (
    re.compile(r"^\(?(January|February|March|April|May|June|July|August|September|October|November|December) (\d{1,2}), (\d{4})\)?$"),
    re.compile(r"^[（(]?(\d{4})年(\d{1,2})月(\d{1,2})日[）)]?$"),
)
_MONTHS = {m: i for i, m in enumerate("January February March April May June July August September October November December".split(), 1)}


def parse_date_line(line: str) -> str | None:
    """ISO date if the whole line is a date ("December 28, 2023", "2023年12月28日", "(March 11, 2017)")."""
    s = line.strip()
    m = _DATE_RES[0].match(s)
    if m:
        return f"{int(m.group(3)):04d}-{_MONTHS[m.group(1)]:02d}-{int(m.group(2)):02d}"
    m = _DATE_RES[1].match(s)
    if m:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return None


_TERMINAL = tuple(".。!！?？;；:：")


def signature_block(paragraphs: list[str]) -> tuple[int, list[str], str] | None:
    """A trailing block of short name lines ended by a date line: (start index, names, ISO date)."""
    if not paragraphs:
        return None
    date = parse_date_line(paragraphs[-1])
    if date is None:
        return None
    i = len(paragraphs) - 1
    while i > 0 and len(paragraphs[i - 1]) <= 60 and not paragraphs[i - 1].rstrip().endswith(_TERMINAL):
        i -= 1
    return i, paragraphs[i:-1], date


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


# ------------------------------------------------------------------ paragraphing

_ZH_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


def is_hard_wrapped(lines: list[str]) -> bool:
    """PDF text: most lines share one (wide) display width because the layout wrapped them."""
    widths = [display_width(l) for l in lines if l]
    if len(widths) < 8:
        return False
    mode, _ = Counter(widths).most_common(1)[0]
    near = sum(1 for w in widths if abs(w - mode) <= 2)
    return mode >= 40 and near >= 0.4 * len(widths)


def join_wrapped_lines(lines: list[str], joiner: str = "") -> list[str]:
    """Rejoin PDF hard wraps into paragraphs.

    A line was wrapped by the layout when it is (nearly) full width; a line that stops short, or
    ends in 。：；！？ before reaching the full width, ends its paragraph; a section or clause
    marker ("二、", "（七）") always starts one. Blank lines carry no meaning in such text.
    """
    lines = [l for l in lines if l]
    widths = [display_width(l) for l in lines]
    full = Counter(widths).most_common(1)[0][0] if widths else 0
    paragraphs: list[str] = []
    current: list[str] = []
    for line, width in zip(lines, widths):
        if current and _ZH_START.match(line):
            paragraphs.append(joiner.join(current))
            current = []
        current.append(line)
        ends = line.endswith(tuple("。：；！？:;!?"))
        if width < 0.8 * full or (ends and width < full):
            paragraphs.append(joiner.join(current))
            current = []
    if current:
        paragraphs.append(joiner.join(current))
    return paragraphs


def split_paragraphs(text: str, lang: str) -> list[str]:
    """Paragraphs of a plain-text document, whitespace-normalized, empty ones dropped.

    Lines separated by blank lines are blocks. Without blank lines, or when the lines inside blocks
    are complete (end in sentence punctuation, or are short like names and headings), each line
    is a paragraph (web text); otherwise (Markdown-style wrapped text) a block's lines are joined.
    Hard-wrapped Chinese PDF text is rejoined by layout.
    """
    lines = [normalize_whitespace(l) for l in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    zh = lang.startswith("zh")
    if zh and is_hard_wrapped(lines):
        return [p for p in join_wrapped_lines(lines) if p]
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    inner = [l for b in blocks for l in b[:-1]]  # lines followed by another line of their block
    complete = sum(1 for l in inner if l.endswith(_TERMINAL) or display_width(l) < 30)
    if len(blocks) <= 1 or (inner and complete >= 0.8 * len(inner)):
        return [l for b in blocks for l in b]
    return [("" if zh else " ").join(b) for b in blocks]


# ------------------------------------------------------------------ the document


@dataclass(frozen=True)
class Cleaned:
    body: str  # paragraphs joined by "\n\n"; unit offsets point into it
    paragraphs: tuple[tuple[int, int], ...]  # (start, end) of each paragraph in body
    lead_count: int  # paragraphs before the document's own title (a news lead)
    date: str = ""
    signatories: tuple[str, ...] = ()
    removed: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (reason, text)


def _squash(s: str) -> str:
    return re.sub(r"[\s\"“”'‘’]+", "", s).lower()


def clean_document(raw: str, lang: str, title: str = "", number: str = "") -> Cleaned:
    """Apply every rule in order and split the document into body paragraphs and metadata."""
    text = raw.lstrip("\ufeff")
    if lang.startswith("zh"):
        text = remove_pinyin_ruby(text)
    paragraphs = split_paragraphs(text, lang)
    removed: list[tuple[str, str]] = []

    cut = trailing_link_list_start(paragraphs)
    if cut is not None:
        removed += [("link list", p) for p in paragraphs[cut:]]
        paragraphs = paragraphs[:cut]
    kept = []
    for p in paragraphs:
        if is_debris_line(p):
            removed.append(("byline" if "|" in p or "release time" in p.lower() else "web debris", p))
        elif is_photo_caption(p):
            removed.append(("photo caption", p))
        else:
            kept.append(p)
    paragraphs = kept

    if lang.startswith("zh"):
        paragraphs = [fix_cjk_spaces(p) for p in paragraphs]
    else:
        # Glued lowercase words ("onmajor", "achievednoted") are left as written: without a
        # dictionary they cannot be told from real compounds ("wastewater", "matchmaking").
        paragraphs = [fix_camel_glue_in_heading(fix_year_glue(fix_punct_glue(fix_marker_space(p)))) for p in paragraphs]

    # Trailing attribution such as "(Originally appeared in Qiushi Journal, …)".
    if paragraphs and re.match(r"^[（(](Originally|Source|来源|來源)", paragraphs[-1]):
        removed.append(("attribution", paragraphs.pop()))

    date, signatories = "", ()
    sig = signature_block(paragraphs)
    if sig is not None:
        start, names, date = sig
        removed += [("signatory", n) for n in names] + [("date", paragraphs[-1])]
        signatories = tuple(names)
        paragraphs = paragraphs[:start]

    # Title and document number lines (the title may repeat, or be wrapped over two lines).
    lead_count = 0
    title_key, number_key = _squash(title), _squash(number)
    meta_idx = []
    for i, p in enumerate(paragraphs[:12]):
        key = _squash(p)
        if number_key and key == number_key:
            meta_idx.append((i, "document number"))
        elif title_key and len(key) >= 6 and len(p) < 250 and not p.endswith(_TERMINAL) and (key in title_key or title_key in key):
            meta_idx.append((i, "title"))
        elif parse_date_line(p) and (not meta_idx or i - meta_idx[-1][0] <= 2):
            meta_idx.append((i, "date"))
            date = date or parse_date_line(p) or ""
        elif meta_idx and i - meta_idx[-1][0] == 1 and len(p) <= 80 and not p.endswith(_TERMINAL) and not _ZH_START.match(p) and _looks_like_issuer(p):
            meta_idx.append((i, "issuer"))
    if meta_idx:
        # Paragraphs before the document's own title or number are a news lead.
        lead_count = next((i for i, reason in meta_idx if reason in ("title", "document number")), 0)
        drop = {i for i, _ in meta_idx}
        removed += [(reason, paragraphs[i]) for i, reason in meta_idx]
        paragraphs = [p for i, p in enumerate(paragraphs) if i not in drop]

    offsets, pos = [], 0
    for p in paragraphs:
        offsets.append((pos, pos + len(p)))
        pos += len(p) + 2
    return Cleaned("\n\n".join(paragraphs), tuple(offsets), lead_count, date, signatories, tuple(removed))


def _looks_like_issuer(p: str) -> bool:
    return bool(re.search(r"Ministry|Commission|Council|Department|Office|部|委员会|委員會|办公厅|辦公廳", p))
