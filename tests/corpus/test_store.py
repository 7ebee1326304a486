"""The clause store on disk, user corpora, fallback, and the ingest/clauses commands."""
from __future__ import annotations

import json
import logging
import shutil

import pytest

from policyqa.corpus.config import BUNDLED_CORPUS, Config
from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.corpus.sources import detect_lang, discover, slugify
from policyqa.corpus.store import FORMAT_VERSION, ingest, load_or_ingest, load_store
from policyqa.cli import main

HANS_RAW = (BUNDLED_CORPUS / "004_3a6e1deff20bd077.txt").read_text(encoding="utf-8")
HANT_RAW = (BUNDLED_CORPUS / "003_44e5da2c4f53dc8c.txt").read_text(encoding="utf-8")


def cfg(tmp_path, corpus=BUNDLED_CORPUS):
    return Config().replace(data_dir=tmp_path / "var", corpus_dir=corpus)


def test_store_written_and_loaded(store, config):
    root = config.store_dir
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == FORMAT_VERSION and manifest["units"] == len(store.units)
    assert manifest["corpus_hash"] == store.corpus_hash
    loaded = load_store(config)
    assert loaded.units == store.units and loaded.docs == store.docs and loaded.bodies == store.bodies
    unit = loaded.get("guiding-opinions-2023/c11", "zh-Hant")
    assert unit is not None and unit.number == "(十一)"
    assert loaded.get("guiding-opinions-2023/c11", "fr") is None
    assert [u.lang for u in loaded.versions("guiding-opinions-2023/c11")] == ["en", "zh-Hant", "zh-Hans"]


def test_summary_and_describe(store):
    s = store.summary()
    assert s["per_doc"]["cm2025-2017"]["kinds"] == {"paragraph": 1, "heading": 3, "item": 15}
    assert s["per_lang"]["zh-Hant"] == s["per_lang"]["zh-Hans"] == 29
    assert s["units"] == sum(v["units"] for v in s["per_doc"].values())
    lines = store.describe()
    assert lines[0].startswith("clause store: 5 documents") and any("qiushi-2024" in l for l in lines)
    d = store.unit_dict(store.get("guiding-opinions-2023/c1", "en"))
    assert {"doc_id", "clause_id", "lang", "heading", "number", "text", "kind", "start", "end"} <= set(d)


def test_load_store_errors_say_how_to_fix(tmp_path):
    config = cfg(tmp_path)
    with pytest.raises(PolicyQAError, match="no clause store.*policyqa ingest"):
        load_store(config)
    ingest(config)
    units = config.store_dir / "units.jsonl"
    units.write_text(units.read_text(encoding="utf-8")[:500], encoding="utf-8")
    with pytest.raises(PolicyQAError, match="damaged|incomplete"):
        load_store(config)
    manifest = config.store_dir / "manifest.json"
    m = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**m, "format_version": 0}))
    with pytest.raises(PolicyQAError, match="format 0.*policyqa build --force"):
        load_store(config)
    # load_or_ingest repairs it
    assert len(load_or_ingest(config).units) == 138
    assert len(load_store(config).units) == 138


