"""The app in a real browser: Debian's chromium driven by Python playwright (no browser download).

In CI (CI set, as .ci/run does) a missing chromium is a failure; elsewhere the tests are skipped
with the reason, so a developer without chromium can still run the suite.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.serve.conftest import running_app

CHROMIUM = os.environ.get("POLICYQA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
GO = "guiding-opinions-2023"
# This machine's network is closed: without these, chromium's background connections are refused
# by the dozen and it looks up Google's hosts at every start.
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    reason = f"chromium not found at {CHROMIUM}: `apt-get install chromium` (.ci/run does)"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        print(f"browser: chromium {b.version} from {CHROMIUM}")
        try:
            yield b
        finally:
            b.close()


def ask_in_page(page, url: str, question: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    box = page.locator("#pq-question textarea")
    box.wait_for(timeout=60_000)
    box.fill(question)
    page.locator("#pq-ask").click()


def cited_card(page, url: str, question: str, clause_id: str, lang: str):
    """Ask in the page and wait for the citation card of that clause in that language."""
    ask_in_page(page, url, question)
    card = page.locator(f'.pq-card[data-clause-id="{clause_id}"][data-lang="{lang}"]')
    card.wait_for(timeout=60_000)
    return card


def test_chinese_question_shows_the_cited_clause_highlighted(browser, server, artifacts_dir):
    page = browser.new_page(viewport={"width": 1280, "height": 1400}, locale="zh-CN")
    card = cited_card(page, server, "产业大脑是什么？", f"{GO}/c6", "zh-Hans")
    assert "（六）促进产业链供应链网络化协同" in card.inner_text()
    mark = card.locator(".pq-text mark").first
    assert "产业大脑" in mark.inner_text()
    answer = page.locator('[data-testid="answer"]').inner_text()
    assert "产业大脑" in answer and "[1]" in answer
    # The other versions are one click away.
    english = card.locator('details.pq-version[data-lang="en"]')
    english.locator("summary").click()
    assert "industrial brain" in english.locator(".pq-text").inner_text().lower()
    page.screenshot(path=str(artifacts_dir / "browser-zh-hans-answer.png"), full_page=True)
    page.close()


def test_traditional_question_and_empty_question_in_the_page(browser, server, artifacts_dir):
    page = browser.new_page(viewport={"width": 1280, "height": 1200}, locale="zh-TW")
    card = cited_card(page, server, "對安全生產專用設備有稅收優惠嗎？", f"{GO}/c16", "zh-Hant")
    assert "(十六)" in card.inner_text()
    page.screenshot(path=str(artifacts_dir / "browser-zh-hant-answer.png"), full_page=True)
    page.locator("#pq-question textarea").fill("   ")
    page.locator("#pq-ask").click()
    page.locator(".pq-error").wait_for(timeout=60_000)
    assert "question is empty" in page.locator(".pq-error").inner_text()
    page.close()


HOSTILE = """Hostile test notice

Workshop rules for <script>window.__pwned = 1</script> zebra-crossing maintenance.

Every zebra crossing inspection is logged <img src=x onerror="window.__pwned = 2"> by the district office.

Inspectors repaint each zebra crossing twice a year & report "faded" stripes.
"""


@pytest.fixture(scope="module")
def hostile_server(config, encoder, tmp_path_factory):
    """A corpus whose text carries markup, built and served like any user's own documents."""
    from policyqa.index.build import build
    from policyqa.index.search import load_searcher
    from policyqa.serve.answer import Answerer

    corpus = tmp_path_factory.mktemp("hostile-corpus")
    (corpus / "notice.txt").write_text(HOSTILE, encoding="utf-8")
    cfg = config.replace(corpus_dir=corpus, data_dir=tmp_path_factory.mktemp("hostile-var"))
    build(cfg, encoder=encoder, progress=False)
    answerer = Answerer(load_searcher(cfg, encoder=encoder), cfg)
    with running_app(answerer, cfg) as url:
        yield url


def test_markup_in_documents_renders_inert(browser, hostile_server, artifacts_dir):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ask_in_page(page, hostile_server, "How often are zebra crossings repainted and logged?")
    page.locator(".pq-card").first.wait_for(timeout=60_000)
    page.wait_for_timeout(500)  # give an injected onerror handler its chance to fire
    # text_content includes the collapsed related clauses and versions.
    shown = page.locator("#pq-citations").text_content() + page.locator("#pq-related").text_content()
    assert "<script>window.__pwned = 1</script>" in shown
    assert '<img src=x onerror="window.__pwned = 2">' in shown
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#pq-citations img, #pq-related img, #pq-citations script, #pq-related script").count() == 0
    assert not dialogs
    page.screenshot(path=str(artifacts_dir / "browser-hostile-document.png"), full_page=True)
    page.close()


@pytest.fixture(scope="module")
def upload_server(config, encoder, tmp_path_factory):
    """A served corpus of one document with uploads on, its uploads kept inside its data dir."""
    from policyqa.index.build import build
    from policyqa.serve.engine import Engine
    from policyqa.serve.uploads import upload_dir
    from tests.serve.test_live import ZEBRA

    corpus = tmp_path_factory.mktemp("upload-corpus")
    (corpus / "zebra.txt").write_text(ZEBRA, encoding="utf-8")
    cfg = config.replace(corpus_dir=corpus, data_dir=tmp_path_factory.mktemp("upload-var"), uploads=True)
    build(cfg, encoder=encoder, progress=False)
    engine = Engine(cfg, encoder=encoder)
    previous = os.environ.get("GRADIO_TEMP_DIR")
    os.environ["GRADIO_TEMP_DIR"] = str(upload_dir(cfg))  # as `policyqa serve` does
    try:
        with running_app(engine, cfg) as url:
            yield cfg, url
    finally:
        if previous is None:
            os.environ.pop("GRADIO_TEMP_DIR", None)
        else:
            os.environ["GRADIO_TEMP_DIR"] = previous


