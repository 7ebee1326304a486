"""Load test of the HTTP API on loopback: N concurrent clients, a bounded number of requests,
a bounded wall time. Uses Gradio's plain HTTP protocol (POST /gradio_api/call/<api> returns an
event id; GET on it streams server-sent events until `complete` or `error`)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx
import numpy as np

from policyqa.corpus.errors import PolicyQAError
from policyqa.eval.timing import percentiles

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Request:
    api: str  # "ask" or "search"
    data: list  # positional inputs of the endpoint


@dataclass(frozen=True)
class Outcome:
    api: str
    ok: bool
    seconds: float
    error: str = ""


@dataclass(frozen=True)
class LoadReport:
    clients: int
    sent: int
    planned: int
    wall_s: float
    outcomes: tuple[Outcome, ...] = field(repr=False)

    def to_dict(self) -> dict:
        lat = np.array([o.seconds for o in self.outcomes if o.ok]) * 1000
        pct = percentiles(lat, digits=1)
        errors: dict[str, int] = {}
        for o in self.outcomes:
            if not o.ok:
                errors[o.error] = errors.get(o.error, 0) + 1
        return {
            "clients": self.clients,
            "planned": self.planned,
            "sent": self.sent,
            "ok": int(len(lat)),
            "errors": sum(errors.values()),
            "error_kinds": errors,
            "wall_s": round(self.wall_s, 2),
            "throughput_rps": round(len(lat) / self.wall_s, 2) if self.wall_s else 0.0,
            "p50_ms": pct.get("p50_ms"),
            "p95_ms": pct.get("p95_ms"),
            "p99_ms": pct.get("p99_ms"),
            "max_ms": pct.get("max_ms"),
            "over_5s": int((lat > 5000).sum()),
            "by_api": {
                api: sum(1 for o in self.outcomes if o.api == api and o.ok)
                for api in sorted({o.api for o in self.outcomes})
            },
        }


def require_loopback(base_url: str) -> None:
    """Load is only ever sent to this machine."""
    host = urlparse(base_url).hostname or ""
    if host not in LOOPBACK and not host.startswith("127."):
        raise PolicyQAError(f"load tests target loopback only, not {host!r}; use http://127.0.0.1:PORT")


def call(client: httpx.Client, base_url: str, req: Request, timeout: float) -> Outcome:
    """One request through the two-step HTTP protocol; never raises."""
    t0 = time.perf_counter()
    try:
        r = client.post(f"{base_url}/gradio_api/call/{req.api}", json={"data": req.data}, timeout=timeout)
        if r.status_code != 200:
            return Outcome(req.api, False, time.perf_counter() - t0, f"HTTP {r.status_code}")
        event_id = r.json()["event_id"]
        event = ""
        with client.stream("GET", f"{base_url}/gradio_api/call/{req.api}/{event_id}", timeout=timeout) as s:
            for line in s.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    payload = line.split(":", 1)[1].strip()
                    if event == "error":
                        return Outcome(req.api, False, time.perf_counter() - t0, "server error")
                    json.loads(payload)  # a result must be valid JSON
                    return Outcome(req.api, True, time.perf_counter() - t0)
        return Outcome(req.api, False, time.perf_counter() - t0, "stream ended without result")
    except httpx.TimeoutException:
        return Outcome(req.api, False, time.perf_counter() - t0, "timeout")
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        return Outcome(req.api, False, time.perf_counter() - t0, type(exc).__name__)


def run_load(
    base_url: str,
    requests: Sequence[Request],
    clients: int = 20,
    max_seconds: float = 300.0,
    request_timeout: float = 60.0,
) -> LoadReport:
    """Send `requests` from `clients` threads; stops starting new ones after `max_seconds`."""
    require_loopback(base_url)
    base_url = base_url.rstrip("/")
    lock = threading.Lock()
    queue = list(reversed(requests))
    outcomes: list[Outcome] = []
    t_start = time.perf_counter()
    deadline = t_start + max_seconds

    def worker() -> None:
        with httpx.Client() as client:
            while time.perf_counter() < deadline:
                with lock:
                    if not queue:
                        return
                    req = queue.pop()
                out = call(client, base_url, req, request_timeout)
                with lock:
                    outcomes.append(out)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        for f in [pool.submit(worker) for _ in range(clients)]:
            f.result()
    return LoadReport(clients, len(outcomes), len(requests), time.perf_counter() - t_start, tuple(outcomes))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, port: int, env: dict | None = None, wait_s: float = 180.0) -> subprocess.Popen:
    """`policyqa serve` in a child process on loopback; returns once it answers HTTP."""
    cmd = [sys.executable, "-m", "policyqa", "serve", "--host", "127.0.0.1", "--port", str(port),
           "--data-dir", str(data_dir)]
    # The server's log goes to a file: a pipe nobody reads fills up and blocks the server mid-request.
    log = tempfile.NamedTemporaryFile(prefix="policyqa-serve-", suffix=".log", delete=False)
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=log)
    log.close()
    proc.log_path = Path(log.name)  # type: ignore[attr-defined]
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = Path(log.name).read_text(encoding="utf-8", errors="replace")[-2000:]
            raise PolicyQAError(f"server exited with code {proc.returncode}: {tail}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise PolicyQAError(f"server did not answer on port {port} within {wait_s:.0f}s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log = getattr(proc, "log_path", None)
    if log is not None:
        log.unlink(missing_ok=True)


def endpoint_inputs(base_url: str) -> dict[str, list[dict]]:
    """Parameters of the named endpoints, from Gradio's /gradio_api/info."""
    info = httpx.get(f"{base_url.rstrip('/')}/gradio_api/info", timeout=30).json()
    return {name.lstrip("/"): spec.get("parameters", []) for name, spec in info.get("named_endpoints", {}).items()}


def _payload(params: list[dict], text: str) -> list:
    """Positional inputs: the question in the first text parameter, defaults for the rest."""
    data, placed = [], False
    for p in params:
        name = p.get("parameter_name", "")
        if not placed and (name in ("question", "query", "q", "text") or (not p.get("parameter_has_default") and p.get("python_type", {}).get("type") == "str")):
            data.append(text)
            placed = True
        elif p.get("parameter_has_default"):
            data.append(p.get("parameter_default"))
        else:
            data.append(None)
    return data


def plan(base_url: str, questions: Sequence[str], n: int, apis: Sequence[str] = ("ask", "search")) -> list[Request]:
    """n requests alternating over the endpoints, cycling through the questions (all scripts)."""
    inputs = endpoint_inputs(base_url)
    missing = [a for a in apis if a not in inputs]
    if missing:
        raise PolicyQAError(f"the server has no endpoint {', '.join(missing)}; found {', '.join(sorted(inputs))}")
    return [Request(apis[i % len(apis)], _payload(inputs[apis[i % len(apis)]], questions[i % len(questions)]))
            for i in range(n)]


def load_bench(data_dir: Path, questions: Sequence[str], n: int = 500, clients: int = 20,
               max_seconds: float = 300.0) -> dict:
    """Start `policyqa serve` on a free loopback port, drive it, stop it; the report as a dict."""
    port = free_port()
    proc = start_server(data_dir, port)
    try:
        base = f"http://127.0.0.1:{port}"
        report = run_load(base, plan(base, questions, n), clients=clients, max_seconds=max_seconds)
    finally:
        stop_server(proc)
    return report.to_dict()
