"""The real server over HTTP: the named endpoints through gradio_client and plain HTTP, bad requests,
the body limit, auth, and loopback binding."""
from __future__ import annotations

import json

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from tests.serve.conftest import running_app

GO = "guiding-opinions-2023"
CITATION_KEYS = {"n", "doc_id", "clause_id", "lang", "heading", "number", "text", "quote", "parallel"}


def _check_citations(out: dict, clause_id: str, lang: str) -> dict:
    assert set(out) >= {"question", "answer", "abstained", "took_ms", "citations", "related"}
    assert not out["abstained"], out["answer"]
    by_clause = {c["clause_id"]: c for c in out["citations"]}
    assert clause_id in by_clause, [c["clause_id"] for c in out["citations"]]
    c = by_clause[clause_id]
    assert CITATION_KEYS <= set(c)
    assert c["lang"] == lang
    assert c["text"][c["quote_start"]:c["quote_end"]] == c["quote"]
    assert f"[{c['n']}]" in out["answer"]
    assert {v["lang"] for v in c["parallel"]} == {"en", "zh-Hans", "zh-Hant"} - {lang}
    cited = {x["clause_id"] for x in out["citations"]}
    assert not cited & {r["clause_id"] for r in out["related"]}
    return c


def test_api_lists_ask_and_search(client):
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/ask", "/search"} <= set(endpoints)
    assert endpoints["/ask"]["parameters"][0]["parameter_name"] == "question"


@pytest.mark.parametrize("question,clause,lang", [
    ("Is there a tax credit for safety equipment?", f"{GO}/c16", "en"),
    ("产业大脑是什么？", f"{GO}/c6", "zh-Hans"),
    ("對安全生產專用設備有稅收優惠嗎？", f"{GO}/c16", "zh-Hant"),
])
def test_ask_cites_the_clause_in_the_question_script(client, question, clause, lang):
    out = client.predict(question, api_name="/ask")
    c = _check_citations(out, clause, lang)
    assert out["lang"] == lang
    if lang == "zh-Hans":
        assert "产业大脑" in c["quote"] and c["number"] == "（六）"
    if lang == "zh-Hant":
        assert c["number"] == "(十六)" and "稅" in c["quote"]


def test_ask_over_plain_http_matches_the_cli_json(server, answerer):
    with httpx.Client(timeout=60) as http:
        event = http.post(f"{server}/gradio_api/call/ask", json={"data": ["产业大脑是什么？", "hybrid", "", 5]}).json()["event_id"]
        lines = http.get(f"{server}/gradio_api/call/ask/{event}").text.splitlines()
    assert "event: complete" in lines
    payload = json.loads(lines[lines.index("event: complete") + 1].removeprefix("data:").strip())
    (out,) = payload
    local = answerer.ask("产业大脑是什么？", top_k=5).to_dict()
    assert [c["clause_id"] for c in out["citations"]] == [c["clause_id"] for c in local["citations"]]
    assert out["answer"] == local["answer"]


def test_search_endpoint_returns_ranked_clauses_with_filters(client):
    out = client.predict("数字化转型", "bm25", "guiding-opinions-zh-hans", "zh-Hans", 3, api_name="/search")
    assert out["mode"] == "bm25" and 1 <= len(out["hits"]) <= 3
    assert all(h["lang"] == "zh-Hans" and h["doc_id"] == "guiding-opinions-zh-hans" for h in out["hits"])
    assert [h["rank"] for h in out["hits"]] == list(range(1, len(out["hits"]) + 1))


@pytest.mark.parametrize("args,message", [
    (("",), "question is empty"),
    (("   \n ",), "question is empty"),
    (("x" * 100_000,), "the limit is 2,000"),
    (("产业\x00大脑",), "control characters"),
    ((12345,), "must be text"),
    ((["a", "list"],), "must be text"),
    (("产业大脑", "fuzzy"), "mode must be one of"),
    (("产业大脑", "hybrid", "", 0), "top_k must be a whole number"),
    (("产业大脑", "hybrid", "", "ten"), "top_k must be a whole number"),
    (("产业大脑", "hybrid", "../../etc/passwd"), "unknown document"),
])
def test_bad_requests_get_a_clear_error_and_the_server_keeps_serving(client, args, message):
    with pytest.raises(AppError, match=message):
        client.predict(*args, api_name="/ask")
    assert not client.predict("产业大脑是什么？", api_name="/ask")["abstained"]


def test_bad_search_language_is_named(client):
    with pytest.raises(AppError, match="lang must be one of"):
        client.predict("数字化转型", "hybrid", "", "fr", 3, api_name="/search")


def test_oversized_body_is_refused_before_parsing(server):
    with httpx.Client(timeout=60) as http:
        r = http.post(f"{server}/gradio_api/call/ask", json={"data": ["x" * 2_000_000]})
        assert r.status_code == 413
        assert "limit is 1,000,000" in r.json()["error"]
        r = http.post(f"{server}/gradio_api/call/ask", content=b"{", headers={"content-type": "application/json"})
        assert 400 <= r.status_code < 500  # malformed JSON: a client error, not a crash
        assert http.get(f"{server}/gradio_api/info").status_code == 200


def test_server_binds_loopback_by_default(server, config):
    from policyqa.serve.app import launch_kwargs

    assert config.host == "127.0.0.1"
    assert launch_kwargs(config)["server_name"] == "127.0.0.1"
    assert server.startswith("http://127.0.0.1:")


def test_basic_auth_from_config(answerer, config):
    with running_app(answerer, config.replace(auth=("reader", "s3cret-pass"))) as url:
        assert httpx.get(f"{url}/gradio_api/info", timeout=30).status_code == 401
        with pytest.raises(Exception):
            Client(url, verbose=False)
        authed = Client(url, auth=("reader", "s3cret-pass"), verbose=False)
        out = authed.predict("Is there a tax credit for safety equipment?", api_name="/ask")
        assert any(c["clause_id"] == f"{GO}/c16" for c in out["citations"])
