"""models/default.train.yaml is the recipe of the committed models/default: the training
record `annotate train` writes from it (its settings, limitations included, hashed into
the version) is the shipped model's, so `make model` on the same data gives the shipped
version (README: "The committed model is what `make model` builds from this code").

break15 A1: the config's limitations 2 and 4 were rewritten in placeholder form (and
limitation 5 edited) without a rebuild, so the same data and settings gave
default@4c56ef219207 (default@98ebf2379047 with all three) instead of the shipped
default@513fc60ad5d5, with identical weights. Computed here without training: the record
is built by the trainer's own function from the config, with where the shipped model was
built (its data files, device, precision, threads, torch and annotate versions) taken
from its record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from annotate.classifier.model_files import (
    TRAINING_CONTENT_KEY,
    model_version,
    training_content_sha256,
)
from annotate.taxonomy import load_taxonomy
from annotate.training.config import TrainConfig, fit_to_taxonomy
from annotate.training.row_training import training_record
from tests.conftest import ROOT

MODEL = ROOT / "models" / "default"
CONFIG = ROOT / "models" / "default.train.yaml"
# where and with what the shipped model was built: not the config's settings
BUILT_WITH = ("device", "precision", "threads", "torch", "annotate")
FIX = (
    "models/default.train.yaml no longer gives the committed model's training record; "
    "restore the config (git diff models/default.train.yaml), or rebuild models/default "
    "with `make model` and commit it with its new version"
)


def _record(config: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the record `annotate train` would write from ``config``, the shipped one)."""
    shipped = json.loads((MODEL / "annotate_model.json").read_text(encoding="utf-8"))
    recorded = shipped["training"]
    # as written (load_train_config would also look for the data sets, not needed here)
    cfg = TrainConfig.model_validate(yaml.safe_load(config.read_text(encoding="utf-8")))
    cfg = fit_to_taxonomy(cfg, load_taxonomy(ROOT / "labels.yaml"))
    record = training_record(cfg, recorded["data"], {k: recorded[k] for k in BUILT_WITH})
    record.update({k: recorded[k] for k in BUILT_WITH})
    return record, shipped


def _differ(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def test_the_default_config_gives_the_shipped_training_record() -> None:
    record, shipped = _record(CONFIG)
    differ = _differ(record, shipped["training"])
    assert not differ, f"{FIX} (the record's settings that differ: {differ})"
    assert training_content_sha256(record) == shipped[TRAINING_CONTENT_KEY]


def test_the_default_config_gives_the_shipped_version() -> None:
    record, shipped = _record(CONFIG)
    config = {**shipped, "training": record, TRAINING_CONTENT_KEY: training_content_sha256(record)}
    card = (MODEL / "model_card.md").read_text(encoding="utf-8")
    version = model_version(MODEL, config, ["linear.safetensors"])
    assert f"`{version}`" in card, FIX


def test_the_config_names_the_shipped_data_sources() -> None:
    cfg = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    recorded = json.loads((MODEL / "annotate_model.json").read_text(encoding="utf-8"))
    given = [e["given"] for e in recorded["training"]["data"] if "given" in e]
    assert [e["path"] for e in cfg["data"]] == given, FIX


def test_a_limitation_edited_in_the_config_is_another_record(tmp_path: Path) -> None:
    """What the test above catches: a limitation reworded (or put in placeholder form)
    in the config is another training record, hence another version."""
    cfg = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    cfg["limitations"][1] = cfg["limitations"][1].replace("in all 11", "in {cross_source:above}")
    edited = tmp_path / "default.train.yaml"
    edited.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    record, shipped = _record(edited)
    assert _differ(record, shipped["training"]) == ["limitations"]
    assert training_content_sha256(record) != shipped[TRAINING_CONTENT_KEY]
