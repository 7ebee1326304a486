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
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from policyqa.corpus.config import Config, SearchMode
from policyqa.corpus.types import Lang

if TYPE_CHECKING:
    from policyqa.corpus.store import ClauseStore
    from policyqa.embed.types import Encoder
    from policyqa.index.build import BuildReport
    from policyqa.index.documents import AddReport, DocInfo, Progress, RemoveReport
    from policyqa.index.search import Searcher
    from policyqa.index.types import SearchResult
    from policyqa.serve.answer import Answerer
    from policyqa.serve.live import Generation
    from policyqa.serve.records import Answer


class Engine:
    """Loaded lazily and once: the encoder, then the searcher, then the answerer on top of it.

    The searcher and answerer live in a Generation of the live index (serve.live): when a build, an
    add or a remove in any process swaps a new index in, the next request notices (one stat) and the
    new generation is loaded beside the old one on the same encoder, then swapped in; a request
    keeps the generation it started with.
    """

    def __init__(self, config: Config, *, encoder: "Encoder | None" = None) -> None:
        """`encoder`: an already loaded model to share (a test's, a benchmark's); else loaded on first use."""
        from policyqa.serve.live import LiveIndex

        self.config = config
        self._lock = threading.Lock()
        self._encoder = encoder
        self.live = LiveIndex(config.index_dir, self._load_searcher, self._make_answerer)

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None, *, config: Config | None = None,
             **overrides: object) -> "Engine":
        """An engine over `data_dir` (default: POLICYQA_DATA_DIR or ./var). `overrides` are Config
        fields (corpus_dir, model, mode, top_k, …); the environment fills the rest."""
        base = config or Config.from_env()
        if data_dir is not None:
            overrides["data_dir"] = Path(data_dir)
        return cls(base.replace(**overrides) if overrides else base)

    @classmethod
    def around(cls, answerer: "Answerer", config: Config) -> "Engine":
        """An engine serving an already loaded answerer (and its encoder) until the index changes."""
        engine = cls(config, encoder=answerer.searcher.encoder)
        engine.live.adopt(answerer.searcher, answerer)
        return engine

    # ------------------------------------------------------------------ loading
    def _load_searcher(self) -> "Searcher":
        from policyqa.index.search import load_searcher

        encoder = self._load_encoder("query")  # queries come next: let the backend get ready meanwhile
        return load_searcher(self.config, encoder=encoder)

    def _make_answerer(self, searcher: "Searcher") -> "Answerer":
        from policyqa.serve.answer import Answerer

        return Answerer(searcher, self.config)

    @property
    def encoder(self) -> "Encoder":
        return self._load_encoder(None)

    def _load_encoder(self, warm) -> "Encoder":
        with self._lock:
            if self._encoder is None:
                from policyqa.embed.encoder import load_encoder

                self._encoder = load_encoder(self.config, warm=warm)
            return self._encoder

    def current(self) -> "Generation":
        """The searcher and answerer for one request; use both from the same generation."""
        return self.live.current()

    @property
    def searcher(self) -> "Searcher":
        return self.live.current().searcher

    @property
    def answerer(self) -> "Answerer":
        return self.live.current().answerer

    @property
    def store(self) -> "ClauseStore":
        return self.searcher.store

    def refresh(self) -> None:
        """Swap in the index on disk now when it changed (after a build or add in this process)."""
        if self.live.loaded is not None:
            self.live.reload()

    # ------------------------------------------------------------------ API
    def build(self, *, force: bool = False, progress: bool = False) -> "BuildReport":
        """Ingest, embed and index what changed; the next search or ask sees the new index."""
        from policyqa.index.build import build

        # The build needs the model's fingerprint even when nothing changed; the engine keeps it loaded.
        report = build(self.config, force=force, progress=progress, encoder=self.encoder)
        self.refresh()
        return report

    def search(self, query: str, *, top_k: int | None = None, mode: SearchMode | None = None,
               lang: Lang | None = None, doc: str | None = None) -> "SearchResult":
        return self.live.current().searcher.search(query, top_k=top_k or self.config.top_k, mode=mode or self.config.mode,
                                    lang=lang, doc=doc)

    def ask(self, question: str, *, top_k: int | None = None, mode: SearchMode | None = None,
            lang: Lang | None = None, doc: str | None = None) -> "Answer":
        return self.live.current().answerer.ask(question, top_k=top_k, mode=mode, lang=lang, doc=doc)

    def docs(self) -> list["DocInfo"]:
        """The documents of the corpus: id, title, language, kind of file, units, added at, origin."""
        from policyqa.index.documents import list_documents

        return list_documents(self.config)

    def add(self, paths: Sequence[str | os.PathLike[str]], *, progress: "Progress | None" = None,
            manifest: str | os.PathLike[str] | None = None) -> "AddReport":
        """Add PDF/DOCX/HTML/TXT/MD files: all or nothing; the next search or ask sees them."""
        from policyqa.index.documents import add_documents

        # Files are checked before the model loads; a server's engine passes its loaded encoder.
        report = add_documents(self.config, [Path(p) for p in paths], progress=progress, manifest=manifest,
                               encoder=self._encoder)
        self.refresh()  # a serving engine swaps the new index in before this returns
        return report

    def remove(self, doc_id: str) -> "RemoveReport":
        """Remove an added document; the next search or ask no longer sees it."""
        from policyqa.index.documents import remove_document

        report = remove_document(self.config, doc_id, encoder=self._encoder)
        self.refresh()
        return report
