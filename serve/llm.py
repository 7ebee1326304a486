"""Optional generated answers through any OpenAI-compatible /chat/completions endpoint.

The model sees the question and the numbered clauses only. Its reply is accepted when every
sentence carries at least one [n] marker and every marker names a clause that was given;
anything else (an invented source, an uncited sentence, a refusal, an HTTP error or timeout)
raises LLMRejected with the reason, and the caller keeps the extractive answer.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from policyqa.corpus.config import Config
from policyqa.corpus.sentences import split_sentences
from policyqa.serve.records import Citation, Quote

LANG_NAMES = {"en": "English", "zh-Hans": "Simplified Chinese (简体中文)", "zh-Hant": "Traditional Chinese (繁體中文)"}
NO_ANSWER = "NO_ANSWER"
_MARKER = re.compile(r"\[\s*(\d{1,3}(?:\s*[,，]\s*\d{1,3})*)\s*\]")
# Markers written after the full stop ("... policy. [2]") belong to the sentence before them.
_TRAILING_MARKERS = re.compile(r"([。！？；.!?])(\s*)((?:\[\s*\d{1,3}(?:\s*[,，]\s*\d{1,3})*\s*\]\s*)+)")


class LLMRejected(Exception):
    """The generated answer cannot be used; str(exc) says why (recorded in the Answer)."""


@dataclass(frozen=True)
class Passage:
    n: int
    label: str  # "document title · heading · clause number"
    text: str


@dataclass(frozen=True)
class Generated:
    text: str  # markers renumbered to 1..k in order of first use
    used: tuple[int, ...]  # the given source numbers, in that order (used[0] became [1])
    model: str


def markers(text: str) -> list[int]:
    out = []
    for m in _MARKER.finditer(text):
        out += [int(x) for x in re.split(r"[,，]", m.group(1))]
    return out


def validate(reply: str, given: Sequence[int]) -> list[str]:
    """The reply's sentences, each citing a given source; LLMRejected otherwise."""
    text = reply.strip()
    if not text:
        raise LLMRejected("the model returned an empty answer")
    if text.strip().strip(".").upper() == NO_ANSWER:
        raise LLMRejected("the model found no answer in the clauses")
    unknown = sorted(set(markers(text)) - set(given))
    if unknown:
        raise LLMRejected(f"the answer cites [{', '.join(map(str, unknown))}], which was not among the clauses given "
                          f"({', '.join(map(str, given))})")
    moved = _TRAILING_MARKERS.sub(lambda m: m.group(3).rstrip() + m.group(1) + m.group(2), text)
    sentences = [s.text for s in split_sentences(moved)]
    sentences = [s for s in sentences if s.strip(" \t\n-*•")]
    if not sentences:
        raise LLMRejected("the answer has no sentences")
    for s in sentences:
        if not _MARKER.search(s):
            short = s if len(s) <= 80 else s[:77] + "..."
            raise LLMRejected(f"a sentence cites no clause: {short!r}")
    return sentences


def renumber(sentences: Sequence[str], lang: str) -> tuple[str, tuple[int, ...]]:
    """Rewrite markers to 1..k in order of first use; returns (answer text, original numbers)."""
    order: list[int] = []
    for s in sentences:
        for n in markers(s):
            if n not in order:
                order.append(n)
    new = {old: i + 1 for i, old in enumerate(order)}

    def sub(m: re.Match) -> str:
        nums = [new[int(x)] for x in re.split(r"[,，]", m.group(1))]
        return "".join(f"[{n}]" for n in nums)

    joiner = " " if lang == "en" else ""
    return joiner.join(_MARKER.sub(sub, s).strip() for s in sentences), tuple(order)


def build_messages(question: str, sources: Sequence[Passage], lang: str) -> list[dict]:
    system = (
        "You answer questions about policy documents using only the numbered clauses you are given. "
        "Write one to four short sentences. End every sentence with one or more markers such as [1] or [2][3] "
        "naming the clauses that support it; use only the numbers given. Do not use outside knowledge. "
        f"If the clauses do not answer the question, reply exactly {NO_ANSWER}. "
        f"Answer in {LANG_NAMES.get(lang, 'English')}."
    )
    numbered = "\n\n".join(f"[{s.n}] {s.label}\n{s.text}" for s in sources)
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f"Clauses:\n\n{numbered}\n\nQuestion: {question}"},
    ]


