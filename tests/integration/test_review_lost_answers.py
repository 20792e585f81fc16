"""Faults between annotate and the real Label Studio (a proxy that loses answers, holds
them back past the client's timeout, or stops passing requests: fault_proxy.py):

- `annotate review reassign` and `annotate adjudicate` stopped at the first lost answer;
  they now read back what the lost request made and send only what is missing, so every
  task is moved, every disputed passage queued, once;
- an answer later than the client's timeout (ANNOTATE_STUDIO_TIMEOUT) is a lost answer,
  not a failure (a push split the "failed" batch and sent its halves again);
- a server that stops answering during a run is said to have stopped, with how far the
  run got and that the same command resumes (not "check LABEL_STUDIO_URL");
- a LABEL_STUDIO_URL's user:password@ is never shown nor logged."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import pytest

from annotate.review.adjudication import BLANK_START
from annotate.review.queue_tasks import reviewer_projects
from annotate.studio import retry as retry_mod
from annotate.studio.client import StudioClient
from annotate.studio.connection import Connection

from .fault_proxy import Faults, fault_proxy
from .helpers import (
    FIXTURES,
    PRELABELS,
    CliRun,
    a_third_answers,
    assert_each_answer_once,
    assert_each_passage_once_with_its_prediction,
    disputed_tasks,
    many_prelabels,
    passage_ids,
    run_main,
    through,
)
from .review_team import add_team

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry_mod, "LOST_RETRY_S", 0.1)


def error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# ---- review reassign ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("match", "fault", "method"),
    [
        ("/import", "drop-after", "POST"),  # the copies made, the answer lost
        ("/import", "502-after", "POST"),
        ("/import", "drop", "POST"),  # never reached the server
        ("/api/dm/actions", "drop-after", "POST"),  # the originals deleted, answer lost
    ],
)
def test_a_hand_over_whose_answers_are_lost_moves_each_open_task_once(
    match: str,
    fault: str,
    method: str,
    client: StudioClient,
    name: str,
    cli_run: CliRun,
) -> None:
    ana, ben, cai, dan = add_team(("ana", "ben", "cai", "dan"), "lost-ho.test")
    push = ["push", str(PRELABELS), "--project", name, "-k", "2", "-q"]
    push += ["--gold", str(FIXTURES / "gold.jsonl"), "--gold-rate", "0.25"]  # gold moves too
    code, err = cli_run([*push, "--reviewer", ana, "--reviewer", ben, "--reviewer", dan])
    assert code == 0, err
    ana_q = int(reviewer_projects(client, name)[ana]["id"])
    open_before = sorted(passage_ids(client, ana_q))
    preds_before = client._get("api/predictions/", "listing predictions", project=ana_q)
    assert open_before
    faults = Faults(match, 1, fault, method=method, times=1)
    argv = ["review", "reassign", "--project", name, "--from", ana, "--to", cai]
    code, err = cli_run(argv, faults)
    assert faults.faulted, f"no {method} {match} answer was lost"
    assert code == 0, err
    assert "Traceback" not in err
    queues = reviewer_projects(client, name)
    cai_q = int(queues[cai]["id"])
    moved = passage_ids(client, cai_q)
    assert Counter(moved) == Counter(open_before)  # each once: no task copied twice
    assert passage_ids(client, ana_q) == []  # every original removed
    preds = client._get("api/predictions/", "listing predictions", project=cai_q)
    assert len(preds) == len(preds_before)  # each copy's predictions, once
    assert sorted(queues) == sorted([ana, ben, cai, dan])  # one queue for cai, not two


# ---- adjudicate --------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["drop-after", "502-after", "drop"])
def test_an_adjudicate_whose_import_answer_is_lost_queues_each_passage_once(
    fault: str, client: StudioClient, name: str, cli_run: CliRun
) -> None:
    disputed = disputed_tasks(client, name)
    faults = Faults("/import", 1, fault, method="POST", times=1)
    code, err = cli_run(["adjudicate", "--project", name], faults)
    assert faults.faulted, "no import answer was lost"
    assert code == 0, err
    assert "Traceback" not in err
    adj = client.require_project(f"{name} · adjudication")
    assert Counter(passage_ids(client, int(adj["id"]))) == Counter(list(disputed))
    preds = client.list_predictions(int(adj["id"]))
    answers = [p for p in preds if p["model_version"] != BLANK_START]  # the lead's start
    assert len(answers) == 2 * len(disputed)  # each reviewer's answer once per passage


def test_an_adjudicate_whose_prediction_answers_are_lost_adds_each_once(
    client: StudioClient, name: str, cli_run: CliRun
) -> None:
    """A re-run brings tasks already there up to date: a reviewer who answered since gets
    their answer added as a prediction, and the lead's blank start is made again after it
    (two POSTs per task); their answers lost, each once all the same."""
    disputed = disputed_tasks(client, name)
    assert cli_run(["adjudicate", "--project", name])[0] == 0
    a_third_answers(client, disputed)
    faults = Faults("/api/predictions/", 1, "drop-after", method="POST")
    code, err = cli_run(["adjudicate", "--project", name], faults)
    assert len(faults.faulted) == 2 * len(disputed), faults.faulted
    assert code == 0, err
    assert_each_answer_once(client, name, 3 * len(disputed))


# ---- a timeout is a lost answer ------------------------------------------------------------
def test_a_push_whose_answer_comes_after_the_timeout_ends_with_each_passage_once(
    client: StudioClient,
    project_name: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    cli_run: CliRun,
) -> None:
    prelabels = tmp_path / "prelabels.jsonl"
    expected = many_prelabels(prelabels, copies=2)  # 12 passages, 3 batches of 4
    faults = Faults("/import", 2, "slow-after", method="POST", times=1, delay=6.0)
    monkeypatch.setenv("ANNOTATE_STUDIO_TIMEOUT", "3")
    argv = ["push", str(prelabels), "--project", project_name, "--batch-size", "4"]
    code, err = cli_run(argv, faults)
    assert len(faults.faulted) == 1
    assert code == 0, err
    assert "no answer within 3 s" in caplog.text  # the retry's warning
    assert f"{len(expected)} created, 0 skipped" in err, err
    assert "removed" not in err, err  # no duplicate made, so none to delete
    assert_each_passage_once_with_its_prediction(client, project_name, expected)


# ---- the server going away during the run -------------------------------------------------
def test_a_server_gone_during_a_push_says_how_far_it_got_and_a_rerun_resumes(
    client: StudioClient, project_name: str, tmp_path: Path, cli_run: CliRun
) -> None:
    prelabels = tmp_path / "prelabels.jsonl"
    expected = many_prelabels(prelabels, copies=2)  # 12 passages, 3 batches of 4
    argv = ["push", str(prelabels), "--project", project_name, "--batch-size", "4"]
    faults = Faults("/import", 1, "drop", after=2)  # gone after two batches
    code, err = cli_run(argv, faults)
    assert code == 1 and len(faults.faulted) == retry_mod.LOST_ATTEMPTS
    line = error_line(err)
    assert "stopped answering during the run" in line, line
    assert "done so far: 2 batch(es) imported (8 of 12 passages)" in line, line
    assert "LABEL_STUDIO_URL" not in line, line  # it worked a moment ago
    assert line.endswith(
        "then run the same command again (a push resumes where it stopped, without duplicates)."
    ), line
    assert len(passage_ids(client, int(client.require_project(project_name)["id"]))) == 8
    code, err = cli_run(argv)
    assert code == 0, err
    assert_each_passage_once_with_its_prediction(client, project_name, expected)


# ---- credentials in LABEL_STUDIO_URL --------------------------------------------------------
def test_credentials_in_the_url_are_never_shown_or_logged(
    studio: Connection,
    client: StudioClient,
    project_name: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = f"pw-{uuid.uuid4().hex[:8]}"
    with_user = studio.url.replace("http://", f"http://ann:{secret}@")
    through(studio, with_user, monkeypatch, tmp_path)
    code, err = run_main(["-v", "push", str(PRELABELS), "--project", project_name], capsys)
    assert secret not in err, err
    assert "http://***@127.0.0.1" in err, err  # the URL is shown, masked
    # the HTTP client sends the URL's user:password@ as basic auth in place of the token
    assert code == 1 and "remove the user:password@ from LABEL_STUDIO_URL" in err, err
    faults = Faults("/import", 1, "drop")  # gone: the error line names the URL
    with fault_proxy(studio.url, faults) as url:
        through(studio, url.replace("http://", f"http://ann:{secret}@"), monkeypatch, tmp_path)
        code, err = run_main(["-v", "push", str(PRELABELS), "--project", project_name], capsys)
    assert code == 1
    line = error_line(err)
    assert secret not in err and "http://***@127.0.0.1" in line, line
