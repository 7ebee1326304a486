"""Heading tree → Units. Sequence-aware: a marker only counts when it continues its numbering, so a
paragraph that happens to start with "2." inside a clause is not a new item.

Recognized (in any language of the corpus):
  sections  "I." … (Roman), "4." (Arabic, when it continues the section numbering), "二、", Markdown "#"
  clauses   "(1)", "(Seventeen)", "（十一）", "(十一)" — numbered continuously through the document
  items     "1." … restarting in each section (the 2017 report)
  parts     "First, …" … "Tenth, …" headings without a final period (the Qiushi article)
A document with none of these falls back to paragraph units and a warning.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from policyqa.corpus.types import Lang, Unit, UnitKind

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12}
_EN_NUM = {w: i for i, w in enumerate(
    "One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen Fifteen Sixteen "
    "Seventeen Eighteen Nineteen Twenty".split(), 1)}
_ORDINALS = {w: i for i, w in enumerate("First Second Third Fourth Fifth Sixth Seventh Eighth Ninth Tenth".split(), 1)}
_ZH_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_SECTION_RE = re.compile(r"^(?:(?P<roman>[IVX]{1,4})\.|(?P<arabic>\d{1,2})\.|(?P<zh>[一二三四五六七八九十]{1,3})、)\s*")
_CLAUSE_RE = re.compile(r"^[（(](?P<n>\d{1,2}|[A-Z][a-z]+|[一二三四五六七八九十]{1,3})[）)]\s*")
_PART_RE = re.compile(r"^(?P<w>First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth),\s")
_MD_RE = re.compile(r"^#{1,6}\s+\S")


def zh_numeral(s: str) -> int | None:
    """一 → 1, 十 → 10, 十五 → 15, 二十 → 20, 二十三 → 23."""
    if not s or any(c not in _ZH_DIGITS and c != "十" for c in s):
        return None
    if "十" not in s:
        return _ZH_DIGITS[s] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = 1 if tens == "" else _ZH_DIGITS.get(tens)
    o = 0 if ones == "" else _ZH_DIGITS.get(ones)
    return None if t is None or o is None else t * 10 + o


def _value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if token in _ROMAN:
        return _ROMAN[token]
    if token in _EN_NUM:
        return _EN_NUM[token]
    return zh_numeral(token)


@dataclass(frozen=True)
class Marker:
    kind: str  # section | arabic | clause | part | markdown
    value: int
    number: str  # as written


def _heading_like(text: str) -> bool:
    return len(text) <= 200 and not text.rstrip().endswith((".", "。", "!", "?", "；", ";", ":", "："))


def markers(text: str) -> list[Marker]:
    """Every reading a paragraph start allows; the parser picks the one that continues a sequence."""
    out: list[Marker] = []
    if m := _CLAUSE_RE.match(text):
        v = _value(m.group("n"))
        if v is not None:
            out.append(Marker("clause", v, m.group(0).strip()))
    if m := _SECTION_RE.match(text):
        number = m.group(0).strip()
        if m.group("arabic"):
            out.append(Marker("arabic", int(m.group("arabic")), number))
        else:
            v = _value(m.group("roman") or m.group("zh"))
            if v is not None:
                out.append(Marker("section", v, number))
    if (m := _PART_RE.match(text)) and _heading_like(text):
        out.append(Marker("part", _ORDINALS[m.group("w")], m.group(0).strip()))
    if _MD_RE.match(text):
        out.append(Marker("markdown", 0, ""))
    return out


@dataclass
class _Open:
    clause_id: str
    kind: UnitKind
    heading: tuple[str, ...]
    number: str
    start: int
    end: int


def parse_units(
    body: str,
    paragraphs: tuple[tuple[int, int], ...],
    *,
    doc_id: str,
    family: str,
    lang: Lang,
    lead_count: int = 0,
) -> tuple[list[Unit], list[str]]:
    """Units covering every paragraph of `body` exactly once, and warnings."""
    units: list[Unit] = []
    open_: _Open | None = None
    section = clause = item = part = 0
    section_heading: tuple[str, ...] = ()
    scope = "intro"  # id prefix for plain paragraphs: intro | lead | s3 | part2
    para_no: dict[str, int] = {}
    structured = False

    def close() -> None:
        nonlocal open_
        if open_ is not None:
            text = body[open_.start : open_.end]
            units.append(Unit(doc_id, open_.clause_id, lang, open_.kind, open_.heading, open_.number, text, open_.start, open_.end))
            open_ = None

    def paragraph(start: int, end: int, heading: tuple[str, ...]) -> None:
        para_no[scope] = para_no.get(scope, 0) + 1
        close_and_open(f"{family}/{scope}/p{para_no[scope]}", "paragraph", heading, "", start, end)

    def close_and_open(cid: str, kind: UnitKind, heading: tuple[str, ...], number: str, start: int, end: int) -> None:
        nonlocal open_
        close()
        open_ = _Open(cid, kind, heading, number, start, end)

    for idx, (start, end) in enumerate(paragraphs):
        text = body[start:end]
        if idx < lead_count:
            scope = "lead"
            if idx == 0 and _heading_like(text) and lead_count > 1:
                close_and_open(f"{family}/lead", "heading", (text,), "", start, end)
                section_heading = (text,)
            else:
                paragraph(start, end, section_heading)
            continue
        if idx == lead_count and scope == "lead":
            scope, section_heading = "intro", ()
        found = None
        for mk in markers(text):
            if mk.kind == "clause" and mk.value == clause + 1:
                found = mk
                break
            if mk.kind == "arabic" and section and mk.value == item + 1:
                found = Marker("item", mk.value, mk.number)
                break
            if mk.kind in ("section", "arabic") and mk.value == section + 1 and (mk.kind == "section" or _arabic_section_ok(text, item)):
                found = Marker("section", mk.value, mk.number)
                break
            if mk.kind == "part" and mk.value == part + 1:
                found = mk
                break
            if mk.kind == "markdown":
                found = Marker("section", section + 1, "")
                break
        if found is None:
            if open_ is not None and open_.kind in ("clause", "item"):
                open_.end = end  # continuation paragraph of a clause or item
            else:
                paragraph(start, end, section_heading)
            continue
        structured = True
        if found.kind == "section":
            section, item = found.value, 0
            scope, section_heading = f"s{section}", (text,)
            close_and_open(f"{family}/s{section}", "heading", (text,), found.number, start, end)
        elif found.kind == "part":
            part = found.value
            scope, section_heading = f"part{part}", (text,)
            close_and_open(f"{family}/part{part}", "heading", (text,), found.number, start, end)
        elif found.kind == "clause":
            clause = found.value
            close_and_open(f"{family}/c{clause}", "clause", section_heading, found.number, start, end)
        else:  # item
            item = found.value
            close_and_open(f"{family}/s{section}/i{item}", "item", section_heading, found.number, start, end)
    close()

    warnings: list[str] = []
    if not structured:
        units = [
            Unit(doc_id, f"{family}/p{i}", lang, "paragraph", (), "", u.text, u.start, u.end)
            for i, u in enumerate(units, 1)
        ]
        warnings.append(f"{doc_id}: no sections, clauses or numbered items recognized; split into {len(units)} paragraph units")
    return units, warnings


def _arabic_section_ok(text: str, item: int) -> bool:
    # "4. Strengthen green …" is a section when the current section has no "1."-style items
    # (its clauses are "(n)"), so it cannot be the next item.
    return item == 0
