"""`--help` at 80 columns (a pipe, `less`, a laptop terminal) cut option names:
`--skip-bad-fil…`, `--allow-other-…`, `--max-graphic-per-r…`, and left a help column about
20 characters wide (`ingest --help`: 347 lines). A new user could not copy the option the
README sends them to (passG52 G4). Every option's names now print whole at 80 columns."""

from __future__ import annotations

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
