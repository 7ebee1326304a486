"""`policyqa bench` results as Markdown: bench.md and the block the README carries."""
from __future__ import annotations

import json


def markdown(res: dict) -> str:
    m = res["machine"]
    out = [f"# Benchmarks ({res['date']})", "",
           f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, {m['os']}; Python {m['python']}, "
           f"torch {m['torch']} ({m['torch_threads']} threads), onnxruntime {m.get('onnxruntime')}, faiss {m['faiss']}, numpy {m['numpy']}, bm25s {m['bm25s']}.", ""]
    out.append(readme_section(res))
    if res.get("notes"):
        out += ["", "## Notes", ""] + [f"- {n}" for n in res["notes"]]
    return "\n".join(out) + "\n"


def _lat_row(name: str, p: dict) -> str:
    return f"| {name} | {p.get('n', 0)} | {p.get('p50_ms', '–')} | {p.get('p95_ms', '–')} | {p.get('p99_ms', '–')} |"


def readme_section(res: dict) -> str:
    """The block the README carries between <!-- bench:start --> and <!-- bench:end -->."""
    m = res["machine"]
    out = [f"`policyqa bench`, {res['date']}, on {m['cpu']} ({m['cores']} cores, {m['ram_gb']} GB RAM), "
           f"torch {m['torch']}, faiss {m['faiss']}:", ""]
    out += ["| warm latency | n | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|"]
    for mode, p in res.get("search", {}).items():
        out.append(_lat_row(f"search ({mode})", p))
    if res.get("ask"):
        out.append(_lat_row("ask (extractive)", res["ask"]))
    if res.get("embedding"):
        e = res["embedding"]
        out.append(f"| encode one query | {e['queries']} | {e['query_ms_p50']} | {e['query_ms_p95']} | – |")
    out += [""]
    rows = ["| measure | value |", "|---|---:|"]
    if res.get("build"):
        b = res["build"]
        rows += [f"| model load (s) | {res.get('model_load_s', '–')} |",
                 f"| index build, cold: ingest + embed + index (s) | {b['cold_s']} |",
                 f"| index build, warm: nothing changed (s) | {b['warm_s']} |"]
    if res.get("embedding"):
        e = res["embedding"]
        rows += [f"| embedding throughput (passages/s; {e['passages']} chunks, mean {e['passage_tokens_mean']} tokens) | {e['passages_per_s']} |",
                 f"| embedding throughput (tokens/s) | {e['tokens_per_s']} |"]
    live = res.get("live_add") or {}
    if live.get("answerable_s") is not None:
        rows += [f"| add a {live['pages']}-page PDF to a running server → answerable (s; add {live['add_s']}, "
                 f"then swap {live['swap_s']}) | {live['answerable_s']} |",
                 f"| live index: noticing a new index, per request (µs) | {live['check_us']} |"]
    elif live:
        rows.append(f"| add a PDF to a running server → answerable | {live.get('note') or live.get('skipped')} |")
    rows.append(f"| peak memory, search + ask + build (MB RSS) | {res.get('peak_rss_mb', '–')} |")
    out += rows
    if res.get("backends"):
        from policyqa.eval.bench_backends import table

        out += ["", "Encoder backends side by side (each in its own fresh process, same inputs, taking turns; "
                "search and ask are hybrid, warm; one-shot is the whole `policyqa search QUERY --json` process):",
                "", table(res["backends"])]
    scale = res.get("scale")
    if scale:
        out += ["", "Synthetic scale run (index.scale; x_flat_qps: queries/s relative to exact search):", "",
                _scale_table(scale)]
        best = res.get("scale_recommendation")
        if best:
            out += ["", f"Fastest index keeping recall@10 ≥ {best['target_recall']} at {best['vectors']} vectors: "
                    f"{best['index']} ({best['search']}), recall@10 {best['recall@10']} at {best['x_flat_qps']}× "
                    f"Flat's queries/s."]
    if res.get("load"):
        ld = res["load"]
        out += ["", f"Load test (`policyqa bench --load`): {ld['clients']} concurrent clients, {ld['sent']} of "
                f"{ld['planned']} mixed ask/search requests in English, 简体 and 繁體 over HTTP on loopback:", "",
                "| ok | errors | wall s | requests/s | p50 ms | p95 ms | p99 ms | max ms | over 5 s |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
                f"| {ld['ok']} | {ld['errors']} | {ld['wall_s']} | {ld['throughput_rps']} | {ld['p50_ms']} | "
                f"{ld['p95_ms']} | {ld['p99_ms']} | {ld['max_ms']} | {ld['over_5s']} |"]
    return "\n".join(out)


def _scale_table(scale) -> str:
    rows = scale if isinstance(scale, list) else scale.get("rows") or scale.get("results") or []
    if not rows or not isinstance(rows[0], dict):
        return "```json\n" + json.dumps(scale, indent=1) + "\n```"
    keys = list(rows[0])
    return "\n".join(["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
                     + ["| " + " | ".join(str(r.get(k, "")) for k in keys) + " |" for r in rows])
