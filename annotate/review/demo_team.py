"""The demo's review team: two reviewer accounts and a K=2 review set of the sample.

Passwords are kept in ``$ANNOTATE_HOME/demo/reviewers.json`` (mode 0600) so a second
``annotate demo`` prints the same logins; the accounts and projects are re-used.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from annotate._util.atomic import atomic_write_text
from annotate.review.fanout import ReviewPushResult, push_review
from annotate.review.reviewers import DEMO_REVIEWERS, add_reviewer
from annotate.studio.client import StudioClient
from annotate.taxonomy import Taxonomy


@dataclass(frozen=True)
class DemoReviewer:
    email: str
    password: str | None
    project_url: str


def demo_team(
    client: StudioClient,
    prelabels: str | os.PathLike[str],
    project: str,
    workdir: Path,
    *,
    taxonomy: Taxonomy | None = None,
) -> tuple[list[DemoReviewer], ReviewPushResult]:
    """Create (or re-use) the two demo reviewers and give them ``prelabels`` with K=2.

    A demo queue deleted in Label Studio since an earlier demo is made again (logged),
    where a real push refuses until told ``--recreate-deleted``: the demo's projects hold
    nothing but the sample corpus, and ``make demo`` has no option to pass."""
    store = workdir / "reviewers.json"
    known: dict[str, str] = json.loads(store.read_text()) if store.is_file() else {}
    for email, name in DEMO_REVIEWERS:
        login = add_reviewer(client, email, name=name)
        if login.created and login.password:
            known[email] = login.password
    atomic_write_text(store, json.dumps(known, indent=2) + "\n", private=True)
    emails = [e for e, _ in DEMO_REVIEWERS]
    pushed = push_review(
        prelabels,
        project,
        2,
        reviewers=emails,
        taxonomy=taxonomy,
        client=client,
        recreate_deleted=True,
    )
    urls = {s.email: s.project_url for s in pushed.reviewers}
    team = [DemoReviewer(e, known.get(e), urls[e]) for e in emails]
    return team, pushed
