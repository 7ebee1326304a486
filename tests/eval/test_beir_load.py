"""Reading datasets in BEIR format, and the messages for broken ones."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policyqa.corpus.errors import UsageError
from policyqa.eval.beir import load_beir

FIXTURE = Path(__file__).parent / "fixtures" / "beir-mini"


def test_fixture_loads():
    ds = load_beir(FIXTURE)
    assert ds.name == "beir-mini" and ds.split == "test"
    assert len(ds.docs) == 16
    assert ds.docs[8].id == "d09" and ds.docs[8].title == "长城"
    # the unjudged query is not evaluated; every judged query has its text
    assert "q-unjudged" not in ds.queries and len(ds.queries) == len(ds.qrels) == 10
    assert ds.qrels["q6"] == {"d13": 1}


def test_missing_parts_are_named(tmp_path):
    with pytest.raises(UsageError, match="not found"):
        load_beir(tmp_path / "nope")
    with pytest.raises(UsageError, match="corpus.jsonl is missing"):
        load_beir(tmp_path)
    shutil.copytree(FIXTURE, tmp_path / "ds")
    shutil.rmtree(tmp_path / "ds" / "qrels")
    with pytest.raises(UsageError, match="qrels/test.tsv"):
        load_beir(tmp_path / "ds")


def test_qrels_pointing_outside_the_corpus_is_an_error(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "ds")
    with (tmp_path / "ds" / "qrels" / "test.tsv").open("a") as fh:
        fh.write("q1\td99\t1\n")
    with pytest.raises(UsageError, match="d99"):
        load_beir(tmp_path / "ds")
