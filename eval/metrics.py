"""Retrieval metrics through ranx (never re-implemented here) and abstention counts from `ask`.

Runs are clause-level: one ranked list of clause ids per question. ranx orders a run by score, so
the score written for each clause is 1/rank: a fused score that ties can never reorder what the
retriever returned.
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ranx import Qrels, Run, evaluate

METRICS: tuple[str, ...] = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10")
CURVE_KS: tuple[int, ...] = tuple(range(1, 11))

Ranked = Mapping[str, Sequence[str]]  # question id -> clause ids, best first


def make_qrels(qrels: Mapping[str, Mapping[str, int]]) -> Qrels:
    return Qrels({q: dict(d) for q, d in qrels.items()})


def make_run(ranked: Ranked, name: str, only: Sequence[str] | None = None) -> Run:
    """A ranx Run from ranked lists; `only` keeps those question ids (each one present, even with no hits).

    ranx refuses a run without a single document; callers check that first.
    """
    ids = list(ranked) if only is None else list(only)
    body: dict[str, dict[str, float]] = {}
    for qid in ids:
        docs: dict[str, float] = {}
        for rank, doc in enumerate(ranked.get(qid, ()), 1):
            docs.setdefault(doc, 1.0 / rank)  # a duplicate keeps its best rank
        body[qid] = docs
    return Run(body, name=name)


def _evaluate(qrels: Mapping[str, Mapping[str, int]], ranked: Ranked, metrics: Sequence[str], name: str) -> dict[str, float]:
    ids = list(qrels)
    if not any(ranked.get(q) for q in ids):
        return {m: 0.0 for m in metrics}  # ranx cannot build a run with no documents at all
    with warnings.catch_warnings():
        # numba warns about an unsigned cast inside ranx on every call; it does not affect results.
        warnings.simplefilter("ignore")
        out = evaluate(make_qrels({q: qrels[q] for q in ids}), make_run(ranked, name, ids), list(metrics))
    if isinstance(out, float) or not isinstance(out, dict):  # ranx returns a bare float for one metric
        out = {metrics[0]: out}
    return {m: float(v) for m, v in out.items()}


def evaluate_groups(
    qrels: Mapping[str, Mapping[str, int]],
    ranked: Ranked,
    groups: Mapping[str, Sequence[str]],
    metrics: Sequence[str] = METRICS,
    name: str = "run",
) -> dict[str, dict[str, float]]:
    """{group: {metric: mean, "n": count}} for every group with at least one judged question.

    `groups` maps question id -> the group names it belongs to; questions without qrels
    (out-of-scope) are not scored here.
    """
    members: dict[str, list[str]] = {}
    for qid in qrels:
        for g in groups.get(qid, ("all",)):
            members.setdefault(g, []).append(qid)
    table: dict[str, dict[str, float]] = {}
    for g, ids in members.items():
        row = _evaluate({q: qrels[q] for q in ids}, ranked, metrics, name)
        row["n"] = float(len(ids))
        table[g] = row
    return table


def recall_curve(qrels: Mapping[str, Mapping[str, int]], ranked: Ranked, ks: Sequence[int] = CURVE_KS, name: str = "run") -> dict[int, float]:
    metrics = [f"recall@{k}" for k in ks]
    out = _evaluate(qrels, ranked, metrics, name)
    return {k: out[f"recall@{k}"] for k in ks}


@dataclass(frozen=True)
class Abstention:
    """Abstaining is the positive class: it is right on out-of-scope questions, wrong elsewhere."""

    out_of_scope: int
    answerable: int
    abstained_out_of_scope: int
    abstained_answerable: int

    @property
    def precision(self) -> float | None:
        total = self.abstained_out_of_scope + self.abstained_answerable
        return self.abstained_out_of_scope / total if total else None

    @property
    def recall(self) -> float | None:
        return self.abstained_out_of_scope / self.out_of_scope if self.out_of_scope else None

    @property
    def false_abstention_rate(self) -> float | None:
        return self.abstained_answerable / self.answerable if self.answerable else None

    def to_dict(self) -> dict:
        return {
            "out_of_scope": self.out_of_scope,
            "answerable": self.answerable,
            "abstained_out_of_scope": self.abstained_out_of_scope,
            "abstained_answerable": self.abstained_answerable,
            "precision": self.precision,
            "recall": self.recall,
            "false_abstention_rate": self.false_abstention_rate,
        }


def abstention(outcomes: Sequence[tuple[bool, bool]]) -> Abstention:
    """outcomes: (should_abstain, abstained) per question."""
    oos = [a for s, a in outcomes if s]
    ans = [a for s, a in outcomes if not s]
    return Abstention(len(oos), len(ans), sum(oos), sum(ans))
