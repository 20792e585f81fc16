"""End-to-end fine-tuning of the encoder on (passage, context) pairs.

``fit(rows_train, rows_valid, cfg, tax)`` -> :class:`FineTuned`: multi-label BCE
(masked: a source supervises only the labels it knows; per-label pos_weight clipped to
``max_pos_weight``; row weights), an evidence-span loss on candidate segments from the
same forward pass, AdamW with linear warm-up/decay, seeded. Then per-label Platt
calibration of the validation logits, thresholds chosen on the calibrated validation
scores, span calibration and thresholds likewise. A label with too few validation
positives keeps the fallback threshold: the frozen trainer's cross-fitting
(:mod:`annotate.training.cross_fit`) would take k more fine-tunes here, and was measured
not to pay (:data:`annotate.evaluation.model_card.FINETUNE_NOT_CROSS_FITTED`). bf16
autocast at ``precision: auto`` only on a GPU with bf16 or a CPU whose native bf16
matmuls measured at least 1.5x its fp32 ones
(:func:`annotate.classifier.bf16_speed.bf16_speed`; flags alone do not decide).
"""

from __future__ import annotations

import logging
import math
import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import torch

from annotate._util.progress import add_total
from annotate.classifier.device import pick_device
from annotate.classifier.head import Platt, sigmoid
from annotate.classifier.pair_model import (
    PairModel,
    autocast_dtype,
    collate,
    make_windows,
    pool_rows,
    predict_logits,
)
from annotate.taxonomy import Taxonomy
from annotate.training.config import TrainConfig
from annotate.training.head_fit import deterministic_algorithms
from annotate.training.operating_point import (
    DecisionRules,
    fit_category_operating_points,
    fit_span_operating_points,
    own_voice_yield_labels,
)

log = logging.getLogger(__name__)


