"""Which tasks of a project hold a draft: an answer started in Label Studio's editor and
not submitted (its author may be mid-answer; a deleted task takes the draft with it)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from annotate.studio.client import StudioClient

_DRAFT_QUERY = json.dumps(
    {
        "filters": {
            "conjunction": "and",
            "items": [
                {
                    "filter": "filter:tasks:draft_exists",
                    "operator": "equal",
                    "type": "Boolean",
                    "value": True,
                }
            ],
        }
    }
)


def tasks_with_drafts(client: StudioClient, project_id: int) -> set[int]:
    """The ids of the tasks of ``project_id`` that hold a draft (by anyone): one listing,
    filtered by the Data Manager's ``draft_exists`` column. Raises StudioError as the
    listing does."""
    return set(draft_task_ids(client, project_id))


def draft_task_ids(client: StudioClient, project_id: int) -> Iterator[int]:
    """:func:`tasks_with_drafts`, one id at a time as the listing pages them (memory does
    not grow with the project)."""
    for task in client.iter_tasks(project_id, include="id", query=_DRAFT_QUERY):
        yield int(task["id"])
