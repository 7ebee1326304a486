"""How well `ask` does on an evaluation set: abstention, citations and latency.

Questions may be eval.dataset.Question records or dicts with "id", "query" and "gold" (clause
ids; empty for out-of-scope). Each question is asked once; abstention at another threshold is
recomputed from the recorded support, so calibration does not ask again.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from policyqa.eval.metrics import abstention
from policyqa.eval.timing import percentiles, time_calls


@dataclass(frozen=True)
class Outcome:
    id: str
    should_abstain: bool
    abstained: bool
    support: float
    cited: tuple[str, ...]  # clause ids of the citations, in order
    gold: tuple[str, ...]
    took_ms: float


def _fields(q) -> tuple[str, str, tuple[str, ...]]:
    if isinstance(q, dict):
        return str(q.get("id", "")), q["query"], tuple(q.get("gold") or ())
    return str(q.id), q.query, tuple(q.gold)


def ask_outcomes(answerer, questions: Iterable, **ask_kwargs) -> list[Outcome]:
    out = []
    for q in questions:
        qid, query, gold = _fields(q)
        a = answerer.ask(query, **ask_kwargs)
        out.append(Outcome(qid, not gold, a.abstained, a.support,
                           tuple(c.source.unit.clause_id for c in a.citations), gold, a.took_ms))
    return out


def abstention_rates(outcomes: Sequence[Outcome], threshold: float | None = None) -> dict:
    """Abstaining is the positive class. With `threshold`, as if the answerer had used it."""
    def abstained(o: Outcome) -> bool:
        return o.abstained if threshold is None else o.support < threshold

    return abstention([(o.should_abstain, abstained(o)) for o in outcomes]).to_dict()


def calibrate_threshold(outcomes: Sequence[Outcome], false_abstention_cost: float = 2.0) -> float:
    """The support threshold maximizing recall - cost * false-abstention rate (a wrong "no clause
    addresses this" on an answerable question counts `cost` times a missed abstention). Ties go
    to the lowest threshold, i.e. the one that abstains least."""
    oos = np.array([o.support for o in outcomes if o.should_abstain])
    ans = np.array([o.support for o in outcomes if not o.should_abstain])
    if not len(oos) or not len(ans):
        raise ValueError("calibration needs both out-of-scope and answerable questions")
    supports = np.unique(np.concatenate([oos, ans]))
    # Halfway between neighbouring supports (as good on this set as any threshold in that gap, and
    # the least brittle), or past either end: abstain on nothing, or on everything.
    mids = np.concatenate([[supports[0] - 0.01], (supports[:-1] + supports[1:]) / 2, [supports[-1] + 0.01]])
    best, best_value = float(mids[0]), -np.inf
    for t in mids:
        value = np.mean(oos < t) - false_abstention_cost * np.mean(ans < t)
        if value > best_value + 1e-12:
            best, best_value = float(t), value
    return round(best, 4)


def cross_validated_rates(outcomes: Sequence[Outcome], folds: int = 5, false_abstention_cost: float = 2.0) -> dict:
    """Abstention rates with the threshold calibrated on the other folds: an honest estimate of
    how the calibrated threshold does on questions it was not fitted to."""
    order = sorted(outcomes, key=lambda o: o.id)
    held_out: list[Outcome] = []
    for k in range(folds):
        test = order[k::folds]
        train = [o for i, o in enumerate(order) if i % folds != k]
        t = calibrate_threshold(train, false_abstention_cost)
        held_out += [Outcome(o.id, o.should_abstain, o.support < t, o.support, o.cited, o.gold, o.took_ms) for o in test]
    return abstention_rates(held_out)


def citation_quality(outcomes: Sequence[Outcome]) -> dict:
    """On answered answerable questions: how often a gold clause is cited ([1] or any), and the
    share of cited clauses that are gold."""
    answered = [o for o in outcomes if not o.should_abstain and not o.abstained and o.cited]
    if not answered:
        return {"answered": 0, "first_citation_gold": None, "any_citation_gold": None, "cited_precision": None}
    cited = [c for o in answered for c in o.cited]
    return {
        "answered": len(answered),
        "first_citation_gold": sum(o.cited[0] in o.gold for o in answered) / len(answered),
        "any_citation_gold": sum(any(c in o.gold for c in o.cited) for o in answered) / len(answered),
        "cited_precision": sum(c in o.gold for o in answered for c in o.cited) / len(cited),
        "mean_citations": len(cited) / len(answered),
    }


def latency(outcomes: Sequence[Outcome]) -> dict:
    """`ask` latency (ms) as recorded by the answers themselves."""
    return percentiles([o.took_ms for o in outcomes], digits=1)


def measure_ask(answerer, questions: Sequence, warmup: int = 2, **ask_kwargs) -> dict:
    """Warm `ask` latency in ms: a few untimed questions first, then each question once."""
    queries = [_fields(q)[1] if not isinstance(q, str) else q for q in questions]
    if not queries:
        raise ValueError("no questions to time")
    for q in queries[:warmup]:
        answerer.ask(q, **ask_kwargs)
    return percentiles(time_calls(lambda q: answerer.ask(q, **ask_kwargs), queries, warmup=0), digits=1)


# ---------------------------------------------------------------- key facts (eval/data/answers.jsonl)
def grade_answers(answerer, items: Iterable, **ask_kwargs) -> list[dict]:
    """`ask` once per item of the answer-quality set (eval.answer_set.AnswerItem); one row per
    question with the answer text, whether it passed and the key facts it lacks."""
    from policyqa.eval.keyfacts import answer_passes, half, missing_facts

    rows = []
    for item in items:
        a = answerer.ask(item.question, **ask_kwargs)
        missing = missing_facts(a.answer, item.facts) if item.facts and not a.abstained else list(item.facts)
        rows.append({
            "id": item.id, "half": half(item.id), "question": item.question, "lang": item.lang, "kind": item.kind,
            "doc": item.doc, "abstained": a.abstained,
            "passed": answer_passes(a.answer, item.facts, item.need, abstained=a.abstained),
            "found": len(item.facts) - len(missing), "need": item.need, "facts": len(item.facts),
            "missing": [list(f) for f in missing], "answer": a.answer,
            "cited": [c.source.unit.key for c in a.citations], "took_ms": round(a.took_ms, 1),
        })
    return rows


def answer_quality(rows: Sequence[dict]) -> dict:
    """Key-fact rates of graded rows: overall, by kind and by lang/script, on each half."""
    from policyqa.eval.keyfacts import Graded, summary

    return {"questions": len(rows),
            "halves": summary([Graded(r["id"], r["kind"], r["lang"], r["passed"]) for r in rows])}
