"""The part size a numbered set was cut at (--max-tasks-per-project) is recorded with its
projects: a later push without the option keeps it, instead of filling `NAME #1` to the
default 100,000 (passE51 E2); the push says how many tasks each project got, and where
this push's riskiest passages went (E6), on a real server."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotate.cli.push import riskiest_line
from annotate.studio.client import StudioClient
from annotate.studio.projects import part_size_of, project_set
from annotate.studio.push import push

from .helpers import PRELABELS, tasks_by_passage

pytestmark = pytest.mark.integration


@pytest.fixture()
def name(client: StudioClient) -> Iterator[str]:
    title = f"size-{uuid.uuid4().hex[:10]}"
    yield title
    for proj in client.list_projects():
        if str(proj["title"]).startswith(title):
            client.delete_project(int(proj["id"]))


def _next_week(path: Path) -> Path:
    """PRELABELS as another batch: other ids, documents and texts, the same scores."""
    rows = [json.loads(x) for x in PRELABELS.read_text().splitlines() if x.strip()]
    for r in rows:
        r["id"], r["doc_id"] = "wk2-" + r["id"], "wk2-" + r["doc_id"]
        r["text"] += " (week 2)"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_a_later_push_keeps_the_part_size_and_says_where_its_riskiest_went(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    first = push(PRELABELS, name, client=client, max_tasks_per_project=4)
    assert first.max_tasks == 4 and first.max_tasks_recorded is None
    members = project_set(client, name)
    assert list(members.titles) == [f"{name} #1", f"{name} #2"]
    assert all(part_size_of(p) == 4 for p in members.projects)  # in the descriptions
    assert first.held == {f"{name} #1": 4, f"{name} #2": 2}
    assert [n for n, _, _ in first.placed.values()] == [4, 2]
    assert riskiest_line(first) is None  # the first push's riskiest are in #1

    # next week's batch, the option forgotten: #2 is filled to 4, then #3 (not #1 to 10)
    second = push(_next_week(tmp_path / "pre2.jsonl"), name, client=client)
    assert (second.created, second.failed) == (6, 0)
    assert (second.max_tasks, second.max_tasks_recorded) == (4, 4)
    titles = project_set(client, name).titles
    assert [len(tasks_by_passage(client, i)) for i in titles.values()] == [4, 4, 4]
    assert second.held == {f"{name} #1": 4, f"{name} #2": 4, f"{name} #3": 4}
    (n2, hi2, lo2), (n3, hi3, _) = second.placed[f"{name} #2"], second.placed[f"{name} #3"]
    assert (n2, n3) == (2, 4) and hi2 >= lo2 >= hi3  # riskiest first: #2 got the top two
    line = riskiest_line(second)
    assert line is not None and f"went to '{name} #2', the first project with room" in line
    assert f"{name} #1' holds the riskiest of earlier pushes" in line


def test_a_set_cut_before_the_size_was_recorded_keeps_its_first_projects_size(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    push(PRELABELS, name, client=client, max_tasks_per_project=4)
    for proj in project_set(client, name).projects:  # as an earlier annotate left them
        client.update_project(int(proj["id"]), description="Created by annotate push.")
    assert all(part_size_of(p) is None for p in project_set(client, name).projects)
    second = push(_next_week(tmp_path / "pre2.jsonl"), name, client=client)
    assert second.max_tasks_inferred and second.max_tasks == 4
    assert second.held == {f"{name} #1": 4, f"{name} #2": 4, f"{name} #3": 4}
    assert all(part_size_of(p) == 4 for p in project_set(client, name).projects)


class _Killed(Exception):
    """The push stopped after its first project was filled (a SIGKILL, in effect)."""


def test_a_resumed_push_does_not_send_the_team_past_its_riskiest(
    client: StudioClient, name: str
) -> None:
    """passK54 K2: a push killed once `#1` was full, run again, put the rest in `#2` and
    `#3` and said its riskiest went to `#2` ("'#1' holds the riskiest of earlier pushes;
    have '#2' worked first"), while `#1` held this same file's riskiest passages."""

    def kill_after_two(number: int, _: list[int]) -> None:
        if number == 2:
            raise _Killed

    with pytest.raises(_Killed):
        push(
            PRELABELS,
            name,
            client=client,
            max_tasks_per_project=2,
            batch_size=1,
            after_batch=kill_after_two,
        )
    again = push(PRELABELS, name, client=client)
    assert (again.created, again.skipped, again.failed) == (4, 2, 0)
    assert list(again.projects) == [f"{name} #1", f"{name} #2", f"{name} #3"]
    (n1, _, lo1) = again.already[f"{name} #1"]
    assert n1 == 2 and set(again.placed) == {f"{name} #2", f"{name} #3"}
    assert lo1 >= again.placed[f"{name} #2"][1]  # #1 holds the file's riskiest
    assert riskiest_line(again) is None, riskiest_line(again)
