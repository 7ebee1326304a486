"""Session fixtures shared by the whole suite: the real bundled corpus, the real bundled model,
an index built once in a temporary data dir. Imports stay inside fixtures so a package whose
stage is not used by a test does not need to load."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# No machine here reaches a model hub; make any accidental download fail fast.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# CI explores the same examples on every run, so a failure there reproduces locally (CI=1).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def config(tmp_path_factory):
    from policyqa.corpus.config import Config

    # The materialized model is cached across sessions (default cache dir) so it is converted once
    # per machine; everything else is built fresh for the suite.
    return Config.from_env().replace(data_dir=tmp_path_factory.mktemp("var"))


@pytest.fixture(scope="session")
def store(config):
    from policyqa.corpus.store import ingest

    return ingest(config)


@pytest.fixture(scope="session")
def encoder(config):
    from policyqa.embed.encoder import load_encoder

    return load_encoder(config)


@pytest.fixture(scope="session")
def torch_encoder(config, encoder):
    """The sentence-transformers/torch reference, whichever backend the default is."""
    from policyqa.embed.encoder import load_torch_encoder

    return encoder if encoder.backend == "torch" else load_torch_encoder(config)


@pytest.fixture(scope="session")
def onnx_encoder(config, encoder):
    """The float32 ONNX Runtime encoder (exported into the shared model cache on first use)."""
    from policyqa.embed.encoder import load_encoder

    return encoder if encoder.backend == "onnx" else load_encoder(config.replace(backend="onnx"))


@pytest.fixture(scope="session")
def built(config, store, encoder):
    """The bundled corpus ingested, embedded and indexed once; returns the BuildReport."""
    from policyqa.index.build import build

    return build(config, encoder=encoder, progress=False)


@pytest.fixture(scope="session")
def searcher(config, built, encoder):
    from policyqa.index.search import load_searcher

    return load_searcher(config, encoder=encoder)


@pytest.fixture(scope="session")
def answerer(config, searcher):
    from policyqa.serve.answer import Answerer

    return Answerer(searcher, config)


@pytest.fixture(scope="session")
def made_docs(tmp_path_factory, store):
    """The Guiding Opinions in every language as a chromium-printed PDF (running header, page-number
    footer), a python-docx .docx and a web page with navigation and footer debris, made once from the
    bundled texts (tests/corpus/docmaker.py). Returns {(doc_id, kind): path}."""
    from tests.corpus import docmaker

    reason = None
    if not Path(docmaker.CHROMIUM).exists():
        reason = f"chromium not found at {docmaker.CHROMIUM}: `apt-get install chromium` (.ci/run does)"
    elif not _has_cjk_font():
        # Without one chromium prints every Chinese character as a blank glyph: the PDF holds no text.
        reason = "no CJK font for chromium to print Chinese with: `apt-get install fonts-noto-cjk` (.ci/run does)"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return docmaker.make_all(tmp_path_factory.mktemp("made-docs"), store)


def _has_cjk_font() -> bool:
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=60)
    return bool(listed.stdout.strip())
