"""Web pages (trafilatura): the main content only; navigation, headers, footers, link lists and
scripts are dropped. Title and date come from the page's <title>/<meta> (trafilatura's metadata).
"""
from __future__ import annotations

from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.formats import Extracted
from policyqa.corpus.limits import FileLimits
from policyqa.corpus.reading import decode_bytes


def extract(data: bytes, name: str, limits: FileLimits) -> Extracted:
    import trafilatura

    html, encoding = decode_bytes(data, name)
    text = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True,
                               include_links=False, include_images=False, deduplicate=False)
    if not text or not text.strip():
        raise PolicyQAError(f"{name}: no main text found in the web page (only navigation, links or scripts); "
                            "save the page that shows the document itself, or copy its text into a .txt file")
    lines = [l.strip() for l in text.split("\n") if l.strip()]
    if _only_links(html, lines):
        raise PolicyQAError(f"{name}: no main text found in the web page (only navigation, links or scripts); "
                            "save the page that shows the document itself, or copy its text into a .txt file")
    meta = trafilatura.extract_metadata(html)
    info = {}
    if meta is not None:
        for key in ("title", "author", "date", "sitename", "description"):
            value = getattr(meta, key, None)
            if value:
                info[key] = str(value).strip()
    return Extracted(text="\n\n".join(lines), kind="html", meta=info, encoding=encoding)


def _only_links(html: str, lines: list[str]) -> bool:
    """Whether what the extractor kept is link text only: on a page without an article it falls back
    to the menu ("Home", "About", "Policies" ...)."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return False
    links = {" ".join(a.text_content().split()) for a in root.iter("a")}
    words = [l for l in lines if len(l) > 2]
    return not words or all(" ".join(l.split()) in links for l in words)
