"""A clause store that is damaged, truncated or from an older format is detected with a message that
says how to fix it; commands that can repair it (`clauses`, `ingest`, `build`) do, with a warning, and
nothing reaches the user as a traceback."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyqa.corpus.config import BUNDLED_CORPUS, Config
from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.store import FORMAT_VERSION, ingest, load_or_ingest, load_store

ROOT = Path(__file__).resolve().parents[2]
FIX = r"policyqa ingest.*policyqa build --force"
FILES = ("manifest.json", "units.jsonl", "docs.json")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A store of the bundled corpus, written once; tests damage copies of it."""
    config = Config(data_dir=tmp_path_factory.mktemp("pristine"), corpus_dir=BUNDLED_CORPUS)
    return config, ingest(config)


@pytest.fixture
def copy(pristine, tmp_path):
    config, store = pristine
    shutil.copytree(config.data_dir, tmp_path / "var")
    return config.replace(data_dir=tmp_path / "var"), store


def cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("POLICYQA_CORPUS_DIR", None)
    return subprocess.run([sys.executable, "-m", "policyqa", *args, "--data-dir", str(data_dir)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


# Each damage: (name, how to apply it to the store folder, what load_store must say).
def _format(root: Path, version) -> None:
    m = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    (root / "manifest.json").write_text(json.dumps({**m, "format_version": version}), encoding="utf-8")


def _truncate(name: str, keep: float):
    def apply(root: Path) -> None:
        data = (root / name).read_bytes()
        (root / name).write_bytes(data[: int(len(data) * keep)])
    return apply


DAMAGE = {
    "older format": (lambda r: _format(r, 0), r"has format 0, this version reads"),
    "newer format": (lambda r: _format(r, FORMAT_VERSION + 1), r"has format \d+, this version reads"),
    "no format": (lambda r: (r / "manifest.json").write_text('{"units": 3}', encoding="utf-8"), "has format None"),
    "units cut mid-line": (_truncate("units.jsonl", 0.5), "damaged|incomplete"),
    "units cut at a line": (lambda r: (r / "units.jsonl").write_text(
        "".join((r / "units.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)[:40]), encoding="utf-8"),
        r"incomplete \(40 of \d+ units\)"),
    "units empty": (_truncate("units.jsonl", 0), r"incomplete \(0 of"),
    "units missing": (lambda r: (r / "units.jsonl").unlink(), "damaged"),
    "docs cut": (_truncate("docs.json", 0.3), "damaged"),
    "docs missing": (lambda r: (r / "docs.json").unlink(), "damaged"),
    "manifest cut": (_truncate("manifest.json", 0.5), "damaged"),
    "manifest binary": (lambda r: (r / "manifest.json").write_bytes(os.urandom(64) + b"\xff\xfe"), "damaged"),
    "manifest a list": (lambda r: (r / "manifest.json").write_text("[1, 2]", encoding="utf-8"), "damaged"),
    "docs a list": (lambda r: (r / "docs.json").write_text("[]", encoding="utf-8"), "damaged"),
    "unit a list": (lambda r: (r / "units.jsonl").write_text("[]\n" * 138, encoding="utf-8"), "damaged"),
    "manifest missing": (lambda r: (r / "manifest.json").unlink(), "no clause store"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_load_store_detects_damage(copy, damage):
    config, _ = copy
    apply, message = DAMAGE[damage]
    apply(config.store_dir)
    with pytest.raises(PolicyQAError, match=message) as err:
        load_store(config)
    assert str(config.store_dir) in str(err.value)
    assert "policyqa ingest" in str(err.value)


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_load_or_ingest_repairs(copy, damage):
    config, store = copy
    DAMAGE[damage][0](config.store_dir)
    assert load_or_ingest(config).units == store.units
    assert load_store(config).units == store.units


@pytest.mark.parametrize("damage", ["older format", "units cut mid-line", "manifest a list", "docs missing"])
def test_cli_clauses_repairs_with_a_warning(copy, damage):
    config, store = copy
    DAMAGE[damage][0](config.store_dir)
    r = cli("clauses", "--json", data_dir=config.data_dir)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "clause store" in r.stderr and "ingesting again" in r.stderr  # the user is told what was found
    assert len(r.stdout.splitlines()) == len(store.units)
    assert load_store(config).units == store.units


@pytest.mark.parametrize("damage", ["older format", "units cut mid-line", "manifest binary"])
def test_cli_reader_refuses_damaged_store(copy, damage):
    # A command that only reads (search needs the store next to the index) exits 1 with the fix.
    config, _ = copy
    DAMAGE[damage][0](config.store_dir)
    # No index either: the store check must not be hidden behind a crash elsewhere.
    r = cli("search", "制造业", data_dir=config.data_dir)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "policyqa build" in r.stderr


@pytest.mark.parametrize("command", ["ingest", "clauses", "build"])
def test_cli_data_dir_that_is_a_file(tmp_path, command):
    bogus = tmp_path / "not-a-dir"
    bogus.write_text("x")
    r = cli(command, data_dir=bogus)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert str(bogus) in r.stderr


@settings(max_examples=int(os.environ.get("POLICYQA_HYPOTHESIS_EXAMPLES", "100")), deadline=None)
@given(name=st.sampled_from(FILES), where=st.floats(0, 1), edit=st.sampled_from(["truncate", "flip", "insert"]),
       byte=st.integers(0, 255))
def test_any_damage_is_a_clear_error_or_the_same_store(pristine, tmp_path_factory, name, where, edit, byte):
    config, store = pristine
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(config.store_dir, root / "store")
    path = root / "store" / name
    data = bytearray(path.read_bytes())
    i = min(int(where * len(data)), len(data) - 1)
    if edit == "truncate":
        del data[i:]
    elif edit == "flip":
        data[i] = byte
    else:
        data[i:i] = bytes([byte])
    path.write_bytes(bytes(data))
    try:
        loaded = load_store(config.replace(data_dir=root))
    except PolicyQAError as exc:
        assert "policyqa ingest" in str(exc)
        return
    # A change that leaves valid content (a flipped letter in a text) cannot be told from an edit, but
    # a truncation that loads must have lost nothing (only a trailing newline or whitespace).
    if edit == "truncate":
        assert loaded.units == store.units and loaded.docs == store.docs
