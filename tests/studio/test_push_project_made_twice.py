"""A push never leaves a second project of a title it made (CI 52c: two pushes of two new
titles at once left two projects of one title, ids 4 and 6, both pushes exiting 0).

Two ways one creation makes two projects, against a fake server:
- ``server``: Label Studio on SQLite carries a request that found its database locked out
  again (``DatabaseIsLockedRetryMiddleware``); a project creation that failed after its
  project was stored leaves an empty project, older than the one the answer names (seen
  against the real server: a write lock held from outside during the POST);
- ``late``: a creation whose answer was lost lands after the push read it back and made
  the project again (here: at the push's first import, after its check for a second
  project of the title).
- ``both``: a push elsewhere made the title first, then the server made ours twice: this
  push fills the other's project, deletes ours and, at its end, the empty copy.
Either way the push ends with one project of the title, holding every task and the Data
Manager tab, and warns of the one it deleted."""

from __future__ import annotations

import re
from typing import Any

import pytest

from annotate.errors import StudioError, StudioNotFoundError
from annotate.review.view import QUEUE_TAB
from annotate.studio.client import ImportAnswer
from annotate.studio.push import ensure_project, push
from tests.studio.test_push import PRELABELS, RefusingClient


class TwiceStudio(RefusingClient):
    """Projects by id, tasks by project; each creation makes a second project of its
    title as ``mode`` says (``None``: never)."""

    def __init__(self, mode: str | None) -> None:
        super().__init__(set())
        self.mode = mode
        self.projects: dict[int, dict[str, Any]] = {}
        self.views: dict[int, list[dict[str, Any]]] = {}
        self.late: list[dict[str, Any]] = []  # creations the server carries out later
        self.next_id = 1

    def _make(self, fields: dict[str, Any]) -> int:
        pid, self.next_id = self.next_id, self.next_id + 1
        self.projects[pid] = {**fields, "id": pid}
        self.views[pid] = []
        return pid

    def list_projects(self, include=None):
        return [dict(p) for _, p in sorted(self.projects.items())]

    def find_projects(self, title):
        return [p for p in self.list_projects() if p["title"] == title]

    def find_project(self, title):
        same = self.find_projects(title)
        if len(same) > 1:
            raise StudioError(f"{len(same)} projects are titled {title!r}.")
        return same[0] if same else None

    def create_project(self, title, label_config, **kw):
        fields = {"title": title, "label_config": label_config, **kw}
        if self.mode == "server":  # the first run of the request stored it, then failed
            self._make(fields)
        elif self.mode == "both":  # a push elsewhere made it first, then the server twice
            self.create_view(self._make(fields), {"title": QUEUE_TAB})
            self._make(fields)
        elif self.mode == "late":
            self.late.append(fields)
        elif self.mode and self.mode.startswith("runs"):  # the request run N times in all
            for _ in range(int(self.mode.removeprefix("runs")) - 1):
                self._make(fields)
        return self.get_project(self._make(fields))

    def get_project(self, project_id):
        if project_id not in self.projects:
            raise StudioNotFoundError(f"no project {project_id}.")
        tasks = [t for t in self.tasks if t["project"] == project_id]
        return {
            **self.projects[project_id],
            "task_number": len(tasks),
            "total_predictions_number": sum(len(t["predictions"]) for t in tasks),
        }

    def delete_project(self, project_id):
        del self.projects[project_id]
        self.tasks = [t for t in self.tasks if t["project"] != project_id]

    def list_views(self, project_id):
        return list(self.views[project_id])

    def create_view(self, project_id, data):
        self.views[project_id].append({"project": project_id, "data": data})

    def import_tasks(self, project_id, batch):
        while self.late:  # the lost creation lands now, after the push's check
            self._make(self.late.pop(0))
        if project_id not in self.projects:
            raise StudioNotFoundError(f"no project {project_id}.")
        answer: ImportAnswer = super().import_tasks(project_id, batch)
        for task in self.tasks[len(self.tasks) - len(answer.task_ids) :]:
            task["project"] = project_id
        return answer

    def _of(self, project_id):
        return [t for t in self.tasks if t["project"] == project_id]

    def iter_tasks(self, project_id, include=None, **params):
        return iter(self._of(project_id))

    def iter_task_versions(self, project_id, after=None, text_field=None):
        for t in self._of(project_id):
            if after is None or t["id"] > after:
                yield (
                    t["id"],
                    t["data"]["passage_id"],
                    frozenset(p["model_version"] for p in t["predictions"]),
                )

    def prediction_versions(self, project_id):
        return {
            t["id"]: {p["model_version"] for p in t["predictions"]} for t in self._of(project_id)
        }


