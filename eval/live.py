"""`policyqa bench`: how long a new document takes to become answerable on a running server, and what
noticing a new index costs a request.

A real `policyqa serve` process serves the bundled corpus without its two English articles; those two
articles, printed by Debian's chromium into one PDF of about twenty pages (its page headers, footers
and page numbers on), are then added as `policyqa add` or an upload does (extract → clean → embed
the new texts → index → atomic swap), and the server is asked a question only that PDF answers until
an answer cites it. The server notices the new index by itself (serve.live).
"""
from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from policyqa.corpus.config import BUNDLED_CORPUS, Config

NEW_DOCS = ("qiushi-2024", "cm2025-2017")  # left out of the served corpus, then added as one PDF
QUESTION = "What does the Qiushi article say about the real economy?"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    path = os.environ.get("POLICYQA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


def split_corpus(target: Path) -> list[Path]:
    """The bundled corpus without NEW_DOCS in `target`; returns the left-out files."""
    manifest = json.loads((BUNDLED_CORPUS / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["documents"] if isinstance(manifest, dict) else manifest
    target.mkdir(parents=True)
    kept, left = [], []
    for e in entries:
        (left if e["doc_id"] in NEW_DOCS else kept).append(e)
    for e in kept:
        shutil.copy2(BUNDLED_CORPUS / e["file"], target / e["file"])
    out = {**manifest, "documents": kept} if isinstance(manifest, dict) else kept
    (target / "manifest.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return [BUNDLED_CORPUS / e["file"] for e in left]


def print_pdf(texts: list[str], path: Path, chromium: str) -> int:
    """One PDF of `texts` printed by chromium with its default header and footer; returns its pages."""
    import pdfplumber

    body = "".join(f"<p>{html.escape(p)}</p>" for t in texts for p in t.split("\n\n") if p.strip())
    page = path.with_suffix(".html")
    page.write_text("<html><head><meta charset='utf-8'><title>New industrialization: two articles</title>"
                    "<style>body{font-family:'DejaVu Serif',serif;font-size:20px;line-height:1.8}</style></head>"
                    f"<body>{body}</body></html>", encoding="utf-8")
    subprocess.run([chromium, *CHROMIUM_ARGS, f"--print-to-pdf={path}", page.as_uri()], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def ask_json(http: httpx.Client, base: str, question: str) -> dict:
    r = http.post(f"{base}/gradio_api/call/ask", json={"data": [question, "hybrid", "", 5]})
    r.raise_for_status()
    lines = http.get(f"{base}/gradio_api/call/ask/{r.json()['event_id']}").text.splitlines()
    if "event: complete" not in lines:
        return {}
    return json.loads(lines[lines.index("event: complete") + 1].removeprefix("data:").strip())[0]


def check_cost_us(config: Config, encoder, calls: int = 20_000) -> float:
    """Microseconds a request spends asking whether the index changed (one stat of its manifest)."""
    from policyqa.serve.engine import Engine

    engine = Engine(config, encoder=encoder)
    engine.current()
    t0 = time.perf_counter()
    for _ in range(calls):
        engine.live.check()
    return round((time.perf_counter() - t0) / calls * 1e6, 2)


def bench_live_add(config: Config, encoder, say, timeout_s: float = 300.0) -> dict:
    from policyqa.eval.load import free_port, start_server, stop_server
    from policyqa.index.build import build
    from policyqa.index.documents import add_documents

    chromium = chromium_path()
    if chromium is None:
        return {"skipped": "chromium not found (apt-get install chromium): it prints the test PDF"}
    with tempfile.TemporaryDirectory(prefix="policyqa-bench-live-") as tmp:
        root = Path(tmp)
        left_out = split_corpus(root / "corpus")
        cfg = config.replace(corpus_dir=root / "corpus", data_dir=root / "var")
        say("live add: building the served corpus and printing a PDF of the two English articles")
        build(cfg, encoder=encoder, progress=False)
        pdf = root / "new-industrialization.pdf"
        pages = print_pdf([p.read_text(encoding="utf-8") for p in left_out], pdf, chromium)
        res: dict = {"pages": pages, "pdf_kb": round(pdf.stat().st_size / 1000, 1), "check_us": check_cost_us(cfg, encoder)}
        port = free_port()
        proc = start_server(cfg.data_dir, port, wait_s=900, env={"POLICYQA_CORPUS_DIR": str(cfg.corpus_dir),
                                                     "POLICYQA_CACHE_DIR": str(cfg.cache_dir)})
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(timeout=120) as http:
                ask_json(http, base, QUESTION)  # warm
                say(f"live add: adding a {pages}-page PDF while the server runs")
                t0 = time.perf_counter()
                report = add_documents(cfg, [pdf], encoder=encoder)
                res["add_s"] = round(time.perf_counter() - t0, 2)
                doc_id = report.added[0].doc_id
                res.update(units=report.added[0].units, embedded=report.build.embedded)
                while time.perf_counter() - t0 < timeout_s:
                    if doc_id in {c["doc_id"] for c in ask_json(http, base, QUESTION).get("citations", [])}:
                        res["answerable_s"] = round(time.perf_counter() - t0, 2)
                        break
                    time.sleep(0.1)
                else:
                    res["answerable_s"] = None
                    res["note"] = f"no answer cited {doc_id} within {timeout_s:.0f}s"
        finally:
            stop_server(proc)
    if res.get("answerable_s") is not None:
        res["swap_s"] = round(res["answerable_s"] - res["add_s"], 2)
    return res
