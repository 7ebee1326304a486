"""Exact matches a fused ranking must not bury.

A keyword query ("產業大腦", "re-lending", "coal gangue") that occurs verbatim in only a few clauses
names them: those clauses go first whatever the dense model thinks of a two-word query. "Verbatim"
is a substring of the normalized text (NFKC, lower case, 繁 folded to 简) for Chinese, and a run of
consecutive analyzer tokens for English ("time-honored brands" matches "time-honoured brand").
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from policyqa.index.analyzer import has_cjk, normalize, tokenize

MAX_CJK_CHARS = 8  # a Chinese keyword query: 2-8 characters
MAX_WORDS = 4  # an English one: 1-4 content words
DISTINCTIVE = 3  # a phrase found in more clauses than this names a topic, not a clause


def words(text: str) -> list[str]:
    """Analyzer tokens without the reference tokens (§c11, §no258, §s6)."""
    return [t for t in tokenize(text) if not t.startswith("§")]


def is_keyword_query(query: str) -> bool:
    norm = re.sub(r"\s+", "", normalize(query))
    if has_cjk(norm):
        return 2 <= len(norm) <= MAX_CJK_CHARS
    return 1 <= len(words(query)) <= MAX_WORDS


def _contains(seq: Sequence[str], sub: Sequence[str]) -> bool:
    n = len(sub)
    return any(seq[i:i + n] == sub for i in range(len(seq) - n + 1))


@dataclass
class PhraseIndex:
    """Normalized chunk texts (and English token lists), computed once per searcher on first use."""

    texts: Sequence[str]
    _norm: list[str] = field(default_factory=list, init=False, repr=False)
    _tokens: list[list[str] | None] = field(default_factory=list, init=False, repr=False)

    def _prepare(self) -> None:
        if not self._norm and self.texts:
            self._norm = [normalize(t) for t in self.texts]
            self._tokens = [None] * len(self.texts)

    def chunks_with(self, query: str, candidates: Iterable[int]) -> list[int]:
        """The candidate chunks that contain the keyword query verbatim (none for a longer query)."""
        if not is_keyword_query(query):
            return []
        self._prepare()
        norm = re.sub(r"\s+", "", normalize(query))
        if has_cjk(norm):
            return [i for i in candidates if norm in self._norm[i]]
        want = words(query)
        out = []
        for i in candidates:
            if self._tokens[i] is None:
                self._tokens[i] = words(self.texts[i])
            if _contains(self._tokens[i], want):
                out.append(i)
        return out


def distinctive(clauses: Sequence[str]) -> list[str]:
    """The clauses (once each, in order) when there are few enough to be named by the phrase."""
    unique = list(dict.fromkeys(clauses))
    return unique if 0 < len(unique) <= DISTINCTIVE else []
