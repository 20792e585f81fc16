"""`annotate export --out corpus/` into a previous export replaced it whole, saying so
only afterwards: a model trained on it records its files' digests, so `annotate verify
MODEL` then failed on every file (stop 45's leftover), and the export the model was
trained on was gone. A folder holding an export is now refused before any work unless
--overwrite says to replace it; the error names what it holds and a new folder."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.test_cli import _error_line, run


@pytest.fixture
def exports(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    import annotate.corpus.export as corpus_export
    from annotate.corpus.export import MANIFEST, ExportResult

    done: list[Path] = []

    def fake_export(project: str, target: Path, **_: object) -> ExportResult:
        done.append(Path(target))
        Path(target).mkdir(exist_ok=True)
        manifest = {"project": {"title": project}, "exported_at": "2026-12-01T10:00:00+00:00"}
        (Path(target) / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        return ExportResult(Path(target), 4, {"train": 2, "validation": 1, "test": 1}, 4, 1, 0)

    monkeypatch.setattr(corpus_export, "export", fake_export)
    return done


def test_a_previous_export_is_not_replaced_without_overwrite(tmp_path: Path, exports) -> None:
    out = tmp_path / "corpus"
    first = run("export", "--project", "Batch 1", "--out", str(out))
    assert first.returncode == 0, first.stderr
    before = (out / "manifest.json").read_bytes()
    line = " ".join(_error_line(run("export", "--project", "Batch 1", "--out", str(out))).split())
    assert exports == [out]  # refused before any work
    held = "holds the export of project 'Batch 1' exported at 2026-12-01T10:00:00+00:00"
    assert f"--out {out} {held}" in line
    assert "a model trained on it would fail `annotate verify MODEL`" in line
    today = datetime.now(timezone.utc).date().isoformat()
    assert f"--out {tmp_path / ('corpus-' + today)}" in line and "--overwrite" in line
    assert (out / "manifest.json").read_bytes() == before


def test_overwrite_replaces_it_and_says_so(tmp_path: Path, exports) -> None:
    out = tmp_path / "corpus"
    assert run("export", "--project", "p", "--out", str(out)).returncode == 0
    again = run("export", "--project", "p", "--out", str(out), "--overwrite")
    assert again.returncode == 0, again.stderr
    assert "this export replaced the previous one" in again.stderr
    assert exports == [out, out]


def test_a_new_or_empty_folder_needs_no_overwrite(tmp_path: Path, exports) -> None:
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "new", tmp_path / "empty"):
        ran = run("export", "--project", "p", "--out", str(out))
        assert ran.returncode == 0 and "replaced" not in ran.stderr, ran.stderr


def test_another_projects_export_is_left_to_the_exports_own_refusal(tmp_path: Path) -> None:
    """--overwrite does not let one project's export replace another's (the export
    refuses it, naming both): the --overwrite refusal would have offered it as the fix."""
    from annotate.cli.export import refuse_previous_export
    from annotate.errors import InputError

    out = tmp_path / "corpus"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"project": {"title": "A"}}), "utf-8")
    refuse_previous_export(out, "B")  # not this refusal's to make
    with pytest.raises(InputError, match=r"holds the export of project 'A' \(manifest\.json\)"):
        refuse_previous_export(out, "A")
