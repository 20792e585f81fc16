"""`prelabel --engine ray --workers 8` on a 2-CPU machine started 8 actors (4.4 GB of
model copies) for 31 passages, printed Ray's "(raylet) WARNING: ... worker processes"
lines on standard output, where `annotate prelabel ... > log` captured them (passE51 E7),
and said nothing for its first two minutes (E4). Now no more actors start than the input
has windows, nor, for a local Ray, than the usable CPUs hold; Ray's lines go to stderr;
and a note says what comes before the first progress line. No Ray is started here."""

from __future__ import annotations

import logging
import sys

import pytest
from typer.testing import CliRunner

import annotate.prelabeling_ray as pr
from annotate.classifier import threads as threads_module
from annotate.classifier.threads import CpuLimit
from annotate.prelabeling import PrelabelStats

pytest.importorskip("ray")


def test_no_more_actors_than_windows_nor_cpus(monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(threads_module, "cpu_limit", lambda: CpuLimit(2, 2))
    with caplog.at_level(logging.WARNING, logger="annotate.prelabeling_ray"):
        assert pr.actors_for(8, 1, 1, local=True) == 1  # 31 passages: one window
    assert "1 actor(s) started, not 8 (--workers): the input makes 1 window(s)" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="annotate.prelabeling_ray"):
        assert pr.actors_for(8, 1, 30, local=True) == 2  # 2 CPUs hold 2 actors of 1 thread
    assert "2 actor(s) started, not 8: 2 usable CPUs hold 2 actor(s) of 1 thread" in caplog.text
    assert pr.actors_for(8, 2, 30, local=True) == 1
    assert pr.actors_for(8, 1, 30, local=False) == 8  # a cluster's CPUs are not these
    caplog.clear()
    assert pr.actors_for(2, 1, 30, local=True) == 2 and not caplog.text


def test_what_ray_prints_on_stdout_goes_to_stderr(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from tests.test_prelabel_ray_files import _RecordingRay

    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    for key in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH"):
        monkeypatch.delenv(key, raising=False)
    fake = _RecordingRay()
    monkeypatch.setattr(pr, "_ray", lambda: fake)
    with pr.ray_session(workers=1):
        # as ray._private.worker.print_to_stdstream writes the cluster's error messages
        print("(raylet) WARNING: 8 PYTHON worker processes have been started", file=sys.stdout)
    print("the result")
    out, err = capsys.readouterr()
    assert "(raylet)" in err and "(raylet)" not in out
    assert out == "the result\n"  # stdout is the command's again


def test_the_cli_says_what_comes_and_how_many_actors_ran(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from annotate.cli import app

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "doc_id": "d", "passage_index": 0, "text": "Hello."}\n')
    monkeypatch.setattr("annotate.classifier.loader.check_hub_model", lambda model: None)

    def ran(*a, **k):  # type: ignore[no-untyped-def]
        k["on_start"](1)  # one window: one actor of the 8 asked for
        return PrelabelStats(passages=1, model_version="m", actors=1)

    monkeypatch.setattr(pr, "prelabel_ray", ran)
    argv = ["prelabel", str(src), "-o", str(tmp_path / "o.jsonl"), "--engine", "ray"]
    said = CliRunner().invoke(app, [*argv, "--workers", "8"])
    assert said.exit_code == 0, said.stderr
    lines = said.stderr.splitlines()
    assert lines[0].startswith(
        "note: ray: starting a local Ray for 1 actor; each loads its own copy of the model first"
    ), lines
    assert (
        "1 passage pre-labelled with m" in lines[-1] and "; 1 actor x 1 torch thread" in lines[-1]
    )
    quiet = CliRunner().invoke(app, [*argv, "-q"])
    assert "note: ray:" not in quiet.stderr
