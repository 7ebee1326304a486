"""The Gradio app and HTTP API: `build_app(answerer, config)` wires a loaded Answerer into a
gr.Blocks; `serve(config)` loads once and launches on loopback unless told otherwise.

The named endpoints `ask` and `search` return the CLI's JSON. The page renders that same JSON
(serve.render), so what a browser shows and what an API client gets cannot drift apart.
Errors reach users as gr.Error messages that say what to fix; tracebacks stay in the log.
"""
from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from policyqa.corpus.config import SEARCH_MODES, Config, check_mode, check_top_k
from policyqa.corpus.types import check_lang
from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.index.search import is_blank
from policyqa.serve import render
from policyqa.serve.limits import BodySizeLimit
from policyqa.serve.panel import ALL_DOCS, doc_choices, documents_panel

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_QUESTION_CHARS = 2000
# Tabs, newlines and carriage returns are whitespace in a pasted question; other control characters
# mean the client sent something that is not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

EXAMPLES = [
    "产业大脑是什么？",
    "如何推动传统制造业绿色化发展？",
    "對安全生產專用設備有稅收優惠嗎？",
    "傳統製造業到2027年的目標是什麼？",
    "Is there a tax credit for safety equipment?",
    "What does the Qiushi article say about the real economy?",
]


def check_question(question: Any, what: str = "question") -> str:
    """The API boundary's input rules, so every client gets the same clear errors."""
    if not isinstance(question, str):
        raise UsageError(f"{what} must be text, got {type(question).__name__}; send a string")
    if _CONTROL.search(question):
        raise UsageError(f"{what} contains control characters; send plain text")
    question = question.strip()
    if is_blank(question):
        raise UsageError(f"{what} is empty: type a question about the documents")
    if len(question) > MAX_QUESTION_CHARS:
        raise UsageError(f"{what} has {len(question):,} characters; the limit is {MAX_QUESTION_CHARS:,}: shorten it")
    return question


def check_options(mode: Any, top_k: Any, doc: Any, lang: Any, docs: set[str]) -> tuple[str, int, str | None, str | None]:
    mode = check_mode(mode or "hybrid")
    if isinstance(top_k, float) and top_k.is_integer():
        top_k = int(top_k)  # JSON clients and sliders send 5.0
    top_k = check_top_k(top_k)
    doc = None if doc in (None, "", ALL_DOCS) else doc
    if doc is not None and doc not in docs:
        raise UsageError(f"unknown document {doc!r}; choose one of {', '.join(sorted(docs))} or leave it empty")
    return mode, top_k, doc, check_lang(lang)


def guarded(fn: Callable[[], T]) -> T:
    """Run a request; what went wrong becomes a gr.Error the user can act on."""
    try:
        return fn()
    except PolicyQAError as exc:
        raise gr.Error(str(exc), print_exception=False) from None
    except Exception:
        log.exception("request failed")
        raise gr.Error("internal error while answering; the server log has the details", print_exception=False) from None


