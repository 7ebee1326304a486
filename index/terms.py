"""Chinese policy terms CC-CEDICT lacks (全产业链, 专精特新, 稳增长…), read from index/data/policy_terms.u8.

A term the dictionary does not know is cut by jieba into parts whose senses miss its meaning
(全产业链 → 全 + 产业链, "industry value chain": nothing says "entire"), so neither the keyword
bridge nor sentence choice finds the English clause that says "the advantages of entire industrial
chains". The terms file is in CC-CEDICT's format and is merged into the dictionary
(index.bridge.dictionary); the analyzer's jieba keeps each term whole (index.analyzer).
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

TERMS_FILE = "policy_terms.u8"


@lru_cache(maxsize=1)
def term_lines() -> tuple[str, ...]:
    """The file's entries, CC-CEDICT lines (`繁 简 [pinyin] /gloss/…/`), comments left out; their
    glosses are parsed as the dictionary's are (index.bridge.dictionary)."""
    text = (files("policyqa.index") / "data" / TERMS_FILE).read_text(encoding="utf-8")
    return tuple(line for line in text.splitlines() if line.strip() and not line.startswith("#"))


def headwords() -> list[str]:
    """The terms, simplified: the words jieba keeps whole (index.analyzer)."""
    return [line.split(" ")[1] for line in term_lines() if len(line.split(" ")) > 2]


@lru_cache(maxsize=1)
def terms_hash() -> str:
    """What the index manifest records of the terms it was analyzed with: another list needs a rebuild."""
    import hashlib

    return hashlib.sha256((files("policyqa.index") / "data" / TERMS_FILE).read_bytes()).hexdigest()[:16]


__all__ = ["TERMS_FILE", "headwords", "term_lines", "terms_hash"]
