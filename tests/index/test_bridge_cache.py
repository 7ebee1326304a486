"""index.bridge: the parsed CC-CEDICT is cached as JSON and read back the same; a damaged cache is rebuilt."""
from __future__ import annotations

import pytest

from policyqa.index import bridge


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(bridge, "_loaded", None)  # the module keeps one parsed copy per process


def test_cache_round_trip_and_repair(tmp_path, fresh, monkeypatch):
    parsed = bridge.dictionary(tmp_path)
    files = list(tmp_path.glob("cedict-*.json"))
    assert len(files) == 1 and parsed["稀土"] and "rare earth" in " ".join(parsed["稀土"])
    monkeypatch.setattr(bridge, "_loaded", None)
    assert bridge.dictionary(tmp_path) == parsed  # read back: the same entries, as tuples
    files[0].write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(bridge, "_loaded", None)
    assert bridge.dictionary(tmp_path) == parsed
    assert files[0].read_text(encoding="utf-8").startswith("{\"")  # rewritten whole


def test_unwritable_cache_still_answers(tmp_path, fresh):
    blocked = tmp_path / "file"
    blocked.write_text("x")
    assert bridge.dictionary(blocked / "cache")["燃气轮机"]  # cannot mkdir under a file: parsed, not cached