def test_failed_ingest_keeps_previous_store(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("First paragraph.\n\nSecond paragraph.", encoding="utf-8")
    config = cfg(tmp_path, corpus)
    first = ingest(config)
    (corpus / "broken.txt").write_bytes(b"\x00\x01\x02\xff" * 500)
    with pytest.raises(PolicyQAError, match="broken.txt"):
        ingest(config)
    assert load_store(config).units == first.units
    assert not [p for p in config.store_dir.parent.iterdir() if p.name.startswith(".store")]


def test_load_or_ingest_notices_corpus_change(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("One.\n\nTwo.", encoding="utf-8")
    config = cfg(tmp_path, corpus)
    assert len(load_or_ingest(config).units) == 2
    (corpus / "a.txt").write_text("One.\n\nTwo.\n\nThree.", encoding="utf-8")
    assert len(load_or_ingest(config).units) == 3


def test_unstructured_user_file_falls_back_to_paragraphs(tmp_path, caplog):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "My Notes_2024.md").write_text("Notes on a meeting.\n\nWe agreed on two points that, after a long discussion,\nboth matter.\n\nNext steps follow.", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="policyqa.corpus.store"):
        store = ingest(cfg(tmp_path, corpus))
    assert [u.clause_id for u in store.units] == ["my-notes-2024/p1", "my-notes-2024/p2", "my-notes-2024/p3"]
    assert store.units[1].text == "We agreed on two points that, after a long discussion, both matter."
    assert all(u.kind == "paragraph" and u.lang == "en" for u in store.units)
    assert any("paragraph units" in w for w in store.warnings)
    assert any("paragraph units" in r.getMessage() for r in caplog.records)
    assert store.summary()["warnings"] == list(store.warnings)


def test_user_corpus_encodings_and_language_detection(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hans.txt").write_bytes(HANS_RAW.encode("gbk"))
    (corpus / "hant.txt").write_bytes(HANT_RAW.encode("utf-16"))  # with BOM
    (corpus / "sub").mkdir()
    (corpus / "sub" / "en.md").write_bytes(b"\xef\xbb\xbf# Heading one\n\nText of one.\n\n# Heading two\n\nText of two.")
    store = ingest(cfg(tmp_path, corpus))
    langs = {d: m.lang for d, m in store.docs.items()}
    assert langs == {"hans": "zh-Hans", "hant": "zh-Hant", "sub-en": "en"}
    assert sum(1 for u in store.units if u.doc_id == "hans" and u.kind == "clause") == 18
    assert sum(1 for u in store.units if u.doc_id == "hant" and u.kind == "clause") == 18
    assert [u.clause_id for u in store.units if u.doc_id == "sub-en"] == ["sub-en/s1", "sub-en/s1/p1", "sub-en/s2", "sub-en/s2/p1"]


def test_detect_lang():
    assert detect_lang("Plain English text about policy.") == "en"
    assert detect_lang("传统制造业是我国制造业的主体，是现代化产业体系的基底。") == "zh-Hans"
    assert detect_lang("傳統製造業是我國製造業的主體,是現代化產業體系的基底。") == "zh-Hant"


def test_slugs_never_escape():
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("政策 文件(2024).TXT") == "政策-文件-2024"
    assert slugify("...") == "document"
    for s in (slugify("a/../b.md"), slugify("..\\x.txt")):
        assert "/" not in s and "\\" not in s and ".." not in s


@pytest.mark.parametrize("bad", ["../outside.txt", "/etc/passwd", "sub/../../x.txt"])
def test_manifest_paths_must_stay_inside(tmp_path, bad):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    (corpus / "manifest.json").write_text(json.dumps({"documents": [{"file": bad, "doc_id": "x"}]}), encoding="utf-8")
    with pytest.raises(PolicyQAError, match="inside the corpus folder|outside"):
        discover(corpus)


def test_manifest_problems_are_clear(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("x.", encoding="utf-8")
    (corpus / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(PolicyQAError, match="manifest.json: not valid JSON"):
        discover(corpus)
    (corpus / "manifest.json").write_text(json.dumps({"documents": [{"file": "a.txt", "lang": "fr"}]}), encoding="utf-8")
    with pytest.raises(PolicyQAError, match="lang must be one of"):
        discover(corpus)
    with pytest.raises(UsageError, match="corpus folder not found"):
        discover(tmp_path / "missing")


def test_bundled_copy_with_manifest_gives_same_ids(tmp_path, store):
    corpus = tmp_path / "copy"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    again = ingest(cfg(tmp_path, corpus))
    assert [(u.clause_id, u.lang) for u in again.units] == [(u.clause_id, u.lang) for u in store.units]


def test_cli_ingest_and_clauses(tmp_path, capsys):
    data = str(tmp_path / "var")
    assert main(["ingest", "--json", "--data-dir", data]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["units"] == 138 and summary["documents"] == 5
    assert main(["clauses", "--json", "--data-dir", data, "--doc", "guiding-opinions-zh-hant"]) == 0
    rows = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert len(rows) == 29 and {r["lang"] for r in rows} == {"zh-Hant"}
    assert {"doc_id", "clause_id", "lang", "heading", "number", "text"} <= set(rows[0])
    assert main(["clauses", "--data-dir", data, "--lang", "en", "--doc", "cm2025-2017"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 19 and out[1].startswith("cm2025-2017/s1@en\tI. Progress of Main Activities")
    assert main(["ingest", "--data-dir", data, "--corpus", str(tmp_path / "nope")]) == 2
    assert "corpus folder not found" in capsys.readouterr().err
