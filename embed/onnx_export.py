"""Export a sentence-transformers folder to ONNX graphs for the ONNX Runtime backend.

Done once per model at `policyqa model install` (or on the first load that needs it): the
Transformer module is traced with `torch.onnx.export` (TorchScript exporter, `dynamo=False`: the
dynamo exporter and optimum both fail on this model; eager attention, dynamic batch and sequence
axes, opset 17) to a graph that returns the last hidden state. Pooling and normalization stay out
of the graph and run as the folder's sentence-transformers modules say (embed.onnx_encoder).

Two variants, each its own cached folder written like the materialized torch folder (staging dir,
atomic swap, the same policyqa-manifest.json with file sizes and a fingerprint, written last):
- "onnx": float32, saved after ONNX Runtime's portable graph optimizations (fusions); the
  machine-specific ones run at load time. The weights are an external data file beside the graph.
- "onnx-int8": the exported graph with weights quantized to int8 (per channel) by
  onnxruntime.quantization's dynamic quantization (activations are quantized on the fly), then
  optimized the same way (the quantizer cannot type an already-fused graph, so it goes first).
The folder also carries the source folder's JSON files (tokenizer, prompts, pooling), so loading
it needs neither torch nor transformers nor sentence-transformers.
"""
from __future__ import annotations

import json
import logging
import shutil
import time
import warnings
from pathlib import Path

from policyqa.corpus.atomic import exclusive_lock, replace_dir, sweep_stale
from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.manifest import file_problem, load_manifest
from policyqa.embed.bundled import MANIFEST, seal_model_folder

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # bump when the exported folder layout or the export recipe changes
OPSET = 17
GRAPH = "model.onnx"
# Weights live beside the graph, not inside it: ONNX Runtime maps an external data file instead of
# parsing and copying the whole protobuf, which is most of a one-shot query's session start.
WEIGHTS = GRAPH + ".data"
VARIANTS = ("onnx", "onnx-int8")
INPUTS = ("input_ids", "attention_mask")
OUTPUT = "last_hidden_state"


def folder_for(cache: Path, source_fingerprint: str, variant: str) -> Path:
    # The format is in the name so two versions of policyqa sharing a cache never export over each other.
    return cache / "onnx" / f"{source_fingerprint.split(':')[-1][:16]}-{variant}-v{FORMAT_VERSION}"


def _complete(folder: Path, source_fingerprint: str, variant: str) -> bool:
    manifest = load_manifest(folder, MANIFEST)
    if manifest is None or (manifest.get("format_version"), manifest.get("source_fingerprint"),
                            manifest.get("variant")) != (FORMAT_VERSION, source_fingerprint, variant):
        return False
    problem = file_problem(folder, manifest)
    if problem:
        log.warning("the ONNX model cache %s is damaged (%s); exporting it again", folder, problem)
    return not problem


