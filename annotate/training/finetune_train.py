"""`annotate train` with ``trainer: finetune``: rows -> fine-tuned model directory.

Steps (annotate.training.row_training): load rows -> fine-tune on the train split,
calibrate and choose thresholds on the validation split (annotate.training.finetune.fit)
-> measure the test split per source -> write the model directory (fp16 safetensors,
tokenizer, annotate_model.json, model card) atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from annotate._util.progress import StageFn
from annotate.taxonomy import Taxonomy
from annotate.training.config import TrainConfig
from annotate.training.finetune import FineTuned
from annotate.training.row_training import train_on_rows

if TYPE_CHECKING:
    from annotate.training.train import TrainResult


def train_finetuned(
    cfg: TrainConfig,
    out: str | Path,
    tax: Taxonomy,
    *,
    progress: Callable[[int], None] | None = None,
    replace: bool = True,
    scoring: StageFn | None = None,
    allow_no_harmful: bool = False,
) -> TrainResult:
    from annotate.training.finetune import fit

    def fit_rows(train: pd.DataFrame, valid: pd.DataFrame) -> tuple[FineTuned, dict[str, Any]]:
        import torch

        ftd = fit(train, valid, cfg, tax, progress=progress)
        # where it ran, for the training record: the device, and torch's intra-op thread
        # count, on which the weights depend (1 and 2 threads give other weights), so a
        # rebuild can be run with the same count and matched
        return ftd, {"device": ftd.fit_info.get("device"), "threads": torch.get_num_threads()}

    return train_on_rows(
        cfg, out, tax, fit_rows, replace=replace, scoring=scoring, allow_no_harmful=allow_no_harmful
    )
