"""Answers about the document itself (title, number, issuer, signatories, addressees, date, author,
source), quoted from the document's own fact lines (corpus.facts) with the highlight on the fact.

The manifest only helps find the line to quote (its date picks the dated part of a byline; its
issuer is looked up in the text); an answer is never the manifest's field alone.
"""
from __future__ import annotations

import re

from policyqa.corpus.types import Lang, Unit, preference
from policyqa.serve.cited import Cited, marker, version
from policyqa.serve.question import Facet

# Which fact lines answer which facet, best first.
SOURCES: dict[str, tuple[str, ...]] = {
    "title": ("title",), "number": ("number",), "date": ("date", "byline", "source"),
    "signatories": ("signature",), "issuer": ("signature",), "author": ("byline", "title"),
    "source": ("source", "byline"),
    "addressees": (),  # not a fact line: the salutation paragraph before the body (_addressees)
}
_SEGMENT = re.compile(r"[^|]+")
_ZH_ISSUER = re.compile(r"^(.{2,40}?)关于")  # "工业和信息化部等八部门关于…的指导意见"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
INTRO = {
    "signatories": {"en": "Signed by:", "zh-Hans": "落款单位：", "zh-Hant": "落款單位："},
    "issuer": {"en": "Issued by", "zh-Hans": "发文机关：", "zh-Hant": "發文機關："},
    "addressees": {"en": "Addressed to:", "zh-Hans": "主送：", "zh-Hant": "主送："},
}


def fact_unit(store, family: str, kind: str, qlang: Lang, lang: Lang | None = None) -> Unit | None:
    return version(store, f"{family}/meta/{kind}", qlang, lang)


def has_facet(store, family: str, facet: Facet) -> bool:
    if facet == "addressees":
        return _salutation(store, family) is not None
    kinds = SOURCES[facet] + (("title", "byline") if facet == "issuer" else ())
    return any(store.versions(f"{family}/meta/{kind}") for kind in kinds)


def facts_dict(store, family: str, qlang: Lang, lang: Lang | None = None) -> dict[str, str]:
    out = {}
    for kind in ("title", "number", "date", "byline"):
        u = fact_unit(store, family, kind, qlang, lang)
        if u is not None:
            out[kind] = u.text.strip("()（）") if kind == "date" else u.text
    return out


