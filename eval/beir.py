"""Datasets in BEIR format: corpus.jsonl ({_id, title, text}), queries.jsonl ({_id, text}),
qrels/<split>.tsv (query-id, corpus-id, score; a header line). Loaded into small frozen records."""
from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policyqa.corpus.errors import UsageError
from policyqa.corpus.jsonl import read_jsonl


@dataclass(frozen=True)
class BeirDoc:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class BeirDataset:
    name: str
    docs: tuple[BeirDoc, ...]
    queries: dict[str, str]  # only queries that have judgments in the split
    qrels: dict[str, dict[str, int]]
    split: str


def _jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    for n, obj in read_jsonl(path, "BEIR file"):
        if not isinstance(obj, dict) or "_id" not in obj:
            raise UsageError(f"{path}:{n}: expected an object with '_id'")
        yield n, obj


def _pick_split(root: Path, split: str | None) -> Path:
    qdir = root / "qrels"
    if split:
        path = qdir / f"{split}.tsv"
        if not path.is_file():
            raise UsageError(f"{path} not found; the qrels splits here are: {', '.join(p.stem for p in sorted(qdir.glob('*.tsv'))) or 'none'}")
        return path
    for name in ("test", "dev", "train"):
        if (qdir / f"{name}.tsv").is_file():
            return qdir / f"{name}.tsv"
    found = sorted(qdir.glob("*.tsv")) if qdir.is_dir() else []
    if not found:
        raise UsageError(f"no qrels in {qdir}: a BEIR dataset has qrels/test.tsv (query-id, corpus-id, score)")
    return found[0]


def load_beir(root: Path, split: str | None = None) -> BeirDataset:
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"BEIR dataset folder not found: {root}")
    for name in ("corpus.jsonl", "queries.jsonl"):
        if not (root / name).is_file():
            raise UsageError(f"{root} is not a BEIR dataset: {name} is missing (expected corpus.jsonl, queries.jsonl, qrels/test.tsv)")
    docs = []
    for n, obj in _jsonl(root / "corpus.jsonl"):
        text = f"{obj.get('title') or ''}".strip()
        body = str(obj.get("text") or "")
        if not (text or body.strip()):
            raise UsageError(f"{root / 'corpus.jsonl'}:{n}: document {obj['_id']!r} has neither title nor text")
        docs.append(BeirDoc(str(obj["_id"]), text, body))
    if not docs:
        raise UsageError(f"{root / 'corpus.jsonl'} has no documents")
    queries = {str(obj["_id"]): str(obj.get("text") or "") for _, obj in _jsonl(root / "queries.jsonl")}

    qpath = _pick_split(root, split)
    qrels: dict[str, dict[str, int]] = {}
    with qpath.open(encoding="utf-8-sig", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
            if not row or (n == 1 and not row[-1].strip().lstrip("-").isdigit()):
                continue  # blank line or the header
            if len(row) < 3:
                raise UsageError(f"{qpath}:{n}: expected query-id<TAB>corpus-id<TAB>score")
            try:
                score = int(float(row[2]))
            except ValueError:
                raise UsageError(f"{qpath}:{n}: score {row[2]!r} is not a number") from None
            if score > 0:
                qrels.setdefault(row[0], {})[row[1]] = score
    unknown = sorted(q for q in qrels if q not in queries)
    if unknown:
        raise UsageError(f"{qpath}: query ids not in queries.jsonl: {', '.join(unknown[:5])}")
    known_docs = {d.id for d in docs}
    for q, rel in qrels.items():
        missing = [d for d in rel if d not in known_docs]
        if missing:
            raise UsageError(f"{qpath}: query {q} judges documents not in corpus.jsonl: {', '.join(missing[:5])}")
    if not qrels:
        raise UsageError(f"{qpath}: no positive judgments")
    judged = {q: queries[q] for q in qrels}
    empty = [q for q, t in judged.items() if not t.strip()]
    if empty:
        raise UsageError(f"queries.jsonl: judged queries with empty text: {', '.join(empty[:5])}")
    return BeirDataset(root.name, tuple(docs), judged, qrels, qpath.stem)
