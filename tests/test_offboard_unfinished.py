"""`annotate reviewers remove EMAIL` while a hand-over from or to the reviewer stopped
midway (its passages copied into the new queue, not yet removed from the old one), without
a server: the open tasks are counted as `annotate review status` counts them (a passage in
two queues once: :func:`annotate.review.unfinished.open_counts`), and the command it names
is the one that finishes the stopped hand-over (`review reassign` refuses any other
target for those passages), not ``--to EMAIL``. The real server's side of a plain removal
is tests/integration/test_reviewers_remove.py."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review import offboard
from annotate.review.handover import QueueStatus
from tests.test_handover_leftovers import ANA, CAI, SET, queue, status, task

ADMIN = {"id": 99, "email": "admin@annotate.local"}
# ANA's and CAI's queues are projects 1 and 3 of users 1 and 3 (test_handover_leftovers)
USERS = [ADMIN, {"id": 1, "email": "ana@x.org"}, {"id": 3, "email": "cai@x.org"}]


class _Response:
    status_code = 204
    text = ""


class _Server:
    """The admin's organization: its users, and a membership removal that succeeds."""

    url = "http://ls.test"

    def __init__(self) -> None:
        self.removed: list[str] = []
        self._http = self

    def whoami(self) -> dict[str, Any]:
        return {**ADMIN, "active_organization": 7}

    def server_version(self) -> str | None:
        return "1.23.2"

    def users(self) -> list[dict[str, Any]]:
        return USERS

    @contextlib.contextmanager
    def guard(self, what: str) -> Iterator[None]:
        yield

    def _send(self, path: str, *, method: str, action: str, **kw: Any) -> _Response:
        assert method == "DELETE", method
        self.removed.append(path)
        return _Response()


def stopped_set() -> list[QueueStatus]:
    """A hand-over from ana (away since it) to cai that stopped midway: p1 open in both
    queues (counts in ana's), p2 answered as cai's copy (settled: not ana's to answer),
    p3 not copied (it held a draft), g1 gold; cai's own p8 answered."""
    return [
        status(
            ANA,
            [task(10, "p1"), task(11, "p2"), task(12, "p3"), task(13, "g1", gold=True)],
        ),
        status(
            CAI,
            [
                task(30, "p1", copy_of=(1, 10)),
                task(31, "p2", answered=True, copy_of=(1, 11)),
                task(40, "p8", answered=True),
            ],
        ),
    ]


def remove(
    monkeypatch: pytest.MonkeyPatch,
    email: str,
    *extra: str,
    found: list[QueueStatus] | None = None,
) -> tuple[int, str, _Server]:
    server = _Server()
    found = found or stopped_set()
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "unit-salt")
    monkeypatch.setattr("annotate.studio.client.connect", lambda: server)
    monkeypatch.setattr(offboard, "review_sets_of", lambda client, e, alias: [SET])
    monkeypatch.setattr(offboard, "queue_status", lambda client, name, salt: found)
    done = CliRunner().invoke(app, ["reviewers", "remove", email, *extra], terminal_width=400)
    return done.exit_code, " ".join(done.output.split()), server


FINISH = "annotate review reassign --project 'Batch 12' --from ana@x.org --to cai@x.org"


def test_open_tasks_count_a_passage_in_two_queues_once() -> None:
    ana = offboard.set_work(SET, stopped_set(), 1)
    cai = offboard.set_work(SET, stopped_set(), 3)
    assert ana is not None and cai is not None
    # ana: p1 and p3 (p2 is settled in cai's queue, g1 is gold); cai: none (p1 counts in ana's)
    assert (ana.open, ana.held_twice) == (2, 1), ana
    assert (cai.open, cai.held_twice) == (0, 1), cai
    assert ana.handing_on() == FINISH
    assert ana.handing_on(removed=True) == (
        "annotate review reassign --project 'Batch 12' --from r-aaaaaaaaaa --to cai@x.org"
    )
    assert [s.source for s in cai.finishing] == [ANA] and not ana.finishing


def test_removing_the_source_names_the_command_that_finishes_the_hand_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, server = remove(monkeypatch, "ana@x.org")
    assert code == 1 and not server.removed, out
    assert "ana@x.org still has 2 open task(s)" in out and "('Batch 12': 2)" in out, out
    assert "a hand-over from or to them stopped midway in 'Batch 12'" in out, out
    assert f"hands those passages to no one else until then): {FINISH};" in out, out
    assert "--to EMAIL" not in out, out

    code, out, server = remove(monkeypatch, "ana@x.org", "--force")
    assert code == 0 and server.removed == ["api/organizations/7/memberships/1/"], out
    assert (
        "4 tasks, 0 answered, 0 skipped, 2 open (left there unanswered), 1 held in another "
        "queue too" in out
    ), out
    # as `review status` prints it once ana's account is removed: --from her pseudonym
    assert out.endswith(
        "2 open task(s) stay unanswered until handed on: finish the hand-over that stopped "
        "midway: annotate review reassign --project 'Batch 12' --from r-aaaaaaaaaa --to "
        "cai@x.org Label Studio cannot take a removal back nor sign the same e-mail up "
        "again: a returning reviewer gets an account under another e-mail."
    ), out


def test_removing_the_target_of_a_stopped_hand_over_is_refused_until_it_is_finished(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """cai's open copy counts in ana's queue (no open task of cai's own), but once cai is
    removed no hand-over can finish ana's: refused, naming the command that does."""
    code, out, server = remove(monkeypatch, "cai@x.org")
    assert code == 1 and not server.removed, out
    assert "cai@x.org still has 0 open task(s)" in out, out
    assert (
        "finish the hand-over from ana@x.org (r-aaaaaaaaaa) to them that stopped midway "
        f"(once they are removed nothing can finish it): {FINISH}; then hand their open tasks "
        "on: annotate review reassign --project 'Batch 12' --from cai@x.org --to EMAIL" in out
    ), out

    code, out, server = remove(monkeypatch, "cai@x.org", "--force")
    assert code == 0 and server.removed, out
    assert "stay unanswered" not in out, out
    assert (
        "warning: a hand-over from ana@x.org (r-aaaaaaaaaa) to cai@x.org in 'Batch 12' "
        "stopped midway: 2 passage(s) sit in both queues, and with the account removed no "
        "hand-over can finish it; `annotate review status --project 'Batch 12'` says what "
        "to do" in out
    ), out


def test_the_command_for_a_reviewer_not_away_carries_no_not_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ana is not marked away (the stopped hand-over was a --not-away rebalance, or she
    came back): `review status` keeps her so with --not-away, but she is being removed,
    so the command offboarding names carries only the flags that apply."""
    found = stopped_set()
    found[0] = dataclasses.replace(found[0], queue=queue(1, ANA.alias, ANA.email))  # not away
    ana = offboard.set_work(SET, found, 1)
    assert ana is not None and ana.unfinished
    assert ana.unfinished[0].command("Batch 12") == FINISH + " --not-away"  # review status
    assert ana.handing_on() == FINISH
    code, out, server = remove(monkeypatch, "ana@x.org", found=found)
    assert code == 1 and not server.removed, out
    assert f"until then): {FINISH};" in out and "--not-away" not in out, out
