"""Hybrid search with both halves in Milvus (dense + BM25 function) against the embedded default
(FAISS + bm25s), on the project's question set: R@5 and MRR@10 per mode on the whole set and on
each half (odd- and even-numbered ids), and how often the two return the same top 10.

    python -m policyqa.eval.milvus_compare [--data-dir DIR]

Both indexes are built in temporary data dirs seeded with DIR's embedding cache (nothing is
re-embedded when DIR has been built with the same model).
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
from pathlib import Path

from policyqa.corpus.config import Config

MODES = ("bm25", "dense", "hybrid")
METRICS = ("recall@5", "mrr@10")


def half(qid: str) -> str:
    digits = re.findall(r"\d+", qid)
    return "odd" if digits and int(digits[-1]) % 2 else "even"


def compare(config: Config) -> dict:
    from policyqa.embed.encoder import load_encoder
    from policyqa.eval.dataset import load_questions, qrels_dict
    from policyqa.eval.metrics import evaluate_groups
    from policyqa.eval.run import run_retriever, searcher_retriever
    from policyqa.index.build import build
    from policyqa.index.search import load_searcher

    questions = load_questions()
    qrels = qrels_dict(questions)
    groups = {q.id: ("all", half(q.id)) for q in questions}
    queries = {q.id: q.query for q in questions}
    encoder = load_encoder(config)
    setups = {"embedded (faiss + bm25s)": {"vector_backend": "faiss", "keyword_backend": "bm25s"},
              "milvus (dense + BM25 in Milvus)": {"vector_backend": "milvus", "keyword_backend": "milvus"}}
    out: dict = {"questions": len(questions), "judged": len(qrels), "setups": {}}
    ranked_by: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="policyqa-milvus-compare-") as tmp:
        for name, changes in setups.items():
            data = Path(tmp) / changes["keyword_backend"]
            data.mkdir()
            if (config.embed_cache_dir).is_dir():
                shutil.copytree(config.embed_cache_dir, data / config.embed_cache_dir.name)
            cfg = config.replace(data_dir=data, **changes)
            build(cfg, encoder=encoder, progress=False)
            searcher = load_searcher(cfg, encoder=encoder)
            rows, ranked_by[name] = {}, {}
            for mode in MODES:
                ranked, latency = run_retriever(searcher_retriever(searcher, mode), queries)
                ranked_by[name][mode] = ranked
                table = evaluate_groups(qrels, ranked, groups, METRICS, name=mode)
                rows[mode] = {g: {m: round(v[m], 4) for m in METRICS} for g, v in table.items()}
                rows[mode]["p50_ms"] = round(latency["p50"], 1)
            out["setups"][name] = rows
    a, b = (ranked_by[n] for n in setups)
    out["same_top10"] = {mode: round(sum(a[mode][q] == b[mode][q] for q in queries) / len(queries), 4)
                         for mode in MODES}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="whose embedding cache seeds both builds (default POLICYQA_DATA_DIR)")
    args = parser.parse_args()
    config = Config.from_env(data_dir=Path(args.data_dir) if args.data_dir else None)
    print(json.dumps(compare(config), indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
