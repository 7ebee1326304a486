"""One analyzer for English and both Chinese scripts, used for indexing and for queries.

English: lowercased, stop words removed, Snowball-stemmed. Chinese: folded to simplified with
OpenCC (so 產業 matches 产业 and the over-converted 全麵 matches 全面), then segmented by jieba in
search mode (overlapping words, so 产业大脑 also yields 产业 and 大脑). On top of the words, exact
references users type become shared tokens in every language: clause (11) / （十一） / (十一) /
"clause 11" / 第十一条 → `§c11`; 〔2023〕258号 / [2023] No. 258 / No. 258 → `§no258`; 第六部分 /
"section VI" / "part 6" / "sixth part" → `§s6`, which the index gives a section's heading and every
unit under it (index.build.section_tokens).
"""
from __future__ import annotations

import logging
import threading
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
_ORDINALS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}
_ROMAN = {r: i for i, r in enumerate("i ii iii iv v vi vii viii ix x".split(), 1)}
_SECTION_REF = re.compile(
    r"第([一二三四五六七八九十]{1,3}|\d{1,2})(?:部分|节|章|篇)"  # 第六部分
    r"|^\s*([一二三四五六七八九十]{1,3})、"  # 六、 as typed at the start of a query
    r"|\b(?:section|part|chapter)\s+(\d{1,2}|[ivx]{1,4}|[a-z]+)\b"  # section II, part 5, part five
    r"|\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:section|part|chapter)\b"
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


_JIEBA_LOCK = threading.Lock()


def _jieba():
    # One tokenizer per process even when the searcher's background warm-up and a first query
    # ask for it at once (lru_cache alone would let both build one).
    with _JIEBA_LOCK:
        return _make_jieba()


@lru_cache(maxsize=1)
def _make_jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    from policyqa.index.terms import headwords

    tok = jieba.Tokenizer()
    tok.initialize()
    for word in headwords():  # kept whole, as the dictionary words they are (index.terms)
        tok.add_word(word)
    return tok


# British spellings read as American ones, so "programmes" finds "programs" and "organisation"
# "organization": a short list of whole words, and -ise/-isation on the stems that take -ize.
_UK = {"programme": "program", "programmes": "programs", "centre": "center", "centres": "centers",
       "labour": "labor", "favour": "favor", "behaviour": "behavior", "catalogue": "catalog",
       "licence": "license", "defence": "defense", "ageing": "aging", "fibre": "fiber", "fibres": "fibers",
       "neighbouring": "neighboring", "endeavour": "endeavor", "honour": "honor"}
_UK_ISE = re.compile(r"^(organ|optim|priorit|real|recogn|emphas|modern|standard|util|digital|industrial|special|mobil"
                     r"|subsid|central|capital|minim|maxim|categor|summar|character|commercial|local|global|normal"
                     r"|rational|stabil|harmon|custom|internation|intellectual|privat|revital|synerg)is"
                     r"(e|ed|es|ing|ation|ations)$")


def american(word: str) -> str:
    """A lowercase English word with its British spelling made American (see _UK)."""
    return _UK.get(word) or _UK_ISE.sub(r"\1iz\2", word)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _EN_NUMBERS.get(token) or zh_numeral(token)


def has_cjk(text: str) -> bool:
    return bool(_HAS_CJK.search(text))


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), lowercase, traditional folded to simplified."""
    text = unicodedata.normalize("NFKC", text).lower()
    return opencc_converter("t2s").convert(text) if _HAS_CJK.search(text) else text


def section_number(token: str) -> int | None:
    """"六" / "6" / "vi" / "six" / "sixth" / "六、" / "VI." / "Sixth," → 6 (a section heading's number as written)."""
    token = unicodedata.normalize("NFKC", token).strip().strip("、.,:：").lower()
    return _ROMAN.get(token) or _ORDINALS.get(token) or _number(token)


def reference_tokens(normalized: str) -> list[str]:
    out = []
    for m in _SECTION_REF.finditer(normalized):
        n = section_number(next(g for g in m.groups() if g))
        if n is not None and 0 < n < 100:
            out.append(f"§s{n}")
    for m in _CLAUSE_REF.finditer(normalized):
        n = _number(next(g for g in m.groups() if g))
        if n is not None and 0 < n < 100:
            out.append(f"§c{n}")
    for m in _DOC_NO.finditer(normalized):
        out.append(f"§no{int(next(g for g in m.groups() if g))}")
    return out


# Reference tokens spelled as one alphanumeric word for engines that segment text themselves (jieba
# splits "§c11" at the "§"); no stemmed English word starts with it.
REF_WORD = "qxref"
ZH_STOP_WORDS = _ZH_STOP


def engine_token(token: str) -> str:
    """A token of tokenize() as it reads after analyzed_text() and a jieba segmenter."""
    if token.startswith("§"):
        return REF_WORD + token[1:]
    return token.replace(".", "").replace("'", "") if _HAS_CJK.match(token) is None else token


def analyzed_text(text: str) -> str:
    """This analyzer's work up to segmentation, as text for an engine that segments with jieba in
    search mode and drops ZH_STOP_WORDS itself (Milvus's BM25 function): NFKC, lowercase, folded to
    simplified, English stop words removed and stemmed, references as single words; Chinese runs left
    whole. Segmented that way it yields engine_token() of every token tokenize() gives."""
    norm = normalize(text)
    words = [engine_token(t) for t in reference_tokens(norm)]
    stem = _stemmer().stemWord
    for run in _RUN_RE.findall(norm):
        if _HAS_CJK.match(run):
            words.append(run)
        elif run not in _EN_STOP:
            words.append(engine_token(stem(american(run))))  # jieba would split "u.s" at the dot
    return " ".join(w for w in words if w)


def tokenize(text: str) -> list[str]:
    """Index and query tokens for any mix of English, simplified and traditional Chinese."""
    return list(_tokens(text))


@lru_cache(maxsize=1024)  # one search analyzes its query several times (BM25, fusion, bridge, phrases)
def _tokens(text: str) -> tuple[str, ...]:
    norm = normalize(text)
    tokens = reference_tokens(norm)
    stem = _stemmer().stemWord
    for run in _RUN_RE.findall(norm):
        if _HAS_CJK.match(run):
            for word in _jieba().cut_for_search(run):
                if word not in _ZH_STOP:
                    tokens.append(word)
        elif run not in _EN_STOP:
            tokens.append(stem(american(run)))
    return tuple(tokens)
