"""The live index: a running process picks up a rebuilt or extended index without a restart.

`policyqa build`/`add`/`remove` (in any process) end by swapping the index folder in one rename, so
its manifest.json changes inode. Every request stats that file (a few microseconds; `policyqa bench`
measures it) and an idle server polls it from a watcher thread. A change starts one background load
of the new index beside the old one, on the shared encoder; only a complete, verified load (the
manifest's checksums, the store's corpus hash, the same manifest before and after reading) is
swapped in, by replacing one reference. A request holds the Generation it started with, so requests
in flight finish on the old searcher and answerer, and nothing waits for the load. A damaged or
half-written index is never swapped in: the old one keeps serving, with a log line, and the load is
tried again when the manifest changes (or after RETRY_S, for a failure that a later write repairs).
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policyqa.corpus.errors import PolicyQAError

if TYPE_CHECKING:
    from policyqa.index.search import Searcher
    from policyqa.serve.answer import Answerer

log = logging.getLogger(__name__)

Stamp = tuple[int, int, int, int] | None  # (device, inode, mtime ns, size) of the manifest; None: no index
RETRY_S = 15.0  # a failed load of an unchanged manifest is tried again after this long
ATTEMPTS = 3  # loads in a row when the index keeps changing while it is read


def manifest_path(index_dir: Path) -> str:
    from policyqa.corpus.manifest import MANIFEST

    return os.fspath(index_dir / MANIFEST)


def index_stamp(index_dir: Path | str) -> Stamp:
    """Identity of the index on disk: any swap of the folder gives its manifest a new inode.
    A str is the manifest's path itself (what a request passes: no path arithmetic per call)."""
    try:
        st = os.stat(index_dir if isinstance(index_dir, str) else manifest_path(index_dir))
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


class Generation:
    """One loaded index. Immutable once published; its answerer is made on first use."""

    def __init__(self, searcher: "Searcher", stamp: Stamp, number: int,
                 make_answerer: Callable[["Searcher"], "Answerer"], answerer: "Answerer | None" = None) -> None:
        self.searcher = searcher
        self.stamp = stamp
        self.number = number
        self.loaded_at = time.time()
        self._make_answerer = make_answerer
        self._answerer = answerer
        self._lock = threading.Lock()

    @property
    def answerer(self) -> "Answerer":
        with self._lock:
            if self._answerer is None:
                self._answerer = self._make_answerer(self.searcher)
            return self._answerer

    @property
    def has_answerer(self) -> bool:
        return self._answerer is not None

    @property
    def store(self):
        return self.searcher.store


