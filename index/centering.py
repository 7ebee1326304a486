"""Per-language centring of embedding vectors, one definition for the index, the query and the
sentence bank.

Multilingual encoders place each language in its own region of the space, so a Chinese question
prefers any Chinese passage over the right English one. Subtracting each language's mean passage
vector (Libovický et al., 2020, "On the language neutrality of pre-trained multilingual
representations") removes most of that offset; the README's evaluation section has the effect.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def language_means(vectors: np.ndarray, langs: Sequence[str]) -> dict[str, np.ndarray]:
    """Mean vector per language, when the rows span more than one language (else nothing to remove)."""
    present = sorted(set(langs))
    if len(present) < 2:
        return {}
    arr = np.asarray(langs)
    return {lang: vectors[arr == lang].mean(axis=0).astype(np.float32) for lang in present}


def query_form(text: str, lang: str, means: dict[str, np.ndarray]) -> tuple[str, str]:
    """The text a query is embedded as, and the language whose mean centers it. A question in
    traditional Chinese is embedded folded to simplified (when the index has simplified passages
    to center it like): the bundled model places simplified text better, and the words are the
    same. Its detected language, and so the script its answer is shown in, stays traditional."""
    if lang == "zh-Hant" and "zh-Hans" in means:
        from policyqa.corpus.sources import opencc_converter

        return opencc_converter("t2s").convert(text), "zh-Hans"
    return text, lang


def center(vectors: np.ndarray, mean: np.ndarray | None) -> np.ndarray:
    """Rows (or one vector) minus `mean`, renormalized; unchanged when there is no mean."""
    if mean is None or not len(vectors):
        return vectors
    out = vectors - mean
    return (out / np.maximum(np.linalg.norm(out, axis=-1, keepdims=True), 1e-12)).astype(np.float32)


def center_rows(vectors: np.ndarray, langs: Sequence[str], means: dict[str, np.ndarray]) -> np.ndarray:
    """Each row centred by its own language's mean."""
    if not means:
        return vectors
    return center(vectors, np.stack([means[lang] for lang in langs]))
