"""`annotate export` of a review set nobody has answered yet wrote an empty corpus, said so
in a `note:` and exited 0 (stop 59 lead, #7: a lead scripting export + train got an empty
corpus and exit 0). Still exit 0, as ingest's empty table (train refuses the empty export;
a script exporting a round under way keeps working), but a `warning:` that the export is
empty, with the open tasks and --require-complete for a script that must stop there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import run


@pytest.fixture
def empty_export(monkeypatch: pytest.MonkeyPatch) -> None:
    import annotate.corpus.export as export_lib
    from annotate.corpus.export import ExportResult

    def fake_export(project: str, target: Path, **_: object) -> ExportResult:
        splits = {"train": 0, "validation": 0, "test": 0}
        manifest = {"tasks_unanswered_in_label_studio": 8}
        return ExportResult(Path(target), 0, splits, 0, 0, 0, manifest=manifest)

    monkeypatch.setattr(export_lib, "export", fake_export)


def test_an_empty_export_is_a_warning_naming_the_open_tasks(
    empty_export: None, tmp_path: Path
) -> None:
    out = tmp_path / "corpus"
    done = run("export", "--project", "Batch 60", "--out", str(out), "-q")
    assert done.returncode == 0, done.stderr
    (line,) = [ln for ln in done.stderr.splitlines() if "EMPTY" in ln]
    assert line.startswith("warning: the export is EMPTY: no passage of 'Batch 60'"), line
    assert f"{out} holds no row" in line and "`annotate train` refuses it" in line, line
    assert "8 tasks still open" in line and "--require-complete" in line, line
    assert "note: no passage" not in done.stderr


def test_require_complete_stops_on_it(empty_export: None, tmp_path: Path) -> None:
    done = run(
        "export", "--project", "Batch 60", "--out", str(tmp_path / "c"), "--require-complete"
    )
    assert done.returncode == 1, done.stderr
    (line,) = [ln for ln in done.stderr.splitlines() if "EMPTY" in ln]
    assert "--require-complete" not in line  # given: the error below says what is open
    assert "8 tasks still open in Label Studio" in done.stderr, done.stderr


def _nothing_open(monkeypatch: pytest.MonkeyPatch, manifest: dict[str, object]) -> None:
    import annotate.corpus.export as export_lib
    from annotate.corpus.export import ExportResult

    def fake_export(project: str, target: Path, **_: object) -> ExportResult:
        splits = {"train": 0, "validation": 0, "test": 0}
        return ExportResult(Path(target), 0, splits, 0, 0, 0, manifest=dict(manifest))

    monkeypatch.setattr(export_lib, "export", fake_export)


@pytest.mark.parametrize("option", ["--require-complete", "--strict"])
def test_require_complete_refuses_an_empty_export_with_nothing_open(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, option: str
) -> None:
    """newuser60: every task skipped (nothing answered, nothing open) passed
    --require-complete with exit 0 and an empty corpus; an empty export is no evidence of a
    complete review, so it is refused, naming what was found and the fix."""
    manifest = {"tasks_unanswered_in_label_studio": 0, "passages_skipped_without_answer": 5}
    _nothing_open(monkeypatch, manifest)
    done = run("export", "--project", "Batch 60", "--out", str(tmp_path / "c"), option, "-q")
    assert done.returncode == 1, done.stderr
    flat = " ".join(done.stderr.split())
    assert f"{option}" in flat and "the export of 'Batch 60' is EMPTY" in flat, flat
    assert "found: 5 passages skipped without an answer" in flat, flat
    assert "Fix: have the skipped passages answered" in flat, flat
    assert f"drop {option} to take the empty export on purpose" in flat, flat
    assert "Traceback" not in done.stderr


def test_require_complete_refuses_a_project_without_tasks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _nothing_open(monkeypatch, {"tasks_unanswered_in_label_studio": 0})
    argv = ["export", "--project", "Batch 60", "--out", str(tmp_path / "c")]
    done = run(*argv, "--require-complete")
    assert done.returncode == 1, done.stderr
    flat = " ".join(done.stderr.split())
    assert "it found no task to answer" in flat, flat
    assert "Fix: check that --project 'Batch 60' names the project" in flat, flat
    warned = run(*[a if a != str(tmp_path / "c") else str(tmp_path / "d") for a in argv])
    assert warned.returncode == 0, warned.stderr  # without the option: a warning, as before
    assert "no task is open either" in warned.stderr, warned.stderr
