"""Nothing read from disk is executed: no pickle, eval/exec, unsafe YAML or torch.load in the
project's code, and every np.load says allow_pickle=False. An AST scan, so a new call fails here."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("corpus", "embed", "index", "serve", "eval")
FORBIDDEN_CALLS = {"eval", "exec", "pickle.load", "pickle.loads", "torch.load", "yaml.load", "marshal.loads",
                   "dill.load", "joblib.load", "shelve.open"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return ""


def scan(source: str) -> list[str]:
    problems = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            if any(n.split(".")[0] in ("pickle", "dill", "marshal", "shelve") for n in names):
                problems.append(f"line {node.lineno}: imports {', '.join(names)}")
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in FORBIDDEN_CALLS:
                problems.append(f"line {node.lineno}: calls {name}")
            if name.endswith(("np.load", "numpy.load")) or name.endswith(".load") and "allow_pickle" in [k.arg for k in node.keywords]:
                safe = any(k.arg == "allow_pickle" and isinstance(k.value, ast.Constant) and k.value.value is False
                           for k in node.keywords)
                if not safe:
                    problems.append(f"line {node.lineno}: {name} without allow_pickle=False")
    return problems


def test_the_scanner_finds_what_it_looks_for():
    bad = "import pickle\nx = eval('1')\nimport numpy as np\nnp.load('a.npy')\nnp.load('b', allow_pickle=True)\n"
    assert len(scan(bad)) == 4
    assert scan("import numpy as np\nnp.load('a.npy', allow_pickle=False)\nmodel.eval()\n") == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_code_path_executes_data_from_disk(package):
    problems = {str(p.relative_to(ROOT)): found for p in sorted((ROOT / package).rglob("*.py"))
                if (found := scan(p.read_text(encoding="utf-8")))}
    assert problems == {}
