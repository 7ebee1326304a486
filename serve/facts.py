"""Fact answers: the best sentences of the best-ranked clauses, whole and complete, cited [n].

Rules, in order:
- Only content answers: headings, salutations (addressee lists), the English news lead (it
  repeats the body) and document-fact lines are never candidates.
- The best-ranked clause comes first: a lower-ranked clause's sentence becomes the anchor only
  when it beats the best sentence of the best-ranked clause by CLEAR_EVIDENCE, plus RETRIEVAL_LEAD
  per unit of fused search score that clause leads it by.
- No fragments: a piece the sentence splitter cut from an over-long sentence is quoted together
  with the rest of its sentence.
- Continuations: when the anchor opens a statement the next sentences of the same paragraph carry
  on (it ends in a colon, sets a dated target such as "By 2027"/"到2027年", or gives figures that
  the next sentence continues, or the next sentence opens with "Among them"/"其中", or it is a
  short topic sentence opening its paragraph -- "Green is the defining feature of new
  industrialization." says nothing until the paragraph goes on), those sentences follow it, up to
  CONTINUATION_CHARS characters in all (English / Chinese).
- Up to MAX_SENTENCES sentences in all: others within COMPOSE_MARGIN of the anchor, or within
  SAME_CLAUSE_MARGIN when they belong to the anchor's own clause.
- A summary of one topic (question.digest): the best clause in full, then the best two sentences
  of each other clause close to it.
- A list question answered from content, or a "how" question: the anchor's whole clause (up to a
  bound), then the best sentence of up to OTHER_CLAUSES other clauses close to it. For a list, the
  anchor is the sentence that enumerates most ("A、B、C等", "such as A, B and C") among those
  within LIST_EVIDENCE of the best.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from policyqa.corpus.types import Unit
from policyqa.serve.outline import is_lead, is_salutation
from policyqa.serve.extent import whole_clause
from policyqa.serve.records import Scored, Source

# How much idf-weighted word overlap adds to a sentence's cosine (support and score, serve.answer;
# a heading's support, serve.kinds). Measured on eval/data/questions.jsonl (eval.answers).
LEXICAL_WEIGHT = 0.1

COMPOSE_MARGIN = 0.02
SAME_CLAUSE_MARGIN = 0.05  # a sentence of the anchor's own clause joins on weaker evidence
MAX_SENTENCES = 3
CLEAR_EVIDENCE = 0.03
# ...and more the further the search ranked it behind: per unit of fused score the better-ranked clause
# leads by, the evidence needed grows by RETRIEVAL_LEAD. A short generic sentence ("Enterprises are the
# primary drivers of new industrialization.") is close to many questions; a clause the search put far
# ahead is rarely wrong (chosen on the tuning half: 0.6 → 1.0 a plateau, 1.5 and more lost answers).
RETRIEVAL_LEAD = 0.8
# A list question answered from content: a sentence that enumerates ("A、B、C等", "such as A, B and C")
# answers it better than a close one that does not, within LIST_EVIDENCE of the best score.
LIST_EVIDENCE = 0.06
MIN_ENUMERATED = 3
DIGEST_CLAUSES = 5
# Two sentences of each other clause: one alone rarely carries a measure's substance; chosen on the
# tuning half over one (fewer key facts) and three (no more key facts, longer answers).
DIGEST_PER_CLAUSE = 2
DIGEST_MARGIN = 0.15
SIBLING_MARGIN = 0.1  # a prose part's other paragraphs join a list answer this close to its anchor
# A list or "how" answered from content: after the anchor's whole clause, the best sentence of each
# of up to OTHER_CLAUSES other clauses within OTHER_MARGIN of the anchor ("哪些企业资质", "what kinds
# of platforms": the things asked for are often named in more than one clause). Chosen on the tuning
# half: margins 0.1 to 0.2 gave the same answers; one clause fewer than two, and on the larger set
# three gained 2 over two (four 3, with longer answers). Each such clause gives up to OTHER_SENTENCES
# of its sentences within the margin, in reading order: the clause's measures rarely fit in one
# sentence (two gained 7 and lost none, the changed answers a few sentences longer; three +8 −1).
# With two sentences each, and the opening and goals paragraphs kept out of a measures answer (serve.
# answer), the margin mattered again: 0.15 +4, 0.2 +9, 0.25 +11, none lost; 0.2 for answers a person
# still reads (the median answer grew by about a tenth, 0.25 by a quarter). They may be another
# document's: kept to the anchor's document (or language) it lost three or four.
OTHER_CLAUSES = 3
OTHER_MARGIN = 0.2
OTHER_SENTENCES = 2
_ENUM_EN = re.compile(r"\b(?:such as|including|like|namely)\b(.*)", re.IGNORECASE)


def answers_content(source: Source) -> bool:
    u = source.unit
    return u.kind in ("clause", "item", "paragraph") and not is_lead(u) and not is_salutation(u)


def is_preamble(unit) -> bool:
    """A paragraph before a document's first section (addressees, purpose, the setting)."""
    return unit.kind == "paragraph" and not unit.heading


# A document's goals paragraph: a deadline ("By 2027", "到2027年") and rates to reach by then.
_DEADLINE = re.compile(r"\bby (?:the end of )?(?:19|20)\d\d\b|到(?:19|20)\d\d年", re.IGNORECASE)
_RATE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|percent\b)")
GOAL_RATES = 2


def goal_rates(unit: Unit) -> int:
    """How many rates a paragraph sets with a deadline; 0 without one."""
    return len(_RATE.findall(unit.text)) if _DEADLINE.search(unit.text) else 0


