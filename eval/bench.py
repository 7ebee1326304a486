"""`policyqa bench`: latency, build time, throughput, memory and the synthetic scale run, measured on
the machine it runs on (described in the output). Benchmarks, never timed tests. bench_report renders
the results as Markdown."""
from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from policyqa.corpus.atomic import write_text
from policyqa.corpus.config import SEARCH_MODES, Config
from policyqa.corpus.errors import UsageError
from policyqa.eval.bench_report import markdown, readme_section
from policyqa.eval.timing import peak_rss_mb, percentiles, time_calls


# ---------------------------------------------------------------- machine
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _version(module: str) -> str | None:
    try:
        mod = __import__(module)
    except ImportError:
        return None
    return str(getattr(mod, "__version__", "?"))


def machine() -> dict:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": _cpu_model(),
        "cores": cores,
        "ram_gb": _ram_gb(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "torch": _version("torch"),
        "torch_threads": _torch_threads(),
        "faiss": _version("faiss"),
        "onnxruntime": _version("onnxruntime"),
        "numpy": np.__version__,
        "bm25s": _version("bm25s"),
    }


def _torch_threads() -> int | None:
    try:
        import torch
    except ImportError:
        return None
    return torch.get_num_threads()


# ---------------------------------------------------------------- measurements
def bench_build(config: Config, encoder) -> dict:
    """Build time in `config.data_dir` when it is fresh (cold: ingest, embed, index) and again with
    nothing changed (warm). The caller passes a temporary data dir so the user's index is untouched."""
    from policyqa.index.build import build

    t0 = time.perf_counter()
    cold = build(config, encoder=encoder, progress=False)
    t1 = time.perf_counter()
    warm = build(config, encoder=encoder, progress=False)
    t2 = time.perf_counter()
    return {"cold_s": round(t1 - t0, 2), "warm_s": round(t2 - t1, 2),
            "cold_report": _as_dict(cold), "warm_report": _as_dict(warm)}


def _as_dict(obj) -> dict | str:
    to_dict = getattr(obj, "to_dict", None)
    return to_dict() if callable(to_dict) else str(obj)


def bench_search(searcher, queries: Sequence[str], repeats: int) -> dict:
    return {mode: percentiles(time_calls(lambda q, m=mode: searcher.search(q, top_k=10, mode=m), queries, repeats))
            for mode in SEARCH_MODES}


def bench_ask(answerer, queries: Sequence[str], repeats: int) -> dict:
    return percentiles(time_calls(lambda q: answerer.ask(q), queries, repeats))


SCALE_BUDGET_S = 1800  # index types not started by then are skipped (the run is CPU-bound for minutes)


def bench_scale(sizes: Sequence[int], dim: int = 384) -> list:
    from policyqa.index.scale import run_scale

    return run_scale(sizes, dim=dim, max_seconds=SCALE_BUDGET_S)


def bench_embedding(encoder, store, queries: Sequence[str]) -> dict:
    """Passage throughput over the corpus's real chunks, and single-query encoding latency."""
    from policyqa.corpus.chunking import chunk_units
    from policyqa.eval.encoder_bench import measure

    chunks = chunk_units(store.units, lambda t: encoder.count_tokens(t, "passage"), encoder.max_tokens)
    return measure(encoder, [c.text for c in chunks], list(queries))


# ---------------------------------------------------------------- scale sizes
DEFAULT_SCALE = (100_000,)


def scale_sizes(arg: Sequence[int] | None) -> tuple[int, ...]:
    """--scale absent or given without sizes: the default; --scale 0: skip; else those sizes."""
    if not arg:
        return DEFAULT_SCALE
    if list(arg) == [0]:
        return ()
    bad = [n for n in arg if n < 1000]
    if bad:
        raise UsageError(f"--scale sizes must be at least 1000 vectors (got {', '.join(map(str, bad))}); use --scale 0 to skip")
    return tuple(arg)


def _backends(arg: Sequence[str] | None) -> tuple[str, ...]:
    """--backends absent: every encoder backend side by side; --backends none: skip."""
    from policyqa.corpus.config import ENCODER_BACKENDS

    if arg is None:
        return ENCODER_BACKENDS
    return () if list(arg) in ([], ["none"]) else tuple(arg)


