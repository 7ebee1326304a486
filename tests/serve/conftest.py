"""A real Gradio server on a free loopback port, around the session's answerer (one model load)."""
from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(answerer, config) -> Iterator[str]:
    """build_app + queue + launch exactly as `policyqa serve` does, on a free loopback port."""
    from policyqa.serve.app import build_app, launch_kwargs

    config = config.replace(port=free_port())
    app = build_app(answerer, config)
    app.queue(default_concurrency_limit=config.concurrency, max_size=config.queue_size)
    app.launch(prevent_thread_lock=True, quiet=True, **launch_kwargs(config))
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        app.close()


@pytest.fixture(scope="session")
def server(answerer, config) -> Iterator[str]:
    with running_app(answerer, config) as url:
        yield url


@pytest.fixture(scope="session")
def client(server):
    from gradio_client import Client

    return Client(server, verbose=False)
