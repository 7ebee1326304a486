"""What the corpus does not speak of, read from a question: an acronym, a place or a proper name no
clause has (the documents are not about it), a place the answer's clauses never name (the answer is
about something else), a document or an issue none of ours is, and strings of random letters or
markup (years and figures: serve.figures; what an answer never says: serve.unsaid). The word checks take the sentence bank: its analyzer and
the corpus vocabulary. `normalize` (繁→简, lowercase) lets a name or a year match in any script.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from policyqa.serve.docscope import fold
from policyqa.serve.question import normalize

_TAG = re.compile(r"<[^>]*>")
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z]{2,6}(?![A-Za-z])")


def unknown_acronym(text: str, bank) -> str | None:
    """An acronym of the question (GDP, PMI, EV) that no clause of the corpus has: the documents are
    not about it, however close its other words are. `bank`: the sentence bank (analyzer, vocabulary)."""
    for m in _ACRONYM.finditer(text):
        if re.fullmatch(r"[IVXL]+", m.group()):  # a Roman numeral: section III
            continue
        tokens = bank.tokenize(m.group())
        if tokens and not any(bank.known(t) for t in tokens):
            return m.group()
    return None


_BOOK_TITLE = re.compile(r"《([^》]{2,80})》")


def unknown_title(text: str, names: Sequence[str], corpus: Callable[[], str]) -> str | None:
    """A document the question names in book-title marks (《芯片与科学法案》) that is not one of the
    corpus's: no document's name (`names`, folded) is in it or holds it, and no text quotes it
    (`corpus`: the folded text of every unit, asked for only when the question has such a title)."""
    for m in _BOOK_TITLE.finditer(text):
        title = fold(m.group(1))
        if len(title) < 2 or any(n in title or title in n for n in names) or title in corpus():
            continue
        return m.group(0)
    return None


# A document described by its topic and its kind ("工信部2023年那份制造业可靠性提升实施意见", "MIIT's guidelines
# on humanoid robot innovation"): the description, then the kind (Chinese) or the kind, then "on/for" and it.
_DESCRIBED_DOC = re.compile(
    r"([\u4e00-\u9fff]{4,20}?)(实施意见|指导意见|行动方案|实施方案|行动计划|规划|意见|方案|通知|办法|条例)"
    r"|\b(?:guidelines?|guidance|(?:action )?plan|opinions?|regulations?|notice|circular)\s+(?:on|for)\s+"
    r"((?:[\w'’-]+\s+){0,5}[\w'’-]+?)(?=\s*(?:[?.,;!]|$|\b(?:and|was|is|were|issued|published|released|co-?signed|signed)\b))",
    re.IGNORECASE)
_THIS_OR = re.compile(r"这份|这个|这篇|该|本|还是|或者|\b(?:this|these|its)\b", re.IGNORECASE)
DESCRIBED_COVER = 0.5  # a description is known when one document's names have this share of its words


def unknown_described(text: str, bank, names: Sequence[str], asking: frozenset[str]) -> str | None:
    """A document the question describes by topic and kind that none of the corpus's documents is: a
    Chinese kind no name has (行动方案 where the corpus has 指导意见), or a description of which no
    document's `names` (titles and aliases) have DESCRIBED_COVER of the words (idf-weighted; not
    `asking` words, years or numbers; two words at least). As written in the question, or None."""
    folded = [fold(n) for n in names]
    named = [set(bank.tokenize(n)) for n in names]
    for m in _DESCRIBED_DOC.finditer(normalize(text)):
        if _THIS_OR.search(m.group(0)):  # "这份…的意见" is the document at hand; "是通知还是意见" asks its kind
            continue
        tokens = [t for t in bank.tokenize(m.group(1) or m.group(3)) if t not in asking and not t.isdigit()]
        words = {t for t in tokens if not any(t != v and t in v for v in tokens)}  # 制造业, not also 制造
        if not words:
            continue
        if m.group(2) and not any(m.group(2) in n for n in folded):
            return m.group(0).strip()
        weight = sum(bank.idf(w) for w in words)
        if len(words) >= 2 and max(sum(bank.idf(w) for w in words & n) for n in named) < DESCRIBED_COVER * weight:
            return m.group(0).strip()
    return None


_CAPITALIZED = re.compile(r"(?<=[a-z,;:'’] )[A-Z][a-z]{2,}\b")
_CALENDAR = frozenset("january february march april may june july august september october november december "
                      "monday tuesday wednesday thursday friday saturday sunday".split())


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    """The words jieba's dictionary tags as place names ("ns"), read from its word list on first use
    (a fraction of a second; jieba's full tagger would hold its whole tag table in memory)."""
    import jieba

    out = set()
    with jieba.dt.get_dict_file() as fh:
        for line in fh:
            parts = line.decode("utf-8").split()
            if len(parts) >= 3 and parts[2] == "ns":
                out.add(parts[0])
    return frozenset(out)


def places(text: str, bank, names: Sequence[str] = ()) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The places and proper names of a question, each as (written, its Chinese word, its English
    analyzer tokens). Chinese: a word jieba's dictionary tags as a place whose CC-CEDICT sense is a
    proper noun ("Taiwan"; 新旧 "new and old" is no place), with that proper noun whole (韩国's later
    senses, "Han, one of the … States", name other things). English: a capitalized word inside the
    sentence that is no part of a document's name (`names`, folded) and no month or weekday."""
    from policyqa.index.bridge import dictionary, english_tokens

    folded_names = " ".join(names)
    out = []
    if _CJK.search(text):
        glossary, known_places = dictionary(), _place_words()
        folded = normalize(text)
        for word in dict.fromkeys(bank.tokenize(text)):
            if word not in known_places or len(word) < 2 or word in folded_names:
                continue
            senses = glossary.get(word, ())
            # a proper noun in every sense: 青山 is a district of Wuhan and also "green hills"
            if not senses or not all(sense[:1].isupper() for sense in senses):
                continue
            name = _PROPER.match(senses[0])
            english = english_tokens([word], {word: (name.group(),)}) if name else []
            at = folded.find(word)  # as the question wrote it (台灣), where folding kept the length
            written = text[at: at + len(word)] if at >= 0 and len(folded) == len(text) else word
            out.append((written, (word,), tuple(english)))
        # 广东 and 广东省 (jieba gives both): the place is 广东, which "Guangdong" names whole
        return [p for p in out if not any(q[1][0] != p[1][0] and q[1][0] in p[1][0] for q in out)]
    for m in _CAPITALIZED.finditer(text):
        word = m.group()
        if word.lower() in _CALENDAR or word.lower() in folded_names:
            continue
        tokens = tuple(bank.tokenize(word))
        if tokens:
            out.append((word, (), tokens))
    return out


# One-word senses of place words that name no venue alone: the country itself, and directions.
_NOT_A_VENUE = frozenset("China Central North South East West Northern Southern Eastern Western Middle".split())


@lru_cache(maxsize=1)
def _english_places() -> frozenset[str]:
    """Place names as English writes them (CC-CEDICT's proper-noun sense of each word jieba tags as a
    place): "Beijing", "Jiangsu", "Shenzhen"."""
    from policyqa.index.bridge import dictionary

    glossary, out = dictionary(), set()
    for word in _place_words():
        senses = glossary.get(word, ())
        if len(word) >= 2 and senses and all(s[:1].isupper() for s in senses) and (name := _PROPER.match(senses[0])) \
                and " " not in name.group():  # one word: "Central" of "Central Asia" names no place alone
            out.add(name.group())
    return frozenset(w for w in out if w.lower() not in _CALENDAR and len(w) > 2) - _NOT_A_VENUE


def names_place(text: str, bank) -> bool:
    """Whether a sentence names a place: a Chinese place word (places), or an English place name."""
    if _CJK.search(text):
        return bool(places(text, bank))
    return any(w in _english_places() for w in re.findall(r"\b[A-Z][a-z]+\b", text))


def unknown_place(text: str, bank, names: Sequence[str] = ()) -> str | None:
    """A place or proper name of the question (台湾, Germany, Hangzhou) that no clause of the corpus
    has, in any language: the documents are not about it. A Chinese place is known by its own word
    or by its English proper name whole ("south" of "South Korea" is in the corpus, Korea is not)."""
    for written, chinese, english in places(text, bank, names):
        if not any(bank.known(t) for t in (*chinese, *(t for c in chinese for t in bank.tokenize(c)))) and \
                not (english and all(bank.known(t) for t in english)):
            return written
    return None


def unsaid_place(text: str, bank, tokens: set[str], names: Sequence[str] = ()) -> str | None:
    """A place of the question that none of the clauses that would answer it names (`tokens`: their
    analyzer tokens, every version): "广东省出台了哪些配套政策" is not answered by a clause about
    finance because the Qiushi article once names Guangdong."""
    for written, chinese, english in places(text, bank, names):
        if not chinese:  # an English capitalized word may be a heading's ("Next Steps"), not a place
            continue
        if any(bank.idf(t) < COMMON_PLACE_IDF for t in (*chinese, *english)):
            continue  # China, 我国's country: named in many clauses, not asked about as a place apart
        if not any(c in tokens for c in chinese) and not (english and all(t in tokens for t in english)):
            return written
    return None


COMMON_PLACE_IDF = 3.0  # a word in about one clause in twenty or more

# An issue of a periodical named by its number ("2024年第2期", "No. 2, 2024", "issue 2").
_ISSUE = re.compile(r"第\s*(\d{1,2})\s*期|\bno\.\s*(\d{1,2})\b|\bissue (?:no\.\s*)?(\d{1,2})\b", re.IGNORECASE)


def unknown_issue(text: str, sources: Sequence[str]) -> str | None:
    """The issue a question names ("求是2024年第2期") when no document's source line names that
    issue: the corpus holds another issue, not the one asked about. `sources`: the source lines."""
    m = _ISSUE.search(normalize(text))
    if m is None or not sources:
        return None
    number = next(g for g in m.groups() if g)
    said = {next(g for g in x.groups() if g) for line in sources for x in _ISSUE.finditer(normalize(line))}
    return m.group(0) if said and number not in said else None


def is_noise(text: str, bank) -> bool:
    """Random letters or markup, which abstain whatever else they match. `bank` is the sentence bank
    (its analyzer and the corpus vocabulary). Chinese text is never noise here.
    - markup: once the tags are removed, no word the corpus knows is left ("<script>alert(1)</script>");
    - random letters: at least half the words are unpronounceable (no vowel, or four consonants in
      a row) and none is a corpus word ("xqzv plorf wnbb kkdj")."""
    stripped = _TAG.sub(" ", text)
    if _CJK.search(stripped):
        return False
    known = any(bank.known(t) for t in bank.tokenize(stripped) if not t.startswith("§"))
    if stripped != text:
        return not known
    words = re.findall(r"[a-z]+", stripped.lower())
    if not words:
        return True
    odd = [w for w in words if not re.search(r"[aeiouy]", w) or re.search(r"[^aeiouy]{4,}", w)]
    return not known and 2 * len(odd) >= len(words)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PROPER = re.compile(r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*")  # "South Korea" of "South Korea", "Jiangsu" of "Jiangsu province in …"
