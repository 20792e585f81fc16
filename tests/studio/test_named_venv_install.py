"""A Label Studio install into a venv named by $ANNOTATE_STUDIO_VENV that was interrupted
(Ctrl-C, kill -9, a full disk) is not taken as installed (faults59 #2, left open: its
program was there, so every later start failed with "No module named 'django.core'"). A
venv annotate made is removed and made again; a folder that was there before (the
user's) is never removed: the install is done again over it; a working venv the user
made, with no marker of annotate's, is used as it is. The pip/uv step is replaced by one
that writes the venv's python and program."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.studio import server
from annotate.studio.connection import VENV_ENV, StudioPaths, studio_paths
from tests.studio.install_fake import fake_install


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ANNOTATE_LOCK_DIR", str(tmp_path / "locks"))
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv(VENV_ENV, str(tmp_path / "venvs" / "ls"))
    return tmp_path


def test_an_interrupted_install_into_a_venv_annotate_made_is_made_again(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = fake_install(monkeypatch, interrupted=True)
    paths = studio_paths()
    assert not paths.venv.exists() and not paths.shared
    with pytest.raises(KeyboardInterrupt):
        server.install(paths)
    assert paths.executable.is_file()
    assert not server.is_installed(paths)  # before: installed, as its program was there
    fake.interrupted = False
    server.install(paths)
    assert server.is_installed(paths) and paths.complete.is_file()
    assert not (paths.venv / "half_written.py").exists()  # removed, made afresh
    assert [c.reinstall for c in fake.calls] == [False, False]
    server.install(paths)  # installed now: nothing more
    assert len(fake.calls) == 2
    # a working venv the user made, with no marker of annotate's: used as it is
    mine = isolated / "venvs" / "mine"
    (mine / "bin").mkdir(parents=True)
    (mine / "bin" / "label-studio").write_text("#!/bin/sh\n")
    monkeypatch.setenv(VENV_ENV, str(mine))
    assert server.is_installed(studio_paths())
    server.install(studio_paths())
    assert len(fake.calls) == 2 and sorted(p.name for p in mine.iterdir()) == ["bin"]


def test_an_interrupted_install_into_the_users_own_folder_is_redone_over_it(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A venv the user made (there before, without Label Studio) is never removed: an
    interrupted install into it is done again over it, every package reinstalled."""
    mine = isolated / "venvs" / "ls"
    (mine / "bin").mkdir(parents=True)
    (mine / "bin" / "python").write_text("#!/bin/sh\n")
    (mine / "mine.txt").write_text("keep")
    fake = fake_install(monkeypatch, interrupted=True)
    paths = studio_paths()
    with pytest.raises(KeyboardInterrupt):
        server.install(paths)
    assert not server.is_installed(paths)
    fake.interrupted = False
    server.install(paths)
    assert server.is_installed(paths)
    assert (mine / "mine.txt").read_text() == "keep" and (mine / "half_written.py").exists()
    assert [c.reinstall for c in fake.calls] == [False, True]


