"""Reading JSON Lines written by people (question sets, query files, BEIR datasets): a BOM is
allowed, blank lines are skipped, and a bad line is a UsageError naming the file and line."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from policyqa.corpus.errors import UsageError


def read_jsonl(path: Path, what: str = "file") -> Iterator[tuple[int, object]]:
    """(line number, parsed value) for every non-blank line."""
    if not path.is_file():
        raise UsageError(f"{what} not found: {path}")
    with path.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{path}:{n}: not JSON ({exc})") from None
