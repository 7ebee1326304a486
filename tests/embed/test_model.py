"""`policyqa model install|info`, and models other than the bundled one chosen by configuration."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.embed import model


def test_install_returns_the_materialized_folder(config, torch_encoder):
    path = model.install(config)
    assert path == torch_encoder.spec.path and (path / "model.safetensors").is_file()


def test_cli_model_install_prints_the_folders(config, torch_encoder, onnx_encoder):
    env = dict(os.environ, HF_HUB_OFFLINE="1", POLICYQA_CACHE_DIR=str(config.cache_dir))
    out = subprocess.run([sys.executable, "-m", "policyqa", "model", "install", "--json"], env=env,
                         capture_output=True, text=True, timeout=1200)
    assert out.returncode == 0, out.stderr[-2000:]
    printed = json.loads(out.stdout)
    assert printed["path"] == str(torch_encoder.spec.path)
    # Both ONNX graphs are exported at install, so switching POLICYQA_BACKEND later costs nothing.
    assert set(printed["onnx"]) == {"onnx", "onnx-int8"} and printed["onnx"]["onnx"] == str(onnx_encoder.folder)
    assert all((Path(p) / "model.onnx").is_file() for p in printed["onnx"].values())


def test_a_local_folder_works_by_configuration(config, torch_encoder):
    # The materialized folder given as a user's own model: generic path, prompts from its config,
    # fingerprint recomputed from the files, prompt override from the configuration.
    custom = config.replace(model=str(torch_encoder.spec.path), query_prompt="query: ")
    info = model.info(custom)
    assert info["model_id"] == str(torch_encoder.spec.path)
    assert (info["dimension"], info["max_tokens"]) == (384, 510)
    assert (info["query_prompt"], info["passage_prompt"]) == ("query: ", "passage: ")
    assert info["fingerprint"] == torch_encoder.fingerprint  # same files, same fingerprint
    other = model.info(config.replace(model=str(torch_encoder.spec.path), passage_prompt="document: "))
    assert other["passage_prompt"] == "document: "


def test_uncached_hub_model_is_a_clear_error(config):
    with pytest.raises(PolicyQAError, match="not in the local Hugging Face cache.*local folder"):
        model.install(config.replace(model="policyqa-tests/no-such-model"))


def test_missing_local_folder_is_a_usage_error(config, tmp_path):
    with pytest.raises(UsageError, match="model folder not found"):
        model.install(config.replace(model=str(tmp_path / "no-such-model")))
