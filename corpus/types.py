"""Frozen records passed between stages. Everything downstream speaks these types.

Id scheme (language independent, identical on every run):
  doc_id     one file:          guiding-opinions-en | guiding-opinions-zh-hant | guiding-opinions-zh-hans
                                 qiushi-2024 | cm2025-2017   (user files: a slug of the file name)
  family     parallel versions: guiding-opinions-2023 (single documents: family == doc_id)
  clause_id  f"{family}/{path}", path examples:
      guiding-opinions-2023/c11       clause (11) / （十一） / (十一)
      guiding-opinions-2023/s4        section heading 4. / 四、
      guiding-opinions-2023/s1/p2     second paragraph of section I
      guiding-opinions-2023/intro/p1  paragraphs before section I (addressees, purpose)
      guiding-opinions-2023/lead/p1   English news lead before the document (en only)
      qiushi-2024/intro/p1, qiushi-2024/part3, qiushi-2024/part3/p2
      cm2025-2017/intro/p1, cm2025-2017/s2, cm2025-2017/s2/i3
      <doc>/p7                         paragraph fallback for unstructured files
      guiding-opinions-2023/meta/date  a document fact (corpus.facts): title, number, byline, date,
                                       signature, source; kept apart from the content units
  A unit is identified by (clause_id, lang); the versions of one clause share clause_id.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Lang = Literal["en", "zh-Hans", "zh-Hant"]
LANGS: tuple[Lang, ...] = get_args(Lang)
# Han characters (CJK Unified Ideographs, Extension A, Compatibility Ideographs) as the body of a
# regex character class: what every stage means by "a CJK character".
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def preference(lang: Lang) -> tuple[Lang, ...]:
    """Which version of a clause to show for a question in `lang`: its own script first, then the
    other Chinese script, then English."""
    if lang == "zh-Hant":
        return ("zh-Hant", "zh-Hans", "en")
    if lang == "zh-Hans":
        return ("zh-Hans", "zh-Hant", "en")
    return ("en", "zh-Hans", "zh-Hant")


def check_lang(lang: object) -> Lang | None:
    """None or "" mean any language; anything else must be one of LANGS."""
    from policyqa.corpus.errors import UsageError

    if lang in (None, ""):
        return None
    if lang not in LANGS:
        raise UsageError(f"lang must be one of {', '.join(LANGS)} or empty, got {lang!r}")
    return lang  # type: ignore[return-value]


ContentKind = Literal["heading", "clause", "item", "paragraph"]
# Document facts (corpus.facts): lines about the document, never retrieved as its content.
FactKind = Literal["title", "number", "byline", "date", "signature", "source"]
UnitKind = Literal["heading", "clause", "item", "paragraph", "title", "number", "byline", "date", "signature", "source"]
CONTENT_KINDS: tuple[ContentKind, ...] = get_args(ContentKind)
FACT_KINDS: tuple[FactKind, ...] = get_args(FactKind)


@dataclass(frozen=True)
class DocMeta:
    doc_id: str
    family: str
    lang: Lang
    title: str
    title_en: str
    issuer: str = ""
    number: str = ""  # document number as written, e.g. 工信部联规〔2023〕258号
    date: str = ""  # ISO date
    source: str = ""
    file: str = ""
    signatories: tuple[str, ...] = ()
    kind: str = "txt"  # txt | md | pdf | docx | html (corpus.formats.Kind), told by content
    added_at: str = ""  # ISO time a user added it; "" for corpus files
    aliases: tuple[str, ...] = ()  # short names a question may use (manifest "aliases", any script)


@dataclass(frozen=True)
class Unit:
    doc_id: str
    clause_id: str
    lang: Lang
    kind: UnitKind
    heading: tuple[str, ...]  # heading path as written in its language, outermost first
    number: str  # clause number as written: "(11)", "（十一）", "(Seventeen)", "3.", ""
    text: str  # full cleaned text of the unit (number included as written)
    start: int  # character offsets into the cleaned document body
    end: int

    @property
    def key(self) -> str:
        return f"{self.clause_id}@{self.lang}"


@dataclass(frozen=True)
class Chunk:
    """What gets embedded and indexed: a whole unit, or a piece of a long one."""

    chunk_id: str  # f"{clause_id}@{lang}#{i}"
    doc_id: str
    clause_id: str
    lang: Lang
    heading: tuple[str, ...]
    text: str
    start: int  # offsets into the unit's text
    end: int

    @property
    def unit_key(self) -> str:
        return f"{self.clause_id}@{self.lang}"
