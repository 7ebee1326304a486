"""Units → Chunks for embedding: one chunk per unit when it fits the model's token limit, otherwise
pieces split on sentence boundaries (。！？； and ". ") with langchain-text-splitters.

`count_tokens` is the caller's counter (embed.encoder.Encoder.count_tokens), which counts the
passage prefix and special tokens too, so "fits" means fits as it will really be encoded.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from policyqa.corpus.types import Chunk, Unit

# Coarsest first: paragraph, line, sentence ends (CJK then Latin), then clause breaks, words,
# and characters as a last resort for an unpunctuated run.
SEPARATORS = ["\n\n", "\n", "。", "！", "？", "；", ". ", "! ", "? ", "; ", "，", "、", ", ", " ", ""]


def split_text(text: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[tuple[int, int]]:
    """(start, end) spans of `text`, each within `max_tokens`, cut at the coarsest boundary that works."""
    if count_tokens(text) <= max_tokens:
        return [(0, len(text))]
    # Imported here: langchain pulls in pydantic and langchain-core (seconds), and the query path
    # imports this module without ever splitting a text.
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    budget = max_tokens
    while True:
        splitter = RecursiveCharacterTextSplitter(
            separators=SEPARATORS, keep_separator="end", chunk_size=budget, chunk_overlap=0,
            length_function=count_tokens, strip_whitespace=True,
        )
        pieces = splitter.split_text(text)
        spans, cursor = [], 0
        for piece in pieces:
            start = text.find(piece, cursor)
            if start < 0:  # cannot happen for a non-overlapping split; fail loudly rather than misplace
                raise ValueError(f"chunk not found in its unit text: {piece[:40]!r}")
            spans.append((start, start + len(piece)))
            cursor = start + len(piece)
        # The splitter adds up piece lengths; a real count of the joined piece can differ slightly
        # (sub-word merges), so check and tighten the budget until every piece truly fits.
        if all(count_tokens(text[s:e]) <= max_tokens for s, e in spans) or budget <= 8:
            return spans
        budget = max(8, int(budget * 0.9))


def chunk_units(units: Iterable[Unit], count_tokens: Callable[[str], int], max_tokens: int = 510) -> list[Chunk]:
    """Every unit as one chunk, or as sentence-bounded pieces with offsets into the unit's text."""
    chunks: list[Chunk] = []
    for unit in units:
        for i, (start, end) in enumerate(split_text(unit.text, count_tokens, max_tokens)):
            chunks.append(Chunk(
                chunk_id=f"{unit.clause_id}@{unit.lang}#{i}", doc_id=unit.doc_id, clause_id=unit.clause_id,
                lang=unit.lang, heading=unit.heading, text=unit.text[start:end], start=start, end=end,
            ))
    return chunks
