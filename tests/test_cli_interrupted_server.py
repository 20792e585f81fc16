"""An interrupted command that changes Label Studio does not claim "nothing partial is
left": a `review reassign` stopped midway leaves the copies it made in the new queue
while the originals are still in the old one (`review status` warns of it), and the
message went on to say a re-run finishes that hand-over, contradicting itself."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from annotate.cli import app


def _interrupted(*_: object, **__: object) -> None:
    raise KeyboardInterrupt


def _error_line(output: str) -> str:
    return next(x for x in output.splitlines() if x.startswith("error:"))


def test_an_interrupted_hand_over_says_what_it_did_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("annotate.review.handover.reassign", _interrupted)
    monkeypatch.setattr("annotate.studio.client.connect", lambda *a, **k: None)
    monkeypatch.setattr("annotate.corpus.salt.reviewer_salt", lambda *a, **k: "s")
    args = ["review", "reassign", "--project", "P", "--from", "a@x.org", "--to", "b@x.org"]
    ran = CliRunner().invoke(app, args)
    assert ran.exit_code == 130
    line = _error_line(ran.output)
    assert "nothing partial is left" not in line, line
    assert "what it already did in Label Studio stays" in line, line
    assert line.endswith("(a hand-over stopped midway is finished, no task moved twice)."), line


def test_a_command_writing_only_files_still_says_nothing_partial_is_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("annotate.taxonomy.load_taxonomy", _interrupted)
    monkeypatch.setattr("annotate.cli.taxonomy.load_taxonomy", _interrupted, raising=False)
    ran = CliRunner().invoke(app, ["taxonomy", "check"])
    assert ran.exit_code == 130
    assert "nothing partial is left" in _error_line(ran.output)


def test_review_status_interrupted_says_nothing_of_a_hand_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`review status` only reads, but shared `review reassign`'s message: "what it already
    did in Label Studio stays ... (a hand-over stopped midway is finished, ...)"."""
    monkeypatch.setattr("annotate.studio.client.connect", _interrupted)
    ran = CliRunner().invoke(app, ["review", "status", "--project", "P"])
    assert ran.exit_code == 130
    line = _error_line(ran.output)
    assert "hand-over" not in line and "in Label Studio stays" not in line, line
    assert "nothing partial is left" in line, line


def test_a_server_gone_during_review_status_says_nothing_of_a_hand_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from annotate.errors import StudioUnavailableError

    def gone(*_: object, **__: object) -> None:
        raise StudioUnavailableError("Label Studio does not answer.", fix="start it.")

    monkeypatch.setattr("annotate.studio.client.connect", gone)
    ran = CliRunner().invoke(app, ["review", "status", "--project", "P"])
    line = _error_line(ran.output)
    assert line.endswith("Fix: start it; then run the same command again."), line
    # reviewers remove: no "accounts already made are left alone"
    ran = CliRunner().invoke(app, ["reviewers", "remove", "a@x.org"])
    line = _error_line(ran.output)
    assert "accounts already made" not in line, line
    assert line.endswith("(a reviewer removed already is a no-op)."), line
    # review reassign keeps its own
    args = ["review", "reassign", "--project", "P", "--from", "a@x.org", "--to", "b@x.org"]
    line = _error_line(CliRunner().invoke(app, args).output)
    assert line.endswith("(a hand-over stopped midway is finished, no task moved twice)."), line


def test_an_interrupted_studio_start_names_the_server_it_left_starting(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """Ctrl-C while `studio start` waits for the server: the server runs in a session of
    its own and goes on starting (holding its port); the message said "nothing partial is
    left", as if nothing ran."""
    import json
    import subprocess
    import sys

    from annotate.studio import server

    home = tmp_path / ".annotate"
    monkeypatch.setenv("ANNOTATE_HOME", str(home))
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:

        def launched(paths, **_: object) -> None:  # as start() does, then Ctrl-C
            paths.root.mkdir(parents=True, exist_ok=True)
            paths.state.write_text(json.dumps({"pid": child.pid, "url": "http://127.0.0.1:9"}))
            raise KeyboardInterrupt

        monkeypatch.setattr(server, "start", launched)
        monkeypatch.setattr(server, "is_installed", lambda *_: True)
        ran = CliRunner().invoke(app, ["studio", "start"])
        assert ran.exit_code == 130
        line = _error_line(ran.output)
        assert "nothing partial is left" not in line, line
        assert f"Label Studio (pid {child.pid}) goes on starting in the background" in line, line
        assert "`annotate studio stop` stops it" in line, line
        assert line.endswith("(it waits for that server rather than start another)."), line
    finally:
        child.kill()
        child.wait()
    # once it is gone (or none was launched), nothing is said of one
    ran = CliRunner().invoke(app, ["studio", "start"])
    assert "nothing partial is left" in _error_line(ran.output)


def test_an_interrupted_demo_names_the_server_it_started(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """Ctrl-C during `annotate demo` after it started Label Studio: the server runs on in
    the background, which the message now says (with `annotate studio stop`)."""
    import json
    import subprocess
    import sys

    from annotate.studio import server

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / ".annotate"))
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.setattr(server, "is_installed", lambda *_: True)
    monkeypatch.setattr(server, "may_migrate", lambda *_: False)
    monkeypatch.setattr("annotate.classifier.threads.use_threads", lambda *a, **k: None)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:

        def started_then_stopped(*_: object, **__: object) -> None:
            paths = server.studio_paths()
            paths.root.mkdir(parents=True, exist_ok=True)
            paths.state.write_text(json.dumps({"pid": child.pid, "url": "http://127.0.0.1:9"}))
            raise KeyboardInterrupt

        monkeypatch.setattr("annotate.demo.demo", started_then_stopped)
        ran = CliRunner().invoke(app, ["demo"])
        assert ran.exit_code == 130
        line = _error_line(ran.output)
        assert "what it already did in Label Studio stays" in line, line
        assert f"the Label Studio it started (pid {child.pid}) goes on running" in line, line
        assert "`annotate studio stop` stops it" in line, line
        assert line.endswith("(what was pushed is not pushed again)."), line
    finally:
        child.kill()
        child.wait()
