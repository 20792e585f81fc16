"""The lead's project (``NAME · adjudication``) whose creation the server carried out
several times: Label Studio on SQLite re-runs a request that found its database locked
(``DatabaseIsLockedRetryMiddleware``, up to 15 times), and a project creation stores its
project before the write that fails, so one request makes a project each run and the
answer names the last. adjudicate made the project with no check, so the title was left
with several projects and every later adjudicate, export or status refused it (a title
of several projects). Now the oldest is kept and filled, every other empty one deleted
(a copy holding tasks never), and the kept one gets its Queue tab."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest

from annotate.errors import StudioNotFoundError
from annotate.review.adjudication import adjudicate
from annotate.review.view import QUEUE_TAB
from tests.conftest import project_taxonomy
from tests.corpus.test_severity_tie import AdjudicationStudio
from tests.test_adjudication_order import review_set

TITLE = "p · adjudication"


class RepeatingStudio(AdjudicationStudio):
    """AdjudicationStudio keeping the projects it makes: each creation is run ``runs``
    times in all (a project each, the answer naming the last); ``filled``: copies another
    adjudicate filled with tasks at once (never deleted)."""

    def __init__(self, runs: int, filled: tuple[int, ...] = ()) -> None:
        super().__init__(review_set())
        self.runs = runs
        self.filled = filled
        self.made: dict[int, dict[str, Any]] = {}
        self.deleted: list[int] = []
        self.imported_into: list[int] = []

    def create_project(self, title: str, config: str, **fields: Any) -> dict[str, Any]:
        for _ in range(self.runs):
            pid = 20 + len(self.made) + len(self.deleted)
            held = 2 if pid in self.filled else 0
            self.made[pid] = {"id": pid, "title": title, "label_config": config, **fields}
            self.made[pid]["task_number"] = held
        return dict(self.made[pid])

    def find_projects(self, title: str) -> list[dict[str, Any]]:
        if title == TITLE:
            return [dict(p) for _, p in sorted(self.made.items())]
        return super().find_projects(title)

    def find_project(self, title: str) -> dict[str, Any] | None:
        return None if title == TITLE and not self.made else super().find_project(title)

    def get_project(self, project_id: int) -> dict[str, Any]:
        if project_id in self.deleted:
            raise StudioNotFoundError(f"no project {project_id}.")
        if project_id in self.made:
            return dict(self.made[project_id])
        return super().get_project(project_id)

    def delete_project(self, project_id: int) -> None:
        assert not self.made[project_id]["task_number"], "a project holding tasks was deleted"
        del self.made[project_id]
        self.deleted.append(project_id)

    def import_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> Any:
        self.imported_into.append(project_id)
        self.made[project_id]["task_number"] += len(tasks)
        return super().import_tasks(project_id, tasks)


@pytest.mark.parametrize("runs", [2, 3, 5])
def test_a_lead_project_the_server_made_several_times_ends_as_its_oldest_with_its_tab(
    runs: int, caplog: Any
) -> None:
    studio = RepeatingStudio(runs)
    with caplog.at_level(logging.WARNING):
        result = adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert list(studio.made) == [20] and sorted(studio.deleted) == list(range(21, 20 + runs))
    assert result.project_id == 20 and set(studio.imported_into) == {20}
    assert [v["data"]["title"] for v in studio.views if v["project"] == 20] == [QUEUE_TAB]
    said = [int(i) for i in re.findall(r"deleting project '[^']*' \(id (\d+)\)", caplog.text)]
    assert sorted(said) == list(range(21, 19 + runs)), caplog.text  # ours is said below
    assert f"(id 20) was made at the same time as this run's (id {19 + runs})" in caplog.text


def test_a_copy_holding_tasks_is_left_and_said_so(caplog: Any) -> None:
    studio = RepeatingStudio(3, filled=(21,))
    with caplog.at_level(logging.WARNING):
        result = adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert result.project_id == 20 and studio.deleted == [22] and list(studio.made) == [20, 21]
    assert "(id 21), made at the same time as the one kept (id 20), holds 2 task(s)" in caplog.text
