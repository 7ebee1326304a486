"""Limits for files a user adds (CLI `policyqa add`, app uploads): defined once, read everywhere.

A file over a limit is refused with a message naming the file, the limit and the fix; nothing is
written. The defaults admit any real policy document (hundreds of pages) and refuse bombs.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

MB = 1_000_000


@dataclass(frozen=True)
class FileLimits:
    max_file_bytes: int = 50 * MB  # one file as uploaded
    max_add_bytes: int = 200 * MB  # all files of one add/upload together
    max_files: int = 50  # files in one add/upload
    max_pdf_pages: int = 1000
    extract_seconds: float = 300.0  # wall time to extract one file (the extractor is killed after)
    extract_memory_bytes: int = 2_000 * MB  # address space of the extractor process
    max_zip_entries: int = 2000  # DOCX is a zip: entries in it
    max_zip_uncompressed_bytes: int = 200 * MB  # DOCX: sum of the entries' uncompressed sizes
    max_zip_ratio: int = 200  # DOCX: uncompressed / compressed size of any one entry
    max_text_chars: int = 20_000_000  # text extracted from one file

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "FileLimits":
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


def human_bytes(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1000:.0f} kB" if n >= 1000 else f"{n} bytes"
