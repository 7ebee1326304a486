"""Atomic file and directory writes, and a build lock: a crash never leaves half-written data."""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from corpus.errors import PolicyQAError


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def replace_dir(target: Path) -> Iterator[Path]:
    """Yield a fresh staging folder; on success it atomically takes the place of `target`.

    The previous folder stays complete until the final rename, so a crash (even SIGKILL) at any
    point leaves either the old or the new version, never a mix.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.staging."))
    try:
        yield staging
        for f in staging.rglob("*"):
            if f.is_file():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
        old = target.parent / f".{target.name}.old.{os.getpid()}"
        if target.exists():
            os.rename(target, old)
        os.rename(staging, target)
        _fsync_dir(target.parent)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def sweep_stale(parent: Path, name: str) -> None:
    """Remove staging folders left by a killed writer; restore `name` if a kill hit mid-swap."""
    if not parent.is_dir():
        return
    target = parent / name
    for p in parent.glob(f".{name}.old.*"):
        if not target.exists():
            os.rename(p, target)
        else:
            shutil.rmtree(p, ignore_errors=True)
    for p in parent.glob(f".{name}.staging.*"):
        shutil.rmtree(p, ignore_errors=True)


@contextlib.contextmanager
def exclusive_lock(path: Path, timeout: float = 600.0, poll: float = 0.5) -> Iterator[None]:
    """An advisory lock on `path`; waits up to `timeout` seconds, then fails with a clear message."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise PolicyQAError(
                        f"another build holds {path} (waited {timeout:.0f}s); "
                        "wait for it to finish, or stop it and run again"
                    ) from None
                time.sleep(poll)
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()))
            fh.flush()
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
