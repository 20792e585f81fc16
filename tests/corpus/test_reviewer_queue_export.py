"""Exporting one reviewer's queue of a review set (the project a lead sees in Label
Studio) read only that reviewer's answers, without a word about the set."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.corpus.export import export
from annotate.studio.projects import review_set_of
from tests.audit.fakes import FakeStudio, reviewed_tasks

MARKER = '[annotate-review] project="Batch 12" reviewer=ana@x.org'


class QueueStudio(FakeStudio):
    """The only project is ana's queue of the review set 'Batch 12'."""

    def require_project(self, title: str) -> dict[str, Any]:
        return {"id": 7, "title": title, "description": f"Review queue of ana.\n{MARKER}"}

    def get_project(self, project_id: int) -> dict[str, Any]:
        return self.require_project("Batch 12 · ana")

    def _get(self, path: str, what: str, **params: Any) -> Any:
        return {"results": [self.require_project("Batch 12 · ana")], "next": None}


def test_the_review_set_of_a_reviewer_project_is_read_from_its_marker() -> None:
    assert review_set_of({"description": f"queue\n{MARKER}"}) == "Batch 12"
    assert review_set_of({"description": "pre-labelled passages"}) is None


def test_exporting_one_reviewers_queue_names_the_review_set(
    tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="annotate.review.collect"):
        export("Batch 12 · ana", tmp_path / "c", client=QueueStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert "is one reviewer's queue of the review set 'Batch 12'" in caplog.text
    assert "--project 'Batch 12' reads every reviewer's" in caplog.text


class AdjudicationOnlyStudio(FakeStudio):
    """'Batch 12 · adjudication' (id 9) beside ana's queue of the review set 'Batch 12'."""

    PROJECTS = (
        {"id": 7, "title": "Batch 12 · r-1", "description": f"Review queue.\n{MARKER}"},
        {"id": 9, "title": "Batch 12 · adjudication", "description": "disputed passages"},
    )

    def require_project(self, title: str) -> dict[str, Any]:
        return next(dict(p) for p in self.PROJECTS if p["title"] == title)

    def get_project(self, project_id: int) -> dict[str, Any]:
        return next(dict(p) for p in self.PROJECTS if p["id"] == project_id)

    def _get(self, path: str, what: str, **params: Any) -> Any:
        return {"results": [dict(p) for p in self.PROJECTS], "next": None}


def test_exporting_the_adjudication_project_alone_names_the_review_set(
    tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    """`export --project 'B · adjudication'` wrote the lead's answers as one reviewer's
    corpus without a word."""
    with caplog.at_level("WARNING", logger="annotate.review.collect"):
        export(
            "Batch 12 · adjudication",
            tmp_path / "c",
            client=AdjudicationOnlyStudio(reviewed_tasks()),  # type: ignore[arg-type]
            salt="s",
        )
    assert "is the lead's adjudication project of the review set 'Batch 12'" in caplog.text
    assert "--project 'Batch 12' reads every reviewer's" in caplog.text
