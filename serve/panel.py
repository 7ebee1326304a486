"""The app's documents panel: what the server holds and, when uploads are on, an upload box.

Uploaded files arrive through Gradio's upload route (bounded by serve.uploads.UploadGate) into the
upload folder inside the data dir; `Engine.add` checks, copies and indexes them (all or nothing) and
swaps the new index in, so the document filter lists the new document as soon as the call returns.
The uploaded temporary copies are deleted afterwards, whatever the outcome. A bad file's message
(which names the file and the problem) is shown in the panel; tracebacks stay in the server log.
"""
from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import gradio as gr

from policyqa.corpus.config import Config
from policyqa.corpus.errors import PolicyQAError
from policyqa.serve import render
from policyqa.serve.i18n import LANG_LABELS

log = logging.getLogger(__name__)

FILE_TYPES = [".pdf", ".docx", ".html", ".htm", ".txt", ".md"]
ALL_DOCS = "__all__"


def doc_choices(store) -> list[tuple[str, str]]:
    """The document filter's options: every document the served index holds."""
    return [("All documents · 全部文件", ALL_DOCS)] + [
        (f"{d.title} ({LANG_LABELS.get(d.lang, d.lang)})", d.doc_id) for d in store.docs.values()
    ]


@dataclass
class Panel:
    refresh: object  # () -> tuple of updates for `outputs`
    outputs: list


def _rows(engine) -> list[dict]:
    return [d.to_dict() if hasattr(d, "to_dict") else dict(d) for d in engine.docs()]


def _added(rows: list[dict]) -> list[tuple[str, str]]:
    return [(f"{r.get('title') or r['doc_id']} ({r['doc_id']})", r["doc_id"]) for r in rows if r.get("origin") == "added"]


def _discard(paths: list[str]) -> None:
    """Delete the uploaded temporary copies (each in its own folder under the upload folder)."""
    root = Path(gr.utils.get_upload_folder()).resolve()
    for p in paths:
        path = Path(p).resolve()
        if path.is_relative_to(root) and path != root:
            path.unlink(missing_ok=True)
            folder = path.parent
            if folder != root and folder.is_relative_to(root):
                shutil.rmtree(folder, ignore_errors=True)


def documents_panel(engine, config: Config, uploads: bool, doc_filter: gr.Dropdown, table: gr.HTML) -> Panel:
    """Components and events of the panel, inside the caller's gr.Blocks."""
    from policyqa.serve.uploads import uploads_off_reason

    def choices() -> dict:
        return gr.update(choices=doc_choices(engine.current().store))

    if not uploads:
        gr.HTML(render.notice_html(f"{uploads_off_reason(config)}. Add documents on the server with "
                                   "`policyqa add FILE`; this server picks them up without a restart."),
                elem_id="pq-upload-off")

        def refresh_static():
            return choices(), render.documents_html(_rows(engine))

        return Panel(refresh_static, [doc_filter, table])

    files = gr.File(label="Add documents · 添加文件 (PDF, Word .docx, HTML, TXT, Markdown)", file_count="multiple",
                    file_types=FILE_TYPES, type="filepath", elem_id="pq-upload")
    status = gr.HTML(elem_id="pq-upload-status")
    with gr.Row():
        removable = gr.Dropdown([], label="Added document · 已添加的文件", elem_id="pq-remove-doc", scale=4)
        remove_btn = gr.Button("Remove · 删除", variant="stop", elem_id="pq-remove", scale=1)

    def refresh():
        rows = _rows(engine)
        return choices(), render.documents_html(rows), gr.update(choices=_added(rows), value=None)

    def add(paths: list[str] | None, progress=gr.Progress()):
        paths = [str(p) for p in (paths or [])]
        try:
            if not paths:
                raise PolicyQAError("no file received: choose one or more PDF, DOCX, HTML, TXT or MD files")
            progress(0.0, desc="checking the files")
            report = engine.add(paths, progress=lambda stage, fraction: progress(fraction, desc=stage))
            message = render.notice_html(report.summary(), ok=True)
        except PolicyQAError as exc:
            message = render.error_html(str(exc))
        except Exception:
            log.exception("adding uploaded files failed")
            message = render.error_html("internal error while adding the files; nothing was added, "
                                        "and the server log has the details")
        finally:
            _discard(paths)
        return (message, None, *refresh())

    def remove(doc_id: str | None):
        try:
            if not doc_id:
                raise PolicyQAError("choose an added document to remove")
            message = render.notice_html(engine.remove(doc_id).summary(), ok=True)
        except PolicyQAError as exc:
            message = render.error_html(str(exc))
        except Exception:
            log.exception("removing a document failed")
            message = render.error_html("internal error while removing the document; the server log has the details")
        return (message, *refresh())

    outputs = [doc_filter, table, removable]
    # One add or remove at a time (they take the build lock anyway); questions keep being answered.
    files.upload(add, [files], [status, files, *outputs], api_visibility="private", concurrency_limit=1,
                 concurrency_id="documents", show_progress="full")
    remove_btn.click(remove, [removable], [status, *outputs], api_visibility="private", concurrency_limit=1,
                     concurrency_id="documents")
    return Panel(refresh, outputs)
