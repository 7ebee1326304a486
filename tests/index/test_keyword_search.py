"""Keyword, section and cross-language look-ups on the real bundled corpus and model."""
from __future__ import annotations

import re

import pytest

from policyqa.index.bridge import english_tokens, parse_line

G = "guiding-opinions-2023/"


def ids(searcher, query, k=10, **kw):
    return [h.unit.clause_id for h in searcher.search(query, top_k=k, **kw).hits]


def test_industrial_brain_in_traditional_script_is_first(searcher):
    """The issue's case: hybrid used to put three Qiushi paragraphs above （六）."""
    hits = searcher.search("產業大腦", top_k=3).hits
    assert hits[0].unit.clause_id == G + "c6"
    assert hits[0].unit.lang == "zh-Hant" and "產業大腦" in hits[0].unit.text


@pytest.mark.parametrize("query, gold", [
    ("re-lending", G + "c17"), ("coal gangue", G + "c10"), ("time-honored brands", G + "c4"),
    ("Acting in Concert", "qiushi-2024/part7/p3"),
    ("再贷款", G + "c17"), ("搬改关", G + "c11"), ("碳足迹", G + "c8"), ("钢化联产", G + "c12"),
    ("碳達峰", G + "c8"), ("鏈網協同", G + "c6"), ("所得稅抵免", G + "c16"), ("學徒制", G + "c18"),
])
def test_keyword_finds_its_defining_clause_first(searcher, query, gold):
    assert ids(searcher, query, 1) == [gold]


@pytest.mark.parametrize("query, gold", [
    ("稀土", "qiushi-2024/part2/p2"), ("北斗", "qiushi-2024/part4/p3"),
    ("燃氣輪機", "cm2025-2017/s3/i1"), ("量子", "qiushi-2024/part4/p4"),
])
def test_chinese_keyword_reaches_english_only_clause_through_the_dictionary(searcher, query, gold):
    assert ids(searcher, query, 1) == [gold]


def _distinctive_phrases(store, lang, size, limit):
    """Substrings of `size` characters found in exactly one clause of that language, spread over clauses."""
    texts = {u.clause_id: u.text for u in store.units if u.lang == lang and u.kind != "heading"}
    out = []
    for cid, text in sorted(texts.items()):
        for start in range(len(text) // 3, len(text) - size, 37):
            phrase = text[start:start + size]
            if re.fullmatch(r"[\u4e00-\u9fff]+", phrase) and sum(phrase in t for t in texts.values()) == 1:
                out.append((phrase, cid))
                break
    return out[:limit]


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_a_distinctive_exact_match_never_leaves_the_top_three(searcher, store, lang):
    phrases = _distinctive_phrases(store, lang, 5, 24)
    assert len(phrases) >= 20
    missed = [(p, cid) for p, cid in phrases if cid not in ids(searcher, p, 3)]
    assert missed == []


def test_an_english_exact_term_stays_in_the_top_three_even_when_another_clause_repeats_it(searcher):
    # "civil explosives" is in clause (11) and in the news lead that quotes it
    top = ids(searcher, "civil explosives", 3)
    assert {G + "c11", G + "lead/p2"} <= set(top)


@pytest.mark.parametrize("query, section, child", [
    ("第六部分", G + "s6", G + "c17"),
    ("六、", G + "s6", G + "c15"),
    ("section II", G + "s2", G + "c3"),
    ("part 5", "qiushi-2024/part5", "qiushi-2024/part5/p2"),
    ("Fifth part", "qiushi-2024/part5", "qiushi-2024/part5/p1"),
])
def test_section_reference_ranks_the_section_and_its_units_first(searcher, query, section, child):
    top = ids(searcher, query, 12)
    heads = [cid for cid in top if searcher.store.versions(cid)[0].kind == "heading"]
    assert section in heads and top.index(section) < len(heads)  # headings lead
    assert child in top
    # the units that carry the section's reference token (its heading and everything under it) lead
    n = int(re.search(r"(\d+)$", section).group(1))
    carrying = searcher.bm25.token_scores([f"§s{n}"]) > 0
    exact = {searcher.chunks[i].clause_id for i in carrying.nonzero()[0]}
    full = ids(searcher, query, len(exact) + 2)
    assert set(full[:len(exact)]) == exact


def test_clause_number_as_a_word(searcher):
    assert ids(searcher, "(Seventeen)", 1) == [G + "c17"]


def test_dictionary_lines_parse_without_notes_or_references():
    line = "稀土 稀土 [xi1 tu3] /rare earth (chemistry)/\n"
    assert parse_line(line) == ("稀土", ["rare earth"])
    line = "個 个 [ge4] /individual/this/CL:個|个[ge4]/see also 各[ge4]/"
    assert parse_line(line) == ("个", ["individual", "this"])
    assert parse_line("# comment") is None
    glossary = {"稀土": ("rare earth",), "燃气轮机": ("gas turbine",)}
    assert english_tokens(["稀土", "燃气轮机", "未知"], glossary) == ["rare", "earth", "gas", "turbin"]
    glossary = {"小": ("small",), "巨人": ("giant",), "机器": ("machine",), "机器人": ("robot",)}
    assert english_tokens(["小", "巨人", "机器", "机器人"], glossary) == ["giant", "robot"]


def test_a_dictionary_word_that_jieba_split_is_found_whole():
    from policyqa.index.analyzer import normalize, tokenize
    from policyqa.index.bridge import spanning_phrases

    glossary = {"下一步": ("the next step",), "一步": ("step",), "中国制造": ("Made in China",), "新材料": ("new material",)}
    text = normalize("中國製造2025下一步要做哪些工作？")
    tokens = tokenize(text)
    assert "下一步" not in tokens  # jieba's cut: 下 (a stop word) and 一步
    found = spanning_phrases(text, tokens, glossary)
    assert "下一步" in found and "中国制造" in found
    # a word the tokens already hold, or one inside a longer token, is not found again
    assert spanning_phrases("新材料产业", ["新材料", "产业"], glossary) == []
    assert spanning_phrases("新材料产业", ["新材料产业"], glossary) == []


def test_a_bare_acronym_is_indexed_with_the_long_form_its_document_defined(searcher, store):
    """The Qiushi article defines "small and medium enterprises (SMEs)" in part 5 and says only
    "SMEs" in part 7: the keyword index reads part 7's paragraph with the long form too."""
    from policyqa.index.build import keyword_texts

    texts = keyword_texts(store, list(searcher.chunks))
    p3 = [(c, t) for c, t in zip(searcher.chunks, texts) if c.clause_id == "qiushi-2024/part7/p3"]
    assert p3 and all("small and medium enterprises" not in c.text for c, _ in p3)
    assert any(t.endswith(" small and medium enterprises") for _, t in p3)
    assert "qiushi-2024/part7/p3" in ids(searcher, "small and medium enterprises", k=3, mode="bm25")
