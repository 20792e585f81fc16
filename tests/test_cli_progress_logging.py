"""A log record shown while a progress bar is up starts on its own line."""

from __future__ import annotations

import io
import logging
import re
import sys

import pytest

from annotate.cli.app import Bars


def test_warning_under_a_bar_starts_its_own_line(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    handler = logging.StreamHandler(sys.stderr)  # as logging.basicConfig makes it
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [handler])
    with Bars() as bars:
        progress = bars("ingest", unit="doc")
        assert progress is not None
        logging.getLogger("annotate.test").warning("x.txt does not look like text")
    assert root.handlers == [handler]  # the bar's handler is gone once the bars are
    lines = re.split(r"[\r\n]", err.getvalue())
    assert "WARNING annotate.test: x.txt does not look like text" in lines, err.getvalue()
    assert not any("doc/s]WARNING" in line for line in lines)


def test_bars_add_no_handler_where_nothing_logs_to_the_console(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = logging.getLogger()
    kept = logging.StreamHandler(io.StringIO())  # e.g. pytest's caplog: not the console
    monkeypatch.setattr(root, "handlers", [kept])
    with Bars() as bars:
        bars("ingest", unit="doc")
        assert root.handlers == [kept]
    assert root.handlers == [kept]
