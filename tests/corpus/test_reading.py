"""Decoding: BOMs, GBK, Big5, UTF-16; empty and binary files are clear errors naming the file."""
from __future__ import annotations

import codecs
import os

import pytest

from policyqa.corpus.config import BUNDLED_CORPUS
from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.reading import decode_bytes, read_document

HANS = (BUNDLED_CORPUS / "004_3a6e1deff20bd077.txt").read_text(encoding="utf-8")[:1500]
HANT = (BUNDLED_CORPUS / "003_44e5da2c4f53dc8c.txt").read_text(encoding="utf-8")[:1500]
EN = (BUNDLED_CORPUS / "000_4a2e0622cdea3df6.txt").read_text(encoding="utf-8")[:1500]


@pytest.mark.parametrize(
    "text,encoding",
    [(HANS, "gbk"), (HANS, "gb18030"), (HANT, "big5"), (HANS, "utf-16-le"), (HANS, "utf-16-be"), (EN, "utf-16-le")],
)
def test_legacy_and_utf16_encodings_decode(text, encoding):
    data = text.encode(encoding)
    decoded, _ = decode_bytes(data, "x.txt")
    assert decoded == text


@pytest.mark.parametrize("bom,encoding", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                          (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le")])
def test_byte_order_marks(bom, encoding):
    decoded, used = decode_bytes(bom + HANT.encode(encoding), "x.txt")
    assert decoded == HANT and not decoded.startswith("\ufeff")
    assert used == encoding


def test_empty_file_names_file_and_fix(tmp_path):
    for content in (b"", b"  \n\r\n\t"):
        path = tmp_path / "empty.txt"
        path.write_bytes(content)
        with pytest.raises(PolicyQAError, match=r"empty\.txt: the file is empty; add the document's text or remove"):
            read_document(path)


def test_binary_file_names_file_and_fix(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"%PDF-1.7\x00\x01\x02" + os.urandom(4000))
    with pytest.raises(PolicyQAError, match=r"scan\.txt: looks binary.*save it as plain text"):
        read_document(path)


def test_missing_file(tmp_path):
    with pytest.raises(PolicyQAError, match="cannot be read"):
        read_document(tmp_path / "nope.txt")
