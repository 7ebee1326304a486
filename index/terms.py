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
def policy_terms() -> dict[str, tuple[str, ...]]:
    """Simplified headword → English glosses, as index.bridge.parse_line reads a CC-CEDICT line."""
    from policyqa.index.bridge import parse_line

    out: dict[str, tuple[str, ...]] = {}
    text = (files("policyqa.index") / "data" / TERMS_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        parsed = parse_line(line)
        if parsed and parsed[1]:
            out[parsed[0]] = out.get(parsed[0], ()) + tuple(parsed[1])
    return out


@lru_cache(maxsize=1)
def terms_hash() -> str:
    """What the index manifest records of the terms it was analyzed with: another list needs a rebuild."""
    import hashlib

    return hashlib.sha256((files("policyqa.index") / "data" / TERMS_FILE).read_bytes()).hexdigest()[:16]


__all__ = ["TERMS_FILE", "policy_terms", "terms_hash"]