@pytest.mark.parametrize("mode", ["server", "late", "both", "runs3", "runs5"])
@pytest.mark.parametrize("parts", [None, 4])  # 6 passages: one project, or pro #1 and #2
def test_a_title_made_twice_ends_as_one_project_holding_every_task(
    mode: str, parts: int | None, taxonomy, caplog
) -> None:
    client = TwiceStudio(mode)
    with caplog.at_level("WARNING"):
        result = push(
            PRELABELS, "pro", taxonomy=taxonomy, client=client, max_tasks_per_project=parts
        )
    titles = ["pro"] if parts is None else ["pro #1", "pro #2"]
    assert sorted(p["title"] for p in client.projects.values()) == titles
    assert result.created == len(client.tasks) == 6 and result.failed == 0
    for title in titles:
        (proj,) = client.find_projects(title)
        assert result.projects[title] == proj["id"]
        held = {"pro": 6, "pro #1": 4, "pro #2": 2}[title]
        assert client.get_project(proj["id"])["task_number"] == held
        assert len(client.views[proj["id"]]) == 1  # its Data Manager tab, once
    said = caplog.text
    assert ("made at the same time" in said) and ("deleting" in said), said


@pytest.mark.parametrize("runs", [2, 3, 5])
def test_a_creation_the_server_ran_several_times_ends_as_its_oldest_project_with_its_tab(
    runs: int, taxonomy, caplog
) -> None:
    """CI 53b: the server ran one creation 3 times (ids 29, 32, 34; the answer named 34):
    ensure_project deleted 34 only and 32 stayed. Every empty copy goes, whichever run of
    the request made it, before ensure_project returns (a push cut short after it, or
    another command, leaves no second project of the title)."""
    client = TwiceStudio(f"runs{runs}")
    config = taxonomy.render_label_config()
    with caplog.at_level("WARNING"):
        proj, mine = ensure_project(client, "pro", config, taxonomy, "m1")
    assert list(client.projects) == [1] and (proj["id"], mine) == (1, False)
    assert [v["data"]["title"] for v in client.views[1]] == [QUEUE_TAB]
    deleted = [int(i) for i in re.findall(r"deleting project 'pro' \(id (\d+)\)", caplog.text)]
    assert sorted(deleted) == list(range(2, runs)), caplog.text  # the server's copies
    assert f"(id 1) was made at the same time as ours (id {runs})" in caplog.text
    assert "using it and deleting ours" in caplog.text


def test_a_second_project_of_the_title_holding_tasks_is_an_error_naming_both(taxonomy) -> None:
    class OtherPushFills(TwiceStudio):
        """A push elsewhere made the title too, late, and filled its project."""

        def import_tasks(self, project_id, batch):
            landed = bool(self.late)
            answer = super().import_tasks(project_id, batch)
            if landed:
                other = max(self.projects)
                self.tasks.append({"id": 999, "project": other, "data": {}, "predictions": []})
            return answer

    client = OtherPushFills("late")
    with pytest.raises(StudioError) as err:
        push(PRELABELS, "pro", taxonomy=taxonomy, client=client)
    assert "2 projects in Label Studio at http://fake are titled 'pro' (ids 1, 2)" in str(err.value)
    assert "rename or delete all but one of them" in err.value.fix
    assert sorted(client.projects) == [1, 2]  # nothing with tasks deleted


def test_one_project_made_once_warns_of_nothing(taxonomy, caplog) -> None:
    client = TwiceStudio(None)
    with caplog.at_level("WARNING"):
        push(PRELABELS, "pro", taxonomy=taxonomy, client=client)
    assert list(client.projects) == [1] and len(client.views[1]) == 1
    assert "made at the same time" not in caplog.text


def test_a_project_deleted_as_a_copy_by_another_push_is_not_filled(taxonomy, caplog) -> None:
    """Two pushes make one new title at once; the other one, done first, deleted ours as an
    empty copy before this push's check: this push fills the other's project."""

    class OtherPushFirst(TwiceStudio):
        def create_project(self, title, label_config, **kw):
            fields = {"title": title, "label_config": label_config, **kw}
            other = self._make(fields)
            self.create_view(other, {"title": QUEUE_TAB})
            made = self.get_project(self._make(fields))
            self.delete_project(int(made["id"]))  # the other push's clean-up
            return made

    client = OtherPushFirst(None)
    with caplog.at_level("WARNING"):
        result = push(PRELABELS, "pro", taxonomy=taxonomy, client=client)
    assert list(client.projects) == [1] and result.projects == {"pro": 1}
    assert client.get_project(1)["task_number"] == 6
    assert "made by this run is gone" in caplog.text
