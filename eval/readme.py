"""Keep generated tables in the README: rewrite the text between <!-- NAME:start --> and <!-- NAME:end -->."""
from __future__ import annotations

from pathlib import Path

from policyqa.corpus.atomic import write_text
from policyqa.corpus.errors import UsageError


def replace_section(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    i, j = text.find(start), text.find(end)
    if i < 0 or j < 0 or j < i:
        raise UsageError(f"the README has no '{start}' … '{end}' markers; add both lines where the {name} tables belong")
    return text[: i + len(start)] + "\n" + body.strip("\n") + "\n" + text[j:]


def check_readme(path: Path, name: str) -> None:
    """Raise the error update_readme would raise, without writing."""
    if not path.is_file():
        raise UsageError(f"README not found: {path}")
    replace_section(path.read_text(encoding="utf-8"), name, "")


def update_readme(path: Path, name: str, body: str) -> None:
    """Atomic: a crash leaves the old README, never half of the new one."""
    if not path.is_file():
        raise UsageError(f"README not found: {path}")
    write_text(path, replace_section(path.read_text(encoding="utf-8"), name, body))
