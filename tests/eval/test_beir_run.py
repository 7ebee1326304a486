"""`policyqa eval --beir`: the fixture in BEIR format through every retriever, report and TREC files."""
from __future__ import annotations

from pathlib import Path

import pytest
from ranx import Qrels, Run, evaluate

from policyqa.eval.beir import load_beir
from policyqa.eval.beir_run import dataset_store, evaluate_beir
from policyqa.eval.report_files import write_report
from policyqa.eval.run import RETRIEVERS
from policyqa.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "beir-mini"


def test_dataset_becomes_a_store_with_one_unit_per_document():
    ds = load_beir(FIXTURE)
    store = dataset_store(ds)
    assert [u.clause_id for u in store.units] == [d.id for d in ds.docs]
    langs = {u.clause_id: u.lang for u in store.units}
    assert langs["d01"] == "en" and langs["d10"] == "zh-Hans" and langs["d13"] == "zh-Hant"
    body = store.bodies["beir-beir-mini"]
    assert all(body[u.start:u.end] == u.text for u in store.units)


@pytest.mark.slow
def test_beir_fixture_round_trip(config, encoder, tmp_path):
    res, qrels, ranked = evaluate_beir(config, FIXTURE, RETRIEVERS, encoder=encoder)
    assert [r.name for r in res.retrievers] == list(RETRIEVERS)
    assert res.dataset == "beir:beir-mini" and res.judged == 10
    corpus_ids = {f"d{i:02d}" for i in range(1, 17)}
    for name, lists in ranked.items():
        assert set(lists) == set(qrels)
        assert all(set(docs) <= corpus_ids and len(docs) == len(set(docs)) for docs in lists.values()), name
    # Ten unambiguous queries over sixteen documents on different topics, in EN/简/繁:
    # a working pipeline ranks nearly all of them first; a broken one (ids shifted, wrong language fold) does not.
    hybrid = res.get("hybrid").groups["all"]
    assert hybrid["recall@10"] == 1.0 and hybrid["mrr@10"] >= 0.8
    files = write_report(res, tmp_path, qrels, ranked)
    assert {"report.md", "metrics.json", "recall_at_k.png", "qrels.trec", "run.hybrid.trec", "run.naive.trec"} <= set(files)
    # the TREC files score in ranx exactly as the in-memory result
    saved = Run.from_file(str(tmp_path / "run.dense.trec"), kind="trec")
    q = Qrels.from_file(str(tmp_path / "qrels.trec"), kind="trec")
    assert evaluate(q, saved, "mrr@10") == pytest.approx(res.get("dense").groups["all"]["mrr@10"])
    assert "beir:beir-mini" in (tmp_path / "report.md").read_text()


def test_cli_rejects_unknown_retriever_and_missing_dataset(tmp_path, capsys):
    assert main(["eval", "--retrievers", "bm25", "splade", "--data-dir", str(tmp_path)]) == 2
    assert "unknown retriever splade" in capsys.readouterr().err
    assert main(["eval", "--beir", str(tmp_path / "nope"), "--data-dir", str(tmp_path)]) == 2
    assert "BEIR dataset folder not found" in capsys.readouterr().err


def test_cli_readme_flag_checks_markers_before_running(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n")
    assert main(["eval", "--readme", str(readme), "--data-dir", str(tmp_path)]) == 2
    assert "<!-- eval:start -->" in capsys.readouterr().err
    assert main(["eval", "--beir", str(FIXTURE), "--readme", str(readme), "--data-dir", str(tmp_path)]) == 2
    assert "leave it out with --beir" in capsys.readouterr().err
