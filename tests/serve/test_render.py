"""HTML rendering with tiny hand-written inputs: escaping, highlight offsets, markers."""
from __future__ import annotations

from policyqa.serve.render import answer_html, citation_cards, esc, highlight, related_html

EVIL = '<script>alert(1)</script> & <img src=x onerror="alert(2)">'


def test_escape_covers_tags_quotes_and_ampersands():
    assert esc(EVIL) == ("&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                         "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;")
    assert esc(None) == ""


def test_highlight_marks_exact_offsets_and_escapes_around_them():
    text = "a<b>c 产业大脑 d"
    start = text.index("产业大脑")
    assert highlight(text, [(start, start + 4)]) == "a&lt;b&gt;c <mark>产业大脑</mark> d"
    # Spans are taken in order of start: (0,1) and (3,5) are marked; (2,99) runs past the end and
    # (4,6) overlaps (3,5), so both are skipped.
    assert highlight("abcdef", [(4, 6), (0, 1), (3, 5), (2, 99)]) == "<mark>a</mark>bc<mark>de</mark>f"


def test_answer_markers_become_links_but_markup_does_not():
    out = answer_html({"answer": f"{EVIL} supported.[1] More [2].", "abstained": False, "took_ms": 12.3,
                       "mode": "hybrid", "note": "<b>note</b>"})
    assert '<a class="pq-marker" href="#pq-cite-1">[1]</a>' in out and 'href="#pq-cite-2"' in out
    assert "<script>" not in out and "<img" not in out and "<b>note" not in out
    assert "12 ms" in out


def _citation(text: str, quote: str) -> dict:
    start = text.index(quote)
    return {"n": 1, "doc_id": "d", "clause_id": "d/c1", "lang": "en", "heading": ["<i>H</i>"], "number": "(1)",
            "title": "(1) Title", "text": text, "doc_title": "Doc <u>", "doc_number": "", "date": "2023-12-28",
            "quote": quote, "quote_start": start, "quote_end": start + len(quote),
            "quotes": [{"text": quote, "start": start, "end": start + len(quote), "score": 1.0}],
            "parallel": [{"lang": "zh-Hant", "number": "(一)", "text": "(一)繁體<script>x</script>"},
                         {"lang": "zh-Hans", "number": "（一）", "text": "（一）简体"}]}


def test_card_highlights_the_quote_and_lists_versions_escaped_in_script_order():
    text = f"(1) Title. {EVIL} The supported sentence."
    html = citation_cards({"citations": [_citation(text, "The supported sentence.")]})
    assert "<mark>The supported sentence.</mark>" in html
    assert 'data-clause-id="d/c1"' in html and 'id="pq-cite-1"' in html
    assert html.count("<script") == 0 and "<img" not in html and "<i>H" not in html and "<u>" not in html
    assert html.index('data-lang="zh-Hans"') < html.index('data-lang="zh-Hant"')


def test_related_falls_back_to_a_snippet_without_a_title():
    html = related_html([{"clause_id": "d/p1", "lang": "en", "text": "x" * 100, "title": "", "heading": []}], "Related")
    assert "x" * 59 + "…" in html and "<h3>Related</h3>" in html
    assert related_html([], "Related") == ""


def test_an_indented_answer_line_renders_as_a_nested_list_item():
    answer = {"answer": "2 sections:\nI. First [1]\n  1. Item one [2]\nII. Second [3]", "abstained": False,
              "took_ms": 1.0, "mode": "hybrid",
              "items": [{"text": "I. First", "n": 1, "level": 0}, {"text": "1. Item one", "n": 2, "level": 1},
                        {"text": "II. Second", "n": 3, "level": 0}]}
    out = answer_html(answer)
    assert out.count('class="pq-item pq-level-0"') == 2 and out.count('class="pq-item pq-level-1"') == 1
    assert out.count('data-testid="answer-list"') == 1  # one list, the item nested inside it
