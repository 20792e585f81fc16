"""Shared helpers of the integration tests."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotate.review.view import order_queue_tab
from annotate.studio import tasks as task_rows
from annotate.studio.client import StudioClient
from annotate.studio.push import push
from tests.conftest import project_taxonomy

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


# score vectors (every category at once, then overrides) -> the priority they give:
# the edges of [0, 1], a value JSON writes with an exponent (1e-05), and 0.9 / 0.12
QUEUE_SCORES: list[tuple[float, dict[str, float], float]] = [
    (0.0, {}, 0.0),
    (1.0e-05 / 1.5, {}, 1e-05),  # 1.5 x the score: JSON "1e-05"
    (0.08, {}, 0.12),
    (1.0, {}, 0.5),
    (0.4, {"violent_threat": 1.0}, 0.9),
    (0.5, {"violent_threat": 1.0}, 1.0),
]


def check_queue_order(client: StudioClient, project: str, tmp_path: Path) -> None:
    """A reviewer queue's tab orders by ``data.priority``; Label Studio sorts it as a
    number only where the request carries the tab's ``columnsDisplayType`` (the grid),
    and otherwise as what the database reads from the JSON ("Label Tasks As Displayed":
    the tab's ordering sent to the next_task action; a listing with an inline ordering):
    SQLite's JSON_EXTRACT gives a number, PostgreSQL's ``->>`` the jsonb value's text.
    Every priority annotate writes lies in [0, 1] and PostgreSQL reads a JSON number back
    as a plain decimal (1e-05 as "0.00001"), so that text order is the numeric one: a
    push's tasks, priorities at the edges (0, 1, 1e-05, 0.12 / 0.9), come riskiest first
    in every request."""
    tax = project_taxonomy()
    rows = []
    fixture = [json.loads(line) for line in PRELABELS.read_text(encoding="utf-8").splitlines()]
    for row, (base, extra, _) in zip(fixture, QUEUE_SCORES, strict=True):
        rows.append({**row, "scores": {c: base for c in tax.category_names} | extra})
    wanted = sorted((p for _, _, p in QUEUE_SCORES), reverse=True)
    assert sorted((task_rows.priority(r["scores"], tax) for r in rows), reverse=True) == wanted
    assert "1e-05" in json.dumps([task_rows.priority(r["scores"], tax) for r in rows])
    # the least risky pushed first, the rest by a later push: task ids (import order) are
    # not the queue order
    for n, part in enumerate((rows[:3], rows)):
        path = tmp_path / f"queue-order-{n}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")
        project_id = push(path, project, client=client).project_id
    order_queue_tab(client, project_id, tax)
    (tab,) = [v for v in client.list_views(project_id) if v["data"]["title"] == "Queue"]

    def listed(**params: Any) -> list[float]:
        found = client._get(
            "api/tasks/", "listing", project=project_id, fields="task_only", **params
        )
        return [float(t["data"]["priority"]) for t in found["tasks"]]

    assert listed() != wanted  # by id: import order
    assert listed(view=int(tab["id"])) == wanted  # the grid: sorted as numbers
    assert listed(query=json.dumps({"ordering": tab["data"]["ordering"]})) == wanted
    resp = client._http.request(
        "api/dm/actions",
        method="POST",
        params={"id": "next_task", "project": project_id, "tabID": int(tab["id"])},
        json={
            "ordering": tab["data"]["ordering"],
            "filters": {"conjunction": "and", "items": []},
            "selectedItems": {"all": True, "excluded": []},
        },
    )
    first = client._json(resp, "asking for the next task")
    assert float(first["data"]["priority"]) == 1.0, first["data"]
