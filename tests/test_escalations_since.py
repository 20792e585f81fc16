"""`annotate escalations --since`: dates are compared as times, not as strings."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

import annotate.review.escalations as escalations
from annotate.errors import InputError
from tests.conftest import project_taxonomy
from tests.test_cli import _error_line, run


def _row(pid: str, created_at: str, severity: str = "critical") -> dict[str, Any]:
    ann = {"reviewer": "r-a", "severity": severity, "categories": ["violent_threat"]}
    return {
        "id": pid,
        "doc_id": "d",
        "source": "s",
        "text": "t",
        "annotations": [{**ann, "created_at": created_at}],
    }


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    rows = [
        _row("old", "2026-11-29T23:30:00.000000Z"),
        _row("late-utc", "2026-11-30T00:30:00.000000Z"),
        _row("new", "2026-12-01T04:51:05.651489Z"),
        _row("mild", "2026-12-01T05:00:00Z", severity="low"),
    ]
    monkeypatch.setattr(
        escalations, "collect", lambda *a, **k: SimpleNamespace(rows=rows, adjudications=[])
    )


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (None, ["old", "late-utc", "new"]),
        ("2026-11-30", ["late-utc", "new"]),
        ("2026-11-30T01:00", ["new"]),
        ("2026-11-30T01:00+02:00", ["old", "late-utc", "new"]),  # 2026-11-29T23:00 UTC
        ("2026-12-01T04:51:05Z", ["new"]),
        ("2026-12", ["new"]),
        ("2999", []),
    ],
)
def test_since_compares_times(answers: None, since: str | None, expected: list[str]) -> None:
    found = escalations.pending(object(), "P", project_taxonomy(), salt="s", since=since)  # type: ignore[arg-type]
    assert [e.passage for e in found] == expected


@pytest.mark.parametrize("since", ["yesterday", "30/11/2026", "2026-13-01"])
def test_a_since_that_is_not_an_iso_date_is_an_error_not_an_empty_list(
    answers: None, since: str
) -> None:
    with pytest.raises(InputError, match="--since expects an ISO date or time"):
        escalations.pending(object(), "P", project_taxonomy(), salt="s", since=since)  # type: ignore[arg-type]


def test_the_cli_refuses_it_before_asking_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")  # answers nothing
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "a" * 40)
    line = _error_line(run("escalations", "--project", "P", "--since", "yesterday"))
    assert "found 'yesterday'" in line and "Fix: e.g. --since 2026-11-30" in line


@pytest.mark.parametrize("webhook", ["not-a-url", "hooks.example.org/x", "https://"])
def test_a_webhook_that_is_not_a_url_is_refused_before_asking_the_server(
    monkeypatch: pytest.MonkeyPatch, webhook: str
) -> None:
    """It was refused only after the server had been asked and every escalation listed
    ('https://' not at all)."""
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")  # answers nothing
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "a" * 40)
    line = _error_line(run("escalations", "--project", "P", "--webhook", webhook))
    assert f"--webhook {webhook!r} is not an http(s) URL" in line and "Fix:" in line


def test_an_answer_edited_up_to_high_after_since_is_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """Saved at low before --since, edited to critical after it: it became an escalation
    at the edit, so the edit time (``updated_at``) counts, and is the time reported."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    edited = _row("edited", "2026-11-29T10:00:00Z")
    edited["annotations"][0]["updated_at"] = "2026-12-01T09:00:00.000000Z"
    untouched = _row("untouched", "2026-11-29T10:00:00Z")
    untouched["annotations"][0]["updated_at"] = "2026-11-29T10:00:00Z"
    unreadable = _row("bad-update", "2026-11-29T10:00:00Z")
    unreadable["annotations"][0]["updated_at"] = "not a time"
    rows = [edited, untouched, unreadable]
    monkeypatch.setattr(
        escalations, "collect", lambda *a, **k: SimpleNamespace(rows=rows, adjudications=[])
    )
    found = escalations.pending(object(), "P", project_taxonomy(), salt="s", since="2026-12-01")  # type: ignore[arg-type]
    assert [e.passage for e in found] == ["edited"]
    assert found[0].answered_at == "2026-12-01T09:00:00.000000Z"


def test_oldest_first_by_time_not_text(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """``11:30+01:00`` (10:30 UTC) is older than ``10:45Z``, and ``10:00:00Z`` than
    ``10:00:00.250000Z``; as text they sorted the other way."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    rows = [
        _row("b-quarter", "2026-12-03T10:00:00.250000Z"),
        _row("a-whole", "2026-12-03T10:00:00Z"),
        _row("d-utc", "2026-12-03T10:45:00Z"),
        _row("c-offset", "2026-12-03T11:30:00+01:00"),
    ]
    monkeypatch.setattr(
        escalations, "collect", lambda *a, **k: SimpleNamespace(rows=rows, adjudications=[])
    )
    found = escalations.pending(object(), "P", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert [e.passage for e in found] == ["a-whole", "b-quarter", "c-offset", "d-utc"]
