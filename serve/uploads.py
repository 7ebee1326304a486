"""Who may upload, where uploads land, and the gate in front of Gradio's upload route.

Gradio accepts multipart uploads at POST /gradio_api/upload whether or not the page has an upload
component, and writes them to its temp folder. `UploadGate` decides before Gradio reads a byte:
uploads off → 403 with the reason and the fix; uploads on → the whole body is spooled (inside the
data dir), counted and sized, and only a body within the limits reaches Gradio (which then applies
its per-file `max_file_size` and removes its temp files on error). Multipart bodies for any other
route are refused: the app has no other component that takes files.
"""
from __future__ import annotations

import json
import logging
import re
import tempfile
from pathlib import Path

from starlette.middleware import Middleware

from policyqa.corpus.config import Config

log = logging.getLogger(__name__)

UPLOAD_PATH = "/gradio_api/upload"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
_CHUNK = 1 << 16


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def uploads_enabled(config: Config) -> bool:
    """`config.uploads` when set (--uploads/--no-uploads, POLICYQA_UPLOADS); otherwise on when only this
    machine can reach the server (loopback) or a password guards it, and off otherwise."""
    if config.uploads is not None:
        return bool(config.uploads)
    return is_loopback(config.host) or config.auth is not None


def uploads_off_reason(config: Config) -> str:
    if config.uploads is False:
        return "uploads are turned off on this server (--no-uploads or POLICYQA_UPLOADS=0)"
    return (f"uploads are off because the server listens on {config.host}, reachable from other machines, "
            "without a password: set POLICYQA_AUTH_USER and POLICYQA_AUTH_PASSWORD, or start it with --uploads")


def upload_dir(config: Config) -> Path:
    """Where Gradio keeps uploaded files before they are added (its GRADIO_TEMP_DIR): inside the data dir."""
    return (config.data_dir / "uploads").resolve()


class UploadGate:
    """Pure ASGI middleware in front of every multipart request."""

    def __init__(self, app, *, enabled: bool, reason: str, max_bytes: int, max_files: int, spool_dir: Path) -> None:
        self.app = app
        self.enabled = enabled
        self.reason = reason
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.spool_dir = spool_dir

    @classmethod
    def middleware(cls, config: Config, *, max_bytes: int, max_files: int) -> Middleware:
        return Middleware(cls, enabled=uploads_enabled(config), reason=uploads_off_reason(config),
                          max_bytes=max_bytes, max_files=max_files, spool_dir=upload_dir(config))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        ctype = headers.get(b"content-type", b"").lower()
        path = scope.get("path", "").rstrip("/")
        if not (ctype.startswith(b"multipart/") or path == UPLOAD_PATH):
            await self.app(scope, receive, send)
            return
        if not self.enabled:
            await _reject(send, 403, f"{self.reason}; or add files on the server with `policyqa add FILE`")
            return
        if path != UPLOAD_PATH or scope.get("method") != "POST":
            await _reject(send, 403, f"files are accepted only by POST {UPLOAD_PATH}")
            return
        boundary = _boundary(headers.get(b"content-type", b""))
        if boundary is None:
            await _reject(send, 400, "an upload must be multipart/form-data with a boundary")
            return
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _reject(send, 413, self._too_large(int(declared)))
            return
        await self._spool_then_pass(scope, receive, send, boundary)

    async def _spool_then_pass(self, scope, receive, send, boundary: bytes) -> None:
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        delimiter = b"--" + boundary
        with tempfile.TemporaryFile(dir=self.spool_dir, prefix=".incoming.") as spool:
            size, parts, tail = 0, 0, b""
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body = message.get("body", b"")
                size += len(body)
                if size > self.max_bytes:
                    await _reject(send, 413, self._too_large(size))
                    return
                # A delimiter may straddle two chunks: search the end of the previous one too.
                window = tail + body
                parts += window.count(delimiter) - tail.count(delimiter)
                tail = window[-(len(delimiter) - 1):] if len(delimiter) > 1 else b""
                if parts - 1 > self.max_files:  # the closing delimiter ends the last part
                    await _reject(send, 413, f"an upload holds at most {self.max_files} files; send fewer at a time")
                    return
                spool.write(body)
                if not message.get("more_body", False):
                    break
            spool.seek(0)
            done = False

            async def replay():
                nonlocal done
                if done:  # the body was delivered: what comes next is the client's disconnect
                    return await receive()
                chunk = spool.read(_CHUNK)
                done = spool.tell() >= size
                return {"type": "http.request", "body": chunk, "more_body": not done}

            await self.app(scope, replay, send)

    def _too_large(self, size: int) -> str:
        return (f"the upload has at least {size:,} bytes; the limit is {self.max_bytes:,} bytes for all files of "
                "one upload together: send fewer or smaller files")


def _boundary(ctype: bytes) -> bytes | None:
    m = re.search(rb'boundary="?([^";,\s]{1,200})"?', ctype, re.IGNORECASE)
    return m.group(1) if m else None


async def _reject(send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
