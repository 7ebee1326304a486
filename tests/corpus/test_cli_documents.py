"""`policyqa add/docs/remove` as a user runs them: JSON out, exit codes, one line of error, no traceback.
Bad files fail before the model loads, so these run without it."""
from __future__ import annotations

import json
import shutil

from policyqa.cli import main
from policyqa.corpus.config import BUNDLED_CORPUS


def _args(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    shutil.copy(BUNDLED_CORPUS / "002_b9e9ab654130a510.txt", corpus / "cm2025.txt")
    return ["--corpus", str(corpus), "--data-dir", str(tmp_path / "var")]


def test_docs_json(tmp_path, capsys):
    assert main(["docs", "--json", *_args(tmp_path)]) == 0
    [doc] = json.loads(capsys.readouterr().out)
    assert doc["doc_id"] == "cm2025" and doc["kind"] == "txt" and doc["origin"] == "corpus" and doc["units"] > 10
    assert set(doc) >= {"doc_id", "title", "lang", "kind", "units", "added_at"}


def test_add_a_bad_file_exits_1_with_the_file_named(tmp_path, capsys):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")  # a header and nothing readable
    assert main(["add", str(bad), *_args(tmp_path)]) == 1
    err = capsys.readouterr().err  # progress lines, then the error
    assert err.splitlines()[-1].startswith("policyqa add: error: scan.pdf: is not a readable PDF")
    assert "Traceback" not in err
    assert not (tmp_path / "var" / "documents").exists() and not (tmp_path / "var" / "index").exists()


def test_add_a_missing_file_and_remove_a_corpus_document_exit_2(tmp_path, capsys):
    assert main(["add", str(tmp_path / "nope.pdf"), *_args(tmp_path)]) == 2
    assert "nope.pdf: not found" in capsys.readouterr().err
    assert main(["remove", "cm2025", *_args(tmp_path)]) == 2
    assert "belongs to the corpus folder" in capsys.readouterr().err
    assert main(["remove", "ghost", *_args(tmp_path)]) == 2
    assert "no added document 'ghost'" in capsys.readouterr().err
