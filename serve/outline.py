"""Structure answers: a document's outline, a section's children, a clause in full, an overview.

The tree comes from the store: a heading's children are the units after it up to the next
heading (clauses "（十五）", items "1.", or plain paragraphs). Items are quoted as written in the
question's script when that version exists (number and title: "（十五）加强组织领导"), one
citation per item. An overview quotes the purpose (with the reasons its paragraph gives), the
paragraph of guiding principles, the goal paragraph, then the outline with each section's numbered
items nested under it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from policyqa.corpus.types import Lang, Unit
from policyqa.serve.cited import Cited, item_text, marker, sentences_within, title_span, version
# The cue patterns are written in 简体 and read the text as the questions are read (NFKC, 繁→简).
from policyqa.serve.question import SectionRef, normalize

# Length bounds (characters of quoted text), so a section or clause answer stays readable:
# a clause quoted in full up to CLAUSE_CHARS, a paragraph child by its first sentences up to CHILD_CHARS.
CLAUSE_CHARS = {"en": 1200, "zh": 500}
# A clause asked for by its reference ("What does item 6 of section I say?") is the whole answer: it is
# quoted up to this bound, which holds every clause of the bundled corpus whole.
REFERENCED_CHARS = {"en": 2400, "zh": 900}
CHILD_CHARS = {"en": 320, "zh": 120}
# A section of prose paragraphs shares SECTION_CHARS among them (each gets at least CHILD_CHARS),
# so a part with a few long paragraphs is not cut to its first sentence or two ("summarize part 7"
# must reach the measures after each paragraph's topic line; English chosen on the tuning half).
SECTION_CHARS = {"en": 2200, "zh": 600}
GOAL_CHARS = {"en": 900, "zh": 320}
_PURPOSE = re.compile(r"^(?:to|in order to)\b|the following opinions|are (?:hereby )?proposed|^为|提出如下意见|旨在|\baims? to\b",
                      re.IGNORECASE)
# A sentence that names what is wrong: what a "what problem does it solve" overview must include.
_PROBLEM = re.compile(r"问题|不足|短板|不强|困难|挑战|problems?\b|shortcomings|weak|challenges|difficult|not (?:yet )?strong|falls? short"
                      r"|imbalances?|inadequac|reliant on others|backlash", re.IGNORECASE)
# The paragraph that sets the guiding thought and principles ("总体要求"): part of an overview.
_PRINCIPLES = re.compile(r"为指导|指导思想|基本原则|guided by|general principle|guiding principle|adhere to the general",
                         re.IGNORECASE)
_GOAL = re.compile(r"^(?:by|until|through) (?:the end of )?20\d\d\b|^到20\d\d年", re.IGNORECASE)
COUNT = {"en": "{n} sections:", "zh-Hans": "共{n}部分：", "zh-Hant": "共{n}部分："}


def _bound(table: dict[str, int], lang: str) -> int:
    return table["en"] if lang == "en" else table["zh"]


@dataclass(frozen=True)
class Node:
    heading: Unit
    children: tuple[Unit, ...]


def is_salutation(unit: Unit) -> bool:
    """An addressee list ("各省、自治区、直辖市…有关中央企业："): says nothing a question asks about."""
    text = unit.text.rstrip()
    return unit.kind == "paragraph" and text.endswith((":", "：")) and sum(text.count(c) for c in "、,，;；") >= 4


def is_lead(unit: Unit) -> bool:
    """The English news lead before the document repeats the body; it never answers."""
    parts = unit.clause_id.split("/")
    return len(parts) > 1 and parts[1] == "lead"


def tree(store, family: str) -> tuple[list[Unit], list[Node]]:
    """(intro units, top-level sections with their children) in document order, from one version."""
    doc_id = next((d for d, m in store.docs.items() if m.family == family), None)
    units = [u for u in store.units if u.doc_id == doc_id and not is_lead(u)]
    intro: list[Unit] = []
    nodes: list[list] = []
    for u in units:
        if u.kind == "heading":
            nodes.append([u, []])
        elif nodes:
            nodes[-1][1].append(u)
        else:
            intro.append(u)
    return intro, [Node(h, tuple(c)) for h, c in nodes]


def _shown(store, unit: Unit, qlang: Lang, lang: Lang | None) -> Unit:
    return version(store, unit.clause_id, qlang, lang) or unit


def outline(store, family: str, qlang: Lang, lang: Lang | None = None, cited: Cited | None = None,
            depth: int = 1) -> tuple[str, Cited]:
    """The top-level sections, each cited; with `depth=2` (an overview) each section's numbered
    children follow it by number and title ("（十五）加强组织领导"), indented."""
    cited = cited or Cited(store)
    _, nodes = tree(store, family)
    lines = []
    for node in nodes:
        h = _shown(store, node.heading, qlang, lang)
        span = title_span(h)
        cited.item(item_text(h, span), h, [span])
        lines.append(marker(item_text(h, span), cited.items[-1].n, h.lang))
        numbered = [c for c in node.children if c.kind in ("clause", "item") and c.number]
        for child in (numbered if depth > 1 else ()):
            u = _shown(store, child, qlang, lang)
            span = title_span(u)
            cited.item(item_text(u, span), u, [span], level=1)
            lines.append("  " + marker(item_text(u, span), cited.items[-1].n, u.lang))
        prose = next((c for c in node.children if c.kind == "paragraph"), None)
        if depth > 1 and not numbered and prose is not None:  # a part of prose: its topic sentence
            u = _shown(store, prose, qlang, lang)
            spans = sentences_within(u, 1)
            cited.item(_join(u, spans), u, spans, level=1)
            lines.append("  " + marker(_join(u, spans), cited.items[-1].n, u.lang))
    head = COUNT.get(qlang, COUNT["en"]).format(n=len(nodes))
    return "\n".join([head, *lines]), cited


def find(store, family: str, ref: SectionRef, question: str = "") -> Unit | None:
    """The unit a reference names in a family: s6 / part6 for a section, c15 (or s3/i5) for a clause;
    the n-th (or last) numbered child of the section for an ordinal within it. A numbered item
    whose section is named by its title ("point 2 of the Next Steps") is looked up under the
    heading whose title shares a word with the question."""
    if ref.within and ref.section:
        heading = find(store, family, SectionRef("section", ref.section))
        kids = [c for c in children(store, family, heading) if c.number] if heading else []
        index = ref.value - 1 if ref.value > 0 else len(kids) - 1
        return kids[index] if 0 <= index < len(kids) else None
    if ref.level == "clause" and ref.section is None and question:
        found = find(store, family, ref)
        section = found is None and _titled_section(store, family, question)
        if section:
            return find(store, family, SectionRef("clause", ref.value, section))
        if found is None and not any(c.number for node in tree(store, family)[1] for c in node.children):
            # an essay numbers no clauses: its n-th task or point is its n-th part (第二项重点任务)
            return find(store, family, SectionRef("section", ref.value))
        return found
    if ref.level == "section":
        ids = (f"{family}/s{ref.value}", f"{family}/part{ref.value}")
    else:
        ids = (f"{family}/c{ref.value}",) + ((f"{family}/s{ref.section}/i{ref.value}",) if ref.section else ())
    for cid in ids:
        versions = store.versions(cid)
        if versions:
            return versions[0]
    return None


_WORD = re.compile(r"[a-z]{4,}")


def _titled_section(store, family: str, question: str) -> int | None:
    """The number of the section whose heading shares more words (4+ letters) with the question
    than any other's ("under Progress of Main Activities": not "Main Difficulties and Problems")."""
    words = set(_WORD.findall(question.lower()))
    shared = [(len(words & set(_WORD.findall(node.heading.text.lower()))), n)
              for n, node in enumerate(tree(store, family)[1], 1)]
    shared.sort(reverse=True)
    if not shared or shared[0][0] == 0 or (len(shared) > 1 and shared[1][0] == shared[0][0]):
        return None
    return shared[0][1]


