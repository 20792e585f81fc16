"""Command help as a new user reads it: typer (rich markup) keeps the line breaks of every
paragraph after the first, so a wrapped docstring paragraph prints broken mid-sentence
("(all" / "answered or skipped ..." on the next line, at any terminal width)."""

from __future__ import annotations

import inspect

import click
import typer
from typer.testing import CliRunner

from annotate.cli import app


def _commands(group: click.Command, path: tuple[str, ...] = ()):
    subs = getattr(group, "commands", None)
    if subs is None:
        yield path, group
        return
    for name, sub in subs.items():
        yield from _commands(sub, (*path, name))


def test_no_help_paragraph_after_the_first_is_wrapped_by_hand() -> None:
    broken = []
    for path, cmd in _commands(typer.main.get_command(app)):
        text = cmd.help or inspect.getdoc(getattr(cmd, "callback", None)) or ""
        if any("\n" in p.strip() for p in text.split("\n\n")[1:]):
            broken.append(" ".join(path))
    assert broken == []


def test_reassign_help_prints_its_sentence_on_one_line() -> None:
    # rich reads the width from COLUMNS (CliRunner's terminal_width is click's only)
    out = CliRunner().invoke(app, ["review", "reassign", "--help"], env={"COLUMNS": "300"}).output
    line = next(x for x in out.splitlines() if "no open task left" in x)
    assert "(all answered or skipped: a reviewer who finished before leaving)" in line
