"""`-q/--quiet` is taken by every command: a user who puts it on every line of a script
(as push, export and agreement take it) got "No such option: -q" from `reviewers add`,
`review reassign` and the other commands without progress bars."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
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


def _docs(tmp_path: Path) -> Path:
    path = tmp_path / "docs.jsonl"
    path.write_text(
        json.dumps({"id": "d0", "text": "Document 0: a paragraph long enough to be a passage."})
        + "\n",
        encoding="utf-8",
    )
    return path


def test_quiet_hides_a_note_and_keeps_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-q keeps errors, warnings and the result: ingest's licence note (no licence given)
    goes, its summary stays."""
    monkeypatch.chdir(tmp_path)
    docs = _docs(tmp_path)
    plain = run_cli("ingest", str(docs), "--out", "a.parquet")
    quiet = run_cli("ingest", str(docs), "--out", "b.parquet", "-q")
    assert plain.exit_code == quiet.exit_code == 0, quiet.output
    assert "note: no licence recorded" in plain.output
    assert "note:" not in quiet.output, quiet.output
    assert "1 document -> 1 passage" in quiet.output, quiet.output


def _note_echoes(tree: ast.AST) -> Iterator[str]:
    """The text of each ``echo(...)`` call whose line starts with ``note: `` (a literal
    or f-string first argument)."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "echo"):
            continue
        if not node.args:
            continue
        arg = node.args[0]
        first = arg.values[0] if isinstance(arg, ast.JoinedStr) and arg.values else arg
        if isinstance(first, ast.Constant) and str(first.value).startswith("note: "):
            yield ast.unparse(arg)


# the notes that are the command's result (the output is empty, or part of what was asked
# was not done): printed with -q too; every other note goes through app.note(line, quiet)
RESULT_NOTES = (
    "is missing or unreadable: the reports",  # verify --same-as: reports not compared
    "holds no passage (",  # ingest: an empty table
    "gold task(s) in",  # push --gold-rate: fewer gold tasks than asked
    "is not used: run `annotate studio stop`",  # studio start --port: not applied
    "replaced_note(",  # train: the model the run replaced in --out (no copy kept)
)


def test_every_other_note_is_quiet_aware() -> None:
    cli = Path(__file__).resolve().parents[1] / "annotate" / "cli"
    found = [
        (path.relative_to(cli).as_posix(), text)
        for path in sorted(cli.rglob("*.py"))
        for text in _note_echoes(ast.parse(path.read_text(encoding="utf-8")))
    ]
    unexpected = [(f, t) for f, t in found if not any(k in t for k in RESULT_NOTES)]
    assert not unexpected, unexpected
    assert all(any(k in t for _, t in found) for k in RESULT_NOTES), found
