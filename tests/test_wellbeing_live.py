"""Reviewer wellbeing while a round runs: `annotate review status` counts each reviewer's
exposure from Label Studio now (the counts of exposure.json, one implementation) and
flags days above a graphic limit; `annotate push --max-graphic-per-reviewer N` holds
graphic passages back from a queue that holds N open ones, and a re-run adds none."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.review.assignment import assign
from annotate.review.exposure import exposure, is_graphic_task
from annotate.review.graphic_cap import graphic_of, riskiest_first, room_left
from annotate.review.live_exposure import (
    DEFAULT_GRAPHIC_LIMIT,
    graphic_limit,
    reviewer_exposure,
    since_time,
)
from annotate.settings import GRAPHIC_LIMIT_ENV
from tests.conftest import FIXTURES


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
    levels = ["none", "low", "medium", "high", "critical"]

    def counted(since: str) -> list[Any]:
        start = datetime.fromisoformat(since).replace(tzinfo=timezone.utc)
        return reviewer_exposure(exposure(rows, levels, counted_from=start), 1)

    today = {r.reviewer: r for r in counted("2026-12-03")}
    assert (today["r-a"].answers, today["r-a"].graphic, today["r-a"].high_severity) == (2, 2, 1)
    assert today["r-a"].over == {"2026-12-03": 2}
    assert today["r-b"].over == {} and today["r-b"].graphic == 0
    since = {r.reviewer: r for r in counted("2026-12-01")}
    assert since["r-a"].answers == 3 and since["r-a"].over == {"2026-12-03": 2}
    assert counted("2026-12-04") == []
    # a time: answers created from then on (09:00 on 2026-12-03 is the last one's)
    assert {r.reviewer for r in counted("2026-12-03T09:00:00")} == {"r-a", "r-b"}
    assert counted("2026-12-03T09:00:01") == []


def test_exposure_lines_are_sorted_by_email_whatever_the_pseudonyms() -> None:
    from annotate.cli.review.exposure import exposure_lines
    from annotate.review.live_exposure import ReviewerExposure

    def seen(who: str, graphic: int = 0) -> ReviewerExposure:
        over = {"2026-12-03": graphic} if graphic > 1 else {}
        return ReviewerExposure(who, 3, graphic, 0, 0, over)

    # pseudonyms in the opposite order of the e-mails; one removed account (no e-mail)
    found = [seen("r-aaa", 2), seen("r-bbb"), seen("r-ccc", 5), seen("r-ddd")]
    names = {"r-aaa": "zoe@t (r-aaa)", "r-ccc": "ann@t (r-ccc)"}
    mails = {"r-bbb": "mia@t", "r-ddd": None}
    since = datetime(2026, 12, 3, tzinfo=timezone.utc)
    now = datetime(2026, 12, 3, 12, tzinfo=timezone.utc)
    lines = exposure_lines(found, names, mails, since, 1, now)
    again = exposure_lines(list(reversed(found)), names, mails, since, 1, now)
    assert lines == again
    shown = [x.split(":")[0].strip() for x in lines if x.startswith("  ")]
    assert shown == ["ann@t (r-ccc)", "mia@t (r-bbb)", "r-ddd [account removed]", "zoe@t (r-aaa)"]
    assert lines[0] == "exposure today (2026-12-03, UTC), graphic limit 1 a day:"
    assert "(ann@t (r-ccc), zoe@t (r-aaa))" in lines[-1]
    later = exposure_lines(found, names, mails, since.replace(hour=9), 1, now)
    assert later[0].startswith("exposure since 2026-12-03T09:00:00+00:00 ")


def test_a_removed_account_above_the_limit_is_counted_but_not_told_to_take_a_break() -> None:
    """The daily warning told a reviewer removed from the organization to "consider a
    break": no one reads it for them. Their exposure still counts (their line, flagged)."""
    from annotate.cli.review.exposure import exposure_lines
    from annotate.review.live_exposure import ReviewerExposure

    found = [
        ReviewerExposure("r-gone", 30, 28, 3, 0, {"2026-12-03": 28}),  # removed, queue known
        ReviewerExposure("r-left", 12, 26, 1, 0, {"2026-12-03": 26}),  # removed, no queue
        ReviewerExposure("r-ana", 40, 27, 2, 0, {"2026-12-03": 27}),
    ]
    names = {"r-gone": "r-gone", "r-ana": "ana@t (r-ana)"}
    since = datetime(2026, 12, 3, tzinfo=timezone.utc)
    now = datetime(2026, 12, 3, 12, tzinfo=timezone.utc)
    lines = exposure_lines(
        found, names, {"r-left": None}, since, 25, now, removed=frozenset({"r-gone"})
    )
    (warning,) = [x for x in lines if "consider a break" in x]
    assert "1 reviewer(s) above 25" in warning and "(ana@t (r-ana))" in warning, warning
    assert "r-gone" not in warning and "r-left" not in warning, warning
    listed = {x.split(":")[0].strip(): x for x in lines if x.startswith("  ")}
    assert "OVER LIMIT: 28 graphic on 2026-12-03" in listed["r-gone [account removed]"]
    assert "OVER LIMIT: 26 graphic on 2026-12-03" in listed["r-left [account removed]"]
    (note,) = [x for x in lines if x.startswith("2 removed account(s)")]
    assert "(r-gone, r-left)" in note, note
    # only removed accounts above the limit: no wellbeing warning at all
    alone = exposure_lines(
        found[:2], names, {"r-left": None}, since, 25, now, removed=frozenset({"r-gone"})
    )
    assert not [x for x in alone if "consider a break" in x], alone


