"""An export read with a newer labels.yaml that appends a category (newuser57 F2): the
answers made under the older one could not choose it, so report.md names it and counts
its passages as `not offered`, not "decided no", and the model's table leaves out the
passages it never scored the category on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit import stats
from tests.audit.fakes import reviewed_tasks
from tests.conftest import project_taxonomy
from tests.test_open_work import export_cli
from tests.test_taxonomy_label_added import (
    ChangedStudio,
    _changed_project,
    _labels_text,
)


def _export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, studio: ChangedStudio) -> Path:
    labels = tmp_path / "labels.yaml"
    labels.write_text(_labels_text("1.1.0"), encoding="utf-8")
    out = tmp_path / "c"
    ran = export_cli(studio, out, monkeypatch, "--labels", str(labels))
    assert ran.exit_code == 0, ran.stderr
    return out


def test_a_project_never_pushed_with_the_new_category(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    studio = ChangedStudio(reviewed_tasks(), project_taxonomy().render_label_config())
    out = _export(tmp_path, monkeypatch, studio)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["labels_not_offered"] == {"1.0.0": ["harassment"]}
    report = json.loads((out / "report" / "report.json").read_text())
    decided = report["counts"]["by_category_decision"]["harassment"]
    passages = report["counts"]["passages"]
    assert decided == {"yes": 0, "no": 0, "undecided": 0, "not_offered": passages}
    for mv in report["model_vs_human"].values():
        cell = mv["categories"]["harassment"]
        assert cell["tn"] == 0 and cell["not_offered"] > 0
    text = " ".join((out / "report" / "report.md").read_text().split())
    assert "answers made under labels.yaml 1.0.0 could not choose harassment" in text
    assert "| decided yes | decided no | undecided | not offered |" in text
    assert f"| harassment | 0 | 0 | 0 | {passages} |" in text


def test_a_project_moved_to_the_new_version_counts_answers_made_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _export(tmp_path, monkeypatch, _changed_project())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["labels_not_offered"] == {"1.0.0": ["harassment"]}
    report = json.loads((out / "report" / "report.json").read_text())
    decided = report["counts"]["by_category_decision"]["harassment"]
    # the passages with an answer made under 1.1.0 were offered it: decided
    assert decided["yes"] == 1 and decided["not_offered"] >= 1
    assert (
        decided["yes"] + decided["no"] + decided["undecided"] + decided["not_offered"]
        == report["counts"]["passages"]
    )


def test_a_category_the_model_never_scored_is_no_true_negative() -> None:
    row = {
        "id": "p1",
        "labels": ["none"],
        "annotations": [],
        "label_tie": None,
        "model_labels": ["none"],
        "model_version": "m",
        "model_agreed": True,
        "model_scores": {"none": 0.9, "harassment": None},
    }
    per = stats.model_vs_human([row], ["none", "harassment"])["m"]["categories"]
    assert per["harassment"]["tn"] == 0 and per["harassment"]["not_scored"] == 1
    assert per["none"]["tp"] == 1 and "not_scored" not in per["none"]
