"""`annotate verify A --same-as B` with B no export (a typo, the wrong folder) verified and
printed all of A first, then failed on B: the error now comes first, alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.cli import main
from annotate.corpus.export import export

from .fakes import FakeStudio, reviewed_tasks


@pytest.mark.parametrize("other", ["missing", "plain-folder"])
def test_a_same_as_that_is_no_export_fails_before_verifying(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], other: str
) -> None:
    a = tmp_path / "monday"
    export("p", a, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    b = tmp_path / other
    if other == "plain-folder":
        b.mkdir()
    capsys.readouterr()
    with pytest.raises(SystemExit) as failed:
        main(["verify", str(a), "--same-as", str(b)])
    err = capsys.readouterr().err
    assert failed.value.code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    want = (
        f"error: {b / 'manifest.json'} not found: {b} is not an exported corpus. "
        "Fix: pass the --out directory of `annotate export`."
        if other == "plain-folder"
        # --same-as takes an export only: no word of model folders (it offered them)
        else f"error: {b}: no such folder (an exported corpus is the folder that holds "
        "manifest.json). Fix: check the path; pass the --out directory of `annotate export`."
    )
    assert lines == [want], err


def test_an_export_compared_with_itself_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`annotate verify corpus/ --same-as ./corpus` said 'same data: corpus and corpus hold
    the same rows', as if two exports had been compared."""
    a = tmp_path / "monday"
    export("p", a, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    with pytest.raises(SystemExit) as failed:
        main(["verify", "monday/", "--same-as", "./monday"])
    err = capsys.readouterr().err
    assert failed.value.code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == [
        "error: --same-as monday is monday itself; expected another export to compare it "
        "with (an earlier export of the project, or a colleague's). Fix: pass the other "
        "export's folder: annotate verify monday --same-as OTHER_DIR."
    ], err
