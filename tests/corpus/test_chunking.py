"""Chunking: one chunk per unit when it fits, sentence-bounded pieces with offsets when it does not."""
from __future__ import annotations

import re

from policyqa.corpus.chunking import chunk_units
from policyqa.corpus.types import Unit

ENDS = ("。", "！", "？", "；", ".", "!", "?", ";")


def toy_count(text: str) -> int:
    """A stand-in counter: a CJK character or a Latin word is a token, plus 2 for the prompt."""
    return len(re.findall(r"[\u4e00-\u9fff]|[A-Za-z0-9]+", text)) + 2


def long_unit(store, lang: str) -> Unit:
    # A long clause built from real clauses so sentence boundaries are real ones.
    parts = [store.get(f"guiding-opinions-2023/c{i}", lang).text for i in (5, 6, 7)]
    text = ("" if lang.startswith("zh") else " ").join(parts)
    return Unit("guiding-opinions-zh-hans", "guiding-opinions-2023/c5", lang, "clause", ("三、heading",), "（五）", text, 0, len(text))


def check_chunks(unit: Unit, chunks, count, max_tokens: int) -> None:
    assert [c.chunk_id for c in chunks] == [f"{unit.clause_id}@{unit.lang}#{i}" for i in range(len(chunks))]
    cursor = 0
    for c in chunks:
        assert unit.text[c.start:c.end] == c.text and c.start >= cursor
        assert unit.text[cursor:c.start].strip() == ""  # nothing skipped between pieces
        cursor = c.end
        assert count(c.text) <= max_tokens
        assert c.heading == unit.heading and c.clause_id == unit.clause_id and c.lang == unit.lang
    assert cursor == len(unit.text)


def test_short_unit_is_one_chunk(store):
    unit = store.get("guiding-opinions-2023/c11", "zh-Hant")
    (chunk,) = chunk_units([unit], toy_count, 510)
    assert chunk.text == unit.text and (chunk.start, chunk.end) == (0, len(unit.text))
    assert chunk.chunk_id == "guiding-opinions-2023/c11@zh-Hant#0"


def test_long_chinese_unit_split_at_sentence_ends(store):
    unit = long_unit(store, "zh-Hans")
    assert toy_count(unit.text) > 400
    chunks = chunk_units([unit], toy_count, 150)
    assert len(chunks) >= 3
    check_chunks(unit, chunks, toy_count, 150)
    assert all(c.text.endswith(ENDS) for c in chunks)


def test_long_english_unit_split_at_sentence_ends(store):
    unit = long_unit(store, "en")
    chunks = chunk_units([unit], toy_count, 120)
    assert len(chunks) >= 3
    check_chunks(unit, chunks, toy_count, 120)
    assert all(c.text.endswith(ENDS) for c in chunks)
    assert all(c.text[0].isupper() or c.text[0] == "(" for c in chunks)


def test_unpunctuated_run_still_fits(store):
    text = "甲" * 700
    unit = Unit("d", "d/p1", "zh-Hans", "paragraph", (), "", text, 0, len(text))
    chunks = chunk_units([unit], toy_count, 100)
    check_chunks(unit, chunks, toy_count, 100)


def test_real_token_counter_on_bundled_corpus(store, encoder):
    count = encoder.count_tokens
    chunks = chunk_units(store.units, count, 510)
    assert {c.unit_key for c in chunks} == {u.key for u in store.units}
    assert all(count(c.text) <= 510 for c in chunks)
    unit = long_unit(store, "en")
    assert count(unit.text) > 510
    long_chunks = chunk_units([unit], count, 510)
    assert len(long_chunks) >= 2
    check_chunks(unit, long_chunks, count, 510)
    assert all(c.text.endswith(ENDS) for c in long_chunks)
