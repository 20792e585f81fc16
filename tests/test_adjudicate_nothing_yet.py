"""`annotate adjudicate` run before the reviewers were done, with nothing disputed yet,
said only "no disputed passage among the 0 answered by two reviewers or more; ... was not
created" and exited 0 (stop 59 lead: a lead read it as "nothing to adjudicate" while 26
tasks were still open). Nothing is shown then, so it is still no refusal, but the result
counts the open tasks and the CLI says the round is still open and to run it again."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review import adjudication
from annotate.review.adjudication import adjudicate
from tests.conftest import project_taxonomy
from tests.corpus.test_severity_tie import AdjudicationStudio
from tests.test_adjudication_hiding import tasks

OPEN = [("p1", False, "r-aaaaaaaaaa"), ("g1", True, "r-bbbbbbbbbb")]


def _unanswered() -> list[dict]:
    found = tasks()
    for t in found:
        t["annotations"] = []
    return found


def test_nothing_disputed_yet_counts_the_open_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adjudication, "_open_in_queues", lambda client, project, projects: OPEN)
    studio = AdjudicationStudio(_unanswered())
    result = adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert result.project_url is None and result.compared == 0
    assert result.open_in_queues == 2
    assert studio.imported == []  # nothing made


def test_the_cli_says_the_round_is_still_open(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    monkeypatch.setattr(adjudication, "_open_in_queues", lambda client, project, projects: OPEN)
    monkeypatch.setattr("annotate.studio.client.connect", lambda: AdjudicationStudio(_unanswered()))
    ran = CliRunner().invoke(app, ["adjudicate", "--project", "p"])
    assert ran.exit_code == 0, ran.output
    out = " ".join(ran.output.split())
    assert "no disputed passage among the 0 answered" in out
    assert "the round is still open: 2 task(s) in the reviewer queues" in out, out
    assert "annotate review status --project 'p'" in out
    assert "--mid-round" not in out  # no mid-round warning: nothing was shown
