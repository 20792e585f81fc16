"""Mistakes a new user makes on the command line, each one line and the right exit code:
a mistyped PRELABELS path for push (a FileNotFoundError traceback for JSONL and CSV, a
Parquet reader's message for Parquet), and a share or threshold at 0 or 1 (inside the
range the help showed, refused later with exit 1 instead of a usage error's 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.tables import table_columns
from tests.test_cli import _error_line, run


@pytest.mark.parametrize("name", ["missing.jsonl", "missing.csv", "missing.parquet"])
@pytest.mark.parametrize("review", [False, True])
def test_push_of_a_missing_table_is_one_line(tmp_path: Path, name: str, review: bool) -> None:
    missing = tmp_path / name
    args = ["push", str(missing), "--project", "P"] + (["-k", "2"] if review else [])
    ran = run(*args)  # a traceback raises here (run re-raises what the user would see)
    assert ran.returncode == 1
    assert _error_line(ran) == f"error: {missing}: no such file. Fix: check the path."


def test_reading_the_columns_of_a_missing_table_names_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        table_columns(tmp_path / "gone.jsonl")


@pytest.mark.parametrize(
    "args",
    [
        ("push", "x.jsonl", "-p", "P", "--gold", "g.jsonl", "--gold-rate", "0"),
        ("push", "x.jsonl", "-p", "P", "--gold", "g.jsonl", "--gold-rate", "1"),
        ("ingest", "x.txt", "--out", "o.jsonl", "--near-dup-threshold", "1"),
        ("ingest", "x.txt", "--out", "o.jsonl", "--near-dup-threshold", "0"),
        ("export", "-p", "P", "--out", "c", "--near-dup-threshold", "1.5"),
    ],
)
def test_shares_at_the_ends_are_usage_errors(args: tuple[str, ...]) -> None:
    ran = run(*args)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    line = _error_line(ran)
    assert line.startswith(f"error: invalid value for '{args[-2]}': "), line
    assert "is not above 0 and below 1" in line, line


def test_push_reviewer_help_names_who_the_default_leaves_out() -> None:
    """The help said "default: all accounts but the demo ones": a reviewer marked away by
    `annotate review reassign` (and the admin) is left out too, as the README says."""
    import typer.main

    from annotate.cli import app

    push = typer.main.get_command(app).commands["push"]  # type: ignore[attr-defined]
    (param,) = [p for p in push.params if "--reviewer" in p.opts]
    text = " ".join((param.help or "").split())
    assert "admin" in text and "away" in text and "review reassign" in text, text


def test_an_interrupted_hand_over_says_a_rerun_finishes_it(monkeypatch) -> None:
    """`review reassign` stopped by Ctrl-C midway leaves the reviewer marked away and part
    of the tasks moved; the message said the re-run "starts afresh"."""

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("annotate.review.handover.reassign", interrupted)
    monkeypatch.setattr("annotate.studio.client.connect", lambda *a, **k: None)
    monkeypatch.setattr("annotate.corpus.salt.reviewer_salt", lambda *a, **k: "s")
    ran = run("review", "reassign", "--project", "P", "--from", "a@x.org", "--to", "b@x.org")
    assert ran.returncode == 130
    line = _error_line(ran)
    assert line.endswith("(a hand-over stopped midway is finished, no task moved twice)."), line
