"""Off a terminal (``nohup annotate prelabel ... > log 2>&1 &``, cron, CI) no bar is drawn,
but a long stage writes a plain line now and then (annotate.cli.progress_lines): before,
such a job printed nothing until its summary, so a 3-hour run could not be told from a
stuck one. A run over before the first line is due writes none; ``-q`` writes none."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotate.cli.progress_lines import (
    FIRST_LINE_AFTER,
    INTERVAL_ENV,
    ProgressLines,
    progress_interval,
)
from annotate.errors import AnnotateError

LINE = re.compile(r"ingest: [\d,]+ docs?(, [\d.,]+ docs/(s|min))?|ingest: [\d,]+ docs? done in .+")


def _docs(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "docs.jsonl"
    rows = (
        {"id": f"d{i}", "text": f"Document {i}: a paragraph long enough to be a passage."}
        for i in range(n)
    )
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _ingest_to_a_log(tmp_path: Path, docs: Path, *flags: str, interval: str | None) -> str:
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": root, "HF_HUB_OFFLINE": "1"}
    env.pop(INTERVAL_ENV, None)
    if interval is not None:
        env[INTERVAL_ENV] = interval
    log = tmp_path / "log"
    with log.open("wb") as out:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "annotate",
                "ingest",
                str(docs),
                "--out",
                "p.parquet",
                "--overwrite",
                *flags,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )
    text = log.read_bytes().decode("utf-8")
    assert proc.returncode == 0, text
    return text


def test_a_long_run_in_a_log_writes_plain_progress_lines(tmp_path: Path) -> None:
    text = _ingest_to_a_log(tmp_path, _docs(tmp_path, 1000), interval="0.01")
    assert "\r" not in text, repr(text)
    assert text.endswith("\n"), repr(text)
    progress = [ln for ln in text.split("\n") if ln.startswith("ingest:")]
    assert len(progress) >= 2, text  # one or more updates, and where the stage ended
    assert all(LINE.fullmatch(ln) for ln in progress), progress
    assert progress[-1] == "ingest: 1,000 docs done in " + progress[-1].split(" in ")[-1]
    # the summary follows, its counts written as the progress line writes them (it said
    # "1000 documents", and the licence note beside it "of 1,000")
    assert "1,000 documents -> 1,000 passages" in text, text
    assert "no licence recorded for 1,000 documents of 1,000" in text, text


def test_a_short_run_in_a_log_writes_no_progress_line(tmp_path: Path) -> None:
    docs = _docs(tmp_path, 50)
    shown = _ingest_to_a_log(tmp_path, docs, interval="0.001")
    assert any(LINE.fullmatch(ln) for ln in shown.split("\n")), shown  # the run reports...
    # ...but not with the default interval: over before the first line is due (10 s)
    default = _ingest_to_a_log(tmp_path, docs, interval=None)
    assert "\r" not in default, default
    shown_lines = [ln for ln in default.split("\n") if ln.startswith("ingest:")]
    if shown_lines:  # a loaded machine (CI 55a: 14 s for 50 documents) outlasted the delay:
        # then the one line allowed is where the stage ended, after at least that delay
        assert len(shown_lines) == 1, default
        took = re.fullmatch(r"ingest: 50 docs done in (\d+) s", shown_lines[0])
        assert took and int(took.group(1)) >= FIRST_LINE_AFTER, default
    else:
        assert default.startswith("50 documents -> 50 passages"), default
    quiet = _ingest_to_a_log(tmp_path, docs, "-q", interval="0.001")  # -q: no line either
    assert "ingest:" not in quiet, quiet


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _lines(out: io.StringIO) -> list[str]:
    return out.getvalue().splitlines()


def test_lines_come_first_after_10_s_then_once_an_interval() -> None:
    out, clock = io.StringIO(), _Clock()
    p = ProgressLines("prelabel", unit="passage", total=None, out=out, interval=60, clock=clock)
    clock.now += 5  # loading the model: not counted in the rate
    p(64)
    clock.now += 4.9
    p(64)
    assert out.getvalue() == ""  # 9.9 s in: nothing yet
    p.set_total(12_800)
    clock.now += 0.1
    p(64)  # 10 s in, 2 s after the first batch: 128 passages in 5 s
    assert _lines(out) == ["prelabel: 192 / 12,800 passages (1%), 26 passages/s, about 8 min left"]
    clock.now += 59
    p(1000)
    assert len(_lines(out)) == 1  # not again before a minute
    clock.now += 1
    p.note("part 2")
    p(1000)
    assert _lines(out)[-1] == (
        "prelabel: 2,192 / 12,800 passages (17%), 33 passages/s, about 5 min left (part 2)"
    )
    clock.now += 7200
    p(10_608)  # the total reached: the stage is over
    assert _lines(out)[-1] == "prelabel: 12,800 passages done in 2 h 01 min"
    p.close()
    p(5)
    assert len(_lines(out)) == 3


def test_a_stage_over_before_its_first_line_writes_nothing() -> None:
    out, clock = io.StringIO(), _Clock()
    p = ProgressLines("push", unit="task", total=None, out=out, interval=60, clock=clock)
    for _ in range(9):
        clock.now += 1
        p(1)
    p.close()
    assert out.getvalue() == ""
    short = ProgressLines("write", unit="step", total=2, out=out, interval=0.5, clock=clock)
    clock.now += 0.2
    short(1)
    clock.now += 0.2
    short(1)
    assert out.getvalue() == ""  # the total reached before the line was due


def test_a_long_stage_with_one_update_says_it_ended() -> None:
    """A stage that reports once, at its end (a bulk import), outlasting the first line's
    delay: no progress line was due while it ran, but a log shows that it ended."""
    out, clock = io.StringIO(), _Clock()
    p = ProgressLines("import", unit="task", total=3, out=out, interval=60, clock=clock)
    clock.now += 12
    p(3)
    assert out.getvalue() == "import: 3 tasks done in 12 s\n"


def test_the_interval_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(INTERVAL_ENV, raising=False)
    assert progress_interval() == 60
    monkeypatch.setenv(INTERVAL_ENV, "30")
    assert progress_interval() == 30
    for bad in ("0", "-1", "soon", "inf"):
        monkeypatch.setenv(INTERVAL_ENV, bad)
        with pytest.raises(AnnotateError, match=f"{INTERVAL_ENV}='{bad}' is not a number"):
            progress_interval()


def test_cross_source_folds_and_embedding_report_in_a_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`evaluate --cross-source` made its own tqdm bars: off a terminal it goes through
    the same lines as every other command."""
    from annotate.cli import evaluate as cli_evaluate
    from annotate.training import crosssource

    def fake_run(
        *args: Any, on_fold: Any, embed_progress: Any, baseline_embed_progress: Any, **kw: Any
    ) -> dict[str, Any]:
        for progress, n in ((embed_progress, 3), (baseline_embed_progress, 2)):
            progress.add_total(n)  # as the embedding cache tells it (the texts it lacks)
            progress(1)
            progress(n - 1)
        on_fold("forum", "model")
        return {"comparison": [], "folds": []}

    monkeypatch.setattr(crosssource, "run_cross_source", fake_run)
    # no config to read its public sources from (a config without any is refused first)
    monkeypatch.setattr(cli_evaluate, "check_sources", lambda *a: None)
    monkeypatch.setenv(INTERVAL_ENV, "1e-9")
    err = io.StringIO()  # not a terminal
    monkeypatch.setattr(sys, "stderr", err)
    cli_evaluate._cross_source(
        tmp_path / "c.yaml", tmp_path, None, (None,) * 4, None, True, 0, None, False
    )
    lines = err.getvalue().splitlines()
    # a total of the texts to embed (stop 48 new-user F13a: no total, cache hits counted)
    assert any(ln.startswith("embed (model, new texts): 1 / 3 texts (33%)") for ln in lines)
    assert any(ln.startswith("embed (model, new texts): 3 texts done in") for ln in lines)
    assert any(ln.startswith("embed (baseline, new texts): 1 / 2 texts (50%)") for ln in lines)
    assert "folds: 1 fit (forum: model)" in lines, lines
    assert "\r" not in err.getvalue()


