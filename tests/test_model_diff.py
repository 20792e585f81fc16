"""annotate.training.model_diff (`make model-check`): what differs between two model
directories, setting by setting and tensor by tensor, and the version hash."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

from annotate.training.model_diff import main, model_differences, version

CONF = {
    "name": "default",
    "thresholds": {"violent_threat": 0.2, "incitement": 0.12},
    "span_thresholds": {"quoted_propaganda": 0.35},
    "calibration": {"violent_threat": {"a": 1.5, "b": -0.25}},
    "training": {"seconds": 100.0},
    "created_at": "2026-12-01T00:00:00+00:00",
}


def _model(path: Path, conf: dict, w: np.ndarray) -> Path:
    path.mkdir()
    (path / "annotate_model.json").write_text(json.dumps(conf), encoding="utf-8")
    save_file({"cat.w": w, "cat.b": np.zeros(2, np.float32)}, str(path / "linear.safetensors"))
    return path


def test_a_rebuild_that_only_differs_in_metadata_is_the_same_model(tmp_path, capsys):
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    a = _model(tmp_path / "a", CONF, w)
    other = {**CONF, "training": {"seconds": 155.0}, "created_at": "2026-12-02T00:00:00+00:00"}
    b = _model(tmp_path / "b", other, w.copy())
    assert model_differences(a, b) == []
    assert version(a) == version(b)
    assert main([str(a), str(b)]) == 0
    assert capsys.readouterr().out.startswith(f"same model: {version(a)}")


def test_thresholds_calibration_weights_and_version_are_named(tmp_path, capsys):
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    a = _model(tmp_path / "a", CONF, w)
    w2 = w.copy()
    w2[1, 2] += 0.5
    conf = json.loads(json.dumps(CONF))
    conf["thresholds"]["violent_threat"] = 0.195
    conf["span_thresholds"]["quoted_propaganda"] = 0.2
    conf["calibration"]["violent_threat"]["b"] = -0.3
    b = _model(tmp_path / "b", conf, w2)
    diffs = model_differences(a, b)
    assert diffs[:3] == [
        "calibration.violent_threat.b: -0.25 -> -0.3 (-0.05)",
        "span_thresholds.quoted_propaganda: 0.35 -> 0.2 (-0.15)",
        "thresholds.violent_threat: 0.2 -> 0.195 (-0.005)",
    ]
    assert diffs[3] == "linear.safetensors cat.w: 1 of 6 values differ, max 0.5"
    assert diffs[4] == f"version: {version(a)} -> {version(b)}" and len(diffs) == 5
    assert main([str(a), str(b)]) == 1
    assert "5 differences" in capsys.readouterr().out


def test_main_names_a_folder_that_is_not_a_model(tmp_path, capsys):
    """A missing or empty folder (e.g. a build that failed) is one error line, not a
    traceback."""
    from annotate.training.model_diff import main

    assert main([str(tmp_path / "missing"), str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is not a model directory" in err and "missing" in err


def test_a_rebuild_at_another_commit_or_checkout_is_the_same_model(tmp_path, capsys):
    """``training_sha256`` covers the checkout's paths and commit; where the content digest
    is recorded the version ignores it, and so does the diff (`make model-check` after a
    commit said "1 differences" for the same weights and version)."""
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    one = {**CONF, "training_sha256": "a" * 64, "training_content_sha256": "c" * 64}
    two = {**one, "training_sha256": "b" * 64}
    a, b = _model(tmp_path / "a", one, w), _model(tmp_path / "b", two, w.copy())
    assert version(a) == version(b)
    assert model_differences(a, b) == []
    assert main([str(a), str(b)]) == 0
    other = _model(tmp_path / "c", {**two, "training_content_sha256": "d" * 64}, w.copy())
    assert any(line.startswith("training_content_sha256") for line in model_differences(a, other))
    older = {k: v for k, v in one.items() if k != "training_content_sha256"}
    c, d = (
        _model(tmp_path / "d", older, w),
        _model(tmp_path / "e", {**older, "training_sha256": "b" * 64}, w),
    )
    assert any(line.startswith("training_sha256") for line in model_differences(c, d))


def test_an_encoder_found_elsewhere_is_the_same_model(tmp_path):
    """Where the encoder was found (``encoder_identity.path``: a hub cache or local folder
    on the building machine) is no part of the version, and no difference either."""
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    identity = {"ref": "org/enc", "weights_sha256": "e" * 64, "path": "/home/ana/.cache/enc"}
    one = {**CONF, "encoder_identity": identity}
    two = {**CONF, "encoder_identity": {**identity, "path": "/srv/models/enc"}}
    a, b = _model(tmp_path / "a", one, w), _model(tmp_path / "b", two, w.copy())
    assert version(a) == version(b)
    assert model_differences(a, b) == []
    three = {**CONF, "encoder_identity": {**identity, "weights_sha256": "f" * 64}}
    c = _model(tmp_path / "c", three, w.copy())
    said = model_differences(a, c)
    assert said[0].startswith("encoder_identity.weights_sha256") and said[-1].startswith("version")
