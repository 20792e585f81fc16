"""Split-zip encoders from PyPI (annotate.classifier.packaged): join, unzip, sha256 check,
atomic placement; and the real all-mpnet-base-v2 parts where they are installed."""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from annotate.classifier.encoder import resolve_encoder_ref
from annotate.classifier.packaged import (
    MPNET,
    SplitZipEncoder,
    assemble,
    encoder_dir,
    resolve,
    sha256_file,
)
from annotate.errors import ModelError

WEIGHTS = bytes(range(256)) * 400  # ~100 kB of "weights"
SHA = hashlib.sha256(WEIGHTS).hexdigest()


def _split_zip(tmp: Path, pieces: int = 3) -> list[Path]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("enc/model.safetensors", WEIGHTS)
        zf.writestr("enc/config.json", '{"hidden_size": 8}')
        zf.writestr("enc/1_Pooling/config.json", "{}")
        zf.writestr("other/ignored.txt", "not part of the folder")
    data = buf.getvalue()
    step = len(data) // pieces + 1
    out = []
    for i in range(pieces):
        p = tmp / f"enc.zip.{i + 1:03d}"
        p.write_bytes(data[i * step : (i + 1) * step])
        out.append(p)
    return out


@pytest.fixture
def parts(tmp_path: Path) -> list[Path]:
    """A fake encoder zip split into 3 pieces, in order."""
    return _split_zip(tmp_path)


@pytest.fixture
def spec_without_parts() -> SplitZipEncoder:
    """An encoder whose (one) part is not installed."""
    return SplitZipEncoder(
        ref="pkg:x",
        parts=("annotate-test-no-such-part-001",),
        version="0.0.1",
        zip_name="x.zip",
        folder="x",
        weights="model.safetensors",
        sha256="ab" * 32,
    )


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_assemble_joins_in_order_checks_the_hash_and_places_the_folder(tmp_path, parts):
    dest = tmp_path / "models" / "enc-1234"
    got = assemble(parts, dest, folder="enc", weights="model.safetensors", sha256=SHA)
    assert got == dest
    assert (dest / "model.safetensors").read_bytes() == WEIGHTS
    assert (dest / "1_Pooling" / "config.json").is_file()
    assert not (dest / "other").exists() and not (dest.parent / "other").exists()
    assert sha256_file(dest / "model.safetensors") == SHA
    assert _leftovers(dest.parent) == []  # the temporary work folder is gone


def test_assemble_refuses_a_wrong_hash_and_places_nothing(tmp_path, parts):
    dest = tmp_path / "models" / "enc"
    with pytest.raises(ModelError, match="sha256") as err:
        assemble(parts, dest, folder="enc", weights="model.safetensors", sha256="0" * 64)
    assert "make mpnet" in str(err.value)
    assert not dest.exists() and _leftovers(dest.parent) == []


def test_assemble_refuses_pieces_out_of_order(tmp_path, parts):
    dest = tmp_path / "models" / "enc"
    with pytest.raises(ModelError):
        assemble(parts[::-1], dest, folder="enc", weights="model.safetensors", sha256=SHA)
    assert not dest.exists()


def test_assemble_refuses_a_zip_without_the_weights(tmp_path, parts):
    with pytest.raises(ModelError, match=r"holds no weights\.bin"):
        assemble(parts, tmp_path / "d", folder="enc", weights="weights.bin", sha256="0" * 64)


def test_missing_parts_give_one_clear_error_naming_the_fix(tmp_path, spec_without_parts):
    with pytest.raises(ModelError) as err:
        resolve(spec_without_parts, root=tmp_path)
    msg = str(err.value)
    assert "annotate-test-no-such-part-001 is not installed" in msg
    assert "make mpnet" in msg and "--no-deps" in msg and "\n" not in msg


def test_an_unpacked_folder_is_used_without_the_parts(tmp_path, spec_without_parts):
    dest = encoder_dir(spec_without_parts, tmp_path)
    dest.mkdir(parents=True)
    (dest / "model.safetensors").write_bytes(b"w")
    assert resolve(spec_without_parts, root=tmp_path) == dest


def test_other_refs_are_unchanged_and_unknown_pkg_refs_fail(tmp_path):
    assert resolve_encoder_ref(str(tmp_path)) == str(tmp_path)
    assert resolve_encoder_ref("sentence-transformers/all-MiniLM-L6-v2") == (
        "sentence-transformers/all-MiniLM-L6-v2"
    )
    with pytest.raises(ModelError, match="pkg:all-mpnet-base-v2"):
        resolve_encoder_ref("pkg:no-such-encoder")