def build_app(engine, config: Config, *, uploads: bool | None = None) -> gr.Blocks:
    """The page and the API around an Engine (or an already loaded Answerer); nothing is loaded here.

    Every request takes the engine's current generation once and uses it throughout, so a new index
    swapped in mid-request (serve.live) never mixes with the old one."""
    from policyqa.serve.engine import Engine
    from policyqa.serve.uploads import uploads_enabled

    if not isinstance(engine, Engine):
        engine = Engine.around(engine, config)
    uploads = uploads_enabled(config) if uploads is None else uploads
    first = engine.current()

    def ask(question: str, mode: str = "hybrid", doc: str = "", top_k: int = 5) -> dict:
        """An answer whose sentences cite clauses [n], with the cited clauses and related ones (the CLI's `ask --json`)."""
        def run() -> dict:
            gen = engine.current()
            q = check_question(question)
            m, k, d, _ = check_options(mode, top_k, doc, None, set(gen.store.docs))
            return gen.answerer.ask(q, top_k=k, mode=m, doc=d).to_dict()

        return guarded(run)

    def search(query: str, mode: str = "hybrid", doc: str = "", lang: str = "", top_k: int = 10) -> dict:
        """Ranked clauses for a query (the CLI's `search --json`)."""
        def run() -> dict:
            gen = engine.current()
            q = check_question(query, "query")
            m, k, d, lg = check_options(mode, top_k, doc, lang, set(gen.store.docs))
            return gen.searcher.search(q, top_k=k, mode=m, lang=lg, doc=d).to_dict()

        return guarded(run)

    def ui_ask(question: str, mode: str, doc: str, top_k: float) -> tuple[str, str, str]:
        try:
            out = ask(question, mode, doc, int(top_k))
        except gr.Error as exc:
            return render.error_html(exc.message), "", ""
        heading = "Related clauses" if out["lang"] == "en" else ("相关条款" if out["lang"] == "zh-Hans" else "相關條款")
        return render.answer_html(out), render.citation_cards(out), render.related_html(out["related"], heading)

    with gr.Blocks(title="policyqa · 政策问答", analytics_enabled=False,
                   # Uploaded files nobody added are deleted after an hour, and all of them at shutdown.
                   delete_cache=(600, 3600) if uploads else None) as app:
        gr.Markdown(
            "# policyqa · 政策问答 · 政策問答\n"
            "Ask about the policy documents in English, 简体 or 繁體. Every sentence of the answer "
            "cites its clause; the clause is shown in full with the supporting sentence highlighted."
        )
        with gr.Row(equal_height=True):
            question = gr.Textbox(label="Question · 问题 · 問題", placeholder="产业大脑是什么？ / Is there a tax credit for safety equipment?",
                                  lines=2, max_lines=6, max_length=MAX_QUESTION_CHARS, scale=5, elem_id="pq-question",
                                  autofocus=True)
            go = gr.Button("Ask · 提问", variant="primary", scale=1, elem_id="pq-ask")
        with gr.Accordion("Options · 选项", open=False):
            with gr.Row():
                mode = gr.Radio(list(SEARCH_MODES), value=config.mode, label="Retrieval mode · 检索方式", elem_id="pq-mode")
                doc = gr.Dropdown(doc_choices(first.store), value=ALL_DOCS, label="Document · 文件", elem_id="pq-doc")
                top_k = gr.Slider(1, 20, value=5, step=1, label="Clauses retrieved · 检索条款数", elem_id="pq-topk")
        gr.Examples(EXAMPLES, inputs=[question], label="Examples · 示例 · 範例")
        answer_box = gr.HTML(elem_id="pq-answer")
        cards = gr.HTML(elem_id="pq-citations")
        related = gr.HTML(elem_id="pq-related")
        with gr.Accordion("Documents · 文件", open=False, elem_id="pq-documents"):
            docs_table = gr.HTML(elem_id="pq-docs")
            panel = documents_panel(engine, config, uploads, doc, docs_table)

        for trigger in (go.click, question.submit):
            trigger(ui_ask, [question, mode, doc, top_k], [answer_box, cards, related], api_visibility="private")
        # A page opened after an add or a rebuild lists the documents the server holds now.
        app.load(panel.refresh, None, panel.outputs, api_visibility="private")
        gr.api(ask, api_name="ask")
        gr.api(search, api_name="search")
    app.engine = engine  # type: ignore[attr-defined]
    return app


def launch_kwargs(config: Config) -> dict:
    """How the server runs: loopback unless configured, auth when set, bounded request bodies and uploads."""
    from policyqa.serve.uploads import UPLOAD_PATH, UploadGate, uploads_enabled

    uploads = uploads_enabled(config)
    limits = config.limits
    return dict(
        server_name=config.host, server_port=config.port, auth=config.auth,
        auth_message="policyqa: sign in with POLICYQA_AUTH_USER / POLICYQA_AUTH_PASSWORD" if config.auth else None,
        # Gradio's own per-file bound on its upload route (the gate below bounds the whole request).
        max_file_size=limits.max_file_bytes if uploads else "1mb", footer_links=["api", "settings"], ssr_mode=False,
        # Our handlers raise only gr.Error; this passes on Gradio's own input checks ("needed: 4, got: 1").
        show_error=True,
        css=render.CSS, theme=gr.themes.Soft(font=["Noto Sans CJK SC", "system-ui", "sans-serif"],
                                             font_mono=["ui-monospace", "monospace"]),
        app_kwargs={"middleware": [
            UploadGate.middleware(config, max_bytes=limits.max_add_bytes, max_files=limits.max_files),
            BodySizeLimit.middleware(config.max_request_bytes, exempt=(UPLOAD_PATH,) if uploads else ()),
        ]},
    )


def serve(config: Config, *, block: bool = True) -> gr.Blocks:
    """Load the engine once, then serve; queued requests wait their turn instead of failing. The
    served index follows `policyqa build`/`add`/`remove` without a restart (serve.live)."""
    from policyqa.serve.engine import Engine
    from policyqa.serve.uploads import is_loopback, upload_dir, uploads_enabled

    # Gradio reads its upload folder from the environment when components are made: keep uploads
    # inside the data dir, never in a shared /tmp.
    os.environ["GRADIO_TEMP_DIR"] = str(upload_dir(config))
    engine = Engine(config)
    engine.current().answerer  # load before the first request, and fail now if the index is missing
    engine.live.watch()
    app = build_app(engine, config)
    # The model is CPU-bound: running more requests at once than cores only adds contention.
    app.queue(default_concurrency_limit=config.concurrency, max_size=config.queue_size)
    if not is_loopback(config.host):
        log.warning("serving on %s: reachable from other machines%s", config.host,
                    "" if config.auth else " without a password (set POLICYQA_AUTH_USER/POLICYQA_AUTH_PASSWORD)")
    log.info("uploads from the app are %s", "on" if uploads_enabled(config) else "off")
    app.launch(prevent_thread_lock=not block, quiet=True, **launch_kwargs(config))
    return app
