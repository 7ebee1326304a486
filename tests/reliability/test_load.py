"""A small version of `policyqa bench --load`: a real `policyqa serve` process on loopback, driven by
concurrent clients over Gradio's plain HTTP API in all three scripts. Bounded in count and time;
the latency targets live in the benchmark, this checks that load degrades by queuing, not failing."""
from __future__ import annotations

import json

import httpx
import pytest

from policyqa.eval.load import free_port, plan, require_loopback, run_load, start_server, stop_server
from policyqa.corpus.errors import PolicyQAError

pytestmark = pytest.mark.slow

QUESTIONS = ["产业大脑是什么？", "Is there a tax credit for safety equipment?", "對安全生產專用設備有稅收優惠嗎？",
             "如何推动传统制造业绿色化发展？", "What does the Qiushi article say about the real economy?",
             "傳統製造業到2027年的目標是什麼？"]


@pytest.fixture(scope="module")
def live(config, built):
    port = free_port()
    proc = start_server(config.data_dir, port, env={"POLICYQA_CACHE_DIR": str(config.cache_dir)})
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(proc)


def test_concurrent_clients_get_answers_without_errors(live):
    requests = plan(live, QUESTIONS, n=60)
    assert {r.api for r in requests} == {"ask", "search"}
    report = run_load(live, requests, clients=8, max_seconds=240, request_timeout=120).to_dict()
    print("\nload:", report)
    assert report["sent"] == 60 and report["ok"] == 60, report["error_kinds"]
    assert report["errors"] == 0
    assert report["by_api"] == {"ask": 30, "search": 30}


def _error_of(http: httpx.Client, live: str, body: object) -> str:
    """What a plain HTTP client is told about a bad request: the 4xx body, or the error event."""
    r = http.post(f"{live}/gradio_api/call/ask", json=body)
    if r.status_code != 200:
        assert 400 <= r.status_code < 500, (r.status_code, r.text[:200])
        return r.text
    lines = http.get(f"{live}/gradio_api/call/ask/{r.json()['event_id']}").text.splitlines()
    assert "event: error" in lines, lines[:4]
    message = json.loads(lines[lines.index("event: error") + 1].removeprefix("data:").strip())
    return (message or {}).get("error") or ""


def test_server_keeps_serving_after_bad_requests_under_load(live):
    bad = {
        "empty": ({"data": ["", "hybrid", "", 5]}, "question is empty"),
        "100 KB": ({"data": ["x" * 100_000, "hybrid", "", 5]}, "the limit is 2,000"),
        "control characters": ({"data": ["a\x07b\x1bc", "hybrid", "", 5]}, "control characters"),
        "wrong type": ({"data": [{"q": 1}, "hybrid", "", 5]}, "must be text"),
        "wrong top_k": ({"data": ["产业大脑", "hybrid", "", -3]}, "top_k must be"),
        "too few inputs": ({"data": ["产业大脑"]}, "needed: 4, got: 1"),
        "data not a list": ({"data": "not a list"}, "valid list"),
        "no data": ({}, "Field required"),
    }
    with httpx.Client(timeout=60) as http:
        for name, (body, expected) in bad.items():
            assert expected in _error_of(http, live, body), name
    report = run_load(live, plan(live, QUESTIONS, n=12), clients=4, max_seconds=120, request_timeout=120).to_dict()
    assert report["ok"] == 12, report


def test_load_refuses_anything_but_loopback():
    with pytest.raises(PolicyQAError, match="loopback only"):
        require_loopback("http://example.com:7860")
    require_loopback("http://127.0.0.1:7860")
