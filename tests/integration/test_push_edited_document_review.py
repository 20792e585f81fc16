"""A review set (``push -k K``) given an edited document: the plain push warned that the
project still holds the earlier version's tasks, the K-reviewer push said nothing, so
every reviewer got both texts unawares. It now warns with the plain push's words, once a
push (each document once, though K queues hold its earlier passage)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.review.fanout import push_review
from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .helpers import tasks_by_passage
from .review_team import add_team, push_set
from .test_push_edited_document import _edited, _edited_alone

pytestmark = pytest.mark.integration


def test_a_review_push_warns_once_about_an_earlier_version(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    team = list(add_team(("ana", "ben"), "ev.test"))
    first = push_set(name, team, "-q")
    assert "already holds" not in first, first

    out = push_set(name, team, "-q", source=_edited(tmp_path))
    queues = reviewer_projects(client, name)
    old = sorted(
        int(tasks_by_passage(client, int(p["id"]))["doc-a-p1"]["id"]) for p in queues.values()
    )
    assert len(old) == 2  # both reviewers hold the earlier passage: one document, two tasks
    assert out.count("warning: ") == 1, out
    assert (
        f"warning: {name!r} already holds 2 task(s) of 1 document(s) of this file with a "
        f"passage this file does not have (e.g. 'doc-a': task {old[0]})"
    ) in " ".join(out.split()), out
    assert "Fix: if the earlier text should not be reviewed" in " ".join(out.split()), out
    # Label Studio deletes a task's answers with it: the fix said they stayed in the export
    assert "deleting a task deletes its answers too" in " ".join(out.split()), out
    assert "answers already given stay" not in out

    again = push_review(_edited(tmp_path), name, 2, reviewers=team, client=client)
    assert (again.other_version_tasks, again.other_version_documents) == (2, 1)
    assert again.other_version_examples == [("doc-a", old[0])]
    # a partial batch of doc-a (ingest --previous): the queues' tasks of its unchanged
    # passage doc-a-p0 are not counted (before: 4 tasks, and the fix deleted them too)
    alone = push_review(_edited_alone(tmp_path), name, 2, reviewers=team, client=client)
    assert (alone.other_version_tasks, alone.other_version_documents) == (2, 1)
