"""Reviewer wellbeing while a round runs: `annotate review status` counts each reviewer's
exposure from Label Studio now (the counts of exposure.json, one implementation) and
flags days above a graphic limit; `annotate push --max-graphic-per-reviewer N` holds
graphic passages back from a queue that holds N open ones, and a re-run adds none."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.corpus.resolve import pseudonym
from annotate.errors import InputError
from annotate.review.exposure import exposure, is_graphic_task
from annotate.review.fanout import assign
from annotate.review.graphic_cap import graphic_of, riskiest_first, room_left
from annotate.review.live_exposure import (
    DEFAULT_GRAPHIC_LIMIT,
    graphic_limit,
    live_exposure,
    reviewer_exposure,
    since_day,
)
from annotate.settings import GRAPHIC_LIMIT_ENV
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.conftest import FIXTURES, project_taxonomy


def _ann(who: str, day: str, categories: list[str], severity: str = "none") -> dict[str, Any]:
    return {
        "reviewer": who,
        "categories": categories,
        "severity": severity,
        "created_at": f"{day}T09:00:00Z",
    }


def _row(pid: str, labels: list[str], anns: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": pid, "model_labels": labels, "model_scores": {}, "annotations": anns}


def test_status_sums_days_since_and_flags_days_above_the_limit() -> None:
    rows = [
        _row("p1", ["graphic_violence"], [_ann("r-a", "2026-12-02", ["none"], "high")]),
        _row("p2", ["graphic_violence"], [_ann("r-a", "2026-12-03", ["none"])]),
        _row("p3", ["none"], [_ann("r-a", "2026-12-03", ["graphic_violence"], "critical")]),
        _row("p4", ["none"], [_ann("r-b", "2026-12-03", ["none"])]),
    ]
    record = exposure(rows, ["none", "low", "medium", "high", "critical"])
    today = {r.reviewer: r for r in reviewer_exposure(record, "2026-12-03", 1)}
    assert (today["r-a"].answers, today["r-a"].graphic, today["r-a"].high_severity) == (2, 2, 1)
    assert today["r-a"].over == {"2026-12-03": 2}
    assert today["r-b"].over == {} and today["r-b"].graphic == 0
    since = {r.reviewer: r for r in reviewer_exposure(record, "2026-12-01", 1)}
    assert since["r-a"].answers == 3 and since["r-a"].over == {"2026-12-03": 2}
    assert reviewer_exposure(record, "2026-12-04", 1) == []


def test_live_exposure_reads_the_projects_as_export_does() -> None:
    tax = project_taxonomy()
    studio = FakeStudio(reviewed_tasks())  # answered on 2026-06-01 by users 1, 2, 3
    found = live_exposure(
        studio,  # type: ignore[arg-type]
        "p",
        tax,
        salt="s",
        since="2026-06-01",
        limit=0,
    )
    by = {r.reviewer: r for r in found}
    assert set(by) == {pseudonym(u, "s") for u in (1, 2, 3)}
    first = by[pseudonym(1, "s")]
    assert first.answers >= 2 and first.high_severity >= 1
    none = live_exposure(studio, "p", tax, salt="s", since="2026-06-02", limit=0)  # type: ignore[arg-type]
    assert none == []


def test_limit_from_option_setting_or_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(GRAPHIC_LIMIT_ENV, raising=False)
    assert graphic_limit(None) == DEFAULT_GRAPHIC_LIMIT
    monkeypatch.setenv(GRAPHIC_LIMIT_ENV, "7")
    assert graphic_limit(None) == 7
    assert graphic_limit(3) == 3
    monkeypatch.setenv(GRAPHIC_LIMIT_ENV, "ten")
    with pytest.raises(InputError, match="ANNOTATE_GRAPHIC_LIMIT is 'ten'"):
        graphic_limit(None)


def test_since_must_be_a_past_day() -> None:
    today = date(2026, 12, 3)
    assert since_day(None, today) == "2026-12-03"
    assert since_day("2026-12-01", today) == "2026-12-01"
    with pytest.raises(InputError, match="expected a day as YYYY-MM-DD"):
        since_day("yesterday", today)
    with pytest.raises(InputError, match="after today"):
        since_day("2026-12-04", today)


def test_status_refuses_a_bad_since_before_any_request() -> None:
    out = CliRunner().invoke(app, ["review", "status", "--project", "x", "--since", "12/03"])
    assert out.exit_code == 1 and "expected a day as YYYY-MM-DD" in out.output, out.output
    assert "Traceback" not in out.output


def _tasks(graphic: dict[str, float]) -> dict[str, dict[str, Any]]:
    """Passage id -> a task to push; ``graphic``: the graphic ones and their priority."""
    out = {}
    for pid in ("a", "b", "c", "d", "e"):
        flagged = pid in graphic
        out[pid] = {
            "data": {
                "passage_id": pid,
                "priority": graphic.get(pid, 0.1),
                "model_labels": ["graphic_violence"] if flagged else ["none"],
                "model_scores": {"graphic_violence": 0.9 if flagged else 0.01},
            }
        }
    return out


def test_cap_keeps_the_riskiest_graphic_and_a_rerun_adds_nothing() -> None:
    tasks = _tasks({"b": 0.5, "c": 0.9, "d": 0.7})
    assert graphic_of(tasks) == {"b", "c", "d"}
    people = ["x@t", "y@t"]
    held: dict[str, int] = {}
    room = room_left({}, 1, people)
    todo = assign(
        riskiest_first(tasks, tasks),
        people,
        2,
        {},
        graphic=graphic_of(tasks),
        room=room,
        held_back=held,
    )
    # each queue takes one graphic passage, the riskiest (c); b and d wait
    assert sorted(todo["c"]) == people and todo["b"] == [] and todo["d"] == []
    assert held == {"b": 2, "d": 2}
    assert all(sorted(todo[p]) == people for p in ("a", "e"))
    # the same push again: the queues hold what it added, c open in both
    holders = {p: set(who) for p, who in todo.items() if who}
    open_now = {r: sum(1 for p in ("b", "c", "d") if r in holders.get(p, ())) for r in people}
    again = assign(
        riskiest_first(tasks, tasks),
        people,
        2,
        holders,
        graphic=graphic_of(tasks),
        room=room_left(open_now, 1, people),
    )
    assert not any(again.values()), again
    # once c is answered, the next push adds d (the next riskiest) to both
    later = assign(
        riskiest_first(tasks, tasks),
        people,
        2,
        holders,
        graphic=graphic_of(tasks),
        room=room_left({r: 0 for r in people}, 1, people),
    )
    assert sorted(later["d"]) == people and later["b"] == []


def test_cap_zero_holds_every_graphic_passage_and_none_leaves_push_as_it_was() -> None:
    tasks = _tasks({"c": 0.9})
    people = ["x@t", "y@t", "z@t"]
    capped = assign(
        sorted(tasks), people, 2, {}, graphic=graphic_of(tasks), room=room_left({}, 0, people)
    )
    assert capped["c"] == [] and all(len(capped[p]) == 2 for p in "abde")
    assert len(assign(sorted(tasks), people, 2, {})["c"]) == 2


def test_graphic_task_by_its_model_fields() -> None:
    rows = [json.loads(line) for line in (FIXTURES / "prelabels.jsonl").read_text().splitlines()]
    flagged = [
        r["id"]
        for r in rows
        if is_graphic_task({"model_labels": r["labels"], "model_scores": r["scores"]})
    ]
    assert flagged == ["doc-c-p1"]
    assert not is_graphic_task({"model_scores": "not a mapping"})


def test_push_refuses_the_cap_without_a_review_set(tmp_path: Any) -> None:
    out = CliRunner().invoke(
        app,
        [
            "push",
            str(FIXTURES / "prelabels.jsonl"),
            "--project",
            "x",
            "--max-graphic-per-reviewer",
            "2",
        ],
    )
    assert out.exit_code == 1, out.output
    assert "--max-graphic-per-reviewer caps the graphic passages" in out.output
    assert "add --reviewers-per-task 2" in out.output
