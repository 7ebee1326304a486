"""Embedding cache: only unseen texts are embedded; cached vectors are the model's vectors."""
from __future__ import annotations

import json

import numpy as np
import pytest

from policyqa.corpus.errors import UsageError
from policyqa.embed.cache import encode_passages_cached, shard_dir

TEXTS = [
    "(1) Promote high-end, intelligent and green development of traditional manufacturing.",
    "（二）加快数字化转型，推广应用智能制造新技术。",
    "（三）推動綠色低碳發展，提升資源利用效率。",
]


def test_second_call_computes_nothing(encoder, tmp_path):
    first, n1 = encode_passages_cached(encoder, TEXTS, tmp_path)
    second, n2 = encode_passages_cached(encoder, TEXTS, tmp_path)
    assert (n1, n2) == (3, 0)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(first, encoder.encode_passages(TEXTS), atol=1e-5)


def test_small_change_recomputes_only_the_changed_text(encoder, tmp_path):
    encode_passages_cached(encoder, TEXTS, tmp_path)
    changed = [TEXTS[0], TEXTS[1] + "（修订）", TEXTS[2], TEXTS[0]]
    vectors, n = encode_passages_cached(encoder, changed, tmp_path)
    assert n == 1
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    np.testing.assert_array_equal(vectors[0], vectors[3])
    np.testing.assert_allclose(vectors[1], encoder.encode_passages([changed[1]])[0], atol=1e-5)


def test_shard_is_plain_files_keyed_by_fingerprint_and_prompt(encoder, tmp_path):
    encode_passages_cached(encoder, TEXTS[:2], tmp_path)
    shard = shard_dir(tmp_path, encoder.fingerprint, encoder.passage_prompt)
    assert sorted(p.name for p in shard.iterdir()) == ["keys.json", "manifest.json", "vectors.npy"]
    manifest = json.loads((shard / "manifest.json").read_text())
    assert manifest["fingerprint"] == encoder.fingerprint and manifest["prompt"] == "passage: "
    assert np.load(shard / "vectors.npy", allow_pickle=False).shape == (2, 384)
    assert shard_dir(tmp_path, "sha256:another-model", "passage: ") != shard
    assert shard_dir(tmp_path, encoder.fingerprint, "document: ") != shard


def test_damaged_shard_is_a_cold_cache(encoder, tmp_path):
    encode_passages_cached(encoder, TEXTS, tmp_path)
    shard = shard_dir(tmp_path, encoder.fingerprint, encoder.passage_prompt)
    (shard / "keys.json").write_text("[\"truncated")
    vectors, n = encode_passages_cached(encoder, TEXTS, tmp_path)
    assert n == 3
    np.testing.assert_allclose(vectors, encoder.encode_passages(TEXTS), atol=1e-5)


def test_cached_texts_are_still_validated(encoder, tmp_path):
    encode_passages_cached(encoder, TEXTS, tmp_path)
    with pytest.raises(UsageError, match="passage 1 is empty"):
        encode_passages_cached(encoder, [TEXTS[0], "  "], tmp_path)