def is_goals(unit) -> bool:
    """A document's goals paragraph (or one like it): it states targets, not how to reach them."""
    return goal_rates(unit) >= GOAL_RATES


def anchor_first(scored: Sequence[Scored], measures: bool = False) -> list[Scored]:
    """`scored` (best first) with the anchor moved to the front: the best sentence of the
    best-ranked clause unless a lower-ranked clause's sentence is clearly better (by CLEAR_EVIDENCE,
    plus RETRIEVAL_LEAD times how far the search scored that clause behind). `measures`: the question
    asks how something is done, which a document's opening never says, nor its goals paragraph (the
    targets, not how to reach them); ranked first because it names the subject, it anchors nothing
    (chosen on the tuning half: for every question it gained 4 and lost 5)."""
    if not scored:
        return []
    best = scored[0]
    ranked = [s for s in scored if not (is_preamble(s.source.unit) or is_goals(s.source.unit))] or list(scored) if measures else scored
    top_rank = min(s.source.rank for s in ranked)
    if best.source.rank == top_rank:
        return list(scored)
    first = next(s for s in scored if s.source.rank == top_rank)
    if best.score - first.score >= CLEAR_EVIDENCE + RETRIEVAL_LEAD * max(0.0, first.source.score - best.source.score):
        return list(scored)
    return [first] + [s for s in scored if s is not first]


def enumerated(text: str, lang: str) -> int:
    """How many items a sentence lists: 、-separated terms, or the comma-separated tail after
    "such as"/"including"."""
    if lang != "en":
        return text.count("、") + 1 if "、" in text else 0
    m = _ENUM_EN.search(text)
    return m.group(1).count(",") + 1 if m else 0


def enumeration_first(scored: Sequence[Scored]) -> list[Scored]:
    """For a list question: of the sentences within LIST_EVIDENCE of the best, the one that lists
    the most items (MIN_ENUMERATED at least); otherwise `scored` unchanged."""
    if not scored:
        return []
    close = [s for s in scored if s.score >= scored[0].score - LIST_EVIDENCE]
    counts = [enumerated(s.text, s.source.unit.lang) for s in close]
    most = max(range(len(close)), key=lambda i: counts[i])
    if counts[most] < MIN_ENUMERATED:
        return list(scored)
    pick = close[most]
    return [pick] + [s for s in scored if s is not pick]


def lists_instead(scored: Sequence[Scored], anchor: Scored) -> bool:
    """Whether a list question is better answered by the sentence enumeration_first picks than by
    `anchor`'s clause: that sentence lists items (MIN_ENUMERATED at least) outside the clause, and
    `anchor` scores below the sentences it was picked among (LIST_EVIDENCE of the best)."""
    pick = enumeration_first(scored)[:1]
    return bool(pick) and pick[0].source.unit.key != anchor.source.unit.key and \
        enumerated(pick[0].text, pick[0].source.unit.lang) >= MIN_ENUMERATED and \
        anchor.score < scored[0].score - LIST_EVIDENCE


def digest(scored: Sequence[Scored], bank, limits: dict[str, int]) -> list[Scored]:
    """A topic summed up across the document: the best clause in full (up to `limits`), then up to
    DIGEST_PER_CLAUSE best sentences (in reading order) of each of up to DIGEST_CLAUSES - 1 other
    clauses, every one within DIGEST_MARGIN of the best."""
    if not scored:
        return []
    first = scored[0].source.unit.key
    groups: dict[str, list[Scored]] = {}
    for s in scored[1:]:
        if s.score < scored[0].score - DIGEST_MARGIN:
            break
        key = s.source.unit.key
        if key == first or (key not in groups and len(groups) >= DIGEST_CLAUSES - 1):
            continue
        group = groups.setdefault(key, [])
        if len(group) < DIGEST_PER_CLAUSE:
            group.append(s)
    out = whole_clause(scored[0], bank, limits)
    for group in groups.values():
        out.extend(sorted(group, key=lambda s: s.position))
    return out


def other_clauses(scored: Sequence[Scored], anchor: Scored, picked: Sequence[Scored]) -> list[Scored]:
    """The best sentences (up to OTHER_SENTENCES) of each of up to OTHER_CLAUSES clauses not in
    `picked`, each within OTHER_MARGIN of `anchor`: clauses in the order of their best sentence, each
    clause's sentences in reading order."""
    taken = {s.source.unit.key for s in picked}
    count: dict[str, int] = {}
    out: list[Scored] = []
    for s in scored:
        if s.score < anchor.score - OTHER_MARGIN:
            break
        key = s.source.unit.key
        if key in taken or (key not in count and len(count) >= OTHER_CLAUSES) or count.get(key, 0) >= OTHER_SENTENCES:
            continue
        count[key] = count.get(key, 0) + 1
        out.append(s)
    return sorted(out, key=lambda s: (list(count).index(s.source.unit.key), s.position))


def compose(scored: Sequence[Scored]) -> list[Scored]:
    """The anchor and up to two more sentences close to it, without repeating a sentence."""
    if not scored:
        return []
    best = scored[0]
    picked = [best]
    for s in scored[1:]:
        if len(picked) >= MAX_SENTENCES:
            break
        margin = SAME_CLAUSE_MARGIN if s.source.unit.key == best.source.unit.key else COMPOSE_MARGIN
        if s.score < best.score - margin or any(p.text == s.text for p in picked):
            continue
        picked.append(s)
    return picked
