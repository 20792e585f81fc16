"""Exporting the lead's adjudication project of a review set alone (``--project "NAME ·
adjudication"``) is a part of the review, as one reviewer's queue is (passH53 H1): it
passed ``--require-complete`` with exit 0, and its report called it a shared, not-blind
project with no fixed number of reviewers per passage, the manifest naming no review set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.audit.cli_run import run_cli
from tests.audit.fakes import FakeStudio, reviewed_tasks

MARKER = '[annotate-review] project="Batch 12" reviewer=r-1\n[annotate-review] reviewers_per_task=2'
PROJECTS = (
    {"id": 7, "title": "Batch 12 · r-1", "description": f"Review queue.\n{MARKER}"},
    {"id": 9, "title": "Batch 12 · adjudication", "description": "disputed passages"},
)


class AdjudicationOnlyStudio(FakeStudio):
    def require_project(self, title: str) -> dict[str, Any]:
        return next(dict(p) for p in PROJECTS if p["title"] == title)

    def get_project(self, project_id: int) -> dict[str, Any]:
        return next(dict(p) for p in PROJECTS if p["id"] == project_id)

    def _get(self, path: str, what: str, **params: Any) -> Any:
        return {"results": [dict(p) for p in PROJECTS], "next": None}


@pytest.fixture
def studio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(
        "annotate.corpus.export.connect", lambda: AdjudicationOnlyStudio(reviewed_tasks())
    )


def test_require_complete_refuses_the_adjudication_project_read_alone(
    tmp_path: Path, studio: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "a"
    argv = ["export", "--project", "Batch 12 · adjudication", "--out", str(out), "-q"]
    code, said = run_cli([*argv, "--require-complete"], capsys)
    assert code == 1, said
    flat = " ".join(said.split())
    assert "only the lead's adjudication project of the review set 'Batch 12'" in flat, said
    assert "Fix: export the whole review set: --project 'Batch 12'" in flat, said
    assert "Traceback" not in said


def test_the_folder_says_it_is_the_adjudication_project_alone(
    tmp_path: Path, studio: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "a"
    argv = ["export", "--project", "Batch 12 · adjudication", "--out", str(out), "-q"]
    code, said = run_cli(argv, capsys)
    assert code == 0, said  # without --require-complete: written, as a queue read alone is
    manifest = json.loads((out / "manifest.json").read_text())
    partial = manifest["review"]["partial_of"]
    assert partial == {
        "review_set": "Batch 12",
        "reviewer": None,
        "reviewers_per_task": 2,
        "part": "adjudication",
    }
    statement = manifest["review"]["mode"]["statement"]
    assert "Not blind" not in statement and "not fixed" not in statement
    assert "lead's adjudication project of the review set 'Batch 12' alone" in statement
    md = (out / "report" / "report.md").read_text()
    line = next(x for x in md.splitlines() if x.startswith("How the review was run"))
    assert "lead's adjudication project" in line and "Not blind" not in line
