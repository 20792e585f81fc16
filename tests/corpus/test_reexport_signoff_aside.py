"""An auditor's sign-off in an export's ``report/`` stayed, unmarked, beside the report of
the export that replaced it (passH53 H4: ``export --overwrite`` after the lead decided
one more dispute; the sign-off approved 1 tie and 3 adjudicated passages, the new report
said 0 and 4). It now moves to ``report/kept-from-export-<time>-<manifest SHA-256>/``,
with a note naming the export it was written against, and export says so."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from annotate.audit.report_files import ASIDE_NOTE, kept_note
from annotate.corpus.export import export
from tests.audit.fakes import FakeStudio, reviewed_tasks


def test_a_sign_off_of_the_replaced_export_is_moved_aside_and_named(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    old = json.loads((out / "manifest.json").read_text())
    digest = hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()
    (out / "report" / "sign-off.md").write_text("signed off by auditor X\n")
    result = export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert not (out / "report" / "sign-off.md").exists()
    aside = result.kept_aside
    assert aside is not None and aside.startswith("report/kept-from-export-")
    assert aside.endswith(digest[:12])
    assert (out / aside / "sign-off.md").read_text() == "signed off by auditor X\n"
    about = (out / aside / ASIDE_NOTE).read_text()
    assert digest in about and str(old["exported_at"]) in about
    assert sorted(result.kept) == [f"{aside}/{ASIDE_NOTE}", f"{aside}/sign-off.md"]
    said = kept_note(result.kept, out, aside=aside)
    assert said is not None and "were written against that export, not this one" in said
    assert "sign-off.md" in said and str(out / aside) in said
    # a third export keeps that folder as it is (not nested), and moves nothing new
    third = export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    assert (out / aside / "sign-off.md").is_file() and third.kept_aside is None
    assert not list((out / "report").glob("kept-from-export-*/kept-from-export-*"))


def test_the_cli_says_where_the_sign_off_went(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.audit.cli_run import run_cli

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("annotate.corpus.export.connect", lambda: FakeStudio(reviewed_tasks()))
    out = tmp_path / "c"
    code, said = run_cli(["export", "--project", "p", "--out", str(out)], capsys)
    assert code == 0, said
    (out / "report" / "sign-off.md").write_text("ok\n")
    code, said = run_cli(["export", "--project", "p", "--out", str(out), "--overwrite"], capsys)
    assert code == 0, said
    flat = " ".join(said.split())
    assert "note: 1 file(s) in the previous export's report that annotate did not write " in flat
    assert "(sign-off.md) were written against that export, not this one" in flat, said
