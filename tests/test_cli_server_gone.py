"""Label Studio going away in the middle of a push (killed, restarted) gave the fix
"run `annotate studio start`" and no word on what to do next, so a user could not tell
whether running the push again would duplicate what the first run had imported. The
line now says to run the same command again and what that does."""

from __future__ import annotations

from pathlib import Path

from annotate.errors import StudioUnavailableError
from tests.integration.helpers import PRELABELS
from tests.test_cli import _error_line, run

GONE = StudioUnavailableError(
    "Label Studio at http://127.0.0.1:9 does not answer (importing 20 tasks: ReadError).",
    fix="run `annotate studio start`, or set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.",
)


def _gone(*args: object, **kwargs: object) -> None:
    raise GONE


def test_a_push_cut_off_by_the_server_says_a_re_run_resumes(monkeypatch) -> None:
    monkeypatch.setattr("annotate.studio.push.push", _gone)
    line = _error_line(run("push", str(PRELABELS), "--project", "p", "-q"))
    assert "does not answer (importing 20 tasks: ReadError)" in line
    assert line.endswith(
        "Fix: run `annotate studio start`, or set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY; "
        "then run the same command again (a push resumes where it stopped, without "
        "duplicates)."
    )


def test_an_export_cut_off_by_the_server_says_a_re_run_starts_afresh(
    monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("annotate.corpus.export.export", _gone)
    line = _error_line(run("export", "--project", "p", "--out", str(tmp_path / "o")))
    assert line.endswith("then run the same command again (it starts afresh).")
    assert not (tmp_path / "o").exists()


def test_an_error_without_a_fix_is_left_as_it_is(monkeypatch) -> None:
    def gone(*args: object, **kwargs: object) -> None:
        raise StudioUnavailableError("Label Studio does not answer.")

    monkeypatch.setattr("annotate.studio.push.push", gone)
    result = run("push", str(PRELABELS), "--project", "p", "-q")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "error: Label Studio does not answer."


def test_studio_env_without_a_server_promises_no_resume(monkeypatch) -> None:
    """`annotate studio env` only reads: its error ended "(it starts afresh)", which
    means nothing there (new-user trial)."""
    monkeypatch.setattr("annotate.cli.studio.resolve_connection", _gone)
    line = _error_line(run("studio", "env"))
    assert line.endswith(
        "Fix: run `annotate studio start`, or set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY; "
        "then run the same command again."
    )
