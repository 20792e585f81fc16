"""Training: configuration, data sources and mappings, fitting, calibration, spans."""

from annotate.training.config import DataEntry, TrainConfig, load_train_config
from annotate.training.finetune import FineTuned, fit
from annotate.training.train import TrainResult, train

__all__ = [
    "DataEntry",
    "FineTuned",
    "TrainConfig",
    "TrainResult",
    "fit",
    "load_train_config",
    "train",
]
