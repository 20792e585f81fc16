"""`reviewers add` on the local server (bound to 127.0.0.1 only) printed a login link a
reviewer on another machine cannot open, and nothing said how to reach it: on a shared
server the link only works through an SSH tunnel, which the output now names."""

from __future__ import annotations

import pytest

from annotate.review.reviewers import ReviewerLogin
from tests.test_cli import run


@pytest.mark.parametrize(
    ("url", "tunnel"),
    [
        ("http://127.0.0.1:8080", "ssh -N -L 8080:127.0.0.1:8080 USER@THIS-HOST"),
        ("http://localhost:18391", "ssh -N -L 18391:127.0.0.1:18391 USER@THIS-HOST"),
        ("https://labelstudio.example.org", None),
    ],
)
def test_a_login_link_on_this_machine_says_how_reviewers_reach_it(
    url: str, tunnel: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotate.review.reviewers
    import annotate.studio.client

    login = ReviewerLogin(url, "ana@mod.example.org", 2, "pw-123456", True)
    monkeypatch.setattr(annotate.studio.client, "connect", lambda *a, **k: object())
    monkeypatch.setattr(annotate.review.reviewers, "add_reviewer", lambda *a, **k: login)
    ran = run("reviewers", "add", "ana@mod.example.org")
    assert ran.returncode == 0, ran.stderr
    out = ran.stdout + ran.stderr
    assert f"login:    {url}/user/login/" in out
    if tunnel is None:
        assert "SSH tunnel" not in out
    else:
        assert f"`{tunnel}`" in out and "this machine only" in out, out
