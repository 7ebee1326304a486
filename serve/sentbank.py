"""Every clause's sentences with their analyzer tokens and embeddings, prepared once per store.

Embedding a sentence costs tens of milliseconds on CPU, far too much to do per question, so the
bank embeds all sentences when it is built (through the content-addressed embedding cache, so
only the first start on a machine pays) and then answers from memory. Corpora too large to
embed up front (more than `precompute_limit` sentences) embed the sentences of retrieved
clauses on first use and keep them in memory.
"""
from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from policyqa.corpus.types import Unit
from policyqa.corpus.sentences import split_sentences
from policyqa.index.bridge import Senses
from policyqa.index.centering import center, language_means

log = logging.getLogger(__name__)
PRECOMPUTE_LIMIT = 20_000
DENSITY_NEIGHBOURS = 10
DENSITY_BLOCK = 512  # rows per similarity block while measuring density


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets into unit.text
    end: int
    text: str
    position: int  # 0 for the first sentence of the clause
    title: bool  # the clause's own title ("Strengthen intrinsic safety in key industries.")
    tokens: frozenset[str]


@dataclass(frozen=True)
class QueryWords:
    """A question's words as sentence overlap counts them (SentenceBank.query_words)."""

    tokens: tuple[str, ...]
    glossed: tuple[tuple[str, Senses], ...] | None  # Chinese question: words with senses


def is_title_sentence(unit: Unit, position: int, text: str, count: int) -> bool:
    # Numbered clauses open with a short heading sentence; it names the topic but says nothing.
    return unit.kind in ("clause", "item") and position == 0 and count > 1 and bool(unit.number) and len(text) <= 120


def unit_sentences(unit: Unit, tokenize) -> list[Sentence]:
    spans = split_sentences(unit.text, skip_prefix=unit.number)
    return [Sentence(s.start, s.end, s.text, i, is_title_sentence(unit, i, s.text, len(spans)), frozenset(tokenize(s.text)))
            for i, s in enumerate(spans)]


