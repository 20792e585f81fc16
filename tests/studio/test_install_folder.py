"""The folder Label Studio's venv goes into ($XDG_CACHE_HOME/annotate, or the parent of
$ANNOTATE_STUDIO_VENV): one that cannot be written is one clear error naming it and the
setting to change (a bare OSError on the install lock's `.gate` before), and an install
leaves nothing there but the venv and its lock's gate, named after it (a bare `.gate` in
the user's ~/.cache/annotate before). The pip/uv step is replaced by one that writes the
venv's python and program."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotate.errors import StudioError
from annotate.studio import server
from annotate.studio.connection import VENV_ENV, shared_venv, studio_paths
from tests.studio.install_fake import fake_install


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(tmp_path / "locks"))
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(VENV_ENV, raising=False)
    return tmp_path


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Folders put in the list are made read-only (mode 555). Root writes in those
    anyway, so for root (this sandbox, some CI runners) the kernel's refusal is played by
    os.open and os.mkdir, as a read-only file system answers: EROFS."""
    folders: list[Path] = []
    real_open, real_mkdir = os.open, os.mkdir

    def refused(path: object) -> bool:
        where = Path(os.fsdecode(path)).absolute()  # type: ignore[arg-type]
        return any(where.parent == folder or folder in where.parents for folder in folders)

    def fake_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if refused(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    def fake_mkdir(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if refused(path) and not Path(os.fsdecode(path)).exists():
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
        return real_mkdir(path, *args, **kwargs)

    if os.geteuid() == 0:
        monkeypatch.setattr(os, "open", fake_open)
        monkeypatch.setattr(os, "mkdir", fake_mkdir)
    yield folders
    for folder in folders:
        folder.chmod(0o755)


def _make_read_only(folders: list[Path], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    folders.append(folder.absolute())


def test_a_read_only_cache_folder_is_one_clear_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, read_only: list[Path]
) -> None:
    fake = fake_install(monkeypatch)
    _make_read_only(read_only, isolated / "cache" / "annotate")
    with pytest.raises(StudioError) as exc:
        server.install(studio_paths())
    message = str(exc.value)
    assert str(shared_venv().parent) in message and "write" in message
    assert "XDG_CACHE_HOME" in exc.value.fix and VENV_ENV in exc.value.fix
    assert fake.calls == []


def test_a_read_only_folder_of_the_named_venv_is_one_clear_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, read_only: list[Path]
) -> None:
    """A finished install in a folder since made read-only (an administrator's) still
    runs: nothing is written there."""
    fake = fake_install(monkeypatch)
    monkeypatch.setenv(VENV_ENV, str(isolated / "admin" / "ls-venv"))
    server.install(studio_paths())
    _make_read_only(read_only, isolated / "admin")
    _make_read_only(read_only, isolated / "shared")
    monkeypatch.setenv(VENV_ENV, str(isolated / "shared" / "ls-venv"))
    with pytest.raises(StudioError) as exc:
        server.install(studio_paths())
    assert str(isolated / "shared") in str(exc.value)
    assert exc.value.fix.startswith(f"set {VENV_ENV} to a venv path in a folder you can write")
    assert not (isolated / "shared" / "ls-venv").exists()
    monkeypatch.setenv(VENV_ENV, str(isolated / "admin" / "ls-venv"))
    server.install(studio_paths())
    assert server.is_installed(studio_paths()) and len(fake.calls) == 1


def test_an_install_leaves_only_the_venv_and_its_named_gate(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No bare `.gate` (or lock, holder record, write check) in ~/.cache/annotate: the
    install lock's gate is named after the venv it guards."""
    fake_install(monkeypatch)
    server.install(studio_paths())
    venv = shared_venv()
    assert sorted(p.name for p in venv.parent.iterdir()) == [
        f".{venv.name}.install.gate",
        venv.name,
    ]
    mine = isolated / "venvs" / "ls"
    monkeypatch.setenv(VENV_ENV, str(mine))
    server.install(studio_paths())
    assert sorted(p.name for p in mine.parent.iterdir()) == [".ls.install.gate", "ls"]


def test_a_driver_install_into_a_read_only_venv_names_the_driver(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reader60 #6: the psycopg install into a working venv in a folder that cannot be
    written said "cannot install Label Studio into ..."; what is missing is the driver."""
    from annotate.studio.database import parse

    venv = isolated / "admin" / "ls-venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    monkeypatch.setenv(VENV_ENV, str(venv))
    monkeypatch.setattr(server, "probe", lambda *a, **k: None)  # no psycopg there

    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(server.tempfile, "mkstemp", refused)
    with pytest.raises(StudioError) as exc:
        server.check_database(studio_paths(), parse("postgresql://u:p@127.0.0.1:5432/ls"))
    assert str(exc.value).startswith(f"cannot install the PostgreSQL driver (psycopg) into {venv}")
