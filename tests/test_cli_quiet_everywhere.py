"""`-q/--quiet` is taken by every command: a user who puts it on every line of a script
(as push, export and agreement take it) got "No such option: -q" from `reviewers add`,
`review reassign` and the other commands without progress bars."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer

from annotate.cli import app
from tests.test_open_work import run_cli


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every leaf command under ``command`` with its words (``("review", "reassign")``)."""
    subs = getattr(command, "commands", None)
    if subs is None:
        yield path, command
        return
    for name, sub in subs.items():
        yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(typer.main.get_command(app)))


def test_the_walk_finds_the_commands() -> None:
    assert ("reviewers", "add") in COMMANDS and ("review", "reassign") in COMMANDS
    assert ("push",) in COMMANDS and ("taxonomy", "config") in COMMANDS
    assert len(COMMANDS) >= 25


@pytest.mark.parametrize("words", sorted(COMMANDS), ids=" ".join)
def test_every_command_takes_quiet(words: tuple[str, ...]) -> None:
    opts = {o for p in COMMANDS[words].params for o in getattr(p, "opts", ())}
    assert {"-q", "--quiet"} <= opts, f"`annotate {' '.join(words)}` has no -q/--quiet"
    for flag in ("-q", "--quiet"):
        ran = run_cli(*words, flag, "--help")
        assert ran.exit_code == 0, ran.output
        assert "--quiet" in ran.output


def test_quiet_still_shows_the_result() -> None:
    """A command without progress bars runs as before with -q: its result is printed."""
    plain = run_cli("taxonomy", "check")
    quiet = run_cli("taxonomy", "check", "-q")
    assert plain.exit_code == quiet.exit_code == 0, quiet.output
    assert quiet.output == plain.output and quiet.output.strip()
