"""`annotate review reassign --project NAME` (and status, before it reported such projects)
on a push split over numbered projects (``NAME #1``, ``NAME #2``) said "'NAME' is not a
review set: no reviewer queue of that name" and suggested pushing one, as if nothing of
that name existed; it now says what NAME is (numbered parts, pushed without
--reviewers-per-task) and where its open work is shown."""

from __future__ import annotations

from typing import Any

from annotate.review.handover import _not_a_review_set


class Listing:
    url = "http://127.0.0.1:1"

    def __init__(self, titles: list[str]) -> None:
        self.projects = [{"id": i, "title": t, "description": ""} for i, t in enumerate(titles)]

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        return self.projects

    def iter_tasks(self, project_id: int, **params: Any) -> list[dict[str, Any]]:
        return []


def test_numbered_parts_are_named_instead_of_not_found() -> None:
    client = Listing(["Week 49 #2", "Week 49 #1", "Week 490 #1", "Other"])
    error = _not_a_review_set(client, "Week 49")  # type: ignore[arg-type]
    assert "split over 2 numbered parts ('Week 49 #1', 'Week 49 #2')," in str(error)
    assert "without --reviewers-per-task" in str(error)
    assert "annotate review status --project 'Week 49'" in str(error.fix)


def test_a_plain_project_and_its_numbered_parts() -> None:
    client = Listing(["Week 49", "Week 49 #2", "Week 49 #3", "Week 49 #10"])
    error = _not_a_review_set(client, "Week 49")  # type: ignore[arg-type]
    assert "4 numbered parts ('Week 49', 'Week 49 #2', 'Week 49 #3', ...)," in str(error)


def test_a_name_nothing_holds_is_still_not_found() -> None:
    error = _not_a_review_set(Listing(["Other #1"]), "Week 49")  # type: ignore[arg-type]
    assert "is not a review set: no reviewer queue of that name" in str(error)


class Projects(Listing):
    """A listing the project-set lookup reads (each project in full by id too)."""

    def get_project(self, project_id: int) -> dict[str, Any]:
        return dict(self.projects[project_id])


def test_status_reads_plain_and_numbered_projects_but_not_a_queue_or_the_leads() -> None:
    from annotate.review.project_status import project_status
    from annotate.review.queues import marker

    client = Projects(["Week 49 #1", "Week 49 #2", "B · r-0123456789", "B · adjudication"])
    client.projects[2]["description"] = marker("B", "r-0123456789")
    assert [p.title for p in project_status(client, "Week 49")] == ["Week 49 #1", "Week 49 #2"]  # type: ignore[arg-type]
    # their own errors name the review set to pass; status of them as plain projects did not
    assert project_status(client, "B · r-0123456789") == []  # type: ignore[arg-type]
    assert project_status(client, "B · adjudication") == []  # type: ignore[arg-type]


def test_the_adjudication_project_of_a_plain_project_points_at_the_plain_project() -> None:
    error = _not_a_review_set(Listing(["X", "X · adjudication"]), "X · adjudication")  # type: ignore[arg-type]
    assert "annotate review status --project 'X'`" in str(error.fix)


def test_status_of_one_numbered_part_names_the_whole_set(caplog) -> None:  # type: ignore[no-untyped-def]
    """`review status --project 'Week 49 #2'` (a title copied from Label Studio's project
    list) counted that part alone without a word, as export and agreement did (passA50
    P5): it still counts the part, and warns naming the set and --project NAME. The whole
    set and a lone `X #2` title say nothing of parts."""
    from annotate.review.project_status import project_status

    client = Projects(["Week 49 #1", "Week 49 #2", "Week 49 #3", "Budget #2"])
    for p, n in zip(client.projects, (5, 5, 6, 4), strict=True):
        p["task_number"] = n
    with caplog.at_level("WARNING", logger="annotate.review.project_status"):
        parts = project_status(client, "Week 49 #2")  # type: ignore[arg-type]
    assert [p.title for p in parts] == ["Week 49 #2"]
    said = " ".join(caplog.text.split())
    assert (
        "'Week 49 #2' is one of the 3 numbered projects of 'Week 49' (Week 49 #1 ... "
        "Week 49 #3, 16 tasks): only its own tasks are counted; --project 'Week 49' lists "
        "every part with the totals"
    ) in said, said
    assert "keep --project 'Week 49 #2'" in said
    caplog.clear()
    with caplog.at_level("WARNING", logger="annotate.review.project_status"):
        assert len(project_status(client, "Week 49")) == 3  # type: ignore[arg-type]
        assert len(project_status(client, "Budget #2")) == 1  # type: ignore[arg-type]
    assert "numbered projects of" not in caplog.text, caplog.text
