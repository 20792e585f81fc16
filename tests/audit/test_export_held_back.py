"""`annotate export` of a review set whose push held graphic passages back from every
queue (`--max-graphic-per-reviewer 0`, or queues full): those passages are in no task, so
the export said nothing of them ("no task was open") and the corpus looked complete,
while `review status` counted them. The export warns, naming how many."""

from __future__ import annotations

from pathlib import Path

import pytest

import annotate.corpus.export as corpus_export
from annotate.review.held_back import record_held
from tests.test_open_work import run_cli

from .fakes import FakeStudio, reviewed_tasks
from .test_review_mode_and_adjudication_listed import ReviewSetStudio


def _export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    client = ReviewSetStudio(reviewed_tasks())
    real = corpus_export.export
    monkeypatch.setattr(
        corpus_export,
        "export",
        lambda project, out, **kw: real(project, out, client=client, salt="s", **kw),
    )
    ran = run_cli("export", "--project", "p", "--out", str(tmp_path / "c"), "-q")
    assert ran.exit_code == 0, ran.stderr
    return " ".join(ran.stderr.split())


def test_passages_held_back_from_every_queue_are_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    held = {"doc-x-p0": 2, "doc-x-p1": 2, "doc-a-p1": 2}  # doc-a-p1 was answered since
    record_held(FakeStudio.url, "p", tmp_path / "pre.jsonl", held, max_graphic=0, k=2)
    said = _export(tmp_path, monkeypatch)
    assert "warning: 2 graphic passage(s) (e.g. 'doc-x-p0') were held back from every" in said
    assert "not in this export" in said and "annotate review status --project p" in said


def test_no_record_no_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    assert "held back" not in _export(tmp_path, monkeypatch)
