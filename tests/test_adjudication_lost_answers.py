"""`annotate adjudicate` when the answer of its import is lost (the server made the tasks,
or not): it stopped at the first lost answer; it now reads back what the lost request
made and sends only the passages still missing, so each disputed passage is in the
lead's queue once. No server (the real one behind a fault proxy:
tests/integration/test_review_lost_answers.py)."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.errors import StudioUnavailableError
from annotate.review.adjudication import adjudicate
from annotate.studio import retry as retry_mod
from tests.conftest import project_taxonomy
from tests.test_adjudication_hiding import HeldStudio, tasks


class Losing(HeldStudio):
    """The first import's answer is lost: after the tasks were made (``made``) or not."""

    def __init__(self, made: bool) -> None:
        super().__init__(tasks())
        self.made, self.imports = made, 0

    def import_tasks(self, project_id: int, batch: list[dict[str, Any]]) -> Any:
        self.imports += 1
        if self.imports == 1:
            if self.made:
                super().import_tasks(project_id, batch)
            raise StudioUnavailableError("Label Studio at http://fake does not answer.")
        return super().import_tasks(project_id, batch)

    def iter_task_versions(self, project_id: int, after: int | None = None) -> Any:
        for t in self.held:
            if after is None or t["id"] > after:
                versions = {p["model_version"] for p in self.preds if p["task"] == t["id"]}
                yield t["id"], t["data"]["passage_id"], frozenset(versions)


@pytest.mark.parametrize("made", [True, False], ids=["made-then-lost", "lost"])
def test_a_lost_import_answer_is_retried_without_a_passage_twice(
    made: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retry_mod.time, "sleep", lambda s: None)
    studio = Losing(made)
    result = adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert (result.disputed, result.added) == (2, 2)
    held = sorted(t["data"]["passage_id"] for t in studio.held)
    assert held == ["doc-e-p0", "doc-e-p1"]  # each once
    assert studio.imports == (1 if made else 2)  # made by the lost request: not sent again
    assert len(studio.preds) == 6  # two reviewers' answers and the blank start each, once
