"""Encoder behaviour: prompts, shapes, limits, and inputs that must never crash."""
from __future__ import annotations

import numpy as np
import pytest

from policyqa.corpus.errors import PolicyQAError, UsageError


def test_properties(encoder):
    assert encoder.model_id == "bundled:multilingual-e5-small-q4"
    assert encoder.dim == 384
    assert encoder.max_tokens == 510
    assert encoder.fingerprint.startswith("sha256:")
    assert (encoder.query_prompt, encoder.passage_prompt) == ("query: ", "passage: ")


def test_vectors_are_normalized_float32(encoder):
    p = encoder.encode_passages(["Promote the digital transformation of manufacturing.", "推动制造业数字化转型。"])
    q = encoder.encode_queries(["digital transformation", "數位轉型"])
    for v in (p, q):
        assert v.dtype == np.float32 and v.shape == (2, 384) and v.flags["C_CONTIGUOUS"]
        np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    single, warnings = encoder.encode_query("digital transformation")
    assert warnings == () and single.shape == (384,)
    np.testing.assert_allclose(single, q[0], atol=1e-5)


def test_query_and_passage_prompts_differ(encoder):
    text = "green and low-carbon manufacturing"
    q = encoder.encode_queries([text])[0]
    p = encoder.encode_passages([text])[0]
    assert 0.8 < float(q @ p) < 0.999  # same text, different prompt: close but not identical


def test_count_tokens_includes_prompt_and_matches_model_input(encoder, torch_encoder):
    text = "Guiding Opinions on Accelerating the Transformation 传统制造业转型升级"
    n_passage = encoder.count_tokens(text)
    n_query = encoder.count_tokens(text, "query")
    tok = torch_encoder._model.tokenizer
    assert n_passage == len(tok("passage: " + text)["input_ids"]) - 2
    assert n_query == len(tok("query: " + text)["input_ids"]) - 2
    assert n_query - n_passage == 1  # "▁que" "ry" ":" vs "▁passage" ":"


@pytest.mark.parametrize("bad", ["", "   ", "\n\t \u3000", "\x01\x02\x7f", "\u200b\ufeff"])
def test_empty_inputs_are_usage_errors(encoder, bad):
    with pytest.raises(UsageError, match="empty"):
        encoder.encode_query(bad)
    with pytest.raises(UsageError, match="passage 1 is empty"):
        encoder.encode_passages(["fine", bad])


def test_overlong_query_is_cut_with_a_warning(encoder):
    long_query = "制造业数字化转型与绿色低碳发展的政策措施 " * 80
    assert encoder.count_tokens(long_query, "query") > encoder.max_tokens
    prepared = encoder.prepare_query(long_query)
    assert prepared.tokens <= encoder.max_tokens
    assert prepared.tokens >= encoder.max_tokens - 10  # cut near the limit, not far before it
    assert long_query.startswith(prepared.text)
    assert len(prepared.warnings) == 1 and "limit 510" in prepared.warnings[0]
    vec, warnings = encoder.encode_query(long_query)
    assert warnings == prepared.warnings
    assert vec.shape == (384,) and np.isfinite(vec).all()


def test_overlong_passage_is_refused(encoder):
    long_passage = "The plan supports small and medium-sized enterprises. " * 60
    with pytest.raises(PolicyQAError, match=r"passage 0 has \d+ model tokens.*limit of 510.*chunking"):
        encoder.encode_passages([long_passage])


def test_passage_at_the_limit_is_accepted(encoder):
    words = ["industry"] * 600
    while encoder.count_tokens(" ".join(words)) > encoder.max_tokens:
        words.pop()
    text = " ".join(words)
    assert encoder.count_tokens(text) == encoder.max_tokens
    assert encoder.encode_passages([text]).shape == (1, 384)


@pytest.mark.parametrize("text", [
    "lone high surrogate \ud800 here",
    "lone low surrogate \udfff",
    "paired \ud83d\ude00 surrogates",
    "NUL\x00inside",
    "controls \x01\x02\x1b[31m\x7f\x85 and bidi \u202e text",
    "\ufffe\uffff noncharacters 𠀀𪜀",
])
def test_odd_characters_never_crash(encoder, text):
    vec, _ = encoder.encode_query(text)
    assert np.isfinite(vec).all()
    assert encoder.encode_passages([text]).shape == (1, 384)
    assert encoder.count_tokens(text) > 0


def test_surrogate_pair_is_the_real_character(encoder):
    joined = encoder.encode_queries(["paired \ud83d\ude00 surrogates"])[0]
    proper = encoder.encode_queries(["paired 😀 surrogates"])[0]
    np.testing.assert_allclose(joined, proper, atol=1e-6)


def test_a_single_string_is_not_a_batch(encoder):
    with pytest.raises(UsageError, match="list of texts"):
        encoder.encode_passages("not a list")
