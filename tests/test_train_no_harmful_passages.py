"""retrain56 finding 9: an export answered all `none` trained with exit 0, a headline
"macro F1 1.0" and no word that the harmful heads learnt from labels.yaml's examples
alone. Training now refuses, before anything is embedded, when no training passage of
the data has a harmful label (derived rows do not count), saying what it expected, what
it found and the fix; `--allow-no-harmful-passages` trains anyway, warning loudly. The
headline is tests/test_train_out.py's."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from annotate.errors import TrainingError
from annotate.settings import PROJECT_ROOT
from annotate.taxonomy import load_taxonomy
from annotate.training.harmful_rows import harmful_passage_counts, require_harmful_passages
from tests.test_cli import _error_line, run


def _rows(tax, labelled: list[tuple[str, str]]) -> pd.DataFrame:
    names = tax.category_names
    recs = []
    for source, label in labelled:
        y = np.zeros(len(names), np.int8)
        y[names.index(label)] = 1
        recs.append({"source": source, "labels": y})
    return pd.DataFrame(recs)


def test_no_harmful_passage_is_refused_unless_allowed(caplog) -> None:
    tax = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    # every passage `none`; the harmful positives are labels.yaml's examples alone
    rows = _rows(tax, [("onelabel-export", "none")] * 10 + [("labels.yaml", "violent_threat")])
    assert harmful_passage_counts(rows, tax)["violent_threat"] == 0
    with pytest.raises(TrainingError) as err:
        require_harmful_passages(rows, tax)
    what = err.value.what
    assert what.startswith(
        "expected at least one training passage of the data with a harmful label (violent_threat, "
    ), what
    assert "found 10 training passages, none with one" in what
    assert "--config models/default.train.yaml --data EXPORT" in str(err.value.fix)
    assert "pass --allow-no-harmful-passages" in str(err.value.fix)
    # allowed: trained, warned about loudly
    with caplog.at_level(logging.WARNING):
        assert require_harmful_passages(rows, tax, allow=True)
    assert "NO training passage of the data has a harmful label (violent_threat, " in caplog.text
    assert "do not prelabel with it" in caplog.text
    # one harmful passage of the data: no word (the card names the labels it lacks)
    caplog.clear()
    one = _rows(tax, [("onelabel-export", "none"), ("onelabel-export", "incitement")])
    with caplog.at_level(logging.WARNING):
        assert not require_harmful_passages(one, tax)
    assert caplog.text == ""


def test_the_cli_refuses_before_embedding_and_the_option_lets_it_train(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "all-none.jsonl"
    data.write_text(
        "".join(
            f'{{"text": "An ordinary note number {i}.", "labels": ["none"]}}\n' for i in range(30)
        )
    )
    embedded = []

    def prefetch(*args, **kwargs):
        embedded.append(1)  # training got past the check: stop before any encoder runs
        raise TrainingError("stopped at embedding (test).")

    from annotate.training import frozen

    monkeypatch.setattr(frozen.RowFeatures, "prefetch", prefetch)
    monkeypatch.setattr(frozen.RowFeatures, "__init__", lambda self, *a, **k: None)
    monkeypatch.setattr("annotate.classifier.encoder.Encoder.__init__", lambda self, *a, **k: None)
    monkeypatch.setattr(
        "annotate.training.embedding_cache.EmbeddingCache.__init__", lambda self, *a, **k: None
    )
    out = tmp_path / "models" / "m"
    line = _error_line(run("train", "--data", str(data), "--out", str(out)))
    assert line.startswith("error: expected at least one training passage of the data "), line
    assert "pass --allow-no-harmful-passages" in line
    assert not embedded and not out.exists()
    ran = run("train", "--data", str(data), "--out", str(out), "--allow-no-harmful-passages")
    assert "stopped at embedding (test)" in _error_line(ran) and embedded == [1]
    assert "NO training passage of the data has a harmful label" in caplog.text


def _stop_past_the_check(monkeypatch: pytest.MonkeyPatch, got: list[str]) -> None:
    """Each trainer's first step after the check raises "stopped past the check"."""
    import importlib

    from annotate.training import finetune, frozen

    def stop(*args, **kwargs):
        got.append("past")
        raise TrainingError("stopped past the check (test).")

    monkeypatch.setattr(frozen.RowFeatures, "__init__", lambda self, *a, **k: None)
    monkeypatch.setattr(frozen.RowFeatures, "prefetch", stop)
    monkeypatch.setattr("annotate.classifier.encoder.Encoder.__init__", lambda self, *a, **k: None)
    monkeypatch.setattr(
        "annotate.training.embedding_cache.EmbeddingCache.__init__", lambda self, *a, **k: None
    )
    monkeypatch.setattr(finetune, "fit", stop)
    monkeypatch.setattr(importlib.import_module("annotate.training.train"), "pick_device", stop)


@pytest.mark.parametrize("trainer", ["frozen", "finetune", "encoder-head"])
def test_every_trainer_refuses_alike(
    trainer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    """s58 odds #2: only the frozen and finetune trainers (row_training) checked; the
    encoder-head trainer fitted its harmful heads on labels.yaml's examples alone."""
    from annotate.training import TrainConfig, train

    data = tmp_path / "all-none.jsonl"
    data.write_text(
        "".join(
            f'{{"text": "An ordinary note number {i}.", "labels": ["none"]}}\n' for i in range(30)
        )
    )
    got: list[str] = []
    _stop_past_the_check(monkeypatch, got)
    tax = load_taxonomy(PROJECT_ROOT / "labels.yaml")
    cfg = TrainConfig(name="t", trainer=trainer, data=[{"path": str(data)}])
    with pytest.raises(TrainingError) as err:
        train(cfg, tmp_path / "m", tax)
    assert err.value.what.startswith(
        "expected at least one training passage of the data with a harmful label ("
    ), err.value.what
    assert "found 30 training passages" not in err.value.what  # validation is held out
    assert "training passages, none with one" in err.value.what
    assert got == [] and not (tmp_path / "m").exists()
    with caplog.at_level(logging.WARNING), pytest.raises(TrainingError, match="stopped past"):
        train(cfg, tmp_path / "m", tax, allow_no_harmful=True)
    assert got == ["past"]
    assert "NO training passage of the data has a harmful label" in caplog.text
