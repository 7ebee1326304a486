"""Where the configured model's files are, and their fingerprint: shared by every encoder backend.
Never touches the network."""
from __future__ import annotations

from pathlib import Path

from policyqa.corpus.config import BUNDLED_MODEL, Config
from policyqa.corpus.errors import PolicyQAError, UsageError


def resolve(config: Config) -> tuple[Path, str, dict | None]:
    """(model folder, model id, bundled manifest or None); never touches the network."""
    if config.model == BUNDLED_MODEL:
        from policyqa.embed.bundled import materialize, read_manifest

        folder = materialize(config.model_cache_dir)
        return folder, BUNDLED_MODEL, read_manifest(folder)
    local = Path(config.model).expanduser()
    if local.is_dir():
        return local.resolve(), str(local.resolve()), None
    if local.exists() or config.model.startswith((".", "/", "~")):
        raise UsageError(f"model folder not found: {config.model} (set --model to a folder or a model name)")
    try:
        from huggingface_hub import snapshot_download

        path = snapshot_download(config.model, local_files_only=True)
    except Exception as exc:  # the hub library raises several kinds for "not cached"
        raise PolicyQAError(
            f"model {config.model!r} is not in the local Hugging Face cache and no model hub is reachable "
            f"({type(exc).__name__}); download it on a connected machine (`hf download {config.model}`), "
            "point --model / POLICYQA_MODEL at a local folder, or use the bundled model"
        ) from None
    return Path(path), config.model, None


def model_fingerprint(config: Config, folder: Path, manifest: dict | None) -> str:
    """The fingerprint of the model's files (the bundled manifest records it at conversion)."""
    if manifest is not None and manifest.get("fingerprint"):
        return manifest["fingerprint"]
    from policyqa.embed.fingerprint import fingerprint_folder

    return fingerprint_folder(folder, memo=config.model_cache_dir / "fingerprints.json")
