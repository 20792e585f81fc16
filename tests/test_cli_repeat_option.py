"""``annotate train --data corpus/ extra.jsonl --out m`` (the README writes the command
``annotate train --data PATH... --out models/NAME``) got click's "Got unexpected extra
argument(s) (extra.jsonl)" with no fix (a new user's run): a repeatable option takes one
value per flag. The usage error now says so and gives the command line that works."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annotate.cli import app


def test_two_values_after_one_repeatable_option_say_to_repeat_it(tmp_path: Path) -> None:
    out = str(tmp_path / "m")
    ran = CliRunner().invoke(app, ["train", "--data", "corpus", "extra.jsonl", "--out", out])
    assert ran.exit_code == 2 and "Traceback" not in ran.output
    said = " ".join(ran.output.replace("│", " ").split())  # the usage box wraps lines
    assert "unexpected extra argument(s) (extra.jsonl)" in said, ran.output
    assert "--data takes one value: repeat it for each (--data corpus --data extra.jsonl)" in (
        said
    ), ran.output


def test_evaluate_models_too(tmp_path: Path) -> None:
    ran = CliRunner().invoke(
        app,
        ["evaluate", "--model", "default", "models/new", "--data", "c", "--out", str(tmp_path)],
    )
    assert ran.exit_code == 2
    said = " ".join(ran.output.replace("│", " ").split())
    assert "--model takes one value: repeat it for each (--model default --model models/new)" in (
        said
    ), ran.output


def test_an_extra_argument_after_a_single_value_option_keeps_clicks_message(
    tmp_path: Path,
) -> None:
    ran = CliRunner().invoke(app, ["train", "--out", str(tmp_path / "m"), "stray"])
    assert ran.exit_code == 2 and "unexpected extra argument(s) (stray)" in ran.output
    assert "repeat it" not in ran.output
