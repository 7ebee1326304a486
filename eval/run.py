"""`policyqa eval`: every retriever on the project's question set (or a BEIR dataset), one report.

Retrievers are small callables (query, top_k) -> [(id, score)] built by one factory, so bm25, dense,
hybrid (the Searcher's modes) and the naive baseline are run and scored the same way.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


from policyqa.corpus.config import Config
from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.eval.dataset import Question, load_questions, missing_gold, qrels_dict
from policyqa.eval.passes import (RETRIEVERS, Retriever, check_retrievers, method_notes, run_retriever, score,
                                  searcher_retriever, today)
from policyqa.eval.report import EvalResult, overall_table
from policyqa.eval.report_files import write_report

# ---------------------------------------------------------------- the project's own set
def evaluate_policyqa(
    config: Config,
    names: Sequence[str] = RETRIEVERS,
    *,
    questions: Sequence[Question] | None = None,
    store=None,
    encoder=None,
    searcher=None,
    answerer=None,
    with_abstention: bool = True,
    answer_items: Sequence | None = None,
    with_answers: bool = True,
    progress: bool = False,
) -> tuple[EvalResult, dict, dict[str, dict[str, list[str]]]]:
    """(result, qrels, ranked lists per retriever). Components not given are loaded from `config`.
    With `with_answers`, `ask` also answers the answer-quality set (eval/data/answers.jsonl, or
    `answer_items`) and the result carries its key-fact rates and one row per question."""
    questions = tuple(questions or load_questions())
    if store is None:
        from policyqa.corpus.store import load_or_ingest

        store = load_or_ingest(config)
    gaps = missing_gold(questions, {u.clause_id for u in store.units})
    if gaps:
        raise PolicyQAError("gold clause ids not in the clause store: " + ", ".join(f"{q}→{c}" for q, c in gaps[:8])
                            + " — fix eval/data/questions.jsonl or the ingestion")
    if with_answers and answer_items is None:
        from policyqa.eval.answer_set import load_answer_set

        answer_items = load_answer_set()  # a bad set fails here, before the long run
    needs_searcher = any(n != "naive" for n in names) or with_abstention or with_answers
    if encoder is None and ("naive" in names or needs_searcher):
        from policyqa.embed.encoder import load_encoder

        encoder = load_encoder(config)  # loaded once, shared by the searcher and the baseline
    if searcher is None and needs_searcher:
        from policyqa.index.search import load_searcher

        searcher = load_searcher(config, encoder=encoder)
    qrels = qrels_dict(questions)
    groups = {q.id: q.groups() for q in questions}
    queries = {q.id: q.query for q in questions}
    ranked_all: dict[str, dict[str, list[str]]] = {}
    results = []
    for name in names:
        if progress:
            print(f"eval: {name} on {len(queries)} questions", file=sys.stderr)
        if name == "naive":
            from policyqa.eval.baseline import NaiveRetriever, source_docs_from_store, split_documents

            retriever: Retriever = NaiveRetriever(split_documents(source_docs_from_store(store)), encoder).search
        else:
            retriever = searcher_retriever(searcher, name)
        ranked, latency = run_retriever(retriever, queries)
        ranked_all[name] = ranked
        results.append(score(name, ranked, qrels, groups, latency))
    ab, answers, rows = None, None, ()
    if answerer is None and (with_abstention or with_answers):
        from policyqa.serve.answer import Answerer

        answerer = Answerer(searcher, config)
    if with_abstention:
        if progress:
            print(f"eval: ask on {len(questions)} questions (abstention)", file=sys.stderr)
        ab = ask_quality(answerer, questions, config.mode)
    if with_answers:
        from policyqa.eval.answers import answer_quality, grade_answers

        if progress:
            print(f"eval: ask on {len(answer_items)} questions of the answer set (key facts)", file=sys.stderr)
        rows = tuple(grade_answers(answerer, answer_items))
        answers = {**answer_quality(rows), "mode": config.mode}
    res = EvalResult("policyqa", today(), len(questions), len(qrels), tuple(results), ab, notes=method_notes(names),
                     answers=answers, answer_rows=rows)
    return res, qrels, ranked_all


def ask_quality(answerer, questions: Sequence[Question], mode: str) -> dict:
    """`ask` on every question once: abstention at the answerer's threshold, the threshold this set
    would calibrate, rates with a threshold calibrated on the other folds, citations and latency."""
    from policyqa.eval.answers import (abstention_rates, ask_outcomes, calibrate_threshold, citation_quality,
                              cross_validated_rates, latency)

    outcomes = ask_outcomes(answerer, questions)
    return {**abstention_rates(outcomes), "mode": mode, "threshold": answerer.threshold,
            "calibrated_threshold": calibrate_threshold(outcomes),
            "cross_validated": cross_validated_rates(outcomes),
            "citations": citation_quality(outcomes), "latency_ms": latency(outcomes)}


# ---------------------------------------------------------------- entry point
def main_eval(config: Config, args) -> dict:
    names = check_retrievers(getattr(args, "retrievers", None))
    out = Path(args.out) if getattr(args, "out", None) else config.data_dir / "eval" / today()
    quiet = bool(getattr(args, "json", False))
    readme = getattr(args, "readme", None)
    half = getattr(args, "half", None)
    if half and (readme or getattr(args, "beir", None)):
        raise UsageError("--half splits the project's own question set; leave it out with --readme or --beir")
    if readme:
        if getattr(args, "beir", None):
            raise UsageError("--readme carries the project's own evaluation table; leave it out with --beir")
        from policyqa.eval.readme import check_readme

        check_readme(Path(readme), "eval")  # fail before a long run, not after
    if getattr(args, "beir", None):
        from policyqa.eval.beir_run import evaluate_beir

        res, qrels, ranked = evaluate_beir(config, Path(args.beir), names, progress=not quiet)
    else:
        from policyqa.eval.dataset import select_half

        questions = select_half(load_questions(), half) if half else None
        res, qrels, ranked = evaluate_policyqa(config, names, questions=questions, progress=not quiet)
    files = write_report(res, out, qrels, ranked)
    if readme:
        from policyqa.eval.readme import update_readme
        from policyqa.eval.report import readme_section

        update_readme(Path(readme), "eval", readme_section(res))
    if not quiet:
        print(overall_table(res))
        print(f"\nreport: {files['report.md']}")
    return {**res.to_dict(), "out": str(out), "files": sorted(p.name for p in files.values())}
