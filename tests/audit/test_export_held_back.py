"""`annotate export` of a review set whose push held graphic passages back from every
queue (`--max-graphic-per-reviewer 0`, or queues full): those passages are in no task, so
the export said nothing of them ("no task was open") and the corpus looked complete,
while `review status` counted them. The export warns, naming how many; its manifest
records them (``passages_held_back``, under its digest) and its report states them, for
an auditor who reads only the corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import annotate.corpus.export as corpus_export
from annotate.audit.redact import RedactionSettings
from annotate.audit.report import write_report
from annotate.audit.verify import VerifyError, verify, with_digest
from annotate.review.held_back import record_held
from tests.test_open_work import export_cli

from .fakes import FakeStudio, reviewed_tasks
from .test_review_mode_and_adjudication_listed import ReviewSetStudio


def _export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    client = ReviewSetStudio(reviewed_tasks())
    ran = export_cli(client, tmp_path / "c", monkeypatch)
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


# ---- the manifest and the report: an auditor reading only the corpus learns of them ----


def _library_export(tmp_path: Path, **kw: Any) -> Path:
    out = tmp_path / "corpus"
    corpus_export.export(
        "p",
        out,
        client=ReviewSetStudio(reviewed_tasks()),  # type: ignore[arg-type]
        salt="s",
        near_dup_threshold=None,
        **kw,
    )
    return out


def _manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _held_two(tmp_path: Path) -> None:
    held = {"doc-x-p0": 2, "doc-x-p1": 2, "doc-a-p1": 2}  # doc-a-p1 was answered since
    record_held(FakeStudio.url, "p", tmp_path / "pre.jsonl", held, max_graphic=0, k=2)


def test_the_manifest_records_them_under_its_digest(tmp_path: Path) -> None:
    _held_two(tmp_path)
    out = _library_export(tmp_path)
    held = _manifest(out)["passages_held_back"]
    assert held["passages"] == 2 and held["example"] == "doc-x-p0"
    assert held["pushes"] == [
        {
            "prelabels": "pre.jsonl",  # the file's name: its path names the lead's machine
            "max_graphic_per_reviewer": 0,
            "reviewers_per_task": 2,
            "passages": 2,
        }
    ]
    assert verify(out).ok
    manifest = _manifest(out)
    manifest["passages_held_back"]["passages"] = 0  # hidden by hand: the digest tells
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(VerifyError, match="no longer matches its digest"):
        verify(out)


def test_the_report_states_them(tmp_path: Path) -> None:
    _held_two(tmp_path)
    out = _library_export(tmp_path)
    md = " ".join((out / "report" / "report.md").read_text(encoding="utf-8").split())
    assert "**Passages in no task:** 2 graphic passage(s) were held back from every" in md
    assert "(the push of pre.jsonl with a cap of 0: 2)" in md
    numbers = json.loads((out / "report" / "report.json").read_text(encoding="utf-8"))
    assert numbers["passages_held_back"]["passages"] == 2
    write_report(out, tmp_path / "again")  # `annotate report` reads the same from the files
    again = json.loads((tmp_path / "again" / "report.json").read_text(encoding="utf-8"))
    assert again["passages_held_back"] == numbers["passages_held_back"]
    assert "**Passages in no task:** 2" in (tmp_path / "again" / "report.md").read_text()


def test_none_held_back_is_recorded_as_none_and_not_reported(tmp_path: Path) -> None:
    out = _library_export(tmp_path)
    assert _manifest(out)["passages_held_back"]["passages"] == 0
    md = (out / "report" / "report.md").read_text(encoding="utf-8")
    assert "No task was open" in md and "Passages in no task" not in md


def test_an_older_manifest_without_the_key_verifies_and_reports_as_before(
    tmp_path: Path,
) -> None:
    _held_two(tmp_path)
    out = _library_export(tmp_path)
    manifest = _manifest(out)
    del manifest["passages_held_back"]  # an export made before the key was written
    (out / "manifest.json").write_text(json.dumps(with_digest(manifest)), encoding="utf-8")
    assert verify(out).ok
    write_report(out, tmp_path / "old")
    numbers = json.loads((tmp_path / "old" / "report.json").read_text(encoding="utf-8"))
    assert numbers["passages_held_back"] is None  # not recorded
    md = (tmp_path / "old" / "report.md").read_text(encoding="utf-8")
    assert "No task was open" in md and "Passages in no task" not in md


def test_a_redacted_export_names_no_held_back_passage(tmp_path: Path) -> None:
    """A held-back passage is no row, so no pseudonym covers its id (which may carry its
    document's id): the manifest counts it without naming it."""
    _held_two(tmp_path)
    out = _library_export(tmp_path, redact=RedactionSettings())
    held = _manifest(out)["passages_held_back"]
    assert held["passages"] == 2 and held["example"] is None
    assert "doc-x-p0" not in (out / "manifest.json").read_text(encoding="utf-8")
