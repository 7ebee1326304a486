"""The evaluation report's content: the result of a run (`EvalResult`), its targets, and the Markdown
tables of report.md and of the README block. Text only; report_files writes it, with the plots, to disk."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Targets of the project's own set (issue 6); checked in the report, never by a timed test.
TARGETS: tuple[tuple[str, str, str, float], ...] = (
    ("hybrid", "all", "recall@5", 0.95),
    ("hybrid", "all", "mrr@10", 0.85),
    ("hybrid", "cross-lingual", "recall@5", 0.85),
)
# Answer quality (issue 13): the key-fact rate overall and its minimum over kinds and over scripts,
# met on the whole set and on the held-out half.
ANSWER_TARGETS: tuple[tuple[str, float], ...] = (("overall", 0.90), ("kind", 0.80), ("lang", 0.80))
HEADLINE = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10")
LABELS = {"recall@1": "R@1", "recall@5": "R@5", "recall@10": "R@10", "mrr@10": "MRR@10", "ndcg@10": "nDCG@10"}


@dataclass(frozen=True)
class RetrieverResult:
    name: str
    groups: Mapping[str, Mapping[str, float]]  # group -> metric -> value (+ "n")
    curve: Mapping[int, float]  # k -> recall@k over all judged questions
    latency_ms: Mapping[str, float] = field(default_factory=dict)  # p50/p95 per query in this run

    def to_dict(self) -> dict:
        return {
            "groups": {g: dict(v) for g, v in self.groups.items()},
            "recall_curve": {str(k): v for k, v in self.curve.items()},
            "latency_ms": dict(self.latency_ms),
        }


@dataclass(frozen=True)
class EvalResult:
    dataset: str
    date: str
    questions: int
    judged: int
    retrievers: tuple[RetrieverResult, ...]
    abstention: Mapping | None = None  # Abstention.to_dict() plus the mode it was measured with
    notes: tuple[str, ...] = ()
    machine: Mapping | None = None
    answers: Mapping | None = None  # eval.answers.answer_quality(): key-fact rates per half
    answer_rows: tuple[Mapping, ...] = ()  # one graded answer per question (answers.jsonl, not metrics.json)

    def get(self, name: str) -> RetrieverResult | None:
        return next((r for r in self.retrievers if r.name == name), None)

    def targets(self) -> list[dict]:
        rows = []
        for name, group, metric, goal in TARGETS:
            r = self.get(name)
            value = r.groups.get(group, {}).get(metric) if r else None
            rows.append({"retriever": name, "group": group, "metric": metric, "target": goal, "value": value,
                         "met": None if value is None else value >= goal})
        hybrid, naive = self.get("hybrid"), self.get("naive")
        if hybrid and naive:
            gap = hybrid.groups["all"]["recall@5"] - naive.groups["all"]["recall@5"]
            rows.append({"retriever": "hybrid - naive", "group": "all", "metric": "recall@5", "target": 0.10,
                         "value": gap, "met": gap >= 0.10})
        return rows

    def to_dict(self) -> dict:
        out = {
            "dataset": self.dataset,
            "date": self.date,
            "questions": self.questions,
            "judged": self.judged,
            "retrievers": {r.name: r.to_dict() for r in self.retrievers},
            "abstention": dict(self.abstention) if self.abstention else None,
            "notes": list(self.notes),
        }
        if self.dataset == "policyqa":
            out["targets"] = self.targets()
        if self.machine:
            out["machine"] = dict(self.machine)
        if self.answers:
            out["answers"] = {**self.answers, "targets": answer_targets(self.answers)}
        return out


# ---------------------------------------------------------------- markdown
def _fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def _group_order(groups: Sequence[str]) -> list[str]:
    def key(g: str) -> tuple[int, str]:
        order = {"all": 0, "cross-lingual": 3}
        if g.startswith("lang:"):
            return (1, g)
        if g.startswith("kind:"):
            return (2, g)
        return (order.get(g, 4), g)

    return sorted(groups, key=key)


def overall_table(res: EvalResult) -> str:
    lines = ["| retriever | " + " | ".join(LABELS[m] for m in HEADLINE) + " |",
             "|---|" + "---:|" * len(HEADLINE)]
    for r in res.retrievers:
        row = r.groups.get("all", {})
        lines.append(f"| {r.name} | " + " | ".join(_fmt(row.get(m)) for m in HEADLINE) + " |")
    return "\n".join(lines)


def groups_of(res: EvalResult, prefix: str) -> list[str]:
    """Group names starting with `prefix` ("lang:", "kind:") or equal to it ("cross-lingual"), in report order."""
    return _group_order({g for r in res.retrievers for g in r.groups if g.startswith(prefix) or g == prefix})


def breakdown_table(res: EvalResult, groups: Sequence[str], metrics: Sequence[str] = ("recall@5", "mrr@10")) -> str:
    """Rows are groups (one language/script or kind), cells "R@5 / MRR@10" per retriever."""
    names = [r.name for r in res.retrievers]
    head = " / ".join(LABELS.get(m, m) for m in metrics)
    lines = ["| group | n | " + " | ".join(f"{n} ({head})" for n in names) + " |",
             "|---|---:|" + "---|" * len(names)]
    for g in groups:
        n = next((int(r.groups[g]["n"]) for r in res.retrievers if g in r.groups), 0)
        cells = []
        for r in res.retrievers:
            row = r.groups.get(g)
            cells.append(" / ".join(_fmt(row.get(m)) for m in metrics) if row else "–")
        lines.append(f"| {g.split(':', 1)[-1]} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def answer_targets(answers: Mapping) -> list[dict]:
    """Target rows (targets_table's shape) for the key-fact rate: overall, worst kind, worst script;
    on the whole set and on the held-out half."""
    rows = []
    for which in ("all", "held-out"):
        part = answers["halves"][which]
        for group, goal in ANSWER_TARGETS:
            if group == "overall":
                value, label = part["overall"]["rate"], "overall"
            else:
                rates = {g: c["rate"] for g, c in part[group].items() if c["rate"] is not None}
                worst = min(rates, key=rates.get) if rates else None
                value, label = (rates[worst] if worst else None), f"worst {'script' if group == 'lang' else group} ({worst})"
            rows.append({"retriever": "ask", "group": f"{which} {label}", "metric": "key-fact rate", "target": goal,
                         "value": value, "met": None if value is None else value >= goal})
    return rows


def targets_table(res: EvalResult, rows: Sequence[Mapping] | None = None) -> str:
    """The retrieval targets of `res`, or the given rows in the same shape."""
    lines = ["| target | value | goal | met |", "|---|---:|---:|---|"]
    for t in res.targets() if rows is None else rows:
        met = "–" if t["met"] is None else ("yes" if t["met"] else "**no**")
        lines.append(f"| {t['retriever']} {t['group']} {LABELS.get(t['metric'], t['metric'])} | {_fmt(t['value'])} | ≥ {t['target']:.2f} | {met} |")
    return "\n".join(lines)


def abstention_table(ab: Mapping) -> str:
    lines = [
        "| threshold | out-of-scope | abstained on them | answerable | abstained on them | precision | recall | false-abstention rate |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| {ab.get('threshold', '–')} (in use) | {ab['out_of_scope']} | {ab['abstained_out_of_scope']} | {ab['answerable']} "
        f"| {ab['abstained_answerable']} | {_fmt(ab['precision'])} | {_fmt(ab['recall'])} | {_fmt(ab['false_abstention_rate'])} |",
    ]
    cv = ab.get("cross_validated")
    if cv:
        lines.append(f"| calibrated on the other 4 folds | {cv['out_of_scope']} | {cv['abstained_out_of_scope']} | {cv['answerable']} "
                     f"| {cv['abstained_answerable']} | {_fmt(cv['precision'])} | {_fmt(cv['recall'])} | {_fmt(cv['false_abstention_rate'])} |")
    extra = []
    if ab.get("calibrated_threshold") is not None:
        extra.append(f"threshold this set calibrates (a false abstention costs twice a missed one): {ab['calibrated_threshold']}")
    c = ab.get("citations") or {}
    if c.get("answered"):
        extra.append(f"on {c['answered']} answered answerable questions: citation [1] is a gold clause {_fmt(c['first_citation_gold'])}, "
                     f"some citation is gold {_fmt(c['any_citation_gold'])}, cited clauses that are gold {_fmt(c['cited_precision'])}, "
                     f"{c['mean_citations']:.2f} citations per answer")
    lat = ab.get("latency_ms")
    if lat:
        extra.append(f"`ask` latency in this run: p50 {lat['p50_ms']} ms, p95 {lat['p95_ms']} ms (n={lat['n']})")
    return "\n".join(lines + ([""] + [f"- {e}" for e in extra] if extra else []))


def _rate_cell(cell: Mapping | None) -> str:
    return "–" if not cell or not cell["n"] else f"{_fmt(cell['rate'])} ({cell['passed']}/{cell['n']})"


def answers_table(answers: Mapping) -> str:
    """Key-fact rate (passed/n) overall, by kind and by script; columns: whole set, tuning half
    (odd ids, where the answer layer's rules are chosen) and held-out half (even ids)."""
    halves = answers["halves"]
    cols = ("all", "tuning", "held-out")
    lines = ["| group | whole set | tuning (odd ids) | held-out (even ids) |", "|---|---:|---:|---:|",
             "| all | " + " | ".join(_rate_cell(halves[c]["overall"]) for c in cols) + " |"]
    for key, label in (("kind", "kind"), ("lang", "script")):
        for g in halves["all"][key]:
            lines.append(f"| {label}: {g} | " + " | ".join(_rate_cell(halves[c][key].get(g)) for c in cols) + " |")
    return "\n".join(lines)


def answers_section(res: EvalResult) -> list[str]:
    a = res.answers
    if not a:
        return []
    return [f"Answer quality of `ask` (mode {a.get('mode', 'hybrid')}) on the answer set ({a['questions']} questions, "
            "EN/简/繁, eval/data/answers.jsonl): a question passes when its answer holds the key facts it needs "
            "(out-of-scope: when it abstains):", "", answers_table(a), "",
            targets_table(res, answer_targets(a))]


def readme_section(res: EvalResult) -> str:
    """The block the README carries between <!-- eval:start --> and <!-- eval:end -->."""
    parts = [f"Retrieval on the project's evaluation set ({res.judged} answerable + "
             f"{res.questions - res.judged} out-of-scope questions, EN/简/繁), `policyqa eval`, {res.date}:", "",
             overall_table(res), "", "By language/script and cross-lingual (Recall@5 / MRR@10):", "",
             breakdown_table(res, groups_of(res, "lang:") + groups_of(res, "cross-lingual"))]
    if res.dataset == "policyqa":
        parts += ["", "Targets (from the evaluation issue; reported as measured, met or not):", "", targets_table(res)]
    if res.abstention:
        parts += ["", f"Abstention of `ask` (mode {res.abstention.get('mode', 'hybrid')}):", "", abstention_table(res.abstention)]
    if res.answers:
        parts += [""] + answers_section(res)
    return "\n".join(parts)


def markdown(res: EvalResult, plots: Sequence[str] = ()) -> str:
    out = [f"# Retrieval evaluation: {res.dataset}", "", f"Date: {res.date}  ",
           f"Questions: {res.questions} ({res.judged} with gold clauses)  ",
           "Metrics: ranx; clause-level runs (the three language versions of a clause count once).", ""]
    if res.machine:
        out += ["Machine: " + ", ".join(f"{k} {v}" for k, v in res.machine.items()), ""]
    out += ["## Overall", "", overall_table(res), ""]
    if any(r.latency_ms for r in res.retrievers):
        out += ["Per-query latency in this run (ms, p50 / p95): " + "; ".join(
            f"{r.name} {r.latency_ms.get('p50', 0):.1f} / {r.latency_ms.get('p95', 0):.1f}" for r in res.retrievers if r.latency_ms), ""]
    if res.dataset == "policyqa":
        out += ["## Targets", "", targets_table(res), ""]
    if groups_of(res, "lang:"):
        out += ["## By language and script", "", breakdown_table(res, groups_of(res, "lang:")), ""]
    if groups_of(res, "cross-lingual"):
        out += ["## Cross-lingual (Chinese questions about English-only documents)", "",
                breakdown_table(res, ["cross-lingual"], ("recall@1", "recall@5", "mrr@10")), ""]
    if groups_of(res, "kind:"):
        out += ["## By kind of question", "", breakdown_table(res, groups_of(res, "kind:")), ""]
    if res.abstention:
        out += ["## Abstention (`ask`)", "", abstention_table(res.abstention), ""]
    if res.answers:
        out += ["## Answer quality (key facts)", ""] + answers_section(res) + [
            "", "Every answer, with the key facts it lacks: answers.jsonl.", ""]
    if plots:
        out += ["## Plots", ""] + [f"![{p}]({p})" for p in plots] + [""]
    if res.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in res.notes] + [""]
    return "\n".join(out)
