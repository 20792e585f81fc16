"""An export over a previous export replaces the folder whole: files someone added to it
(an auditor's notes, a sign-off) were deleted without a word."""

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
    (out / "report" / "seen.txt").write_text("derived folder: regenerated, may go\n")
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
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