def _print_pdf(browser, text: str, path: Path) -> Path:
    """A real PDF of `text`, printed by chromium (its first line is the title)."""
    import html

    page = browser.new_page()
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
    page.set_content(f"<html><head><title>{html.escape(text.splitlines()[0])}</title></head><body>{paras}</body></html>")
    page.pdf(path=str(path), format="A4",
             margin={"top": "20mm", "bottom": "20mm", "left": "18mm", "right": "18mm"})
    page.close()
    return path


def test_upload_in_the_panel_then_the_document_is_in_the_filter_and_answered(browser, upload_server, artifacts_dir,
                                                                            tmp_path):
    from tests.serve.test_live import LIGHTHOUSE, LIGHTHOUSE_Q

    cfg, url = upload_server
    pdf = _print_pdf(browser, LIGHTHOUSE, tmp_path / "lighthouse-rules.pdf")
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    page.get_by_text("Documents · 文件").click()
    table = page.locator("#pq-docs table.pq-docs")
    table.wait_for(timeout=60_000)
    assert table.locator("tr[data-doc-id]").count() == 1
    page.locator("#pq-upload input[type=file]").set_input_files(str(pdf))
    page.locator("#pq-upload-status .pq-ok").wait_for(timeout=240_000)
    assert "lighthouse" in page.locator("#pq-upload-status").inner_text()
    row = page.locator('#pq-docs tr[data-doc-id="lighthouse-rules"]')
    row.wait_for(timeout=30_000)
    assert row.locator('td[data-col="kind"]').inner_text() == "pdf"
    assert row.locator('td[data-col="added_at"]').inner_text().strip()
    page.screenshot(path=str(artifacts_dir / "browser-upload-panel.png"), full_page=True)
    # The new document is in the filter: choose it, then ask about it.
    page.get_by_text("Options · 选项").click()
    page.locator("#pq-doc input").click()
    option = page.get_by_role("option", name=re.compile("Lighthouse keeping rules"))
    option.wait_for(timeout=30_000)
    option.click()
    page.locator("#pq-question textarea").fill(LIGHTHOUSE_Q)
    page.locator("#pq-ask").click()
    card = page.locator('.pq-card[data-clause-id^="lighthouse-rules/"]').first
    card.wait_for(timeout=60_000)
    assert "Tuesday" in card.inner_text()
    # Uploaded copies are gone once added; the document lives in the data dir.
    assert not [p for p in (cfg.data_dir / "uploads").rglob("*.pdf")]
    assert list(cfg.documents_dir.rglob("*.pdf"))
    page.close()


def test_a_bad_upload_shows_its_message_in_the_panel(browser, upload_server, tmp_path):
    cfg, url = upload_server
    before = (cfg.index_dir / "manifest.json").read_bytes()
    fake = tmp_path / "minutes.pdf"
    fake.write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 40)  # a binary renamed to .pdf
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    page.get_by_text("Documents · 文件").click()
    page.locator("#pq-upload input[type=file]").set_input_files(str(fake))
    error = page.locator("#pq-upload-status .pq-error")
    error.wait_for(timeout=120_000)
    text = error.inner_text()
    assert "minutes.pdf" in text and "Traceback" not in text
    assert (cfg.index_dir / "manifest.json").read_bytes() == before  # the index is exactly as it was
    page.close()


def test_list_answer_and_document_card_render(browser, server, artifacts_dir):
    page = browser.new_page(viewport={"width": 1280, "height": 1400}, locale="zh-CN")
    card = cited_card(page, server, "第六部分有哪些政策保障？", f"{GO}/c15", "zh-Hans")
    items = page.locator('[data-testid="answer-list"] li')
    assert items.count() == 4 and "（十五）加强组织领导" in items.first.inner_text() and "[2]" in items.first.inner_text()
    assert "（十五）加强组织领导" in card.locator(".pq-text mark").first.inner_text()
    page.locator('#pq-citations .pq-card').nth(4).wait_for(timeout=60_000)  # the heading and four clauses
    page.screenshot(path=str(artifacts_dir / "browser-list-answer.png"), full_page=True)

    date = cited_card(page, server, "这份文件的发文日期是？", f"{GO}/meta/date", "zh-Hans")
    assert date.locator(".pq-text mark").inner_text() == "2023年12月28日"
    doc_card = page.locator('[data-testid="doc-card"]')
    doc_card.wait_for(timeout=60_000)
    text = doc_card.inner_text()
    assert "工信部联规〔2023〕258号" in text and "2023年12月28日" in text and "中国证监会" in text
    page.screenshot(path=str(artifacts_dir / "browser-document-fact.png"), full_page=True)
    page.close()


def test_an_overview_renders_its_outline_nested(browser, server, artifacts_dir):
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    cited_card(page, server, "Give me an overview of the 2017 report.", "cm2025-2017/s2/i1", "en")
    top = page.locator('[data-testid="answer-list"] li.pq-level-0')
    nested = page.locator('[data-testid="answer-list"] li.pq-level-1')
    assert top.count() == 3 and nested.count() == 15
    assert top.nth(1).inner_text().startswith("II. Main Difficulties and Problems")
    assert "International environment remains complicated" in nested.nth(6).inner_text()
    assert nested.nth(6).evaluate("e => getComputedStyle(e).marginLeft") != "0px"  # indented under its part
    page.screenshot(path=str(artifacts_dir / "browser-overview.png"), full_page=True)
    page.close()
