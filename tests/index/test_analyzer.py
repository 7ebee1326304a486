"""The shared analyzer, and bm25s scores checked against a reference Okapi BM25 written here."""
import math

import numpy as np
import pytest

from policyqa.index.analyzer import normalize, reference_tokens, tokenize
from policyqa.index.bm25 import BM25Index


def test_traditional_and_simplified_give_the_same_tokens():
    assert tokenize("產業大腦是什麼？") == tokenize("产业大脑是什么？")
    assert "产业" in tokenize("產業大腦")


def test_over_converted_traditional_folds_to_standard_simplified():
    assert normalize("全麵") == "全面"


def test_english_is_lowercased_stemmed_and_stopped():
    assert tokenize("The Equipment of Safety") == ["equip", "safeti"]


@pytest.mark.parametrize("british,american", [
    ("the five flagship programmes", "the five flagship programs"),
    ("organisation and modernisation", "organization and modernization"),
    ("optimised the innovation centre", "optimized the innovation center"),
    ("labour-intensive", "labor-intensive"),
])
def test_british_spelling_gives_the_american_tokens(british, american):
    assert tokenize(british) == tokenize(american)
    assert tokenize("enterprise") == ["enterpris"] and tokenize("rise") == ["rise"]  # -ise words left alone


def test_the_milvus_text_reads_british_spelling_as_tokenize_does():
    from policyqa.index.analyzer import analyzed_text

    assert analyzed_text("flagship programmes") == analyzed_text("flagship programs")


@pytest.mark.parametrize(
    "text",
    ["（十一）强化重点行业本质安全", "(十一)強化重點行業本質安全", "(11) Strengthen intrinsic safety", "clause 11", "第十一条"],
)
def test_clause_references_share_one_token(text):
    assert "§c11" in tokenize(text)


def test_spelled_out_clause_number():
    assert "§c17" in tokenize("(Seventeen) Strengthen financial services")


@pytest.mark.parametrize("text", ["工信部联规〔2023〕258号", "工信部聯規〔2023〕258號", "MIIT Joint Regulation [2023] No. 258", "No. 258"])
def test_document_numbers_share_one_token(text):
    assert "§no258" in reference_tokens(normalize(text))


def reference_bm25(docs: list[list[str]], query: list[str], k1: float = 1.5, b: float = 0.75) -> list[float]:
    """BM25 as Lucene computes it (Kamphuis et al. 2020), bm25s's default: idf = log(1 + (N - df + 0.5) /
    (df + 0.5)) and tf / (tf + k1 (1 - b + b dl / avgdl)), without Robertson's (k1 + 1) factor."""
    n = len(docs)
    avgdl = sum(len(d) for d in docs) / n
    out = []
    for d in docs:
        score = 0.0
        for term in set(query):
            df = sum(1 for x in docs if term in x)
            if df == 0:
                continue
            tf = d.count(term)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            score += idf * tf / (tf + k1 * (1 - b + b * len(d) / avgdl))
        out.append(score)
    return out


def test_bm25_matches_reference_implementation():
    texts = ["产业大脑 建设 工业互联网", "產業鏈 供應鏈 協同", "tax credit for safety equipment",
             "safety production and safety equipment upgrades", "绿色 制造 体系"]
    index = BM25Index.build(texts)
    docs = [tokenize(t) for t in texts]
    for query in ["safety equipment", "产业链", "產業大腦", "green"]:
        expected = reference_bm25(docs, tokenize(query))
        np.testing.assert_allclose(index.scores(query), expected, rtol=1e-5, atol=1e-6)


def test_chinese_query_scores_are_not_all_zero():
    index = BM25Index.build(["强化重点行业本质安全", "推进产业链供应链网络化协同", "Strengthen intrinsic safety"])
    for query in ["本質安全", "本质安全", "供應鏈協同"]:
        assert index.scores(query).max() > 0


def test_bm25_round_trip(tmp_path):
    index = BM25Index.build(["a safety clause", "产业大脑"])
    index.save(tmp_path)
    again = BM25Index.load(tmp_path, 2)
    np.testing.assert_allclose(again.scores("产业大脑"), index.scores("产业大脑"))
