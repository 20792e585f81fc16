"""`review status --project 'NAME #2'` (one numbered part) counted the part's answers twice
in the day over every project: the part read on its own, plus the set ``NAME`` read among
the server's projects, which holds the part (passE51 E1), so a reviewer under the limit was
flagged OVER LIMIT. And a set whose reviewers had answered only elsewhere today said "no
answers yet", hiding a queue owner over the server-wide limit (passE51 E8)."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from annotate.cli.review.exposure import exposure_lines
from annotate.review import live_exposure as live
from annotate.review.recent import Recent
from annotate.taxonomy import load_taxonomy

TAX = load_taxonomy()
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


G = ["graphic_violence"]
# cy: 3 graphic answers in Weekly #2 only; ana: 1 in #1 and 2 in #2; the set reads both parts
PART1 = [_row("a1", "r-ana", G, 1)]
PART2 = [_row(f"c{i}", "r-cy", G, 10 + i) for i in range(3)]
PART2 += [_row(f"a{i}", "r-ana", G, 20 + i) for i in range(2, 4)]
SETS = {
    "Weekly #1": Recent(rows=PART1, hidden_by={}),
    "Weekly #2": Recent(rows=PART2, hidden_by={}),
    "Weekly": Recent(rows=PART1 + PART2, hidden_by={}),
    "Panel B": Recent(rows=[], hidden_by={}),
}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    def recent(client: Any, project: str, tax: Any, *, salt: str, since: Any) -> Recent:
        return SETS[project]

    monkeypatch.setattr(live, "recent_answers", recent)
    listing = [
        {"id": 2, "title": "Weekly #1", "description": ""},
        {"id": 3, "title": "Weekly #2", "description": ""},
        {
            "id": 4,
            "title": "Panel B · r-cy",
            "description": '[annotate-review] project="Panel B" reviewer="r-cy"',
        },
        {
            "id": 5,
            "title": "Panel B · r-bo",
            "description": '[annotate-review] project="Panel B" reviewer="r-bo"',
        },
    ]
    return SimpleNamespace(list_projects=lambda include=None: listing)


def _of(found: list[live.ReviewerExposure], who: str) -> live.ReviewerExposure:
    return next(r for r in found if r.reviewer == who)


def test_a_numbered_part_counts_once_in_the_day_over_every_project(server: Any) -> None:
    across = live.server_projects(server)
    assert across == ["Panel B", "Weekly"]
    args = {"salt": "s", "since": SINCE, "limit": 4, "across": across}
    found = live.live_exposure(server, "Weekly #2", TAX, **args)
    cy = _of(found, "r-cy")  # answered in this part only: over all projects == the part
    assert (cy.answers, cy.graphic) == (3, 3)
    assert cy.everywhere["answers"] == 3 and cy.everywhere["graphic"] == 3
    assert cy.over == {}  # 3 graphic at a limit of 4: was flagged with 6
    ana = _of(found, "r-ana")  # in both parts: the part's 2 and the set's 3
    assert (ana.answers, ana.everywhere["answers"], ana.everywhere["graphic"]) == (2, 3, 3)
    lines = exposure_lines(found, {}, {"r-cy": "cy@x", "r-ana": "ana@x"}, SINCE, 4, NOW)
    assert not any("OVER LIMIT" in x or "consider a break" in x for x in lines), lines
    assert "over all projects" not in next(x for x in lines if "cy@x" in x)
    assert "; over all projects: 3 answered, 3 graphic" in next(x for x in lines if "ana@x" in x)
    # the whole set and the other part: as before
    whole = live.live_exposure(server, "Weekly", TAX, **args)
    assert _of(whole, "r-cy").everywhere["graphic"] == 3
    first = live.live_exposure(server, "Weekly #1", TAX, **{**args, "limit": 2})
    assert _of(first, "r-ana").everywhere["answers"] == 3
    assert _of(first, "r-ana").over == {"2026-12-06": 3}  # the day is still over every project


def test_a_set_with_no_answers_yet_lists_its_reviewers_day_elsewhere(server: Any) -> None:
    args = {"salt": "s", "since": SINCE, "limit": 2, "across": live.server_projects(server)}
    found = live.live_exposure(server, "Panel B", TAX, **args, owners=["r-cy", "r-bo"])
    assert [r.reviewer for r in found] == ["r-cy"]  # bo answered nowhere today: not listed
    cy = found[0]
    assert (cy.answers, cy.graphic, cy.everywhere["graphic"]) == (0, 0, 3)
    assert cy.over == {"2026-12-06": 3}
    lines = exposure_lines(found, {"r-cy": "cy"}, {}, SINCE, 2, NOW)
    assert lines[1] == (
        "  cy: 0 answered, 0 graphic, 0 high severity; over all projects: 3 answered, "
        "3 graphic, 3 high severity  OVER LIMIT: 3 graphic on 2026-12-06"
    ), lines
    assert "(cy)" in lines[-1] and "consider a break" in lines[-1]
    # a plain or numbered project (no queue owners): those over the limit elsewhere
    plain = live.live_exposure(server, "Panel B", TAX, **args)
    assert [r.reviewer for r in plain] == ["r-ana", "r-cy"]  # both 3 graphic elsewhere
    under = live.live_exposure(server, "Panel B", TAX, **{**args, "limit": 5})
    assert under == []  # no one over the limit: "no answers yet", as before