def check_supported(source: Path) -> dict:
    """The folder's module layout, if the ONNX backend reproduces it: Transformer, Pooling (mean or
    CLS, prompt included), optional Normalize, and a fast tokenizer (tokenizer.json)."""
    def fail(why: str) -> PolicyQAError:
        return PolicyQAError(f"the ONNX backend cannot run the model in {source}: {why}; "
                             "set POLICYQA_BACKEND=torch (or --backend torch) for this model")

    try:
        modules = json.loads((source / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise fail("it has no readable modules.json") from None
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or kinds[2:] not in ([], ["Normalize"]):
        raise fail(f"its modules are {' -> '.join(kinds)}, not Transformer -> Pooling [-> Normalize]")
    if not (source / "tokenizer.json").is_file():
        raise fail("it has no tokenizer.json (a fast tokenizer)")
    pooling_dir = source / modules[1].get("path", "")
    try:
        pooling = json.loads((pooling_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise fail("its Pooling module has no readable config.json") from None
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v]
    if modes not in (["pooling_mode_mean_tokens"], ["pooling_mode_cls_token"]):
        raise fail(f"its pooling is {modes}, not mean or CLS")
    if not pooling.get("include_prompt", True):
        raise fail("its pooling leaves the prompt out")
    return {"pooling": "mean" if modes == ["pooling_mode_mean_tokens"] else "cls",
            "normalize": kinds[2:] == ["Normalize"], "pooling_path": modules[1].get("path", "")}


def ensure_exported(cache: Path, source: Path, source_fingerprint: str, model_id: str, variant: str,
                    threads: int | None = None) -> Path:
    """The exported folder for `variant`, exporting once. Safe against concurrent callers and crashes."""
    if variant not in VARIANTS:
        raise PolicyQAError(f"unknown ONNX variant {variant!r}; choose one of {', '.join(VARIANTS)}")
    folder = folder_for(cache, source_fingerprint, variant)
    if _complete(folder, source_fingerprint, variant):
        return folder
    layout = check_supported(source)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(folder.parent / f".{folder.name}.lock"):
        if _complete(folder, source_fingerprint, variant):  # another process finished while we waited
            return folder
        sweep_stale(folder.parent, folder.name)
        log.warning("exporting %s to ONNX (%s) once; this takes a minute", model_id, variant)
        started = time.perf_counter()
        with replace_dir(folder) as staging:
            raw = staging / ".raw.onnx"
            _export(source, raw)
            if variant == "onnx-int8":  # the quantizer needs the plain graph: it cannot type fused ops
                _quantize(raw, staging / ".int8.onnx")
                raw.unlink()
                raw = staging / ".int8.onnx"
            _optimize(raw, staging / GRAPH, threads)
            raw.unlink()
            _copy_json(source, staging)
            from policyqa.embed.fingerprint import fingerprint_folder
            import onnxruntime

            fields = {
                "model_id": model_id,
                "variant": variant,
                "source": str(source),
                "source_fingerprint": source_fingerprint,
                "opset": OPSET,
                "onnxruntime": onnxruntime.__version__,
                "pooling": layout["pooling"],
                "normalize": layout["normalize"],
                "pooling_path": layout["pooling_path"],
                "fingerprint": fingerprint_folder(staging),
                "conversion_seconds": round(time.perf_counter() - started, 2),
            }
            seal_model_folder(staging, FORMAT_VERSION, fields)  # as the torch folder: sizes, written last
    return folder


def _export(source: Path, out: Path) -> None:
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    try:
        st_config = json.loads((source / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        st_config = {}
    kwargs = dict(st_config.get("model_kwargs") or {})
    hf_logging.disable_progress_bar()
    try:
        model = AutoModel.from_pretrained(str(source), attn_implementation="eager", local_files_only=True, **kwargs)
    except Exception as exc:  # transformers raises several kinds for a bad folder
        raise PolicyQAError(f"cannot load the model in {source} to export it to ONNX ({type(exc).__name__}: {exc}); "
                            "check that the folder holds a complete sentence-transformers model") from None
    finally:
        hf_logging.enable_progress_bar()
    model.eval()

    class LastHidden(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    # Two rows of different lengths, one padded: the trace sees a real mask.
    ids = torch.tensor([[0, 100, 200, 300, 2], [0, 5, 6, 2, 1]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 1, 0]], dtype=torch.long)
    axes = {"batch": 0, "sequence": 1}
    dynamic = {name: {v: k for k, v in axes.items()} for name in (*INPUTS, OUTPUT)}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TracerWarnings about shape checks folded into the trace
        torch.onnx.export(LastHidden(model), (ids, mask), str(out), input_names=list(INPUTS),
                          output_names=[OUTPUT], dynamic_axes=dynamic, opset_version=OPSET,
                          do_constant_folding=True, dynamo=False)


def _optimize(raw: Path, out: Path, threads: int | None) -> None:
    """Save the graph after ONNX Runtime's portable optimizations (constant folding, fusions);
    layout transforms that depend on this CPU are left for load time."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    opts.optimized_model_filepath = str(out)
    opts.add_session_config_entry("session.optimized_model_external_initializers_file_name", WEIGHTS)
    opts.add_session_config_entry("session.optimized_model_external_initializers_min_size_in_bytes", "1024")
    opts.log_severity_level = 3
    if threads:
        opts.intra_op_num_threads = threads
    ort.InferenceSession(str(raw), opts, providers=["CPUExecutionProvider"])
    if not (out.is_file() and (out.parent / WEIGHTS).is_file()):
        raise PolicyQAError(f"ONNX Runtime did not write the optimized graph {out} and its weights")


def _quantize(fp32: Path, out: Path) -> None:
    """int8 weights for MatMul/Gather, activations quantized per call (dynamic quantization)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.disable(logging.WARNING)  # it advises pre-processing on the root logger; the graph is optimized already
    try:
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        logging.disable(logging.NOTSET)


def _copy_json(source: Path, staging: Path) -> None:
    """Tokenizer, prompts, pooling and model configuration: everything but the weights."""
    for path in sorted(source.rglob("*.json")):
        rel = path.relative_to(source)
        if rel.name == MANIFEST or any(part.startswith(".") or part in ("onnx", "openvino") for part in rel.parts):
            continue
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, staging / rel)
