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


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
def test_the_default_lock_folder_is_private_and_a_shared_one_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # reader58b F8: /tmp/annotate-locks-<uid> was taken as found, writable by others
    import stat

    from annotate.errors import AnnotateError

    monkeypatch.delenv(lock.LOCK_DIR_ENV, raising=False)
    monkeypatch.setattr(lock, "system_temp", lambda: tmp_path)
    made = lock.lock_dir()
    assert made == tmp_path / f"annotate-locks-{os.getuid()}"
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    made.chmod(0o777)  # as another user could have made it
    with pytest.raises(AnnotateError) as refused:
        lock.lock_dir()
    said = str(refused.value) + (refused.value.fix or "")
    assert str(made) in said and "mode 777" in said and lock.LOCK_DIR_ENV in said
    made.rmdir()
    made.write_text("")  # a file in its place
    with pytest.raises(AnnotateError, match="is not a folder"):
        lock.lock_dir()
