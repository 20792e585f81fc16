"""``annotate verify --same-as`` covers the review reports too, not only the rows.

The rows' ``content_sha256`` says nothing of what an export holds beside them: gold
answers (``agreement.json``'s gold accuracy), skipped tasks, the ``report/`` numbers. The
manifest records ``reports_sha256`` (the review report files without their export time),
verify recomputes it, and compare names the report files and the ``report/report.json``
numbers that differ (``report/`` is derived: compared when both exports have it)."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from annotate.audit.reports_digest import REPORTS_KEY
from annotate.audit.verify import check, compare, verify, with_digest
from annotate.cli import main
from annotate.corpus import export as export_module
from annotate.corpus.export import export
from annotate.review.gold import GOLD_META_KEY
from tests.integration.helpers import choices

from .fakes import FakeStudio, annotation, reviewed_tasks, task

GOLD_TEXT = "The council meets on Tuesday to discuss the new bus routes."


def with_gold(answer: str, skipped: bool = False) -> list[dict[str, Any]]:
    """The five reviewed tasks, a gold task user 1 answered ``answer`` (gold: none), and
    with ``skipped`` a task user 2 skipped."""
    tasks = reviewed_tasks()
    gold = task(
        21,
        "doc-g-p0",
        GOLD_TEXT,
        doc="doc-g",
        index=0,
        model_labels=["none"],
        annotations=[annotation(201, 1, [choices("category", [answer])], minute=9, lead_time=5.0)],
    )
    gold["meta"] = {GOLD_META_KEY: {"labels": ["none"], "severity": ""}}
    tasks.append(gold)
    if skipped:
        skip = annotation(202, 2, [], minute=10, lead_time=2.0)
        skip["was_cancelled"] = True
        tasks.append(
            task(
                22,
                "doc-s-p0",
                "Gardens in spring.",
                doc="doc-s",
                index=0,
                model_labels=["none"],
                annotations=[skip],
            )
        )
    return tasks


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("reports")
    mp = pytest.MonkeyPatch()
    out = {}
    try:
        for name, hour, tasks in (
            ("monday", 9, with_gold("none")),
            ("friday", 17, with_gold("none")),
            ("gold_changed", 18, with_gold("incitement")),  # the rows stay the same
            ("skipped", 19, with_gold("none", skipped=True)),
        ):

            class Clock(datetime):
                @classmethod
                def now(cls, tz: Any = None, _h: int = hour) -> datetime:  # type: ignore[override]
                    return datetime(2026, 12, 1, _h, 0, 0, tzinfo=timezone.utc)

            mp.setattr(export_module, "datetime", Clock)
            export("p", root / name, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
            out[name] = root / name
    finally:
        mp.undo()
    return out


def manifest(corpus: Path) -> dict[str, Any]:
    return json.loads((corpus / "manifest.json").read_text())


def test_the_manifest_records_the_reports_digest_and_verify_recomputes_it(
    exports: dict[str, Path],
) -> None:
    a, b = exports["monday"], exports["friday"]
    recorded = manifest(a)[REPORTS_KEY]
    # gold.jsonl: the gold passages these exports hold (texts and answers), a review file;
    # labels.yaml: the taxonomy they were labelled under
    assert sorted(recorded["files"]) == [
        "agreement.json",
        "exposure.json",
        "gold.jsonl",
        "labels.yaml",
    ]
    assert recorded["left_out"] == ["exported_at"]
    result = verify(a)
    assert result.reports_recorded and result.reports_sha256 == recorded["sha256"]
    assert manifest(a)["exported_at"] != manifest(b)["exported_at"]
    assert recorded["sha256"] == manifest(b)[REPORTS_KEY]["sha256"]
    found = compare(a, b)
    assert found.same and not found.reports_differ and not found.report_differs


def test_the_same_rows_with_another_gold_answer_are_not_the_same_data(
    exports: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = exports["monday"], exports["gold_changed"]
    found = compare(a, b)
    assert found.same_rows  # what --same-as said before: the same data
    assert not found.same and "agreement.json" in found.reports_differ
    assert "gold.jsonl" in found.reports_differ  # the expected answer it writes
    assert "agreement" in found.report_differs  # its gold accuracy
    with pytest.raises(SystemExit) as differ:
        main(["verify", str(a), "--same-as", str(b)])
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert differ.value.code == 1 and err.startswith("error: ")
    assert "agreement.json" in err and "report/report.json differs in" in err


def test_a_skipped_task_shows_in_the_report_numbers(exports: dict[str, Path]) -> None:
    found = compare(exports["monday"], exports["skipped"])
    assert found.same_rows and not found.same
    assert "skipped_by_reviewers" in found.report_differs


def test_another_server_address_or_tool_version_is_not_other_data(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    """A local Label Studio takes a free port; an upgrade changes the tools' versions:
    neither is what the export holds."""
    moved = copy_of(exports["friday"], tmp_path)
    report = moved / "report" / "report.json"
    numbers = json.loads(report.read_text())
    numbers["project"]["label_studio_url"] = "http://127.0.0.1:8099"
    numbers["versions"]["tools"]["annotate"] = "9.9.9"
    report.write_text(json.dumps(numbers))
    assert compare(exports["monday"], moved).same
    numbers["project"]["title"] = "another project"
    report.write_text(json.dumps(numbers))
    assert compare(exports["monday"], moved).report_differs == ["project"]


def copy_of(corpus: Path, tmp_path: Path) -> Path:
    copy = tmp_path / corpus.name
    shutil.copytree(corpus, copy)
    return copy


def test_an_older_export_without_the_field_verifies_and_compares(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    older = copy_of(exports["monday"], tmp_path)
    m = manifest(older)
    m.pop(REPORTS_KEY)
    (older / "manifest.json").write_text(json.dumps(with_digest(m)))
    result = verify(older)
    assert result.ok and not result.reports_recorded
    assert result.reports_sha256 == manifest(exports["monday"])[REPORTS_KEY]["sha256"]
    assert compare(older, exports["friday"]).same
    assert not compare(older, exports["gold_changed"]).same


def test_a_rewritten_reports_digest_is_a_mismatch(exports: dict[str, Path], tmp_path: Path) -> None:
    forged = copy_of(exports["monday"], tmp_path)
    m = manifest(forged)
    m[REPORTS_KEY]["sha256"] = "0" * 64
    (forged / "manifest.json").write_text(json.dumps(with_digest(m)))
    (found,) = check(forged).mismatches
    assert found.path == "manifest.json" and REPORTS_KEY in found.what
    assert "agreement.json, exposure.json" in found.what


def test_a_missing_report_folder_is_said_and_not_compared(
    exports: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = copy_of(exports["monday"], tmp_path)
    shutil.rmtree(bare / "report")
    found = compare(bare, exports["friday"])
    assert found.same and found.report_missing == [bare]
    with pytest.raises(SystemExit) as ok:
        main(["verify", str(bare), "--same-as", str(exports["friday"])])
    said = capsys.readouterr().err
    assert ok.value.code == 0 and "were not compared" in said
    assert "same rows and review reports" in said and "review reports SHA-256" in said


def test_same_rows_and_reports_with_other_server_counts_are_not_called_other_data(
    exports: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Two exports of one review set, a push of new (unanswered) tasks in between: the same
    content SHA-256, yet --same-as said they 'hold different data' (stop 33)."""
    a, b = exports["monday"], exports["skipped"]
    found = compare(a, b)
    assert found.same_rows and not found.reports_differ and found.report_differs
    with pytest.raises(SystemExit) as differ:
        main(["verify", str(a), "--same-as", str(b)])
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert differ.value.code == 1 and "hold different data" not in err, err
    assert "hold the same rows and review reports" in err, err
    assert "report/report.json differs in skipped_by_reviewers" in err, err


