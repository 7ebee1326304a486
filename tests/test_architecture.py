"""The import graph of the installed package: arrows only point down the stages, no module circles,
no private helper used across modules, nothing loaded at import time."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Folder → installed package, in stage order: a package may import only itself and lower ones.
STAGES = {"corpus": "policyqa.corpus", "embed": "policyqa.embed", "index": "policyqa.index",
          "serve": "policyqa.serve", "eval": "policyqa.eval"}
LEVEL = {pkg: i for i, pkg in enumerate(STAGES.values())}
TOP = len(LEVEL)  # policyqa/ itself (the CLI and the lazy `Engine`) sits above every stage


def _modules() -> dict[str, Path]:
    out = {}
    for folder, pkg in {**STAGES, "policyqa": "policyqa"}.items():
        for path in sorted((ROOT / folder).glob("*.py")):
            name = pkg if path.stem == "__init__" else f"{pkg}.{path.stem}"
            out[name] = path
    return out


MODULES = _modules()


def _imports(path: Path, module: str) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import, also inside functions."""
    package = module if path.stem == "__init__" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names = [a.name for a in node.names]
            # `from policyqa.serve import render` imports the module policyqa.serve.render
            subs = [f"{base}.{n}" for n in names if f"{base}.{n}" in MODULES]
            found += [(s, [], node.lineno) for s in subs] or [(base, names, node.lineno)]
    return [(m, names, line) for m, names, line in found if m == "policyqa" or m.startswith("policyqa.")]


def _level(module: str) -> int:
    for pkg, lvl in LEVEL.items():
        if module == pkg or module.startswith(pkg + "."):
            return lvl
    return TOP


def test_every_stage_folder_is_found():
    assert {m.rsplit(".", 1)[0] for m in MODULES if m.count(".") == 2} == set(STAGES.values())
    assert "policyqa.cli" in MODULES and "policyqa.serve.engine" in MODULES


def test_imports_only_point_down_the_stages():
    upward = [f"{mod} (line {line}) imports {target}"
              for mod, path in MODULES.items() for target, _, line in _imports(path, mod)
              if _level(target) > _level(mod)]
    assert not upward, "imports that run back up the stages:\n" + "\n".join(upward)


def test_no_stage_imports_the_cli():
    bad = [f"{mod} imports {t}" for mod, path in MODULES.items() for t, _, _ in _imports(path, mod)
           if t in ("policyqa.cli", "policyqa.__main__") and mod != "policyqa.__main__"]
    assert not bad, bad


def test_no_module_circles():
    graph = {mod: {t for t, _, _ in _imports(path, mod) if t in MODULES and t != mod} for mod, path in MODULES.items()}
    # A circle exists iff some module reaches itself.
    circles = []
    for start in graph:
        seen, stack = set(), list(graph[start])
        while stack:
            node = stack.pop()
            if node == start:
                circles.append(start)
                break
            if node not in seen:
                seen.add(node)
                stack.extend(graph[node])
    assert not circles, f"modules on an import circle: {sorted(circles)}"


def test_no_private_helper_crosses_modules():
    bad = [f"{mod} takes {name} from {target}" for mod, path in MODULES.items()
           for target, names, _ in _imports(path, mod) for name in names
           if name.startswith("_") and not name.startswith("__") and target != mod]
    assert not bad, bad


def test_importing_the_package_loads_nothing_heavy():
    code = ("import sys, policyqa, policyqa.cli, policyqa.corpus.config; "
            "heavy = [m for m in ('torch', 'sentence_transformers', 'faiss', 'gradio', 'numpy') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"imported at import time: {out.stdout.strip()}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "policyqa.__main__"))  # __main__ runs the CLI
def test_every_module_imports_cleanly(module):
    # Each module alone, in a fresh interpreter: an import circle or a missing name fails here.
    out = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True,
                         timeout=120, cwd=ROOT.parent)
    assert out.returncode == 0, out.stderr[-2000:]
