"""Which document a question is about: named (an alias, the title or the number), chosen in the app
(the `doc` argument, which also gives "这份文件" / "this policy" its meaning), or none.

Names come from the store: every document's title, English title, document number and the
manifest's `aliases` (any script; a user manifest adds its own). Matching is on folded text
(NFKC, lowercase, 繁→简, spaces and quotes removed), longest name first, so "求是文章" beats "求是".
A document number also matches by its digits ("258号", "No. 258", "258號文"), and a year with a
kind of document ("the 2017 MIIT report", "2024年那篇文章") names the one document dated that year.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from policyqa.corpus.sources import opencc_converter
from policyqa.index.analyzer import has_cjk
from policyqa.serve.question import normalize

ScopeReason = Literal["named", "kind", "described", "chosen", "default", "ranked"]


@dataclass(frozen=True)
class DocScope:
    family: str
    doc_ids: tuple[str, ...]  # the family's versions, in store order
    reason: ScopeReason  # named in the question, by its kind alone ("那篇文章"), described by its title's words, chosen in the app, or the corpus's principal document
    name: str = ""  # the alias or title that matched, as written in the manifest
    chosen: str | None = None  # the doc_id chosen in the app, when there was one

    def to_dict(self) -> dict:
        return {"family": self.family, "doc_ids": list(self.doc_ids), "reason": self.reason, "name": self.name}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = opencc_converter("t2s").convert(text)
    return re.sub(r"[\s\"'“”‘’《》「」『』<>()（）]+", "", text)


@dataclass
class DocNames:
    """Folded names → family, built once per store."""

    names: list[tuple[str, str, str]] = field(default_factory=list)  # (folded, family, as written)
    families: dict[str, tuple[str, ...]] = field(default_factory=dict)  # family → doc_ids
    order: list[str] = field(default_factory=list)  # families in manifest order
    years: dict[str, set[str]] = field(default_factory=dict)  # a document's year → the families dated then

    @classmethod
    def from_store(cls, store) -> "DocNames":
        out = cls()
        for meta in store.docs.values():
            if meta.family not in out.families:
                out.order.append(meta.family)
            out.families[meta.family] = out.families.get(meta.family, ()) + (meta.doc_id,)
            if re.fullmatch(r"\d{4}-\d\d-\d\d", meta.date or ""):
                out.years.setdefault(meta.date[:4], set()).add(meta.family)
            written = [meta.title, meta.title_en, meta.number, *meta.aliases]
            digits = re.findall(r"\d+", meta.number)
            if digits:  # "258号" / "258號" / "No. 258" / "the 258 document" for 工信部联规〔2023〕258号
                written += [f"{digits[-1]}号", f"No. {digits[-1]}", f"{digits[-1]} document"]
            # The number's issuer code ("工信部联规", "MIIT Joint Regulation") names the document too,
            # unless another document shares it (dropped below).
            if (code := re.match(r"\D+?(?=\s*[〔\[(（]?\d)", meta.number)) and len(fold(code.group())) >= 4:
                written.append(code.group().strip())
            for name in written:
                key = fold(name)
                if len(key) >= 2 and not any(k == key and f == meta.family for k, f, _ in out.names):
                    out.names.append((key, meta.family, name))
        # A name two families share names neither.
        counts: dict[str, set[str]] = {}
        for key, fam, _ in out.names:
            counts.setdefault(key, set()).add(fam)
        out.names = sorted((n for n in out.names if len(counts[n[0]]) == 1), key=lambda n: -len(n[0]))
        return out

    def named(self, question: str) -> tuple[str, str] | None:
        """(family, name as written) of the longest document name in the question."""
        q = fold(question)
        for key, family, written in self.names:
            if key not in q:
                continue
            # "求是" inside "要求是什么" names nothing: a short Chinese name whose first character
            # makes a word with the one before it, wherever it occurs, is no name there
            if len(key) <= SHORT_NAME and has_cjk(key) and all(_joins(q, i) for i in _occurrences(q, key)):
                continue
            return family, written
        for m in DOC_YEAR.finditer(question):  # "the 2017 MIIT report": the one document of that year
            families = self.years.get(m.group(1), set())
            if len(families) == 1:
                return next(iter(families)), m.group(0).strip()
        return None

    def of_kind(self, question: str) -> str | None:
        """The family a question means by a kind of document alone ("那篇文章", "the report"): the
        only one with a name of that kind ("求是文章", "the 2017 report"), or None."""
        if DOC_YEAR.search(question):  # "the 2030 report": a year says which report, and none is
            return None
        q = fold(question)
        for words in _KINDS:
            if any(w in q for w in words):
                families = {f for key, f, _ in self.names if any(w in key for w in words)}
                if len(families) == 1:
                    return families.pop()
        return None

    def unknown_year(self, question: str) -> str | None:
        """A document the question names by a year none of the corpus's documents has: "the 2016
        report", or a year written before a document's name that is not its year ("2018年中国制造2025
        实施情况报告"). As written in the question, or None."""
        q, dated = fold(question), {f for fams in self.years.values() for f in fams}
        for key, family, written in self.names:
            for i in (i for i in _occurrences(q, key) if family in dated):
                year = re.search(r"(?<![\da-z\u4e00-\u9fff])((?:19|20)\d\d)年?(?:的|版)?$", q[:i])
                # the year dates the document only when the name is said as a document's ("2018年…实施情况报告");
                # "2016年中国制造2025的项目" dates the projects
                if year and family not in self.years.get(year.group(1), set()) and _DOC_KIND.search(q[i:i + len(key) + 4]):
                    return f"{year.group(1)}{'年' if has_cjk(key) else ' '}{written}"
        bare = normalize(question)  # without the names, whose years are theirs ("中国制造2025")
        for _, _, written in self.names:
            bare = bare.replace(normalize(written), " ")
        for m in DOC_YEAR.finditer(bare):
            if m.group(1) not in self.years:
                said = " ".join(m.group(0).split())
                return said if has_cjk(said) else f"a {said}"  # "…never mention a 2016 report"
        return None


