"""Fitting small MLP heads on fixed features: masked, weighted BCE, early stopping,
seeded ensembles."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch

from annotate.classifier.head import MLPHead, round_to_fp16
from annotate.training.config import TrainConfig


@contextmanager
def deterministic_algorithms() -> Iterator[None]:
    """Run the block with ``torch.use_deterministic_algorithms(True, warn_only=True)`` (an
    op with no deterministic version warns instead of failing); the previous setting
    (process-wide) comes back afterwards, on an exception too. Raises nothing."""
    was = (
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
    )
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(was[0], warn_only=was[1])


@contextmanager
def seed_deterministic(seed: int) -> Iterator[None]:
    """Seed Python's, NumPy's and torch's generators (CPU and every CUDA device) with
    ``seed`` and run the block under :func:`deterministic_algorithms` (the previous
    setting comes back afterwards, as in
    :func:`annotate.training.finetune.deterministic_kernels`). Used around each head fit
    and around a frozen-encoder training run. Raises nothing for an int ``seed``."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    with deterministic_algorithms():
        yield


def fit_settings(cfg: TrainConfig, device: torch.device) -> dict[str, Any]:
    """The keyword arguments of :func:`fit_ensemble` (and :func:`fit_head`, but for
    ``members``) that the category head and the span head share: ``dropout``, ``lr``,
    ``weight_decay``, ``batch_size``, ``patience``, ``max_pos_weight`` and ``members``
    from ``cfg.head``, ``seed`` from ``cfg.seed``, and ``device``. The sizes (``hidden``,
    ``epochs``) differ between the heads and are left to the caller."""
    hc = cfg.head
    return {
        "dropout": hc.dropout,
        "lr": hc.lr,
        "weight_decay": hc.weight_decay,
        "batch_size": hc.batch_size,
        "patience": hc.patience,
        "max_pos_weight": hc.max_pos_weight,
        "seed": cfg.seed,
        "device": device,
        "members": hc.members,
    }


def fit_ensemble(*args: Any, members: int = 1, seed: int = 0, **kw: Any) -> tuple[MLPHead, dict]:
    """``members`` heads trained with consecutive seeds, merged into one MLPHead."""
    heads, infos = [], []
    for k in range(members):
        h, info = fit_head(*args, seed=seed + k, **kw)
        heads.append(h)
        infos.append(info)
    if members == 1:
        return round_to_fp16(heads[0]), infos[0]
    first = heads[0]
    n_in = first.mean.numel()
    n_out = first.members[0][-1].out_features
    ens = MLPHead(n_in, n_out, hidden=kw["hidden"], dropout=kw["dropout"], members=members)
    ens.mean.copy_(first.mean)
    ens.std.copy_(first.std)
    for k, h in enumerate(heads):
        ens.members[k].load_state_dict(h.members[0].state_dict())
    ens.eval()
    round_to_fp16(ens)
    return ens, {
        "members": members,
        "epochs_run": [i["epochs_run"] for i in infos],
        "best_val_loss": [i["best_val_loss"] for i in infos],
        "pos_weight": infos[0]["pos_weight"],
    }


def fit_head(
    x_tr: np.ndarray,
    y_tr: np.ndarray,
    m_tr: np.ndarray,
    w_tr: np.ndarray,
    x_va: np.ndarray,
    y_va: np.ndarray,
    m_va: np.ndarray,
    *,
    hidden: int,
    dropout: float,
    epochs: int,
    lr: float,
    weight_decay: float,
    batch_size: int,
    patience: int,
    max_pos_weight: float,
    seed: int,
    device: torch.device,
) -> tuple[MLPHead, dict[str, Any]]:
    """Masked, weighted BCE with per-label pos_weight; early stopping on validation loss."""
    with seed_deterministic(seed):
        n_in, n_out = x_tr.shape[1], y_tr.shape[1]
        head = MLPHead(n_in, n_out, hidden=hidden, dropout=dropout)
        mean = x_tr.mean(0)
        std = x_tr.std(0) + 1e-4
        head.mean.copy_(torch.from_numpy(mean))
        head.std.copy_(torch.from_numpy(std))
        head.to(device)
        pos = (y_tr * m_tr).sum(0)
        neg = ((1 - y_tr) * m_tr).sum(0)
        pw = np.clip(neg / np.maximum(pos, 1), 1.0, max_pos_weight).astype(np.float32)
        pos_weight = torch.from_numpy(pw).to(device)
        opt = torch.optim.AdamW(head.parameters(), lr=lr, weight_decay=weight_decay)
        X = torch.from_numpy(x_tr).to(device)
        Y = torch.from_numpy(y_tr).to(device)
        M = torch.from_numpy(m_tr).to(device)
        W = torch.from_numpy(w_tr.astype(np.float32)).to(device)
        Xv = torch.from_numpy(x_va).to(device)
        Yv = torch.from_numpy(y_va).to(device)
        Mv = torch.from_numpy(m_va).to(device)
        gen = torch.Generator().manual_seed(seed)

        def loss_fn(logits, y, m, w=None):
            # per label: weighted mean over the rows that supervise it; then the mean over
            # labels, so a label known only to a small source is not drowned out
            raw = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, y, pos_weight=pos_weight, reduction="none"
            )
            mw = m if w is None else m * w[:, None]
            denom = mw.sum(0)
            present = denom > 0
            per_label = (raw * mw).sum(0)[present] / denom[present]
            return per_label.mean() if present.any() else raw.sum() * 0

        best, best_state, bad, history = float("inf"), None, 0, []
        for _ in range(epochs):
            head.train()
            perm = torch.randperm(len(X), generator=gen).to(device)
            for s in range(0, len(X), batch_size):
                idx = perm[s : s + batch_size]
                opt.zero_grad()
                loss = loss_fn(head(X[idx]), Y[idx], M[idx], W[idx])
                loss.backward()
                opt.step()
            head.eval()
            with torch.no_grad():
                vl = float(loss_fn(head(Xv), Yv, Mv)) if len(Xv) else 0.0
            history.append(round(vl, 5))
            if vl < best - 1e-4:
                best, bad = vl, 0
                best_state = {k: v.detach().clone() for k, v in head.state_dict().items()}
            else:
                bad += 1
                if bad >= patience:
                    break
        if best_state is not None:
            head.load_state_dict(best_state)
    head.to("cpu").eval()
    return head, {
        "epochs_run": len(history),
        "best_val_loss": round(best, 5),
        "pos_weight": pw.tolist(),
    }
