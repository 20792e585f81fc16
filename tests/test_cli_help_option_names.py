"""`--help` at 80 columns (a pipe, `less`, a laptop terminal) cut option names:
`--skip-bad-fil…`, `--allow-other-…`, `--max-graphic-per-r…`, and left a help column about
20 characters wide (`ingest --help`: 347 lines). A new user could not copy the option the
README sends them to (passG52 G4). Every option's names now print whole at 80 columns."""

from __future__ import annotations

import re

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


def test_every_option_name_prints_whole_at_80_columns() -> None:
    cut = []
    for path, cmd in _commands(typer.main.get_command(app)):
        out = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80"}).output
        assert "Usage" in out, (path, out)
        for param in cmd.params:
            if getattr(param, "hidden", False):
                continue
            for name in [*param.opts, *param.secondary_opts]:
                if name.startswith("--") and name not in out:
                    cut.append(f"{' '.join(path)} {name}")
    assert cut == []


def test_ingest_help_is_not_a_column_of_words() -> None:
    out = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "80"}).output
    assert len(out.splitlines()) < 200, len(out.splitlines())


def _words(out: str) -> set[str]:
    """The words of ``out``, those of tokens too long for a narrow line left out (a path
    such as ``$ANNOTATE_HOME/passage_pseudonyms.jsonl`` is cut with ``…`` there)."""
    short = " ".join(t for t in out.split() if len(t) <= 24)
    return set(re.findall(r"[a-z]{5,}", short))


def test_every_options_help_prints_at_40_columns() -> None:
    """At 40 or 45 columns the names left the help column no width: no option showed any
    help (break7 L8). There each option's help goes under its names, every word of it."""
    lost = {}
    for path, _ in _commands(typer.main.get_command(app)):
        wide = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"}).output
        for width in ("40", "45"):
            out = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": width}).output
            if missing := _words(wide) - set(re.findall(r"[a-z]{5,}", out)):
                lost[f"{' '.join(path)} {width}"] = sorted(missing)[:5]
    assert lost == {}
    out = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "40"}).output
    assert "Output passages (.parquet or" in out, out
