"""One Label Studio install per user, shared by every work folder (newuser58 #8: each new
folder's `annotate studio start` installed it again, minutes and ~1 GB, unless the user
knew $ANNOTATE_STUDIO_VENV). It lives in the user's cache folder, keyed by the pinned
version, is made under the install lock and counts as installed only once its install
finished: a killed install is made afresh, never used. Data stays per work folder. The
pip/uv step is replaced by one that writes the venv's python and program."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest

from annotate.errors import StudioError
from annotate.studio import lock, server
from annotate.studio.connection import (
    LABEL_STUDIO_VERSION,
    VENV_ENV,
    install_key,
    shared_venv,
    studio_paths,
)
from tests.studio.install_fake import fake_install, write_venv

KEY = install_key()


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(tmp_path / "locks"))
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(VENV_ENV, raising=False)
    return tmp_path


def test_the_venv_is_the_users_one_per_version(isolated: Path) -> None:
    expected = isolated / "cache" / "annotate" / f"label-studio-{LABEL_STUDIO_VERSION}-{KEY}"
    assert shared_venv() == expected
    one = studio_paths(isolated / "a" / ".annotate" / "studio")
    two = studio_paths(isolated / "b" / ".annotate" / "studio")
    assert one.venv == two.venv == expected and one.shared and two.shared
    # the server's data, credentials, state and logs stay per work folder
    assert one.data != two.data and one.credentials != two.credentials
    assert one.data.is_relative_to(isolated / "a") and one.log.is_relative_to(isolated / "a")


def test_without_xdg_cache_home_it_is_under_dot_cache(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(isolated / "user"))
    for value in (None, "relative/cache"):  # a relative one is ignored (XDG rule)
        if value is None:
            monkeypatch.delenv("XDG_CACHE_HOME")
        else:
            monkeypatch.setenv("XDG_CACHE_HOME", value)
        assert shared_venv() == isolated / "user" / ".cache" / "annotate" / (
            f"label-studio-{LABEL_STUDIO_VERSION}-{KEY}"
        )


def test_the_environment_still_names_the_venv(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(VENV_ENV, str(isolated / "mine"))
    paths = studio_paths()
    assert paths.venv == (isolated / "mine").resolve() and not paths.shared
    monkeypatch.setenv(VENV_ENV, str(shared_venv()))  # naming the shared one: still it
    assert studio_paths().shared


def test_a_folders_own_venv_of_the_pinned_release_is_kept(isolated: Path) -> None:
    """A work folder where an earlier annotate installed the pinned Label Studio keeps
    using it (no second install); one of another release is left for the shared one."""
    root = isolated / "old" / ".annotate" / "studio"
    assert studio_paths(root).venv == shared_venv()
    write_venv(root / "venv", version="1.20.0")
    assert studio_paths(root).venv == shared_venv()
    write_venv(root / "venv")
    paths = studio_paths(root)
    assert paths.venv == root / "venv" and not paths.shared and server.is_installed(paths)


def test_an_install_is_complete_only_at_its_end(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_install(monkeypatch, interrupted=True)
    paths = studio_paths()
    with pytest.raises(KeyboardInterrupt):
        server.install(paths)
    # every file of a finished install is there, but the install did not finish
    assert paths.executable.is_file() and not paths.complete.exists()
    assert not server.is_installed(paths)
    assert not lock.install_lock_path(paths.venv).exists()  # the lock was released
    fake.interrupted = False
    server.install(paths)
    assert server.is_installed(paths)
    record = json.loads(paths.complete.read_text(encoding="utf-8"))
    assert record["label_studio"] == LABEL_STUDIO_VERSION
    server.install(studio_paths(isolated / "other" / ".annotate" / "studio"))  # reused
    assert fake.venvs == [shared_venv(), shared_venv()]


def test_a_half_install_is_removed_not_reused(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shared venv left without its completion mark (an install killed with SIGKILL)
    is removed and made afresh: nothing of it is kept."""
    paths = studio_paths()
    write_venv(paths.venv)
    leftover = paths.venv / "lib" / "python3.12" / "site-packages" / "half_written.py"
    leftover.write_text("")
    assert not server.is_installed(paths)
    fake = fake_install(monkeypatch)
    server.install(paths)
    assert fake.venvs == [paths.venv] and server.is_installed(paths) and not leftover.exists()


