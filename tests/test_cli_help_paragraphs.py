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


def test_each_commands_line_in_the_command_lists_is_one_sentence_unbroken() -> None:
    """`annotate --help` (and `annotate review --help` ...) lists each command with its
    docstring's first paragraph, which typer printed with the docstring's line breaks
    ("... of an exported" / "corpus; exits non-zero ...")."""
    env = {"COLUMNS": "300"}
    out = CliRunner().invoke(app, ["--help"], env=env).output
    assert "of an exported corpus; exits non-zero when the corpus does not match" in out, out
    assert "(metrics at the model's thresholds, AUPRC" in out, out
    out = CliRunner().invoke(app, ["review", "--help"], env=env).output
    line = next(x for x in out.splitlines() if "│ status" in x)
    assert "(removed reviewers flagged); for a project pushed without" in line, out


def test_no_help_text_is_eaten_as_rich_markup() -> None:
    """`annotate prelabel --help` printed "--engine ray: actors, each with one model and
    --threads CPUs ." where the help says "[default: 2]": rich reads a bracketed word as a
    style tag and drops it, so the default the README gives (2) was not shown."""
    from rich.markup import render

    eaten = []
    for path, cmd in _commands(typer.main.get_command(app)):
        for param in [None, *cmd.params]:
            text = (cmd.help if param is None else getattr(param, "help", None)) or ""
            if render(text).plain != text:
                eaten.append((" ".join(path), param.name if param else "", text))
    assert eaten == []
    out = CliRunner().invoke(app, ["prelabel", "--help"], env={"COLUMNS": "300"}).output
    assert "--threads CPUs (default 2;" in out, out
