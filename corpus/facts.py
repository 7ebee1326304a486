"""Document facts: the title block, number line, byline, date line, signature block and source
attribution of a document, as units of their own kinds.

Cleaning takes these lines out of the body (they are not clauses and must not answer content
questions or be retrieved as such) and records each with its reason. Here they become Units, so
an answer about the date or the signatories cites the real line with the highlight on it.

Ids are per family and shared by the language versions, like clause ids:
    <family>/meta/title  /meta/number  /meta/byline  /meta/date  /meta/signature  /meta/source
A second distinct line of one kind gets a numbered id (<family>/meta/byline2).
A fact's start/end point into the document's *matter*: its fact texts joined by blank lines in
FACT_KINDS order (ClauseStore.matter rebuilds it), since the lines stand outside the body.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from policyqa.corpus.types import FACT_KINDS, FactKind, Lang, Unit

# Cleaning's reasons → fact kinds. Reasons not listed (web debris, photo captions, link lists)
# are residue, not facts.
_REASON_KIND: dict[str, FactKind] = {
    "title": "title", "document number": "number", "issuer": "byline", "byline": "byline",
    "date": "date", "signatory": "signature", "attribution": "source",
}
# A "byline" reason also covers page furniture such as "views: release time:…"; only a line that
# names an author, an issuer or a source is a byline a reader would cite.
_REAL_BYLINE = re.compile(r"Author|Source|作者|来源|來源", re.IGNORECASE)
_RELEASE = re.compile(r"release time\s*:\s*\d{4}-\d{2}-\d{2}|发布时间\s*[:：]\s*\d{4}-\d{2}-\d{2}", re.IGNORECASE)
_SEPARATOR = "\n\n"


def fact_lines(removed: Sequence[tuple[str, str]], lang: Lang) -> list[tuple[FactKind, str]]:
    """(kind, text) for each fact in a document's removed lines, in FACT_KINDS order.

    Consecutive title lines are one title wrapped by the layout (joined without a space in Chinese);
    a repeated identical line is kept once; the signatories are one block, one name a line.
    """
    grouped: dict[FactKind, list[str]] = {k: [] for k in FACT_KINDS}
    released: list[str] = []
    previous = ""
    for reason, text in removed:
        kind = _REASON_KIND.get(reason)
        text = text.strip()
        if kind is None or not text:
            previous = ""
            continue
        if reason == "byline" and not _REAL_BYLINE.search(text):
            previous = ""
            if _RELEASE.search(text):  # "views: release time:2017-03-14": the web release date
                released.append(text)
            continue
        lines = grouped[kind]
        if kind == "title" and previous == "title" and lines and text not in lines:
            lines[-1] = lines[-1] + ("" if lang.startswith("zh") else " ") + text
        elif text not in lines:
            lines.append(text)
        previous = reason
    # The document's own date line stays first (/meta/date); a web release date follows it.
    grouped["date"] += [t for t in released if t not in grouped["date"]]
    out: list[tuple[FactKind, str]] = []
    for kind in FACT_KINDS:
        lines = grouped[kind]
        if kind == "signature":
            if lines:
                out.append((kind, "\n".join(lines)))
        else:
            out += [(kind, line) for line in lines]
    return out


def fact_units(removed: Sequence[tuple[str, str]], *, doc_id: str, family: str, lang: Lang) -> list[Unit]:
    units: list[Unit] = []
    seen: dict[str, int] = {}
    pos = 0
    for kind, text in fact_lines(removed, lang):
        seen[kind] = seen.get(kind, 0) + 1
        suffix = "" if seen[kind] == 1 else str(seen[kind])
        units.append(Unit(doc_id, f"{family}/meta/{kind}{suffix}", lang, kind, (), "", text, pos, pos + len(text)))
        pos += len(text) + len(_SEPARATOR)
    return units


def matter(facts: Sequence[Unit]) -> str:
    """The text a document's fact offsets point into."""
    return _SEPARATOR.join(u.text for u in facts)
