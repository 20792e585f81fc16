"""models/mpnet.train.yaml is the default's recipe on all-mpnet-base-v2: every setting but
the encoder, the name and the card's text must equal models/default.train.yaml's, so that
the shipped opt-in model (models/mpnet) stays comparable with the default it is measured
against (models/mpnet.cross_source.md)."""

from __future__ import annotations

import json

from annotate.training.config import load_train_config
from tests.conftest import ROOT

MODELS = ROOT / "models"
OWN = {"name", "description", "encoder", "baseline_encoder", "limitations"}


def _settings(name: str) -> dict:
    cfg = load_train_config(MODELS / f"{name}.train.yaml").model_dump(mode="json")
    return {k: v for k, v in cfg.items() if k not in OWN}


def test_mpnet_recipe_equals_the_default_recipe() -> None:
    default, mpnet = _settings("default"), _settings("mpnet")
    differ = sorted(k for k in default.keys() | mpnet.keys() if default.get(k) != mpnet.get(k))
    assert not differ, f"models/mpnet.train.yaml differs from the default's recipe in {differ}"


def test_mpnet_config_names_the_mpnet_encoder() -> None:
    cfg = load_train_config(MODELS / "mpnet.train.yaml")
    assert (cfg.name, cfg.encoder) == ("mpnet", "pkg:all-mpnet-base-v2")


def test_shipped_mpnet_model_was_built_from_that_config() -> None:
    """The committed model records the config's name and encoder, and its card names the
    version its files give (read without the encoder, which `make test` does not install)."""
    from annotate.classifier.frozen_linear import files_version

    record = json.loads((MODELS / "mpnet" / "annotate_model.json").read_text(encoding="utf-8"))
    assert (record["name"], record["encoder"]) == ("mpnet", "pkg:all-mpnet-base-v2")
    card = (MODELS / "mpnet" / "model_card.md").read_text(encoding="utf-8")
    assert files_version(MODELS / "mpnet") in card
