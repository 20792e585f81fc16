"""A slow server still at work on a request when the client's timeout fires
(ANNOTATE_STUDIO_TIMEOUT), behind a fault proxy (fault_proxy.py) that holds the request
back, then carries it out:

- landing a few seconds late, it is found by the read-back, which is repeated a few
  times after a timeout before anything is sent again (it was read once, found nothing
  and the retry made every task, prediction or project twice);
- landing just after the retry, it is found by the reading that follows the retry, and
  what it made twice is deleted;
- landing after the command ended, the next run of the command deletes it.

`review reassign` and `adjudicate` are the commands: a plain push reconciles its
projects itself (test_review_lost_answers.py)."""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from annotate.review.adjudication import BLANK_START
from annotate.review.queue_tasks import reviewer_projects
from annotate.studio import retry as retry_mod
from annotate.studio.client import StudioClient

from .fault_proxy import Faults
from .helpers import (
    FIXTURES,
    PRELABELS,
    CliRun,
    a_third_answers,
    assert_each_answer_once,
    disputed_tasks,
    passage_ids,
)
from .review_team import add_team, reviewer_flags

pytestmark = pytest.mark.integration

TIMEOUT_S = 3  # the client's; a held-back request lands DELAY_S after it was sent
DELAY_S = 5.0


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry_mod, "LOST_RETRY_S", 0.1)
    # read-backs 0.1, 1.1, 3.1 and 7.1 s after the loss (the request lands 2 s after it)
    monkeypatch.setattr(retry_mod, "SETTLE_S", 1.0, raising=False)


def slow(fault: str) -> Faults:
    return Faults("/import", 1, fault, method="POST", times=1, delay=DELAY_S)


# ---- review reassign ---------------------------------------------------------------------


def _hand_over(
    fault: str, client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch, cli_run: CliRun
) -> tuple[Faults, list[str], int, int, list[str]]:
    """ana's open tasks handed to cai through a proxy that holds the first copy request
    back (``fault``); (the faults, ana's open passages, ana's and cai's queue, argv)."""
    ana, ben, cai = add_team(("ana", "ben", "cai"), "slow-ho.test")
    push = ["push", str(PRELABELS), "--project", name, "-k", "2", "-q"]
    push += ["--gold", str(FIXTURES / "gold.jsonl"), "--gold-rate", "0.25"]
    code, err = cli_run([*push, *reviewer_flags((ana, ben))])
    assert code == 0, err
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    open_before = sorted(passage_ids(client, ana_q))
    assert open_before
    faults = slow(fault)
    argv = ["review", "reassign", "--project", name, "--from", ana, "--to", cai]
    monkeypatch.setenv("ANNOTATE_STUDIO_TIMEOUT", str(TIMEOUT_S))
    code, err = cli_run(argv, faults)  # "held": the server finishes it after the command
    assert code == 0, err
    assert fault != "held" or faults.landed.is_set()
    assert faults.faulted, "no copy request was held back"
    cai_q = int(reviewer_projects(client, name)[cai]["id"])
    return faults, open_before, ana_q, cai_q, argv


@pytest.mark.parametrize("fault", ["slow-before", "late"])
def test_a_hand_over_on_a_slow_server_moves_each_open_task_once(
    fault: str,
    client: StudioClient,
    name: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    cli_run: CliRun,
) -> None:
    if fault == "late":  # no need to wait long for it: it lands after the retry anyway
        monkeypatch.setattr(retry_mod, "SETTLE_S", 0.2, raising=False)
    caplog.set_level(logging.INFO)
    faults, open_before, ana_q, cai_q, _ = _hand_over(fault, client, name, monkeypatch, cli_run)
    assert faults.landed.is_set()
    assert f"no answer within {TIMEOUT_S} s" in caplog.text
    assert Counter(passage_ids(client, cai_q)) == Counter(open_before)  # each once
    assert passage_ids(client, ana_q) == []
    late = "carried out after it was sent again; deleting them" in caplog.text
    assert late == (fault == "late"), caplog.text  # slow-before: found, never sent twice


def test_a_copy_a_slow_server_made_after_the_hand_over_ended_goes_on_the_next_run(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch, cli_run: CliRun
) -> None:
    monkeypatch.setattr(retry_mod, "SETTLE_S", 0.2, raising=False)
    _, open_before, _, cai_q, argv = _hand_over("held", client, name, monkeypatch, cli_run)
    assert len(passage_ids(client, cai_q)) > len(open_before)  # the late copies landed
    code, err = cli_run(argv)
    assert code == 0, err
    assert Counter(passage_ids(client, cai_q)) == Counter(open_before)


# ---- adjudicate --------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["slow-before", "late", "held"])
def test_an_adjudicate_on_a_slow_server_queues_each_passage_once(
    fault: str, client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch, cli_run: CliRun
) -> None:
    if fault != "slow-before":
        monkeypatch.setattr(retry_mod, "SETTLE_S", 0.2, raising=False)
    disputed = disputed_tasks(client, name)
    faults = slow(fault)
    monkeypatch.setenv("ANNOTATE_STUDIO_TIMEOUT", str(TIMEOUT_S))
    code, err = cli_run(["adjudicate", "--project", name], faults)
    assert code == 0, err
    if fault == "held":  # the command ended, then the server finished the lost request
        assert faults.landed.is_set()
        code, err = cli_run(["adjudicate", "--project", name])
        assert code == 0, err
    assert faults.faulted and faults.landed.is_set()
    adj = client.require_project(f"{name} · adjudication")
    assert Counter(passage_ids(client, int(adj["id"]))) == Counter(list(disputed))
    preds = client.list_predictions(int(adj["id"]))
    answers = [p for p in preds if p["model_version"] != BLANK_START]  # the lead's start
    assert len(answers) == 2 * len(disputed)  # each reviewer's answer once per passage


def test_an_adjudicate_whose_prediction_lands_late_adds_each_answer_once(
    client: StudioClient, name: str, monkeypatch: pytest.MonkeyPatch, cli_run: CliRun
) -> None:
    """A re-run adds the answer a third reviewer gave since as a prediction (one POST
    per task, and one more for the lead's blank start, made again after it); the first
    POST lands after its retry: that task's prediction made twice is deleted."""
    monkeypatch.setattr(retry_mod, "SETTLE_S", 0.2, raising=False)
    disputed = disputed_tasks(client, name)
    assert cli_run(["adjudicate", "--project", name])[0] == 0
    a_third_answers(client, disputed)
    faults = Faults("/api/predictions/", 1, "late", method="POST", times=1)
    monkeypatch.setenv("ANNOTATE_STUDIO_TIMEOUT", str(TIMEOUT_S))
    code, err = cli_run(["adjudicate", "--project", name], faults)
    assert faults.faulted and faults.landed.is_set()
    assert code == 0, err
    assert_each_answer_once(client, name, 3 * len(disputed))