class SentenceBank:
    def __init__(self, units: Sequence[Unit], encoder, cache_dir: Path | None = None,
                 precompute_limit: int = PRECOMPUTE_LIMIT, means: dict[str, np.ndarray] | None = None,
                 issuers: Sequence[str] = ()) -> None:
        """`means`: per-language mean vectors to fall back on when the sentences are not all embedded
        up front (the index's passage means). `issuers`: the documents' issuers, whose acronyms are
        not read as their long forms (the issuer is no evidence for a sentence, see _expand_acronyms)."""
        from policyqa.index.analyzer import tokenize

        self.encoder = encoder
        self.tokenize = tokenize
        self.cache_dir = cache_dir
        self._sentences: dict[str, list[Sentence]] = {u.key: unit_sentences(u, tokenize) for u in units}
        self._expand_acronyms(units, issuers)
        # Document frequency over clauses: a word in every clause ("industry") says little.
        df: Counter[str] = Counter()
        for sents in self._sentences.values():
            df.update(set().union(*(s.tokens for s in sents)) if sents else ())
        n = max(1, len(self._sentences))
        self._idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self._default_idf = math.log(1 + (n + 0.5) / 0.5)
        self._vectors: dict[str, np.ndarray] = {}
        self._centered: dict[str, np.ndarray] = {}
        self.means: dict[str, np.ndarray] = dict(means or {})
        self._density: dict[str, np.ndarray] = {}
        total = sum(len(v) for v in self._sentences.values())
        if total <= precompute_limit:
            self._embed(list(self._sentences))
            self.means = self._language_means(units) or self.means
            self._density = self._crowding(units)
        else:
            log.info("%d sentences: embedding them on first use instead of up front", total)

    def _expand_acronyms(self, units: Sequence[Unit], issuers: Sequence[str]) -> None:
        """An English sentence that uses an acronym its document defined ("SMEs") also has the long
        form's words ("small and medium enterprises"), as the keyword index reads it -- unless the
        long form is part of an issuer's name (MIIT): a question naming the ministry asks about no
        sentence of the ministry's own report in particular."""
        from policyqa.corpus.acronyms import defined, expansions

        by_doc: dict[str, list[Unit]] = {}
        for u in units:
            if u.lang == "en":
                by_doc.setdefault(u.doc_id, []).append(u)
        for doc_units in by_doc.values():
            acronyms = {a: form for a, form in defined("\n".join(u.text for u in doc_units)).items()
                        if not any(form.lower() in issuer.lower() for issuer in issuers)}
            if not acronyms:
                continue
            for u in doc_units:
                self._sentences[u.key] = [
                    replace(s, tokens=s.tokens | frozenset(self.tokenize(" ".join(forms)))) if (forms := expansions(s.text, acronyms)) else s
                    for s in self._sentences[u.key]]

    # ---------------------------------------------------------------- lookup
    def sentences(self, unit: Unit) -> list[Sentence]:
        sents = self._sentences.get(unit.key)
        if sents is None:  # a unit the bank was not built with (a filtered or newer store)
            from policyqa.index.analyzer import tokenize

            sents = self._sentences[unit.key] = unit_sentences(unit, tokenize)
        return sents

    def vectors(self, units: Iterable[Unit]) -> dict[str, np.ndarray]:
        units = list(units)
        for u in units:
            self.sentences(u)
        missing = [u.key for u in units if u.key not in self._vectors]
        if missing:
            self._embed(missing)
        return {u.key: self._vectors[u.key] for u in units}

    def centered(self, units: Iterable[Unit]) -> dict[str, np.ndarray]:
        """Sentence vectors with their language's mean removed, renormalized (as the index does, see
        index.centering): without it a Chinese question prefers any Chinese sentence to
        the right English one."""
        units = list(units)
        raw = self.vectors(u for u in units if u.key not in self._centered)
        for u in units:
            if u.key in raw:
                self._centered[u.key] = center(raw[u.key], self.means.get(u.lang))
        return {u.key: self._centered[u.key] for u in units}

    def density(self, unit: Unit) -> np.ndarray:
        """How crowded each of the unit's sentences is: the mean centered cosine of its
        DENSITY_NEIGHBOURS nearest sentences of other clauses, less the corpus median. A generic
        sentence ("Enterprises are the primary drivers of new industrialization.") sits close to
        many and so to many questions, whatever they ask (hubness, as CSLS corrects for in
        cross-lingual retrieval). Zeros when the bank was not embedded up front."""
        got = self._density.get(unit.key)
        return got if got is not None else np.zeros(len(self.sentences(unit)), dtype=np.float32)

    def _crowding(self, units: Sequence[Unit]) -> dict[str, np.ndarray]:
        have = [u for u in units if len(self._vectors.get(u.key, ()))]
        centered = self.centered(have)
        rows = np.vstack([centered[u.key] for u in have]) if have else np.zeros((0, 0), dtype=np.float32)
        owner = np.array([i for i, u in enumerate(have) for _ in range(len(centered[u.key]))])
        clause = np.array([u.clause_id for u in have])[owner] if len(owner) else np.array([])
        k = min(DENSITY_NEIGHBOURS, len(rows) - 1)
        if k < 1:
            return {}
        out = np.empty(len(rows), dtype=np.float32)
        for start in range(0, len(rows), DENSITY_BLOCK):  # bounded memory: a block of rows at a time
            sims = rows[start: start + DENSITY_BLOCK] @ rows.T
            sims[clause[start: start + DENSITY_BLOCK, None] == clause[None, :]] = -np.inf  # itself, its versions
            near = np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:]
            found = np.isfinite(near)  # fewer than k sentences of other clauses in a tiny corpus
            out[start: start + len(sims)] = np.where(found, near, 0).sum(axis=1) / np.maximum(found.sum(axis=1), 1)
        out = out - np.median(out)
        return {u.key: out[owner == i] for i, u in enumerate(have)}

    def center_query(self, vector: np.ndarray, lang: str) -> np.ndarray:
        return center(vector, self.means.get(lang))

    def _language_means(self, units: Sequence[Unit]) -> dict[str, np.ndarray]:
        have = [u for u in units if len(self._vectors.get(u.key, ()))]
        if not have:
            return {}
        return language_means(np.vstack([self._vectors[u.key] for u in have]),
                              [u.lang for u in have for _ in range(len(self._vectors[u.key]))])

    def known(self, token: str) -> bool:
        """Whether any clause of the corpus has this analyzer token."""
        return token in self._idf

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._default_idf)

    def query_words(self, query: str, qlang: str, drop: str = "", phrases: bool = False) -> "QueryWords":
        """The question's analyzer tokens (without those of `drop`, the document name it was scoped
        with, unless nothing else is left), and for a Chinese question their English senses --
        with `phrases`, also of the dictionary words jieba split (下一步, "the next step"), whole."""
        from policyqa.index.analyzer import normalize
        from policyqa.index.bridge import glossed_words, spanning_phrases

        dropped = set(self.tokenize(drop)) if drop else set()
        tokens = [t for t in self.tokenize(query) if t not in dropped] or self.tokenize(query)
        if qlang == "en":
            return QueryWords(tuple(tokens), None)
        words = [*tokens, *spanning_phrases(normalize(query), tokens)] if phrases else tokens
        return QueryWords(tuple(tokens), tuple(glossed_words(words)))

    def overlap(self, words: "QueryWords", sentence: Sentence, lang: str) -> float:
        """IDF-weighted share of the question's words found in the sentence (0..1). A Chinese
        question shares no token with an English sentence: there each word counts by its best-found
        sense (index.bridge.gloss_groups), in proportion to how many of that sense's tokens the
        sentence has -- 国有企业 "state-owned enterprise" is found whole in a sentence on SOEs and a
        third in one on enterprises. Pooling every sense's tokens instead would let a word with many
        senses outweigh the rest and leave even a translation of the question a small share."""
        if words.glossed is None or lang != "en":
            q = set(words.tokens)
            total = sum(self.idf(t) for t in q)
            return sum(self.idf(t) for t in q if t in sentence.tokens) / total if total else 0.0
        total = sum(self.idf(word) for word, _ in words.glossed)
        if not total:
            return 0.0
        found = sum(self.idf(word) * max(sum(t in sentence.tokens for t in sense) / len(sense) for sense in senses)
                    for word, senses in words.glossed)
        return found / total

    # ---------------------------------------------------------------- embedding
    def _embed(self, keys: list[str]) -> None:
        texts, owners = [], []
        for k in keys:
            for s in self._sentences[k]:
                texts.append(self._fit(s.text))
                owners.append(k)
        if not texts:
            for k in keys:
                self._vectors[k] = np.zeros((0, self.encoder.dim), dtype=np.float32)
            return
        if self.cache_dir is not None:
            from policyqa.embed.cache import encode_passages_cached

            vecs, fresh = encode_passages_cached(self.encoder, texts, self.cache_dir)
            if fresh:
                log.info("embedded %d new sentences (%d from cache)", fresh, len(texts) - fresh)
        else:
            vecs = self.encoder.encode_passages(texts)
        row = 0
        for k in keys:
            n = len(self._sentences[k])
            self._vectors[k] = vecs[row: row + n]
            row += n

    def _fit(self, text: str) -> str:
        """A sentence cut to the model's limit (sentences are short; this guards odd user files)."""
        while self.encoder.count_tokens(text, "passage") > self.encoder.max_tokens and len(text) > 1:
            text = text[: int(len(text) * 0.8)]
        return text
