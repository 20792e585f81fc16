"""Two review-set pushes into one new set from two machines (or two lock folders: the push
lock is one machine's) each found no queue for a reviewer and each made one: the reviewer
had two queues, and every later command on the set refused it (two queues of one
reviewer). Label Studio Community has no transactions, so a queue is now made by reading
back (annotate.review.queue_tasks.create_queue): one made meanwhile is used, and of two
made at once the later one is deleted by the push that made it. A real race cannot be
timed in a unit test: the other push's create is injected at the moments a race puts it."""

from __future__ import annotations

from collections import Counter
from typing import Any

from annotate.review.fanout import push_review
from annotate.review.queues import REVIEW_MARKER
from tests.test_review_fanout import PRELABELS, ReviewStudio


class RacingStudio(ReviewStudio):
    """A Label Studio where another push makes each reviewer's queue (the same title and
    marker) at a chosen moment: ``when`` "before" (between this push's listing of the
    projects and its create: its id is smaller) or "after" (just after this push's
    create returned, with a larger id, as a push that lost the race sees it)."""

    def __init__(self, when: str) -> None:
        super().__init__()
        self.when = when
        self.deleted: list[int] = []
        self.raced: set[str] = set()  # titles the other push made
        self.listings_of_projects = 0

    def _other_push_makes(self, title: str, label_config: str, kw: dict[str, Any]) -> None:
        self.raced.add(title)
        pid = max(self.projects, default=0) + 1
        self.projects[pid] = {"id": pid, "title": title, "label_config": label_config, **kw}
        self.tasks[pid] = []

    def create_project(self, title: str, label_config: str, **kw: Any) -> dict:
        queue = REVIEW_MARKER in str(kw.get("description") or "")
        if queue and title not in self.raced and self.when == "before":
            self._other_push_makes(title, label_config, kw)
        pid = max(self.projects, default=0) + 1
        self.projects[pid] = {"id": pid, "title": title, "label_config": label_config, **kw}
        self.tasks[pid] = []
        made = dict(self.projects[pid])
        if queue and title not in self.raced and self.when == "after":
            self._other_push_makes(title, label_config, kw)
        return made

    def delete_project(self, project_id: int) -> None:
        assert not self.tasks[project_id], "a queue holding tasks was deleted"
        self.deleted.append(project_id)
        del self.projects[project_id]
        del self.tasks[project_id]


def _queues(client: RacingStudio) -> Counter[str]:
    return Counter(
        line
        for p in client.projects.values()
        for line in str(p.get("description") or "").splitlines()
        if line.startswith(f"{REVIEW_MARKER} project=")
    )


def test_queues_made_at_once_by_two_pushes_end_as_one_per_reviewer() -> None:
    """The other push's queue came first (smaller id): this push's own, made a moment
    later, is deleted before any import, and its tasks go into the other's queue."""
    client = RacingStudio("before")
    result = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    made = _queues(client)
    assert made and set(made.values()) == {1}, made  # one queue per reviewer
    assert len(client.deleted) == len(made)  # this push's own, each
    raced = {int(p["id"]) for p in client.projects.values() if p["title"] in client.raced}
    assert {s.project_id for s in result.reviewers} == raced
    assert all(client.tasks[pid] for pid in raced)


def test_the_push_whose_queue_came_first_keeps_it() -> None:
    """Seen from the winner: the other push's queue has the larger id, so this push keeps
    its own, and deletes the other's while it is empty (as the other push does when it
    compares: a copy is deleted whichever run made it, so that one the server made by
    re-running a creation goes too; the other push finds its own gone and uses ours)."""
    client = RacingStudio("after")
    result = push_review(PRELABELS, "Batch", 2, client=client, salt="s")  # type: ignore[arg-type]
    assert len(client.deleted) == len(result.reviewers)  # the other push's, each
    for share in result.reviewers:  # its own queue: older than the other push's twin
        title = client.projects[share.project_id]["title"]
        twin = [p["id"] for p in client.projects.values() if p["title"] == title]
        assert twin == [share.project_id] and share.project_id + 1 in client.deleted, twin
        assert client.tasks[share.project_id]


def test_a_queue_another_push_made_since_the_listing_is_used_not_made_again() -> None:
    from annotate.review.queue_tasks import create_queue
    from annotate.review.queues import description
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy()
    client = RacingStudio("none")
    client.create_project(
        "Batch · r-0123456789", "<View/>", description=description("Batch", "r-0123456789", 2)
    )
    before = dict(client.projects)
    got = create_queue(client, "Batch", "r-0123456789", "<View/>", "m", tax, set(), 2)  # type: ignore[arg-type]
    assert got["id"] == 1 and client.projects == before  # nothing made


class UnmarkedStudio(RacingStudio):
    """RacingStudio("before") whose create answer leaves the description out; with
    ``stored`` False the server does not keep it either (trimmed)."""

    def __init__(self, stored: bool) -> None:
        super().__init__("before")
        self.stored = stored

    def create_project(self, title: str, label_config: str, **kw: Any) -> dict:
        made = super().create_project(title, label_config, **kw)
        if not self.stored:
            self.projects[made["id"]].pop("description", None)
        return {k: v for k, v in made.items() if k != "description"}


def _race_one(client: RacingStudio, caplog: Any) -> str:
    import logging

    from annotate.review.queue_tasks import create_queue
    from annotate.taxonomy import load_taxonomy

    with caplog.at_level(logging.WARNING):
        create_queue(client, "Batch", "r-0123456789", "<View/>", "m", load_taxonomy(), set(), 2)  # type: ignore[arg-type]
    return caplog.text


def test_a_lost_race_reads_the_description_back_before_deleting(caplog: Any) -> None:
    client = UnmarkedStudio(stored=True)
    said = _race_one(client, caplog)
    assert client.deleted == [2] and "(2) was deleted, 1 is used" in said, said


def test_a_queue_not_marked_as_ours_is_left_and_said_so(caplog: Any) -> None:
    """break5 B17: the guard kept the duplicate, and the log said it was deleted."""
    client = UnmarkedStudio(stored=False)
    said = _race_one(client, caplog)
    assert client.deleted == [] and 2 in client.projects
    assert "was deleted" not in said, said
    assert "(2) was left, not deleted" in said and "delete project 2 in Label Studio" in said
