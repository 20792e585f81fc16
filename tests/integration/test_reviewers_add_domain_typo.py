"""A lead who mistypes the domain of a new reviewer's e-mail (`cai@exmaple.org` beside the
team's `@example.org`) got the account made: Label Studio can neither delete it nor sign
that address up again, and every later push without --reviewer gave it passages. Now
`reviewers add` refuses it before signing anything up, naming the address meant;
`--new-domain` makes it when the domain is right. Against the session's Label Studio."""

from __future__ import annotations

import uuid

import pytest

from annotate.review.reviewers import find_user
from annotate.studio.client import StudioClient

from .review_team import add_team, run

pytestmark = pytest.mark.integration


def test_a_domain_one_letter_from_the_teams_is_refused_unless_confirmed(
    client: StudioClient,
) -> None:
    tag = uuid.uuid4().hex[:6]
    domain = f"crew{tag}.test"
    (ana,) = add_team(("ana",), domain)
    typo = f"cai-{tag}@crew{tag}.tset"  # the last two letters swapped
    out = run("reviewers", "add", typo, code=1)
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), out
    assert f"one letter from {domain!r}" in out and ana in out, out
    assert f"Fix: annotate reviewers add cai-{tag}@{domain};" in out, out
    assert "--new-domain" in out
    assert find_user(client, typo) is None  # nothing was signed up
    # the domain is right after all: confirmed, the account is made
    out = run("reviewers", "add", typo, "--new-domain")
    assert f"reviewer {typo} created" in out and find_user(client, typo) is not None
    # a domain far from every account's is made as before, without the option
    other = f"dee-{tag}@elsewhere{tag}.test"
    assert f"reviewer {other} created" in run("reviewers", "add", other)
