"""The installed package: a wheel that holds only `policyqa/…`, which works from outside the
repository, and the README's Python example run as written."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build_dir = tmp_path_factory.mktemp("build")
    # No build isolation: the venv's setuptools builds it, with no index access needed.
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                        "-w", str(out), "-q"], capture_output=True, text=True, timeout=600,
                       env={**os.environ, "TMPDIR": str(build_dir)})
    assert r.returncode == 0, r.stderr[-3000:]
    (path,) = out.glob("policyqa-*.whl")
    return path


def test_wheel_holds_only_the_policyqa_namespace(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/", 1)[0] for n in names}
    dist_info = {t for t in tops if t.endswith(".dist-info")}
    assert tops - dist_info == {"policyqa"}, sorted(tops)
    for stage in ("corpus", "embed", "index", "serve", "eval"):
        assert f"policyqa/{stage}/__init__.py" in names
    # data files travel with their stage
    assert "policyqa/corpus/data/manifest.json" in names
    assert sum(n.startswith("policyqa/corpus/data/") and n.endswith(".txt") for n in names) == 5
    assert "policyqa/eval/data/questions.jsonl" in names
    assert not any(n.startswith("policyqa/tests") or "/tests/" in n for n in names)
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "policyqa = policyqa.cli:main" in entry_points


def test_installed_package_works_outside_the_repository(wheel, tmp_path, built, config):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = f"""
import importlib, sys
for generic in ("corpus", "embed", "index", "serve", "eval"):
    try:
        importlib.import_module(generic)
    except ImportError:
        pass
    else:
        sys.exit(f"generic top-level module {{generic}} is importable")
import policyqa, policyqa.corpus.config as cfg
from policyqa import Engine
assert policyqa.__file__.startswith({str(site)!r}), policyqa.__file__
assert str(cfg.BUNDLED_CORPUS).startswith({str(site)!r}), cfg.BUNDLED_CORPUS
engine = Engine.open(data_dir={str(config.data_dir)!r})
hits = engine.search("工信部联规〔2023〕258号", top_k=3, mode="bm25").hits
print(hits[0].unit.doc_id)
"""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    r = subprocess.run([sys.executable, "-c", code], cwd=outside, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip().startswith("guiding-opinions-"), r.stdout


def test_readme_python_example_runs_as_written(tmp_path, built, config):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- python-example:start -->\s*```python\n(.*?)```\s*<!-- python-example:end -->", readme, re.S)
    assert block, "README lost its Python example"
    # As written: data_dir="var" relative to where it runs; there, var is the suite's built data dir.
    (tmp_path / "var").symlink_to(config.data_dir, target_is_directory=True)
    r = subprocess.run([sys.executable, "-c", block.group(1)], cwd=tmp_path, capture_output=True, text=True,
                       timeout=300, env={**os.environ, "POLICYQA_DATA_DIR": ""})
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stdout.splitlines()
    assert lines[0].startswith("1 guiding-opinions-2023/"), lines[:3]
    assert any(line.startswith("[1] guiding-opinions-2023/c16") for line in lines), r.stdout
