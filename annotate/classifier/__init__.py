"""The classifier interface that `prelabel`, `evaluate` and `train` share, and the loader.

``load_classifier(model, tax)`` picks a backend by the model directory's content:

- ``annotate_model.json`` with ``kind: annotate.frozen-linear.v1``: the default kind, a
  frozen encoder's pooled features + one logistic regression per label
  (:mod:`annotate.classifier.frozen_linear`); ``annotate.finetuned.v1``: a fine-tuned
  encoder read as (passage, context) (:mod:`annotate.classifier.finetuned`);
  ``annotate.encoder-head.v1``: a frozen encoder + trained context head
  (:mod:`annotate.classifier.encoder_head`);
- ``config.json`` of a transformers sequence-classification model, or a hub id:
  ``transformers.sequence-classification.v1`` (:mod:`annotate.classifier.hf`).
"""

from __future__ import annotations

from annotate.classifier.base import Classifier, PassageInput, Prediction, ProgressFn, Span
from annotate.classifier.loader import BACKENDS, DEFAULT_MODEL_DIR, load_classifier

__all__ = [
    "BACKENDS",
    "DEFAULT_MODEL_DIR",
    "Classifier",
    "PassageInput",
    "Prediction",
    "ProgressFn",
    "Span",
    "load_classifier",
]
