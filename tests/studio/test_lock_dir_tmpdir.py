"""The push/export lock folder does not follow $TMPDIR (faults58 #5): annotate's own
full-disk error tells the user to run again with ``TMPDIR=/path/with/room``, and a push
started so put its lock in another folder than a push without it, so the two did not
exclude each other (both imported into one project and both exited 1 with warnings of
duplicates that the other had by then removed)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from annotate.studio import lock


@pytest.mark.skipif(
    os.name != "posix" or not os.access("/tmp", os.W_OK), reason="needs a writable /tmp"
)
def test_two_runs_with_different_tmpdir_share_one_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(lock.LOCK_DIR_ENV, raising=False)
    seen = []
    for name in ("a", "b"):
        other = tmp_path / name
        other.mkdir()
        monkeypatch.setenv("TMPDIR", str(other))
        monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
        assert Path(tempfile.gettempdir()) == other
        seen.append(lock.lock_path("http://127.0.0.1:8080", "Batch 1"))
    assert seen[0] == seen[1]
    assert not seen[0].is_relative_to(tmp_path)


def test_the_lock_folder_setting_still_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(lock.LOCK_DIR_ENV, str(tmp_path / "locks"))
    assert lock.lock_dir() == tmp_path / "locks"
