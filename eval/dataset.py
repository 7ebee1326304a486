"""The evaluation set: questions written against clause ids, and the groups metrics are broken down by."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from policyqa.corpus.errors import UsageError
from policyqa.corpus.jsonl import read_jsonl
from policyqa.corpus.types import LANGS, Lang

Kind = Literal["direct", "paraphrase", "cross_lingual", "numeric", "multi_clause", "keyword", "out_of_scope"]
KINDS: tuple[Kind, ...] = ("direct", "paraphrase", "cross_lingual", "numeric", "multi_clause", "keyword", "out_of_scope")
# Keyword queries are what people type into a search box (1-4 words, 2-8 characters); gold is the
# clause that defines or states the term. Other clauses that merely mention it are not gold: the
# qrels are binary and recall counts every gold clause, so listing them would cap R@1 below 1.
Half = Literal["odd", "even"]
HALVES: tuple[Half, ...] = ("odd", "even")
T = TypeVar("T")


def id_number(qid: str) -> int:
    """The numeric suffix of a question id ("ka017" -> 17, "kwhans03" -> 3)."""
    m = re.search(r"(\d+)$", qid)
    if not m:
        raise ValueError(f"question id {qid!r} has no numeric suffix")
    return int(m.group(1))


def id_half(qid: str) -> Half:
    """Every evaluation set is split the same way: rules and weights are chosen on the odd-numbered
    half and reported on the even one (the held-out half)."""
    return "odd" if id_number(qid) % 2 else "even"
QUESTIONS = Path(__file__).parent / "data" / "questions.jsonl"

# Families that exist in English only: a Chinese question about them is cross-lingual whatever its
# kind (a numeric or two-clause question can be cross-lingual too), so that group is derived here.
ENGLISH_ONLY_FAMILIES = ("qiushi-2024", "cm2025-2017")


@dataclass(frozen=True)
class Question:
    id: str
    query: str
    lang: Lang
    kind: Kind
    gold: tuple[str, ...]  # clause ids; empty for out-of-scope

    @property
    def answerable(self) -> bool:
        return bool(self.gold)

    @property
    def cross_lingual(self) -> bool:
        return (
            self.lang != "en"
            and self.answerable
            and all(g.split("/", 1)[0] in ENGLISH_ONLY_FAMILIES for g in self.gold)
        )

    @property
    def half(self) -> Half:
        return id_half(self.id)

    def groups(self) -> tuple[str, ...]:
        """Every breakdown this question counts in, e.g. ("all", "lang:zh-Hant", "kind:numeric", "cross-lingual")."""
        out = ["all", f"lang:{self.lang}", f"kind:{self.kind}"]
        if self.cross_lingual:
            out.append("cross-lingual")
        return tuple(out)


def check_record(obj: object, where: str, fields: tuple[str, ...], kinds: tuple[str, ...]) -> dict:
    """An evaluation record's shape, shared by the retrieval and the answer sets: a JSON object with
    `fields`, a known `lang` and a `kind` among `kinds`."""
    if not isinstance(obj, dict):
        raise UsageError(f"{where}: expected a JSON object")
    missing = [k for k in fields if k not in obj]
    if missing:
        raise UsageError(f"{where}: missing field(s) {', '.join(missing)}")
    if obj["lang"] not in LANGS:
        raise UsageError(f"{where}: lang {obj['lang']!r} is not one of {', '.join(LANGS)}")
    if obj["kind"] not in kinds:
        raise UsageError(f"{where}: kind {obj['kind']!r} is not one of {', '.join(kinds)}")
    return obj


def parse_question(obj: object, where: str) -> Question:
    obj = check_record(obj, where, ("id", "query", "lang", "kind", "gold"), KINDS)
    gold = obj["gold"]
    if not isinstance(gold, list) or not all(isinstance(g, str) and g for g in gold):
        raise UsageError(f"{where}: gold must be a list of clause ids")
    if (obj["kind"] == "out_of_scope") != (not gold):
        raise UsageError(f"{where}: out_of_scope questions, and only they, have an empty gold list")
    if not isinstance(obj["query"], str) or not obj["query"].strip():
        raise UsageError(f"{where}: query is empty")
    return Question(str(obj["id"]), obj["query"], obj["lang"], obj["kind"], tuple(gold))


def load_set(path: Path, what: str, parse: Callable[[object, str], T]) -> tuple[T, ...]:
    """Records of an evaluation set, one JSON line each, parsed by `parse(obj, "file:line")`;
    ids must be unique and the set must not be empty."""
    out: list[T] = []
    seen: set[str] = set()
    for n, obj in read_jsonl(path, what):
        item = parse(obj, f"{path}:{n}")
        if item.id in seen:  # type: ignore[attr-defined]
            raise UsageError(f"{path}:{n}: duplicate question id {item.id!r}")  # type: ignore[attr-defined]
        seen.add(item.id)  # type: ignore[attr-defined]
        out.append(item)
    if not out:
        raise UsageError(f"{path}: no questions")
    return tuple(out)


def load_questions(path: Path = QUESTIONS) -> tuple[Question, ...]:
    return load_set(path, "questions file", parse_question)


def select_half(questions: Sequence[Question], half: Half | None) -> tuple[Question, ...]:
    if half is None:
        return tuple(questions)
    if half not in HALVES:
        raise UsageError(f"unknown half {half!r}; choose one of: {', '.join(HALVES)}")
    return tuple(q for q in questions if q.half == half)


def qrels_dict(questions: Iterable[Question]) -> dict[str, dict[str, int]]:
    """Binary relevance per answerable question (ranx Qrels input); out-of-scope ones have no qrels."""
    return {q.id: {g: 1 for g in q.gold} for q in questions if q.answerable}


def missing_gold(questions: Sequence[Question], clause_ids: Iterable[str]) -> list[tuple[str, str]]:
    """(question id, clause id) pairs whose gold clause is not in the store."""
    known = set(clause_ids)
    return [(q.id, g) for q in questions for g in q.gold if g not in known]