def _mpnet_installed() -> bool:
    try:
        return all(importlib.metadata.version(p) == MPNET.version for p in MPNET.parts)
    except importlib.metadata.PackageNotFoundError:
        return False


@pytest.mark.slow  # loads a 440 MB encoder
@pytest.mark.skipif(
    not _mpnet_installed(), reason="all-mpnet-base-v2 parts not installed (make mpnet)"
)
def test_real_mpnet_parts_resolve_to_the_checked_encoder():
    from annotate.classifier.encoder import Encoder

    path = Path(resolve_encoder_ref(MPNET.ref))
    assert sha256_file(path / MPNET.weights) == MPNET.sha256
    enc = Encoder(MPNET.ref, precision="fp32", max_length=64)
    assert enc.dim == 768
    e = enc.encode(
        [
            "The police arrested a man after the attack on the mosque.",
            "Officers detained a suspect following the assault on the mosque.",
            "My cat likes to sleep on the warm windowsill.",
        ]
    ).embeddings
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-4)
    assert e[0] @ e[1] > e[0] @ e[2] + 0.3


def test_the_identity_of_an_encoder_neither_unpacked_nor_installed_is_an_error(
    tmp_path, spec_without_parts, monkeypatch
):
    """`annotate verify models/mpnet` before `make mpnet` said "encoder ... match" (the
    pinned digest, read from the code), then prelabel failed: the identity of a split-zip
    encoder is now an error where loading it would be one, so verify says "not found"."""
    from annotate.classifier import packaged
    from annotate.classifier.encoder_identity import encoder_identity

    monkeypatch.setitem(packaged.SPLIT_ZIP_ENCODERS, spec_without_parts.ref, spec_without_parts)
    monkeypatch.setattr(packaged, "encoders_dir", lambda: tmp_path)
    with pytest.raises(ModelError, match="make mpnet"):
        encoder_identity(spec_without_parts.ref)
    dest = encoder_dir(spec_without_parts, tmp_path)  # unpacked before: no parts needed
    dest.mkdir(parents=True)
    (dest / "model.safetensors").write_bytes(b"w")
    assert encoder_identity(spec_without_parts.ref).weights_sha256 == "ab" * 32


# ---- every file of the folder pinned, not the weights alone (stop 48 new-user F17) ----
TOKENIZER = '{"model": {"vocab": {"[UNK]": 0, "hello": 1}}}'
CONFIG = '{"hidden_size": 8}'


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


FILES = (("tokenizer.json", _sha(TOKENIZER)), ("config.json", _sha(CONFIG)))


def _pinned_zip(tmp: Path, tokenizer: str = TOKENIZER, extra: str | None = None) -> list[Path]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("enc/model.safetensors", WEIGHTS)
        zf.writestr("enc/tokenizer.json", tokenizer)
        zf.writestr("enc/config.json", CONFIG)
        if extra:
            zf.writestr(f"enc/{extra}", "{}")
    piece = tmp / "enc.zip.001"
    piece.write_bytes(buf.getvalue())
    return [piece]


def test_assemble_checks_every_pinned_file_beside_the_weights(tmp_path):
    dest = tmp_path / "models" / "enc"
    got = assemble(
        _pinned_zip(tmp_path),
        dest,
        folder="enc",
        weights="model.safetensors",
        sha256=SHA,
        files=FILES,
    )
    assert (got / "tokenizer.json").read_text() == TOKENIZER


@pytest.mark.parametrize(
    ("tokenizer", "extra", "said"),
    [
        (TOKENIZER.replace("hello", "hallo"), None, "tokenizer.json has sha256 "),
        (TOKENIZER, "added_tokens.json", "added_tokens.json is not one of its files"),
    ],
)
def test_assemble_refuses_a_tampered_or_added_tokenizer_file(tmp_path, tokenizer, extra, said):
    dest = tmp_path / "models" / "enc"
    with pytest.raises(ModelError) as err:
        assemble(
            _pinned_zip(tmp_path, tokenizer, extra),
            dest,
            folder="enc",
            weights="model.safetensors",
            sha256=SHA,
            files=FILES,
        )
    msg = str(err.value)
    assert "the zip of enc is not the pinned one: " + said in msg
    if extra is None:
        assert f"expected {FILES[0][1][:12]}…" in msg
    assert "--force-reinstall --no-deps" in msg and "\n" not in msg
    assert not dest.exists() and _leftovers(dest.parent) == []


