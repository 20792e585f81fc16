"""`annotate train`: dispatch by ``trainer`` (frozen: annotate.training.frozen_train,
finetune: annotate.training.finetune_train); the encoder-head model (kind
``annotate.encoder-head.v1``) is fitted here.

Steps: read labeled examples (exports, project tables, mapped public tables) ->
embed every passage once with the frozen encoder (cached under .annotate/cache by text
hash + encoder) -> build context features per document -> train the category head
(masked BCE: a source only supervises the labels it knows) -> fit per-label Platt
calibration and thresholds on the validation split -> train the evidence-span head on
candidate segments -> measure the test split (never used to fit anything) -> write the
model directory with a model card.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import torch

from annotate._util.atomic import disk_full_named
from annotate._util.progress import StageFn
from annotate._util.revision import tool_version
from annotate.classifier.device import pick_device
from annotate.classifier.encoder import Encoder
from annotate.classifier.encoder_head import KIND, save_model
from annotate.classifier.encoder_identity import encoder_identity
from annotate.classifier.features import (
    FEATURES_VERSION,
    DocPassage,
    Prototypes,
    build_features,
    build_span_features,
    prototype_texts,
    solo_features,
)
from annotate.classifier.head import (
    MLPHead,
    apply_labels,
    blend_logits,
    choose_threshold,
    sigmoid,
)
from annotate.classifier.turn_text import TRAINING_READING_VERSION
from annotate.corpus.schema import FIT_SPLITS, SPLITS, TEST, VALIDATION
from annotate.errors import TrainingError
from annotate.evaluation.metrics import classification_report
from annotate.taxonomy import Taxonomy
from annotate.training.card_limits import CARD_LIMITS_VERSION
from annotate.training.config import (
    TrainConfig,
    check_config,
    check_hub_encoders,
    fit_to_taxonomy,
)
from annotate.training.derived import (
    gold_span_counts,
    mixed_documents,
    span_examples,
    span_rows,
    taxonomy_examples,
    untitled_documents,
)
from annotate.training.embedding_cache import EmbeddingCache
from annotate.training.harmful_rows import require_harmful_examples
from annotate.training.head_fit import fit_ensemble, fit_settings, seed_deterministic
from annotate.training.held_out_copies import find_test_copies
from annotate.training.model_folder import (
    discard_on_failure,
    partial_model_folder,
    put_model_in_place,
)
from annotate.training.operating_point import (
    SOURCE_FALLBACK,
    SOURCE_VALIDATION,
    enough_validation,
    fallback_rule,
    fit_category_operating_points,
    segment_counts,
    span_validation_entry,
)
from annotate.training.rows import load_split_examples
from annotate.training.sources import Example
from annotate.training.validation_split import (
    require_fit_splits,
)

log = logging.getLogger(__name__)


@dataclass
class TrainResult:
    out: Path
    version: str
    metrics: dict[str, Any]
    seconds: float
    # files of the previous model folder no model wrote, carried into the new one
    # (relative, sorted: annotate.training.model_folder)
    kept: list[str] = field(default_factory=list)


def _matrix(exs: Sequence[Example], labels: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    y = np.zeros((len(exs), len(labels)), np.float32)
    m = np.zeros_like(y)
    for i, ex in enumerate(exs):
        for j, name in enumerate(labels):
            y[i, j] = float(name in ex.labels)
            m[i, j] = float(name in ex.known)
    return y, m


def train(
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
    """Train a model from ``cfg`` (a :class:`TrainConfig`) and write it to ``out``.

    ``cfg.trainer == "frozen"`` (the default model's recipe) fits one logistic
    regression per label on a frozen encoder's pooled features; ``"finetune"`` fine-tunes
    the encoder end to end on (passage, context) pairs; ``"encoder-head"`` fits an MLP
    head on frozen embeddings with document-context features. Either way the model
    directory gets its weights, calibration, per-label thresholds (fitted on the
    validation split only), ``annotate_model.json`` and a model card with the held-out
    test split's metrics. ``progress(n)`` is called as examples are
    processed; ``scoring`` (a :data:`annotate._util.progress.StageFn`, the CLI's bars),
    asked for a stage when the ``frozen`` and ``finetune`` trainers score the test split
    with the model saved, as ``annotate evaluate`` does, for the model card (every test
    passage embedded again: :func:`annotate.training.row_training.train_on_rows`).
    Returns a :class:`TrainResult` (metrics per split, seconds).
    ``replace=False`` (the CLI without ``--overwrite``): a model that another run wrote
    at ``out`` while this one trained is not replaced; this one is kept beside it and
    TrainingError says where (:func:`annotate.training.model_folder.put_model_in_place`).
    ``allow_no_harmful`` (the CLI's ``--allow-no-harmful-passages``): every trainer
    trains, warning, on data where no training passage has a harmful label, instead of
    refusing before anything is embedded
    (:func:`annotate.training.harmful_rows.require_harmful_passages`).

    Raises TrainingError (no data, no training passage with a harmful label unless
    ``allow_no_harmful``, a config label or span not in labels.yaml, too few
    examples of a label, a hub encoder not cached while the hub cannot be reached:
    :func:`annotate.training.config.check_hub_encoders`), InputError (an unreadable data
    source).
    """
    from annotate.classifier.model_files import require_model_target
    from annotate.training.model_folder import model_out_folder

    out = model_out_folder(Path(out))  # '.', 'sub/..': resolved, or refused
    require_model_target(out)  # before any work: the folder is replaced whole
    # a hub encoder it cannot get, named as TrainConfig's field (the CLI names its file)
    check_hub_encoders(cfg, None, ("encoder",))
    cfg = fit_to_taxonomy(cfg, tax)  # defaulted label settings: the labels tax has
    if cfg.trainer == "frozen":
        from annotate.training.frozen_train import train_frozen

        return train_frozen(
            cfg,
            out,
            tax,
            progress=progress,
            cache_dir=cache_dir,
            replace=replace,
            scoring=scoring,
            allow_no_harmful=allow_no_harmful,
        )
    if cfg.trainer == "finetune":
        from annotate.training.finetune_train import train_finetuned

        return train_finetuned(
            cfg,
            out,
            tax,
            progress=progress,
            replace=replace,
            scoring=scoring,
            allow_no_harmful=allow_no_harmful,
        )
    t0 = time.time()
    out = Path(out)
    check_config(cfg, tax)
    with seed_deterministic(cfg.seed):  # on for this fit only; the settings come back
        examples, described = load_split_examples(cfg, tax)
        # before anything is embedded, as the frozen and finetune trainers (row_training)
        require_harmful_examples(examples, tax, allow=allow_no_harmful)
        # derived training rows: (enabled, description, kind, how to make them)
        derived = [
            (
                cfg.taxonomy_examples_weight > 0,
                "labels.yaml",
                "taxonomy examples",
                lambda: taxonomy_examples(tax, cfg.taxonomy_examples_weight),
            ),
            (
                cfg.span_examples_weight > 0 and bool(cfg.span_categories),
                "evidence spans of the training passages",
                "span examples",
                lambda: span_examples(examples, tax, cfg),
            ),
            (
                cfg.mixed_documents > 0,
                "training documents with a passage of another document inserted",
                "mixed documents",
                lambda: mixed_documents(examples, cfg.mixed_documents, cfg.seed),
            ),
            (
                cfg.untitled_documents > 0,
                "training documents repeated without their title",
                "untitled documents",
                lambda: untitled_documents(examples, cfg.untitled_documents, cfg.seed),
            ),
        ]
        spans = gold_span_counts(examples)  # before any derived row joins them
        for enabled, what, kind, make in derived:
            if enabled:
                extra = make()
                examples.extend(extra)
                entry = {"path": what, "kind": kind, "rows": len(extra), "label_counts": {}}
                described.append({**entry, **spans} if kind == "span examples" else entry)
        by_split = {s: [e for e in examples if e.split == s] for s in SPLITS}
        require_fit_splits({k: len(v) for k, v in by_split.items()}, "examples")
        log.info("examples: %s", {k: len(v) for k, v in by_split.items()})
        labels = tax.category_names
        device = pick_device()
        encoder = Encoder(cfg.encoder, precision=cfg.precision, max_length=cfg.encoder_max_length)
        cache = EmbeddingCache(encoder, cache_dir)
        dim = encoder.dim

        # ---- embeddings (+ span segments) ----
        seg_info = [span_rows(ex, tax, cfg) for ex in examples]
        ranges = [[(a, b) for a, b, _ in s[0]] for s in seg_info]
        texts = [ex.text for ex in examples]
        emb, seg_emb = cache.encode(texts, ranges, progress=progress)
        titles = sorted({ex.title for ex in examples if ex.title})
        t_emb, _ = cache.encode(titles, [[] for _ in titles])
        title_map = dict(zip(titles, t_emb, strict=True))

        docs = [
            DocPassage(ex.text, f"{ex.split}|{ex.doc_key}", ex.index, ex.title) for ex in examples
        ]
        protos = None
        if cfg.prototypes:
            pt = prototype_texts(tax)
            p_emb, _ = cache.encode([t for _, t in pt], [[] for _ in pt])
            protos = Prototypes(p_emb, np.array([k for k, _ in pt]), len(labels))
        feats = build_features(docs, emb, title_map, protos)
        idx = {
            s: np.array([i for i, e in enumerate(examples) if e.split == s], dtype=int)
            for s in by_split
        }
        y_all, m_all = _matrix(examples, labels)
        w_all = np.array([ex.weight for ex in examples], np.float32)

        x_tr, y_tr, m_tr, w_tr = (a[idx["train"]] for a in (feats, y_all, m_all, w_all))
        if cfg.context_dropout > 0:
            rng = np.random.default_rng(cfg.seed)
            alone = [
                i
                for i in idx["train"]
                if not examples[i].meta.get("public") and rng.random() < cfg.context_dropout
            ]
            if alone:
                solo = [DocPassage(examples[i].text, f"solo:{i}", 0, None) for i in alone]
                x_solo = build_features(solo, emb[alone], {}, protos)
                x_tr = np.concatenate([x_tr, x_solo])
                y_tr = np.concatenate([y_tr, y_all[alone]])
                m_tr = np.concatenate([m_tr, m_all[alone]])
                w_tr = np.concatenate([w_tr, w_all[alone]])
        hc = cfg.head
        v_idx = idx["validation"]

        def fit_category_head(
            view: Callable[[np.ndarray], np.ndarray] = lambda x: x,
        ) -> tuple[MLPHead, dict]:
            """A category head on the training rows, early-stopped on validation, both
            seen through ``view`` (the context features, or solo_features)."""
            return fit_ensemble(
                view(x_tr),
                y_tr,
                m_tr,
                w_tr,
                view(feats[v_idx]),
                y_all[v_idx],
                m_all[v_idx],
                hidden=hc.hidden,
                epochs=hc.epochs,
                **fit_settings(cfg, device),
            )

        head, fit_info = fit_category_head()

        solo_head = None
        blended = cfg.solo_head_labels if cfg.solo_head_labels is not None else tax.harmful
        unknown = sorted(set(blended) - set(labels))
        if unknown:
            raise TrainingError(
                f"solo_head_labels: {unknown} are not categories of the taxonomy {labels}.",
                fix="name categories from labels.yaml.",
            )
        blended_at = [labels.index(n) for n in blended]
        if cfg.solo_head_blend > 0:
            solo_head, solo_info = fit_category_head(lambda x: solo_features(x, dim))
            fit_info = {**fit_info, "solo": solo_info}

        def cat_logits(x: np.ndarray) -> np.ndarray:
            return blend_logits(head, solo_head, x, dim, blended_at, cfg.solo_head_blend)

        yield_to_context = (
            sorted(
                {cfg.span_categories[s] for s in cfg.own_voice_spans if s in cfg.span_categories}
                & set(tax.harmful)
            )
            if cfg.own_voice_yields_to_context
            else []
        )

        # ---- calibration + thresholds on validation only ----
        v = idx["validation"]
        logits_v = cat_logits(feats[v])
        op = cfg.operating_point
        platt, thresholds, rules, threshold_sources = fit_category_operating_points(
            logits_v,
            np.where(m_all[v] > 0, y_all[v], -1),
            labels,
            tax,
            op,
            target=np.array([not examples[i].meta.get("public") for i in v], dtype=bool),
            sources=np.array([examples[i].source for i in v], dtype=str),
            target_rule="",
        )
        calibration = {k: c.as_dict() for k, c in platt.items()}

        # ---- evidence-span head ----
        span_head, span_thresholds, span_info = _train_span_head(
            examples, seg_info, seg_emb, feats, idx, tax, cfg, dim, device
        )

        # ---- held-out metrics ----
        def report(split: str, leave_out: set[int] | None = None) -> dict[str, Any] | None:
            ii = idx[split]
            if leave_out:  # positions in `examples` (the test copies of fitted rows)
                ii = np.array([i for i in ii if int(i) not in leave_out], dtype=ii.dtype)
            if len(ii) == 0:
                return None
            lg = cat_logits(feats[ii])
            pr = np.stack(
                [
                    sigmoid(calibration[n]["a"] * lg[:, j] + calibration[n]["b"])
                    for j, n in enumerate(labels)
                ],
                axis=1,
            )
            pl = apply_labels(
                pr,
                labels,
                thresholds,
                tax.none_label,
                tax.context if cfg.context_yields_to_none else (),
                yield_to_context,
                tax.context,
            )
            pred = np.array([[float(n in row) for n in labels] for row in pl], np.float32)
            rep = classification_report(
                pr, y_all[ii], m_all[ii], pred, labels, tax.harmful, tax.context
            )
            by_src = {}
            srcs = sorted({examples[i].source for i in ii})
            for s in srcs:
                sel = np.array([examples[i].source == s for i in ii])
                by_src[s] = classification_report(
                    pr[sel],
                    y_all[ii][sel],
                    m_all[ii][sel],
                    pred[sel],
                    labels,
                    tax.harmful,
                    tax.context,
                )
            rep["by_source"] = by_src
            # the heads and thresholds alone, not the model's prediction-time rules: the
            # card says so (annotate.evaluation.model_card.scored_as_lines)
            rep["scored_as"] = "heads"
            return rep

        copies_at: list[int] = []
        # test passages whose text a train or validation row has (another source's)
        test_copies = find_test_copies(
            [e.text for e in examples],
            [e.split for e in examples],
            [e.source for e in examples],
            [e.id or f"{e.doc_key}:{e.index}" for e in examples],
            copies_at,
        )
        if test_copies is not None and copies_at:
            # the headline without them too: the figure the copies do not inflate (L2)
            clean = report(TEST, set(copies_at))
            test_copies["macro_f1_without_copies"] = clean["macro_f1"] if clean else None
            test_copies["test_passages_without_copies"] = clean["n"] if clean else 0
        metrics = {
            TEST: report(TEST),
            "test_copies": test_copies,
            VALIDATION: report(VALIDATION),
            "threshold_rules": rules,
            "threshold_sources": threshold_sources,
            "spans": span_info,
            "fit": fit_info,
            "examples": {k: len(v) for k, v in by_split.items()},
            # per label: training rows that have it (labels.yaml's examples and the other
            # derived rows included, not the context-dropout copies), as the frozen
            # trainer records it: a label with none is not learned (untrained_labels), one
            # with derived rows only is named (card_limits.derived_only_labels)
            "train_positives": {
                name: int(y_all[idx["train"], j].sum()) for j, name in enumerate(labels)
            },
            "card_limits": CARD_LIMITS_VERSION,  # the card writes its generated limitations
        }
        config = {
            "kind": KIND,
            "name": cfg.name,
            "encoder": cfg.encoder,
            # package, version or folder, commit and weights digest of the encoder trained
            # with: prelabel says whether the one it runs is the same (model_encoder)
            "encoder_identity": encoder_identity(cfg.encoder).model_dump(),
            "encoder_dim": dim,
            "encoder_max_length": cfg.encoder_max_length,
            "pooling": "mean+l2",
            "features": FEATURES_VERSION,
            "labels": labels,
            "harmful": tax.harmful,
            "context": tax.context,
            "none_label": tax.none_label,
            "yield_to_none": tax.context if cfg.context_yields_to_none else [],
            "yield_to_context": yield_to_context,
            "solo_head_blend": cfg.solo_head_blend if solo_head is not None else 0.0,
            "solo_head_labels": [labels[j] for j in blended_at] if solo_head is not None else [],
            "span_labels": tax.span_names,
            "own_voice_spans": cfg.own_voice_spans,
            "quoted_span": cfg.quoted_span,
            "taxonomy": tax.identity(),
            "head": {"hidden": hc.hidden, "span_hidden": hc.span_hidden, "members": hc.members},
            "calibration": calibration,
            "thresholds": thresholds,
            "span_thresholds": span_thresholds,
            "operating_point": op.model_dump(),
            "training": {
                **cfg.model_dump(),
                "data": described,
                "device": str(device),
                "precision": encoder.precision,  # what the heads are calibrated on
                "torch": torch.__version__,
                "annotate": tool_version(),  # with the git revision of a checkout
                # how the examples were read (annotate.training.reading): prelabel and
                # evaluate read passages so; verify warns when this annotate reads otherwise
                "reading": TRAINING_READING_VERSION,
            },
            "metrics": metrics,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        if span_head is None:
            config.pop("span_thresholds")
        tmp = partial_model_folder(out)
        try:
            version = save_model(tmp, config, head, span_head, protos, solo_head)
            from annotate.evaluation.model_card import write_model_card

            write_model_card(tmp, config, version)
            # the previous model's own files are replaced; a user's notes in the folder stay
            kept = put_model_in_place(tmp, out, version, replace=replace)
        except BaseException as exc:
            named = disk_full_named(exc, tmp, out)  # a full disk: named by --out
            if named is not None:
                raise named from exc
            raise
        finally:
            discard_on_failure(tmp)  # gone already once renamed into place (or kept aside)
        secs = time.time() - t0
        log.info("trained %s in %.0f s", version, secs)
        return TrainResult(out, version, metrics, secs, kept)


def _train_span_head(examples, seg_info, seg_emb, feats, idx, tax, cfg, dim, device):
    names = tax.span_names
    rows = {s: ([], [], []) for s in FIT_SPLITS}
    for i, ex in enumerate(examples):
        segs, y, m = seg_info[i]
        if y is None or ex.split not in rows or not segs or ex.meta.get("mixed"):
            continue
        sx = build_span_features(seg_emb[i], segs, ex.text, feats[i], dim)
        rows[ex.split][0].append(sx)
        rows[ex.split][1].append(y)
        rows[ex.split][2].append(m)
    if not rows["train"][0] or not rows["validation"][0]:
        return None, {}, {"trained": False, "reason": "no span-annotated examples"}
    Xt, Yt, Mt = (np.concatenate(a) for a in rows["train"])
    Xv, Yv, Mv = (np.concatenate(a) for a in rows["validation"])
    hc = cfg.head
    head, info = fit_ensemble(
        Xt,
        Yt,
        Mt,
        np.ones(len(Xt), np.float32),
        Xv,
        Yv,
        Mv,
        hidden=hc.span_hidden,
        epochs=hc.span_epochs,
        **fit_settings(cfg, device),
    )
    pv = sigmoid(head.logits(Xv))
    thresholds, per = {}, {}
    op = cfg.operating_point
    for j, name in enumerate(names):
        k = Mv[:, j] > 0
        n_pos, n_neg = segment_counts(Yv[k, j])
        if enough_validation(n_pos, n_neg, op):
            t, rule = choose_threshold(pv[k, j], Yv[k, j], min_recall=None, default=0.5)
            thresholds[name], source = round(max(t, 0.2), 4), SOURCE_VALIDATION
        else:  # too few validation segments of the span label, or without it
            thresholds[name] = round(float(op.fallback_threshold), 4)
            rule, source = fallback_rule(n_pos, n_neg, op), SOURCE_FALLBACK
        per[name] = span_validation_entry(pv[k, j], Yv[k, j], thresholds[name], rule, source)
    info.update(trained=True, n_train=len(Xt), n_validation=len(Xv), validation=per)
    return head, thresholds, info
