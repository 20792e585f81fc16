"""``review.adjudicated_by_admin`` counts the passages decided in adjudication under the
admin account annotate works with (a shared login: the decisions name no person), and the
export's warning and report.md say so (passK54 K3: only `review status` showed it). The
real server's case: tests/integration/test_export_admin_decisions.py."""

from __future__ import annotations

from annotate.audit.report import _admin_decisions_lines
from annotate.cli.export import admin_adjudication_warning
from annotate.review.report import adjudicated_by_account


def _row(pid: str, resolution: str, lead: str | None) -> dict:
    return {"id": pid, "resolution": resolution, "adjudicator": lead, "annotations": []}


def test_only_passages_the_admin_decided_are_counted() -> None:
    rows = [
        _row("p2", "adjudicated", "r-admin"),
        _row("p1", "adjudicated", "r-admin"),
        _row("p3", "adjudicated", "r-lea"),  # the lead, as herself
        _row("p4", "majority", None),
        _row("p5", "tie", "r-admin"),  # not decided (a stale field): not counted
    ]
    assert adjudicated_by_account(rows, "r-admin") == {
        "account": "r-admin",
        "passages": 2,
        "ids": ["p1", "p2"],
    }
    assert adjudicated_by_account([], "r-admin")["passages"] == 0


def test_the_warning_and_the_report_name_the_admin_account() -> None:
    record = {"account": "r-9f3502a4c2", "passages": 20, "ids": [f"p{i:02}" for i in range(20)]}
    text = admin_adjudication_warning(record, "Weekly", {"r-9f3502a4c2": "admin@annotate.local"})
    assert text.startswith(
        "warning: 20 passage(s) were decided in adjudication under the admin account annotate "
        "works with (r-9f3502a4c2, admin@annotate.local; the login `annotate studio start` "
        "prints"
    ), text
    assert "review.adjudicated_by_admin" in text and "'Weekly · adjudication'" in text
    assert "(r-9f3502a4c2; the login" in admin_adjudication_warning(record, "Weekly", {})
    (blank, line) = _admin_decisions_lines(record)
    assert blank == "" and line.startswith(
        "Lead decisions under the shared admin account: 20 passage(s) were decided in "
        "adjudication by r-9f3502a4c2"
    )
    assert "p09 and 10 more." in line
    assert _admin_decisions_lines({**record, "passages": 0, "ids": []}) == []
    assert _admin_decisions_lines(None) == []  # an export before the record
