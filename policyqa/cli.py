"""Thin CLI: parse, call the library, print (JSON where asked). Errors become exit codes only here.

It sits above every stage (no stage imports it). Library entry points each command calls (heavy
imports stay inside the handlers, so `policyqa --help` is instant and nothing loads at import time):
  ingest   policyqa.corpus.store.ingest(config) -> ClauseStore
  clauses  policyqa.corpus.store.load_or_ingest(config) -> ClauseStore
  model    policyqa.embed.model.install(config) -> Path ; .info(config) -> dict
  build    Engine.build(force=...) -> BuildReport (has .to_dict(), .summary())
  search   Engine.search(...) -> SearchResult
  ask      Engine.ask(...) -> Answer
  serve    policyqa.serve.app.serve(config)
  eval     policyqa.eval.run.main_eval(config, args) -> dict
  bench    policyqa.eval.bench.main_bench(config, args) -> dict
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from policyqa.corpus.config import SEARCH_MODES, TOP_K_MAX, Config, check_top_k
from policyqa.corpus.errors import PolicyQAError, UsageError
from policyqa.corpus.jsonl import read_jsonl
from policyqa.corpus.types import LANGS



def _print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _top_k(value: str) -> int:
    try:
        return check_top_k(int(value))
    except (ValueError, UsageError):
        raise argparse.ArgumentTypeError(f"--top-k must be a whole number from 1 to {TOP_K_MAX}, got {value!r}") from None


def read_queries(path: Path) -> Iterator[tuple[str, str]]:
    """Lines of {"id", "query"}; a bad line is a UsageError naming the line."""
    for n, obj in read_jsonl(path, "queries file"):
        try:
            qid, query = str(obj["id"]), obj["query"]  # type: ignore[index]
        except (KeyError, TypeError) as exc:
            raise UsageError(f"{path}:{n}: expected a JSON object with 'id' and 'query' ({exc})") from None
        if not isinstance(query, str):
            raise UsageError(f"{path}:{n}: 'query' must be a string")
        yield qid, query


def _config(args: argparse.Namespace) -> Config:
    return Config.from_env(
        data_dir=getattr(args, "data_dir", None),
        corpus_dir=getattr(args, "corpus", None),
        model=getattr(args, "model", None),
    )


# ---------------------------------------------------------------- handlers
def cmd_ingest(args: argparse.Namespace, config: Config) -> int:
    from policyqa.corpus.store import ingest

    store = ingest(config)
    summary = store.summary()
    if args.json:
        _print_json(summary)
    else:
        for line in store.describe():
            print(line)
    return 0


def cmd_clauses(args: argparse.Namespace, config: Config) -> int:
    from policyqa.corpus.store import load_or_ingest

    store = load_or_ingest(config)
    for unit in store.units:
        if args.doc and unit.doc_id != args.doc:
            continue
        if args.lang and unit.lang != args.lang:
            continue
        if args.json:
            _print_json(store.unit_dict(unit))
        else:
            print(f"{unit.clause_id}@{unit.lang}\t{' > '.join(unit.heading)}\t{unit.text[:80]}")
    return 0


def cmd_model(args: argparse.Namespace, config: Config) -> int:
    from policyqa.embed import model

    if args.action == "install":
        path = model.install(config)
        _print_json({"path": str(path)}) if args.json else print(path)
    else:
        info = model.info(config)
        if args.json:
            _print_json(info)
        else:
            for k, v in info.items():
                print(f"{k}: {v}")
    return 0


def cmd_build(args: argparse.Namespace, config: Config) -> int:
    from policyqa.serve.engine import Engine

    report = Engine(config).build(force=args.force, progress=not args.json)
    _print_json(report.to_dict()) if args.json else print(report.summary())
    return 0


def _search_config(args: argparse.Namespace, config: Config) -> Config:
    return config.replace(top_k=args.top_k, mode=args.mode)


def cmd_search(args: argparse.Namespace, config: Config) -> int:
    from policyqa.serve.engine import Engine

    engine = Engine(config)
    engine.searcher  # load now: a missing or damaged index fails once, not on every query line
    kwargs = dict(top_k=args.top_k, mode=args.mode, lang=args.lang, doc=args.doc)
    if args.queries:
        for qid, query in read_queries(Path(args.queries)):
            try:
                out = engine.search(query, **kwargs).to_dict()
            except PolicyQAError as exc:
                out = {"query": query, "error": str(exc)}
            _print_json({"id": qid, **out})
        return 0
    if args.query is None:
        raise UsageError("query is empty: give a QUERY or --queries FILE.jsonl")
    result = engine.search(args.query, **kwargs)
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.json:
        _print_json(result.to_dict())
    else:
        for hit in result.hits:
            print(f"{hit.rank:>3}  {hit.score:.4f}  {hit.citation}\n     {hit.chunk.text[:160]}")
    return 0


def cmd_ask(args: argparse.Namespace, config: Config) -> int:
    from policyqa.serve.engine import Engine

    # Input mistakes are reported before the model and index take seconds to load.
    queries = list(read_queries(Path(args.queries))) if args.queries else None
    if queries is None and (args.question is None or not args.question.strip()):
        raise UsageError("question is empty: give a QUESTION or --queries FILE.jsonl")
    engine = Engine(config)
    engine.answerer  # load now: a missing or damaged index fails once, not on every question
    kwargs = dict(top_k=args.top_k, mode=args.mode, lang=args.lang, doc=args.doc)
    if queries is not None:
        for qid, query in queries:
            try:
                out = engine.ask(query, **kwargs).to_dict()
            except PolicyQAError as exc:
                out = {"question": query, "error": str(exc)}
            _print_json({"id": qid, **out})
        return 0
    answer = engine.ask(args.question, **kwargs)
    if args.json:
        _print_json(answer.to_dict())
    else:
        print(answer.to_text())
    return 0


def cmd_serve(args: argparse.Namespace, config: Config) -> int:
    from policyqa.serve.app import serve

    serve(config.replace(host=args.host, port=args.port))
    return 0


def cmd_eval(args: argparse.Namespace, config: Config) -> int:
    from policyqa.eval.run import main_eval

    out = main_eval(config, args)
    if args.json:
        _print_json(out)
    return 0


def cmd_bench(args: argparse.Namespace, config: Config) -> int:
    from policyqa.eval.bench import main_bench

    out = main_bench(config, args)
    if args.json:
        _print_json(out)
    return 0


# ---------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help="where built artifacts live (env POLICYQA_DATA_DIR, default ./var)")
    common.add_argument("--corpus", type=Path, help="folder of documents (env POLICYQA_CORPUS_DIR, default: bundled)")
    common.add_argument("--model", help="sentence-transformers model name or folder (env POLICYQA_MODEL, default: bundled)")
    common.add_argument("--json", action="store_true", help="print JSON")
    common.add_argument("-v", "--verbose", action="store_true")

    p = argparse.ArgumentParser(prog="policyqa", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", parents=[common], help="clean and structure the corpus into the clause store")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("clauses", parents=[common], help="print every unit of the clause store")
    s.add_argument("--doc")
    s.add_argument("--lang", choices=LANGS)
    s.set_defaults(func=cmd_clauses)

    s = sub.add_parser("model", parents=[common], help="install or describe the embedding model")
    s.add_argument("action", choices=("install", "info"))
    s.set_defaults(func=cmd_model)

    s = sub.add_parser("build", parents=[common], help="ingest, embed and index (only what changed)")
    s.add_argument("--force", action="store_true", help="rebuild everything, recovering from damaged artifacts")
    s.set_defaults(func=cmd_build)

    def retrieval_args(s: argparse.ArgumentParser, what: str) -> None:
        s.add_argument(what, nargs="?")
        s.add_argument("--queries", help="JSONL file of {\"id\", \"query\"} lines")
        s.add_argument("--top-k", type=_top_k, default=10)
        s.add_argument("--mode", choices=SEARCH_MODES, default="hybrid")
        s.add_argument("--lang", choices=LANGS, help="only this language")
        s.add_argument("--doc", help="only this document (doc_id)")

    s = sub.add_parser("search", parents=[common], help="ranked clauses for a query")
    retrieval_args(s, "query")
    s.set_defaults(func=cmd_search)

    s = sub.add_parser("ask", parents=[common], help="an answer with clause citations")
    retrieval_args(s, "question")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("serve", parents=[common], help="serve the Gradio app and HTTP API")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=7860)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("eval", parents=[common], help="retrieval evaluation with a report")
    s.add_argument("--retrievers", nargs="+", default=None, help="bm25 dense hybrid naive")
    s.add_argument("--out", type=Path, default=None)
    s.add_argument("--beir", type=Path, default=None, help="a dataset folder in BEIR format")
    s.add_argument("--readme", type=Path, default=None, help="rewrite the table between <!-- eval:start/end --> in this README")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("bench", parents=[common], help="latency, throughput, memory and scale benchmarks")
    s.add_argument("--load", action="store_true", help="load-test the HTTP server on loopback")
    s.add_argument("--scale", nargs="*", type=int, default=None, help="synthetic corpus sizes, e.g. 100000 1000000 (0: skip)")
    s.add_argument("--out", type=Path, default=None)
    s.add_argument("--readme", type=Path, default=None, help="rewrite the tables between <!-- bench:start/end --> in this README")
    s.set_defaults(func=cmd_bench)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return args.func(args, _config(args))
    except UsageError as exc:
        print(f"policyqa {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except PolicyQAError as exc:
        print(f"policyqa {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a path that is not a folder, a read-only or full disk: no traceback
        print(f"policyqa {args.command}: error: {exc}; check the path and that it is a writable folder",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
