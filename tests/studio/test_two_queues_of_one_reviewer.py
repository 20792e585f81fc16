"""A review set in which one reviewer has two queues (two pushes into a new set at once
from two machines: the push lock is per machine) is refused by the one rule that finds a
set's projects, naming both queues. Export read one of them and left the other's tasks
and answers out without a word (29 of 58 tasks), while push already refused the set."""

from __future__ import annotations

from typing import Any

import pytest

from annotate.errors import StudioError
from annotate.studio.projects import REVIEW_MARKER, project_set


def queue(pid: int, name: str, who: str) -> dict[str, Any]:
    return {
        "id": pid,
        "title": f"{name} · {who}",
        "description": f'Review queue.\n{REVIEW_MARKER} project="{name}" reviewer={who}',
    }


class Listing:
    url = "http://ls"

    def __init__(self, projects: list[dict[str, Any]]) -> None:
        self.projects = projects

    def list_projects(self, include: str = "") -> list[dict[str, Any]]:
        return self.projects

    def get_project(self, pid: int) -> dict[str, Any]:
        return next(p for p in self.projects if p["id"] == pid)


def test_two_queues_of_one_reviewer_are_an_error_naming_them() -> None:
    projects = [queue(8, "Race K", "r-aaa"), queue(10, "Race K", "r-bbb")]
    assert project_set(Listing(projects), "Race K").kind == "review"  # type: ignore[arg-type]
    projects.append(queue(9, "Race K", "r-aaa"))
    with pytest.raises(StudioError) as exc:
        project_set(Listing(projects), "Race K")  # type: ignore[arg-type]
    text = str(exc.value)
    assert "has 2 queues of reviewer r-aaa (project ids 8, 9" in text, text
    assert "delete the queue that holds no answers" in str(exc.value.fix)