# ---------------------------------------------------------------- entry point
def main_bench(config: Config, args) -> dict:
    quiet = bool(getattr(args, "json", False))
    say = (lambda msg: None) if quiet else (lambda msg: print(f"bench: {msg}", file=sys.stderr))
    out = Path(args.out) if getattr(args, "out", None) else config.data_dir / "bench" / _dt.date.today().isoformat()
    sizes = scale_sizes(getattr(args, "scale", None))
    readme = getattr(args, "readme", None)
    if readme:
        from policyqa.eval.readme import check_readme

        check_readme(Path(readme), "bench")  # fail before a long run, not after
    res: dict = {"date": _dt.date.today().isoformat(), "machine": machine(), "notes": []}
    res.update(bench_all(config, sizes, say))
    backends = _backends(getattr(args, "backends", None))
    if backends:
        from policyqa.eval.bench_backends import bench_backends

        res["backends"] = bench_backends(backends, say)
    if getattr(args, "load", False):  # after the rest, so the README section carries every figure
        say("load test: 20 clients, 500 ask/search requests on loopback")
        res["load"] = run_load(config, args)
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "bench.json", json.dumps(res, ensure_ascii=False, indent=2) + "\n")
    write_text(out / "bench.md", markdown(res))
    if readme:
        from policyqa.eval.readme import update_readme

        update_readme(Path(readme), "bench", readme_section(res))
    if not quiet:
        print(readme_section(res))
        print(f"\nwritten: {out / 'bench.md'}, {out / 'bench.json'}")
    return {**res, "out": str(out)}


def bench_all(config: Config, sizes: Sequence[int], say: Callable[[str], None], repeats: int = 3) -> dict:
    from policyqa.corpus.store import load_or_ingest
    from policyqa.embed.encoder import load_encoder
    from policyqa.eval.dataset import load_questions
    from policyqa.index.search import load_searcher
    from policyqa.serve.answer import Answerer

    queries = [q.query for q in load_questions()]
    res: dict = {}
    say("loading the model")
    t0 = time.perf_counter()
    encoder = load_encoder(config)
    res["model_load_s"] = round(time.perf_counter() - t0, 2)
    with tempfile.TemporaryDirectory(prefix="policyqa-bench-") as tmp:
        # Everything (store, embedding cache, index) in a fresh folder: a true cold build, and
        # the user's data dir is never touched.
        cfg = config.replace(data_dir=Path(tmp))
        say("index build, cold and warm, in a temporary data dir")
        res["build"] = bench_build(cfg, encoder)
        store = load_or_ingest(cfg)
        say("embedding throughput")
        res["embedding"] = bench_embedding(encoder, store, queries)
        say(f"warm search latency: {len(queries)} questions x {repeats} per mode")
        searcher = load_searcher(cfg, encoder=encoder)
        res["search"] = bench_search(searcher, queries, repeats)
        say(f"warm ask latency: {len(queries)} questions")
        res["ask"] = bench_ask(Answerer(searcher, cfg), queries, 1)
    from policyqa.eval.live import bench_live_add

    res["live_add"] = bench_live_add(config, encoder, say)
    res["peak_rss_mb"] = peak_rss_mb()
    if sizes:
        say(f"synthetic scale run: {', '.join(map(str, sizes))} vectors")
        from policyqa.index.scale import TARGET_RECALL, recommend

        res["scale"] = bench_scale(sizes, dim=encoder.dim)
        best = recommend(res["scale"])
        res["scale_recommendation"] = {**best, "target_recall": TARGET_RECALL} if best else None
        res["peak_rss_mb_with_scale"] = peak_rss_mb()
    return res


def run_load(config: Config, args) -> dict:
    """20 concurrent clients, 500 mixed ask/search requests in all three scripts, on loopback only,
    bounded to 10 minutes; the index is built first if it is missing."""
    from policyqa.eval.dataset import load_questions
    from policyqa.eval.load import load_bench
    from policyqa.index.build import build

    build(config, progress=False)
    questions = [q.query for q in load_questions()]
    return load_bench(config.data_dir, questions, n=500, clients=20, max_seconds=600)
