"""The evaluation report on disk: the PNG plots (matplotlib, Agg) and every file `write_report` puts in
the output folder (report.md, readme_section.md, metrics.json, answers.jsonl, TREC qrels and runs)."""
from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from policyqa.corpus.atomic import write_bytes, write_text
from policyqa.eval.report import LABELS, EvalResult, groups_of, markdown, readme_section


# ---------------------------------------------------------------- plots
def _save_fig(fig, path: Path) -> None:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    write_bytes(path, buf.getvalue())


def plot_recall_curves(res: EvalResult, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display here or in CI
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    try:
        for r in res.retrievers:
            ks = sorted(r.curve)
            ax.plot(ks, [r.curve[k] for k in ks], marker="o", label=r.name)
        ax.set_xlabel("k")
        ax.set_ylabel("Recall@k")
        ax.set_ylim(0, 1.02)
        ax.set_title(f"Recall@k — {res.dataset}")
        ax.grid(alpha=0.3)
        ax.legend()
        _save_fig(fig, path)
    finally:
        plt.close(fig)


def plot_group_bars(res: EvalResult, groups: Sequence[str], path: Path, title: str, metric: str = "recall@5") -> bool:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    if not groups:
        return False
    fig, ax = plt.subplots(figsize=(max(6, 1.3 * len(groups) * max(1, len(res.retrievers)) / 2), 4))
    try:
        x = np.arange(len(groups))
        width = 0.8 / max(1, len(res.retrievers))
        for i, r in enumerate(res.retrievers):
            vals = [r.groups.get(g, {}).get(metric, 0.0) for g in groups]
            ax.bar(x + i * width - 0.4 + width / 2, vals, width, label=r.name)
        ax.set_xticks(x, [g.split(":", 1)[-1] for g in groups])
        ax.set_ylabel(LABELS.get(metric, metric))
        ax.set_ylim(0, 1.05)
        ax.set_title(f"{LABELS.get(metric, metric)} by {title} — {res.dataset}")
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        _save_fig(fig, path)
    finally:
        plt.close(fig)
    return True


# ---------------------------------------------------------------- everything
def write_report(res: EvalResult, out: Path, qrels, ranked: Mapping[str, Mapping[str, Sequence[str]]]) -> dict[str, Path]:
    """Write report.md, metrics.json, plots and TREC files into `out`; returns what was written."""
    from policyqa.eval.metrics import make_qrels, make_run

    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    plot_recall_curves(res, out / "recall_at_k.png")
    plots = ["recall_at_k.png"]
    if plot_group_bars(res, groups_of(res, "lang:") + groups_of(res, "cross-lingual"), out / "by_language.png", "language/script"):
        plots.append("by_language.png")
    if plot_group_bars(res, groups_of(res, "kind:"), out / "by_kind.png", "kind of question"):
        plots.append("by_kind.png")
    for p in plots:
        files[p] = out / p
    # ranx writes TREC itself; its save is not atomic, so write to a temp name and rename.
    _save_ranx(make_qrels(qrels), out / "qrels.trec")
    files["qrels.trec"] = out / "qrels.trec"
    for name, lists in ranked.items():
        if any(lists.get(q) for q in lists):
            path = out / f"run.{name}.trec"
            _save_ranx(make_run(lists, name, list(lists)), path)
            files[path.name] = path
    if res.answer_rows:
        write_text(out / "answers.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in res.answer_rows))
        files["answers.jsonl"] = out / "answers.jsonl"
    write_text(out / "metrics.json", json.dumps(res.to_dict(), ensure_ascii=False, indent=2) + "\n")
    files["metrics.json"] = out / "metrics.json"
    write_text(out / "report.md", markdown(res, plots))
    files["report.md"] = out / "report.md"
    write_text(out / "readme_section.md", readme_section(res) + "\n")
    files["readme_section.md"] = out / "readme_section.md"
    return files


def _save_ranx(obj, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    obj.save(str(tmp), kind="trec")
    write_bytes(path, tmp.read_bytes())
    tmp.unlink()
