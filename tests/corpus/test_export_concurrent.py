"""Two `annotate export --out X` at once into the same new folder both "succeeded": the
check refusing an existing export without --overwrite ran only at the start, and the
commit swapped the finished folder onto whatever was there at the end, so the first
export was silently replaced and the SHA-256 it printed no longer matched (faults49 F6).
An export now holds its output folder's lock while it runs (a second one is refused at
once, naming the holder), and without --overwrite its commit never replaces a folder that
appeared while it ran."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import MANIFEST, export
from annotate.errors import ExportError, InputError
from annotate.studio.lock import LOCK_DIR_ENV, output_lock
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.test_cli import _error_line, run


@pytest.fixture(autouse=True)
def own_locks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LOCK_DIR_ENV, str(tmp_path / "locks"))


class MidRun(FakeStudio):
    """A studio that runs ``during`` once, in the middle of the export (after the tasks
    are read, before the corpus is written)."""

    def __init__(self, during: Any) -> None:
        super().__init__(reviewed_tasks())
        self.during = during

    def server_version(self) -> str:
        during, self.during = self.during, None
        if during:
            during()
        return "fake"


def test_a_second_export_into_the_same_folder_is_refused_while_the_first_runs(
    tmp_path: Path,
) -> None:
    out = tmp_path / "corpus"
    refused: list[InputError] = []

    def second() -> None:
        with pytest.raises(InputError) as err:
            export("p", out, client=FakeStudio(reviewed_tasks()), salt="s", overwrite=False)  # type: ignore[arg-type]
        refused.append(err.value)

    export("p", out, client=MidRun(second), salt="s", overwrite=False)  # type: ignore[arg-type]
    assert len(refused) == 1
    message = " ".join(str(refused[0]).split())
    assert f"another `annotate export` is writing {out}" in message
    assert f"pid {os.getpid()}" in message  # the holder, named
    assert "pass another --out" in message
    assert (out / MANIFEST).is_file()  # the first export, whole
    # released at the end: the next export (with --overwrite) runs
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s", overwrite=True)  # type: ignore[arg-type]


def test_the_cli_refuses_at_once_with_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    with output_lock(out):  # another export writing it
        line = _error_line(run("export", "--project", "p", "--out", str(out)))
    assert f"another `annotate export` is writing {out}" in line
    assert "--overwrite" in line and "pass another --out" in line
    assert not out.exists()


def test_a_folder_that_appeared_during_the_run_is_not_replaced_without_overwrite(
    tmp_path: Path,
) -> None:
    out = tmp_path / "corpus"
    theirs = json.dumps({"project": {"title": "p"}, "by": "another machine"})

    def appear() -> None:  # another machine's export (a lock elsewhere) lands meanwhile
        out.mkdir()
        (out / MANIFEST).write_text(theirs, encoding="utf-8")

    with pytest.raises(ExportError) as err:
        export("p", out, client=MidRun(appear), salt="s", overwrite=False)  # type: ignore[arg-type]
    message = " ".join(str(err.value).split())
    assert f"{out} was written by another process while this export ran" in message
    assert "--overwrite" in message
    assert (out / MANIFEST).read_text(encoding="utf-8") == theirs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "locks"]  # no partial left

    # --overwrite: replaced, as asked
    out2 = tmp_path / "corpus2"

    def appear2() -> None:
        out2.mkdir()
        (out2 / MANIFEST).write_text(theirs, encoding="utf-8")

    export("p", out2, client=MidRun(appear2), salt="s", overwrite=True)  # type: ignore[arg-type]
    assert (out2 / MANIFEST).read_text(encoding="utf-8") != theirs
