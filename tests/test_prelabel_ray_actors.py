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


def test_a_local_rays_default_actors_follow_the_idle_cpus(monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    """passK54 F7: 2 actors (the default) on a busy 2-core machine were slower than 1,
    and both slower than the local engine, with no hint. The default now counts the idle
    CPUs as --threads' default does; a cluster keeps 2."""
    with caplog.at_level(logging.WARNING, logger="annotate.prelabeling_ray"):
        assert pr.default_workers(1, local=True, cpus=2, load=0.2)[0] == 2
        assert not caplog.text
        count, why = pr.default_workers(1, local=True, cpus=2, load=1.8)
    assert count == 1 and "1 idle of 2 usable CPUs, 1.8 other tasks running" in why
    assert "the local engine" in caplog.text
    assert pr.default_workers(1, local=True, cpus=2, load=6.0)[0] == 1  # at least 1
    assert pr.default_workers(1, local=True, cpus=8, load=0.0)[0] == 2  # at most 2
    assert pr.default_workers(2, local=True, cpus=4, load=1.0)[0] == 1  # 3 idle, 2 each
    assert pr.default_workers(1, local=False, cpus=2, load=1.8)[0] == 2  # a cluster's


def test_the_cli_starts_fewer_actors_on_a_busy_machine_and_warns_of_more(  # type: ignore[no-untyped-def]
    tmp_path, monkeypatch, caplog
) -> None:
    from annotate.cli import app

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "doc_id": "d", "passage_index": 0, "text": "Hello."}\n')
    monkeypatch.setattr("annotate.classifier.loader.check_hub_model", lambda model: None)
    monkeypatch.setattr(threads_module, "cpu_limit", lambda: CpuLimit(2, 2))
    monkeypatch.setattr(threads_module, "machine_load", lambda: (1.7, "1.7 other tasks running"))
    asked: list[int] = []

    def ran(*a, **k):  # type: ignore[no-untyped-def]
        asked.append(k["workers"])
        return PrelabelStats(passages=1, model_version="m", actors=k["workers"])

    monkeypatch.setattr(pr, "prelabel_ray", ran)
    argv = ["prelabel", str(src), "-o", str(tmp_path / "o.jsonl"), "--engine", "ray"]
    with caplog.at_level(logging.WARNING, logger="annotate.prelabeling_ray"):
        said = CliRunner().invoke(app, argv)
    assert said.exit_code == 0, said.stderr
    assert asked == [1]
    assert "1 actor x 1 torch thread" in said.stderr.splitlines()[-1]
    assert "the local engine (one process, no Ray) is usually faster" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="annotate.prelabeling_ray"):
        said = CliRunner().invoke(app, [*argv, "--workers", "2"])
    assert asked == [1, 2]
    assert "2 actor(s) x 1 thread(s) on 1 idle of 2 usable CPU(s)" in caplog.text
    said = CliRunner().invoke(app, [*argv, "--address", "10.0.0.5:6379"])
    assert asked[-1] == 2  # a cluster's CPUs are not this machine's
