"""How the review of an export was run, stated for an auditor (the manifest's
``review.mode``, the report's header).

A *review set* (``annotate push --reviewers-per-task K``) gives each reviewer a Label
Studio project of their own: a reviewer sees only their own answers, never another's
(blind review), and each passage goes to K of them. A plain project (or numbered projects
``NAME #2`` … for a large batch) is shared by every reviewer: its Data Manager (the task
list a project opens on) shows every reviewer's answers to every member, so the review is
not blind.
"""

from __future__ import annotations

from typing import Any

BLIND = "blind_review_set"
SHARED = "shared_project"


def review_mode(
    *, review_set: bool, reviewer_projects: int, reviewers_per_task: int | None, shared: int
) -> dict[str, Any]:
    """The manifest's ``review.mode``: ``kind`` (:data:`BLIND` or :data:`SHARED`),
    ``blind``, ``reviewers_per_task`` (K; None: not recorded), the number of reviewer
    projects (review sets) or shared projects, and ``statement`` (a sentence)."""
    if review_set:
        k = (
            f"each passage was given to {reviewers_per_task} reviewers"
            if reviewers_per_task
            else "the number of reviewers per passage was not recorded at push"
        )
        return {
            "kind": BLIND,
            "blind": True,
            "reviewers_per_task": reviewers_per_task,
            "reviewer_projects": reviewer_projects,
            "statement": (
                "Blind review: every reviewer answered in a Label Studio project of their own "
                f"({reviewer_projects} reviewer project{'' if reviewer_projects == 1 else 's'}),"
                " so no reviewer could see another "
                f"reviewer's answers; {k}."
            ),
        }
    where = "one Label Studio project" if shared <= 1 else f"{shared} Label Studio projects"
    return {
        "kind": SHARED,
        "blind": False,
        "reviewers_per_task": None,
        "shared_projects": shared,
        "statement": (
            f"Not blind: every reviewer answered in {where} shared by all reviewers, whose "
            "task list in Label Studio shows every reviewer's answers to every member; the "
            "number of reviewers per passage was not fixed."
        ),
    }
