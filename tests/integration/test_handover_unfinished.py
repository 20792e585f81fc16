"""The review team's hand-over, against the session's real Label Studio:

- a `review reassign` stopped midway (the tasks copied into the new reviewer's queue, not
  yet removed from the old one) leaves passages in both queues: `review status` shows it
  with the exact command that finishes it, and that command finishes it with no passage
  copied twice nor lost;
- a hand-over from a reviewer with no open task says plainly that nothing moved and that
  the reviewer is marked away all the same, and leaves an away target away;
- `reviewers list` shows who is away, and where; `reviewers remove` of either reviewer of
  a stopped hand-over is refused, naming the command that finishes it;
- while such a move is unfinished, `review status` counts a passage open in both queues
  once, and names the passages answered in both (K+1 answers: export, agreement and the
  vote count them all); a hand-over to a reviewer who holds every passage says so, with
  the command to hand them to someone else.
"""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.corpus.export import reviewer_salt
from annotate.review.collect import collect
from annotate.review.queue_tasks import reviewer_projects
from annotate.review.queues import away_of
from annotate.studio.client import StudioClient
from annotate.taxonomy import load_taxonomy

from .helpers import passage_ids
from .review_team import add_team, answer_as, push_set, run

pytestmark = pytest.mark.integration


def holders(client: StudioClient, name: str) -> dict[str, list[str]]:
    """Passage -> the reviewers (e-mails) whose queue holds it, once per task."""
    out: dict[str, list[str]] = {}
    for email, proj in reviewer_projects(client, name).items():
        for pid in passage_ids(client, int(proj["id"])):
            out.setdefault(pid, []).append(email)
    return out


