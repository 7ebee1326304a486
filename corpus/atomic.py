"""Atomic file and directory writes, and a build lock: a crash never leaves half-written data."""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from policyqa.corpus.errors import PolicyQAError

log = logging.getLogger(__name__)


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
    # The owner's pid is in the name so sweep_stale never deletes a live writer's staging folder.
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.staging.{os.getpid()}."))
    try:
        yield staging
        for f in staging.rglob("*"):
            if f.is_file():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
        _swap_in(staging, target)
        _fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _renameat2():
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn


_RENAMEAT2 = _renameat2()
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step (Linux renameat2); False where the system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_in(staging: Path, target: Path) -> None:
    """Put `staging` at `target` and delete the previous version.

    With an atomic exchange there is no moment without a complete `target`, for readers or after a
    SIGKILL, and two concurrent writers both succeed (the last one wins). Elsewhere two renames
    leave a tiny window that sweep_stale repairs.
    """
    for _ in range(100):
        try:
            if not target.exists():
                os.rename(staging, target)
                return
            if _exchange(staging, target):
                shutil.rmtree(staging, ignore_errors=True)  # now holds the previous version
                return
            old = target.parent / f".{target.name}.old.{os.getpid()}"
            os.rename(target, old)
            os.rename(staging, target)
            shutil.rmtree(old, ignore_errors=True)
            return
        except OSError as exc:
            # Another writer created or moved `target` between our check and our rename: retry.
            if exc.errno not in (errno.ENOENT, errno.ENOTEMPTY, errno.EEXIST):
                raise
    raise PolicyQAError(f"could not replace {target}: other writers keep changing it; try again")


def _owner_alive(path: Path) -> bool:
    m = re.search(r"\.(?:staging|old)\.(\d+)(?:\.|$)", path.name)
    if not m:
        return False
    try:
        os.kill(int(m.group(1)), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(parent: Path, name: str) -> None:
    """Remove staging folders left by a killed writer; restore `name` if a kill hit mid-swap."""
    if not parent.is_dir():
        return
    target = parent / name
    for p in parent.glob(f".{name}.old.*"):
        if not target.exists():
            os.rename(p, target)
        elif not _owner_alive(p):
            shutil.rmtree(p, ignore_errors=True)
    for p in parent.glob(f".{name}.staging.*"):
        if not _owner_alive(p):  # a live writer (another ingest or build) is still filling it
            shutil.rmtree(p, ignore_errors=True)


@contextlib.contextmanager
def exclusive_lock(path: Path, timeout: float = 600.0, poll: float = 0.5) -> Iterator[None]:
    """An advisory lock on `path`; waits up to `timeout` seconds, then fails with a clear message."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        deadline = time.monotonic() + timeout
        waiting = False
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting:  # say why nothing happens for a while
                    waiting = True
                    fh.seek(0)
                    holder = fh.read().strip() or "?"
                    log.warning("another build (pid %s) holds %s; waiting up to %.0fs for it to finish", holder, path, timeout)
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