def children(store, family: str, heading: Unit) -> tuple[Unit, ...]:
    _, nodes = tree(store, family)
    return next((n.children for n in nodes if n.heading.clause_id == heading.clause_id), ())


def section(store, family: str, heading: Unit, qlang: Lang, lang: Lang | None = None,
            cited: Cited | None = None, detail: Callable[[Unit], tuple[int, int] | None] | None = None,
            whole: str | None = None) -> tuple[str, Cited]:
    """The heading, then each child: a numbered child by its number and title (and, with `detail`,
    the sentence of its body that `detail` picks), a paragraph by its opening sentences -- the
    paragraph whose clause id is `whole` (the one holding the answer) by all of them, up to CLAUSE_CHARS."""
    cited = cited or Cited(store)
    h = _shown(store, heading, qlang, lang)
    head = marker(item_text(h, title_span(h)), cited.cite(h, [title_span(h)]), h.lang)
    lines = [head]
    kids = children(store, family, heading)
    prose = sum(1 for c in kids if not (c.kind in ("clause", "item") and c.number))
    for child in kids:
        u = _shown(store, child, qlang, lang)
        if u.kind in ("clause", "item") and u.number:
            span = title_span(u)
            spans, text = [span], item_text(u, span)
            extra = detail(u) if detail is not None else None
            if extra is not None and extra[0] >= span[1]:
                spans.append(extra)
                text += (": " if u.lang == "en" else "：") + u.text[extra[0]:extra[1]]
        else:
            share = max(_bound(CHILD_CHARS, u.lang), _bound(SECTION_CHARS, u.lang) // max(prose, 1))
            share = max(share, _bound(CLAUSE_CHARS, u.lang)) if u.clause_id == whole else share
            spans = sentences_within(u, share)
            text = _join(u, spans)
        cited.item(text, u, spans, level=1)
        lines.append(marker(text, cited.items[-1].n, u.lang))
    return "\n".join(lines), cited


def item_body(unit: Unit, reach: int = 0, limits: dict[str, int] | None = None) -> tuple[int, int] | None:
    """A numbered item's body after its title: whole sentences up to CLAUSE_CHARS (a `detail` for
    `section` when the section is the topic a question sums up) -- starting later when that would
    stop before offset `reach` (the sentence that answers, deep in a long item), so as to hold it."""
    bound = _bound(limits or CLAUSE_CHARS, unit.lang)
    spans = sentences_within(unit, bound, skip_title=True)
    if spans and reach >= spans[-1][1]:
        spans = sentences_within(unit, bound, skip_title=True, after=reach) or spans
    return (spans[0][0], spans[-1][1]) if spans else None


def clause(store, unit: Unit, qlang: Lang, lang: Lang | None = None, cited: Cited | None = None) -> tuple[str, Cited]:
    """A clause asked for by its reference, quoted in full, sentence by sentence, up to REFERENCED_CHARS."""
    cited = cited or Cited(store)
    u = _shown(store, unit, qlang, lang)
    spans = sentences_within(u, _bound(REFERENCED_CHARS, u.lang))
    spans = [(0, spans[0][1])] + spans[1:] if spans and u.number else spans  # keep the number as written
    return marker(_join(u, spans), cited.cite(u, spans), u.lang), cited


def overview(store, family: str, qlang: Lang, lang: Lang | None = None, cited: Cited | None = None,
             problems: bool = False, standing: bool = False) -> tuple[str, Cited]:
    """The document's purpose statement, guiding-principles paragraph and goal paragraph (those it
    has), then its outline with each part's items. `problems` (the question asks what problem the
    document addresses): the sentences of its opening part that name the problems come after the
    purpose; `standing` (how it judges where things stand): that paragraph whole, strengths and all."""
    cited = cited or Cited(store)
    intro, nodes = tree(store, family)
    opening = _opening(intro, nodes)
    lines = []
    purpose = _purpose(store, intro, qlang, lang)
    if purpose is not None:
        u, spans = purpose
        lines.append(marker(_join(u, spans), cited.cite(u, spans), u.lang))
    if problems:
        for unit in opening:
            u = _shown(store, unit, qlang, lang)
            every = sentences_within(u, 10_000)
            spans = [(a, b) for a, b in every if _PROBLEM.search(normalize(u.text[a:b]))]
            if spans:
                if standing:  # the strengths too, as far as the bound allows: the problems always
                    room = _bound(CLAUSE_CHARS, u.lang) - sum(b - a for a, b in spans)
                    for a, b in every:
                        if (a, b) not in spans and b - a <= room:
                            spans, room = spans + [(a, b)], room - (b - a)
                    spans = sorted(spans)
                lines.append(marker(_join(u, spans), cited.cite(u, spans), u.lang))
                break
    if standing and len(lines) > 1:  # where things stand: the purpose and the assessment say it, not the plan
        return "\n".join(lines), cited
    found = principles(store, family, qlang, lang, besides=purpose[0].clause_id if purpose else "", opening=opening)
    if found is not None:
        p, spans = found
        lines.append(marker(_join(p, spans), cited.cite(p, spans), p.lang))
    goal = next((u for u in opening if _GOAL.search(u.text)), None)
    if goal is None:
        goal = next((u for u in opening if _GOAL.search(_shown(store, u, qlang, lang).text)), None)
    if goal is not None:
        g = _shown(store, goal, qlang, lang)
        spans = sentences_within(g, _bound(GOAL_CHARS, g.lang))
        lines.append(marker(_join(g, spans), cited.cite(g, spans), g.lang))
    text, cited = outline(store, family, qlang, lang, cited, depth=2)
    return "\n".join(lines + [text]), cited


def principles(store, family: str, qlang: Lang, lang: Lang | None = None, besides: str = "",
               opening: Sequence[Unit] | None = None) -> tuple[Unit, list[tuple[int, int]]] | None:
    """The paragraph of the document's opening that sets its guiding thought and principles
    ("坚持市场主导、政府引导……坚持先立后破、有保有压"), as shown for the question, with the spans
    quoted (within CLAUSE_CHARS); None when it has none. `besides`: a clause id quoted already;
    `opening`: the document's opening units, when the caller has them."""
    if opening is None:
        opening = _opening(*tree(store, family))
    unit = next((u for u in opening if u.kind == "paragraph" and u.clause_id != besides
                 and _PRINCIPLES.search(normalize(u.text[slice(*title_span(u))]))), None)
    if unit is None:
        return None
    p = _shown(store, unit, qlang, lang)
    return p, sentences_within(p, _bound(CLAUSE_CHARS, p.lang))


def _opening(intro: list[Unit], nodes: list[Node]) -> list[Unit]:
    """The units before the first section and those of the first section (`tree`'s two parts):
    where a document states its purpose, principles, problems and goals."""
    return intro + [c for n in nodes[:1] for c in n.children]


def _purpose(store, intro: list[Unit], qlang: Lang, lang: Lang | None):
    candidates = [_shown(store, u, qlang, lang) for u in intro if u.kind == "paragraph" and not is_salutation(u)]
    for u in candidates:
        spans = sentences_within(u, 10_000)
        for i, (a, b) in enumerate(spans):
            if _PURPOSE.search(normalize(u.text[a:b])):
                # "为加快…，提出如下意见" closes a paragraph that says why: quote the reasons with it.
                before = spans[:i + 1]
                whole = sum(y - x for x, y in before) <= _bound(GOAL_CHARS, u.lang)
                return u, before if whole else [(a, b)]
    if candidates:
        return candidates[0], sentences_within(candidates[0], 1)
    return None


def _join(unit: Unit, spans: list[tuple[int, int]]) -> str:
    sep = " " if unit.lang == "en" else ""
    return sep.join(unit.text[a:b] for a, b in spans)
