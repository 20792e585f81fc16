"""`annotate train` with ``trainer: frozen``: rows -> frozen-linear model directory.

Steps (annotate.training.row_training): load rows -> embed every text once with the
frozen encoder (cached) -> fit the linear heads on the train split, calibrate and choose
thresholds on the validation split (annotate.training.frozen.fit_frozen) -> measure the
test split per source -> write the model directory atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from annotate._util.progress import StageFn
from annotate.taxonomy import Taxonomy
from annotate.training.config import TrainConfig
from annotate.training.row_training import train_on_rows

if TYPE_CHECKING:
    from annotate.training.train import TrainResult


def train_frozen(
    cfg: TrainConfig,
    out: str | Path,
    tax: Taxonomy,
    *,
    progress: Callable[[int], None] | None = None,
    cache_dir: Path | None = None,
    replace: bool = True,
    scoring: StageFn | None = None,
    allow_no_harmful: bool = False,
) -> TrainResult:
    from annotate.classifier.encoder import Encoder
    from annotate.training.embedding_cache import EmbeddingCache
    from annotate.training.frozen import FrozenLinear, RowFeatures, fit_frozen

    made: dict[str, Any] = {}

    def features() -> RowFeatures:
        if "feats" not in made:
            made["encoder"] = encoder = Encoder(
                cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length
            )
            made["feats"] = RowFeatures(EmbeddingCache(encoder, root=cache_dir), progress=progress)
        return made["feats"]

    def prepare(split: dict[str, pd.DataFrame]) -> None:
        # every text embedded up front: the progress knows how many (a total, time left)
        features().prefetch(split, spans=cfg.frozen.spans)

    def fit(train: pd.DataFrame, valid: pd.DataFrame) -> tuple[FrozenLinear, dict[str, Any]]:
        import torch

        feats = features()
        encoder = made["encoder"]
        model = fit_frozen(train, valid, cfg, tax, feats)
        # where it ran, for the training record: the device, the precision and torch's
        # intra-op thread count, on which the embeddings depend (1 and 2 threads give 8 of
        # 200 fp32 embeddings other last bits; the embedding cache is kept per count), so a
        # rebuild can be run the same way; not in the version (model_files.BUILD_FIELDS)
        return model, {
            "device": str(encoder.device),
            "precision": encoder.precision,
            "threads": torch.get_num_threads(),
        }

    return train_on_rows(
        cfg,
        out,
        tax,
        fit,
        prepare,
        replace=replace,
        scoring=scoring,
        allow_no_harmful=allow_no_harmful,
    )
