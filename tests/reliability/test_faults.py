"""Faults around the built index: a build killed with SIGKILL at any moment, damaged or truncated
index files, and two builds at once. The previous index stays loadable, damage is a clear message
that says to run `policyqa build --force`, and that command recovers.

Destructive tests work on a copy of the session's built data dir (shutil.copytree), so the rest of
the suite keeps its index. Builds run as real `python -m policyqa build` processes."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policyqa.corpus.errors import PolicyQAError

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ("强化重点行业本质安全", "How should enterprises renovate toxic production environments?", "數字化轉型")
STALE = re.compile(r"\.(staging|old)\.")


def cli_env(config) -> dict[str, str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "POLICYQA_CACHE_DIR": str(config.cache_dir)}
    env.pop("POLICYQA_CORPUS_DIR", None)
    return env


def start_build(config, *args: str, stderr=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "policyqa", "build", "--json", "--data-dir", str(config.data_dir), *args],
        cwd=ROOT, env=cli_env(config), stdout=subprocess.PIPE, stderr=stderr, text=True,
    )


def run_cli(config, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "policyqa", *args, "--data-dir", str(config.data_dir)],
                          cwd=ROOT, env=cli_env(config), capture_output=True, text=True, timeout=timeout)


def answers(config, encoder) -> list[list[tuple[str, str, str]]]:
    from policyqa.index.search import load_searcher

    searcher = load_searcher(config, encoder=encoder)
    return [[(h.unit.clause_id, h.unit.lang, h.chunk.text) for h in searcher.search(q, top_k=5).hits] for q in QUERIES]


def stale_entries(data_dir: Path) -> list[str]:
    return sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if STALE.search(p.name))


@pytest.fixture
def copy(config, built, tmp_path):
    """A private copy of the built data dir and the answers the index gives before any damage."""
    target = tmp_path / "var"
    shutil.copytree(config.data_dir, target)
    return config.replace(data_dir=target)


@pytest.fixture
def baseline(copy, encoder):
    return answers(copy, encoder)


# ------------------------------------------------------------------ SIGKILL mid-build


def _kill_when(proc: subprocess.Popen, data_dir: Path, trigger, timeout: float = 240) -> str:
    """SIGKILL the build when `trigger()` is true; returns what was happening (or that it finished)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return "finished before the kill"
        what = trigger()
        if what:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            return what
        time.sleep(0.002)
    proc.kill()
    proc.wait()
    raise AssertionError(f"build neither reached the kill point nor finished in {timeout}s")


def after(seconds: float):
    t0 = time.monotonic()
    return lambda: f"after {seconds}s" if time.monotonic() - t0 >= seconds else ""


def staging_of(data_dir: Path, name: str):
    """True once a writer has a staging folder for `name` (store, index, an embedding cache shard)."""
    def check() -> str:
        for parent in (data_dir, data_dir / "embeddings"):
            if parent.is_dir() and any(p.name.startswith(f".{name}") and ".staging." in p.name for p in parent.iterdir()):
                return f"while writing {name}"
        return ""
    return check


def test_sigkill_mid_build_keeps_previous_index(copy, baseline, encoder):
    data_dir = copy.data_dir
    cache = data_dir / "embeddings"
    shard = next(p.name for p in cache.iterdir() if p.is_dir() and not p.name.startswith("."))
    kills = []
    # Fixed delays land in start-up, ingest, model load or embedding; the staging triggers land
    # inside the atomic writes themselves, the moment a torn write would do damage.
    plans = [(after(0.5), True), (after(3), True), (after(7), False), (staging_of(data_dir, "store"), True),
             (staging_of(data_dir, shard[:8]), False), (staging_of(data_dir, "index"), True)]
    for trigger, keep_cache in plans:
        if not keep_cache:  # make this build embed for real, so the kill can land mid-embedding
            shutil.rmtree(cache, ignore_errors=True)
        proc = start_build(copy, "--force")
        what = _kill_when(proc, data_dir, trigger)
        kills.append(what)
        # The previous index (same corpus and model, so the same answers) is still there and whole.
        assert answers(copy, encoder) == baseline, f"index broken by a kill {what}"
    print("\nkills:", kills)
    assert sum(k != "finished before the kill" for k in kills) >= 5, kills
    # The next build completes, cleans up what the killed ones left, and the index still answers.
    r = run_cli(copy, "build")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert stale_entries(data_dir) == []
    assert answers(copy, encoder) == baseline


# ------------------------------------------------------------------ damaged index files


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flip":
        i = len(data) // 2
        path.write_bytes(data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1 :])
    elif how == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()


def index_files(config) -> list[str]:
    manifest = json.loads((config.index_dir / "manifest.json").read_text(encoding="utf-8"))
    return sorted(manifest["files"])


