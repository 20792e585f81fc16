"""`annotate train` with ``trainer: finetune``: rows -> fine-tuned model directory.

Steps: load rows (annotate.training.rows) -> fine-tune on the train split, calibrate and
choose thresholds on the validation split (annotate.training.finetune.fit) -> measure
the test split per source (never used to fit anything) -> write the model directory
(fp16 safetensors, tokenizer, annotate_model.json, model card) atomically.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from annotate._util.atomic import commit
from annotate.errors import TrainingError
from annotate.evaluation.metrics import classification_report
from annotate.taxonomy import Taxonomy
from annotate.training.config import TrainConfig, check_config
from annotate.training.finetune import FineTuned, fit, label_matrix
from annotate.training.rows import load_rows

log = logging.getLogger(__name__)


def report(ftd: FineTuned, rows: pd.DataFrame) -> dict[str, Any] | None:
    """classification_report of ``rows`` (all sources, then by source)."""
    if len(rows) == 0:
        return None
    tax = ftd.tax
    labels = ftd.labels
    pr = ftd.predict_proba(rows)
    pl = ftd.decide(pr)
    pred = np.array([[float(n in row) for n in labels] for row in pl], np.float32)
    Y = label_matrix(rows)
    y, m = np.clip(Y, 0, 1).astype(np.float32), (Y >= 0).astype(np.float32)
    rep = classification_report(pr, y, m, pred, labels, tax.harmful, tax.context)
    by_src = {}
    for s in sorted(rows.source.unique()):
        sel = (rows.source == s).to_numpy()
        by_src[s] = classification_report(
            pr[sel], y[sel], m[sel], pred[sel], labels, tax.harmful, tax.context
        )
    rep["by_source"] = by_src
    return rep


def train_finetuned(
    cfg: TrainConfig,
    out: str | Path,
    tax: Taxonomy,
    *,
    progress: Callable[[int], None] | None = None,
):
    from annotate.training.card import write_card
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
    ftd = fit(split["train"], split["validation"], cfg, tax, progress=progress)
    metrics = {
        "test": report(ftd, split["test"]),
        "threshold_rules": ftd.rules,
        "spans": ftd.span_info,
        "fit": ftd.fit_info,
        "examples": {k: len(v) for k, v in split.items()},
    }
    training = {
        **cfg.model_dump(),
        "data": described,
        "device": ftd.fit_info.get("device"),
        "torch": torch.__version__,
        "seconds": round(time.time() - t0, 1),
    }
    tmp = out.with_name(out.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    version = ftd.save(tmp, {"training": training, "metrics": metrics})
    for name in ("cross_source.json", "cross_source.md"):  # kept from the last evaluation
        if (out / name).is_file():
            shutil.copy2(out / name, tmp / name)
    write_card(tmp, version)
    out.parent.mkdir(parents=True, exist_ok=True)
    commit(tmp, out)  # the previous model directory is replaced whole
    secs = time.time() - t0
    log.info("trained %s in %.0f s", version, secs)
    return TrainResult(out, version, metrics, secs)
