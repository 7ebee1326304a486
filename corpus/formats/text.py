"""Plain text (.txt, .md): decoded with the corpus' encoding detection (BOMs, UTF-8, GBK, Big5, ...)."""
from __future__ import annotations

from policyqa.corpus.formats import Extracted
from policyqa.corpus.limits import FileLimits
from policyqa.corpus.reading import decode_bytes


def extract(data: bytes, name: str, limits: FileLimits) -> Extracted:
    text, encoding = decode_bytes(data, name)
    kind = "md" if name.lower().endswith((".md", ".markdown")) else "txt"
    return Extracted(text=text, kind=kind, encoding=encoding)