class LiveIndex:
    """Holds the current Generation and replaces it when the index on disk changes."""

    def __init__(self, index_dir: Path, load_searcher: Callable[[], "Searcher"],
                 make_answerer: Callable[["Searcher"], "Answerer"]) -> None:
        self.index_dir = index_dir
        self._manifest = manifest_path(index_dir)
        self._load_searcher = load_searcher
        self._make_answerer = make_answerer
        self._gen: Generation | None = None
        self._first = threading.Lock()  # the first, synchronous load
        self._loading = threading.Lock()  # one load of a new index at a time
        self._failed: tuple[Stamp, float] | None = None
        self._watcher: threading.Thread | None = None
        self._stop = threading.Event()
        self.swaps = 0
        self.last_error = ""

    # ------------------------------------------------------------ reading
    def current(self, check: bool = True) -> Generation:
        """The generation to serve this request with (loaded now if nothing is loaded yet)."""
        gen = self._gen
        if gen is None:
            with self._first:
                if self._gen is None:
                    self._publish(self._load_verified())
            gen = self._gen
            assert gen is not None
        elif check:
            self.check()
        return gen

    @property
    def loaded(self) -> Generation | None:
        return self._gen

    def adopt(self, searcher: "Searcher", answerer: "Answerer | None" = None) -> None:
        """Serve an already loaded searcher (and answerer) as the current generation."""
        self._publish(Generation(searcher, index_stamp(self._manifest), self._next_number(), self._make_answerer, answerer))

    # ------------------------------------------------------------ noticing a new index
    def check(self) -> bool:
        """Cheap: one stat. Starts a background load when the index changed; True if one started."""
        gen = self._gen
        if gen is None:
            return False
        stamp = index_stamp(self._manifest)
        if stamp == gen.stamp or stamp is None or self._recently_failed(stamp):
            return False
        if not self._loading.acquire(blocking=False):
            return False  # a load is already under way
        threading.Thread(target=self._reload_locked, name="policyqa-index-reload", daemon=True).start()
        return True

    def reload(self) -> Generation:
        """Load the index on disk now if it differs from the current one, and swap it in; waits for a
        load already under way. Raises PolicyQAError when the new index cannot be loaded (the old one
        keeps serving)."""
        with self._loading:
            gen = self._gen
            if gen is not None and index_stamp(self._manifest) == gen.stamp:
                return gen
            self._publish(self._load_verified(warm=gen is not None and gen.has_answerer))
            self._failed = None
            return self._gen  # type: ignore[return-value]

    def _reload_locked(self) -> None:
        try:
            gen = self._gen
            if gen is not None and index_stamp(self._manifest) == gen.stamp:
                return  # another load got there first
            self._publish(self._load_verified(warm=gen is not None and gen.has_answerer))
            self._failed = None
        except Exception as exc:  # the old index keeps serving whatever went wrong
            self._failed = (index_stamp(self._manifest), time.monotonic())
            self.last_error = str(exc)
            log.warning("new index in %s not swapped in, still serving generation %s: %s", self.index_dir,
                        getattr(self._gen, "number", "?"), exc, exc_info=not isinstance(exc, PolicyQAError))
        finally:
            self._loading.release()

    def _recently_failed(self, stamp: Stamp) -> bool:
        failed = self._failed
        return failed is not None and failed[0] == stamp and time.monotonic() - failed[1] < RETRY_S

    # ------------------------------------------------------------ loading
    def _load_verified(self, warm: bool = False) -> Generation:
        """A complete load of one index version: the manifest is the same before and after reading."""
        for _ in range(ATTEMPTS):
            before = index_stamp(self._manifest)
            t0 = time.perf_counter()
            searcher = self._load_searcher()
            if index_stamp(self._manifest) != before:
                continue  # swapped while we read it: the files may mix two versions
            gen = Generation(searcher, before, self._next_number(), self._make_answerer)
            if warm:
                gen.answerer  # the server's first request after the swap should not pay for this
            log.info("loaded index generation %d from %s (%d chunks, corpus %s) in %.2fs", gen.number,
                     self.index_dir, len(searcher.chunks), searcher.store.corpus_hash[:12], time.perf_counter() - t0)
            return gen
        raise PolicyQAError(f"the index in {self.index_dir} changed {ATTEMPTS} times while it was loaded; "
                            "the next request tries again")

    def _publish(self, gen: Generation) -> None:
        old = self._gen
        self._gen = gen  # one reference assignment: a request sees the old or the new, never a mix
        if old is not None:
            self.swaps += 1
            log.info("index swapped in without a restart: generation %d (%d documents, %d chunks)",
                        gen.number, len(gen.store.docs), len(gen.searcher.chunks))

    def _next_number(self) -> int:
        return (self._gen.number + 1) if self._gen is not None else 1

    # ------------------------------------------------------------ watching an idle server
    def watch(self, interval: float = 1.0) -> None:
        """Poll from a daemon thread, so a server without traffic is current when the next request comes."""
        if self._watcher is not None:
            return

        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.check()
                except Exception:  # never let the watcher die; the next tick tries again
                    log.exception("index watcher")

        self._watcher = threading.Thread(target=loop, name="policyqa-index-watch", daemon=True)
        self._watcher.start()

    def close(self) -> None:
        self._stop.set()

    def status(self) -> dict[str, Any]:
        gen = self._gen
        return {"generation": gen.number if gen else 0, "swaps": self.swaps, "last_error": self.last_error,
                "documents": len(gen.store.docs) if gen else 0}