# Kinds of document a question may name a document by, as folded names say them.
_KINDS = (("文章", "article", "essay"), ("报告", "report"), ("意见", "opinions"))
_DOC_KIND = re.compile(r"报告|文件|文章|意见|材料|report|article|document|opinions|paper")
SHORT_NAME = 2  # Chinese characters: a name this short can be the tail of another word


def _joins(text: str, i: int) -> bool:
    """Whether text[i] makes a dictionary word with the character before it (要 + 求 → 要求)."""
    import jieba

    jieba.dt.check_initialized()
    return i > 0 and has_cjk(text[i - 1]) and jieba.dt.FREQ.get(text[i - 1: i + 1], 0) > 0


def _occurrences(text: str, key: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(key), text)]


# A year said of a kind of document, with at most two words (four Chinese characters) between
# ("2017 implementation report", "2017年的實施報告"): it names a document as its title would.
DOC_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.])(?:年)?\s*(?:的|那份|那篇|这份|这篇|发布的|發布的)?\s*"
                      r"(?:(?:[A-Za-z][\w'’-]*\s+){0,2}(?:review|report|document|article|opinions|guidelines|paper|policy)\b"
                      r"|[\u4e00-\u9fff]{0,4}?(?:报告|報告|文件|文章|意见|意見|材料))", re.IGNORECASE)


_IGNORABLE = r"[\s\"'“”‘’《》「」『』<>()（）]*"
LABEL_MAX = {"words": 3, "chars": 8}  # longer names are titles: their words are the document's topic too


def without_name(question: str, scope: DocScope | None, names: DocNames | None = None, titles: bool = False) -> str:
    """The question with the short name that scoped it taken out ("求是文章对专精特新怎么说" →
    "对专精特新怎么说"): once the answer is limited to that document, its label is no evidence for
    one of its sentences over another, and "求是文章" would pull every sentence about articles and
    truth. Unchanged when nothing was named, when the name is long (a title such as "Key Tasks of
    New Industrialization" also says what the question is about), when it cannot be located in the
    text as written, or when too little would be left to search with. `titles`: take out a long name
    too, and runs of its Chinese title words anywhere (`_without_title_runs`) -- for choosing among
    the named document's own sentences, where "China Manufacturing 2025" in the question only pulls
    those that repeat the name."""
    if titles and names and scope is not None and scope.reason == "kind":  # "那篇文章": no name, its title's words
        return _enough(_without_title_runs(question, [k for k, fam, _ in names.names if fam == scope.family]), question)
    # a Chinese description ("传统制造业转型升级的文件") out, as a title's runs are; English words of a
    # description chose sentences better left in (as a title's: chosen on the tuning half)
    if titles and scope is not None and scope.reason == "described" and has_cjk(scope.name):
        return _enough(" ".join(question.replace(scope.name, " ").split()), question)
    if scope is None or scope.reason != "named" or not scope.name:
        return question
    key = fold(scope.name)
    long = len(scope.name.split()) > LABEL_MAX["words"] or (not re.search(r"[a-z]", key) and len(key) > LABEL_MAX["chars"])
    if long and not titles:
        return question
    title_keys = [k for k, fam, _ in (names.names if names else ()) if fam == scope.family and len(k) > LABEL_MAX["chars"]]
    rest = _enough(_rest(question, scope.name, title_keys), question)
    if titles and names:  # the name may be gone already (the search's query), its title words not
        rest = _enough(_without_title_runs(rest, [k for k, fam, _ in names.names if fam == scope.family]), rest)
    return rest


def _enough(text: str | None, otherwise: str) -> str:
    """`text` when enough of it is left to search with, else `otherwise`."""
    return text if text is not None and len(re.sub(r"\W", "", text)) >= 4 else otherwise


TITLE_RUN = 4  # Chinese characters; a shorter piece of a title ("工业", "转型") is a word any sentence may use


