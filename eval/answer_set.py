"""The answer-quality set: questions with the key facts a careful reader's answer must contain.

One JSON object per line of eval/data/answers.jsonl:
    {"id": "ka017", "question": "...", "lang": "en|zh-Hans|zh-Hant", "kind": "doc_fact",
     "doc": "guiding-opinions-2023", "key_facts": [{"any": ["wording 1", "wording 2"]}, ...], "need": 6}
`doc` (optional) is the family the answer comes from; `need` (default: all) is how many facts must
be in the answer. Out-of-scope questions have no facts: their answer must abstain. The numeric
suffix of the id splits the set: odd ids tune the answer layer, even ids are the held-out half.

How the set was written: key facts are what a careful reader would demand, copied from the
documents (Chinese ones in 简体; folding makes them match 繁體 text too). A list of up to five
items must be complete; a longer one (signatories, pilot cities, outlines) may miss a quarter.
Open questions with many possible details (finance, tax, talent) name the details and need some.
Chinese questions about the English-only Qiushi article and 2017 report are `cross_lingual` and
their facts are English wordings; no content exists only in Chinese, so no English question is.
ka001–ka489 were written before the answer layer's rules and split odd/even. Every later question
came in a batch of 80, written from the five texts alone by a writer who had not seen the set or
run `ask`, and checked (facts verbatim, none given away, no repeats) before it joined: odd-id
batches tune, each graded once before any rule was chosen on it, some with their kinds chosen to
probe weak spots (document facts, near-misses, overviews, cross-lingual questions, casual
phrasing); even-id batches are held out and never read by whoever tunes the rules. The closing
notes of each round name its batches and when they were written.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from policyqa.corpus.errors import UsageError
from policyqa.corpus.types import Lang
from policyqa.eval.dataset import check_record, id_number, load_set
from policyqa.eval.keyfacts import normalise

AnswerKind = Literal["fact", "doc_fact", "list", "section", "overview", "cross_lingual", "out_of_scope"]
ANSWER_KINDS: tuple[AnswerKind, ...] = ("fact", "doc_fact", "list", "section", "overview", "cross_lingual",
                                        "out_of_scope")
ANSWERS = Path(__file__).parent / "data" / "answers.jsonl"


@dataclass(frozen=True)
class AnswerItem:
    id: str
    question: str
    lang: Lang
    kind: AnswerKind
    facts: tuple[tuple[str, ...], ...]  # each fact: its alternative wordings
    need: int
    doc: str = ""  # family the answer comes from, when there is one

    @property
    def answerable(self) -> bool:
        return bool(self.facts)

    def to_dict(self) -> dict:
        return {"id": self.id, "question": self.question, "lang": self.lang, "kind": self.kind, "doc": self.doc,
                "key_facts": [{"any": list(f)} for f in self.facts], "need": self.need}


def parse_item(obj: object, where: str) -> AnswerItem:
    obj = check_record(obj, where, ("id", "question", "lang", "kind", "key_facts"), ANSWER_KINDS)
    qid = obj["id"]
    if not isinstance(qid, str) or not qid:
        raise UsageError(f"{where}: id must be a non-empty string")
    try:
        id_number(qid)
    except ValueError:
        raise UsageError(f"{where}: id {qid!r} must end in a number (odd ids tune, even ids are held out)") from None
    if not isinstance(obj["question"], str) or not obj["question"].strip():
        raise UsageError(f"{where}: question is empty")
    facts = _facts(obj["key_facts"], where)
    if (obj["kind"] == "out_of_scope") != (not facts):
        raise UsageError(f"{where}: out_of_scope questions, and only they, have no key facts")
    need = obj.get("need", len(facts))
    if not isinstance(need, int) or isinstance(need, bool) or not (1 if facts else 0) <= need <= len(facts):
        raise UsageError(f"{where}: need must be a whole number from 1 to the number of key facts ({len(facts)}), got {need!r}")
    doc = obj.get("doc") or ""
    if not isinstance(doc, str):
        raise UsageError(f"{where}: doc must be a family id string")
    return AnswerItem(qid, obj["question"], obj["lang"], obj["kind"], facts, need, doc)


def _facts(value: object, where: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list):
        raise UsageError(f"{where}: key_facts must be a list of {{\"any\": [wordings]}} objects")
    out = []
    for i, fact in enumerate(value, 1):
        alts = fact.get("any") if isinstance(fact, dict) else None
        if not isinstance(alts, list) or not alts or not all(isinstance(a, str) and normalise(a) for a in alts):
            raise UsageError(f"{where}: key fact {i} needs \"any\": a non-empty list of non-blank wordings")
        out.append(tuple(alts))
    return tuple(out)


def load_answer_set(path: Path = ANSWERS) -> tuple[AnswerItem, ...]:
    return load_set(path, "answer set", parse_item)


def unsupported_facts(items: Iterable[AnswerItem], texts: Mapping[tuple[str, Lang], Sequence[str]]
                      ) -> list[tuple[str, tuple[str, ...]]]:
    """(question id, fact) for every fact none of whose wordings occurs in the corpus text an answer
    may quote: `texts` maps (family, lang) to that version's texts. An English question must be
    answerable from the English version, a Chinese one from either Chinese script; when the family
    has no version in the question's language (cross-lingual), any version counts. A question
    without `doc` may be answered from any document."""
    normed = {key: [normalise(t) for t in ts] for key, ts in texts.items()}
    out = []
    for item in items:
        pool = _versions(item, normed)
        for fact in item.facts:
            alts = [normalise(a) for a in fact]
            if not any(a in t for a in alts for t in pool):
                out.append((item.id, fact))
    return out


def _versions(item: AnswerItem, normed: Mapping[tuple[str, Lang], Sequence[str]]) -> list[str]:
    mine = [k for k in normed if not item.doc or k[0] == item.doc]
    if item.lang == "en":
        same = [k for k in mine if k[1] == "en"]
    else:
        same = [k for k in mine if k[1] != "en"]
    return [t for k in (same or mine) for t in normed[k]]
