"""A bound on request bodies, applied before Gradio parses anything.

Gradio's own `max_file_size` covers uploads only; a JSON body of any size would otherwise be read
into memory. Requests over the limit get 413 with a message saying what to send instead.
"""
from __future__ import annotations

import json

from starlette.middleware import Middleware


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """Pure ASGI middleware: rejects by Content-Length, and counts streamed bodies that have none."""

    def __init__(self, app, max_bytes: int, exempt: tuple[str, ...] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.exempt = exempt  # paths bounded by their own, larger limit (serve.uploads.UploadGate)

    @classmethod
    def middleware(cls, max_bytes: int, exempt: tuple[str, ...] = ()) -> Middleware:
        return Middleware(cls, max_bytes=max_bytes, exempt=exempt)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("path", "").rstrip("/") in self.exempt:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await self._reject(send, 400, "the Content-Length header is not a number")
                return
            if size > self.max_bytes:
                await self._reject(send, 413, self._too_large(size))
                return
        received = 0
        started = False

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracked_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if started:
                raise
            await self._reject(send, 413, self._too_large(received))

    def _too_large(self, size: int) -> str:
        return (f"request body has at least {size:,} bytes; the limit is {self.max_bytes:,}: "
                "send a shorter question (at most 2,000 characters)")

    @staticmethod
    async def _reject(send, status: int, message: str) -> None:
        body = json.dumps({"error": message}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