def set_seed(seed: int) -> None:
    """Seed Python's, NumPy's and torch's generators (CPU and every CUDA device)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


CUBLAS_WORKSPACE = ":4096:8"


@contextmanager
def deterministic_kernels(device: torch.device) -> Iterator[None]:
    """On a CUDA ``device``, run the block with deterministic kernels, as PyTorch's
    reproducibility notes ask (https://pytorch.org/docs/stable/notes/randomness.html):
    ``torch.use_deterministic_algorithms(True, warn_only=True)`` (an op with no
    deterministic version warns instead of failing), cuDNN's deterministic mode without
    its autotuner, and ``CUBLAS_WORKSPACE_CONFIG=:4096:8`` unless already set (read by
    cuBLAS when this process first uses it: set before, in a process that already ran
    CUDA matmuls, it does not apply and torch warns). The previous settings come back
    afterwards (they are process-wide). On a CPU: nothing to change (the CPU kernels
    used here are deterministic for a fixed thread count)."""
    if device.type != "cuda":
        yield
        return
    was = (torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", CUBLAS_WORKSPACE)
    with deterministic_algorithms():
        torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = True, False
        try:
            yield
        finally:
            torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = was


def label_matrix(rows: pd.DataFrame) -> np.ndarray:
    """(n, n_labels) int8: 1/0/-1."""
    if len(rows) == 0:
        return np.zeros((0, 0), np.int8)
    return np.stack(rows["labels"].to_list()).astype(np.int8)


def load_encoder(ref: str):
    from transformers import AutoModel, AutoTokenizer

    from annotate.classifier.encoder import from_pretrained_or_fail, resolve_encoder_ref

    path = resolve_encoder_ref(ref)
    tok = from_pretrained_or_fail(AutoTokenizer, path, "encoder tokenizer")
    enc = from_pretrained_or_fail(AutoModel, path, "encoder")
    return tok, enc


def _batches(rows: pd.DataFrame, batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    """Shuffled batches of similar length (chunks of 50 batches sorted by length)."""
    rng = random.Random(f"batches:{seed}:{epoch}")
    order = list(range(len(rows)))
    rng.shuffle(order)
    lens = (rows["text"].str.len() + rows["context"].str.len()).to_numpy()
    out = []
    chunk = batch_size * 50
    for s in range(0, len(order), chunk):
        part = sorted(order[s : s + chunk], key=lambda i: lens[i])
        out.extend(part[k : k + batch_size] for k in range(0, len(part), batch_size))
    rng.shuffle(out)
    return out


class FineTuned(DecisionRules):
    """A fitted model: ``labels``, ``thresholds``, ``predict_proba(rows)``,
    ``predict_labels(rows)``, ``span_proba``; ``save(dir)`` (see annotate.classifier.finetuned)."""

    def __init__(
        self,
        model: PairModel,
        tokenizer: Any,
        tax: Taxonomy,
        cfg: TrainConfig,
        device: torch.device,
        amp: torch.dtype | None,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.labels = tax.category_names
        self.span_labels = tax.span_names
        self.tax = tax
        self.cfg = cfg
        self.device = device
        self.amp = amp
        self.calibration: dict[str, Platt] = {n: Platt() for n in self.labels}
        self.thresholds: dict[str, float] = {n: 0.5 for n in self.labels}
        self.rules: dict[str, str] = {}
        self.threshold_sources: dict[str, dict[str, Any]] = {}
        self.span_calibration: dict[str, Platt] = {n: Platt() for n in self.span_labels}
        self.span_thresholds: dict[str, float] = {n: 0.5 for n in self.span_labels}
        self.span_info: dict[str, Any] = {}
        self.fit_info: dict[str, Any] = {}
        self.yield_to_none = tax.context if cfg.context_yields_to_none else []
        self.yield_to_context = own_voice_yield_labels(cfg, tax)

    def logits(
        self, rows: pd.DataFrame, with_spans: bool = False, progress=None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        ft = self.cfg.finetune
        segs = rows["seg"].to_list() if with_spans and "seg" in rows else None
        return predict_logits(
            self.model,
            self.tokenizer,
            rows["text"].to_list(),
            rows["context"].fillna("").to_list(),
            segs,
            max_length=ft.max_length,
            context_tokens=ft.context_tokens,
            batch_size=64,
            device=self.device,
            amp=self.amp,
            progress=progress,
        )

    def predict_proba(self, rows: pd.DataFrame) -> np.ndarray:
        """(n, n_labels) calibrated probabilities."""
        if len(rows) == 0:
            return np.zeros((0, len(self.labels)), np.float32)
        return self.calibrate_logits(self.logits(rows)[0])

    def predict_labels(self, rows: pd.DataFrame) -> list[list[str]]:
        return self.decide(self.predict_proba(rows))

    def save(self, out, config_extra: dict[str, Any] | None = None) -> str:
        from annotate.classifier.finetuned import save_finetuned

        return save_finetuned(self, out, config_extra or {})


def _loss_cat(logits, y, m, w, pos_weight):
    raw = torch.nn.functional.binary_cross_entropy_with_logits(
        logits, y, pos_weight=pos_weight, reduction="none"
    )
    mw = m * w[:, None]
    denom = mw.sum(0)
    present = denom > 0
    if not present.any():
        return logits.sum() * 0
    return ((raw * mw).sum(0)[present] / denom[present]).mean()


@torch.inference_mode()
def _probe_features(
    model: PairModel,
    tok: Any,
    rows: pd.DataFrame,
    ft: Any,
    device: torch.device,
    amp: torch.dtype | None,
    progress: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, list[int], np.ndarray, list[tuple[int, int]]]:
    """Frozen features of every window (and its row) and of every segment (row, index)."""
    model.eval()
    texts = rows["text"].to_list()
    ctxs = rows["context"].fillna("").to_list()
    segs = rows["seg"].to_list()
    order = sorted(range(len(rows)), key=lambda i: len(texts[i]) + len(ctxs[i]))
    pad = tok.pad_token_id or 0
    xf, xr, sf, sr = [], [], [], []
    for s in range(0, len(order), 64):
        part = order[s : s + 64]
        wins = make_windows(
            tok,
            [texts[i] for i in part],
            [ctxs[i] for i in part],
            [[(a, b) for a, b, _ in segs[i]] for i in part],
            ft.max_length,
            ft.context_tokens,
        )
        batch, seg_rows = collate(wins, pad, [[q for _, _, q in segs[i]] for i in part])
        batch = {k: v.to(device) for k, v in batch.items()}
        with torch.autocast(device.type, dtype=amp or torch.float32, enabled=amp is not None):
            f, g = model.features(**batch)
        xf.append(f.float().cpu().numpy())
        xr.extend(part[w.row] for w in wins)
        if g is not None:
            sf.append(g.float().cpu().numpy())
            sr.extend((part[r], k) for r, k in seg_rows)
        if progress is not None:
            progress(len(part))
    x = np.concatenate(xf) if xf else np.zeros((0, 0), np.float32)
    xs = np.concatenate(sf) if sf else np.zeros((0, 0), np.float32)
    return x, xr, xs, sr


def _logreg_into(
    layer: torch.nn.Linear,
    x: np.ndarray,
    y: np.ndarray,
    m: np.ndarray,
    w: np.ndarray,
    c: float,
    seed: int,
) -> None:
    """One L2 logistic regression per output (class weights balanced, sample weights,
    rows where ``m`` is 0 left out) written into ``layer``; an output with one class only
    gets its log prior as bias. Each fit runs on one BLAS thread, as the frozen trainer's
    (:func:`annotate.training.frozen.fit_linear`): lbfgs's sums then run in one order
    whatever the machine's thread settings, so the same features give the same head."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    weight = np.zeros((layer.out_features, layer.in_features), np.float32)
    bias = np.zeros(layer.out_features, np.float32)
    for j in range(min(layer.out_features, y.shape[1])):
        k = m[:, j] > 0
        yy = y[k, j]
        if not k.any() or yy.min() == yy.max():
            prior = min(max(float(yy.mean()) if k.any() else 0.01, 1e-4), 1 - 1e-4)
            bias[j] = np.log(prior / (1 - prior))
            continue
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, random_state=seed)
        with threadpool_limits(limits=1, user_api="blas"):
            lr.fit(x[k], yy, sample_weight=w[k])
        weight[j] = lr.coef_[0]
        bias[j] = lr.intercept_[0]
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(weight))
        layer.bias.copy_(torch.from_numpy(bias))


