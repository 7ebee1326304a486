"""The Python API: one object that builds, searches and answers over a data dir.

    from policyqa import Engine
    engine = Engine.open(data_dir="var")     # nothing heavy loads until the first call that needs it
    engine.build()                            # ingest → embed (cached) → index; a no-op when current
    engine.search("产业大脑", top_k=5)          # SearchResult; .to_dict() is `policyqa search --json`
    engine.ask("Who signed the Guiding Opinions?")   # Answer; .to_dict() is `policyqa ask --json`

The CLI and the Gradio app are thin clients of this class (txtai's `Embeddings` plays the same part).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from policyqa.corpus.config import Config, SearchMode
from policyqa.corpus.types import Lang

if TYPE_CHECKING:
    from policyqa.corpus.store import ClauseStore
    from policyqa.embed.types import Encoder
    from policyqa.index.build import BuildReport
    from policyqa.index.search import Searcher
    from policyqa.index.types import SearchResult
    from policyqa.serve.answer import Answerer
    from policyqa.serve.records import Answer


class Engine:
    """Loaded lazily and once: the encoder, then the searcher, then the answerer on top of it."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._encoder: Encoder | None = None
        self._searcher: Searcher | None = None
        self._answerer: Answerer | None = None

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None, *, config: Config | None = None,
             **overrides: object) -> "Engine":
        """An engine over `data_dir` (default: POLICYQA_DATA_DIR or ./var). `overrides` are Config
        fields (corpus_dir, model, mode, top_k, …); the environment fills the rest."""
        base = config or Config.from_env()
        if data_dir is not None:
            overrides["data_dir"] = Path(data_dir)
        return cls(base.replace(**overrides) if overrides else base)

    # ------------------------------------------------------------------ loading
    @property
    def encoder(self) -> "Encoder":
        with self._lock:
            if self._encoder is None:
                from policyqa.embed.encoder import load_encoder

                self._encoder = load_encoder(self.config)
            return self._encoder

    @property
    def searcher(self) -> "Searcher":
        encoder = self.encoder
        with self._lock:
            if self._searcher is None:
                from policyqa.index.search import load_searcher

                self._searcher = load_searcher(self.config, encoder=encoder)
            return self._searcher

    @property
    def answerer(self) -> "Answerer":
        searcher = self.searcher
        with self._lock:
            if self._answerer is None:
                from policyqa.serve.answer import Answerer

                self._answerer = Answerer(searcher, self.config)
            return self._answerer

    @property
    def store(self) -> "ClauseStore":
        return self.searcher.store

    # ------------------------------------------------------------------ API
    def build(self, *, force: bool = False, progress: bool = False) -> "BuildReport":
        """Ingest, embed and index what changed; the next search or ask sees the new index."""
        from policyqa.index.build import build

        # The build needs the model's fingerprint even when nothing changed; the engine keeps it loaded.
        report = build(self.config, force=force, progress=progress, encoder=self.encoder)
        with self._lock:
            self._searcher = None
            self._answerer = None
        return report

    def search(self, query: str, *, top_k: int | None = None, mode: SearchMode | None = None,
               lang: Lang | None = None, doc: str | None = None) -> "SearchResult":
        return self.searcher.search(query, top_k=top_k or self.config.top_k, mode=mode or self.config.mode,
                                    lang=lang, doc=doc)

    def ask(self, question: str, *, top_k: int | None = None, mode: SearchMode | None = None,
            lang: Lang | None = None, doc: str | None = None) -> "Answer":
        return self.answerer.ask(question, top_k=top_k, mode=mode, lang=lang, doc=doc)

    def docs(self) -> list[dict]:
        """The indexed documents: id, family, language, title, number, date."""
        return [{"doc_id": d.doc_id, "family": d.family, "lang": d.lang, "title": d.title,
                 "title_en": d.title_en, "number": d.number, "date": d.date, "issuer": d.issuer}
                for d in self.store.docs.values()]