class LLMClient:
    """A small OpenAI-compatible chat client; one httpx.Client reused across questions."""

    def __init__(self, base_url: str, model: str, api_key: str, timeout: float = 30.0) -> None:
        import httpx

        self.model = model
        self.url = base_url.rstrip("/") + "/chat/completions"
        self._httpx = httpx
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
                                    headers={"Authorization": f"Bearer {api_key}"})

    def close(self) -> None:
        self._client.close()

    def complete(self, messages: list[dict]) -> str:
        try:
            resp = self._client.post(self.url, json={"model": self.model, "messages": messages, "temperature": 0})
        except self._httpx.TimeoutException:
            raise LLMRejected(f"the language model at {self.url} did not answer in time") from None
        except self._httpx.HTTPError as exc:
            raise LLMRejected(f"cannot reach the language model at {self.url} ({type(exc).__name__})") from None
        if resp.status_code != 200:
            raise LLMRejected(f"the language model answered HTTP {resp.status_code}")
        try:
            content = resp.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise LLMRejected("the language model's reply is not an OpenAI-style chat completion") from None
        if not isinstance(content, str):
            raise LLMRejected("the language model's reply has no text")
        return content

    def generate(self, question: str, sources: Sequence[Passage], lang: str) -> Generated:
        reply = self.complete(build_messages(question, sources, lang))
        sentences = validate(reply, [s.n for s in sources])
        text, used = renumber(sentences, lang)
        return Generated(text, used, self.model)


def llm_from_config(config: Config, timeout: float = 30.0) -> LLMClient | None:
    """A client when base URL, model and key are all set; None means extractive answers only."""
    if config.llm_base_url and config.llm_model and config.llm_api_key:
        return LLMClient(config.llm_base_url, config.llm_model, config.llm_api_key, timeout=timeout)
    return None


def generate_cited(llm, query: str, qlang, sources: Sequence, scored: Sequence, text: str, citations: list,
                   quotes: dict | None = None):
    """The answer `llm` writes from `sources` (numbered passages with their labels), its citations
    built from the sources it used -- each with the best-scoring sentence of that clause highlighted,
    or the typed answer's own quotes -- as (text, citations, generator, fallback note). A rejected
    answer keeps the extractive `text` and `citations`."""
    given = [Passage(i + 1, passage_label(s), s.unit.text) for i, s in enumerate(sources)]
    try:
        gen = llm.generate(query, given, qlang)
    except LLMRejected as exc:
        return text, citations, "extractive", str(exc)
    best = {}
    for s in scored:  # highlight the best sentence of each clause the model cited
        best.setdefault(s.source.unit.key, s)
    out = []
    for n, used in enumerate(gen.used, 1):
        src = sources[used - 1]
        s = best.get(src.unit.key)
        if quotes and src.unit.key in quotes:
            out.append(Citation(n, src, quotes[src.unit.key]))
            continue
        quote = Quote(s.text, s.start, s.end, s.support) if s else Quote(src.unit.text, 0, len(src.unit.text), 0.0)
        out.append(Citation(n, src, (quote,)))
    return gen.text, out, "llm", ""


_FACT_LABEL = {"title": "title line", "number": "document number line", "byline": "byline", "date": "date line",
               "signature": "signature block", "source": "source attribution"}


def passage_label(source) -> str:
    """"document title · heading · number" for a clause; "document title · date line" for a fact line."""
    doc = source.doc.title if source.doc else source.unit.doc_id
    if source.unit.kind in _FACT_LABEL:
        return f"{doc} · {_FACT_LABEL[source.unit.kind]}"
    return " · ".join([doc, *source.unit.heading, source.unit.number] if source.unit.number else [doc, *source.unit.heading])