def linear_probe(
    model: PairModel,
    tok: Any,
    rows: pd.DataFrame,
    cfg: TrainConfig,
    device: torch.device,
    amp: torch.dtype | None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Fit the category and span heads as logistic regressions on frozen features."""
    t0 = time.time()
    ft = cfg.finetune
    x, xr, xs, sr = _probe_features(model, tok, rows, ft, device, amp, progress)
    Y = label_matrix(rows)[xr]
    W = rows["weight"].to_numpy(np.float64)[xr]
    _logreg_into(model.cat_head, x, np.clip(Y, 0, 1), (Y >= 0), W, ft.probe_c, cfg.seed)
    n_seg = 0
    if len(sr):
        keep = [i for i, (r, _) in enumerate(sr) if rows["seg_y"].iloc[r] is not None]
        if keep:
            sy = np.stack([rows["seg_y"].iloc[sr[i][0]][sr[i][1]] for i in keep])
            sm = np.stack([rows["seg_m"].iloc[sr[i][0]][sr[i][1]] for i in keep])
            _logreg_into(
                model.span_head, xs[keep], sy, sm, np.ones(len(keep)), ft.probe_c, cfg.seed
            )
            n_seg = len(keep)
    return {"windows": len(x), "segments": n_seg, "seconds": round(time.time() - t0, 1)}


def fit(
    rows_train: pd.DataFrame,
    rows_valid: pd.DataFrame,
    cfg: TrainConfig,
    tax: Taxonomy,
    progress: Callable[[int], None] | None = None,
) -> FineTuned:
    """Fine-tune ``cfg.encoder`` on ``rows_train``; calibrate and choose thresholds on
    ``rows_valid``. Rows: see annotate.training.rows. On a GPU the kernels are made
    deterministic for the run (:func:`deterministic_kernels`), so one seed gives one
    model there too. Raises TrainingError on empty data."""
    from annotate.errors import TrainingError

    if len(rows_train) == 0:
        raise TrainingError("no training rows.", fix="give training data.")
    device = pick_device()
    with deterministic_kernels(device):
        return _fit(rows_train, rows_valid, cfg, tax, device, progress)


def _fit(
    rows_train: pd.DataFrame,
    rows_valid: pd.DataFrame,
    cfg: TrainConfig,
    tax: Taxonomy,
    device: torch.device,
    progress: Callable[[int], None] | None,
) -> FineTuned:
    ft = cfg.finetune
    if ft.max_train_rows and len(rows_train) > ft.max_train_rows:
        rows_train = rows_train.sample(n=ft.max_train_rows, random_state=cfg.seed)
    rows_train = rows_train.reset_index(drop=True)
    ftd = fine_tune(rows_train, cfg, tax, device, progress)
    if len(rows_valid):
        rows_valid = rows_valid.reset_index(drop=True)
        calibrate(ftd, rows_valid)
    return ftd


def fine_tune(
    rows_train: pd.DataFrame,
    cfg: TrainConfig,
    tax: Taxonomy,
    device: torch.device,
    progress: Callable[[int], None] | None = None,
) -> FineTuned:
    """``cfg.encoder`` fine-tuned on ``rows_train`` (indexed from 0), seeded with
    ``cfg.seed``: a :class:`FineTuned` not yet calibrated (thresholds 0.5).
    ``progress(n)`` (:mod:`annotate._util.progress`): ``n`` training rows the encoder
    just read, in the linear probe's pass over every row (``finetune.linear_probe``),
    then in each step; their total is told first (``add_total``)."""
    ft = cfg.finetune
    set_seed(cfg.seed)
    amp = autocast_dtype(device, cfg.precision)
    tok, enc = load_encoder(cfg.encoder)
    names = tax.category_names
    model = PairModel(enc, len(names), len(tax.span_names), dropout=ft.dropout)
    if ft.freeze_layers:
        for p in model.encoder.embeddings.parameters():
            p.requires_grad = False
        for layer in model.encoder.encoder.layer[: ft.freeze_layers]:
            for p in layer.parameters():
                p.requires_grad = False
    model.to(device)
    n_epochs = max(1, math.ceil(ft.epochs))
    plan = []
    for e in range(n_epochs):
        b = _batches(rows_train, ft.batch_size, cfg.seed, e)
        if e + 1 == n_epochs and ft.epochs < n_epochs:
            b = b[: max(1, int(len(b) * (ft.epochs - e)))]
        plan.extend(b)
    # the texts the encoder reads, said before the first: the probe's pass over every
    # training row (when on), then each step's batch
    add_total(progress, (len(rows_train) if ft.linear_probe else 0) + sum(map(len, plan)))
    probe_info = None
    if ft.linear_probe:
        log.info("linear probe: reading %d training rows with the frozen encoder", len(rows_train))
        probe_info = linear_probe(model, tok, rows_train, cfg, device, amp, progress)
        log.info("linear probe: %s", probe_info)
    Y = label_matrix(rows_train)
    known = (Y >= 0).astype(np.float32)
    pos = ((Y == 1) * known).sum(0)
    neg = ((Y == 0) * known).sum(0)
    pw = np.clip(neg / np.maximum(pos, 1), 1.0, ft.max_pos_weight).astype(np.float32)
    pos_weight = torch.from_numpy(pw).to(device)
    W = rows_train["weight"].to_numpy(np.float32)
    W = W / W.mean()
    head_params = [*model.cat_head.parameters(), *model.span_head.parameters()]
    head_ids = {id(p) for p in head_params}
    enc_params = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]
    opt = torch.optim.AdamW(
        [
            {"params": enc_params, "lr": ft.lr},
            {"params": head_params, "lr": ft.head_lr},
        ],
        weight_decay=ft.weight_decay,
    )
    total = len(plan)
    warm = max(1, int(ft.warmup * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    texts = rows_train["text"].to_list()
    ctxs = rows_train["context"].fillna("").to_list()
    segs = rows_train["seg"].to_list()
    seg_y = rows_train["seg_y"].to_list()
    seg_m = rows_train["seg_m"].to_list()
    pad = tok.pad_token_id or 0
    model.train()
    t0 = time.time()
    seen = 0
    losses = []
    for step, idx in enumerate(plan):
        wins = make_windows(
            tok,
            [texts[i] for i in idx],
            [ctxs[i] for i in idx],
            [[(a, b) for a, b, _ in segs[i]] for i in idx],
            ft.max_length,
            ft.context_tokens,
        )
        batch, seg_rows = collate(wins, pad, [[q for _, _, q in segs[i]] for i in idx])
        batch = {k: v.to(device) for k, v in batch.items()}
        with torch.autocast(device.type, dtype=amp or torch.float32, enabled=amp is not None):
            wl, sl = model(**batch)
        lg = pool_rows(wl.float(), [w.row for w in wins], len(idx))
        yb = torch.from_numpy(np.clip(Y[idx], 0, 1).astype(np.float32)).to(device)
        mb = torch.from_numpy(known[idx]).to(device)
        wb = torch.from_numpy(W[idx]).to(device)
        loss = _loss_cat(lg, yb, mb, wb, pos_weight)
        if sl is not None and ft.span_loss_weight > 0:
            sy = np.stack([seg_y[idx[r]][k] for r, k in seg_rows])
            sm = np.stack([seg_m[idx[r]][k] for r, k in seg_rows])
            if sm.sum() > 0:
                raw = torch.nn.functional.binary_cross_entropy_with_logits(
                    sl.float(), torch.from_numpy(sy).to(device), reduction="none"
                )
                smt = torch.from_numpy(sm).to(device)
                loss = loss + ft.span_loss_weight * (raw * smt).sum() / smt.sum()
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        seen += len(idx)
        losses.append(loss.item())
        if progress is not None:
            progress(len(idx))
        if step % 50 == 0:
            log.info(
                "step %d/%d loss %.4f (%.1f examples/s)",
                step,
                total,
                float(np.mean(losses[-50:])),
                seen / max(1e-6, time.time() - t0),
            )
    secs = time.time() - t0
    model.eval()
    ftd = FineTuned(model, tok, tax, cfg, device, amp)
    ftd.fit_info = {
        "train_rows": len(rows_train),
        "steps": total,
        "examples_seen": seen,
        "seconds": round(secs, 1),
        "examples_per_s": round(seen / max(secs, 1e-6), 2),
        "autocast": str(amp).replace("torch.", "") if amp else "fp32",
        "device": str(device),
        "pos_weight": [round(float(x), 3) for x in pw],
        "final_loss": round(float(np.mean(losses[-50:])), 4) if losses else None,
        "linear_probe": probe_info,
    }
    log.info("fine-tuned on %d rows in %.0f s (%s)", len(rows_train), secs, ftd.fit_info)
    return ftd


def calibrate(ftd: FineTuned, rows_valid: pd.DataFrame) -> None:
    """Per-label Platt + thresholds (and span Platt + thresholds) on validation rows."""
    lg, seg_lg = ftd.logits(rows_valid, with_spans=True)
    # the fine-tuned trainer leaves out target_domain_thresholds and balance_sources
    calibration, thresholds, rules, sources = fit_category_operating_points(
        lg, label_matrix(rows_valid), ftd.labels, ftd.tax, ftd.cfg.operating_point
    )
    ftd.calibration.update(calibration)
    ftd.thresholds.update(thresholds)
    ftd.rules.update(rules)
    ftd.threshold_sources.update(sources)
    # spans: every supervised candidate segment of the validation rows
    xs, ys, ms = [], [], []
    for i in range(len(rows_valid)):
        y = rows_valid["seg_y"].iloc[i]
        if y is None or not len(seg_lg[i]):
            continue
        xs.append(seg_lg[i])
        ys.append(y)
        ms.append(rows_valid["seg_m"].iloc[i])
    if not xs:
        ftd.span_info = {"trained": False, "reason": "no span-annotated validation rows"}
        return
    X, Ys, Ms = np.concatenate(xs), np.concatenate(ys), np.concatenate(ms)
    calibration, thresholds, per = fit_span_operating_points(
        X, Ys, Ms, ftd.span_labels, ftd.cfg.operating_point
    )
    ftd.span_calibration.update(calibration)
    ftd.span_thresholds.update(thresholds)
    ftd.span_info = {"trained": True, "n_validation_segments": len(X), "validation": per}


def span_proba(ftd: FineTuned, seg_logits: np.ndarray) -> np.ndarray:
    out = np.zeros_like(seg_logits)
    for j, n in enumerate(ftd.span_labels):
        out[:, j] = ftd.span_calibration[n](seg_logits[:, j])
    return out


__all__ = ["FineTuned", "calibrate", "fit", "label_matrix", "sigmoid", "span_proba"]
