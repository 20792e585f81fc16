"""`review status`'s read of the answers since a time (:mod:`annotate.review.recent`) while
a reviewer answers: a task answered after the listing of the recent tasks passed it, and
before the listing of the older ones came to it, is read all the same, with its earlier
answers (step 3 of the module). Before, it was touched too late for the first listing and
too late for the second, and its passage's earlier answers went uncounted."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from typing import Any

import pytest

from annotate.review.parents import PARENT_FIELD, PARENT_HEADER_FIELD
from annotate.review.recent import recent_answers, touched_since
from annotate.review.reviewers import find_user
from annotate.studio.client import StudioClient
from annotate.taxonomy import as_taxonomy

from .helpers import choices
from .review_team import add_team

pytestmark = pytest.mark.integration


def _answer(client: StudioClient, task_id: int, me: int, category: str) -> int:
    result = [choices("category", [category]), choices("severity", ["none"])]
    made = client.sdk.annotations.create(id=task_id, result=result, completed_by=me)
    assert made.id is not None
    return int(made.id)


def test_a_task_answered_between_the_two_listings_is_read_with_its_earlier_answers(
    client: StudioClient, project_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tax = as_taxonomy(None)
    pid = int(client.create_project(project_name, tax.render_label_config())["id"])
    # three reviewers: a row keeps each reviewer's latest answer only
    ann, bob, cyd = (
        int(find_user(client, e)["id"]) for e in add_team(("ann", "bob", "cyd"), "race.test")
    )
    shown = dict.fromkeys(
        (
            "title",
            "provenance",
            "context_before",
            "context_after",
            "warning",
            PARENT_HEADER_FIELD,
            PARENT_FIELD,
        ),
        "",
    )  # every field the label config names (Label Studio refuses a task lacking one)
    tasks = [
        {"data": {**shown, "text": f"text {i}", "passage_id": p}}
        for i, p in enumerate(["p0", "p0", "p1"])
    ]
    first, second, _ = sorted(client.import_tasks(pid, tasks).task_ids)  # two copies of p0
    earlier = _answer(client, first, ann, "graphic_violence")  # before the cut
    time.sleep(1.1)
    since = datetime.now(timezone.utc)
    time.sleep(1.1)
    recent = _answer(client, second, bob, "none")  # p0 read since the cut

    listed: list[list[dict[str, Any]]] = []
    during: list[int] = []
    original = client.iter_answered_tasks

    def answering(project_id: int, filters: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        yield from original(project_id, filters)
        listed.append(list(filters))
        if list(filters) == [touched_since(since)] and not during:
            # the recent listing is done: the first copy, answered before the cut, is
            # answered again before the listing of the older tasks comes to it
            during.append(_answer(client, first, cyd, "none"))

    monkeypatch.setattr(client, "iter_answered_tasks", answering)
    got = recent_answers(client, project_name, tax, salt="test-salt", since=since)
    assert during and len(listed) >= 2, listed  # the answer came between the two listings
    (row,) = [r for r in got.rows if r["id"] == "p0"]
    read = {a["ls_annotation_id"] for a in row["annotations"]}
    # the answer before the cut makes p0 graphic for whoever read it since: it is read
    assert earlier in read, (read, earlier, recent, during)
    assert {earlier, recent, *during} == read
