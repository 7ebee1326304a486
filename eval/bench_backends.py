"""`policyqa bench`, encoder backends side by side: torch (sentence-transformers), onnx (float32) and
onnx-int8, each measured in its own fresh interpreter so import time, load time and memory are its
own, taking turns on the same machine and the same inputs.

Per backend: imports and model load, one-query encode p50/p95, passages/s on the corpus's chunks,
a cold build of the bundled corpus in an empty data dir, warm hybrid search and ask p50, peak RSS;
then from outside: a one-shot `policyqa search QUERY --json` (wall time, the whole process) and
`policyqa serve` (time until the first answer over HTTP, and the server's RSS after it).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from policyqa.corpus.config import ENCODER_BACKENDS, Config

ONE_SHOT_QUERY = "产业大脑是什么？"
ONE_SHOT_RUNS = 3


def worker(backend: str, data_dir: Path) -> dict:
    """Runs inside the child: everything measured from this interpreter's own start."""
    t_start = time.perf_counter()
    config = Config.from_env(data_dir=data_dir, backend=backend)
    if backend == "torch":
        import sentence_transformers  # noqa: F401  (what the torch backend must import)
    else:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    import_s = time.perf_counter() - t_start

    from policyqa.corpus.store import load_or_ingest
    from policyqa.embed.encoder import load_encoder
    from policyqa.corpus.chunking import chunk_units
    from policyqa.eval.encoder_bench import measure
    from policyqa.eval.timing import peak_rss_mb, percentiles, time_calls
    from policyqa.eval.dataset import load_questions
    from policyqa.index.build import build
    from policyqa.index.search import load_searcher
    from policyqa.serve.answer import Answerer

    t0 = time.perf_counter()
    encoder = load_encoder(config)
    encoder.encode_query("warm up")  # sessions are made on first use
    load_s = time.perf_counter() - t0
    queries = [q.query for q in load_questions()]
    t0 = time.perf_counter()
    build(config, encoder=encoder, progress=False)
    cold_build_s = time.perf_counter() - t0
    store = load_or_ingest(config)
    chunks = chunk_units(store.units, lambda t: encoder.count_tokens(t, "passage"), encoder.max_tokens)
    emb = measure(encoder, [c.text for c in chunks], queries)
    searcher = load_searcher(config, encoder=encoder)
    search = percentiles(time_calls(lambda q: searcher.search(q, top_k=10, mode="hybrid"), queries, 1))
    answerer = Answerer(searcher, config)
    ask = percentiles(time_calls(lambda q: answerer.ask(q), queries, 1))
    return {
        "backend": backend, "query_threads": config.threads("query"), "build_threads": config.threads("passage"),
        "import_s": round(import_s, 2), "load_s": round(load_s, 2), "cold_build_s": round(cold_build_s, 2),
        "encode_p50_ms": emb["query_ms_p50"], "encode_p95_ms": emb["query_ms_p95"],
        "passages_per_s": emb["passages_per_s"],
        "search_p50_ms": search.get("p50_ms"), "search_p95_ms": search.get("p95_ms"),
        "ask_p50_ms": ask.get("p50_ms"), "ask_p95_ms": ask.get("p95_ms"),
        "peak_rss_mb": peak_rss_mb(), "modules": sorted(m for m in ("torch", "transformers", "sentence_transformers")
                                                        if m in sys.modules),
    }


def _env(backend: str, data_dir: Path) -> dict:
    return {**os.environ, "POLICYQA_BACKEND": backend, "POLICYQA_DATA_DIR": str(data_dir),
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def one_shot_search(backend: str, data_dir: Path, runs: int = ONE_SHOT_RUNS) -> dict:
    """Wall time of the whole `policyqa search QUERY --json` process (the index exists)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "policyqa", "search", ONE_SHOT_QUERY, "--json"],
                             env=_env(backend, data_dir), capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - t0)
        if out.returncode != 0:
            return {"error": out.stderr.strip()[-300:]}
    return {"one_shot_search_s": round(sorted(times)[len(times) // 2], 2), "one_shot_runs": runs}


def serve_first_answer(backend: str, data_dir: Path) -> dict:
    """`policyqa serve` from launch to its first answer over HTTP, and its RSS after that answer."""
    import httpx

    from policyqa.eval.load import Request, call, endpoint_inputs, free_port, payload, start_server, stop_server

    port = free_port()
    t0 = time.perf_counter()
    proc = start_server(data_dir, port, env=_env(backend, data_dir), wait_s=600)
    try:
        base = f"http://127.0.0.1:{port}"
        params = endpoint_inputs(base).get("ask", [])
        with httpx.Client() as client:
            outcome = call(client, base, Request("ask", payload(params, "What is the industrial brain?")), 120)
        first = time.perf_counter() - t0
        rss = _rss_mb(proc.pid)
    finally:
        stop_server(proc)
    return {"serve_first_answer_s": round(first, 2), "serve_rss_mb": rss, "serve_ok": outcome.ok}


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def bench_backends(backends: Sequence[str] = ENCODER_BACKENDS, say: Callable[[str], None] = lambda m: None,
                   serve: bool = True) -> list[dict]:
    rows = []
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix=f"policyqa-bench-{backend}-") as tmp:
            say(f"backend {backend}: load, cold build, encode, search, ask (fresh process)")
            out = subprocess.run([sys.executable, "-m", "policyqa.eval.bench_backends", backend, tmp],
                                 env=_env(backend, Path(tmp)), capture_output=True, text=True, timeout=3600)
            if out.returncode != 0:
                rows.append({"backend": backend, "error": out.stderr.strip()[-500:]})
                continue
            row = json.loads(out.stdout.strip().splitlines()[-1])
            say(f"backend {backend}: one-shot `policyqa search --json` x{ONE_SHOT_RUNS}")
            row.update(one_shot_search(backend, Path(tmp)))
            if serve:
                say(f"backend {backend}: `policyqa serve` to first answer")
                row.update(serve_first_answer(backend, Path(tmp)))
            rows.append(row)
    return rows


COLUMNS = [("backend", "backend"), ("import_s", "import s"), ("load_s", "load s"),
           ("encode_p50_ms", "encode p50 ms"), ("encode_p95_ms", "encode p95 ms"), ("passages_per_s", "passages/s"),
           ("cold_build_s", "cold build s"), ("search_p50_ms", "search p50 ms"), ("ask_p50_ms", "ask p50 ms"),
           ("peak_rss_mb", "peak RSS MB"), ("one_shot_search_s", "one-shot search s"),
           ("serve_first_answer_s", "serve → first answer s"), ("serve_rss_mb", "serve RSS MB")]


def table(rows: Sequence[dict]) -> str:
    out = ["| " + " | ".join(title for _, title in COLUMNS) + " |", "|---|" + "---:|" * (len(COLUMNS) - 1)]
    for r in rows:
        if "error" in r and "load_s" not in r:
            out.append(f"| {r['backend']} | failed: {r['error'][:120]} |")
            continue
        out.append("| " + " | ".join(str(r.get(k, "–")) for k, _ in COLUMNS) + " |")
    return "\n".join(out)


if __name__ == "__main__":
    print(json.dumps(worker(sys.argv[1], Path(sys.argv[2]))))
