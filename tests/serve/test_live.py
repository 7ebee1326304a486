"""The live index in one process: a rebuilt index is noticed by a stat, loaded beside the old one and
swapped in; a request keeps the generation it started with; a damaged index is never swapped in."""
from __future__ import annotations

import json
import logging
import shutil
import time

import pytest

from policyqa.corpus.atomic import write_text
from policyqa.index.build import CHUNKS, MANIFEST, build
from policyqa.serve.engine import Engine
from policyqa.serve.live import index_stamp

ZEBRA = """Zebra crossing notice

Every zebra crossing in the district is repainted twice a year by the district road office.

Inspectors log faded zebra crossing stripes within three days of a report from a resident.
"""
LIGHTHOUSE = """Lighthouse keeping rules

The keepers clean each lighthouse lamp every Tuesday before sunset, and they polish the lens monthly.

Keepers record the lighthouse lamp's fuel use in the station ledger every night.
"""
LIGHTHOUSE_Q = "How often do the keepers clean the lighthouse lamp?"


def wait_for(predicate, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not true within {seconds}s")


@pytest.fixture
def small(config, encoder, tmp_path):
    """A corpus of one document, built; an engine on it sharing the session's encoder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "zebra.txt").write_text(ZEBRA, encoding="utf-8")
    cfg = config.replace(corpus_dir=corpus, data_dir=tmp_path / "var")
    build(cfg, encoder=encoder, progress=False)
    engine = Engine(cfg, encoder=encoder)
    yield cfg, engine
    engine.live.close()


def test_a_rebuild_in_the_data_dir_is_swapped_in_and_old_requests_finish_on_the_old_index(small, encoder):
    cfg, engine = small
    old = engine.current()
    assert set(old.store.docs) == {"zebra"} and old.number == 1
    assert not engine.live.check()  # nothing changed: no load
    (cfg.corpus_dir / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    build(cfg, encoder=encoder, progress=False)  # what `policyqa build` in another terminal does
    # The next request notices with one stat and still runs on the old generation while the new loads.
    during = engine.current()
    new = wait_for(lambda: engine.live.loaded if engine.live.loaded.number == 2 else None)
    assert set(new.store.docs) == {"zebra", "lighthouse"}
    assert new.searcher.encoder is old.searcher.encoder  # the model is shared across swaps
    hit = engine.search(LIGHTHOUSE_Q, top_k=1).hits[0]
    assert hit.unit.doc_id == "lighthouse"
    assert engine.ask(LIGHTHOUSE_Q).citations[0].source.unit.doc_id == "lighthouse"
    # A request that took the old generation finishes on it, with the old documents.
    assert during is old
    assert {h.unit.doc_id for h in old.searcher.search("lighthouse lamp", top_k=3).hits} == {"zebra"}
    assert engine.live.swaps == 1


def test_a_damaged_index_is_never_swapped_in(small, encoder, caplog):
    cfg, engine = small
    before = engine.current()
    index = cfg.index_dir
    staged = index.parent / "staged"
    shutil.copytree(index, staged)
    with open(staged / CHUNKS, "a", encoding="utf-8") as fh:
        fh.write("{}\n")  # no longer matches the manifest's checksum
    shutil.rmtree(index)
    staged.rename(index)
    assert index_stamp(index) != before.stamp
    with caplog.at_level(logging.WARNING, logger="policyqa.serve.live"):
        assert engine.live.check()
        wait_for(lambda: engine.live.last_error)
    assert "corrupted" in engine.live.last_error
    assert "not swapped in" in caplog.text
    assert engine.current() is before  # still serving the old generation
    assert engine.search("zebra crossing repainted", top_k=1).hits[0].unit.doc_id == "zebra"
    # The same broken manifest is not reloaded on every request.
    assert not engine.live.check()
    # A good build repairs it, and that one is swapped in.
    build(cfg, encoder=encoder, progress=False, force=True)
    wait_for(lambda: engine.live.check() or engine.live.loaded.number > before.number, 30)
    wait_for(lambda: engine.live.loaded.number > before.number)


def test_a_half_written_or_missing_index_keeps_the_old_one(small):
    cfg, engine = small
    before = engine.current()
    manifest = json.loads((cfg.index_dir / MANIFEST).read_text(encoding="utf-8"))
    manifest["rows"] = manifest["rows"] + 5  # claims vectors that are not there
    write_text(cfg.index_dir / MANIFEST, json.dumps(manifest))
    engine.live.check()
    wait_for(lambda: engine.live.last_error)
    assert engine.current() is before
    shutil.rmtree(cfg.index_dir)
    assert not engine.live.check()  # no index at all: nothing to load, keep serving
    assert engine.search("zebra crossing", top_k=1).hits


def test_an_engine_around_a_loaded_answerer_follows_its_data_dir(config, answerer):
    engine = Engine.around(answerer, config)
    gen = engine.current()
    assert gen.answerer is answerer and gen.searcher is answerer.searcher
    assert not engine.live.check()