def test_a_stage_open_when_the_command_fails_says_it_stopped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export whose server went away wrote ``snapshot: 1 project done in 18 s`` right
    above its error line: a log read later looked as if the stage had finished."""
    import importlib

    cli_app = importlib.import_module("annotate.cli.app")  # the module, not its Typer app
    monkeypatch.setenv(INTERVAL_ENV, "0.01")
    monkeypatch.setattr(cli_app, "bars_shown", lambda quiet: False)  # stderr is a log
    Bars = cli_app.Bars
    clock = _Clock()
    with pytest.raises(AnnotateError), Bars() as bars:
        ok = bars("rows", unit="task")
        assert isinstance(ok, ProgressLines)
        ok._clock = clock
        ok(5)
        clock.now += 1
        ok.close()  # a stage that ended before the failure keeps its "done in"
        snap = bars("snapshot", unit="project")
        assert isinstance(snap, ProgressLines)
        snap._clock = clock
        snap._start = snap._next = clock.now
        snap(1)
        clock.now += 18
        raise AnnotateError("Label Studio stopped answering.")
    err = capsys.readouterr().err
    assert "snapshot: stopped after 18 s (1 project done)" in err, err
    assert "snapshot: 1 project done" not in err, err


def test_a_stage_stopped_with_units_in_flight_does_not_say_none_were_done() -> None:
    """A push whose server stopped during its one batch of 1,000 said "(0 tasks done)";
    the re-run found all 1,000 there. Units sent without an answer are said to be sent,
    done or not unknown."""
    err = io.StringIO()
    clock = _Clock()
    lines = ProgressLines("push", unit="task", total=1000, out=err, interval=0.01, clock=clock)
    lines.in_flight(1000)
    clock.now += 90
    lines.close(failed=True)
    out = err.getvalue()
    assert "push: stopped after" in out and "(0 tasks confirmed; 1,000 more sent" in out, out
    assert "how many of those were done is unknown" in out and "0 tasks done" not in out, out


def test_a_stage_whose_answers_came_says_what_it_did() -> None:
    err = io.StringIO()
    clock = _Clock()
    lines = ProgressLines("push", unit="task", total=None, out=err, interval=0.01, clock=clock)
    lines.in_flight(4)
    lines(4)
    lines.in_flight(0)
    clock.now += 90
    lines.close(failed=True)
    assert "(4 tasks done)" in err.getvalue() and "sent" not in err.getvalue(), err.getvalue()


def test_a_stage_read_whole_from_the_cache_charges_no_time_to_none() -> None:
    """A retrain with a warm cache said "train (texts encoded): 0 texts done in 12 s; 140
    more read from the cache": the 12 s went to loading the encoder (passF52 F10)."""
    out, clock = io.StringIO(), _Clock()
    p = ProgressLines(
        "train (texts encoded)", unit="text", total=None, out=out, interval=60, clock=clock
    )
    p.add_total(0)
    p.cached(140)
    clock.now += 12
    p.close()
    assert _lines(out) == ["train (texts encoded): all 140 texts read from the cache, none to do"]
    some = ProgressLines(
        "train (texts encoded)", unit="text", total=None, out=out, interval=60, clock=clock
    )
    some.cached(140)
    some(3)
    clock.now += 12
    some.close()
    assert (
        _lines(out)[-1]
        == "train (texts encoded): 3 texts done in 12 s; 140 more read from the cache"
    )
