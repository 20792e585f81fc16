"""`annotate verify A --same-as B` verifies both exports, but printed only A's checksums:
an auditor comparing two exports could not check B's manifest SHA-256 against the one
recorded when B was exported, nor see B's row counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.audit.verify import sha256_file
from annotate.cli import main
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


def test_same_as_prints_the_other_exports_checksums(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = tmp_path / "monday", tmp_path / "friday"
    for out in (a, b):
        export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    with pytest.raises(SystemExit) as ok:
        main(["verify", str(a), "--same-as", str(b)])
    said = " ".join(capsys.readouterr().err.split())
    assert ok.value.code == 0 and "same data" in said
    assert f"verified {b}:" in said
    assert sha256_file(b / "manifest.json") in said
    assert sha256_file(a / "manifest.json") in said
