"""Sentence rows (index.rows): hand-made inputs with arithmetic expectations, then the real index."""
import dataclasses
import json
import shutil

import numpy as np
import pytest

from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.types import Chunk
from policyqa.index.rows import best_per_chunk, row_chunks, sentence_rows


def chunk(cid: str, text: str, lang: str = "en") -> Chunk:
    return Chunk(f"{cid}@{lang}#0", "d", cid, lang, (), text, 0, len(text))


def test_only_multi_sentence_chunks_get_sentence_rows_and_the_number_is_left_out():
    chunks = [
        chunk("d/c1", "(1) Build pilot platforms. Share the results with SMEs."),
        chunk("d/c2", "One sentence only."),
        chunk("d/c3", "（三）推进数字化转型。建设工业互联网平台；培育产业大脑。", "zh-Hans"),
    ]
    texts, owners = sentence_rows(chunks, {"d/c1@en": "(1)", "d/c3@zh-Hans": "（三）"})
    assert texts == ["Build pilot platforms.", "Share the results with SMEs.",
                     "推进数字化转型。", "建设工业互联网平台；", "培育产业大脑。"]
    assert owners == [0, 0, 2, 2, 2]


def test_row_chunks_puts_the_chunks_first():
    assert row_chunks(3, [0, 0, 2]).tolist() == [0, 1, 2, 0, 0, 2]
    assert row_chunks(2, []).tolist() == [0, 1]


def test_best_per_chunk_keeps_each_chunks_best_row_and_skips_filtered_and_missing_rows():
    rows = np.array([0, 1, 2, 0, 0, 2], dtype=np.int32)
    allowed = np.array([True, True, False])
    # FAISS order: best first; -1 pads a short result.
    scores = [0.9, 0.8, 0.7, 0.6, 0.5, -1.0]
    ids = [3, 2, 0, 1, 5, -1]
    assert best_per_chunk(scores, ids, rows, allowed) == {0: 0.9, 1: 0.6}


# ----------------------------------------------------------------------------- the real index
def test_manifest_counts_rows_and_every_row_maps_to_a_chunk(built, searcher):
    m = searcher.manifest
    assert m["rows"] == built.rows == searcher.vectors.count() == len(searcher.row_chunk)
    assert m["rows"] > m["chunks"] == len(searcher.chunks)
    assert searcher.row_chunk[: m["chunks"]].tolist() == list(range(m["chunks"]))
    assert searcher.row_chunk.max() < m["chunks"]


def _chunks_only(searcher):
    """The same searcher with one vector per chunk, as before sentence rows (real FAISS)."""
    from policyqa.index.faiss_backend import FaissIndex

    flat = FaissIndex.create(searcher.encoder.dim, "Flat")
    flat.add(searcher.vectors.index.reconstruct_n(0, len(searcher.chunks)))
    return dataclasses.replace(searcher, vectors=flat, row_chunk=None)


@pytest.mark.parametrize("query, gold", [
    # One sentence of a long English-only item lists these engines; the item's vector averages them away.
    ("航空發動機、燃氣輪機、高檔數控機床這些受國外出口限制的裝備怎麼辦？", "cm2025-2017/s3/i1"),
    ("What are the 'industrial brains' that key industries are supposed to build?", "guiding-opinions-2023/c6"),
])
def test_a_detail_in_one_sentence_finds_its_clause(searcher, query, gold):
    def rank(s):
        ids = [h.unit.clause_id for h in s.search(query, top_k=10, mode="dense").hits]
        return ids.index(gold) + 1 if gold in ids else None

    with_sentences, chunks_only = rank(searcher), rank(_chunks_only(searcher))
    assert with_sentences is not None and with_sentences <= 2
    assert chunks_only is None or chunks_only > with_sentences


def test_row_map_that_disagrees_with_the_vectors_is_refused(config, built, encoder, tmp_path):
    from policyqa.index.search import load_searcher

    data = tmp_path / "var"
    shutil.copytree(config.data_dir, data)
    cfg = config.replace(data_dir=data)
    rows_file = cfg.index_dir / "row_chunks.npy"
    np.save(rows_file, np.arange(5, dtype=np.int32), allow_pickle=False)
    manifest_path = cfg.index_dir / "manifest.json"
    m = json.loads(manifest_path.read_text())
    from policyqa.corpus.manifest import sha256_file

    m["files"]["row_chunks.npy"] = sha256_file(rows_file)  # a consistent checksum, wrong content
    manifest_path.write_text(json.dumps(m))
    with pytest.raises(PolicyQAError, match="inconsistent.*build --force"):
        load_searcher(cfg, encoder=encoder)
