"""--threads on the commands that run the encoder (prelabel, train, evaluate): a count
below 1 or not a whole number is one error line before anything loads; the count used
is the one given, and prelabel's summary says it once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from tests.test_cli import _error_line, run

COMMANDS = [
    ("prelabel", "x.jsonl", "--out", "o.jsonl"),
    ("prelabel", "x.jsonl", "--out", "o.jsonl", "--engine", "ray"),
    ("train", "--out", "m"),
    ("evaluate", "--out", "r", "--data", "d.jsonl"),
]


@pytest.fixture(autouse=True)
def _keep_torch_threads():
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:1] + c[4:]))
@pytest.mark.parametrize("value", ["0", "-2", "1.5", "many"])
def test_a_thread_count_below_one_or_not_a_number_is_a_usage_error(
    command: tuple[str, ...], value: str
) -> None:
    ran = run(*command, "--threads", value)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    line = _error_line(ran)
    assert line.startswith("error: invalid value for '--threads': "), line
    assert f"Fix: give --threads a value it takes (`annotate {command[0]}" in line, line
    assert "Usage:" not in ran.stderr and "╭" not in ran.stderr


@pytest.mark.parametrize("command", COMMANDS[:1] + COMMANDS[2:], ids=lambda c: c[0])
def test_a_bad_annotate_threads_is_one_error_line(
    command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATE_THREADS", "0")
    line = _error_line(run(*command))
    assert line.startswith(
        "error: ANNOTATE_THREADS '0' is not a thread count; expected a whole number, 1 or more."
    ), line
    assert "Fix: give ANNOTATE_THREADS a number such as 1" in line


def test_prelabel_runs_with_the_threads_given_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "text": "The council met on Tuesday to discuss the new bus routes."},
        {"id": "b", "text": "We will burn your house down if you testify."},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    monkeypatch.setenv("ANNOTATE_THREADS", "2")  # the flag wins over the environment
    torch.set_num_threads(2)
    ran = run("prelabel", str(src), "--out", str(tmp_path / "o.jsonl"), "-q", "--threads", "1")
    assert ran.returncode == 0, ran.stderr
    assert "with a harmful label; 1 torch thread (--threads))" in ran.stderr, ran.stderr
    assert torch.get_num_threads() == 1


def test_demo_pre_labels_with_the_threads_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """`annotate demo --threads 1` sets torch's threads before its pre-labelling (in
    process; the server and the demo's work are stand-ins)."""
    from typer.testing import CliRunner

    import annotate.demo
    from annotate.cli import app
    from annotate.studio import server

    seen: list[int] = []

    class _Stop(Exception):
        pass

    def fake_demo(*args, **kwargs):
        seen.append(torch.get_num_threads())
        raise _Stop

    monkeypatch.setattr(annotate.demo, "demo", fake_demo)
    monkeypatch.setattr(server, "is_installed", lambda paths: True)
    monkeypatch.setattr(server, "status", lambda paths: type("S", (), {"answers": True})())
    torch.set_num_threads(2)
    result = CliRunner().invoke(app, ["demo", "--threads", "1", "-q"])
    assert isinstance(result.exception, _Stop), result.output
    assert seen == [1]
