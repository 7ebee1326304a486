"""The live index under load: a real `policyqa serve` process answers concurrent clients (the loopback
load driver) while another process adds and removes documents and rebuilds the corpus. Every request
succeeds, and after each swap the answers see (or no longer see) the document. Bounded in count and
time; latency figures live in `policyqa bench`."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from policyqa.eval.load import free_port, plan, run_load, start_server, stop_server
from policyqa.index.build import build
from policyqa.index.documents import add_documents, remove_document
from tests.serve.test_live import LIGHTHOUSE, LIGHTHOUSE_Q, ZEBRA

pytestmark = pytest.mark.slow

HARBOR = """Harbor pilot rules

Every ship longer than ninety meters takes a harbor pilot on board before it enters the inner harbor.

The harbor master publishes the pilot roster each Monday morning on the port notice board.
"""
HARBOR_Q = "When must a ship take a harbor pilot on board?"
QUESTIONS = ["How often is a zebra crossing repainted?", LIGHTHOUSE_Q, "斑马线多久重新粉刷一次？", HARBOR_Q,
             "Who logs faded stripes?"]


@pytest.fixture(scope="module")
def small_server(config, encoder, tmp_path_factory):
    corpus = tmp_path_factory.mktemp("live-corpus")
    (corpus / "zebra.txt").write_text(ZEBRA, encoding="utf-8")
    cfg = config.replace(corpus_dir=corpus, data_dir=tmp_path_factory.mktemp("live-var"))
    build(cfg, encoder=encoder, progress=False)
    port = free_port()
    proc = start_server(cfg.data_dir, port, wait_s=900, env={"POLICYQA_CACHE_DIR": str(config.cache_dir),
                                                 "POLICYQA_CORPUS_DIR": str(corpus)})
    try:
        yield cfg, f"http://127.0.0.1:{port}", proc
    finally:
        stop_server(proc)


def cited_docs(client: Client, question: str) -> set[str]:
    return {c["doc_id"] for c in client.predict(question, api_name="/ask")["citations"]}


def wait_until(predicate, seconds: float = 120.0) -> float:
    """Seconds until `predicate()` held; fails after `seconds`."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        if predicate():
            return time.monotonic() - t0
        time.sleep(0.2)
    raise AssertionError(f"not seen within {seconds}s")


def test_no_request_fails_while_documents_are_added_removed_and_rebuilt(small_server, encoder, tmp_path):
    cfg, url, proc = small_server
    notice = tmp_path / "lighthouse.txt"
    notice.write_text(LIGHTHOUSE, encoding="utf-8")
    client = Client(url, verbose=False)
    outcomes: list = []
    done = threading.Event()

    def drive() -> None:  # rounds of the load driver until the changes are over (at most 30 rounds)
        for _ in range(30):
            if done.is_set():
                return
            report = run_load(url, plan(url, QUESTIONS, 16), clients=4, max_seconds=120, request_timeout=120)
            outcomes.extend(report.outcomes)

    driver = threading.Thread(target=drive)
    driver.start()
    seen: list[float] = []
    try:
        time.sleep(1.0)
        for _ in range(2):
            add_documents(cfg, [notice], encoder=encoder)  # `policyqa add` in another terminal
            seen.append(wait_until(lambda: "lighthouse" in cited_docs(client, LIGHTHOUSE_Q)))
            remove_document(cfg, "lighthouse", encoder=encoder)  # `policyqa remove`
            seen.append(wait_until(lambda: "lighthouse" not in cited_docs(client, LIGHTHOUSE_Q)))
        (cfg.corpus_dir / "harbor.txt").write_text(HARBOR, encoding="utf-8")
        build(cfg, encoder=encoder, progress=False)  # `policyqa build` after changing the corpus folder
        seen.append(wait_until(lambda: "harbor" in cited_docs(client, HARBOR_Q)))
        # The rounds still running overlap the last swap too.
        time.sleep(1.0)
    finally:
        done.set()
        driver.join(timeout=600)
    failed = [o for o in outcomes if not o.ok]
    log = Path(proc.log_path).read_text(encoding="utf-8", errors="replace")
    print(f"\nlive load: {len(outcomes)} requests, {len(failed)} failed; seconds to visible after each change: "
          f"{[round(s, 2) for s in seen]}")
    assert len(outcomes) >= 32
    assert not failed, {o.error for o in failed}
    assert "not swapped in" not in log and "Traceback" not in log
    # The document filter follows too: the new document can be chosen, the removed one is unknown.
    hits = client.predict("harbor pilot", "bm25", "harbor", "", 3, api_name="/search")["hits"]
    assert hits and {h["doc_id"] for h in hits} == {"harbor"}
    with pytest.raises(AppError, match="unknown document 'lighthouse'"):
        client.predict("lighthouse lamp", "bm25", "lighthouse", "", 3, api_name="/search")
