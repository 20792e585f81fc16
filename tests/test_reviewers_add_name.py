"""`reviewers add --name` warns that Label Studio shows the name beside the reviewer's
answers to every member who opens their queue: Community lets any member open any
project, so a colleague reads whose queue the pseudonym ``r-…`` is (stop 46 ui pass)."""

from __future__ import annotations

import pytest

from annotate.review.reviewers import ReviewerLogin
from tests.test_cli import run


@pytest.mark.parametrize("created", [True, False])
@pytest.mark.parametrize("name", ["Ana Lima", None])
def test_a_display_name_is_warned_to_undo_the_queue_pseudonym(
    created: bool, name: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotate.review.reviewers
    import annotate.studio.client

    login = ReviewerLogin("https://ls.example.org", "ana@mod.example.org", 2, "pw-1", created)
    monkeypatch.setattr(annotate.studio.client, "connect", lambda *a, **k: object())
    monkeypatch.setattr(annotate.review.reviewers, "add_reviewer", lambda *a, **k: login)
    args = ["reviewers", "add", "ana@mod.example.org", "-q"]
    ran = run(*args, *(["--name", name] if name else []))
    assert ran.returncode == 0, ran.stderr
    out = ran.stdout + ran.stderr
    if name is None:
        assert "warning" not in out
        return
    # said always (-q too), for an account made now or already there (the name is set)
    assert "warning: Label Studio shows 'Ana Lima' beside each answer" in out, out
    assert "every member who opens their queue" in out and "pseudonym r-" in out
