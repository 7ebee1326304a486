"""The ONNX Runtime encoder: the exported graph, the folder's tokenizer.json, numpy pooling.

Imports only onnxruntime, tokenizers and numpy, so a search or an answer with this backend never
loads torch, transformers or sentence-transformers (tests/embed/test_onnx_encoder.py checks it).
What sentence-transformers does around the Transformer module is reproduced from the folder's own
files: the prompt is prepended to the text, the whole prompted text is tokenized with special tokens,
a batch is padded to its longest row (rows sorted by length so batches pad little), the last hidden
state is mean-pooled over the attention mask (or the first token is taken, for CLS pooling) and
L2-normalized when the folder has a Normalize module.

Provider: always CPUExecutionProvider (ONNX Runtime would otherwise take whatever is installed).
Threads: one session per thread count, made when first needed -- queries run with
`Config.threads("query")` intra-op threads (the server runs `concurrency` requests at once),
passage batches in builds run `Config.threads("passage")` at a time, each on a single-threaded
session (shared with queries when they run single-threaded too).

Fingerprint: "onnx" (float32) reports the source model's fingerprint, because its vectors are the
torch model's within float32 rounding (cosine >= 0.9999 on every corpus text, tests/embed/
test_onnx_parity.py): an index built by one is searched by the other, and they share the embedding
cache. "onnx-int8" changes the vectors measurably, so it reports its own graph's fingerprint and
needs an index (and cache entries) of its own. "onnx-q8" encodes passages with the float32 graph
(so it reports the source fingerprint and shares the float32 index) and queries with the int8 one:
a query's vector moves a little (cosine >= 0.99), the passages it is compared with do not.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from policyqa.corpus.config import Config
from policyqa.corpus.errors import PolicyQAError
from policyqa.embed.base import Kind, ModelSpec, TextEncoder, prompts_from

PROVIDERS = ["CPUExecutionProvider"]
TOKEN_BUDGET = 512  # padded tokens per passage batch (see _batches)


class OnnxEncoder(TextEncoder):
    def __init__(self, folder: Path, spec: ModelSpec, manifest: dict, backend: str, batch_size: int = 16,
                 threads: tuple[int, int] = (1, 1), warm: Kind | None = None,
                 query_folder: Path | None = None) -> None:
        super().__init__(spec, batch_size)
        from tokenizers import Tokenizer

        self.backend = backend
        self.folder = folder
        self._graph = folder / "model.onnx"
        # Queries may run on another export of the same model (onnx-q8: the int8 graph).
        self._query_graph = (query_folder or folder) / "model.onnx"
        self._threads = threads
        self.token_budget = TOKEN_BUDGET
        self._sessions: dict[tuple[Path, int], object] = {}
        # The last passage check's tokenizations, by prompted text, for the embedding that follows
        # it: a build would otherwise tokenize every text twice. Replaced, never grown, by each
        # check; a text missing from it (another thread's check came between) is tokenized again.
        self._checked: dict[str, object] = {}
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None
        if warm is not None:
            # Reading and optimizing the graph is C++ that releases the GIL: it proceeds on another
            # core while the tokenizer, the index and the BM25 analyzer load. Not a daemon, so an
            # exit never interrupts onnxruntime mid-load.
            self._warming = threading.Thread(target=self._warm, args=(warm,), name="onnx-session")
            self._warming.start()
        self._backend = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._backend.no_truncation()
        self._backend.no_padding()
        self._pooling = manifest.get("pooling", "mean")
        self._normalize = bool(manifest.get("normalize", True))
        st = _read_json(folder / "sentence_bert_config.json")
        tok_config = _read_json(folder / "tokenizer_config.json")
        self._max_seq = int(st.get("max_seq_length") or tok_config.get("model_max_length") or 512)
        self._n_special = len(self._backend.encode("", add_special_tokens=True).ids)
        self._max_tokens = self._max_seq - self._n_special
        pad_token = tok_config.get("pad_token")
        pad_id = self._backend.token_to_id(pad_token) if isinstance(pad_token, str) else None
        self._pad_id = int(pad_id) if pad_id is not None else 0
        pooling_cfg = _read_json(folder / manifest.get("pooling_path", "1_Pooling") / "config.json")
        self._dim = int(pooling_cfg.get("word_embedding_dimension") or _read_json(folder / "config.json")["hidden_size"])

    def session(self, kind: Kind, threads: int | None = None):
        """The ONNX Runtime session for this kind of text, with `threads` intra-op threads (default:
        the configured count for the kind); made once, shared across threads (InferenceSession.run
        is thread-safe)."""
        warming = self._warming
        if warming is not None and warming is not threading.current_thread():
            warming.join()
            self._warming = None
        n = threads or (self._threads[0] if kind == "query" else self._threads[1])
        graph = self._query_graph if kind == "query" else self._graph
        with self._lock:
            sess = self._sessions.get((graph, n))
            if sess is None:
                sess = self._sessions[(graph, n)] = _session(graph, n)
            return sess

    def _warm(self, kind: Kind) -> None:
        try:
            self.session(kind)
        except Exception:  # noqa: BLE001 -- the same error is raised again, to the caller, on first use
            pass

    def _passage_token_counts(self, prompted: list[str]) -> list[int]:
        # Tokenized as the model will see them (special tokens added), and kept for _embed_block.
        known = self._checked
        todo = [t for t in dict.fromkeys(prompted) if t not in known]
        fresh = dict(zip(todo, self._backend.encode_batch(todo, add_special_tokens=True))) if todo else {}
        self._checked = {t: fresh[t] if t in fresh else known[t] for t in prompted}
        return [len(self._checked[t].ids) - self._n_special for t in prompted]

    def _embed_block(self, texts: list[str], kind: Kind) -> np.ndarray:
        prompted = [self.prompt(kind) + t for t in texts]
        known = self._checked if kind == "passage" else {}
        todo = [t for t in prompted if t not in known]
        fresh = dict(zip(todo, self._backend.encode_batch(todo, add_special_tokens=True))) if todo else {}
        encs = [known[t] if t in known else fresh[t] for t in prompted]
        lengths = np.array([min(len(e.ids), self._max_seq) for e in encs])
        order = np.argsort(-lengths, kind="stable")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        batches = _batches(order, lengths, self.batch_size, self.token_budget)
        workers = min(self._threads[1], len(batches)) if kind == "passage" else 1
        # Passage batches run side by side, one single-threaded session call per core: on a small
        # model a batch keeps one core busier than two intra-op threads keep two.
        sess = self.session(kind) if workers == 1 else self.session(kind, threads=1)

        def run(rows: np.ndarray) -> None:
            width = int(lengths[rows].max())
            ids = np.full((len(rows), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = lengths[i]
                ids[r, :n] = encs[i].ids[:n]
                mask[r, :n] = 1
            hidden = sess.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            out[rows] = self._pool(hidden, mask)

        if workers == 1:
            for rows in batches:
                run(rows)
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(workers, thread_name_prefix="onnx-passages") as pool:
                list(pool.map(run, batches))  # list(): a failed batch raises here
        return out

    def _pool(self, hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self._pooling == "cls":
            vec = hidden[:, 0, :]
        else:
            m = mask[..., None].astype(np.float32)
            vec = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        if self._normalize:  # as torch.nn.functional.normalize
            vec = vec / np.clip(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12, None)
        return vec.astype(np.float32)


def _batches(order: np.ndarray, lengths: np.ndarray, max_rows: int, budget: int) -> list[np.ndarray]:
    """Rows (longest first) cut into batches of at most `max_rows` rows and `budget` padded tokens:
    sixteen 300-token passages pad into one large attention block that is slower per token than
    four; short sentences still go sixteen at a time."""
    out, start = [], 0
    while start < len(order):
        width = int(lengths[order[start]])  # the longest row of the batch is its first
        n = max(1, min(max_rows, budget // max(1, width)))
        out.append(order[start: start + n])
        start += n
    return out


def _session(graph: Path, threads: int):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.log_severity_level = 3  # the optimizer's notes are not the user's business
    try:
        return ort.InferenceSession(str(graph), opts, providers=PROVIDERS)
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph kinds
        raise PolicyQAError(f"cannot load the ONNX graph {graph} ({type(exc).__name__}: {exc}); "
                            f"delete {graph.parent} and run `policyqa model install`") from None


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def load_onnx_encoder(config: Config, warm: Kind | None = None) -> OnnxEncoder:
    """The configured model through ONNX Runtime (`config.backend` "onnx", "onnx-int8" or "onnx-q8"),
    exporting it first if this machine has not yet. `warm`: start making that kind's session now,
    in the background, instead of on first use."""
    from policyqa.embed.source import model_fingerprint, resolve
    from policyqa.embed.onnx_export import ensure_exported

    source, model_id, manifest = resolve(config)
    source_fp = model_fingerprint(config, source, manifest)
    passages = "onnx" if config.backend == "onnx-q8" else config.backend
    folder = ensure_exported(config.model_cache_dir, source, source_fp, model_id, passages,
                             threads=config.threads("passage"))
    query_folder = None
    if config.backend == "onnx-q8":
        query_folder = ensure_exported(config.model_cache_dir, source, source_fp, model_id, "onnx-int8",
                                       threads=config.threads("passage"))
    exported = _read_json(folder / "policyqa-manifest.json")
    st = _read_json(folder / "config_sentence_transformers.json")
    query, passage = prompts_from(st.get("prompts"), model_id, config.query_prompt, config.passage_prompt)
    if config.backend == "onnx":
        fp, shown_id = source_fp, model_id
    elif config.backend == "onnx-q8":
        fp, shown_id = source_fp, f"{model_id} [ONNX, int8 queries]"
    else:
        fp, shown_id = exported["fingerprint"], f"{model_id} [ONNX int8]"
    spec = ModelSpec(shown_id, folder, fp, query, passage)
    return OnnxEncoder(folder, spec, exported, config.backend, batch_size=config.batch_size,
                       threads=(config.threads("query"), config.threads("passage")), warm=warm,
                       query_folder=query_folder)
