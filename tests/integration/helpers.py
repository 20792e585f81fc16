"""Shared helpers of the integration tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotate.studio.client import StudioClient

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PRELABELS = FIXTURES / "prelabels.jsonl"


def tasks_by_passage(client: StudioClient, project_id: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for task in client.iter_tasks(project_id, include="id,data"):
        pid = task["data"]["passage_id"]
        assert pid not in out, f"passage {pid} is in the project twice"
        out[pid] = task
    return out


def passage_ids(client: StudioClient, project_id: int) -> list[str]:
    return [t["data"]["passage_id"] for t in client.iter_tasks(project_id, include="id,data")]


def choices(name: str, values: list[str]) -> dict[str, Any]:
    return {
        "from_name": name,
        "to_name": "passage",
        "type": "choices",
        "value": {"choices": values},
    }


def span(text: str, part: str, label: str) -> dict[str, Any]:
    """A span result as the Label Studio UI sends it (code-point offsets, like Python)."""
    start = text.index(part)
    end = start + len(part)
    return {
        "from_name": "evidence",
        "to_name": "passage",
        "type": "labels",
        "value": {"start": start, "end": end, "text": part, "labels": [label]},
    }


def comment(text: str) -> dict[str, Any]:
    return {
        "from_name": "comment",
        "to_name": "passage",
        "type": "textarea",
        "value": {"text": [text]},
    }


def new_reviewer(client: StudioClient, prefix: str = "rev") -> int:
    """A fresh Label Studio user (``PREFIX-xxxxxxxx@annotate.local``); its id."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    user = client.sdk.users.create(
        username=name, email=f"{name}@annotate.local", password=uuid.uuid4().hex
    )
    return int(user.id)  # type: ignore[arg-type]


def fresh_title(client: StudioClient, prefix: str) -> Iterator[str]:
    """For a fixture: a short fresh project title (review sets add suffixes; titles hold
    50 characters); afterwards every project whose title starts with it is deleted."""
    from annotate.review.fanout import list_projects

    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    yield name
    for proj in list_projects(client):
        if str(proj["title"]).startswith(name):
            client.sdk.projects.delete(int(proj["id"]))
