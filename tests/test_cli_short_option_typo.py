"""``--k 2`` typed for ``-k 2`` (``--reviewers-per-task``) got click's "No such option"
with no suggestion (a new user's run): click suggests only long options close to the one
typed. A ``--X`` whose ``-X`` is an option of the command now names it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annotate.cli import app


def test_double_dash_short_option_names_the_option_meant(tmp_path: Path) -> None:
    ran = CliRunner().invoke(app, ["push", str(tmp_path / "p.jsonl"), "--project", "x", "--k", "2"])
    assert ran.exit_code == 2 and "Traceback" not in ran.output
    assert "No such option: --k. Did you mean -k (--reviewers-per-task)?" in ran.output, ran.output


def test_other_unknown_options_keep_clicks_message(tmp_path: Path) -> None:
    args = ["push", str(tmp_path / "p.jsonl"), "--project", "x"]
    near = CliRunner().invoke(app, [*args, "--reviewers-per-tsk", "2"])
    assert near.exit_code == 2 and "Possible options:" in near.output
    assert "--reviewers-per-task" in near.output and "Did you mean" not in near.output
    other = CliRunner().invoke(app, [*args, "--z", "2"])  # no -z: nothing to suggest
    assert other.exit_code == 2 and "No such option: --z" in other.output
    assert "Did you mean" not in other.output


def test_an_option_of_another_command_names_that_command(tmp_path: Path) -> None:
    """New-user pass 62: `push ... --previous FILE` (README's step 6 gives `--previous` to
    `ingest`, the next line pushes) got "No such option: --previous (Possible options:
    --reviewer)", a suggestion that has nothing to do with it. An option of another command
    now says which."""
    args = ["push", str(tmp_path / "p.jsonl"), "--project", "x", "--previous", "a.parquet"]
    ran = CliRunner().invoke(app, args)
    assert ran.exit_code == 2 and "Traceback" not in ran.output
    said = " ".join(ran.output.replace("│", " ").split())  # the error box wraps lines
    assert "--previous is an option of `annotate ingest`, not of `annotate push`." in said, said
    assert "--reviewer" not in said
