"""The Gradio app and HTTP API: `build_app(answerer, config)` wires a loaded Answerer into a
gr.Blocks; `serve(config)` loads once and launches on loopback unless told otherwise.

The named endpoints `ask` and `search` return the CLI's JSON. The page renders that same JSON
(serve.render), so what a browser shows and what an API client gets cannot drift apart.
Errors reach users as gr.Error messages that say what to fix; tracebacks stay in the log.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from policyqa.corpus.config import SEARCH_MODES, Config, check_mode, check_top_k
from policyqa.corpus.types import check_lang
from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.index.search import is_blank
from policyqa.serve import render
from policyqa.serve.i18n import LANG_LABELS
from policyqa.serve.limits import BodySizeLimit

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
ALL_DOCS = "__all__"


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


def build_app(answerer, config: Config) -> gr.Blocks:
    """The page and the API around an already loaded Answerer (nothing is loaded here)."""
    store = answerer.store
    docs = {d.doc_id: d for d in store.docs.values()}
    doc_choices = [("All documents · 全部文件", ALL_DOCS)] + [
        (f"{d.title} ({LANG_LABELS.get(d.lang, d.lang)})", d.doc_id) for d in docs.values()
    ]

    def ask(question: str, mode: str = "hybrid", doc: str = "", top_k: int = 5) -> dict:
        """An answer whose sentences cite clauses [n], with the cited clauses and related ones (the CLI's `ask --json`)."""
        def run() -> dict:
            q = check_question(question)
            m, k, d, _ = check_options(mode, top_k, doc, None, set(docs))
            return answerer.ask(q, top_k=k, mode=m, doc=d).to_dict()

        return guarded(run)

    def search(query: str, mode: str = "hybrid", doc: str = "", lang: str = "", top_k: int = 10) -> dict:
        """Ranked clauses for a query (the CLI's `search --json`)."""
        def run() -> dict:
            q = check_question(query, "query")
            m, k, d, lg = check_options(mode, top_k, doc, lang, set(docs))
            return answerer.searcher.search(q, top_k=k, mode=m, lang=lg, doc=d).to_dict()

        return guarded(run)

    def ui_ask(question: str, mode: str, doc: str, top_k: float) -> tuple[str, str, str]:
        try:
            out = ask(question, mode, doc, int(top_k))
        except gr.Error as exc:
            return render.error_html(exc.message), "", ""
        heading = "Related clauses" if out["lang"] == "en" else ("相关条款" if out["lang"] == "zh-Hans" else "相關條款")
        return render.answer_html(out), render.citation_cards(out), render.related_html(out["related"], heading)

    with gr.Blocks(title="policyqa · 政策问答", analytics_enabled=False) as app:
        gr.Markdown(
            "# policyqa · 政策问答 · 政策問答\n"
            "Ask about the bundled policy documents in English, 简体 or 繁體. Every sentence of the answer "
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
                doc = gr.Dropdown(doc_choices, value=ALL_DOCS, label="Document · 文件", elem_id="pq-doc")
                top_k = gr.Slider(1, 20, value=5, step=1, label="Clauses retrieved · 检索条款数", elem_id="pq-topk")
        gr.Examples(EXAMPLES, inputs=[question], label="Examples · 示例 · 範例")
        answer_box = gr.HTML(elem_id="pq-answer")
        cards = gr.HTML(elem_id="pq-citations")
        related = gr.HTML(elem_id="pq-related")

        for trigger in (go.click, question.submit):
            trigger(ui_ask, [question, mode, doc, top_k], [answer_box, cards, related], api_visibility="private")
        gr.api(ask, api_name="ask")
        gr.api(search, api_name="search")
    return app


def launch_kwargs(config: Config) -> dict:
    """How the server runs: loopback unless configured, auth when set, bounded request bodies."""
    return dict(
        server_name=config.host, server_port=config.port, auth=config.auth,
        auth_message="policyqa: sign in with POLICYQA_AUTH_USER / POLICYQA_AUTH_PASSWORD" if config.auth else None,
        max_file_size="1mb", footer_links=["api", "settings"], ssr_mode=False,
        # Our handlers raise only gr.Error; this passes on Gradio's own input checks ("needed: 4, got: 1").
        show_error=True,
        css=render.CSS, theme=gr.themes.Soft(font=["Noto Sans CJK SC", "system-ui", "sans-serif"],
                                             font_mono=["ui-monospace", "monospace"]),
        app_kwargs={"middleware": [BodySizeLimit.middleware(config.max_request_bytes)]},
    )


def serve(config: Config, *, block: bool = True) -> gr.Blocks:
    """Load the answerer once, then serve; queued requests wait their turn instead of failing."""
    from policyqa.serve.engine import Engine

    app = build_app(Engine(config).answerer, config)
    # The model is CPU-bound: running more requests at once than cores only adds contention.
    app.queue(default_concurrency_limit=config.concurrency, max_size=config.queue_size)
    if config.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s: reachable from other machines%s", config.host,
                    "" if config.auth else " without a password (set POLICYQA_AUTH_USER/POLICYQA_AUTH_PASSWORD)")
    app.launch(prevent_thread_lock=not block, quiet=True, **launch_kwargs(config))
    return app
