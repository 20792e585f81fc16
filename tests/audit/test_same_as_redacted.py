"""`annotate verify A --same-as B` where A was exported with --redact and B without (the
rows held nothing to mask): the error said "what Label Studio held beside the corpus
changed between the two exports", sending an auditor to look for pushes and open tasks
that never happened. It names the difference: one export is redacted, the other not."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.audit.redact import RedactionSettings
from annotate.cli import main
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks

PERSONAL_PASSAGE = "doc-c-p0"  # the one passage of the fakes with an e-mail, a phone, a handle


def test_redacted_against_plain_export_names_redact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))  # the pseudonym key
    plain, masked = tmp_path / "plain", tmp_path / "masked"
    tasks = [t for t in reviewed_tasks() if t["data"]["passage_id"] != PERSONAL_PASSAGE]
    export("p", plain, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    export(
        "p",
        masked,
        client=FakeStudio(tasks),  # type: ignore[arg-type]
        salt="s",
        redact=RedactionSettings(),
    )
    with pytest.raises(SystemExit) as ran:
        main(["verify", str(masked), "--same-as", str(plain)])
    said = " ".join(capsys.readouterr().err.split())
    assert ran.value.code == 1
    assert f"{masked} was exported with --redact and {plain} without" in said
    assert "what Label Studio held beside the corpus changed" not in said
    assert "both with --redact, or both without" in said
