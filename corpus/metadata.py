"""Document metadata found in the text itself: the document number (工信部联规〔2023〕258号, "MIIT Joint
Regulation [2023] No. 258") and the title block above it. The cleaning finds the date line and the
signatories; the file's own metadata (PDF info, DOCX core properties, HTML <title>) and a manifest
entry come on top (see `merge`). Pure functions; nothing here reads files.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from policyqa.corpus.cleaning import display_width, normalize_whitespace

_ZH_NUMBER = re.compile(r"^[\u4e00-\u9fff]{0,16}\s*[〔\[［(（]\s*(?P<year>(?:19|20)\d\d)\s*[〕\]］)）]\s*(?P<n>\d{1,5})\s*[号號]$")
_EN_NUMBER = re.compile(r"^(?:[A-Z][\w.&-]*\s+){0,8}[\[(]\s*(?P<year>(?:19|20)\d\d)\s*[\])]\s*No\.?\s*(?P<n>\d{1,5})$")
_TERMINAL = tuple(".。!！?？;；:：,，、")
HEAD_LINES = 40  # the title block and number sit at the top of a document


def number_key(number: str) -> tuple[int, int] | None:
    """(year, serial) of a document number in any language: 〔2023〕258号 and [2023] No. 258 → (2023, 258)."""
    s = normalize_whitespace(number)
    m = _ZH_NUMBER.match(s) or _EN_NUMBER.match(s)
    return (int(m.group("year")), int(m.group("n"))) if m else None


@dataclass(frozen=True)
class TextMeta:
    title: str = ""
    number: str = ""


def head_lines(text: str) -> list[str]:
    lines = [normalize_whitespace(l) for l in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return [l for l in lines if l][:HEAD_LINES]


def from_text(text: str, lang: str) -> TextMeta:
    """The number line near the top, and the title: the short unpunctuated lines right above it
    (a wrapped title spans two or three). Without a number line, no title is guessed here."""
    lines = head_lines(text)
    for i, line in enumerate(lines):
        if number_key(line) is None or display_width(line) > 80:
            continue
        number = line.replace(" ", "") if lang.startswith("zh") else line
        block: list[str] = []
        j = i - 1
        while j >= 0 and len(block) < 3 and display_width(lines[j]) <= 120 and not lines[j].endswith(_TERMINAL):
            block.insert(0, lines[j])
            j -= 1
        joiner = "" if lang.startswith("zh") else " "
        return TextMeta(title=joiner.join(block), number=number)
    return TextMeta()


def title_in_head(title: str, text: str) -> bool:
    """Whether a title from the file's metadata appears as a line near the top of the text (an HTML
    <title> is often "Title - Site name"; a PDF's may be the printing program's page title)."""
    key = _squash(title)
    if len(key) < 4:
        return False
    return any(_squash(l) and (_squash(l) == key or (len(_squash(l)) >= 6 and _squash(l) in key))
               for l in head_lines(text)[:12])


def _squash(s: str) -> str:
    return re.sub(r"[\s\"“”'‘’]+", "", s).lower()


def choose_title(manifest_title: str, text_meta: TextMeta, file_title: str, text: str) -> str:
    """Manifest > title block above the number > the file's title when it is a line of the text
    ("Microsoft Word - draft3" is not) > "" (the store then uses the first line)."""
    if manifest_title:
        return manifest_title
    if text_meta.title:
        return text_meta.title
    if file_title and title_in_head(file_title, text):
        return normalize_whitespace(file_title)
    return ""
