"""`annotate export --gold-min-accuracy 0.8` (and `agreement`) of a project with no
answered gold passage said nothing: no reviewer was flagged because no accuracy was
measured, which read as every reviewer having passed. Both warn that the minimum checked
no reviewer, with the push that gives queues gold tasks."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.review.gold import unmeasured_gold_note
from tests.test_open_work import export_cli, run_cli

from .fakes import FakeStudio, reviewed_tasks


def test_export_warns_that_the_minimum_checked_no_reviewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = export_cli(
        FakeStudio(reviewed_tasks()), tmp_path / "c", monkeypatch, "--gold-min-accuracy", "0.8"
    )
    assert ran.exit_code == 0, ran.stderr
    said = " ".join(ran.stderr.split())
    assert "warning: --gold-min-accuracy 0.8 checked no reviewer: no gold passage has an " in said
    assert "--gold GOLD --gold-rate R` gives each queue gold tasks" in said


def test_export_without_the_minimum_says_nothing_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran = export_cli(FakeStudio(reviewed_tasks()), tmp_path / "d", monkeypatch)
    assert ran.exit_code == 0 and "gold-min-accuracy" not in ran.stderr


def test_no_note_once_a_reviewer_is_measured() -> None:
    measured = {"n_gold": 2, "reviewers": {"r-1": {"exact": 1.0}}}
    assert unmeasured_gold_note(0.8, measured) == ""
    assert unmeasured_gold_note(None, {"n_gold": 0, "reviewers": {}}) == ""
    assert unmeasured_gold_note(0.8, {"n_gold": 0, "reviewers": {}}).startswith(
        "--gold-min-accuracy 0.8 checked no reviewer"
    )


def test_a_reviewer_without_an_answered_gold_passage_is_named() -> None:
    """Two reviewers answered gold, a third answered none: the minimum passed over the
    third without a word (no accuracy, never flagged), which read as a pass."""
    gold = {
        "n_gold": 2,
        "reviewers": {"r-1": {"exact": 1.0}, "r-2": {"exact": 0.5}},
        "reviewers_without_gold": ["r-3"],
    }
    said = unmeasured_gold_note(0.8, gold)
    assert said.startswith("--gold-min-accuracy 0.8 checked 2 of 3 reviewers: r-3 answered no")
    assert "not flagged" in said
    assert unmeasured_gold_note(None, gold) == ""
    assert unmeasured_gold_note(0.8, {**gold, "reviewers_without_gold": []}) == ""


def test_the_report_lists_the_reviewers_without_gold() -> None:
    from annotate.review.report import review_reports
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy()
    ann = {"categories": ["none"], "severity": None, "spans": [], "created_at": "2026-12-04"}
    rows = [
        {
            "id": f"p{i}",
            "labels": ["none"],
            "severity": None,
            "spans": [],
            "resolution": "unanimous",
            "annotations": [{**ann, "reviewer": r} for r in ("r-1", "r-2", "r-3")],
        }
        for i in range(3)
    ]
    gold_rows = [
        {
            "id": "g1",
            "gold": {"labels": ["none"], "severity": None},
            "annotations": [{**ann, "reviewer": r} for r in ("r-1", "r-2")],
        }
    ]
    out = review_reports(rows, gold_rows, tax, min_accuracy=0.8)
    assert out["agreement.json"]["gold"]["reviewers_without_gold"] == ["r-3"]
    assert out["manifest"]["reviewers_without_gold"] == ["r-3"]


def test_export_hands_back_the_gold_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI's warning reads agreement.json's gold from the export's result (written
    once, not read back from disk): the result carries exactly the file's ``gold``."""
    import json

    import annotate.corpus.export as corpus_export

    seen: list[corpus_export.ExportResult] = []
    real = corpus_export.export

    def keep(*a: object, **k: object) -> corpus_export.ExportResult:
        seen.append(real(*a, **k))  # type: ignore[arg-type]
        return seen[-1]

    monkeypatch.setattr(corpus_export, "export", keep)
    ran = export_cli(
        FakeStudio(reviewed_tasks()), tmp_path / "c", monkeypatch, "--gold-min-accuracy", "0.8"
    )
    assert ran.exit_code == 0, ran.stderr
    written = json.loads((tmp_path / "c" / "agreement.json").read_text(encoding="utf-8"))
    assert seen and seen[0].gold == written["gold"] and "reviewers" in seen[0].gold


def test_export_warns_from_the_result_not_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unmeasured-gold warning needs no agreement.json on disk: the export's result
    holds its gold section (one read-free path from export to the warning)."""
    import annotate.corpus.export as corpus_export

    out = tmp_path / "c"
    out.mkdir()
    gold = {"n_gold": 1, "reviewers": {"r-1": {"exact": 1.0}}, "reviewers_without_gold": ["r-2"]}
    result = corpus_export.ExportResult(
        out=out, rows=0, splits={}, annotations=0, reviewers=0, ties=0, gold=gold
    )
    monkeypatch.setattr(corpus_export, "export", lambda *a, **k: result)

    ran = run_cli("export", "--project", "p", "--out", str(out), "--gold-min-accuracy", "0.8")
    assert ran.exit_code == 0, ran.stderr
    said = " ".join(ran.stderr.split())
    assert "warning: --gold-min-accuracy 0.8 checked 1 of 2 reviewers: r-2 answered no" in said
