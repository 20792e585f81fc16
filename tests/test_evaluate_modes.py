"""`annotate evaluate` has two modes that read different options: scoring a model on
--data, and --cross-source (retraining the --config recipe with each public source held
out). An option the chosen mode would ignore is refused before anything runs, as push
refuses options its kind of push ignores: an ML engineer who types `--cross-source
--model models/new` believes they measured their model, but the recipe was retrained."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import _error_line, run


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--model", "models/new"], "--model"),
        (["--data", "corpus"], "--data"),
        (["--split", "test"], "--split"),
        (["--model", "m", "--data", "d", "--mapping", "map.yaml"], "--data, --model, --mapping"),
    ],
)
def test_cross_source_refuses_the_options_of_scoring_a_model(tmp_path: Path, extra, named):
    cfg = tmp_path / "recipe.train.yaml"
    cfg.write_text("name: x\n", encoding="utf-8")
    ran = run(
        "evaluate", "--cross-source", "--config", str(cfg), "--out", str(tmp_path / "r"), *extra
    )
    line = _error_line(ran)
    assert named in line and "--cross-source scores the --config recipe" in line
    verb = "score" if "," in named else "scores"  # "--model score a trained model" was printed
    assert f"{named} {verb} a trained model" in line
    assert "Fix: drop" in line
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--config", "recipe.yaml"], "--config"),
        (["--source", "gab"], "--source"),
        (["--fold-train-rows", "5"], "--fold-train-rows"),
        (["--baseline-only"], "--baseline-only"),
    ],
)
def test_scoring_a_model_refuses_the_cross_source_options(tmp_path: Path, extra, named):
    data = tmp_path / "rows.jsonl"
    data.write_text('{"text": "hello", "labels": ["none"]}\n', encoding="utf-8")
    ran = run("evaluate", "--data", str(data), "--out", str(tmp_path / "r"), *extra)
    line = _error_line(ran)
    assert f"{named} only applies with --cross-source" in line  # one option: singular
    assert "add --cross-source" in line
    assert not (tmp_path / "r").exists()
