"""`annotate adjudicate` on projects every reviewer shares (a plain push's project and its
numbered ones) with tasks still open ran without a word (newuser60 #11: 336 open), where
a review set's open queues are refused unless --mid-round and counted when nothing is
disputed yet. Shared projects are not blind, so nothing is refused; but the result counts
their open tasks and the CLI says the adjudication may grow, as it says of a review set's
open round."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review.adjudication import adjudicate
from tests.audit.fakes import FakeStudio
from tests.conftest import project_taxonomy
from tests.corpus.test_severity_tie import AdjudicationStudio
from tests.test_adjudicate_nothing_yet import _unanswered
from tests.test_adjudication_hiding import tasks


def _open(task_id: int) -> dict[str, Any]:
    """A task of the shared project nobody answered or skipped yet."""
    return {
        "id": task_id,
        "data": {"text": f"passage {task_id}", "passage_id": f"open-{task_id}"},
        "predictions": [],
        "annotations": [],
    }


class SharedStudio(AdjudicationStudio):
    """AdjudicationStudio whose shared project 'p' (id 7) lists its tasks with their
    answer and skip counts, as Label Studio's task list does."""

    def iter_tasks(self, project_id: int, **params: Any) -> list[dict[str, Any]]:
        return FakeStudio.iter_tasks(self, project_id, **params) if project_id == 7 else []


def test_the_result_counts_a_shared_projects_open_tasks() -> None:
    studio = SharedStudio([*tasks(), _open(41), _open(42), _open(43)])
    result = adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert result.passages == ["doc-e-p0", "doc-e-p1"]  # not refused: not blind anyway
    assert result.open_in_shared == 3 and result.open_in_queues == 0
    done = adjudicate(SharedStudio(tasks()), "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert done.open_in_shared == 0


def _adjudicate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, studio: Any) -> str:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    monkeypatch.setattr("annotate.studio.client.connect", lambda: studio)
    ran = CliRunner().invoke(app, ["adjudicate", "--project", "p"])
    assert ran.exit_code == 0, ran.output
    return " ".join(ran.output.split())


def test_the_cli_says_the_adjudication_may_grow(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    said = _adjudicate(monkeypatch, tmp_path, SharedStudio([*tasks(), _open(41), _open(42)]))
    assert (
        "note: 2 task(s) in 'p' (projects its reviewers share) are still open, with neither "
        "an answer nor a skip: answers still to come may dispute more passages"
    ) in said, said
    assert "annotate review status --project 'p'" in said
    assert "--mid-round" not in said  # nothing refused, no blindness warning


def test_nothing_disputed_yet_says_the_round_is_still_open(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    studio = SharedStudio([*_unanswered(), _open(41)])
    said = _adjudicate(monkeypatch, tmp_path, studio)
    assert "no disputed passage among the 0 answered" in said
    assert "the round is still open: 3 task(s) in 'p' (projects its reviewers share)" in said
