"""Key-fact metrics for answers (ranx style: one measure per function, pure, tiny arithmetic tests).

A key fact is a group of alternative wordings; it is in an answer when any alternative occurs in
the answer text after both are normalised the same way (NFKC, case-fold, 繁→简 with OpenCC t2s,
whitespace and citation markers removed). So a 繁 question answered from the 简 version, or a
Chinese question answered from an English-only clause, counts when the alternatives cover it.
An answer passes when at least `need` of its facts are in it; an out-of-scope question passes
exactly when the answer abstained, and an abstention never passes an answerable question.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from policyqa.corpus.sources import opencc_converter

# Citation markers the answerer appends to sentences ("…。[1]", "… [2]"): never part of a fact.
_MARKER = re.compile(r"\[\d+\]")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """NFKC, 繁→简 (t2s), case-fold, citation markers and all whitespace removed."""
    text = unicodedata.normalize("NFKC", text)
    text = opencc_converter("t2s").convert(text)
    text = _MARKER.sub("", text.casefold())
    return _SPACE.sub("", text)


def key_fact_hit(answer_text: str, fact: Sequence[str]) -> bool:
    """True when any alternative wording of the fact occurs in the answer text (normalised)."""
    answer = normalise(answer_text)
    return any(alt_n and alt_n in answer for alt_n in (normalise(a) for a in fact))


def facts_found(answer_text: str, facts: Sequence[Sequence[str]]) -> int:
    """How many of the facts the answer contains."""
    return sum(key_fact_hit(answer_text, f) for f in facts)


def missing_facts(answer_text: str, facts: Sequence[Sequence[str]]) -> list[Sequence[str]]:
    """The facts the answer lacks, in the order given."""
    return [f for f in facts if not key_fact_hit(answer_text, f)]


def answer_passes(answer_text: str, facts: Sequence[Sequence[str]], need: int | None = None,
                  abstained: bool = False) -> bool:
    """An answerable question (facts given) passes when the answer did not abstain and contains at
    least `need` facts (all when None); an out-of-scope one (no facts) passes iff it abstained."""
    if not facts:
        return abstained
    if abstained:
        return False
    need = len(facts) if need is None else need
    return facts_found(answer_text, facts) >= need


@dataclass(frozen=True)
class Graded:
    """One question's outcome, enough to aggregate: its id, groups and whether it passed."""

    id: str
    kind: str
    lang: str
    passed: bool


def key_fact_rate(outcomes: Iterable[Graded]) -> float | None:
    """Share of questions that passed; None for no questions."""
    passed = [o.passed for o in outcomes]
    return sum(passed) / len(passed) if passed else None


def id_number(qid: str) -> int:
    """The numeric suffix of an id ("ka017" -> 17); the halves are split on its parity."""
    m = re.search(r"(\d+)$", qid)
    if not m:
        raise ValueError(f"question id {qid!r} has no numeric suffix")
    return int(m.group(1))


def half(qid: str) -> str:
    """"tuning" (odd numeric suffix: rules are chosen on it) or "held-out" (even: reported)."""
    return "tuning" if id_number(qid) % 2 else "held-out"


HALVES: tuple[str, ...] = ("all", "tuning", "held-out")


def in_half(outcomes: Iterable[Graded], which: str) -> list[Graded]:
    if which not in HALVES:
        raise ValueError(f"half must be one of {', '.join(HALVES)}, got {which!r}")
    return [o for o in outcomes if which == "all" or half(o.id) == which]


def rate_by(outcomes: Iterable[Graded], field: str) -> dict[str, dict[str, float | int | None]]:
    """{group value: {"rate", "n", "passed"}} grouped by `field` ("kind" or "lang")."""
    groups: dict[str, list[Graded]] = {}
    for o in outcomes:
        groups.setdefault(getattr(o, field), []).append(o)
    return {g: _cell(v) for g, v in sorted(groups.items())}


def _cell(outcomes: Sequence[Graded]) -> dict[str, float | int | None]:
    return {"rate": key_fact_rate(outcomes), "n": len(outcomes), "passed": sum(o.passed for o in outcomes)}


def summary(outcomes: Sequence[Graded]) -> dict[str, Mapping]:
    """Per half ("all", "tuning", "held-out"): overall cell, by kind and by lang/script."""
    out: dict[str, Mapping] = {}
    for which in HALVES:
        part = in_half(outcomes, which)
        out[which] = {"overall": _cell(part), "kind": rate_by(part, "kind"), "lang": rate_by(part, "lang")}
    return out
