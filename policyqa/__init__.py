"""policyqa: semantic search and cited answers over policy documents in English, 简体 and 繁體.

    from policyqa import Engine
    engine = Engine.open(data_dir="var")
    engine.build()
    print(engine.ask("产业大脑是什么？").answer)

The stages live in subpackages that import only downward: policyqa.corpus → policyqa.embed →
policyqa.index → policyqa.serve → policyqa.eval; `policyqa.cli` sits above them all. Nothing heavy is
imported here: the names below load on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Config", "Engine", "__version__"]

if TYPE_CHECKING:
    from policyqa.corpus.config import Config
    from policyqa.serve.engine import Engine


def __getattr__(name: str) -> Any:
    if name == "Engine":
        from policyqa.serve.engine import Engine

        return Engine
    if name == "Config":
        from policyqa.corpus.config import Config

        return Config
    raise AttributeError(f"module 'policyqa' has no attribute {name!r}")
