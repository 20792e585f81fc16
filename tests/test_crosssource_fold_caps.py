"""`annotate evaluate --cross-source --fold-train-rows N` on a fine-tune config: the fold
cap replaces the config's ``finetune.max_rows_per_source`` instead of applying on top of
it (before, a fold cap above the config's cap changed nothing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.training import rows
from annotate.training.crosssource import Caps, run_cross_source


class _Stop(Exception):
    pass


def _loaded_config(monkeypatch, tmp_path: Path, caps: Caps, trainer: str):
    seen = {}

    def fake_load_rows(cfg, tax):
        seen["cfg"] = cfg
        raise _Stop

    monkeypatch.setattr(rows, "load_rows", fake_load_rows)
    cfg_file = tmp_path / "ft.train.yaml"
    (tmp_path / "rows.jsonl").write_text("")  # never read: load_rows is replaced
    cfg_file.write_text(
        f"name: t\ntrainer: {trainer}\n"
        "finetune: {max_rows_per_source: 600, max_eval_rows_per_source: 250}\n"
        "data: [{path: rows.jsonl}]\n"
    )
    with pytest.raises(_Stop):
        run_cross_source(cfg_file, tmp_path / "out", caps=caps, baseline=False)
    return seen["cfg"]


def test_fold_train_cap_replaces_the_configs_cap(monkeypatch, tmp_path):
    cfg = _loaded_config(monkeypatch, tmp_path, Caps(train_per_source=1000), "finetune")
    assert cfg.finetune.max_rows_per_source is None
    assert cfg.finetune.max_eval_rows_per_source is None


def test_without_a_fold_cap_the_configs_cap_stays(monkeypatch, tmp_path):
    cfg = _loaded_config(monkeypatch, tmp_path, Caps(), "finetune")
    assert cfg.finetune.max_rows_per_source == 600
    assert cfg.finetune.max_eval_rows_per_source is None  # scored rows sampled by the harness


def test_the_table_says_capped_only_when_rows_were_capped() -> None:
    from annotate.training.crosssource import markdown

    base = {"trainer": "finetune", "fold_epochs": 1.0, "folds": [], "comparison": {}}
    uncapped = markdown({**base, "caps": {}, "finetune_rows_per_source": None})
    assert "(no caps) (1.0 fine-tuning epoch(s))" in uncapped and "capped rows" not in uncapped
    by_config = markdown({**base, "caps": {}, "finetune_rows_per_source": 600})
    assert "capped rows (at most 600 training rows per public source (the config's" in by_config
    by_fold = markdown({**base, "caps": {"train_per_source": 50}, "finetune_rows_per_source": None})
    assert "capped rows (at most 50 training rows per source) (1.0 fine-tuning" in by_fold
