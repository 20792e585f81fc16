"""The fine-tuned encoder read as a text pair (passage, context), shared by training and
the ``annotate.finetuned.v1`` backend.

Input of one passage: ``[CLS] passage window [SEP] context [SEP]`` where the context is
the document title and the neighbouring passages (at most ``context_tokens`` tokens). A
passage longer than the window is read in overlapping windows (stride half a window);
its category logits are the maximum over its windows, so nothing of a passage is ever
left unread. Evidence-span candidates (quotations, sentences) are scored from the same
forward pass: the mean of their token states beside the passage's, through a small
linear span head.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from annotate.classifier.encoder import length_order, token_lengths

log = logging.getLogger(__name__)

NEIGHBOUR_CHARS = 300  # each neighbouring passage contributes at most this many characters


def context_text(title: str | None, prev: str | None, nxt: str | None) -> str:
    """The second text of the pair: title, previous and next passage (clipped), or ""."""
    parts = []
    if title:
        parts.append(title.strip())
    if prev:
        parts.append(prev[-NEIGHBOUR_CHARS:].strip())
    if nxt:
        parts.append(nxt[:NEIGHBOUR_CHARS].strip())
    return " | ".join(p for p in parts if p)


def autocast_dtype(device: torch.device, precision: str) -> torch.dtype | None:
    """bf16 autocast where ``auto`` takes bf16 (:func:`annotate.classifier.device.auto_bf16`:
    a GPU with bf16, or a CPU with native bf16 measured clearly faster than fp32; flags
    read, never assumed), else None (fp32). ``precision``: auto, fp32 or bf16 (bf16
    forced)."""
    from annotate.classifier.device import auto_bf16

    if precision == "fp32":
        return None
    if precision == "bf16":
        return torch.bfloat16
    return torch.bfloat16 if auto_bf16(device)[0] else None


class PairModel(nn.Module):
    """Encoder + category head over [passage mean, all-token mean] + span head over
    [segment mean, passage mean, quoted flag]."""

    def __init__(self, encoder: nn.Module, n_labels: int, n_spans: int, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        h = int(encoder.config.hidden_size)
        self.dropout = nn.Dropout(dropout)
        self.cat_head = nn.Linear(2 * h, n_labels)
        self.span_head = nn.Linear(2 * h + 1, max(n_spans, 1))
        self.n_spans = n_spans

    def features(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor | None,
        passage_mask: torch.Tensor,
        seg_window: torch.Tensor | None = None,
        seg_mask: torch.Tensor | None = None,
        seg_quoted: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Window features [L2(passage mean), L2(all-token mean)] (n_windows, 2h) and
        segment features [L2(segment mean), L2(passage mean), quoted] (n_segs, 2h + 1):
        the sentence-transformers embedding (mean pooling + L2) of each part."""
        kw = {"input_ids": input_ids, "attention_mask": attention_mask}
        if token_type_ids is not None:
            kw["token_type_ids"] = token_type_ids
        hidden = self.encoder(**kw).last_hidden_state.float()
        norm = torch.nn.functional.normalize
        am = attention_mask.unsqueeze(-1).float()
        pm = passage_mask.unsqueeze(-1).float()
        all_mean = norm((hidden * am).sum(1) / am.sum(1).clamp(min=1), dim=-1)
        p_mean = norm((hidden * pm).sum(1) / pm.sum(1).clamp(min=1), dim=-1)
        feats = torch.cat([p_mean, all_mean], -1)
        seg_feats = None
        if seg_window is not None and seg_mask is not None and len(seg_window):
            hs = hidden[seg_window]  # (S, L, H)
            sm = seg_mask.unsqueeze(-1).float()
            s_mean = norm((hs * sm).sum(1) / sm.sum(1).clamp(min=1), dim=-1)
            q = seg_quoted.float().unsqueeze(-1)
            seg_feats = torch.cat([s_mean, p_mean[seg_window], q], -1)
        return feats, seg_feats

    def forward(self, **batch: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Window logits (n_windows, n_labels) and segment logits (n_segs, n_spans)."""
        feats, seg_feats = self.features(**batch)
        logits = self.cat_head(self.dropout(feats))
        seg_logits = self.span_head(self.dropout(seg_feats)) if seg_feats is not None else None
        return logits, seg_logits


@dataclass
class Window:
    row: int  # index of the passage in the batch given to ``make_windows``
    ids: list[int]
    type_ids: list[int]
    p_start: int  # first passage token position
    p_len: int
    # segments read in this window: (segment index in the passage, first token, end token)
    segs: list[tuple[int, int, int]] = field(default_factory=list)


def special_template(tokenizer) -> tuple[tuple, tuple]:
    """The special tokens (and token type ids) a tokenizer puts around one text and
    around a pair, read from encoding one-token texts: works for BERT- and RoBERTa-style
    templates alike."""
    cached = getattr(tokenizer, "_annotate_template", None)
    if cached is not None:
        return cached
    a = tokenizer("a", add_special_tokens=False)["input_ids"]
    b = tokenizer("b", add_special_tokens=False)["input_ids"]
    enc = tokenizer("a", "b", return_special_tokens_mask=True, return_token_type_ids=True)
    ids, tt, sp = enc["input_ids"], enc["token_type_ids"], enc["special_tokens_mask"]
    body = [i for i, m in enumerate(sp) if not m]
    if len(a) != 1 or len(b) != 1 or len(body) != 2:
        raise ValueError("unsupported tokenizer template")
    ia, ib = body
    pair = (
        (ids[:ia], ids[ia + 1 : ib], ids[ib + 1 :]),
        (tt[:ia], tt[ia], tt[ia + 1 : ib], tt[ib], tt[ib + 1 :]),
    )
    enc1 = tokenizer("a", return_special_tokens_mask=True, return_token_type_ids=True)
    ids1, tt1, sp1 = enc1["input_ids"], enc1["token_type_ids"], enc1["special_tokens_mask"]
    j = sp1.index(0)
    single = ((ids1[:j], ids1[j + 1 :]), (tt1[:j], tt1[j], tt1[j + 1 :]))
    tokenizer._annotate_template = (pair, single)
    return pair, single


def make_windows(
    tokenizer,
    texts: Sequence[str],
    contexts: Sequence[str],
    segments: Sequence[Sequence[tuple[int, int]]] | None,
    max_length: int,
    context_tokens: int,
) -> list[Window]:
    """Windows of every passage (in order); each segment goes to the first window that
    holds its first token (its tokens clipped to that window)."""
    p_enc = tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True)
    c_enc = tokenizer(list(contexts), add_special_tokens=False)
    pair, single = special_template(tokenizer)
    n_special = sum(len(x) for x in pair[0])
    out: list[Window] = []
    for i in range(len(texts)):
        pid = p_enc["input_ids"][i]
        offs = p_enc["offset_mapping"][i]
        cid = c_enc["input_ids"][i][:context_tokens] if contexts[i] else []
        width = max(8, max_length - n_special - len(cid))
        starts = [0]
        stride = max(1, width // 2)
        while starts[-1] + width < len(pid):
            starts.append(starts[-1] + stride)
        ends_char = [b for _, b in offs]
        seg_first = []
        for a, b in segments[i] if segments is not None else []:
            t0 = bisect.bisect_right(ends_char, a)  # first token ending after a
            t1 = bisect.bisect_left([x for x, _ in offs], b)  # tokens starting before b
            seg_first.append((t0, max(t1, t0 + 1)))
        assigned = set()
        for s in starts:
            win = pid[s : s + width]
            if cid:
                (pre, mid, post), (tp, ta, tm, tb, tq) = pair
                ids = [*pre, *win, *mid, *cid, *post]
                tt = [*tp, *[ta] * len(win), *tm, *[tb] * len(cid), *tq]
            else:
                (pre, post), (tp, ta, tq) = single
                ids = [*pre, *win, *post]
                tt = [*tp, *[ta] * len(win), *tq]
            w = Window(i, ids, tt, len(pre), len(win))
            for k, (t0, t1) in enumerate(seg_first):
                if k in assigned or not (s <= t0 < s + width) or t0 >= len(pid):
                    continue
                assigned.add(k)
                w.segs.append((k, w.p_start + t0 - s, w.p_start + min(t1, s + width) - s))
            out.append(w)
    return out


def collate(windows: Sequence[Window], pad_id: int, quoted: Sequence[Sequence[bool]] | None):
    """Tensors for ``PairModel.forward`` and, per segment, (row, segment index)."""
    n = len(windows)
    L = max(len(w.ids) for w in windows)
    ids = torch.full((n, L), pad_id, dtype=torch.long)
    tt = torch.zeros((n, L), dtype=torch.long)
    am = torch.zeros((n, L), dtype=torch.long)
    pm = torch.zeros((n, L), dtype=torch.long)
    seg_w, seg_rows, seg_q = [], [], []
    seg_spans = []
    for j, w in enumerate(windows):
        ids[j, : len(w.ids)] = torch.tensor(w.ids)
        tt[j, : len(w.type_ids)] = torch.tensor(w.type_ids)
        am[j, : len(w.ids)] = 1
        pm[j, w.p_start : w.p_start + w.p_len] = 1
        for k, a, b in w.segs:
            seg_w.append(j)
            seg_rows.append((w.row, k))
            seg_q.append(bool(quoted[w.row][k]) if quoted is not None else False)
            seg_spans.append((a, b))
    sm = torch.zeros((len(seg_w), L), dtype=torch.long)
    for s, (a, b) in enumerate(seg_spans):
        sm[s, a:b] = 1
    batch = {
        "input_ids": ids,
        "attention_mask": am,
        "token_type_ids": tt,
        "passage_mask": pm,
        "seg_window": torch.tensor(seg_w, dtype=torch.long),
        "seg_mask": sm,
        "seg_quoted": torch.tensor(seg_q, dtype=torch.bool),
    }
    return batch, seg_rows


def pool_rows(window_logits: torch.Tensor, rows: Sequence[int], n_rows: int) -> torch.Tensor:
    """Max over the windows of each row: (n_windows, k) -> (n_rows, k)."""
    idx = torch.tensor(rows, dtype=torch.long, device=window_logits.device)
    out = torch.full(
        (n_rows, window_logits.shape[1]), -1e4, dtype=window_logits.dtype, device=idx.device
    )
    return out.scatter_reduce(0, idx[:, None].expand_as(window_logits), window_logits, "amax")


@torch.inference_mode()
def predict_logits(
    model: PairModel,
    tokenizer,
    texts: Sequence[str],
    contexts: Sequence[str],
    segments: Sequence[Sequence[tuple[int, int, bool]]] | None,
    *,
    max_length: int,
    context_tokens: int,
    batch_size: int = 32,
    device: torch.device | None = None,
    amp: torch.dtype | None = None,
    progress=None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Category logits (n, n_labels) and per passage the segment logits (n_segs, n_spans).

    Passages are sorted by length and batched with dynamic padding."""
    device = device or torch.device("cpu")
    model.eval()
    n = len(texts)
    n_lab = model.cat_head.out_features
    n_sp = model.span_head.out_features
    logits = np.zeros((n, n_lab), np.float32)
    seg_out = [
        np.full((len(segments[i]) if segments else 0, n_sp), -20.0, np.float32) for i in range(n)
    ]
    lengths = token_lengths(tokenizer, texts, max_length)
    c_lengths = token_lengths(tokenizer, contexts, context_tokens)
    order = length_order([a + b for a, b in zip(lengths, c_lengths, strict=True)])
    pad = tokenizer.pad_token_id or 0
    # one autocast context for all batches: the weights are cast to bf16 once per call
    with torch.autocast(device.type, dtype=amp or torch.float32, enabled=amp is not None):
        for s in range(0, n, batch_size):
            part = order[s : s + batch_size]
            segs = [[(a, b) for a, b, _ in segments[i]] for i in part] if segments else None
            quoted = [[q for _, _, q in segments[i]] for i in part] if segments else None
            wins = make_windows(
                tokenizer,
                [texts[i] for i in part],
                [contexts[i] for i in part],
                segs,
                max_length,
                context_tokens,
            )
            batch, seg_rows = collate(wins, pad, quoted)
            batch = {k: v.to(device) for k, v in batch.items()}
            wl, sl = model(**batch)
            rl = pool_rows(wl.float(), [w.row for w in wins], len(part)).cpu().numpy()
            for j, i in enumerate(part):
                logits[i] = rl[j]
            if sl is not None:
                sl_np = sl.float().cpu().numpy()
                for (r, k), v in zip(seg_rows, sl_np, strict=True):
                    seg_out[part[r]][k] = v
            if progress is not None:
                progress(len(part))
    return logits, seg_out
