"""A gold passage that came in regular pre-labels too (the push skipped it) is named by
`agreement` and export before any reviewer answers it, against a real Label Studio, as
`review status` names it: they counted it only once it was answered (the snapshot holds
answered tasks only), so the first export after the push said nothing (manifest
``gold_passages_also_regular`` 0) while status warned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio.client import StudioClient

from .helpers import GOLD, gold_pushed_as_data
from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration
WARNED = "gold passage(s) of review set"


def test_a_gold_passage_pushed_as_data_is_counted_before_anyone_answers_it(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    ana, ben = add_team(("ana", "ben"), "goldu.test")
    monday, wednesday = gold_pushed_as_data(tmp_path)
    push_set(name, (ana, ben), "--gold", str(GOLD), "--gold-rate", "0.25", "-q", source=monday)
    push_set(name, (ana, ben), "-q", source=wednesday)
    # the reviewers answer a regular passage only; nobody answers the gold one
    for email, proj in reviewer_projects(client, name).items():
        answer_as(client, email, int(proj["id"]), "doc-a-p0", ["none"])

    status = run("review", "status", "--project", name)
    assert f"warning: 1 {WARNED} {name!r}" in status, status
    agreement = run("agreement", "--project", name)
    assert f"warning: 1 {WARNED} {name!r}" in agreement, agreement
    out = run("export", "--project", name, "--out", str(tmp_path / "corpus"), "-q")
    assert "were skipped because they are gold tasks" in out, out
    manifest = json.loads((tmp_path / "corpus" / "manifest.json").read_text())
    assert manifest["review"]["gold_passages_also_regular"] == 1
