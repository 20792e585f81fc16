"""`review status` reads review sets and plain projects alike, so a name that is neither
gets the closest names of both kinds: a typo of a plain project's name ("forum dec") was
answered "'forum dec' is not a review set ... did you mean 'Forum Rev'?", another team's
review set, as if status read review sets only."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.review.handover import unknown_name_error
from annotate.studio.projects import review_marker_prefix


class Projects:
    url = "http://fake"

    def __init__(self, projects: list[dict[str, Any]]) -> None:
        self.projects = projects

    def list_projects(self, include: Any = None) -> list[dict[str, Any]]:
        return self.projects

    def whoami(self) -> dict[str, Any]:
        return {"id": 1}


def _queue(pid: int, name: str, alias: str) -> dict[str, Any]:
    marker = f'{review_marker_prefix(name)}"{alias}"'
    return {"id": pid, "title": f"{name} · {alias}", "description": marker}


PROJECTS = [
    {"id": 1, "title": "Forum Dec", "description": ""},
    _queue(2, "Forum Rev", "r-a"),
    _queue(3, "Forum Rev", "r-b"),
    {"id": 4, "title": "Big", "description": ""},
    {"id": 5, "title": "Big #1", "description": ""},
]


def test_a_typo_of_a_plain_project_is_offered_that_project() -> None:
    err = unknown_name_error(Projects(PROJECTS), "forum dec")  # type: ignore[arg-type]
    assert err is not None
    assert "'forum dec' is neither a review set nor a project at http://fake" in str(err)
    assert "did you mean 'Forum Dec'" in str(err)


def test_a_missing_lead_project_is_offered_its_review_set_and_nothing_is_listed_twice() -> None:
    err = unknown_name_error(Projects(PROJECTS), "Forum Rev · adjudication")  # type: ignore[arg-type]
    assert err is not None and "did you mean 'Forum Rev'" in str(err)
    err = unknown_name_error(Projects(PROJECTS), "Nope")  # type: ignore[arg-type]
    assert err is not None
    assert "pass one of 'Big', 'Forum Dec', 'Forum Rev'." in str(err)


def test_a_name_that_exists_gets_its_own_error() -> None:
    for name in ("Forum Dec", "Forum Rev", "Big", "Big #1", "Forum Rev · r-a"):
        assert unknown_name_error(Projects(PROJECTS), name) is None  # type: ignore[arg-type]


def test_the_cli_says_it(monkeypatch, tmp_path) -> None:
    # `review status` keys reviewer pseudonyms with the salt of the work folder: a
    # tmp_path one, never the repository's .annotate (conftest fails a test that makes it)
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    client = Projects(PROJECTS)
    monkeypatch.setattr("annotate.studio.client.connect", lambda *a, **k: client)
    monkeypatch.setattr("annotate.review.project_status.project_status", lambda c, p: [])

    def no_set(client: Any, project: str, salt: str, **_: Any) -> None:
        raise InputError(f"{project!r} is not a review set.")

    monkeypatch.setattr("annotate.review.handover.queue_status", no_set)
    out = CliRunner().invoke(app, ["review", "status", "--project", "forum dec"])
    assert out.exit_code == 1, out.output
    assert "did you mean 'Forum Dec'" in out.output, out.output


def test_status_in_a_folder_without_the_salt_makes_none(monkeypatch, tmp_path) -> None:
    """newuser57 F8: `review status` run where no salt is kept refused clearly, and left a
    new .annotate/pseudonym_salt behind; a reading command makes none."""
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))
    monkeypatch.delenv("ANNOTATE_PSEUDONYM_SALT", raising=False)
    client = Projects(PROJECTS)
    monkeypatch.setattr("annotate.studio.client.connect", lambda *a, **k: client)
    monkeypatch.setattr("annotate.review.project_status.project_status", lambda c, p: [])

    def another_salt(client: Any, project: str, salt: str, **_: Any) -> None:
        raise InputError(f"{project!r}: its queues were made with another salt.")

    monkeypatch.setattr("annotate.review.handover.queue_status", another_salt)
    out = CliRunner().invoke(app, ["review", "status", "--project", "Forum Rev"])
    assert out.exit_code == 1, out.output
    assert not (tmp_path / ".annotate" / "pseudonym_salt").exists()
