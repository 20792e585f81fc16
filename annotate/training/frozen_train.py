"""`annotate train` with ``trainer: frozen``: rows -> frozen-linear model directory.

Steps: load rows (annotate.training.rows) -> embed every text once with the frozen
encoder (cached) -> fit the linear heads on the train split, calibrate and choose
thresholds on the validation split (annotate.training.frozen.fit_frozen) -> measure the
test split per source (never used to fit anything) -> write the model directory
atomically.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import torch

from annotate._util.atomic import commit
from annotate.errors import TrainingError
from annotate.taxonomy import Taxonomy
from annotate.training.config import TrainConfig, check_config
from annotate.training.finetune_train import report
from annotate.training.rows import load_rows

log = logging.getLogger(__name__)


def train_frozen(
    cfg: TrainConfig,
    out: str | Path,
    tax: Taxonomy,
    *,
    progress: Callable[[int], None] | None = None,
    cache_dir: Path | None = None,
):
    from annotate.classifier.encoder import Encoder
    from annotate.training.card import write_card
    from annotate.training.embedding_cache import EmbeddingCache
    from annotate.training.frozen import RowFeatures, fit_frozen
    from annotate.training.train import TrainResult

    t0 = time.time()
    out = Path(out)
    check_config(cfg, tax)
    rows, described = load_rows(cfg, tax)
    split = {
        s: rows[rows.split == s].reset_index(drop=True) for s in ("train", "validation", "test")
    }
    for s in ("train", "validation"):
        if len(split[s]) == 0:
            raise TrainingError(
                f"the {s} split is empty ({len(rows)} rows in all).",
                fix="give more data, or data with a validation split (exports have one).",
            )
    log.info("rows: %s", {k: len(v) for k, v in split.items()})
    encoder = Encoder(cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length)
    feats = RowFeatures(EmbeddingCache(encoder, root=cache_dir), progress=progress)
    model = fit_frozen(split["train"], split["validation"], cfg, tax, feats)
    metrics = {
        "test": report(model, split["test"]),
        "threshold_rules": model.rules,
        "spans": model.span_info,
        "fit": model.fit_info,
        "examples": {k: len(v) for k, v in split.items()},
    }
    training = {
        **cfg.model_dump(),
        "data": described,
        "device": str(encoder.device),
        "precision": encoder.precision,
        "torch": torch.__version__,
        "seconds": round(time.time() - t0, 1),
    }
    tmp = out.with_name(out.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    version = model.save(tmp, {"training": training, "metrics": metrics})
    for name in ("cross_source.json", "cross_source.md"):  # kept from the last evaluation
        if (out / name).is_file():
            shutil.copy2(out / name, tmp / name)
    write_card(tmp, version)
    out.parent.mkdir(parents=True, exist_ok=True)
    commit(tmp, out)  # the previous model directory is replaced whole
    secs = time.time() - t0
    log.info("trained %s in %.0f s", version, secs)
    return TrainResult(out, version, metrics, secs)
