"""Search over the real bundled corpus with the real model, FAISS and BM25 (built once per session)."""
import json
import shutil

import pytest

from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.index.search import load_searcher
from policyqa.cli import main

C11 = "guiding-opinions-2023/c11"


def top(searcher, query, k=5, **kw):
    return [h.unit.clause_id for h in searcher.search(query, top_k=k, **kw).hits]


@pytest.mark.parametrize(
    "query, lang",
    [
        ("強化重點行業本質安全，引導企業改造有毒有害作業環境", "zh-Hant"),
        ("强化重点行业本质安全，引导企业改造有毒有害作业环境", "zh-Hans"),
        ("How should enterprises renovate toxic and harmful production environments to improve safety?", "en"),
    ],
)
def test_same_clause_first_in_each_script_and_shown_in_that_script(searcher, query, lang):
    hit = searcher.search(query, top_k=5).hits[0]
    assert hit.unit.clause_id == C11
    assert hit.unit.lang == lang
    assert {u.lang for u in hit.parallel} == {"en", "zh-Hans", "zh-Hant"} - {lang}


def test_a_traditional_question_is_embedded_in_simplified_and_answered_in_traditional(searcher):
    trad, simp = "求是文章提到數字產業化方面，要加快哪些領域的集成創新？", "求是文章提到数字产业化方面，要加快哪些领域的集成创新？"
    a, b = searcher.search(trad, top_k=10, mode="dense"), searcher.search(simp, top_k=10, mode="dense")
    assert [h.unit.clause_id for h in a.hits] == [h.unit.clause_id for h in b.hits]
    assert a.lang == "zh-Hant" and b.lang == "zh-Hans"
    # Both forms come from one encoder call; the result carries the question as written, for `ask`.
    written, _ = searcher.encoder.encode_query(trad)
    assert float(a.query_vector @ written) > 0.9999 and float(a.query_vector @ b.query_vector) < 0.9999
    shown = [h.unit.lang for h in a.hits if h.unit.doc_id.startswith("guiding-opinions")]
    assert shown and set(shown) == {"zh-Hant"}


def test_query_form_folds_traditional_only_where_simplified_passages_center_it():
    import numpy as np

    from policyqa.index.centering import query_form

    both = {"zh-Hans": np.zeros(2), "zh-Hant": np.zeros(2)}
    assert query_form("數字產業化", "zh-Hant", both) == ("数字产业化", "zh-Hans")
    assert query_form("數字產業化", "zh-Hant", {"zh-Hant": np.zeros(2)}) == ("數字產業化", "zh-Hant")
    assert query_form("digital", "en", both) == ("digital", "en")


def test_language_versions_count_once(searcher):
    ids = top(searcher, "强化重点行业本质安全", k=20)
    assert len(ids) == len(set(ids))


def test_chinese_question_finds_english_only_2017_report_item(searcher):
    # Item I.3 of the 2017 report: pilot cities / city clusters for "China Manufacturing 2025".
    result = searcher.search("中国制造2025试点城市有哪些？", top_k=5)
    ids = [h.unit.clause_id for h in result.hits]
    assert "cm2025-2017/s1/i3" in ids
    assert next(h for h in result.hits if h.unit.clause_id == "cm2025-2017/s1/i3").unit.lang == "en"


@pytest.mark.parametrize("query", ["（十一）", "(十一)", "clause 11", "(11)"])
def test_clause_number_lookup(searcher, query):
    assert top(searcher, query, k=1) == [C11]


@pytest.mark.parametrize("query", ["工信部联规〔2023〕258号", "工信部聯規〔2023〕258號", "MIIT Joint Regulation [2023] No. 258"])
def test_document_number_lookup_lands_in_that_document(searcher, query):
    hit = searcher.search(query, top_k=1).hits[0]
    assert hit.unit.clause_id.startswith("guiding-opinions-2023/")


def test_document_number_with_clause_number(searcher):
    assert top(searcher, "258号 （十一）", k=1) == [C11]


