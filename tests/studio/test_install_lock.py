"""Installing Label Studio holds one lock per venv: two starts at once on a machine without
it (two `annotate studio start`, two test workers) install once, and neither deadlocks on
its own lock. The pip/uv step is replaced by one that writes the executable."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from annotate.studio import server
from annotate.studio.connection import StudioPaths
from tests.studio.install_fake import fake_install


def test_install_runs_once_under_its_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fake = fake_install(monkeypatch)
    paths = StudioPaths(root=tmp_path / "studio", venv=tmp_path / "studio" / "venv")
    server.install(paths)  # a second FileLock on the same file in this thread would raise
    server.install(paths)
    assert server.is_installed(paths)
    assert [c.requirements[0] for c in fake.calls] == [
        f"label-studio=={server.LABEL_STUDIO_VERSION}"
    ]


def test_two_installs_at_once_install_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fake = fake_install(monkeypatch, delay=0.5)
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
    assert len(fake.calls) == 1
