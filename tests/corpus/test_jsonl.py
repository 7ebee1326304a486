from __future__ import annotations

import pytest

from policyqa.corpus.errors import UsageError
from policyqa.corpus.jsonl import read_jsonl
from policyqa.cli import read_queries


def test_bom_blank_lines_and_line_numbers(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_bytes('\ufeff{"id": 1, "query": "产业大脑"}\n\n  \n{"id": "b", "query": "x"}\n'.encode("utf-8"))
    assert list(read_jsonl(path)) == [(1, {"id": 1, "query": "产业大脑"}), (4, {"id": "b", "query": "x"})]
    assert list(read_queries(path)) == [("1", "产业大脑"), ("b", "x")]


@pytest.mark.parametrize("text,message", [
    ('{"id": 1, "query": "a"}\n{"id": 2,\n', r"q.jsonl:2: not JSON"),
    ('{"id": 1}\n', r"q.jsonl:1: expected a JSON object with 'id' and 'query'"),
    ('[1, 2]\n', r"q.jsonl:1: expected a JSON object"),
    ('{"id": 1, "query": 5}\n', r"q.jsonl:1: 'query' must be a string"),
])
def test_bad_lines_are_named(tmp_path, text, message):
    path = tmp_path / "q.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        list(read_queries(path))


def test_missing_file_says_what_it_was(tmp_path):
    with pytest.raises(UsageError, match=r"queries file not found: .*nope.jsonl"):
        list(read_queries(tmp_path / "nope.jsonl"))