def test_bm25_chinese_scores_not_all_zero(searcher):
    assert searcher.search("產業大腦", mode="bm25", top_k=3).hits


def test_filters(searcher):
    res = searcher.search("safety", top_k=10, doc="cm2025-2017")
    assert res.hits and all(h.unit.doc_id == "cm2025-2017" for h in res.hits)
    res = searcher.search("安全", top_k=10, lang="zh-Hant")
    assert res.hits and all(h.unit.lang == "zh-Hant" for h in res.hits)


def test_modes_all_answer(searcher):
    for mode in ("dense", "bm25", "hybrid"):
        res = searcher.search("tax credit for safety equipment", mode=mode, top_k=5)
        assert res.mode == mode
        assert "guiding-opinions-2023/c16" in [h.unit.clause_id for h in res.hits]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(query="   "), "query is empty"),
        (dict(query="x", mode="fuzzy"), "hybrid, dense, bm25"),
        (dict(query="x", top_k=0), "1 to 1000"),
        (dict(query="x", doc="nope"), "cm2025-2017"),
    ],
)
def test_bad_input_is_a_usage_error(searcher, kwargs, message):
    with pytest.raises(UsageError, match=message):
        searcher.search(**kwargs)


def test_overlong_query_is_truncated_with_a_warning(searcher):
    res = searcher.search("安全生产 " * 3000, top_k=3)
    assert res.warnings and res.hits


def test_second_build_embeds_nothing(config, built, encoder):
    from policyqa.index.build import build

    again = build(config, encoder=encoder, progress=False)
    assert again.up_to_date and again.embedded == 0
    assert "nothing changed" in again.summary()


def test_index_refuses_other_model_and_corrupt_file(config, built, encoder, tmp_path):
    data = tmp_path / "var"
    shutil.copytree(config.data_dir, data)
    cfg = config.replace(data_dir=data)
    manifest_path = cfg.index_dir / "manifest.json"
    m = json.loads(manifest_path.read_text())
    m["model_fingerprint"] = "0" * 64
    manifest_path.write_text(json.dumps(m))
    with pytest.raises(PolicyQAError, match="build --force"):
        load_searcher(cfg, encoder=encoder)
    m["model_fingerprint"] = encoder.fingerprint
    manifest_path.write_text(json.dumps(m))
    load_searcher(cfg, encoder=encoder)  # restored: loads
    faiss_file = cfg.index_dir / "vectors.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    with pytest.raises(PolicyQAError, match="corrupted"):
        load_searcher(cfg, encoder=encoder)


def test_cli_search_json_contract(config, built, capsys):
    assert main(["search", "产业大脑", "--json", "--top-k", "3", "--data-dir", str(config.data_dir)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"query", "mode", "took_ms", "hits"}
    hit = out["hits"][0]
    assert set(hit) >= {"rank", "score", "doc_id", "clause_id", "lang", "heading", "text", "citation"}
    assert hit["lang"] == "zh-Hans" and len(out["hits"]) == 3


def test_cli_queries_file(config, built, tmp_path, capsys):
    qf = tmp_path / "q.jsonl"
    qf.write_text('{"id": "a", "query": "tax credit"}\n{"id": "b", "query": "產業大腦"}\n', encoding="utf-8")
    assert main(["search", "--queries", str(qf), "--json", "--data-dir", str(config.data_dir)]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"] and all(x["hits"] for x in lines)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["search", ""], "query is empty"),
        (["search", "x", "--top-k", "0"], "1 to 1000"),
        (["search", "x", "--mode", "fuzzy"], "hybrid"),
        (["search", "x", "--doc", "nope"], "cm2025-2017"),
    ],
)
def test_cli_bad_input_exits_2(config, built, argv, message, capsys):
    try:
        code = main(argv + ["--data-dir", str(config.data_dir)])
    except SystemExit as exc:  # argparse rejects bad option values itself, with code 2
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_missing_index_says_build(tmp_path, capsys):
    assert main(["search", "x", "--data-dir", str(tmp_path)]) == 1
    assert "policyqa build" in capsys.readouterr().err