def _spec(files=FILES) -> SplitZipEncoder:
    return SplitZipEncoder(
        ref="pkg:enc",
        parts=("annotate-test-no-such-part-001",),
        version="0.0.1",
        zip_name="enc.zip",
        folder="enc",
        weights="model.safetensors",
        sha256=SHA,
        files=files,
    )


def test_a_tampered_tokenizer_in_an_unpacked_folder_is_refused_at_load(tmp_path):
    """The folder was trusted once its weights existed: a tokenizer.json edited after
    `make mpnet` loaded as the pinned encoder's."""
    spec = _spec()
    dest = encoder_dir(spec, tmp_path)
    assemble(
        _pinned_zip(tmp_path), dest, folder="enc", weights=spec.weights, sha256=SHA, files=FILES
    )
    assert resolve(spec, root=tmp_path) == dest  # as pinned: used
    (dest / "tokenizer.json").write_text(TOKENIZER.replace("hello", "hallo"))
    with pytest.raises(ModelError) as err:
        resolve(spec, root=tmp_path)
    msg = str(err.value)
    assert f"the unpacked encoder {dest} is not the pinned pkg:enc: tokenizer.json has" in msg
    assert f"Fix: remove {dest} and run make mpnet" in msg
    (dest / "tokenizer.json").unlink()
    with pytest.raises(ModelError, match=r"tokenizer\.json is missing"):
        resolve(spec, root=tmp_path)


def test_verify_hashes_every_file_of_an_unpacked_split_zip_encoder(tmp_path, monkeypatch):
    """`annotate verify MODEL --strict` said "encoder match" from the pinned digest while
    the unpacked folder's tokenizer had been changed."""
    from annotate.audit.model_verify import DIFFERS, MATCH, _check_encoder
    from annotate.classifier import packaged

    spec = _spec()
    monkeypatch.setitem(packaged.SPLIT_ZIP_ENCODERS, spec.ref, spec)
    monkeypatch.setattr(packaged, "encoders_dir", lambda: tmp_path)
    dest = encoder_dir(spec, tmp_path)
    assemble(
        _pinned_zip(tmp_path), dest, folder="enc", weights=spec.weights, sha256=SHA, files=FILES
    )
    identity = {
        "ref": spec.ref,
        "package": "annotate-test-no-such-part-001",
        "package_version": "0.0.1",
        "weights_file": spec.weights,
        "weights_sha256": SHA,
        "digest": "pinned, checked when unpacked",
    }
    config = {"encoder": spec.ref, "encoder_identity": identity}
    ok = _check_encoder(config, "annotate.frozen-linear.v1")
    assert ok.status == MATCH and "the 3 files of enc-" in ok.what, ok
    (dest / "model.safetensors").write_bytes(WEIGHTS[:-1] + b"x")  # the weights too
    bad = _check_encoder(config, "annotate.frozen-linear.v1")
    assert bad.status == DIFFERS and "model.safetensors has sha256" in bad.what, bad


LOADED = {  # what AutoTokenizer/AutoModel and sentence-transformers read beside the weights
    "config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "config_sentence_transformers.json",
    "1_Pooling/config.json",
}


def test_mpnet_pins_every_file_its_encoder_loads():
    pinned = dict(MPNET.files)
    assert set(pinned) >= LOADED and MPNET.weights not in pinned
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in pinned.values())


@pytest.mark.skipif(
    not (encoder_dir(MPNET) / MPNET.weights).is_file(), reason="mpnet not unpacked (make mpnet)"
)
def test_the_unpacked_mpnet_matches_its_pins_and_a_tampered_copy_does_not(tmp_path):
    """On the installed copy, read only: its small files copied (the weights linked)."""
    import shutil

    from annotate.classifier.packaged import check_unpacked

    real = encoder_dir(MPNET)
    check_unpacked(MPNET, real)
    copy = tmp_path / "copy"
    shutil.copytree(real, copy, ignore=shutil.ignore_patterns(MPNET.weights))
    (copy / MPNET.weights).symlink_to(real / MPNET.weights)
    check_unpacked(MPNET, copy)
    with (copy / "vocab.txt").open("a") as f:
        f.write("tampered\n")
    with pytest.raises(ModelError, match=r"vocab\.txt has sha256"):
        check_unpacked(MPNET, copy)
