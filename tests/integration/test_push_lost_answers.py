"""A push whose import answers are lost between annotate and the real Label Studio (a
proxy that drops connections or answers 502/503, before or after the server did the
work, see fault_proxy.py): each lost batch is retried after reading back what landed,
so the push ends with every passage once with its prediction, and counts them created
(a review set's push too: each passage in K queues, once each); a server that keeps
failing is given up on after a bound, with one error line."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from annotate.review.queue_tasks import reviewer_projects
from annotate.studio import retry as retry_mod
from annotate.studio.client import StudioClient

from .fault_proxy import Faults
from .helpers import (
    PRELABELS,
    CliRun,
    assert_each_passage_once_with_its_prediction,
    many_prelabels,
    passage_ids,
)
from .review_team import add_team, reviewer_flags

pytestmark = pytest.mark.integration


@pytest.fixture()
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry_mod, "LOST_RETRY_S", 0.1)


# the server did the work and the answer was lost; or the request never reached it
@pytest.mark.parametrize(("fault", "every"), [("drop-after", 3), ("502-after", 3), ("drop", 2)])
def test_a_push_whose_answers_are_lost_ends_with_each_passage_once(
    fault: str,
    every: int,
    client: StudioClient,
    project_name: str,
    quick_retries: None,
    tmp_path: Path,
    cli_run: CliRun,
) -> None:
    prelabels = tmp_path / "prelabels.jsonl"
    expected = many_prelabels(prelabels, copies=10)  # 60 passages, 15 batches of 4
    faults = Faults("/import", every, fault)
    argv = ["push", str(prelabels), "--project", project_name, "--batch-size", "4"]
    code, err = cli_run(argv, faults)
    assert len(faults.faulted) >= 4, faults.faulted
    assert code == 0, err
    assert "Traceback" not in err
    assert f"{len(expected)} created, 0 skipped" in err, err
    assert "removed" not in err, err  # no duplicate made, so none to delete
    assert_each_passage_once_with_its_prediction(client, project_name, expected)


def test_a_server_that_keeps_failing_is_given_up_on_with_one_error_line(
    client: StudioClient, project_name: str, quick_retries: None, tmp_path: Path, cli_run: CliRun
) -> None:
    prelabels = tmp_path / "prelabels.jsonl"
    expected = many_prelabels(prelabels, copies=2)
    argv = ["push", str(prelabels), "--project", project_name, "--batch-size", "4"]
    faults = Faults("/import", 1, "503")
    code, err = cli_run(argv, faults)
    assert code == 1
    assert len(faults.faulted) == retry_mod.LOST_ATTEMPTS  # a bound, then no more
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    assert "HTTP 503" in lines[0] and f"after {retry_mod.LOST_ATTEMPTS} tries" in lines[0]
    # the fix is about the server behind the proxy, not the URL, which reached the proxy
    assert "Fix: the server behind it is down, restarting or overloaded" in lines[0]
    assert "run the same command again" in lines[0]
    assert passage_ids(client, int(client.require_project(project_name)["id"])) == []
    # the server is reachable again: the same command pushes every passage once
    code, err = cli_run(argv)
    assert code == 0, err
    assert_each_passage_once_with_its_prediction(client, project_name, expected)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("500", "database or disk is full"),  # SQLite's: stops at the first import
        ("500", "Internal error: boom"),  # one annotate does not know
        ("500-page", ""),  # Django's bare page: a lost answer, tried 4 times
    ],
)
def test_a_server_failing_every_import_stops_the_push_with_one_error_line(
    fault: str,
    reason: str,
    client: StudioClient,
    project_name: str,
    quick_retries: None,
    tmp_path: Path,
    cli_run: CliRun,
) -> None:
    """New-user faults49 F4: every import answered HTTP 500 was split row by row (2N
    requests, 3N lines: 898 lines for 298 passages). Now one error line naming the
    server's reason and the fix, a few requests, and the re-run pushes every passage once."""
    prelabels = tmp_path / "prelabels.jsonl"
    expected = many_prelabels(prelabels, copies=8)  # 48 passages
    argv = ["push", str(prelabels), "--project", project_name, "--batch-size", "48"]
    faults = Faults("/import", 1, fault, reason=reason)
    code, err = cli_run(argv, faults)
    assert code == 1
    line = one_error_line(err)
    assert (reason or "Server Error (500)") in line and "run the same command again" in line
    assert "refused:" not in err  # no row named
    assert len(err.splitlines()) <= 6, err
    assert len(faults.faulted) <= 20, faults.faulted  # before: 95
    assert passage_ids(client, int(client.require_project(project_name)["id"])) == []
    code, err = cli_run(argv)  # the server stores again
    assert code == 0, err
    assert f"{len(expected)} created, 0 skipped" in err, err
    assert_each_passage_once_with_its_prediction(client, project_name, expected)


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Fix:" in lines[0] and "Traceback" not in err, err
    return lines[0]


def test_a_review_push_whose_answers_are_lost_queues_each_passage_k_times(
    client: StudioClient, name: str, quick_retries: None, cli_run: CliRun
) -> None:
    team = list(add_team(("ann", "bob", "cat"), "lost.test"))
    passages = [json.loads(line)["id"] for line in PRELABELS.read_text().splitlines()]
    faults = Faults("/import", 2, "502-after")  # the second queue's import: made, answer lost
    argv = ["push", str(PRELABELS), "--project", name, "-k", "2"]
    code, err = cli_run([*argv, *reviewer_flags(team)], faults)
    assert faults.faulted, "no import answer was lost"
    assert code == 0, err
    assert "Traceback" not in err
    queues = reviewer_projects(client, name)
    held = {email: passage_ids(client, int(q["id"])) for email, q in queues.items()}
    assert all(len(ids) == len(set(ids)) for ids in held.values()), held  # none twice in a queue
    assert Counter(p for ids in held.values() for p in ids) == Counter(
        {p: 2 for p in passages}
    )  # each passage in K = 2 queues
    added = [int(n) for n in re.findall(r"\): (\d+) added", err)]
    assert sum(added) == 2 * len(passages), err
