"""Backend ``annotate.finetuned.v1``: a fine-tuned encoder read as (passage, context).

Model directory: ``annotate_model.json`` (validated by :class:`FinetunedConfig`),
``model.safetensors`` + ``config.json`` (the encoder, fp16), the tokenizer files, and
``heads.safetensors`` (category and span heads, fp16). Weights are cast back to fp32
on load (bf16 autocast at run time where the CPU has native bf16).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from pydantic import Field

from annotate.classifier.base import PassageInput, Prediction, ProgressFn, Span, predictions
from annotate.classifier.device import choose_precision, pick_device, trained_precision
from annotate.classifier.features import candidate_segments
from annotate.classifier.head import Platt, apply_labels, calibrate_columns
from annotate.classifier.model_files import (
    ModelFileFields,
    check_card_version,
    check_trained_labels,
    fitted_fields,
    load_weights,
    model_version,
    read_model_config,
    write_model_config,
)
from annotate.classifier.pair_model import (
    PairModel,
    context_text,
    predict_logits,
)
from annotate.classifier.spans import add_evidence_for_labels, thresholded_spans
from annotate.errors import ModelError

if TYPE_CHECKING:
    from annotate.training.finetune import FineTuned

log = logging.getLogger(__name__)

KIND = "annotate.finetuned.v1"
HEADS_FILE = "heads.safetensors"
WEIGHT_FILES = ("model.safetensors", HEADS_FILE)  # what the version hashes
VERSIONED_FILES = WEIGHT_FILES


class FinetunedConfig(ModelFileFields):
    """Schema of annotate_model.json for kind ``annotate.finetuned.v1``."""

    kind: str = KIND
    encoder: str  # what was fine-tuned (the weights are in this directory)
    max_length: int
    context_tokens: int
    evidence_span: dict[str, str] = Field(default_factory=dict)  # category -> span label


def save_finetuned(ftd: FineTuned, out: str | Path, extra: dict[str, Any]) -> str:
    """Write the model directory (fp16 weights); returns the model version."""
    from safetensors.torch import save_file

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tax, cfg = ftd.tax, ftd.cfg
    enc = ftd.model.encoder
    state = {
        k: v.detach().to("cpu", torch.float16).contiguous() for k, v in enc.state_dict().items()
    }
    enc.config.torch_dtype = "float16"
    enc.save_pretrained(out, state_dict=state, safe_serialization=True)
    ftd.tokenizer.save_pretrained(out)
    heads = {
        f"cat.{k}": v.detach().to("cpu", torch.float16).contiguous()
        for k, v in ftd.model.cat_head.state_dict().items()
    }
    heads.update(
        {
            f"span.{k}": v.detach().to("cpu", torch.float16).contiguous()
            for k, v in ftd.model.span_head.state_dict().items()
        }
    )
    save_file(heads, str(out / HEADS_FILE), metadata={"kind": KIND})
    evidence = {
        cat: span
        for span, cat in cfg.span_categories.items()
        if span in cfg.own_voice_spans and span in tax.span_names
    }
    fields = {
        **fitted_fields(ftd),
        "max_length": cfg.finetune.max_length,
        "context_tokens": cfg.finetune.context_tokens,
        "span_labels": ftd.span_labels,
        "evidence_span": evidence,
        **extra,
    }
    return write_model_config(out, FinetunedConfig, fields, WEIGHT_FILES)


def read_config(path: Path) -> FinetunedConfig:
    return read_model_config(path, FinetunedConfig, "annotate/classifier/finetuned.py")


def files_version(path: Path) -> str:
    """The version the files in ``path`` give now (:func:`model_version` of the encoder
    and head weights and the validated config). Raises ModelError (config) or OSError
    (weights)."""
    return model_version(path, read_config(path).model_dump(), WEIGHT_FILES)


def document_contexts(passages: Sequence[PassageInput]) -> list[str]:
    """Context text of each passage: its title and neighbours in the same document
    (passages without doc_id stand alone)."""
    docs: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        if p.doc_id is not None:
            docs.setdefault(p.doc_id, []).append(i)
    ctx = [context_text(p.title, None, None) for p in passages]
    for members in docs.values():
        members.sort(key=lambda i: (passages[i].passage_index or 0, i))
        for k, i in enumerate(members):
            prev = passages[members[k - 1]].text if k > 0 else None
            nxt = passages[members[k + 1]].text if k + 1 < len(members) else None
            ctx[i] = context_text(passages[i].title, prev, nxt)
    return ctx


class FinetunedClassifier:
    """Loads a model directory of kind ``annotate.finetuned.v1`` for prelabel/evaluate."""

    kind = KIND

    def __init__(
        self,
        path: Path,
        labels: Sequence[str],
        *,
        precision: str = "auto",
        batch_size: int = 32,
    ) -> None:
        from transformers import AutoModel, AutoTokenizer

        from annotate.classifier.encoder import PRECISION_ENV, from_pretrained_or_fail

        cfg = read_config(path)
        self.config = cfg
        self.path = path
        self.labels = list(cfg.labels)
        check_trained_labels(path, self.labels, labels)
        for f in WEIGHT_FILES:
            if not (path / f).is_file():
                raise ModelError(f"{path}: {f} is missing.", fix="retrain the model.")
        self.tokenizer = from_pretrained_or_fail(AutoTokenizer, str(path), "tokenizer")
        enc = from_pretrained_or_fail(AutoModel, str(path), "encoder", dtype=torch.float32)
        self.model = PairModel(enc, len(self.labels), len(cfg.span_labels))
        heads = load_weights(path, HEADS_FILE)
        self.model.cat_head.load_state_dict(
            {k[4:]: v.float() for k, v in heads.items() if k.startswith("cat.")}
        )
        self.model.span_head.load_state_dict(
            {k[5:]: v.float() for k, v in heads.items() if k.startswith("span.")}
        )
        self.device = pick_device()
        self.model.to(self.device).eval()
        if precision == "auto":
            precision = os.environ.get(PRECISION_ENV) or "auto"
        if precision not in ("auto", "fp32", "bf16"):
            raise ModelError(
                f"precision {precision!r} is not supported by a fine-tuned model.",
                fix="use auto, fp32 or bf16.",
            )
        choice = choose_precision(precision, trained_precision(cfg.model_dump()), self.device)
        self.precision = choice.precision
        self.precision_choice = choice.record()  # why, for prelabel's run record
        self.amp = torch.bfloat16 if self.precision == "bf16" else None
        self.batch_size = batch_size
        self.calibration = {k: Platt(v.a, v.b) for k, v in cfg.calibration.items()}
        self.span_calibration = {k: Platt(v.a, v.b) for k, v in cfg.span_calibration.items()}
        self.thresholds = dict(cfg.thresholds)
        self.span_thresholds = dict(cfg.span_thresholds)
        self.span_labels = list(cfg.span_labels)
        self.own_voice = set(cfg.own_voice_spans)
        self.harmful = set(cfg.harmful)
        self.version = model_version(path, cfg.model_dump(), WEIGHT_FILES)
        check_card_version(path, self.version)
        # the base encoder recorded at training (the fine-tuned weights are this model's)
        self.encoder_identity = (
            None
            if cfg.encoder_identity is None
            else {
                **cfg.encoder_identity.model_dump(),
                "same_as_trained": True,
                "precision": self.precision,
                **_calibrated_at(trained_precision(cfg.model_dump())),
            }
        )
        log.info("fine-tuned model %s (%s)", self.version, self.amp or "fp32")

    def scores(
        self, passages: Sequence[PassageInput], progress: ProgressFn | None = None
    ) -> tuple[np.ndarray, list[list[tuple[int, int, bool]]], list[np.ndarray]]:
        """Calibrated category probabilities (n, n_labels), candidate segments and their
        calibrated span probabilities (n_segs, n_span_labels) per passage."""
        segs = [candidate_segments(p.text) for p in passages]
        lg, seg_lg = predict_logits(
            self.model,
            self.tokenizer,
            [p.text for p in passages],
            document_contexts(passages),
            segs,
            max_length=self.config.max_length,
            context_tokens=self.config.context_tokens,
            batch_size=self.batch_size,
            device=self.device,
            amp=self.amp,
            progress=progress,
        )
        probs = calibrate_columns(lg, self.labels, self.calibration)
        sp = [calibrate_columns(s, self.span_labels, self.span_calibration) for s in seg_lg]
        return probs, segs, sp

    def predict(
        self, passages: Sequence[PassageInput], *, progress: ProgressFn | None = None
    ) -> list[Prediction]:
        if not passages:
            return []
        probs, segs, sp = self.scores(passages, progress)
        cfg = self.config
        labels = apply_labels(
            probs,
            self.labels,
            self.thresholds,
            cfg.none_label,
            cfg.yield_to_none,
            cfg.yield_to_context,
            cfg.context,
        )
        spans = [
            self._spans(segs[i], sp[i], labels[i])
            if segs[i] and labels[i] != [cfg.none_label]
            else []
            for i in range(len(passages))
        ]
        return predictions(probs, self.labels, labels, spans)

    def _spans(
        self, segs: list[tuple[int, int, bool]], sp: np.ndarray, labels: list[str]
    ) -> list[Span]:
        """Segments at or above their calibrated span threshold; own-voice span labels
        become the quoted span label inside a passage that is not harmful."""
        kept = thresholded_spans(
            segs,
            sp,
            self.span_labels,
            self.span_thresholds,
            own_voice=self.own_voice,
            quoted_label=self.config.quoted_span,
            harmful_passage=any(lbl in self.harmful for lbl in labels),
        )
        # a fired own-voice label always shows the reviewer where (best free segment)
        add_evidence_for_labels(kept, segs, sp, self.span_labels, labels, self.config.evidence_span)
        return sorted(kept, key=lambda s: s.start)


def _calibrated_at(precision: str | None) -> dict[str, str]:
    """``calibrated_precision`` for the run's ``model_encoder`` record, when known."""
    return {} if precision is None else {"calibrated_precision": precision}
