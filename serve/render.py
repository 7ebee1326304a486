"""HTML for the app, rendered from the same JSON dicts the API returns.

Every piece of document or question text passes through `esc` before it meets markup, so a
corpus containing `<script>` or `<img onerror=…>` shows those characters and runs nothing. The
only markup added after escaping is ours: <mark> around quoted offsets and links for [n] markers.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence

from policyqa.serve.i18n import LANG_LABELS

_MARKER = re.compile(r"\[(\d{1,3})\]")
_ORDER = {"zh-Hans": 0, "zh-Hant": 1, "en": 2}


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def highlight(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """`text` escaped, with each (start, end) span wrapped in <mark>; bad or overlapping spans are skipped."""
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos or end <= start or end > len(text):
            continue
        out += [esc(text[pos:start]), "<mark>", esc(text[start:end]), "</mark>"]
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def _markers(escaped: str) -> str:
    return _MARKER.sub(r'<a class="pq-marker" href="#pq-cite-\1">[\1]</a>', escaped)


def _lang_badge(lang: str) -> str:
    return f'<span class="pq-badge pq-lang">{esc(LANG_LABELS.get(lang, lang))}</span>'


def _source_line(item: dict) -> str:
    parts = [item.get("doc_title") or item.get("doc_id", "")]
    if item.get("doc_number"):
        parts.append(item["doc_number"])
    if item.get("date"):
        parts.append(item["date"])
    return " · ".join(esc(p) for p in parts if p)


def _heading(item: dict) -> str:
    path = [h for h in item.get("heading") or [] if h]
    return f'<div class="pq-heading">{" › ".join(esc(h) for h in path)}</div>' if path else ""


def _body(answer: dict) -> str:
    """Paragraphs, and the answer's items as a list (a section's clauses nested under it)."""
    items = answer.get("items") or []
    starts = [(str(i.get("text", "")), int(i.get("level", 0))) for i in items]
    out, open_list = [], False
    for line in str(answer.get("answer", "")).split("\n"):
        line = line.strip()  # a nested item is indented in the plain text; the list nests it here
        if not line:
            continue
        level = next((lv for text, lv in starts if text and line.startswith(text)), None)
        if level is None:
            if open_list:
                out.append("</ul>")
                open_list = False
            out.append(f"<p>{_markers(esc(line))}</p>")
            continue
        if not open_list:
            out.append('<ul class="pq-list" data-testid="answer-list">')
            open_list = True
        out.append(f'<li class="pq-item pq-level-{level}">{_markers(esc(line))}</li>')
    if open_list:
        out.append("</ul>")
    return "".join(out)


def document_card(doc: dict | None) -> str:
    """Title, number, date and issuers of the document a document-fact or overview answer is about."""
    if not doc:
        return ""
    rows = [("pq-doc-title", doc.get("title")), ("pq-doc-number", doc.get("number")), ("pq-doc-date", doc.get("date")),
            ("pq-doc-issuer", doc.get("issuer")),
            ("pq-doc-signatories", "、".join(doc.get("signatories") or []) if doc.get("lang") != "en"
             else "; ".join(doc.get("signatories") or []))]
    body = "".join(f'<div class="{cls}">{esc(v)}</div>' for cls, v in rows if v)
    return f'<aside class="pq-doc-card" data-testid="doc-card">{body}</aside>'


def answer_html(answer: dict) -> str:
    """The answer with clickable [n] markers (a list answer as a list), the document card of a
    document-fact answer, any note, and the time taken."""
    cls = "pq-answer pq-abstained" if answer.get("abstained") else "pq-answer"
    body = _body(answer)
    note = f'<div class="pq-note">{esc(answer["note"])}</div>' if answer.get("note") else ""
    generator = "LLM" if answer.get("generator") == "llm" else "extractive"
    meta = (f'<div class="pq-meta">{answer.get("took_ms", 0):.0f} ms · {esc(answer.get("mode", ""))} · {generator}'
            f"</div>")
    card = "" if answer.get("abstained") else document_card(answer.get("document"))
    return f'<div class="{cls}" data-testid="answer" data-question-type="{esc(answer.get("question_type", ""))}">{body}{card}{note}{meta}</div>'


def _versions(item: dict, spans: Sequence[tuple[int, int]]) -> str:
    """The shown version first (highlighted), then a toggle per other language version."""
    shown = (f'<div class="pq-text" lang="{esc(item.get("lang"))}">{highlight(item.get("text", ""), spans)}</div>')
    others = sorted(item.get("parallel") or [], key=lambda v: _ORDER.get(v.get("lang"), 9))
    toggles = "".join(
        f'<details class="pq-version" data-lang="{esc(v.get("lang"))}"><summary>{esc(LANG_LABELS.get(v.get("lang"), v.get("lang")))}'
        f'{" · " + esc(v["number"]) if v.get("number") else ""}</summary>'
        f'<div class="pq-text" lang="{esc(v.get("lang"))}">{esc(v.get("text", ""))}</div></details>'
        for v in others
    )
    return shown + (f'<div class="pq-versions">{toggles}</div>' if toggles else "")


def citation_cards(answer: dict) -> str:
    cards = []
    for c in answer.get("citations", []):
        spans = [(q["start"], q["end"]) for q in c.get("quotes", [])] or [(c.get("quote_start", 0), c.get("quote_end", 0))]
        title = c.get("title") or c.get("number") or ""
        cards.append(
            f'<article class="pq-card" id="pq-cite-{int(c["n"])}" data-clause-id="{esc(c["clause_id"])}" '
            f'data-lang="{esc(c["lang"])}">'
            f'<header><span class="pq-n">[{int(c["n"])}]</span> <span class="pq-source">{_source_line(c)}</span> '
            f"{_lang_badge(c['lang'])}</header>"
            f"{_heading(c)}"
            f'<div class="pq-title">{esc(title)}</div>'
            f"{_versions(c, spans)}</article>"
        )
    return "".join(cards)


def related_html(items: Sequence[dict], heading: str) -> str:
    if not items:
        return ""
    rows = "".join(
        f'<details class="pq-related-item" data-clause-id="{esc(r["clause_id"])}"><summary>'
        f'{esc(r.get("title") or _snippet(r.get("text", "")) or r["clause_id"])} <span class="pq-source">{_source_line(r)}</span> '
        f"{_lang_badge(r['lang'])}</summary>{_heading(r)}{_versions(r, [])}</details>"
        for r in items
    )
    return f'<section class="pq-related"><h3>{esc(heading)}</h3>{rows}</section>'


def _snippet(text: str, chars: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1] + "…"


def error_html(message: str) -> str:
    return f'<div class="pq-error" role="alert">{esc(message)}</div>'


def notice_html(message: str, ok: bool = False) -> str:
    """A plain message (several lines allowed); `ok` marks a success."""
    cls = "pq-notice pq-ok" if ok else "pq-notice"
    return f'<div class="{cls}" role="status">{esc(message)}</div>'


_DOC_COLUMNS = (("doc_id", "ID"), ("title", "Title · 标题"), ("lang", "Language · 语言"), ("kind", "File · 格式"),
                ("units", "Units · 条目"), ("added_at", "Added · 添加时间"))


def documents_html(rows: Sequence[dict]) -> str:
    """The documents the server holds, one row each (from `Engine.docs()`)."""
    def cell(row: dict, key: str) -> str:
        value = row.get(key)
        if key == "lang":
            value = LANG_LABELS.get(value, value)
        if key == "added_at" and not value:
            value = "bundled" if row.get("origin", "corpus") == "corpus" else ""
        return f'<td data-col="{key}">{esc("" if value is None else value)}</td>'

    head = "".join(f"<th>{esc(label)}</th>" for _, label in _DOC_COLUMNS)
    body = "".join(f'<tr data-doc-id="{esc(r.get("doc_id"))}">' + "".join(cell(r, k) for k, _ in _DOC_COLUMNS) + "</tr>"
                   for r in rows)
    return (f'<table class="pq-docs" data-count="{len(rows)}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


CSS = """
.pq-answer { font-size: 1.1rem; line-height: 1.7; padding: 14px 18px; border-radius: 10px;
  background: var(--background-fill-secondary); border-left: 4px solid var(--color-accent); }
