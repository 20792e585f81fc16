"""Backend ``transformers.sequence-classification.v1``: any AutoModelForSequenceClassification.

A local directory or a hub id. ``config.id2label`` must name exactly the taxonomy's
categories (in any order). Scores are sigmoid outputs (softmax when the config says
``single_label_classification``), optionally calibrated, with per-label thresholds from
``annotate_thresholds.json`` in the model directory, else 0.5.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import torch

from annotate.classifier.base import PassageInput, Prediction, ProgressFn, predictions
from annotate.classifier.device import PrecisionChoice, auto_bf16, pick_device
from annotate.classifier.encoder import (
    PRECISION_PROBE,
    bf16_weights,
    from_pretrained_or_fail,
    length_order,
    token_lengths,
)
from annotate.classifier.encoder_identity import running_identity
from annotate.classifier.head import Platt, apply_labels, calibrate_columns
from annotate.classifier.hub import unreachable_reason
from annotate.classifier.model_files import check_has_head, check_label_map
from annotate.classifier.model_paths import did_you_mean
from annotate.errors import ModelError

log = logging.getLogger(__name__)

KIND = "transformers.sequence-classification.v1"
THRESHOLDS_FILE = "annotate_thresholds.json"
BF16_PROB_TOLERANCE = 0.01  # max |p_bf16 - p_fp32| on the probe batch


class SequenceClassifier:
    """A transformers sequence-classification model behind the Classifier interface."""

    kind = KIND

    def __init__(
        self,
        ref: str | Path,
        labels: Sequence[str],
        none_label: str,
        *,
        precision: str = "auto",
        batch_size: int = 32,
        max_length: int = 256,
        device: str | None = None,
    ) -> None:
        from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

        ref = str(ref)
        self.ref = ref  # as given: a folder or a hub id (its identity is looked up offline)
        local = Path(ref).is_dir()
        if not local:
            ref = _fetch_or_fail(ref)
        config = from_pretrained_or_fail(AutoConfig, ref, "model config")
        check_has_head(config, ref)
        self.model_labels = check_label_map(config.id2label, labels, ref)
        self.labels = list(labels)
        self.none_label = none_label
        self._order = [self.model_labels.index(n) for n in self.labels]
        self.tokenizer = from_pretrained_or_fail(AutoTokenizer, ref, "tokenizer")
        self.model = from_pretrained_or_fail(AutoModelForSequenceClassification, ref, "model")
        self.device = pick_device(device)
        self.model.to(self.device).eval()
        self.softmax = getattr(config, "problem_type", None) == "single_label_classification"
        self.batch_size = batch_size
        self.max_length = min(max_length, int(getattr(self.tokenizer, "model_max_length", 512)))
        self.thresholds = {n: 0.5 for n in self.labels}
        self.calibration: dict[str, Platt] = {}
        tpath = Path(ref) / THRESHOLDS_FILE
        if tpath.is_file():
            data = json.loads(tpath.read_text(encoding="utf-8"))
            unknown = set(data.get("thresholds", {})) - set(self.labels)
            if unknown:
                raise ModelError(
                    f"{tpath}: thresholds for unknown labels {sorted(unknown)}.",
                    fix="use the labels.yaml category names.",
                )
            self.thresholds.update({k: float(v) for k, v in data.get("thresholds", {}).items()})
            self.calibration = {k: Platt(**v) for k, v in data.get("calibration", {}).items()}
        name = getattr(config, "_name_or_path", "") or ref
        commit = getattr(config, "_commit_hash", None)
        self.version = f"{KIND}:{Path(name).name if local else name}" + (
            f"@{commit[:12]}" if commit else ""
        )
        if local:
            self.version += "@" + _dir_hash(Path(ref))
        self.precision = self._choose_precision(precision)
        if self.precision == "bf16" and self.device.type == "cpu":
            bf16_weights(self.model)  # after the probe, which compares against fp32

    @cached_property
    def encoder_identity(self) -> dict[str, Any]:
        """The model that runs, for prelabel's ``model_encoder``: its folder (a hub id's
        cached snapshot), config name, hub commit and weights digest, known offline
        (:mod:`annotate.classifier.encoder_identity`); ``same_as_trained`` is None, since
        annotate did not train it and recorded none. Hashed on first use."""
        return running_identity(self.ref, None, precision=self.precision)

    def _choose_precision(self, requested: str) -> str:
        """fp32 or bf16 (:func:`annotate.classifier.device.auto_bf16` decides ``auto``;
        no calibration to keep: annotate did not train this model), bf16 only when the
        probe's scores stay within :data:`BF16_PROB_TOLERANCE` of fp32's; why is kept
        in ``precision_choice`` for prelabel's run record."""
        speed = None
        if requested == "bf16":
            take, why = True, "asked for"
        elif requested == "auto":
            take, why, speed = auto_bf16(self.device)
        else:
            take, why = False, "asked for" if requested == "fp32" else f"{requested} asked for"
        if take:
            ref = self._probs(PRECISION_PROBE, "fp32")
            low = self._probs(PRECISION_PROBE, "bf16")
            diff = float(np.max(np.abs(ref - low)))
            if diff > BF16_PROB_TOLERANCE:
                log.warning(
                    "bf16 scores drift by %.4f > %.3f: using fp32", diff, BF16_PROB_TOLERANCE
                )
                take, why = False, f"bf16 scores drift by {diff:.4f}"
        chosen = "bf16" if take else "fp32"
        self.precision_choice = PrecisionChoice(chosen, requested, why, speed).record()
        return chosen

    def _probs(self, texts: Sequence[str], precision: str) -> np.ndarray:
        enc = self.tokenizer(
            list(texts),
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="pt",
        ).to(self.device)
        with (
            torch.inference_mode(),
            torch.autocast(
                device_type=self.device.type, dtype=torch.bfloat16, enabled=precision == "bf16"
            ),
        ):
            logits = self.model(**enc).logits.float()
        logits = logits[:, self._order].cpu().numpy()
        if self.softmax:
            e = np.exp(logits - logits.max(1, keepdims=True))
            return e / e.sum(1, keepdims=True)
        return calibrate_columns(logits, self.labels, self.calibration)

    def predict(
        self, passages: Sequence[PassageInput], *, progress: ProgressFn | None = None
    ) -> list[Prediction]:
        n = len(passages)
        probs = np.zeros((n, len(self.labels)), dtype=np.float32)
        order = length_order(
            token_lengths(self.tokenizer, [p.text for p in passages], self.max_length)
        )
        for s in range(0, n, self.batch_size):
            idx = order[s : s + self.batch_size]
            probs[idx] = self._probs([passages[i].text or " " for i in idx], self.precision)
            if progress is not None:
                progress(len(idx))
        labels = apply_labels(probs, self.labels, self.thresholds, self.none_label)
        return predictions(probs, self.labels, labels)


def _dir_hash(path: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    for name in ("config.json", THRESHOLDS_FILE):
        f = path / name
        if f.is_file():
            h.update(f.read_bytes())
    for f in sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin")):
        with f.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 22), b""):
                h.update(block)
    return h.hexdigest()[:12]


def _fetch_or_fail(hub_id: str) -> str:
    """A local snapshot of a hub model: from the cache, else downloaded if the hub answers."""
    from huggingface_hub import snapshot_download

    try:
        return snapshot_download(hub_id, local_files_only=True)
    except Exception:
        pass
    reason = unreachable_reason()
    if reason is not None:
        from annotate.classifier.loader import offline_model_error

        raise offline_model_error(hub_id, reason)
    try:
        return snapshot_download(hub_id)
    except Exception as exc:
        raise ModelError(
            f"cannot download {hub_id!r} from the Hugging Face hub: "
            f"{str(exc).splitlines()[0][:200]}",
            fix=f"{did_you_mean(hub_id)}check the model id (owner/name) and your network, or "
            "pass a local directory.",
        ) from None
