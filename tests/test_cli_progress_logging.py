"""A log record shown while a progress bar is up starts on its own line."""

from __future__ import annotations

import io
import logging
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from annotate.cli.app import Bars
from annotate.cli.console_log import ConsoleFormatter
from tests.test_cli_bars_warnings import Terminal


def test_warning_under_a_bar_starts_its_own_line(monkeypatch: pytest.MonkeyPatch) -> None:
    err = Terminal()  # bars are drawn on a terminal only
    monkeypatch.setattr(sys, "stderr", err)
    handler = logging.StreamHandler(sys.stderr)  # as the CLI's callback makes it
    handler.setFormatter(ConsoleFormatter())
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [handler])
    with Bars() as bars:
        progress = bars("ingest", unit="doc")
        assert progress is not None
        logging.getLogger("annotate.test").warning("x.txt does not look like text")
    assert root.handlers == [handler]  # the bar's handler is gone once the bars are
    lines = re.split(r"[\r\n]", err.getvalue())
    assert "warning: x.txt does not look like text" in lines, err.getvalue()
    assert not any("doc/s]warning" in line for line in lines)


def test_bars_add_no_handler_where_nothing_logs_to_the_console(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = logging.getLogger()
    kept = logging.StreamHandler(io.StringIO())  # e.g. pytest's caplog: not the console
    monkeypatch.setattr(root, "handlers", [kept])
    monkeypatch.setattr(sys, "stderr", Terminal())
    with Bars() as bars:
        assert bars("ingest", unit="doc") is not None
        assert root.handlers == [kept]
    assert root.handlers == [kept]


def test_cross_source_bars_let_a_warning_start_its_own_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`evaluate --cross-source` makes its own bars (folds, embed): logs go round them too."""
    from annotate.cli import evaluate as cli_evaluate
    from annotate.training import crosssource

    def fake_run(*args: Any, embed_progress: Any, **kw: Any) -> dict[str, Any]:
        embed_progress(3)
        logging.getLogger("annotate.test").warning("a source has no positives")
        return {"comparison": [], "folds": []}

    monkeypatch.setattr(crosssource, "run_cross_source", fake_run)
    # no config to read its public sources from (a config without any is refused first)
    monkeypatch.setattr(cli_evaluate, "check_sources", lambda *a: None)
    err = Terminal()  # bars are drawn on a terminal only
    monkeypatch.setattr(sys, "stderr", err)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ConsoleFormatter())
    monkeypatch.setattr(logging.getLogger(), "handlers", [handler])
    cli_evaluate._cross_source(
        tmp_path / "c.yaml", tmp_path, None, (None, None, None, None), None, True, 0, None, False
    )
    lines = re.split(r"[\r\n]", err.getvalue())
    assert "warning: a source has no positives" in lines, err.getvalue()