def _segments(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _SEGMENT.finditer(text):
        a, b = m.start(), m.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def _span(unit: Unit, facet: Facet, date: str) -> tuple[int, int] | None:
    """The part of a fact line that answers the facet, or None when the line does not."""
    text = unit.text
    if unit.kind == "byline":
        segs = _segments(text)
        want = {"author": r"author|作者", "source": r"source|来源|來源", "issuer": r"author|作者|ministry|部"}.get(facet)
        if facet == "date":
            hits = [s for s in segs if date and date in text[s[0]:s[1]]] or [s for s in segs if _ISO_DATE.search(text[s[0]:s[1]])]
        else:
            hits = [s for s in segs if re.search(want or ".", text[s[0]:s[1]], re.IGNORECASE)]
        return hits[0] if hits else None
    if unit.kind == "title" and facet in ("issuer", "author"):
        if m := _ZH_ISSUER.match(text):
            return m.start(1), m.end(1)
        head, sep, _ = text.partition(": ")
        return (0, len(head)) if sep else None
    if unit.kind == "date":
        if m := _ISO_DATE.search(text):  # "views: release time:2017-03-14": the date, not the furniture
            return m.start(), m.end()
        return (1, len(text) - 1) if text.startswith(("(", "（")) else (0, len(text))
    return 0, len(text)


def answer(store, family: str, facet: Facet, qlang: Lang, lang: Lang | None = None,
           cited: Cited | None = None) -> tuple[str, Cited] | None:
    """(answer text, citations and items), or None when the document has no line for the facet; the
    text is "" when every line it would quote is already in `cited`."""
    cited = cited or Cited(store)
    if facet == "addressees":
        first = _salutation(store, family)
        if first is None:
            return None
        unit = version(store, first.clause_id, qlang, lang) or first  # in the question's script where it exists
        end = len(unit.text.rstrip().rstrip(":："))
        intro = INTRO["addressees"].get(qlang, INTRO["addressees"]["en"]) + (" " if qlang == "en" else "")
        return marker(intro + unit.text[:end], cited.cite(unit, [(0, end)]), unit.lang), cited
    meta_date = next((store.doc(d).date for d in _doc_ids(store, family)), "")
    parts: list[str] = []
    said = False  # a line this facet would quote is already in the answer
    if facet == "issuer":
        # The issuer as the document names itself ("工业和信息化部等八部门"), then who signed.
        found = _issuer_in_text(store, family, qlang, lang)
        if found is not None:
            unit, span = found
            intro = INTRO["issuer"].get(qlang, INTRO["issuer"]["en"]) + (" " if qlang == "en" else "")
            parts.append(marker(intro + unit.text[span[0]:span[1]], cited.cite(unit, [span]), unit.lang))
    for kind in _expand(store, family, SOURCES[facet], facet):
        unit = fact_unit(store, family, kind, qlang, lang)
        if unit is None:
            continue
        if kind == "signature":
            names = _lines(unit.text)
            intro = INTRO["signatories"].get(qlang, INTRO["signatories"]["en"])
            for a, b in names:
                cited.item(unit.text[a:b], unit, [(a, b)])
            sep = "、" if qlang != "en" else "; "
            parts.append(marker(f"{intro if not parts else ''}{' ' if qlang == 'en' and not parts else ''}"
                                f"{sep.join(unit.text[a:b] for a, b in names)}", cited.cite(unit, names), unit.lang))
            break
        span = _span(unit, facet, meta_date)
        if span is None:
            continue
        if cited.quoted(unit, span):  # "when and where": the source line says both, once
            said = True
            continue
        n = cited.cite(unit, [span])
        text = unit.text[span[0]:span[1]]
        parts.append(marker(text, n, unit.lang))
        if facet not in ("date", "source"):
            break
    if not parts and said:
        return "", cited
    if not parts:
        issuer = _issuer_in_text(store, family, qlang, lang) if facet == "author" else None
        if issuer is None:
            return None
        unit, span = issuer
        parts.append(marker(unit.text[span[0]:span[1]], cited.cite(unit, [span]), unit.lang))
    joiner = " " if qlang == "en" or any(c.source.unit.lang == "en" for c in cited.citations) else ""
    return joiner.join(parts), cited


def _expand(store, family: str, kinds: tuple[str, ...], facet: Facet) -> list[str]:
    """Fact kinds to quote, with a date question's further date lines (date2: a web release date)."""
    out = []
    for kind in kinds:
        out.append(kind)
        if facet == "date" and kind == "date":
            n = 2
            while store.versions(f"{family}/meta/date{n}"):
                out.append(f"date{n}")
                n += 1
    return out


def _salutation(store, family: str) -> Unit | None:
    """The addressee list a document opens with ("各省、自治区、直辖市…有关中央企业："), in any version."""
    from policyqa.serve.outline import is_salutation

    docs = set(_doc_ids(store, family))
    return next((u for u in store.units if u.doc_id in docs and is_salutation(u)), None)


def _doc_ids(store, family: str) -> list[str]:
    return [d for d, m in store.docs.items() if m.family == family]


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            a = pos + len(line) - len(line.lstrip())
            out.append((a, a + len(line.strip())))
        pos += len(line) + 1
    return out


def _issuer_in_text(store, family: str, qlang: Lang, lang: Lang | None) -> tuple[Unit, tuple[int, int]] | None:
    """Where the document's own text names its issuer (the manifest says what to look for): its
    fact lines first, then its content, in the question's script first."""
    order = ((lang,) if lang else ()) + preference(qlang)
    docs = sorted(_doc_ids(store, family), key=lambda d: order.index(store.doc(d).lang) if store.doc(d).lang in order else 9)
    for doc_id in docs:
        issuer = store.doc(doc_id).issuer
        if not issuer:
            continue
        for u in store.facts + store.units:
            if u.doc_id == doc_id:
                i = u.text.lower().find(issuer.lower())
                if i >= 0:
                    return u, (i, i + len(issuer))
    return None
