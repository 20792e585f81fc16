"""The warning of a `studio start` that moved off a port reviewers' links name told them
to re-send "project URLs of `annotate review push`", a command annotate does not have
(`annotate review` holds status, reassign and held-back; the project URLs come from
`annotate push`). Every command the note names must be one a user can run."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from annotate.cli import app
from annotate.studio.server import port_moved_note


def test_every_command_the_note_names_exists() -> None:
    note = port_moved_note(8080, 8081, [8080])
    commands = re.findall(r"`annotate ([a-z][a-z -]*?)(?: --[^`]*)?`", note)
    assert "push" in commands, note
    for command in commands:
        result = CliRunner().invoke(app, [*command.split(), "--help"])
        assert result.exit_code == 0, (command, result.output)


def test_no_note_for_a_port_it_never_ran_on() -> None:
    assert port_moved_note(8080, 8081, [9000]) == ""
