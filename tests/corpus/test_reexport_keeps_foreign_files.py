"""An export over a previous export replaces the folder whole: files someone added to it
(an auditor's notes, a sign-off) were deleted without a word. Outside ``report/`` the
export refuses; in ``report/`` (where an auditor puts a sign-off) it keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.corpus.export import export
from annotate.errors import ExportError
from tests.audit.fakes import FakeStudio, reviewed_tasks


def test_an_export_over_one_holding_added_files_is_refused_and_deletes_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    (out / "report" / "sign-off.md").write_text("signed off\n")
    result = export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    # kept, moved aside as written against the export replaced (passH53 H4)
    assert result.kept_aside is not None
    assert f"{result.kept_aside}/sign-off.md" in result.kept
    assert (out / result.kept_aside / "sign-off.md").read_text() == "signed off\n"
    notes = out / "AUDIT_NOTES.txt"
    notes.write_text("checked 2026-12-01\n")
    (out / "signoff").mkdir()
    (out / "signoff" / "sig.txt").write_text("signed\n")
    with pytest.raises(ExportError) as err:
        export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    message = str(err.value)
    assert "2 file(s) in it are not part of it (AUDIT_NOTES.txt, signoff/sig.txt)" in message
    assert "\n" not in message and "move them out" in message
    assert notes.read_text() == "checked 2026-12-01\n"
    assert (out / "signoff" / "sig.txt").is_file()


def test_a_report_rerun_keeps_files_it_did_not_write_and_replaces_its_own(
    tmp_path: Path,
) -> None:
    from annotate.audit.report import write_report

    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    rep = tmp_path / "rep"
    first = write_report(corpus, rep)
    assert first.kept == []
    (rep / "sign-off.md").write_text("signed\n")
    (rep / "figures" / "mine.png").write_bytes(b"png")
    # the report's own, edited since it was written: replaced, the edited copy kept
    # beside it (stop 47; it was lost)
    (rep / "report.md").write_text("edited by hand\n")
    again = write_report(corpus, rep)
    assert again.kept == ["figures/mine.png", "report.md.kept", "sign-off.md"]
    assert (rep / "sign-off.md").read_text() == "signed\n"
    assert (rep / "figures" / "mine.png").read_bytes() == b"png"
    assert (rep / "report.md").read_text() != "edited by hand\n"
    assert (rep / "report.md.kept").read_text() == "edited by hand\n"
    assert not (rep / "sign-off.md.kept").exists()