def stopped_midway(monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    """`annotate review reassign ARGS` killed once its copies are made: before any task
    is removed from the old reviewer's queue."""

    def interrupted(self: StudioClient, ids: list[int], **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as mp:
        mp.setattr(StudioClient, "delete_tasks", interrupted)
        assert CliRunner().invoke(app, ["review", "reassign", *args]).exit_code != 0


def fix_of(status: str) -> list[str]:
    """The command `review status` names to finish the stopped hand-over (as argv)."""
    found = re.search(r"stopped midway: .*: annotate (review reassign .*)$", status, re.M)
    assert found is not None, status
    return shlex.split(found.group(1))


def test_status_shows_a_hand_over_stopped_midway_and_its_command_finishes_it(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, ben, cai = add_team(("ana", "ben", "cai"), "unfinished.test")
    push_set(name, (ana, ben))
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    passages = sorted(passage_ids(client, ana_q))
    assert "stopped midway" not in run("review", "status", "--project", name)

    stopped_midway(monkeypatch, "--project", name, "--from", ana, "--to", cai)
    assert all(len(h) == 3 for h in holders(client, name).values())  # K + 1 each
    # ana answers one of them before anyone notices: it stays hers
    answer_as(client, ana, ana_q, passages[0], ["none"])
    status = run("review", "status", "--project", name)
    assert f"a hand-over from {ana} (r-" in status and f"to {cai} (r-" in status, status
    assert f"{len(passages)} passage(s) (e.g. {passages[0]!r}) sit in both" in status, status
    command = fix_of(status)
    # ana was marked away by the stopped run: the same command, which keeps that
    assert command == ["review", "reassign", "--project", name, "--from", ana, "--to", cai]

    out = run(*command)
    assert f"{len(passages) - 1} open task(s) (0 gold) moved" in out, out
    assert "1 answered during the move" in out, out
    assert "stopped midway" not in run("review", "status", "--project", name)
    held = holders(client, name)
    assert sorted(held) == passages and all(len(h) == 2 for h in held.values()), held
    assert sorted(held[passages[0]]) == sorted([ana, ben])
    assert all(sorted(held[p]) == sorted([ben, cai]) for p in passages[1:]), held


def test_a_stopped_rebalance_is_finished_without_marking_the_reviewer_away(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, ben, cai = add_team(("ana", "ben", "cai"), "unfinished.test")
    push_set(name, (ana, ben))
    stopped_midway(monkeypatch, "--project", name, "--from", ana, "--to", cai, "--not-away")
    status = run("review", "status", "--project", name)
    command = fix_of(status)
    assert command[-1] == "--not-away", command
    # offboarding either of them now is refused, naming that command (review reassign takes
    # no other target for those passages; once cai is removed nothing can finish it)
    finish = re.search(r"stopped midway: .*: (annotate review reassign .*)$", status, re.M)
    assert finish is not None, status
    out = " ".join(run("reviewers", "remove", ana, code=1).split())
    # ana leaves: whether the re-run marks her away does not matter, so no --not-away
    leaving = finish.group(1).removesuffix(" --not-away")
    assert f"{ana} still has " in out and f"): {leaving};" in out, out
    assert "--to EMAIL" not in out and "--not-away" not in out, out
    out = " ".join(run("reviewers", "remove", cai, code=1).split())
    assert f"{cai} still has 0 open task(s)" in out, out  # the copies count in ana's queue
    assert f"nothing can finish it): {finish.group(1)}; then hand" in out, out
    run(*command)
    assert away_of(reviewer_projects(client, name)[ana]) is None
    assert all(sorted(h) == sorted([ben, cai]) for h in holders(client, name).values())


def test_nothing_to_hand_on_is_said_plainly_and_the_roster_shows_who_is_away(
    client: StudioClient, name: str
) -> None:
    ana, ben, dan, cai = add_team(("ana", "ben", "dan", "cai"), "unfinished.test")
    push_set(name, (ana, ben, dan))
    run("review", "reassign", "--project", name, "--from", dan, "--to", cai)
    queues = reviewer_projects(client, name)
    dan_since = away_of(queues[dan])
    assert dan_since is not None
    ana_q = int(queues[ana]["id"])
    for pid in passage_ids(client, ana_q):  # ana finished her work before leaving
        answer_as(client, ana, ana_q, pid, ["none"])
    answered = len(passage_ids(client, ana_q))

    out = run("review", "reassign", "--project", name, "--from", ana, "--to", dan)
    assert f"nothing to hand on: {ana} (r-" in out and f"has no open task in {name!r}" in out
    assert f"({answered} answered or skipped, which stay theirs)" in out, out
    assert "0 open task(s)" not in out, out
    assert f"is marked away in {name!r} all the same" in out, out
    # dan took nothing: still away, and not told otherwise
    assert "no longer" not in out, out
    queues = reviewer_projects(client, name)
    assert away_of(queues[dan]) == dan_since and away_of(queues[ana]) is not None

    listed = {line.split("\t")[0]: line for line in run("reviewers", "list").splitlines()}
    assert listed[dan].endswith(f"\taway in {name!r} (since {dan_since})"), listed[dan]
    assert f"\taway in {name!r} (since " in listed[ana], listed[ana]
    assert "away" not in listed[ben] and "away" not in listed[cai], listed


def queue_line(status: str, email: str) -> str:
    """The reviewer's queue line (``EMAIL (r-...): N tasks, ...``), not their exposure line
    below it (``EMAIL (r-...): N answered, ...``)."""
    (line,) = [x for x in status.splitlines() if x.startswith(f"  {email} (r-") and " tasks, " in x]
    return line


def test_a_stopped_hand_over_counts_each_open_passage_once_and_names_those_answered_twice(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    ana, ben, cai = add_team(("ana", "ben", "cai"), "unfinished.test")
    push_set(name, (ana, ben))
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    ben_q = int(reviewer_projects(client, name)[ben]["id"])
    passages = sorted(passage_ids(client, ana_q))
    n = len(passages)
    stopped_midway(monkeypatch, "--project", name, "--from", ana, "--to", cai)
    cai_q = int(reviewer_projects(client, name)[cai]["id"])

    # each passage is open in ana's queue and as cai's copy: counted once, in ana's
    status = run("review", "status", "--project", name)
    assert f"{n} tasks, 0 answered, 0 skipped, {n} open ->" in queue_line(status, ana), status
    assert (
        f"{n} tasks, 0 answered, 0 skipped, 0 open, {n} held in another queue too (not "
        "counted here: a hand-over stopped midway, see below)"
    ) in queue_line(status, cai), status
    assert f"{n} passage(s) (e.g. {passages[0]!r}) sit in both their queues" in status

    # before anyone finishes it, ana answers one, cai its copy, and ben his: 3 answers
    first = passages[0]
    for email, project in ((ana, ana_q), (cai, cai_q), (ben, ben_q)):
        answer_as(client, email, project, first, ["none"])
    status = run("review", "status", "--project", name)
    assert (
        f"warning: 1 passage(s) answered both in {ana} (r-" in status
        and f"'s queue and in {cai} (r-" in status
        and f"'s ({first!r}): a hand-over" in status
    ), status
    assert "each has 3 answers, one more than the review set's 2" in status, status
    # what it says holds: every answer counts, in the row and in agreement
    rows = collect(client, name, load_taxonomy(), salt=reviewer_salt()).rows
    (row,) = [r for r in rows if r["id"] == first]
    assert len(row["annotations"]) == 3, row["annotations"]
    agreement = CliRunner().invoke(app, ["agreement", "--project", name, "--json", "--quiet"])
    assert agreement.exit_code == 0, agreement.output
    report = json.loads(agreement.stdout)
    assert (report["n_items"], report["n_reviewers"]) == (1, 3), report
    assert f"{n - 1} open ->" in queue_line(status, ana), status  # the answered one left

    out = run(*fix_of(status))
    assert f"note: 1 passage(s) (e.g. {first!r}) were answered both by {ana}" in out, out
    status = run("review", "status", "--project", name)
    assert "stopped midway" not in status and "held in another queue" not in status, status
    assert "1 passage(s) answered both in" in status, status  # both stay

    # cai holds every passage ben still has open: nothing moves, and the command says why
    out = run("review", "reassign", "--project", name, "--from", ben, "--to", cai)
    assert "(0 gold) moved" not in out, out
    assert f"nothing moved from {ben} (r-" in out, out
    assert f"{n - 1} open passage(s) left with {ben} (r-" in out, out
    assert "already holds all of them" in out, out
    assert f"annotate review reassign --project {name!r} --from {ben} --to EMAIL (" in out, out
    held = holders(client, name)
    assert sorted(held[first]) == sorted([ana, ben, cai]), held
    assert all(sorted(held[p]) == sorted([ben, cai]) for p in passages[1:]), held
