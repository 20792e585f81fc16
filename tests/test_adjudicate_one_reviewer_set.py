"""`annotate adjudicate` on a review set pushed with `--gold` and no `-k` (one reviewer per
passage) said "no disputed passage among the 0 answered by two reviewers or more" and,
while tasks were open, "passages may be disputed yet" (stop 59 lead, #6): in such a set no
passage ever gets a second answer. It now says there is nothing to adjudicate, why, and
how to get a second opinion; the push of such a set says so in a note."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.review import adjudication
from annotate.review.adjudication import adjudicate
from annotate.review.queues import description
from tests.conftest import project_taxonomy
from tests.corpus.test_severity_tie import AdjudicationStudio
from tests.test_adjudicate_nothing_yet import OPEN, _unanswered


class ReviewSetStudio(AdjudicationStudio):
    """AdjudicationStudio holding review set ``p`` (two queues recording ``k``), counting
    the project listings and project reads: the one way adjudicate learns K."""

    def __init__(self, k: int) -> None:
        super().__init__(_unanswered())
        self.queues = [
            {"id": i, "title": f"p · {alias}", "description": description("p", alias, k)}
            for i, alias in enumerate(("r-aaaaaaaaaa", "r-bbbbbbbbbb"), start=1)
        ]
        self.listings = 0
        self.reads: list[int] = []

    def list_projects(self, include: str | None = None) -> list[dict[str, Any]]:
        self.listings += 1
        return [dict(q) for q in self.queues]

    def get_project(self, project_id: int) -> dict[str, Any]:
        self.reads.append(project_id)  # in full, as Label Studio's: with its config
        found = next(q for q in self.queues if q["id"] == project_id)
        return {**found, "label_config": "<View></View>"}


def _one_reviewer_set(monkeypatch: pytest.MonkeyPatch, k: int) -> ReviewSetStudio:
    monkeypatch.setattr(adjudication, "_open_in_queues", lambda client, project, projects: OPEN)
    return ReviewSetStudio(k)


def test_the_result_records_the_sets_k(monkeypatch: pytest.MonkeyPatch) -> None:
    studio = _one_reviewer_set(monkeypatch, 1)
    result = adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert result.project_url is None and result.reviewers_per_task == 1
    assert studio.imported == []


def test_k_is_taken_from_the_queues_already_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """reader60 #7: with nothing disputed, adjudicate listed the projects again and read
    every queue again (one request each) only to learn K, which the queues merged_tasks
    read already record: one listing, and each queue read as often as before that."""
    studio = _one_reviewer_set(monkeypatch, 2)
    result = adjudicate(studio, "p", project_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert result.reviewers_per_task == 2
    assert studio.listings == 1
    assert sorted(Counter(studio.reads).values()) == [1, 1], studio.reads


@pytest.mark.parametrize("k", [1, 2])
def test_the_cli_says_a_one_reviewer_set_has_nothing_to_adjudicate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, k: int
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    studio = _one_reviewer_set(monkeypatch, k)
    monkeypatch.setattr("annotate.studio.client.connect", lambda: studio)
    ran = CliRunner().invoke(app, ["adjudicate", "--project", "p"])
    assert ran.exit_code == 0, ran.output
    out = " ".join(ran.output.split())
    if k == 2:  # as before: the round may dispute passages yet
        assert "no disputed passage among the 0 answered" in out, out
        assert "may be disputed yet" in out, out
        return
    assert out.startswith("'p': nothing to adjudicate: the review set gives each passage to 1 ")
    assert "--reviewers-per-task 2 into a new review set" in out, out
    assert "disputed passage among" not in out and "may be disputed yet" not in out, out


@pytest.mark.parametrize("k", [1, 2])
def test_a_push_of_one_reviewer_per_passage_says_what_it_leaves_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, k: int
) -> None:
    from annotate.review import fanout
    from annotate.review.fanout import ReviewPushResult

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))
    monkeypatch.setattr(fanout, "push_review", lambda *a, **kw: ReviewPushResult("p", k, 6, "m@1"))
    fixtures = Path(__file__).parent / "fixtures"
    args = ["push", str(fixtures / "prelabels.jsonl"), "--project", "p"]
    args += ["--gold", str(fixtures / "gold.jsonl"), "-k", str(k)]
    ran = CliRunner().invoke(app, args)
    assert ran.exit_code == 0, ran.output
    out = " ".join(ran.output.split())
    said = "note: 1 reviewer per passage (--gold without --reviewers-per-task)"
    assert (said in out) == (k == 1), out
    if k == 1:
        assert "`annotate adjudicate` have nothing to compare" in out, out
