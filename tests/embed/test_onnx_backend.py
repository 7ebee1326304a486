"""The ONNX backend as a user meets it: chosen by configuration, exported once into the cache, and a
query path (search, ask, the server's app) that never imports torch, transformers or
sentence-transformers."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from policyqa.corpus.config import Config
from policyqa.corpus.errors import PolicyQAError, UsageError

HEAVY = ("torch", "transformers", "sentence_transformers")

# Runs in a fresh interpreter: search and ask through the Python API and the CLI, build the app,
# then report which heavy modules got imported on the way.
_SCRIPT = """
import contextlib, io, json, sys
from policyqa.serve.engine import Engine
from policyqa.cli import main
engine = Engine.open()
hits = engine.search("产业大脑是什么？", top_k=3).hits
answer = engine.ask("What is the industrial brain?")
with contextlib.redirect_stdout(io.StringIO()) as out:
    main(["search", "digital transformation", "--json", "--top-k", "2"])
from policyqa.serve.app import build_app
build_app(engine.answerer, engine.config)
print(json.dumps({"backend": engine.encoder.backend, "top": hits[0].unit.clause_id,
                  "cli_hits": len(json.loads(out.getvalue())["hits"]), "answered": bool(answer.to_dict()),
                  "heavy": [m for m in %r if m in sys.modules]}))
""" % (HEAVY,)


def test_backend_is_one_literal_checked_at_the_entry():
    assert Config(backend="onnx").backend == "onnx"
    with pytest.raises(UsageError, match="backend must be one of torch, onnx, onnx-int8, onnx-q8"):
        Config(backend="tensorrt")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="POLICYQA_QUERY_THREADS"):
        Config(query_threads=0)


def test_environment_selects_the_backend_and_threads(monkeypatch):
    monkeypatch.setenv("POLICYQA_BACKEND", "onnx-int8")
    monkeypatch.setenv("POLICYQA_QUERY_THREADS", "3")
    cfg = Config.from_env()
    assert (cfg.backend, cfg.threads("query")) == ("onnx-int8", 3)
    monkeypatch.setenv("POLICYQA_BACKEND", "gpu")
    with pytest.raises(UsageError, match="POLICYQA_BACKEND"):
        Config.from_env()


def test_query_threads_follow_the_server_concurrency():
    from policyqa.corpus.config import cores

    assert Config(concurrency=1).threads("query") == cores()
    assert Config(concurrency=cores() * 4).threads("query") == 1  # never zero
    assert Config().threads("passage") == cores()
    assert Config(build_threads=1, query_threads=2).threads("passage") == 1


def test_a_model_the_onnx_backend_cannot_run_is_a_clear_error(tmp_path, onnx_encoder, torch_encoder):
    import shutil

    from policyqa.embed.onnx_export import check_supported

    folder = tmp_path / "model"
    shutil.copytree(torch_encoder.spec.path, folder)
    assert check_supported(folder)["pooling"] == "mean"
    (folder / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_max_tokens": True}))
    with pytest.raises(PolicyQAError, match=r"pooling is \['pooling_mode_max_tokens'\].*POLICYQA_BACKEND=torch"):
        check_supported(folder)
    (folder / "modules.json").unlink()
    with pytest.raises(PolicyQAError, match="no readable modules.json"):
        check_supported(folder)


@pytest.mark.slow
def test_exported_folder_is_cached_with_a_manifest(onnx_encoder, torch_encoder):
    from policyqa.corpus.manifest import file_problem
    from policyqa.embed.bundled import MANIFEST

    manifest = json.loads((onnx_encoder.folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["source_fingerprint"] == torch_encoder.fingerprint and manifest["variant"] == "onnx"
    assert manifest["fingerprint"].startswith("sha256:") and file_problem(onnx_encoder.folder, manifest) == ""
    assert {"model.onnx", "model.onnx.data", "tokenizer.json", "1_Pooling/config.json"} <= set(manifest["files"])
    assert not any(name.startswith(".") for name in manifest["files"])  # no staging leftovers


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["onnx", "onnx-q8"])
def test_search_and_ask_with_onnx_import_no_torch(config, built, onnx_encoder, backend):
    env = dict(os.environ, POLICYQA_BACKEND=backend, POLICYQA_DATA_DIR=str(config.data_dir),
               POLICYQA_CACHE_DIR=str(config.cache_dir), POLICYQA_CORPUS_DIR=str(config.corpus_dir))
    out = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["heavy"] == [], report
    # The index was built by the torch encoder: float32 ONNX (and onnx-q8, whose passages are
    # float32) shares its fingerprint and searches it.
    assert report["backend"] == backend and report["top"] == "guiding-opinions-2023/c6"
    assert report["cli_hits"] == 2 and report["answered"]


@pytest.mark.slow
def test_int8_refuses_an_index_built_with_another_vector_space(config, built):
    from policyqa.index.search import load_searcher

    with pytest.raises(PolicyQAError, match=r"ONNX int8.*policyqa build --force"):
        load_searcher(config.replace(backend="onnx-int8"))


def test_passage_batches_are_bounded_by_rows_and_padded_tokens():
    import numpy as np

    from policyqa.embed.onnx_encoder import _batches

    lengths = np.array([300, 40, 250, 30, 30, 300, 20])
    order = np.argsort(-lengths, kind="stable")  # 0, 5, 2, 1, 3, 4, 6
    got = [list(b) for b in _batches(order, lengths, max_rows=4, budget=1024)]
    # 1024 // 300 = 3 rows of the longest; then 40-token rows, 4 at most; the rest
    assert got == [[0, 5, 2], [1, 3, 4, 6]]
    assert [list(b) for b in _batches(order, lengths, max_rows=16, budget=100)] == [[i] for i in order[:3]] + [[1, 3], [4, 6]]


def test_a_checked_passage_is_tokenized_once_and_a_stale_check_is_only_a_miss(onnx_encoder):
    import numpy as np

    first = ["产业大脑是工业互联网的重要组成部分。", "Enterprises are the primary drivers."]
    other = ["到2027年，传统制造业高端化、智能化、绿色化、融合化发展水平明显提升。"]
    reference = onnx_encoder.encode_passages(first + other)  # checked and embedded in one call

    clean = onnx_encoder.check_passages(first)
    kept = onnx_encoder._checked
    assert set(kept) == {onnx_encoder.passage_prompt + t for t in first}
    # The embedding takes the check's tokenization (the same objects, not a second pass) ...
    assert np.allclose(onnx_encoder.encode_passages(clean, checked=True), reference[:2], atol=1e-6)
    assert all(onnx_encoder._checked[k] is v for k, v in kept.items())
    # ... and texts the last check did not see are tokenized then, with the same vectors.
    onnx_encoder.check_passages(other)
    assert set(onnx_encoder._checked) == {onnx_encoder.passage_prompt + other[0]}  # replaced, not grown
    assert np.allclose(onnx_encoder.encode_passages(first, checked=True), reference[:2], atol=1e-6)