def test_limit_from_option_setting_or_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(GRAPHIC_LIMIT_ENV, raising=False)
    assert graphic_limit(None) == DEFAULT_GRAPHIC_LIMIT
    monkeypatch.setenv(GRAPHIC_LIMIT_ENV, "7")
    assert graphic_limit(None) == 7
    assert graphic_limit(3) == 3
    monkeypatch.setenv(GRAPHIC_LIMIT_ENV, "ten")
    with pytest.raises(InputError, match="ANNOTATE_GRAPHIC_LIMIT is 'ten'"):
        graphic_limit(None)


def test_since_takes_what_escalations_takes_and_no_future() -> None:
    now = datetime(2026, 12, 3, 15, 30, tzinfo=timezone.utc)
    assert since_time(None, now) == datetime(2026, 12, 3, tzinfo=timezone.utc)
    assert since_time("2026-12-01", now) == datetime(2026, 12, 1, tzinfo=timezone.utc)
    assert since_time("2026-12-03T14:00", now) == datetime(2026, 12, 3, 14, tzinfo=timezone.utc)
    assert since_time("2026-12-03T14:00+01:00", now) == datetime(
        2026, 12, 3, 13, tzinfo=timezone.utc
    )
    assert since_time("2026-12-03T14:00Z", now) == datetime(2026, 12, 3, 14, tzinfo=timezone.utc)
    assert since_time("2026-11", now) == datetime(2026, 11, 1, tzinfo=timezone.utc)
    with pytest.raises(InputError, match="expects an ISO date or time, found 'yesterday'"):
        since_time("yesterday", now)
    with pytest.raises(InputError, match="after now"):
        since_time("2026-12-03T16:00", now)


@pytest.mark.parametrize("command", [["review", "status"], ["escalations"]])
def test_a_bad_since_is_one_error_in_both_commands(command: list[str]) -> None:
    out = CliRunner().invoke(app, [*command, "--project", "x", "--since", "12/03"])
    assert out.exit_code == 1, out.output
    assert "--since expects an ISO date or time, found '12/03'" in out.output, out.output
    assert "e.g. --since 2026-11-30 or --since 2026-11-30T14:00" in out.output, out.output
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


@pytest.mark.parametrize("since", ["9999-12-31T23:59-01:00", "0001-01-01T00:00+01:00"])
@pytest.mark.parametrize("command", [["review", "status"], ["escalations"]])
def test_a_since_out_of_range_in_utc_is_an_error_not_a_traceback(
    command: list[str], since: str
) -> None:
    """Both parsed, then overflowed when made UTC (OverflowError: date value out of range)."""
    out = CliRunner().invoke(app, [*command, "--project", "x", "--since", since])
    assert out.exit_code == 1, out.output
    assert f"--since is {since!r}, which is out of range in UTC" in out.output, out.output
    assert "Traceback" not in out.output


def test_an_early_since_is_sent_as_the_server_reads_it() -> None:
    """A year before 1000 was sent as ``999-01-01T...``, which Label Studio cannot read."""
    from annotate.review.recent import touched_since

    for when in (
        datetime(999, 1, 1, tzinfo=timezone.utc),
        datetime(2026, 12, 3, 9, 5, 7, 12, timezone.utc),
    ):
        stamp = touched_since(when)["value"]
        read = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ")  # as the server reads it
        assert read.replace(tzinfo=timezone.utc) == when, stamp
