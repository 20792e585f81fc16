"""A resumed pre-label's closing lines counted the passages an earlier run scored as
scored in this run's time ("5,191 passages scored in 29 s" after resuming 4,096: a lead
read 3x the real rate), and its first progress line showed a rate measured over a third
of a second ("283 passages/s, about 60 s left" at a real 40-55/s) (passE51 E3). Now this
run's passages are counted, those carried over named apart, and a rate is shown once it
is measured over MIN_RATE_SPAN seconds."""

from __future__ import annotations

import io

from typer.testing import CliRunner

from annotate.cli.progress_lines import INTERVAL_ENV, MIN_RATE_SPAN, ProgressLines
from tests.fakes import KeywordClassifier
from tests.test_prelabel_stop_counts import ScoredThenStopped, _Clock, _rows


def _run(tmp_path, taxonomy, monkeypatch, clf) -> list[str]:  # type: ignore[no-untyped-def]
    import annotate.classifier
    from annotate.cli import app

    monkeypatch.setattr(annotate.classifier, "load_classifier", lambda *a, **k: clf)
    monkeypatch.setenv(INTERVAL_ENV, "0.001")  # progress lines (stderr is no terminal)
    src, out = tmp_path / "in.jsonl", tmp_path / "pre.jsonl"
    result = CliRunner().invoke(app, ["prelabel", str(src), "--out", str(out)])
    return result.stderr.splitlines()


def test_a_resumed_run_counts_its_own_passages(tmp_path, taxonomy, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from annotate.prelabeling import CHUNK_SIZE

    n = 2 * CHUNK_SIZE + 30
    _rows(tmp_path / "in.jsonl", n)
    _run(tmp_path, taxonomy, monkeypatch, ScoredThenStopped(taxonomy.category_names, 2))
    # stopped again, in its own first window: what it scored now, what it carried over
    lines = _run(tmp_path, taxonomy, monkeypatch, ScoredThenStopped(taxonomy.category_names, 1))
    resumed = next(ln for ln in lines if ln.startswith("resuming: "))
    kept = int(resumed.split()[1].replace(",", ""))
    assert CHUNK_SIZE <= kept < CHUNK_SIZE + 3
    stop = [ln for ln in lines if ln.startswith("prelabel: ")][-1]
    assert stop.startswith("prelabel: stopped after ") and stop.endswith(
        f"passages scored now, {kept:,} carried over from an earlier run; {kept:,} kept)"
    ), lines
    # then to the end
    lines = _run(tmp_path, taxonomy, monkeypatch, KeywordClassifier(taxonomy.category_names))
    done = [ln for ln in lines if ln.startswith("prelabel: ")][-1]
    assert done.startswith(f"prelabel: {n - kept:,} passages scored in "), lines
    assert done.endswith(f"({kept:,} carried over from an earlier run)"), done
    assert (
        f"{n:,} passages pre-labelled with" in lines[-1]
        and f"; {n - kept:,} scored now, {kept:,} carried over from an earlier run)" in lines[-1]
    ), lines


def test_a_rate_is_shown_once_measured_over_a_few_seconds() -> None:
    out, clock = io.StringIO(), _Clock()
    p = ProgressLines("prelabel", unit="passage", total=27_453, out=out, interval=0.1, clock=clock)
    p.resume_at(10_240)
    clock.now += 30  # the model loading, the kept windows checked
    p(32)
    clock.now += 0.34
    p(64)  # 96 passages a third of a second after the first batch: no rate yet
    assert out.getvalue().splitlines()[-1] == "prelabel: 10,336 / 27,453 passages (37%)"
    clock.now += 60
    p(3000)
    assert MIN_RATE_SPAN <= 60.34
    assert (
        out.getvalue()
        .splitlines()[-1]
        .startswith("prelabel: 13,336 / 27,453 passages (48%), 51 passages/s, about ")
    ), out.getvalue()
