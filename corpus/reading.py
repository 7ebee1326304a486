"""Bytes to text: BOMs, UTF-8, then charset-normalizer for GBK, Big5, UTF-16 without BOM and the rest.

An empty or binary file is a PolicyQAError naming the file and the fix, never a half-decoded document.
"""
from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from policyqa.corpus.errors import PolicyQAError

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_FIX = "save it as plain text (UTF-8 is best) or remove it from the corpus folder"


def _control_ratio(text: str) -> float:
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\n\r\t\f") or 0xFFF0 <= ord(c) <= 0xFFFF or 0xE000 <= ord(c) <= 0xF8FF)
    return bad / max(len(text), 1)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Return (text, encoding). Raises PolicyQAError for empty or binary input."""
    if not data.strip(b" \t\r\n\x00"):
        raise PolicyQAError(f"{name}: the file is empty; add the document's text or remove the file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc
            except UnicodeDecodeError:
                raise PolicyQAError(f"{name}: starts with a {enc} byte-order mark but is not valid {enc}; {_FIX}") from None
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    match = from_bytes(data).best()
    if match is None:
        # A few hundred characters of real GBK can exceed charset-normalizer's default chaos threshold
        # (0.2) on one sampled chunk and still decode cleanly: retry leniently. Binary stays rejected
        # (no encoding fits, or the control-character check below).
        match = from_bytes(data, threshold=0.5).best()
    if match is None or match.encoding is None:
        raise PolicyQAError(f"{name}: looks binary, not text (no text encoding fits); {_FIX}")
    text = str(match)
    if _control_ratio(text) > 0.01:
        raise PolicyQAError(f"{name}: looks binary, not text (control characters after decoding as {match.encoding}); {_FIX}")
    return text, match.encoding


def read_document(path: Path) -> tuple[str, str]:
    """Decoded text of one corpus file and the encoding it was in."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyQAError(f"{path}: cannot be read ({exc.strerror}); check the path and its permissions") from None
    text, encoding = decode_bytes(data, str(path))
    if not text.strip():
        raise PolicyQAError(f"{path}: the file is empty; add the document's text or remove the file")
    return text, encoding
