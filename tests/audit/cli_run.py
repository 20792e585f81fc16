"""Run the ``annotate`` CLI in this process, as the audit tests' user would type it."""

from __future__ import annotations

import pytest

from annotate.cli import main


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``annotate ARGV``: (exit status, what it printed on stderr). Output printed before
    the call is dropped first, so the text is this command's alone."""
    capsys.readouterr()
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().err
