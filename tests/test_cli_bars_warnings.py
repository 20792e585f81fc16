"""A Python warning (a library's ``warnings.warn``) or a line the CLI echoes while a
progress bar is up starts on its own line, as log records do
(tests/test_cli_progress_logging.py): both ran into the bar's text before
(``ingest: 0doc [00:00, ?doc/s]/site-packages/...: UserWarning: ...``)."""

from __future__ import annotations

import io
import logging
import re
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from annotate.cli.app import Bars, echo
from annotate.cli.console_log import ConsoleFormatter


class Terminal(io.StringIO):
    """stderr as a string that says it is a terminal: bars are drawn only there."""

    def isatty(self) -> bool:
        return True


def _console(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """stderr as a string (a terminal's), with the root logger writing to it as
    the CLI's callback (annotate.cli.console_log) sets it up. Called in the test itself: pytest
    sets sys.stderr again between a fixture's setup and the test."""
    err = Terminal()
    monkeypatch.setattr(sys, "stderr", err)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(ConsoleFormatter())  # other libraries' records keep their names
    monkeypatch.setattr(logging.getLogger(), "handlers", [handler])
    return err


def _lines(err: io.StringIO) -> list[str]:
    return re.split(r"[\r\n]", err.getvalue())


def test_a_python_warning_under_a_bar_starts_its_own_line(monkeypatch: pytest.MonkeyPatch) -> None:
    console = _console(monkeypatch)
    before = warnings.showwarning
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        with Bars() as bars:
            assert bars("ingest", unit="doc") is not None
            warnings.warn("the tokenizer is slow", UserWarning, stacklevel=1)
    assert warnings.showwarning is before  # as it was once the bars are gone
    warned = [ln for ln in _lines(console) if "UserWarning: the tokenizer is slow" in ln]
    assert warned and all(ln.startswith("WARNING py.warnings: ") for ln in warned), (
        console.getvalue()
    )


def test_a_warning_after_an_inner_block_still_goes_round_the_outer_bar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    console = _console(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        with Bars() as outer:
            outer("folds", unit="fit")
            with Bars():
                pass
            warnings.warn("no positives in a fold", UserWarning, stacklevel=1)
    warned = [ln for ln in _lines(console) if "no positives in a fold" in ln]
    assert warned and warned[0].startswith("WARNING py.warnings: "), console.getvalue()


def test_echo_under_a_bar_starts_its_own_line(monkeypatch: pytest.MonkeyPatch) -> None:
    console = _console(monkeypatch)
    with Bars() as bars:
        progress = bars("ingest", unit="doc")
        assert progress is not None
        progress(2)
        echo("note: 2 documents were empty")
    assert "note: 2 documents were empty" in _lines(console), console.getvalue()
    assert not any("doc/s]note" in ln for ln in _lines(console))


def test_echo_without_a_bar_is_a_plain_line(monkeypatch: pytest.MonkeyPatch) -> None:
    console = _console(monkeypatch)
    with Bars(quiet=True) as bars:
        assert bars("ingest") is None
        echo("done")
    assert console.getvalue() == "done\n"


def test_cross_source_rows_line_and_a_warning_go_round_its_bars(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A command path: `evaluate --cross-source` echoes the rows it loaded, and a
    library warns, while its embed bar is up."""
    from annotate.cli import evaluate as cli_evaluate
    from annotate.training import crosssource

    def fake_run(*args: Any, on_rows: Any, embed_progress: Any, **kw: Any) -> dict[str, Any]:
        embed_progress(3)
        on_rows(120)
        warnings.warn("lbfgs failed to converge", UserWarning, stacklevel=1)
        return {"comparison": [], "folds": []}

    monkeypatch.setattr(crosssource, "run_cross_source", fake_run)
    # no config to read its public sources from (a config without any is refused first)
    monkeypatch.setattr(cli_evaluate, "check_sources", lambda *a: None)
    console = _console(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        cli_evaluate._cross_source(
            tmp_path / "c.yaml", tmp_path, None, (None,) * 4, None, True, 0, None, False
        )
    lines = _lines(console)
    assert f"120 training rows loaded from {tmp_path / 'c.yaml'}" in lines, console.getvalue()
    warned = [ln for ln in lines if "lbfgs failed to converge" in ln]
    assert warned and warned[0].startswith("WARNING py.warnings: "), console.getvalue()