@pytest.mark.parametrize("how", ["truncate", "flip", "empty", "delete"])
def test_damaged_index_file_is_detected_and_rebuilt(copy, baseline, encoder, how):
    from policyqa.index.build import build
    from policyqa.index.search import load_searcher

    files = index_files(copy)
    assert {"chunks.jsonl", "vectors.faiss"} <= set(files) and any(f.startswith("bm25/") for f in files)
    for name in files:  # each file on its own: detected, and named
        path = copy.index_dir / name
        good = path.read_bytes()
        damage(path, how)
        with pytest.raises(PolicyQAError, match=r"policyqa build --force") as err:
            load_searcher(copy, encoder=encoder)
        assert name.split("/")[-1] in str(err.value)
        path.write_bytes(good)
    for name in files:  # then all at once, and the rebuild recovers
        damage(copy.index_dir / name, how)
    report = build(copy, force=True, encoder=encoder, progress=False)
    assert not report.up_to_date and report.embedded == 0  # vectors come from the embedding cache
    assert answers(copy, encoder) == baseline


@pytest.mark.parametrize("content", [b"", b"{not json", b"[1, 2]", b'{"format_version": 1}', b"\xff\xfe\x00garbage",
                                     b"null"])
def test_damaged_index_manifest(copy, baseline, encoder, content):
    from policyqa.index.build import build
    from policyqa.index.search import load_searcher

    manifest = copy.index_dir / "manifest.json"
    good = json.loads(manifest.read_text(encoding="utf-8"))
    for text in (content, json.dumps({k: v for k, v in good.items() if k != "files"}).encode()):
        manifest.write_bytes(text)
        with pytest.raises(PolicyQAError, match=r"policyqa build"):
            load_searcher(copy, encoder=encoder)
        # Without --force too: a build notices the index is not usable and rebuilds it.
        assert not build(copy, encoder=encoder, progress=False).up_to_date
        assert answers(copy, encoder) == baseline


def test_index_from_another_model_or_corpus_is_refused(copy, encoder):
    from policyqa.index.search import load_searcher

    manifest_path = copy.index_dir / "manifest.json"
    good = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps({**good, "model_fingerprint": "sha256:" + "0" * 32}), encoding="utf-8")
    with pytest.raises(PolicyQAError, match=r"policyqa build --force"):
        load_searcher(copy, encoder=encoder)
    manifest_path.write_text(json.dumps({**good, "corpus_hash": "0" * 64}), encoding="utf-8")
    with pytest.raises(PolicyQAError, match=r"policyqa build"):
        load_searcher(copy, encoder=encoder)


def test_cli_on_damaged_index_exits_1_without_traceback(copy):
    damage(copy.index_dir / "vectors.faiss", "truncate")
    r = run_cli(copy, "search", "制造业", "--json")
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "vectors.faiss" in r.stderr and "policyqa build --force" in r.stderr
    shutil.rmtree(copy.index_dir)
    r = run_cli(copy, "search", "制造业")
    assert r.returncode == 1 and "Traceback" not in r.stderr and "policyqa build" in r.stderr


# ------------------------------------------------------------------ two builds at once


def test_two_builds_at_once_take_turns(copy, baseline, encoder, tmp_path):
    """Both builds finish; every staging folder seen while they run belongs to the lock holder."""
    from policyqa.corpus.atomic import exclusive_lock

    lock = copy.data_dir / ".build.lock"
    logs = [tmp_path / f"build{i}.err" for i in range(2)]
    # The test holds the lock until both builds say they wait for it, so they must queue however
    # fast this machine builds (a warm-cache build can end before a second process has started).
    with exclusive_lock(lock, timeout=5):
        files = [open(log, "w") for log in logs]
        procs = [start_build(copy, "--force", stderr=f) for f in files]
        deadline = time.monotonic() + 120
        while not all("another build" in log.read_text() for log in logs) and time.monotonic() < deadline:
            assert all(p.poll() is None for p in procs), [log.read_text() for log in logs]
            time.sleep(0.05)
    pids = {p.pid for p in procs}
    seen: list[tuple[int, set[int]]] = []  # (owner pid of a staging folder, lock holders around the look)
    deadline = time.monotonic() + 300
    while any(p.poll() is None for p in procs) and time.monotonic() < deadline:
        before = lock.read_text().strip() if lock.exists() else ""
        owners = set()
        for parent in (copy.data_dir, copy.data_dir / "embeddings"):
            for p in (parent.iterdir() if parent.is_dir() else ()):
                if m := re.search(r"\.staging\.(\d+)\.", p.name):
                    owners.add(int(m.group(1)))
        after_ = lock.read_text().strip() if lock.exists() else ""
        holders = {int(x) for x in (before, after_) if x.isdigit()}
        seen += [(o, holders) for o in owners if o in pids]
        time.sleep(0.005)
    outs = [(p.communicate(timeout=60)[0], log.read_text()) for p, log in zip(procs, logs)]
    for f in files:
        f.close()
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    assert all("waiting" in err and "another build" in err for _, err in outs)  # each says why it waits
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outs]
    assert all(not r["up_to_date"] for r in reports)  # --force: both really built, one after the other
    assert seen, "no write was observed; the check would prove nothing"
    assert all(owner in holders for owner, holders in seen), seen
    assert answers(copy, encoder) == baseline
    assert stale_entries(copy.data_dir) == []