def test_an_unfinished_install_is_the_only_one_removed(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another install started over a finished one is unfinished until its end: the
    earlier complete mark does not stand for it."""
    fake = fake_install(monkeypatch)
    paths = studio_paths()
    server.install(paths)
    paths.executable.unlink()  # something removed the program: installed again
    assert not server.is_installed(paths)
    fake.interrupted = True
    with pytest.raises(KeyboardInterrupt):
        server.install(paths)
    assert paths.executable.is_file() and not server.is_installed(paths)


def test_the_real_venv_step_accepts_the_folder_with_its_marker(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The started marker is written before the venv is made, so the venv step must take
    a folder that is there (uv refuses one without --allow-existing). uv's venv step runs
    for real (no download); the package step is recorded, then fakes its result. A redo
    over the user's folder reinstalls every package."""
    import subprocess

    uv = server.find_uv()
    if uv is None:
        pytest.skip("uv is not installed here (make setup installs it)")
    commands: list[list[str]] = []

    def run(cmd: list[str], out: object, paths: StudioPaths) -> None:
        commands.append(cmd)
        if cmd[1] == "venv":
            subprocess.run(cmd, check=True, capture_output=True)
        elif "label-studio" in " ".join(cmd):
            paths.executable.write_text("#!/bin/sh\n")
            raise KeyboardInterrupt  # interrupted the first time

    monkeypatch.setattr(server, "_run", run)
    paths = studio_paths()
    with pytest.raises(KeyboardInterrupt):
        server.install(paths)
    assert (paths.venv / "pyvenv.cfg").is_file() and paths.started.is_file()
    assert "--allow-existing" in commands[0] and "--reinstall" not in commands[-1]
    # the user's own folder (the marker says annotate did not make it): reinstalled over
    paths.started.write_text('{"made_by_annotate": false}\n')
    commands.clear()
    with pytest.raises(KeyboardInterrupt):
        server.install(paths)
    assert commands[-1][:3] == [uv, "pip", "install"] and "--reinstall" in commands[-1]


def test_a_folder_with_files_that_is_no_venv_is_refused_and_left_as_it_was(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reader60 #1: `uv venv --allow-existing` wrote a venv into any folder named (a
    project folder: its .gitignore became '*', a CACHEDIR.TAG made backups skip it). A
    folder that holds files but no pyvenv.cfg is refused before anything is written."""
    from annotate.errors import StudioError

    mine = isolated / "venvs" / "ls"
    mine.mkdir(parents=True)
    (mine / ".gitignore").write_text("secrets.env\n")
    (mine / "notes.md").write_text("mine\n")
    fake = fake_install(monkeypatch)
    with pytest.raises(StudioError) as exc:
        server.install(studio_paths())
    assert f"{VENV_ENV} names {mine}" in str(exc.value) and "no venv" in str(exc.value)
    assert ".gitignore, notes.md" in str(exc.value) and VENV_ENV in exc.value.fix
    assert fake.calls == [] and sorted(p.name for p in mine.iterdir()) == [".gitignore", "notes.md"]
    assert (mine / ".gitignore").read_text() == "secrets.env\n"
    assert sorted(p.name for p in mine.parent.iterdir()) == ["ls"]  # no gate, no lock
    (mine / "pyvenv.cfg").write_text("home = /usr/bin\n")  # a venv of the user's: used
    server.install(studio_paths())
    assert len(fake.calls) == 1 and server.is_installed(studio_paths())


def test_a_file_named_as_the_venv_is_one_clear_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """reader60 #3: ANNOTATE_STUDIO_VENV=~/venv/bin/python (a file) ended in a
    FileExistsError traceback and left a gate beside it."""
    from annotate.cli import main

    python = isolated / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("")
    monkeypatch.setenv(VENV_ENV, str(python))
    fake = fake_install(monkeypatch)
    with pytest.raises(SystemExit) as exc:
        main(["studio", "start"])
    err = capsys.readouterr().err
    assert exc.value.code != 0 and "Traceback" not in err
    assert f"{VENV_ENV} names {python}, which is a file: expected a venv folder" in err
    assert fake.calls == [] and sorted(p.name for p in python.parent.iterdir()) == ["python"]


def test_the_users_own_empty_folder_is_never_removed(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """reader60 #2: an empty folder the user made (a mount point, a group folder with its
    own mode) counted as made by annotate, and an interrupted install there was removed
    with the folder (its mode, owner, inode lost; a mount point: EBUSY). It is the
    user's: the install is done again in place."""
    import json

    mine = isolated / "venvs" / "ls"
    mine.mkdir(parents=True)
    mine.chmod(0o2770)
    before = mine.stat()
    fake = fake_install(monkeypatch, interrupted=True)
    paths = studio_paths()
    with pytest.raises(KeyboardInterrupt):
        server.install(paths)
    assert json.loads(paths.started.read_text())["made_by_annotate"] is False
    fake.interrupted = False
    server.install(paths)
    after = mine.stat()
    assert server.is_installed(paths) and (mine / "half_written.py").exists()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert [c.reinstall for c in fake.calls] == [False, True]


def test_an_unfinished_install_that_cannot_be_removed_is_one_clear_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A venv annotate made, left unfinished, that cannot be removed (busy, read-only):
    a StudioError naming it, not a raw OSError."""
    import errno
    import shutil

    from annotate.errors import StudioError

    fake_install(monkeypatch, interrupted=True)
    paths = studio_paths()
    with pytest.raises(KeyboardInterrupt):
        server.install(paths)

    def busy(path: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy", str(path))

    monkeypatch.setattr(shutil, "rmtree", busy)
    with pytest.raises(StudioError) as exc:
        server.install(paths)
    assert f"cannot remove {paths.venv}" in str(exc.value) and "busy" in str(exc.value)
    assert str(paths.venv) in exc.value.fix


def test_start_says_nothing_of_installing_into_a_folder_it_refuses(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """reader60: `annotate studio start` printed "installing Label Studio ... into X"
    before refusing X (a folder of other files, no venv): the folder is checked first."""
    from annotate.cli import main

    mine = isolated / "venvs" / "ls"
    mine.mkdir(parents=True)
    (mine / "notes.md").write_text("mine\n")
    fake = fake_install(monkeypatch)
    with pytest.raises(SystemExit) as exc:
        main(["studio", "start"])
    said = capsys.readouterr()
    assert exc.value.code != 0 and "no venv" in said.err, said.err
    assert "installing Label Studio" not in said.out + said.err, said
    assert fake.calls == []


def test_start_says_nothing_of_installing_beside_a_lock_it_refuses(
    isolated: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """reader61 #3: the install lock's checks (a folder every user may write without the
    sticky bit) ran only inside the install, after "installing Label Studio ... into X"."""
    from annotate.cli import main

    folder = isolated / "venvs"
    folder.mkdir()
    folder.chmod(0o777)
    fake = fake_install(monkeypatch)
    with pytest.raises(SystemExit) as exc:
        main(["studio", "start"])
    said = capsys.readouterr()
    assert exc.value.code != 0 and "no sticky bit" in said.err, said.err
    assert "installing Label Studio" not in said.out + said.err, said
    assert fake.calls == []