def test_the_fix_line_names_what_differed(
    exports: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--same-as's fix line said "compare their manifests (salt, seed, --redact,
    --gold-min-accuracy, taxonomy)" whatever differed, never labels.yaml's wellbeing
    settings (which its sha256 leaves out, and which change exposure.json). It names what
    the two exports were made with that differs, or says nothing did."""
    from tests.conftest import ROOT

    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    kinder = tmp_path / "kinder.yaml"  # another hiding rule, the same label space
    kinder.write_text(text.replace("hide_graphic_score: 0.1", "hide_graphic_score: 0.05"))
    newer = tmp_path / "newer.yaml"
    newer.write_text(text.replace("version: 1.0.0", "version: 1.1.0", 1))
    for name, labels in (("plain", None), ("kinder", kinder), ("newer", newer)):
        export("p", tmp_path / name, client=FakeStudio(reviewed_tasks()), salt="s", taxonomy=labels)  # type: ignore[arg-type]

    def fix_line(a: Path, b: Path) -> str:
        with pytest.raises(SystemExit) as differ:
            main(["verify", str(a), "--same-as", str(b)])
        assert differ.value.code == 1
        lines = capsys.readouterr().err.strip().splitlines()
        return next(line for line in lines if "Fix:" in line or line.startswith("fix:"))

    said = fix_line(tmp_path / "plain", tmp_path / "kinder")
    assert "labels.yaml wellbeing settings" in said and ">= 0.05" in said, said
    assert "labels.yaml (1.0.0" not in said, said  # its sha256 is the same
    said = fix_line(tmp_path / "plain", tmp_path / "newer")
    assert "labels.yaml (1.0.0, sha256" in said and "and 1.1.0, sha256" in said, said
    # nothing they were made with differs: the review did
    said = fix_line(exports["monday"], exports["gold_changed"])
    assert "the review changed in between" in said and "record the same labels.yaml" in said
