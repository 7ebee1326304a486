import multiprocessing
import time

import pytest

from policyqa.corpus.atomic import exclusive_lock, replace_dir, sweep_stale, write_text
from policyqa.corpus.errors import PolicyQAError


def test_write_text_replaces_whole_file(tmp_path):
    p = tmp_path / "a" / "f.txt"
    write_text(p, "one")
    write_text(p, "two")
    assert p.read_text() == "two"
    assert [x.name for x in p.parent.iterdir()] == ["f.txt"]


def test_replace_dir_failure_keeps_previous_version(tmp_path):
    target = tmp_path / "index"
    with replace_dir(target) as d:
        (d / "x").write_text("v1")
    with pytest.raises(RuntimeError):
        with replace_dir(target) as d:
            (d / "x").write_text("half")
            raise RuntimeError("crash mid-build")
    assert (target / "x").read_text() == "v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]


def test_sweep_restores_target_lost_mid_swap(tmp_path):
    # A kill between the two renames leaves only the ".old" copy: it must come back.
    (tmp_path / ".index.old.123").mkdir()
    (tmp_path / ".index.old.123" / "x").write_text("v1")
    (tmp_path / ".index.staging.abc").mkdir()
    sweep_stale(tmp_path, "index")
    assert (tmp_path / "index" / "x").read_text() == "v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]


def _hold(path, seconds):
    with exclusive_lock(path):
        time.sleep(seconds)


def test_second_lock_holder_fails_clearly(tmp_path):
    lock = tmp_path / ".build.lock"
    proc = multiprocessing.get_context("spawn").Process(target=_hold, args=(lock, 4))
    proc.start()
    try:
        # Wait until the child really holds the lock (it writes its pid once it does).
        deadline = time.monotonic() + 60
        while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.05)
        with pytest.raises(PolicyQAError, match="another build"):
            with exclusive_lock(lock, timeout=0.5, poll=0.1):
                pass
    finally:
        proc.join()
    with exclusive_lock(lock, timeout=1):
        pass
