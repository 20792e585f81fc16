"""A review set records its K (``push --reviewers-per-task``) with its other metadata, in
every reviewer queue's description, against a real Label Studio: `review status` and
export measure "short of a reviewer" against K (before, against the most-reviewed
passage: one answer each read as nobody short), the manifest states K, a push with
another K is refused with the fix, and a review set pushed before K was recorded gets
it from its next push (refused when that push's K is below what its passages hold)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.review.queues import K_PREFIX, k_of
from annotate.studio.client import StudioClient

from .helpers import FIXTURES, PRELABELS
from .review_team import add_team, answer_as, push_set, reviewer_flags, run

pytestmark = pytest.mark.integration


def descriptions(client: StudioClient, name: str) -> dict[str, str]:
    return {
        email: str(client.get_project(int(p["id"])).get("description") or "")
        for email, p in reviewer_projects(client, name).items()
    }


def test_k_is_recorded_used_by_status_and_export_and_kept(
    client: StudioClient, name: str, tmp_path: Path
) -> None:
    team = add_team(("ana", "ben", "cai"), "k.test")
    ana = next(iter(team))
    who = reviewer_flags(team)
    push_set(name, team, "-q")
    queues = reviewer_projects(client, name)
    assert len(queues) == 3
    assert all(k_of(client.get_project(int(p["id"]))) == 2 for p in queues.values())

    # ana answers her passages; every passage stays one answer short of K = 2
    ana_q = int(queues[ana]["id"])
    mine = sorted(t["data"]["passage_id"] for t in client.iter_tasks(ana_q))
    for passage in mine:
        answer_as(client, ana, ana_q, passage, ["none"])
    status = run("review", "status", "--project", name)
    assert "3 reviewer queue(s), 2 reviewer(s) per passage" in status, status
    assert "6 of 6 passage(s) have fewer than 2 answer(s)" in status, status

    out = run("export", "--project", name, "--out", str(tmp_path / "corpus"))  # no -q: a note
    manifest = json.loads((tmp_path / "corpus" / "manifest.json").read_text())
    assert manifest["reviewers_per_passage"] == {"1": len(mine)}
    assert manifest["review"]["reviewers_per_task"] == 2
    assert manifest["review"]["passages_short_of_own_reviewers"]["passages"] == len(mine)
    assert "passages_short_of_reviewers" not in manifest["review"]  # one count (s56 left #2)
    # every answered passage has one answer: short of K, though none has fewer than the
    # most-reviewed (which the export compared with before)
    assert f"{len(mine)} passage(s) have answers from fewer than the 2 reviewers" in out, out
    report = (tmp_path / "corpus" / "report" / "report.md").read_text()
    assert f"{len(mine)} passage(s) have fewer than 2 answers" in report

    # another K: refused before anything changes, naming the review set's K
    before = descriptions(client, name)
    wrong = run("push", str(PRELABELS), "--project", name, "-k", "3", "-q", *who, code=1)
    assert "--reviewers-per-task 2" in wrong and "another --project" in wrong, wrong
    assert "Traceback" not in wrong and len(wrong.strip().splitlines()) == 1, wrong
    assert descriptions(client, name) == before
    again = push_set(name, team)
    assert again.count("0 added (0 gold)") == 3, again
    plain = run("push", str(PRELABELS), "--project", name, "-q", code=1)
    assert "2 per passage" in plain and "--reviewers-per-task 2" in plain, plain


def test_a_review_set_pushed_before_k_was_recorded_gets_it_from_its_next_push(
    client: StudioClient, name: str
) -> None:
    team = add_team(("dan", "eve"), "k.test")
    push_set(name, team, "-q")
    for email, text in descriptions(client, name).items():  # as an older annotate made it
        proj = reviewer_projects(client, name)[email]
        old = "\n".join(line for line in text.splitlines() if not line.startswith(K_PREFIX))
        client.update_project(int(proj["id"]), description=old)
    status = run("review", "status", "--project", name)
    assert "reviewers per passage not recorded" in status, status

    # its passages have two reviewers each: K = 1 (a review push: with gold) would
    # misread every one of them
    gold = ["--gold", str(FIXTURES / "gold.jsonl"), "--gold-rate", "0.2"]
    wrong = run(
        "push",
        str(PRELABELS),
        "--project",
        name,
        "-k",
        "1",
        "-q",
        *gold,
        *reviewer_flags(team),
        code=1,
    )
    assert "holds passages with 2 reviewers each" in wrong, wrong
    assert "--reviewers-per-task 2" in wrong, wrong
    assert all(K_PREFIX not in text for text in descriptions(client, name).values())
    push_set(name, team, "-q")
    assert all(f"{K_PREFIX}2" in text for text in descriptions(client, name).values())
