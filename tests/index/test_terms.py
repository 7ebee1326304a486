"""The policy terms CC-CEDICT lacks: parsed from the packaged file, kept whole by the analyzer,
glossed by the keyword bridge, recorded in the index manifest."""
from __future__ import annotations

from policyqa.index.analyzer import tokenize
from policyqa.index.bridge import dictionary, english_tokens
from policyqa.index.terms import headwords, terms_hash


def test_the_terms_file_parses_as_cc_cedict_lines():
    words = headwords()
    assert "全产业链" in words and "稳增长" in words and len(set(words)) == len(words)
    assert all(len(word) >= 2 for word in words)  # no single characters: their senses are too many
    assert all(dictionary()[word] for word in words)  # every term has glosses


def test_a_term_is_kept_whole_and_its_parts_too():
    tokens = tokenize("要鞏固哪些產業的全產業鏈優勢？")  # 繁, folded to 简 first
    assert "全产业链" in tokens and "产业链" in tokens


def test_the_bridge_glosses_a_term_as_the_dictionary_words_are():
    assert dictionary()["全产业链"][:2] == ("entire industrial chain", "whole industrial chain")
    assert {"entir", "industri", "chain"} <= set(english_tokens(["全产业链"]))
    # a word CC-CEDICT knows gets the official rendering as one more sense, after its own
    senses = dictionary()["北斗"]
    assert "Big Dipper" in senses and senses[-2:] == ("BeiDou", "BeiDou Navigation Satellite System")


def test_the_index_records_the_terms_it_was_analyzed_with(built):
    from pathlib import Path

    from policyqa.index.build import read_manifest

    assert read_manifest(Path(built.index_dir))["policy_terms"] == terms_hash() and len(terms_hash()) == 16
