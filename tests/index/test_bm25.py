"""The saved keyword index is a function of its texts: two builds write the same bytes."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from policyqa.index.bm25 import BM25Index

TEXTS = ["产业大脑赋能传统制造业转型升级", "Tax credits for safety production equipment",
         "數字化轉型 智能制造 綠色低碳", "pilot cities and city clusters, 20 to 30 of them", ""]

_BUILD = """
import sys
from pathlib import Path
from policyqa.index.bm25 import BM25Index
BM25Index.build({texts!r}, [[], ["§s6"], [], [], []]).save(Path(sys.argv[1]))
"""


def _build_in_process(out: Path, seed: str) -> dict[str, bytes]:
    # A fresh interpreter per hash seed: set and dict-of-set orders only differ between processes.
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-c", _BUILD.format(texts=TEXTS), str(out)], check=True, env=env)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_two_builds_under_different_hash_seeds_write_identical_files(tmp_path):
    first = _build_in_process(tmp_path / "a", "1")
    second = _build_in_process(tmp_path / "b", "2")
    assert first.keys() == second.keys() and "vocab.index.json" in first
    assert first == second


def test_sorted_vocabulary_keeps_bm25s_scores(tmp_path):
    ours = BM25Index.build(TEXTS, [[], ["§s6"], [], [], []])
    ours.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25", len(TEXTS))
    import bm25s

    from policyqa.index.analyzer import tokenize

    reference = bm25s.BM25()  # bm25s numbering its own vocabulary
    reference.index([tokenize(t) + more or ["§empty"] for t, more in zip(TEXTS, [[], ["§s6"], [], [], []])],
                    show_progress=False)
    for query in ["产业大脑", "safety equipment tax", "智能製造", "20 to 30 cities"]:
        expected = np.asarray(reference.get_scores(tokenize(query)), dtype=np.float32)
        assert expected.max() > 0, query
        np.testing.assert_array_equal(loaded.scores(query), expected)
    assert loaded.token_scores(["§s6"]).argmax() == 1 and loaded.token_scores(["§s6"])[1] > 0