def test_a_venv_the_user_named_is_never_removed(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = isolated / "mine"
    (mine / "keep").mkdir(parents=True)
    (mine / "pyvenv.cfg").write_text("home = /usr/bin\n")  # a venv (no venv: refused)
    monkeypatch.setenv(VENV_ENV, str(mine))
    fake = fake_install(monkeypatch)
    server.install(studio_paths())
    assert fake.venvs == [mine.resolve()] and (mine / "keep").is_dir()


def test_the_shared_folder_named_by_the_environment_is_still_the_shared_install(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reader59 #5 (docs/label-studio.md says so): $ANNOTATE_STUDIO_VENV naming the
    shared folder itself (the test fixtures do) names the shared install, so an
    unfinished one there is removed and made again, as without the variable."""
    monkeypatch.setenv(VENV_ENV, str(shared_venv()))
    paths = studio_paths()
    write_venv(paths.venv)
    leftover = paths.venv / "half_written.py"
    leftover.write_text("")
    fake = fake_install(monkeypatch)
    server.install(paths)
    assert fake.venvs == [shared_venv()] and not leftover.exists()
    docs = (Path(__file__).parents[2] / "docs" / "label-studio.md").read_text(encoding="utf-8")
    assert "unless it names the shared install's own folder" in " ".join(docs.split())


def test_a_shared_venv_whose_python_is_gone_is_not_installed(isolated: Path) -> None:
    paths = studio_paths()
    write_venv(paths.venv)
    server.mark_complete(paths)
    assert server.is_installed(paths)
    (paths.venv / "bin" / "python").unlink()  # the interpreter it was made from was removed
    assert not server.is_installed(paths)


def test_the_install_waits_for_another_under_the_lock_beside_the_venv(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The install lock lies beside the venv, keyed by it: while another process
    installs, this one does not install alongside."""
    from annotate._util.lockfiles import acquire, release

    fake = fake_install(monkeypatch)
    monkeypatch.setattr(server, "install_lock", partial(lock.install_lock, wait_s=0))
    path = lock.install_lock_path(shared_venv())
    assert path.parent == shared_venv().parent and path.name.startswith(".")
    gate = lock.install_gate_path(shared_venv())  # one gate per lock, as install's
    held = acquire(path, 0, gate=gate)  # another install holds it
    try:
        with pytest.raises(StudioError, match="still installing Label Studio"):
            server.install(studio_paths())
        assert fake.venvs == []
    finally:
        release(path, held, gate=gate)
    server.install(studio_paths())
    assert fake.venvs == [shared_venv()]


def test_an_install_under_another_lock_folder_is_not_removed(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reader59 #1: a process with another $ANNOTATE_LOCK_DIR (or on another host sharing
    the home folder) takes the same install lock, so it neither deletes the unfinished
    install that the other is writing nor installs alongside."""
    from annotate._util.lockfiles import acquire, release

    fake = fake_install(monkeypatch)
    monkeypatch.setattr(server, "install_lock", partial(lock.install_lock, wait_s=0))
    venv = shared_venv()
    gate = lock.install_gate_path(venv)  # one gate per lock, as install's
    held = acquire(lock.install_lock_path(venv), 0, gate=gate)  # process A
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")  # A's install, under way (no mark yet)
    try:
        monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(isolated / "other-locks"))  # process B
        with pytest.raises(StudioError, match="still installing Label Studio"):
            server.install(studio_paths())
        assert fake.venvs == [] and (venv / "bin" / "python").is_file()
    finally:
        release(lock.install_lock_path(venv), held, gate=gate)


def test_the_install_lock_refuses_a_link(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fake_install(monkeypatch)
    path = lock.install_lock_path(shared_venv())
    path.parent.mkdir(parents=True)
    (isolated / "target").write_text("keep")
    path.symlink_to(isolated / "target")
    with pytest.raises(StudioError, match="not a plain file") as exc:
        server.install(studio_paths())
    assert str(path) in exc.value.fix and fake.calls == []
    assert (isolated / "target").read_text() == "keep"


def test_the_shared_folder_is_keyed_by_what_is_installed(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reader59 #2: the shared folder's name carries a key of the requirement list the
    install passes to uv/pip: another list is a fresh install, not a reuse."""
    from annotate.studio import connection

    fake = fake_install(monkeypatch)
    before = shared_venv()
    assert before.name == f"label-studio-{LABEL_STUDIO_VERSION}-{connection.install_key()}"
    server.install(studio_paths())
    assert [c.requirements for c in fake.calls] == [list(connection.INSTALL_REQUIREMENTS)]
    more = (*connection.INSTALL_REQUIREMENTS, "psycopg[binary]==3.3.9")
    monkeypatch.setattr(connection, "INSTALL_REQUIREMENTS", more)
    monkeypatch.setattr(server, "INSTALL_REQUIREMENTS", more)
    assert shared_venv() != before and shared_venv().parent == before.parent
    paths = studio_paths()
    assert paths.shared and not server.is_installed(paths)
    server.install(paths)
    assert fake.calls[-1].requirements == list(more) and server.is_installed(paths)


def test_the_files_are_flushed_before_the_install_is_marked_complete(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reader59 #7: a power cut must not leave a durable mark over files still in the
    page cache: one sync before the mark is written."""
    import os

    fake_install(monkeypatch)
    paths = studio_paths()
    synced: list[bool] = []
    monkeypatch.setattr(os, "sync", lambda: synced.append(paths.complete.exists()))
    server.install(paths)
    assert synced == [False] and paths.complete.is_file()


def test_a_cache_folder_that_cannot_be_made_is_one_clear_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (isolated / "cache").write_text("")  # a file where the cache folder would be
    fake = fake_install(monkeypatch)
    with pytest.raises(StudioError, match="cannot make") as exc:
        server.install(studio_paths())
    assert "XDG_CACHE_HOME" in exc.value.fix and fake.calls == []
