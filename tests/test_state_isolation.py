"""Each test has its own ANNOTATE_HOME and user state folder (tests/conftest.py): a record
one test leaves (a push's project record, an export snapshot's entry) is not seen by the
next test of its pytest-xdist worker. CI 54a failed so: the Label Studio session fixture
(tests/integration/conftest.py ``studio``) sets ``$ANNOTATE_HOME`` for the rest of its
worker, and a unit test run after it found another test's record in that home's
``state`` folder. The tests below run in file order, each pair in one worker."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotate.settings import HOME_ENV, annotate_home
from annotate.studio import snapshot_record

URL = "http://127.0.0.1:8080"


@pytest.fixture(scope="module")
def wide_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``$ANNOTATE_HOME`` set by a fixture wider than a test, as the ``studio`` fixture
    sets it for its whole session (undone only when the module ends here)."""
    home = tmp_path_factory.mktemp("wide-home")
    mp = pytest.MonkeyPatch()
    mp.setenv(HOME_ENV, str(home))
    try:
        yield home
    finally:
        mp.undo()


def leave_snapshot_entry(title: str) -> None:
    """Record an export snapshot of an annotate run that has ended (one a later export
    on ``URL`` would sweep), in :func:`annotate.settings.state_dir`."""
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    entry = snapshot_record.Entry(3, title, ended.pid, socket.gethostname(), 1.0)
    assert snapshot_record.remember(URL, entry)
    assert [e.title for e in snapshot_record.left(URL)] == [title]


@pytest.mark.shares_home
def test_a_record_left_under_a_wide_home(wide_home: Path) -> None:
    assert annotate_home() == wide_home.resolve()  # a test that asks for it has it
    leave_snapshot_entry("under-the-wide-home")


def test_the_next_test_has_a_home_of_its_own() -> None:
    assert snapshot_record.left(URL) == []
    home = annotate_home()
    assert not home.exists() or not any(home.iterdir())


def test_a_record_left_without_annotate_home(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that clears ``$ANNOTATE_HOME`` keeps records in the user's state folder."""
    monkeypatch.delenv(HOME_ENV, raising=False)
    leave_snapshot_entry("in-the-users-folder")


def test_the_next_test_without_annotate_home_sees_no_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(HOME_ENV, raising=False)
    assert snapshot_record.left(URL) == []
