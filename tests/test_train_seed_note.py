"""`annotate train --seed N` on an export with a config of another seed gave a model of
another version without a word (the seed is part of what the version hashes): a
retrained model then looked unrelated to the config's build of the same data. The CLI
now says so in one note naming both seeds."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from tests.test_cli import run


def _fake_train(seen: list[int]):
    def fake_train(cfg, out, tax, progress=None, replace=True, scoring=None, **_):
        seen.append(cfg.seed)
        return SimpleNamespace(metrics={}, version=f"m@{cfg.seed}", seconds=0.0, kept=[])

    return fake_train


def test_another_seed_than_the_configs_is_a_note(tmp_path: Path, monkeypatch) -> None:
    cfg = tmp_path / "batch.train.yaml"
    cfg.write_text("name: batch\nseed: 5\n", encoding="utf-8")
    seen: list[int] = []
    monkeypatch.setattr("annotate.training.train", _fake_train(seen))
    out = str(tmp_path / "m")
    ran = run("train", "--config", str(cfg), "--out", out, "--seed", "7")
    assert ran.returncode == 0, ran.stderr
    said = " ".join(ran.stderr.split())
    assert f"note: --seed 7 replaces {cfg}'s seed 5: the seed is part of the model version" in said
    assert "differs from the one seed 5 gives on the same data" in said
    assert sum("--seed 7 replaces" in line for line in ran.stderr.splitlines()) == 1
    for same in (["--seed", "5"], []):  # the config's own seed, or none: nothing to say
        ran = run("train", "--config", str(cfg), "--out", out, *same)
        assert ran.returncode == 0 and "replaces" not in ran.stderr, ran.stderr
    ran = run("train", "--config", str(cfg), "--out", out, "--seed", "7", "-q")
    assert "replaces" not in ran.stderr  # a note: -q keeps it out
    assert seen == [7, 5, 5, 7]


def test_without_a_config_the_default_seed_is_named(tmp_path: Path, monkeypatch) -> None:
    from annotate.training import TrainConfig

    monkeypatch.setattr("annotate.training.train", _fake_train([]))
    data = tmp_path / "rows.jsonl"
    data.write_text('{"text": "a", "labels": ["none"]}\n', encoding="utf-8")
    default = TrainConfig(name="x").seed
    ran = run("train", "--data", str(data), "--out", str(tmp_path / "m"), "--seed", "1")
    said = " ".join(ran.stderr.split())
    assert f"note: --seed 1 replaces the default config's seed {default}:" in said
