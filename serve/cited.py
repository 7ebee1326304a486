"""Building blocks shared by the answer kinds: the version of a unit to show, spans worth quoting,
and a Cited collector that numbers citations and keeps the answer's items in order.

Every statement of a structured answer is a span of a real unit (a heading, a clause's title
sentence, a fact line), so each item carries a citation with the highlight on that span.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from policyqa.corpus.sentences import split_sentences
from policyqa.corpus.types import Lang, Unit, preference
from policyqa.serve.records import Citation, Item, Quote, Source


def version(store, clause_id: str, qlang: Lang, lang: Lang | None = None) -> Unit | None:
    """The unit in the asked language (`lang`, e.g. the chosen document's), else the question's
    script, else another version."""
    versions = store.versions(clause_id)
    order = ((lang,) if lang else ()) + preference(qlang)
    return next((u for want in order for u in versions if u.lang == want), None)


def source_of(store, unit: Unit, rank: int = 0, score: float = 0.0) -> Source:
    parallel = tuple((u, store.doc(u.doc_id)) for u in store.versions(unit.clause_id) if u.lang != unit.lang)
    return Source(unit, store.doc(unit.doc_id), parallel, rank, score)


def title_span(unit: Unit) -> tuple[int, int]:
    """The clause's number and title sentence ("（十五）加强组织领导"), a heading's whole text, a
    paragraph's first sentence: what a list item quotes."""
    if unit.kind in ("heading", "title", "number", "byline", "date", "signature", "source"):
        return 0, len(unit.text)
    spans = split_sentences(unit.text, skip_prefix=unit.number)
    if not spans:
        return 0, len(unit.text)
    end = spans[0].end
    return (0 if unit.kind in ("clause", "item") else spans[0].start), end


def item_text(unit: Unit, span: tuple[int, int]) -> str:
    """A quoted title without its final full stop ("(15) Strengthen organizational leadership")."""
    text = unit.text[span[0]:span[1]].strip()
    return text.rstrip("。.；;") if unit.kind in ("clause", "item") else text


_TERMINAL = tuple(".。!！?？;；:：”\"'’)）")


def whole_sentences(unit: Unit) -> list[tuple[int, int]]:
    """Sentence spans, with the pieces the splitter cut from an over-long sentence (they end without
    a full stop) joined back, so nothing quoted is a fragment."""
    out: list[tuple[int, int]] = []
    open_piece = False
    for s in split_sentences(unit.text, skip_prefix=unit.number):
        if open_piece and out:
            out[-1] = (out[-1][0], s.end)
        else:
            out.append((s.start, s.end))
        open_piece = not s.text.rstrip().endswith(_TERMINAL)
    return out


def sentences_within(unit: Unit, limit: int, skip_title: bool = False, after: int = -1) -> list[tuple[int, int]]:
    """Whole sentences of a unit from its start (or from the first that ends past offset `after`),
    stopping before `limit` characters (at least one)."""
    out: list[tuple[int, int]] = []
    total = 0
    for i, (a, b) in enumerate(whole_sentences(unit)):
        if skip_title and i == 0 and unit.kind in ("clause", "item") or b <= after:
            continue
        if out and total + (b - a) > limit:
            break
        out.append((a, b))
        total += b - a
    return out


@dataclass
class Cited:
    """Citations numbered in order of first use; one item per statement."""

    store: object = field(repr=False)
    citations: list[Citation] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    _n: dict[str, int] = field(default_factory=dict)

    def cite(self, unit: Unit, spans: list[tuple[int, int]], score: float = 0.0) -> int:
        key = unit.key
        quotes = tuple(Quote(unit.text[a:b], a, b, score) for a, b in spans)
        if key in self._n:
            n = self._n[key]
            old = self.citations[n - 1]
            new = tuple(q for q in quotes if q not in old.quotes)
            self.citations[n - 1] = Citation(n, old.source, old.quotes + new)
            return n
        n = self._n[key] = len(self.citations) + 1
        self.citations.append(Citation(n, source_of(self.store, unit), quotes))
        return n

    def quoted(self, unit: Unit, span: tuple[int, int]) -> bool:
        """Whether this span of the unit is already quoted (asked twice, a line is said once)."""
        n = self._n.get(unit.key)
        return n is not None and any((q.start, q.end) == span for q in self.citations[n - 1].quotes)

    def item(self, text: str, unit: Unit, spans: list[tuple[int, int]], level: int = 0) -> None:
        n = self.cite(unit, spans)
        self.items.append(Item(text, n, level))

    @property
    def langs(self) -> list[str]:
        return [c.source.unit.lang for c in self.citations]


def marker(text: str, n: int, lang: str) -> str:
    return f"{text}[{n}]" if lang != "en" else f"{text} [{n}]"
