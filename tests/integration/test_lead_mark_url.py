"""break13 findings 7 and 8 against a real Label Studio: a lead marked through
``http://127.0.0.1:PORT`` lost her mark through ``http://localhost:PORT`` (the leads file
was keyed by the URL as typed), so a push from there gave her a queue again; and
``reviewers add EMAIL --not-lead`` with a typo made a new, undeletable account."""

from __future__ import annotations

import uuid

import pytest

from annotate.review.reviewers import find_user
from annotate.studio.client import StudioClient
from annotate.studio.connection import KEY_ENV, URL_ENV, Connection

from .review_team import add_team, run

pytestmark = pytest.mark.integration


def test_the_lead_mark_holds_through_localhost_and_not_lead_makes_no_account(
    client: StudioClient, studio: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "127.0.0.1" in studio.url, studio.url
    tag = uuid.uuid4().hex[:6]
    (lea,) = add_team(("lea",), f"leads{tag}.test")
    assert f"{lea} is now a lead" in run("reviewers", "add", lea, "--lead")
    monkeypatch.setenv(URL_ENV, studio.url.replace("127.0.0.1", "localhost"))
    monkeypatch.setenv(KEY_ENV, studio.api_key)
    listed = {ln.split("\t")[0]: ln for ln in run("reviewers", "list").splitlines()}
    assert "\tlead (no queue" in listed[lea], listed[lea]
    typo = lea.replace("lea-", "lee-")
    out = run("reviewers", "add", typo, "--not-lead", code=1)
    assert f"no account {typo}" in out and f"did you mean {lea}?" in out, out
    assert find_user(client, typo) is None  # nothing was signed up
    assert f"{lea} is no longer a lead" in run("reviewers", "add", lea, "--not-lead")
