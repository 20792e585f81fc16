"""What a team lead trips on with `annotate review reassign`, against the session's real
Label Studio: --from with a typo of a reviewer's e-mail (the one meant is named), --from
with the e-mail of a reviewer they removed (Label Studio blanks it, so the queue is known by
pseudonym only: the error says so and names the removed accounts' queues, where it said
"no queue of that reviewer"), and --to a reviewer an earlier hand-over left away (the
summary says the mark is gone, as they take tasks)."""

from __future__ import annotations

import re

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.review.queues import away_of
from annotate.studio.client import StudioClient

from .review_team import add_team, push_set, run

pytestmark = pytest.mark.integration


def test_reassign_names_the_reviewer_meant_and_the_away_mark_it_clears(
    client: StudioClient, name: str
) -> None:
    ana, ben, cai, dan = add_team(("ana", "ben", "cai", "dan"), "lead-mistakes.test")
    reassign = ["review", "reassign", "--project", name]
    push_set(name, (ana, ben, cai))

    typo = ben.replace("@", "x@", 1)  # a letter too many
    out = run(*reassign, "--from", typo, "--to", dan, code=1)
    assert f"did you mean {ben}?" in out and len(out.strip().splitlines()) == 1, out

    # cai goes on leave; ana's work then goes to cai: cai is back, and the summary says so
    run(*reassign, "--from", cai, "--to", dan)
    since = away_of(reviewer_projects(client, name)[cai])
    assert since is not None
    out = run(*reassign, "--from", ana, "--to", cai)
    assert f"was marked away in '{name}' (since {since}): no longer" in out, out
    assert away_of(reviewer_projects(client, name)[cai]) is None

    # ben leaves for good, removed with his open tasks; the lead then names him by e-mail
    out = run("reviewers", "remove", ben, "--force")
    alias = re.search(r"--from (r-[0-9a-f]{10}) --to EMAIL", out)
    assert alias is not None, out
    out = run(*reassign, "--from", ben, "--to", dan, code=1)
    assert "that account was removed from the organization" in out, out
    assert alias.group(1) in out and "pass --from r-" in out, out
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in out, out
    out = run(*reassign, "--from", alias.group(1), "--to", dan)
    assert "open task(s) (0 gold) moved from" in out and "account was removed" in out, out
