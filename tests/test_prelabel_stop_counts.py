"""A pre-label stopped midway printed ``prelabel: stopped after 54 s (2,048 passages
done)`` right above ``no window of 2,048 passages was complete, so none of the passages
scored was kept`` (faults49 F1): the progress counts a window's passages as they are
scored, but the window is kept only once all of it is labelled and written. The stop line
now says how many were scored and how many of those are kept."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotate.cli.progress_lines import INTERVAL_ENV, ProgressLines
from annotate.prelabel_parts import parts_folder
from tests.fakes import KeywordClassifier


class ScoredThenStopped(KeywordClassifier):
    """Counts every passage of its ``stop_on``-th call as scored, then is interrupted
    (Ctrl-C) before the window is labelled and kept."""

    def __init__(self, labels: list[str], stop_on: int) -> None:
        super().__init__(labels)
        self.stop_on = stop_on
        self.n_calls = 0

    def predict(self, passages, *, progress=None):
        self.n_calls += 1
        if self.n_calls == self.stop_on:
            if progress is not None:
                progress(len(passages))
            raise KeyboardInterrupt
        return super().predict(passages, progress=progress)


def _rows(path: Path, n: int) -> Path:
    rows = (
        {"id": f"d{i // 3}-p{i % 3}", "doc_id": f"d{i // 3}", "passage_index": i % 3,
         "text": f"passage {i}"} for i in range(n)
    )  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _stopped(tmp_path, taxonomy, monkeypatch, n: int, stop_on: int) -> list[str]:
    import annotate.classifier
    from annotate.cli import app

    clf = ScoredThenStopped(taxonomy.category_names, stop_on)
    monkeypatch.setattr(annotate.classifier, "load_classifier", lambda *a, **k: clf)
    monkeypatch.setenv(INTERVAL_ENV, "0.001")  # progress lines (stderr is no terminal)
    src = _rows(tmp_path / "in.jsonl", n)
    out = tmp_path / "pre.jsonl"
    result = CliRunner().invoke(app, ["prelabel", str(src), "--out", str(out)])
    assert result.exit_code != 0
    return result.stderr.splitlines()


def test_a_stop_in_the_first_window_says_none_of_the_scored_was_kept(
    tmp_path, taxonomy, monkeypatch
) -> None:
    lines = _stopped(tmp_path, taxonomy, monkeypatch, 30, stop_on=1)
    stop = [ln for ln in lines if ln.startswith("prelabel: ")][-1]
    assert stop.startswith("prelabel: stopped after ") and stop.endswith(
        "(30 passages scored, 0 kept)"
    ), lines
    assert "none of the passages scored was kept" in lines[-1], lines
    assert not parts_folder(tmp_path / "pre.jsonl").exists()


def test_a_stop_in_a_later_window_says_how_many_are_kept(tmp_path, taxonomy, monkeypatch) -> None:
    from annotate.prelabeling import CHUNK_SIZE

    lines = _stopped(tmp_path, taxonomy, monkeypatch, CHUNK_SIZE + 30, stop_on=2)
    stop = [ln for ln in lines if ln.startswith("prelabel: ")][-1]
    folder = parts_folder(tmp_path / "pre.jsonl")
    kept = sum(len(p.read_text().splitlines()) for p in folder.glob("part-*"))
    assert CHUNK_SIZE <= kept < CHUNK_SIZE + 30  # the first window (cut at a document)
    assert stop.endswith(f"({CHUNK_SIZE + 30:,} passages scored, {kept:,} kept)"), lines


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("failed", [False, True])
def test_the_stage_is_over_once_what_it_counted_is_kept(failed: bool) -> None:
    out, clock = io.StringIO(), _Clock()
    p = ProgressLines(
        "prelabel", unit="passage", total=100, out=out, interval=1, clock=clock, verb="scored"
    )
    p.kept(0)
    clock.now += 20
    p(100)  # all scored, none kept yet: not over
    assert not any("scored in" in ln for ln in out.getvalue().splitlines())
    if failed:
        p.close(failed=True)
        assert out.getvalue().splitlines()[-1] == (
            "prelabel: stopped after 20 s (100 passages scored, 0 kept)"
        )
    else:
        clock.now += 5
        p.kept(100)
        assert out.getvalue().splitlines()[-1] == "prelabel: 100 passages scored in 25 s"
