"""One stand-in for Label Studio's package step (``server._pip_install_locked``), shared
by the studio install tests (it was written four times, each with its own signature:
reader60 #8). It takes the real step's arguments, ``reinstall`` too, records each call
and writes what an install leaves: ``bin/python``, ``bin/label-studio`` and the pinned
release's dist-info."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from annotate.studio import server
from annotate.studio.connection import LABEL_STUDIO_VERSION, StudioPaths


def write_venv(venv: Path, version: str = LABEL_STUDIO_VERSION) -> None:
    """What an install leaves: bin/python, bin/label-studio and the release's dist-info."""
    (venv / "bin").mkdir(parents=True, exist_ok=True)
    (venv / "bin" / "python").write_text("#!/bin/sh\n")
    (venv / "bin" / "label-studio").write_text("#!/bin/sh\n")
    info = venv / "lib" / "python3.12" / "site-packages" / f"label_studio-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class InstallCall:
    """One call of the package step: the venv, the requirements, whether every package
    was to be installed again over what is there."""

    venv: Path
    requirements: list[str]
    reinstall: bool


@dataclass
class FakeInstall:
    """The package step: records each call in ``calls``, sleeps ``delay`` seconds (two
    installs at once), writes the venv's files (:func:`write_venv`); ``interrupted``
    (settable between calls): then writes ``half_written.py`` and raises
    KeyboardInterrupt, as an install killed before its end."""

    delay: float = 0.0
    interrupted: bool = False
    calls: list[InstallCall] = field(default_factory=list)

    def __call__(
        self,
        paths: StudioPaths,
        requirements: list[str],
        mode: str = "a",
        *,
        reinstall: bool = False,
    ) -> None:
        self.calls.append(InstallCall(paths.venv, list(requirements), reinstall))
        time.sleep(self.delay)
        write_venv(paths.venv)
        if self.interrupted:  # the program is written, the packages are not all there
            (paths.venv / "half_written.py").write_text("")
            raise KeyboardInterrupt

    @property
    def venvs(self) -> list[Path]:
        """The venv of each call, in order."""
        return [c.venv for c in self.calls]


def fake_install(
    monkeypatch: pytest.MonkeyPatch, *, delay: float = 0.0, interrupted: bool = False
) -> FakeInstall:
    """A :class:`FakeInstall` put in place of ``server._pip_install_locked``."""
    fake = FakeInstall(delay=delay, interrupted=interrupted)
    monkeypatch.setattr(server, "_pip_install_locked", fake)
    return fake