def _without_title_runs(text: str, keys: Sequence[str]) -> str:
    """`text` without each run of at least TITLE_RUN Chinese characters found inside one of `keys`
    (the named document's names, folded): "推进新型工业化" in a question about the Qiushi article
    ("新型工业化重点任务") is its whole topic, and pulls every part's opening sentence ("Innovation is
    the fundamental force behind new industrialization.") above the one the question asks about.
    Only Chinese: English words of a title removed the same way lost answers on the tuning half."""
    folded = opencc_converter("t2s").convert(unicodedata.normalize("NFKC", text).lower())
    if len(folded) != len(text):
        return text
    out, i = [], 0
    while i < len(text):
        end = i
        if has_cjk(folded[i]):
            j = i + TITLE_RUN
            while j <= len(folded) and has_cjk(folded[j - 1]) and any(folded[i:j] in k for k in keys):
                end = j
                j += 1
        if end > i:
            i = end
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def only_names(question: str, scope: DocScope | None) -> bool:
    """Whether the question is the named document's name and a bare "what is" ("258号文是什么？",
    "What is the Guiding Opinions?", "介绍一下求是文章"): a question about the whole document."""
    if scope is None or scope.reason != "named" or not scope.name:
        return False
    rest = _rest(question, scope.name)
    return rest is not None and bool(_WHAT_IS.fullmatch(opencc_converter("t2s").convert(rest.lower()).strip()))


_WHAT_IS = re.compile(r"\W*(?:what(?:'s|\s+is|\s+are|\s+was)|tell me about|explain|describe|introduce|什么是|何谓|介绍(?:一下|下)?"
                      r"|请介绍(?:一下)?|说说|讲讲)?\W*(?:the|this|that|a|an|这份|这个|该)?\W*"
                      r"(?:是什么|是啥|是什么文件|是什么东西|指的是什么|指什么|是怎样的文件|是哪份文件)?\W*"
                      r"(?:(?:according to|as described in|as explained in)\b.{0,60})?")  # "…, according to MIIT's report"


def _rest(question: str, name: str, titles: Sequence[str] = ()) -> str | None:
    """The question without `name` (and an article just before it), or None where the name cannot
    be located in the text as written. `titles` (folded): the document's titles; Chinese words just
    before a short name that continue it into a title go with it ("传统制造业转型升级的指导意见" for
    指导意见): they are the whole document's topic, no evidence for one of its sentences."""
    folded = opencc_converter("t2s").convert(unicodedata.normalize("NFKC", question).lower())
    if len(folded) != len(question):  # positions would not map back to the text as written
        return None
    m = re.search(_IGNORABLE.join(re.escape(c) for c in fold(name)), folded)
    if m is None:
        return None
    start = m.start()
    bare = [t.replace("的", "") for t in titles]
    while start > 0 and has_cjk(folded[start - 1]) and \
            any(fold(folded[start - 1:m.end()]).replace("的", "") in t for t in bare):
        start -= 1
    before = re.sub(r"\b(?:the|this)\s*$", "", question[:start], flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", before + " " + question[m.end():]).strip()



def resolve(question: str, names: DocNames, store, chosen: str | None, deictic: bool) -> DocScope | None:
    """The document a question is scoped to, or None for the whole corpus.

    A document named in the question wins; else the one chosen in the app; else the only document of
    the kind the question names ("那篇文章", "the report": DocNames.of_kind); else, for "this
    document" with nothing chosen, the principal document (the first in the corpus manifest)."""
    hit = names.named(question)
    if hit is not None:
        family, written = hit
        return DocScope(family, names.families[family], "named", written, chosen)
    if chosen is not None:
        meta = store.doc(chosen)
        if meta is not None:
            return DocScope(meta.family, names.families.get(meta.family, (chosen,)), "chosen", meta.title, chosen)
    # "那篇文章", "the report": the one document whose names say it is of that kind
    # ("这份意见" of the principal document is its deictic default, and reads as one)
    if (family := names.of_kind(question)) is not None and not (deictic and names.order and family == names.order[0]):
        return DocScope(family, names.families[family], "kind", "")
    if deictic and names.order:
        family = names.order[0]
        return DocScope(family, names.families[family], "default", "")
    return None


_CAPS = re.compile(r"(?<![A-Za-z])([A-Z]{2,6})(?:'s|’s|s)?(?![A-Za-z])")


def without_issuer(question: str, issuers: Sequence[str]) -> str:
    """An English question without its document's issuer, written out or as the acronym of its words
    ("MIIT's plans for…" → "plans for…"): inside one document the issuer is no evidence for a sentence,
    and the sentence that spells the ministry out would answer every question that names it."""
    from policyqa.corpus.acronyms import long_form

    out = question
    for issuer in issuers:
        if not issuer or has_cjk(issuer):
            continue
        out = re.sub(re.escape(issuer), " ", out, flags=re.IGNORECASE)
        words = [m.end() for m in re.finditer(r"[A-Za-z]+", issuer)]
        for m in list(_CAPS.finditer(out))[::-1]:
            if any(long_form(issuer[:end], m.group(1)) for end in words):
                out = out[:m.start()] + " " + out[m.end():]
    return _enough(" ".join(out.split()), question)

