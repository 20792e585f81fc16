"""Installing Label Studio holds one lock per venv: two starts at once on a machine without
it (two `annotate studio start`, two test workers) install once, and neither deadlocks on
its own lock. The pip/uv step is replaced by one that writes the executable."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from annotate.studio import server
from annotate.studio.connection import StudioPaths


def _fake_install(calls: list[str], delay: float = 0.0):
    def install(paths: StudioPaths, requirements: list[str], mode: str = "a") -> None:
        calls.append(requirements[0])
        time.sleep(delay)
        paths.executable.parent.mkdir(parents=True, exist_ok=True)
        paths.executable.write_text("#!/bin/sh\n")

    return install


def test_install_runs_once_under_its_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    calls: list[str] = []
    monkeypatch.setattr(server, "_pip_install_locked", _fake_install(calls))
    paths = StudioPaths(root=tmp_path / "studio", venv=tmp_path / "studio" / "venv")
    server.install(paths)  # a second FileLock on the same file in this thread would raise
    server.install(paths)
    assert server.is_installed(paths)
    assert calls == [f"label-studio=={server.LABEL_STUDIO_VERSION}"]


def test_two_installs_at_once_install_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    calls: list[str] = []
    monkeypatch.setattr(server, "_pip_install_locked", _fake_install(calls, delay=0.5))
    paths = StudioPaths(root=tmp_path / "studio", venv=tmp_path / "studio" / "venv")
    errors: list[BaseException] = []

    def run() -> None:
        try:
            server.install(paths)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert len(calls) == 1


def test_an_install_killed_midway_is_redone_not_taken_for_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """kill -9 (or a power cut) of the first `annotate studio start` while uv installs: uv
    links packages in parallel, so `bin/label-studio` was there while Django was half
    linked (its dist-info present, django/core missing). The next start took the venv
    for installed and failed for ever with "ModuleNotFoundError: No module named
    'django.core' ... fix the cause and run again" (faults59 #2). Now the interrupted
    install is noticed (its marker is left), the half venv removed and installed again."""
    paths = StudioPaths(root=tmp_path / "studio", venv=tmp_path / "studio" / "venv")

    class Killed(BaseException):  # no handler runs on kill -9: nothing may clean up
        pass

    def killed_midway(paths: StudioPaths, requirements: list[str], mode: str = "a") -> None:
        paths.executable.parent.mkdir(parents=True, exist_ok=True)
        paths.executable.write_text("#!/bin/sh\n")
        (paths.venv / "half-linked").write_text("")
        raise Killed

    monkeypatch.setattr(server, "_pip_install_locked", killed_midway)
    with pytest.raises(Killed):
        server.install(paths)
    assert not server.is_installed(paths)
    calls: list[str] = []
    monkeypatch.setattr(server, "_pip_install_locked", _fake_install(calls))
    server.install(paths)
    assert calls == [f"label-studio=={server.LABEL_STUDIO_VERSION}"]
    assert server.is_installed(paths)
    assert not (paths.venv / "half-linked").exists()  # installed afresh, not on top
    server.install(paths)
    assert len(calls) == 1  # done once, then taken as installed


def test_a_venv_installed_by_an_earlier_version_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A venv with the executable and no marker of an interrupted install (every venv an
    earlier version installed, a shared $ANNOTATE_STUDIO_VENV) is taken as installed."""
    calls: list[str] = []
    monkeypatch.setattr(server, "_pip_install_locked", _fake_install(calls))
    paths = StudioPaths(root=tmp_path / "studio", venv=tmp_path / "shared-venv")
    paths.executable.parent.mkdir(parents=True)
    paths.executable.write_text("#!/bin/sh\n")
    server.install(paths)
    assert calls == [] and server.is_installed(paths)