.pq-answer p { margin: 0 0 6px 0; }
.pq-abstained { border-left-color: #b45309; }
.pq-note { color: #92400e; font-size: 0.95rem; margin-top: 6px; }
.pq-meta { color: var(--body-text-color-subdued); font-size: 0.85rem; }
.pq-marker { text-decoration: none; font-weight: 600; color: var(--color-accent); }
.pq-card { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 12px 16px;
  margin: 10px 0; background: var(--background-fill-primary); }
.pq-card header { font-size: 0.9rem; color: var(--body-text-color-subdued); }
.pq-n { font-weight: 700; color: var(--color-accent); }
.pq-heading { font-size: 0.85rem; color: var(--body-text-color-subdued); margin-top: 4px; }
.pq-title { font-weight: 600; margin: 6px 0; }
.pq-text { white-space: pre-wrap; line-height: 1.7; }
.pq-text mark { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px; }
.pq-badge { display: inline-block; font-size: 0.75rem; padding: 1px 8px; border-radius: 999px;
  background: var(--background-fill-secondary); border: 1px solid var(--border-color-primary); }
.pq-versions { margin-top: 8px; display: flex; flex-direction: column; gap: 4px; }
.pq-version summary, .pq-related-item summary { cursor: pointer; color: var(--color-accent); }
.pq-version .pq-text { padding: 6px 10px; background: var(--background-fill-secondary); border-radius: 6px; }
.pq-related h3 { margin: 12px 0 4px 0; font-size: 1rem; }
.pq-related-item { padding: 6px 0; border-bottom: 1px solid var(--border-color-primary); }
.pq-notice { white-space: pre-wrap; padding: 10px 14px; border-radius: 8px; border: 1px solid var(--border-color-primary); }
.pq-ok { border-color: #bbf7d0; background: #f0fdf4; color: #166534; }
.pq-docs { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
.pq-docs th, .pq-docs td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--border-color-primary); }
.pq-list { margin: 4px 0 6px 0; padding-left: 1.2em; }
.pq-item.pq-level-1 { margin-left: 1.2em; }
.pq-doc-card { margin: 8px 0; padding: 8px 12px; border: 1px solid var(--border-color-primary); border-radius: 8px;
  background: var(--background-fill-primary); font-size: 0.95rem; }
.pq-doc-title { font-weight: 600; }
.pq-doc-number, .pq-doc-date, .pq-doc-issuer, .pq-doc-signatories { color: var(--body-text-color-subdued); }
.pq-error { color: #b91c1c; padding: 10px 14px; border: 1px solid #fecaca; border-radius: 8px; background: #fef2f2; }
"""
