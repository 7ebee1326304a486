"""Gradio's upload route over real HTTP: refused when uploads are off, bounded (per file, per request,
file count) when on, with nothing left behind by a refused upload and nothing written outside the
data dir. Plus who gets uploads by default."""
from __future__ import annotations

import httpx
import pytest

from policyqa.corpus.limits import FileLimits
from policyqa.serve.uploads import upload_dir, uploads_enabled
from tests.serve.conftest import running_app

UPLOAD = "/gradio_api/upload"


def _files(*items: tuple[str, bytes]) -> list:
    return [("files", (name, data, "text/plain")) for name, data in items]


def _raw_post(url: str, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    """A request whose declared length is a lie (no HTTP client library sends one)."""
    import socket
    from urllib.parse import urlparse

    u = urlparse(url)
    head = f"POST {path} HTTP/1.1\r\nHost: {u.netloc}\r\nConnection: close\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    with socket.create_connection((u.hostname, u.port), timeout=30) as sock:
        sock.sendall(head.encode() + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


def _stored(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("host,auth,flag,expected", [
    ("127.0.0.1", None, None, True),
    ("localhost", None, None, True),
    ("0.0.0.0", None, None, False),
    ("0.0.0.0", ("reader", "pw"), None, True),
    ("127.0.0.1", None, False, False),
    ("0.0.0.0", None, True, True),
])
def test_uploads_default_on_loopback_or_with_auth(config, host, auth, flag, expected):
    assert uploads_enabled(config.replace(host=host, auth=auth, uploads=flag)) is expected


def test_the_flag_comes_from_the_environment_and_is_checked(monkeypatch):
    from policyqa.corpus.config import Config
    from policyqa.corpus.errors import UsageError

    monkeypatch.setenv("POLICYQA_UPLOADS", "0")
    assert Config.from_env().uploads is False
    monkeypatch.setenv("POLICYQA_UPLOADS", "on")
    assert Config.from_env().uploads is True
    monkeypatch.setenv("POLICYQA_UPLOADS", "maybe")
    with pytest.raises(UsageError, match="POLICYQA_UPLOADS"):
        Config.from_env()


def test_upload_route_refuses_when_uploads_are_off(answerer, config, tmp_path, monkeypatch):
    cfg = config.replace(uploads=False, data_dir=config.data_dir)
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    with running_app(answerer, cfg) as url, httpx.Client(timeout=60) as http:
        r = http.post(url + UPLOAD, files=_files(("notice.txt", b"hello")))
        assert r.status_code == 403
        assert "uploads are turned off" in r.json()["error"] and "policyqa add" in r.json()["error"]
        # Any multipart body, on any route: the app has no other component that takes files.
        r = http.post(url + "/gradio_api/component_server", files=_files(("x.txt", b"x")))
        assert r.status_code == 403
        # The page says why there is no upload box, and questions are still answered.
        assert "uploads are turned off" in http.get(url + "/config").text
        r = http.post(url + "/gradio_api/call/ask", json={"data": ["产业大脑是什么？", "hybrid", "", 5]})
        assert r.status_code == 200
    assert _stored(tmp_path / "gradio") == []


def test_upload_route_is_bounded_when_uploads_are_on(answerer, config, tmp_path, monkeypatch):
    limits = FileLimits(max_file_bytes=10_000, max_add_bytes=25_000, max_files=3)
    cfg = config.replace(uploads=True, limits=limits, data_dir=tmp_path / "var")
    root = upload_dir(cfg)
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(root))  # what `policyqa serve` sets
    with running_app(answerer, cfg) as url, httpx.Client(timeout=60) as http:
        ok = http.post(url + UPLOAD, files=_files(("notice.txt", b"a small notice")))
        assert ok.status_code == 200, ok.text
        (path,) = ok.json()
        assert path.startswith(str(root)) and path.endswith("notice.txt")
        kept = _stored(root)
        # One file over the per-file limit: Gradio refuses it and removes its partial copy.
        r = http.post(url + UPLOAD, files=_files(("big.txt", b"x" * 12_000)))
        assert r.status_code == 413 and "10000" in r.text
        # Too many files in one request.
        r = http.post(url + UPLOAD, files=_files(*[(f"f{i}.txt", b"x") for i in range(4)]))
        assert r.status_code == 413 and "at most 3 files" in r.json()["error"]
        # Files each within the limit but too much together.
        r = http.post(url + UPLOAD, files=_files(*[(f"g{i}.txt", b"y" * 9_000) for i in range(3)]))
        assert r.status_code == 413 and "25,000" in r.json()["error"]
        # A declared length over the limit is refused before a byte is read.
        status, body = _raw_post(url, UPLOAD, b"--b\r\n", {"Content-Type": "multipart/form-data; boundary=b",
                                                           "Content-Length": "99999999"})
        assert status == 413 and b"25,000" in body
        # A file name that tries to leave the folder stays inside it.
        r = http.post(url + UPLOAD, files=_files(("../../escape.txt", b"z")))
        assert r.status_code == 200 and r.json()[0].startswith(str(root)) and "escape.txt" in r.json()[0]
        # Other requests keep their own, smaller body limit.
        r = http.post(url + "/gradio_api/call/ask", json={"data": ["x" * 2_000_000]})
        assert r.status_code == 413
        stored = _stored(root)
        assert all(p.resolve().is_relative_to(root) for p in stored)
        assert len(stored) == len(kept) + 1  # the two accepted files; the refused ones left nothing behind
        assert not list(tmp_path.rglob("escape.txt")) or all(p.is_relative_to(root) for p in tmp_path.rglob("escape.txt"))
    # Uploads nobody added are deleted at shutdown (and after an hour while running).
    assert _stored(root) == []
