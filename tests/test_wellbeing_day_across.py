"""The daily graphic limit is a reviewer's UTC day over every project of the server, not
one review set's (passA50 P3): `annotate review status --project NAME` flags a reviewer
whose graphic passages across sets pass the limit, though no one set does, and shows
their day over all projects beside the set's counts."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from annotate.cli.review.exposure import exposure_lines
from annotate.errors import InputError
from annotate.review import live_exposure as live
from annotate.review.recent import Recent
from annotate.studio.projects import adjudication_description
from annotate.taxonomy import load_taxonomy

TAX = load_taxonomy()
ADJUDICATION = adjudication_description("Round 2")
SINCE = datetime(2026, 12, 6, tzinfo=timezone.utc)
NOW = datetime(2026, 12, 6, 12, tzinfo=timezone.utc)


def _row(pid: str, who: str, categories: list[str], task: int) -> dict[str, Any]:
    ann = {
        "reviewer": who,
        "categories": categories,
        "severity": "high",
        "created_at": "2026-12-06T09:00:00Z",
        "ls_task_id": task,
    }
    return {"id": pid, "model_labels": [], "model_scores": {}, "annotations": [ann]}


# ana reads one graphic passage in each of two sets the same day; ben one in one set
SETS = {
    "Round 1": Recent(rows=[_row("a", "r-ana", ["none"], 1)], hidden_by={1: ""}),
    "Weekly": Recent(rows=[_row("b", "r-ana", ["graphic_violence"], 2)], hidden_by={2: ""}),
    "Round 2": Recent(
        rows=[_row("c", "r-ana", ["none"], 3), _row("c", "r-ben", ["none"], 4)],
        hidden_by={3: "term \u201cburn\u201d", 4: "term \u201cburn\u201d"},
    ),
}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    def recent(client: Any, project: str, tax: Any, *, salt: str, since: Any) -> Recent:
        if project == "Broken":
            raise InputError("'Broken' is two kinds of project", fix="rename one")
        return SETS[project]

    monkeypatch.setattr(live, "recent_answers", recent)
    listing = [
        {
            "id": 1,
            "title": "Round 1 · r-ana",
            "description": '[annotate-review] project="Round 1" reviewer="r-ana"',
        },
        {"id": 2, "title": "Weekly #1", "description": ""},
        {"id": 3, "title": "Weekly #2", "description": ""},
        {"id": 4, "title": "Round 2 · adjudication", "description": ADJUDICATION},
        {"id": 5, "title": "Round 2", "description": ""},
        {"id": 6, "title": "Broken", "description": ""},
    ]
    return SimpleNamespace(list_projects=lambda include=None: listing)


def test_a_reviewer_over_the_limit_across_sets_is_flagged_in_each_set(server: Any) -> None:
    names = live.server_projects(server)
    assert names == ["Broken", "Round 1", "Round 2", "Weekly"]
    unread: list[str] = []
    args = {"salt": "s", "since": SINCE, "limit": 1}
    found = live.live_exposure(
        server, "Round 2", TAX, **args, across=["Round 2", "Weekly", "Broken"], unread=unread
    )
    ana = next(r for r in found if r.reviewer == "r-ana")
    assert (ana.answers, ana.graphic) == (1, 1)  # this set alone: at the limit, not above
    assert ana.over == {"2026-12-06": 2}  # her day over every set: above
    assert ana.everywhere == {"answers": 2, "graphic": 2, "high_severity": 2, "adjudications": 0}
    ben = next(r for r in found if r.reviewer == "r-ben")
    assert ben.over == {} and ben.everywhere["answers"] == 1
    assert unread == ["Broken"]
    # one set read alone: as before, per set
    alone = live.live_exposure(server, "Round 2", TAX, **args)
    assert all(r.over == {} and r.everywhere == {} for r in alone)

    lines = exposure_lines(found, {}, {"r-ana": "ana@x", "r-ben": "ben@x"}, SINCE, 1, NOW)
    line = next(x for x in lines if "ana@x" in x)
    assert line.endswith(
        "1 answered, 1 graphic, 1 high severity; over all projects: 2 answered, 2 graphic, "
        "2 high severity  OVER LIMIT: 2 graphic on 2026-12-06"
    ), line
    assert "over all projects" not in next(x for x in lines if "ben@x" in x)
    assert "a day (a UTC day, over every project of the server) (ana@x (r-ana))" in lines[-1]
