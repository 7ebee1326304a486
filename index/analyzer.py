"""One analyzer for English and both Chinese scripts, used for indexing and for queries.

English: lowercased, stop words removed, Snowball-stemmed. Chinese: folded to simplified with
OpenCC (so 產業 matches 产业 and the over-converted 全麵 matches 全面), then segmented by jieba in
search mode (overlapping words, so 产业大脑 also yields 产业 and 大脑). On top of the words, exact
references users type become shared tokens in every language: clause (11) / （十一） / (十一) /
"clause 11" / 第十一条 → `§c11`; 〔2023〕258号 / [2023] No. 258 / No. 258 → `§no258`.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

from policyqa.corpus.sources import opencc_converter
from policyqa.corpus.structure import zh_numeral
from policyqa.corpus.types import CJK

_RUN_RE = re.compile(rf"[{CJK}]+|[a-z0-9]+(?:[.'][a-z0-9]+)*")
_HAS_CJK = re.compile(rf"[{CJK}]")
_EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
_CLAUSE_REF = re.compile(
    r"\(\s*(\d{1,2}|[一二三四五六七八九十]{1,3}|[a-z]+)\s*\)"  # (11) (十一) (seventeen), after NFKC + lower
    r"|\b(?:clause|article|item)\s+(\d{1,2}|[a-z]+)\b"
    r"|第([一二三四五六七八九十]{1,3}|\d{1,2})[条条款項项]"
)
_DOC_NO = re.compile(r"(?:\[\d{4}\]|〔\d{4}〕)\s*(?:no\.?\s*)?(\d{1,4})\s*[号號]?|\bno\.\s*(\d{1,4})\b")

_EN_STOP = frozenset(
    """a an and are as at be been but by can do does for from has have how i if in into is it its
    of on or our so such than that the their them then there these they this to was we were what
    when where which who whom why will with would you your about there any all also more most other
    some should shall may might must""".split()
)
_ZH_STOP = frozenset(
    "的 了 和 与 及 或 是 在 对 为 等 把 被 就 都 而 并 也 以 之 于 其 中 上 下 吗 呢 吧 啊 什么 哪些 如何 怎么 怎样 是否 有没有 有 哪 个 这 那 要 会 能 可以".split()
)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _EN_NUMBERS.get(token) or zh_numeral(token)


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), lowercase, traditional folded to simplified."""
    text = unicodedata.normalize("NFKC", text).lower()
    return opencc_converter("t2s").convert(text) if _HAS_CJK.search(text) else text


def reference_tokens(normalized: str) -> list[str]:
    out = []
    for m in _CLAUSE_REF.finditer(normalized):
        n = _number(next(g for g in m.groups() if g))
        if n is not None and 0 < n < 100:
            out.append(f"§c{n}")
    for m in _DOC_NO.finditer(normalized):
        out.append(f"§no{int(next(g for g in m.groups() if g))}")
    return out


def tokenize(text: str) -> list[str]:
    """Index and query tokens for any mix of English, simplified and traditional Chinese."""
    norm = normalize(text)
    tokens = reference_tokens(norm)
    stem = _stemmer().stemWord
    for run in _RUN_RE.findall(norm):
        if _HAS_CJK.match(run):
            for word in _jieba().cut_for_search(run):
                if word not in _ZH_STOP:
                    tokens.append(word)
        elif run not in _EN_STOP:
            tokens.append(stem(run))
    return tokens
