"""Pre-label throughput against the machine's own matmul roofline and transformers.pipeline.

One run measures, per instruction-set configuration (``native``, and ``avx2``: an
AVX2-only machine emulated on this one), each in its own process:

1. **Matmul rate** of ``torch.matmul`` at the model's GEMM shapes -- (T, h) x (h, h),
   (T, h) x (h, f) and (T, f) x (f, h) with T the tokens of one batch (batch size x
   mean tokens read) -- weighted by their FLOPs, in fp32 and, where the CPU runs it
   natively, bf16; same torch threads as prelabel. Measured before the engines (T =
   32 x 80, in its own process) and after them (T from the run); their mean is the
   roofline rate.
2. **FLOPs per passage**, counted on the tokens the model really reads (a forward
   pre-hook on every BERT-style encoder reads each batch's attention mask: padding
   is not counted, context tokens and extra windows are). For an encoder with
   ``num_hidden_layers`` N, ``hidden_size`` h and ``intermediate_size`` f reading a
   sequence of n tokens (a multiply-add = 2 FLOPs)::

       FLOPs(n) = N * (2n(4h^2 + 2hf) + 4n^2 h)

   Q, K, V and output projections 4 * 2nh^2, feed-forward 2 * 2nhf, attention scores
   QK^T 2n^2h and weighted values 2n^2h (all heads together). Source: Kaplan et al.
   2020, "Scaling Laws for Neural Language Models", section 2.1 / table 1
   (C_forward = 2N + 2 n_layer n_ctx d_attn per token). Embeddings, LayerNorm, GELU,
   softmax, pooling and heads are not counted. MiniLM-L6 (N=6, h=384, f=1536):
   ~21.2 MFLOP per token + attention.
3. **Passages/s** of annotate's engines on the same passages: the default model
   (``models/default``, whatever its kind) at ``auto`` and ``fp32``; the frozen
   encoder (``Encoder.encode``, the path of the encoder-head and frozen-linear kinds)
   at fp32, bf16 (where native), onnx-int8, openvino-fp32 and openvino-bf16 (where
   native; the default model too), and ONNX Runtime fp32 with its BERT graph fusions
   (measured only, not an annotate engine); a bare BertForSequenceClassification
   (bench_prelabel's model) at fp32 and auto, against ``transformers.pipeline`` on it.
   Roofline fraction = (FLOPs read / seconds) / matmul rate of the engine's precision
   (int8 is set against the fp32 and the best native rate: it may go beyond 1); and the
   whole ``prelabel()`` call (read a JSONL file, group documents, predict, write) with
   the default model. Passages are project-written (data/project), shuffled with a fixed
   seed; the default 2,048 is what prelabel predicts at a time (sorting pads less in a
   larger pool: ~4 % padding at 2,048, ~16 % at 256).

Timing: wall clock, and process CPU time (robust when the shared machine is busy:
other jobs slow the wall clock, not the CPU seconds we get; it counts spinning
OpenMP threads too). Both clocks give their own fraction. AVX2 emulation sets
``ONEDNN_MAX_CPU_ISA=AVX2`` (oneDNN: bf16 matmuls), ``MKL_ENABLE_INSTRUCTIONS=AVX2``
(MKL: fp32 GEMM) and ``ATEN_CPU_CAPABILITY=avx2`` (torch's own vectorised kernels);
the run checks that the rates really dropped.

Run: ``.venv/bin/python benchmarks/bench_roofline.py [--n 256] [--configs native avx2]
[--model DIR]`` (``--model``: another model directory in the default model's rows, e.g. one
trained at ``precision: onnx-int8``; it also gets an ``auto`` row where the CPU has no
native bf16, since such a model runs int8 at ``auto``).
Writes benchmarks/.work/roofline.json (``--json PATH``: elsewhere) and prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

CONFIGS: dict[str, dict[str, str]] = {
    "native": {},
    "avx2": {
        "ONEDNN_MAX_CPU_ISA": "AVX2",
        "MKL_ENABLE_INSTRUCTIONS": "AVX2",
        "ATEN_CPU_CAPABILITY": "avx2",
    },
}


def encoder_flops(n_tokens: int, layers: int, hidden: int, inter: int) -> float:
    """Forward FLOPs of a BERT-style encoder on one sequence of ``n_tokens`` (module doc)."""
    n, h, f = n_tokens, hidden, inter
    return float(layers * (2 * n * (4 * h * h + 2 * h * f) + 4 * n * n * h))


class FlopCounter:
    """Counts the FLOPs and tokens every BERT-style encoder under ``roots`` reads."""

    def __init__(self, roots: list[Any]) -> None:
        import torch

        self.flops = 0.0
        self.tokens = 0
        self.padded = 0
        self.sequences = 0
        self.padding_seen = True
        self.handles = []
        seen: set[int] = set()
        for root in roots:
            if not isinstance(root, torch.nn.Module):
                continue
            for m in root.modules():
                cfg = getattr(m, "config", None)
                if id(m) in seen or not hasattr(m, "embeddings") or cfg is None:
                    continue
                if not hasattr(cfg, "num_hidden_layers"):
                    continue
                seen.add(id(m))
                shape = (cfg.num_hidden_layers, cfg.hidden_size, cfg.intermediate_size)
                self.handles.append(
                    m.register_forward_pre_hook(self._hook(shape), with_kwargs=True)
                )

    def _hook(self, shape: tuple[int, int, int]) -> Callable:
        def hook(module, args, kwargs):
            mask = kwargs.get("attention_mask")
            ids = kwargs.get("input_ids", args[0] if args else None)
            if mask is None and ids is not None:
                lengths = [ids.shape[1]] * ids.shape[0]
                padded = ids.numel()
            elif mask is not None:
                lengths = mask.sum(1).tolist()
                padded = mask.numel()
            else:
                return
            self.tokens += int(sum(lengths))
            self.padded += int(padded)
            self.sequences += len(lengths)
            self.flops += sum(encoder_flops(int(n), *shape) for n in lengths)

        return hook

    def add_sequences(self, lengths: list[int], shape: tuple[int, int, int]) -> None:
        """For engines outside torch (ONNX Runtime, OpenVINO): count sequences of known
        length (their padding is not seen: the table shows "-")."""
        self.tokens += sum(lengths)
        self.padded += sum(lengths)
        self.padding_seen = False
        self.sequences += len(lengths)
        self.flops += sum(encoder_flops(n, *shape) for n in lengths)

    def remove(self) -> None:
        for h in self.handles:
            h.remove()


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def since(t0: tuple[float, float]) -> tuple[float, float]:
    w, c = clocks()
    return w - t0[0], c - t0[1]


def matmul_rate(dtype_name: str, tokens: int, hidden: int, inter: int, seconds: float) -> dict:
    """GFLOP/s (wall, cpu) of torch.matmul at the encoder's three GEMM shapes, weighted
    by FLOPs (the total over the shapes divided by the total time)."""
    import torch

    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16}[dtype_name]
    shapes = [(tokens, hidden, hidden), (tokens, hidden, inter), (tokens, inter, hidden)]
    # a layer has 4 (h, h) GEMMs, one (h, f) and one (f, h): weigh the shapes alike
    weights = [4, 1, 1]
    total_flops = 0.0
    wall = cpu = 0.0
    per_shape = seconds / len(shapes)
    for (m, k, n), w in zip(shapes, weights, strict=True):
        a = torch.randn(m, k).to(dtype)
        b = torch.randn(k, n).to(dtype)
        torch.matmul(a, b)  # warm (oneDNN/MKL kernel selection)
        reps = 0
        t0 = clocks()
        while True:
            torch.matmul(a, b)
            reps += 1
            dw, dc = since(t0)
            if dw >= per_shape and reps >= 2:
                break
        f = 2.0 * m * k * n * reps
        # weigh: this shape's time counts w times, as in one layer
        total_flops += w * f
        wall += w * dw
        cpu += w * dc
    return {"wall_gflops": total_flops / wall / 1e9, "cpu_gflops": total_flops / cpu / 1e9}


def project_rows() -> list[dict]:
    """Every project-written passage (data/project), in file order."""
    rows: list[dict] = []
    for p in sorted((ROOT / "data" / "project").glob("*.jsonl")):
        rows += [
            json.loads(line) | {"_file": p.stem} for line in p.read_text().splitlines() if line
        ]
    return rows


def joined_passages(rows: list[dict], tokens: int, tokenizer: Any) -> list[str]:
    """Passages of about ``tokens`` tokens (the encoder's tokenizer, special tokens
    included): consecutive passages of one document (``passage_index`` order) joined with
    a space while that brings the count closer to ``tokens``; pieces under two thirds of
    ``tokens`` (short documents, a document's tail) are left out. On data/project at 89:
    726 passages, mean 88 tokens. Built from the project's own data, never from seeds or
    shared data."""
    docs: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        docs.setdefault((r["_file"], r["doc_id"]), []).append(r)
    out: list[str] = []
    for key in sorted(docs):
        parts = [r["text"] for r in sorted(docs[key], key=lambda r: r["passage_index"])]
        lengths = [len(x) - 2 for x in tokenizer(parts)["input_ids"]]  # without CLS/SEP
        pieces: list[tuple[list[str], int]] = []
        cur: list[str] = []
        n = 2
        for text, k in zip(parts, lengths, strict=True):
            if cur and abs(n + k - tokens) > abs(n - tokens):
                pieces.append((cur, n))
                cur, n = [], 2
            cur.append(text)
            n += k
        pieces.append((cur, n))
        out += [" ".join(c) for c, k in pieces if c and 3 * k >= 2 * tokens]
    return out


def texts_and_inputs(n: int, tokens: int = 0):
    """Project-written passages (data/project), shuffled with a fixed seed, grouped 4 to a
    document, cycled to n. ``tokens`` > 0: passages of about that many tokens instead,
    joined from consecutive passages of a document (:func:`joined_passages`)."""
    from annotate.classifier import PassageInput

    rows = project_rows()
    if tokens:
        from transformers import AutoTokenizer

        from annotate.classifier.encoder import PACKAGED_ENCODER, resolve_encoder_ref

        tok = AutoTokenizer.from_pretrained(resolve_encoder_ref(PACKAGED_ENCODER))
        texts = joined_passages(rows, tokens, tok)
    else:
        texts = [r["text"] for r in rows]
    random.Random(0).shuffle(texts)  # a fixed mix of every file
    texts = [texts[i % len(texts)] for i in range(n)]
    inputs = [
        PassageInput(id=f"p{i}", text=t, doc_id=f"d{i // 4}", passage_index=i % 4)
        for i, t in enumerate(texts)
    ]
    return texts, inputs


def timed_engine(name: str, precision: str, roots: list[Any], run: Callable[[], Any]) -> dict:
    """Run ``run`` once to warm, then once timed with FLOPs counted."""
    run_warm = getattr(run, "warm", None)
    if run_warm is not None:
        run_warm()
    counter = FlopCounter(roots)
    t0 = clocks()
    out = run()
    wall, cpu = since(t0)
    counter.remove()
    if getattr(run, "onnx_lengths", None) is not None:
        counter.add_sequences(*run.onnx_lengths())
    return {
        "engine": name,
        "precision": precision,
        "wall_s": wall,
        "cpu_s": cpu,
        "gflop": counter.flops / 1e9,
        "tokens": counter.tokens,
        "padded_tokens": counter.padded,
        "sequences": counter.sequences,
        "padding_seen": counter.padding_seen,
        "_out": out,
    }


def count_lengths(enc: Any) -> list[int]:
    """Wrap ``enc._hidden`` (an :class:`Encoder`) to record the token count of every
    sequence it reads (from the attention mask): the FLOPs of engines outside torch
    (ONNX Runtime, OpenVINO), whose batches no forward hook sees. Returns the list it
    appends to."""
    seen: list[int] = []
    inner = enc._hidden

    def hidden(batch, precision):
        seen.extend(int(x) for x in batch["attention_mask"].sum(1).tolist())
        return inner(batch, precision)

    enc._hidden = hidden
    return seen


def outside_torch(run: Callable[[], Any], clf: Any, warm: Callable[[], Any], shape) -> None:
    """For a classifier whose encoder runs outside torch: count what it reads in the timed
    run (the warm-up's sequences dropped) via :func:`count_lengths`."""
    enc = getattr(clf, "encoder", None)
    if enc is None or getattr(enc, "precision", "fp32") in ("fp32", "bf16"):
        return
    seen = count_lengths(enc)

    def warm_and_reset():
        warm()
        seen.clear()

    run.warm = warm_and_reset  # type: ignore[attr-defined]
    run.onnx_lengths = lambda: (list(seen), shape)  # type: ignore[attr-defined]


def base_name(engine: str) -> str:
    """An engine row's eager torch twin: the name without ", compiled"/", OpenVINO"."""
    return engine.removesuffix(", compiled").removesuffix(", OpenVINO")


def ort_fused_encoder():
    """Measured only, not an annotate engine: the frozen encoder's fp32 ONNX export
    (annotate's cached one) through ONNX Runtime's transformer optimizer
    (``optimize_model(model_type="bert")``: SkipLayerNorm, BiasGelu, and fused attention
    where it recognises the pattern) in one ONNX Runtime session."""
    import onnxruntime as ort
    import torch
    from onnxruntime.transformers.optimizer import optimize_model

    from annotate.classifier.encoder import Encoder, resolve_encoder_ref
    from annotate.classifier.onnx_export import cached_onnx

    os.environ["ANNOTATE_PACK_LINEAR"] = "0"  # export the plain nn.Linear model
    enc = Encoder(precision="fp32", batch_size=32)
    os.environ.pop("ANNOTATE_PACK_LINEAR")
    src = Path(resolve_encoder_ref(enc.ref))
    path, _ = cached_onnx(enc.model, enc.tokenizer, enc.ref, src)
    fused = path.with_name("encoder.ort-bert.onnx")
    cfg = enc.model.config
    opt = optimize_model(
        str(path), "bert", num_heads=cfg.num_attention_heads, hidden_size=cfg.hidden_size
    )
    stats = {k: v for k, v in opt.get_fused_operator_statistics().items() if v}
    opt.save_model_to_file(str(fused))
    so = ort.SessionOptions()
    so.intra_op_num_threads = torch.get_num_threads()
    sess = ort.InferenceSession(str(fused), so, providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]

    def hidden(batch, precision):
        out = sess.run(None, {n: batch[n] for n in names})[0]
        return torch.from_numpy(out).float()

    enc._hidden = hidden  # type: ignore[method-assign]
    enc.tag = "ort-fp32-fused"  # type: ignore[attr-defined]
    enc.fusions = stats  # type: ignore[attr-defined]
    return enc


SKIPPABLE = ("onnx-int8", "ort", "openvino", "prelabel", "seqcls", "pipeline")


def child(config: str, args: argparse.Namespace) -> dict:
    """All measurements of one configuration (runs in its own process); ``args``: n,
    pipeline_n, rate_seconds, no_compile, tokens (0: passages as written), batch_size,
    skip (names of :data:`SKIPPABLE` engine groups)."""
    import numpy as np
    import torch
    from _machine import cpu_flags, isa_caps, load_average

    from annotate.classifier import load_classifier
    from annotate.classifier.device import cpu_has_bf16
    from annotate.classifier.encoder import Encoder, token_lengths
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    n, pipeline_n, rate_seconds = args.n, args.pipeline_n, args.rate_seconds
    compile_rows, skip, bs_enc = not args.no_compile, set(args.skip), args.batch_size
    texts, inputs = texts_and_inputs(n, args.tokens)
    bf16 = cpu_has_bf16()
    res: dict[str, Any] = {
        "config": config,
        "isa_caps": isa_caps(),
        "cpu_flags": cpu_flags(),
        "aten_capability": torch.backends.cpu.get_cpu_capability(),
        "native_bf16": bf16,
        "threads": torch.get_num_threads(),
        "load_before": load_average(),
        "n": n,
        "tokens_target": args.tokens,
        "batch_size": bs_enc,
        "skip": sorted(skip),
    }
    precisions = ["fp32", "bf16"] if bf16 else ["fp32"]
    engines: list[dict] = []

    # the frozen encoder (encoder-head / frozen-linear kinds)
    openvino = ["openvino-fp32", "openvino-bf16"] if bf16 else ["openvino-fp32"]
    enc_precisions = [*precisions, "onnx-int8", "ort-fp32-fused", *openvino]
    enc_precisions = [
        p
        for p in enc_precisions
        if not (
            ("onnx-int8" in skip and p == "onnx-int8")
            or ("ort" in skip and p.startswith("ort"))
            or ("openvino" in skip and p.startswith("openvino"))
        )
    ]
    enc_shape = None
    # A/B in the same process: torch rows once more with ANNOTATE_PACK_LINEAR=0
    enc_runs = [(p, "encoder") for p in enc_precisions]
    enc_runs += [(p, "encoder, nn.Linear") for p in precisions]
    for p, name in enc_runs:
        try:
            if p == "ort-fp32-fused":  # measured only: ONNX Runtime with its BERT fusions
                enc = ort_fused_encoder()
            else:
                os.environ["ANNOTATE_PACK_LINEAR"] = "0" if name.endswith("nn.Linear") else "1"
                enc = Encoder(precision=p, batch_size=bs_enc)
                os.environ.pop("ANNOTATE_PACK_LINEAR")
        except Exception as exc:  # onnxruntime/openvino missing: say so, go on
            engines.append({"engine": name, "precision": p, "error": str(exc)[:200]})
            continue
        cfg = enc.model.config
        enc_shape = (cfg.num_hidden_layers, cfg.hidden_size, cfg.intermediate_size)

        def run(enc=enc):
            return enc.encode(texts).embeddings

        run.warm = lambda enc=enc: enc.encode(texts[:32])  # type: ignore[attr-defined]
        if p not in ("fp32", "bf16"):  # outside torch: no hook sees the batches
            lengths = token_lengths(enc.tokenizer, texts, enc.max_length)
            run.onnx_lengths = lambda lengths=lengths, s=enc_shape: (lengths, s)  # type: ignore[attr-defined]
        engines.append(timed_engine(name, getattr(enc, "tag", enc.precision), [enc.model], run))
        if getattr(enc, "fusions", None):
            engines[-1]["fusions"] = enc.fusions

    # the default model, whatever its kind; "compiled": ANNOTATE_COMPILE=1 (torch.compile)
    compiled_clf = None
    model_dir = Path(args.model) if args.model else None
    res["model"] = str(model_dir) if model_dir else "models/default"
    runs = [("auto", False), ("fp32", False)] if bf16 or model_dir else [("fp32", False)]
    if bf16:  # a model calibrated at fp32 runs fp32 at auto: its bf16 rows too
        runs.append(("bf16", False))
    if args.model_precision:  # e.g. onnx-int8: the model's rows at that precision too
        runs.append((args.model_precision, False))
    if "openvino" not in skip:  # the opt-in OpenVINO engine at its best precision
        runs.append((openvino[-1], False))
    if compile_rows:
        runs.append(("auto", True))
    for p, comp in runs:
        if (
            p == "bf16"
            and not comp
            and any(
                e["engine"].startswith("default model") and e.get("precision") == "bf16"
                for e in engines
            )
        ):
            continue  # auto already ran bf16 (a model calibrated at bf16)
        if p.startswith("openvino") and not any(
            e.get("precision") == p and "wall_s" in e for e in engines
        ):
            continue  # openvino not installed (the encoder row says so)
        os.environ["ANNOTATE_COMPILE"] = "1" if comp else "0"
        clf = load_classifier(model_dir, tax, precision=p)
        os.environ.pop("ANNOTATE_COMPILE")
        roots = [v for v in vars(clf).values()]
        roots += [getattr(v, "model", None) for v in vars(clf).values()]

        def run(clf=clf):
            return np.array([[s for s in pr.scores.values()] for pr in clf.predict(inputs)])

        run.warm = lambda clf=clf: clf.predict(inputs[:32])  # type: ignore[attr-defined]
        used = getattr(clf, "precision", None) or getattr(clf.encoder, "precision", "fp32")
        tag = ", compiled" if comp else (", OpenVINO" if p.startswith("openvino") else "")
        if not tag:
            outside_torch(run, clf, run.warm, enc_shape or (6, 384, 1536))
        if comp:
            t0 = clocks()
            clf.predict(inputs[:32])  # compiles (dynamic shapes: one graph for all batches)
            res["compile_s"] = since(t0)
            compiled_clf = clf
        # no FLOP-counting hooks on a compiled model (a hook changes the graph: recompiles);
        # its FLOPs are its eager twin's (same passages, same batches)
        roots = [] if tag else roots  # OpenVINO: credited with its eager twin's FLOPs
        engines.append(timed_engine(f"default model ({clf.version}){tag}", used, roots, run))

    # the whole prelabel() call (read, group documents, predict, write) on a JSONL file
    from annotate.prelabeling import prelabel

    src = WORK / f"roofline_{n}_{args.tokens}.jsonl"
    with src.open("w") as fh:
        for p in inputs:
            row = {"id": p.id, "text": p.text, "doc_id": p.doc_id, "passage_index": p.passage_index}
            fh.write(json.dumps(row) + "\n")
    e2e = [(load_classifier(model_dir, tax), ""), (compiled_clf, ", compiled")]
    auto_clf = e2e[0][0]
    auto_p = getattr(auto_clf, "precision", None) or getattr(auto_clf.encoder, "precision", "")
    if bf16 and auto_p != "bf16":  # a model calibrated at fp32 ran fp32: bf16 too
        e2e.append((load_classifier(model_dir, tax, precision="bf16"), ""))
    if args.model_precision:
        e2e.append((load_classifier(model_dir, tax, precision=args.model_precision), ""))
    for clf, tag in e2e:
        if clf is None or "prelabel" in skip:
            continue
        roots = [*vars(clf).values(), *(getattr(v, "model", None) for v in vars(clf).values())]
        roots = [] if tag else roots

        def run(clf=clf):
            out = WORK / f"roofline_{n}_{args.tokens}.out.jsonl"
            prelabel(src, out, classifier=clf, taxonomy=tax)

        run.warm = lambda clf=clf: clf.predict(inputs[:32])  # type: ignore[attr-defined]
        used = getattr(clf, "precision", None) or getattr(clf.encoder, "precision", "fp32")
        if not tag:
            outside_torch(run, clf, run.warm, enc_shape or (6, 384, 1536))
        name = f"annotate prelabel() end to end, default model{tag}"
        engines.append(timed_engine(name, used, roots, run))

    # bare sequence classifier against transformers.pipeline on the same model
    from _measure import text_pipeline
    from bench_prelabel import build_seqcls

    seq_dir = build_seqcls(WORK / "seqcls", tax.category_names)
    for p in [] if "seqcls" in skip else ["auto", "fp32"] if bf16 else ["fp32"]:
        clf = load_classifier(seq_dir, tax, precision=p)

        def run(clf=clf):
            return np.array([[s for s in pr.scores.values()] for pr in clf.predict(inputs)])

        run.warm = lambda clf=clf: clf.predict(inputs[:32])  # type: ignore[attr-defined]
        engines.append(timed_engine("sequence classifier", clf.precision, [clf.model], run))
    pipe = text_pipeline(seq_dir)
    for bs in [] if "pipeline" in skip else [1, 32]:
        ptexts = texts[: pipeline_n or n]

        def run(bs=bs, ptexts=ptexts):
            return pipe(ptexts, batch_size=bs)

        run.warm = lambda: pipe(texts[:8])  # type: ignore[attr-defined]
        e = timed_engine(f"transformers.pipeline batch_size={bs}", "fp32", [pipe.model], run)
        e["n"] = len(ptexts)
        engines.append(e)

    # a compiled engine read exactly what its eager twin read: same FLOPs and tokens
    for e in engines:
        if e["engine"].endswith((", compiled", ", OpenVINO")):
            twin = next(
                x
                for x in engines
                if x["engine"] == base_name(e["engine"])
                and (x["precision"] == e["precision"] or e["engine"].endswith(", OpenVINO"))
            )
            for k in ("gflop", "tokens", "padded_tokens", "sequences", "padding_seen"):
                e[k] = twin[k]
            if e["engine"].endswith(", OpenVINO"):
                continue
            if twin.get("_out") is not None and e.get("_out") is not None:
                a, b = np.asarray(twin["_out"]), np.asarray(e["_out"])
                e["max_abs_dp_vs_eager"] = round(float(np.max(np.abs(a - b))), 5)

    # agreement: every engine against its fp32 twin (max |delta p| or min cosine)
    by = {(e["engine"], e["precision"]): e for e in engines if "_out" in e}
    for e in engines:
        if "_out" not in e:
            continue
        ref = by.get((base_name(e["engine"]), "fp32"))
        if ref is None or ref is e or e["engine"].startswith("transformers"):
            continue
        if ref["_out"] is None or e["_out"] is None:  # prelabel() writes a file
            continue
        a, b = np.asarray(ref["_out"]), np.asarray(e["_out"])
        if e["engine"].startswith("encoder"):
            e["min_cosine_vs_fp32"] = round(float(np.min(np.sum(a * b, axis=1))), 5)
        else:
            e["max_abs_dp_vs_fp32"] = round(float(np.max(np.abs(a - b))), 5)

    # pre-packed linears against nn.Linear, same precision: max |difference| of embeddings
    for e in engines:
        twin = by.get(("encoder, nn.Linear", e["precision"]))
        if e["engine"] == "encoder" and twin is not None and "_out" in e:
            a, b = np.asarray(twin["_out"]), np.asarray(e["_out"])
            e["max_abs_diff_vs_nn_linear"] = float(np.max(np.abs(a - b)))

    # the roofline: matmul rates at the encoder's GEMM shapes, before and after (mean)
    _, hidden, inter = enc_shape or (6, 384, 1536)
    mean_tokens = np.mean([e["tokens"] / max(e["sequences"], 1) for e in engines if "tokens" in e])
    batch_tokens = int(32 * mean_tokens)
    rates = {p: matmul_rate(p, batch_tokens, hidden, inter, rate_seconds) for p in precisions}
    # (the "before" measurement is the same call made first; see main for ordering)
    res["rates_after"] = rates
    if not bf16:  # show that bf16 is emulated here (small shape: it is very slow)
        res["bf16_check"] = matmul_rate("bf16", 256, hidden, hidden, 1.0)
    res["batch_tokens"] = batch_tokens
    for e in engines:
        e.pop("_out", None)
    res["engines"] = engines
    res["load_after"] = load_average()
    return res


def run_child(config: str, args: argparse.Namespace) -> dict:
    env = dict(os.environ)
    for k in CONFIGS["avx2"]:
        env.pop(k, None)
    env.update(CONFIGS[config])
    env.setdefault("HF_HUB_OFFLINE", "1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    if args.threads:
        env["OMP_NUM_THREADS"] = str(args.threads)
    cmd = [sys.executable, __file__, "--child", config, "--n", str(args.n)]
    cmd += ["--pipeline-n", str(args.pipeline_n), "--rate-seconds", str(args.rate_seconds)]
    cmd += ["--tokens", str(args.tokens), "--batch-size", str(args.batch_size)]
    cmd += ["--skip", *args.skip] if args.skip else []
    cmd += ["--model", args.model] if args.model else []
    cmd += ["--model-precision", args.model_precision] if args.model_precision else []
    if args.no_compile:
        cmd.append("--no-compile")
    # roofline measured in its own short processes before and after the engines
    before = subprocess.run(
        [*cmd[:2], "--rates", config, "--rate-seconds", str(args.rate_seconds)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"[{config}] failed:\n{out.stderr[-3000:]}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["rates_before"] = json.loads(before.stdout.strip().splitlines()[-1])
    return res


def rates_only(config: str, rate_seconds: float) -> dict:
    import torch

    from annotate.classifier.device import cpu_has_bf16

    precisions = ["fp32", "bf16"] if cpu_has_bf16() else ["fp32"]
    # MiniLM-L6's shapes at a batch of ~32 passages of ~80 tokens (the child measures
    # the run's own batch size after the engines)
    return {p: matmul_rate(p, 32 * 80, 384, 1536, rate_seconds) for p in precisions} | {
        "threads": torch.get_num_threads()
    }


def summarise(res: dict) -> None:
    """Rates, fractions and ratios (computed in place) and a Markdown table."""
    for r in res["results"]:
        rates = {}
        for p, after in r["rates_after"].items():
            before = r["rates_before"].get(p, after)
            rates[p] = {k: (before[k] + after[k]) / 2 for k in ("wall_gflops", "cpu_gflops")}
        r["rates"] = rates
        best = max(rates.values(), key=lambda x: x["cpu_gflops"])
        for e in r["engines"]:
            if "wall_s" not in e:
                continue
            n = e.get("n", r["n"])
            e["passages_per_s_wall"] = n / e["wall_s"]
            e["passages_per_s_cpu"] = n / e["cpu_s"]
            e["gflop_per_passage"] = e["gflop"] / n
            e["tokens_per_passage"] = e["tokens"] / n
            e["padding_efficiency"] = e["tokens"] / max(e["padded_tokens"], 1)
            ref = rates.get(e["precision"].removeprefix("openvino-")) or rates["fp32"]
            for clock in ("wall", "cpu"):
                achieved = e["gflop"] / e[f"{clock}_s"]
                e[f"fraction_{clock}"] = achieved / ref[f"{clock}_gflops"]
                e[f"roofline_passages_per_s_{clock}"] = (
                    ref[f"{clock}_gflops"] / e["gflop_per_passage"]
                )
                if e["precision"] == "onnx-int8":
                    e[f"fraction_of_best_{clock}"] = achieved / best[f"{clock}_gflops"]
        pipes = [e for e in r["engines"] if e["engine"].startswith("transformers")]
        for e in r["engines"]:
            if "wall_s" in e and pipes and not e["engine"].startswith("transformers"):
                e["x_best_pipeline_cpu"] = e["passages_per_s_cpu"] / max(
                    p["passages_per_s_cpu"] for p in pipes
                )
                e["x_best_pipeline_wall"] = e["passages_per_s_wall"] / max(
                    p["passages_per_s_wall"] for p in pipes
                )


def table(res: dict) -> str:
    lines = [f"Machine: {res['machine']}", ""]
    for r in res["results"]:
        rates = ", ".join(
            f"{p} {v['wall_gflops']:.0f} (wall) / {v['cpu_gflops']:.0f} (cpu) GFLOP/s"
            for p, v in r["rates"].items()
        )
        lines += [
            f"### {r['config']}, passages {r.get('tokens_target') or 'as written'}, "
            f"batch {r.get('batch_size', 32)} (caps {r['isa_caps'] or 'none'}; "
            f"ATen {r['aten_capability']}; "
            f"native bf16 {r['native_bf16']}; {r['threads']} threads; load "
            f"{r['load_before']} -> {r['load_after']})",
            "",
            f"matmul at the model's GEMM shapes (T={r['batch_tokens']}): {rates}"
            + (
                f"; bf16 check {r['bf16_check']['cpu_gflops']:.1f} GFLOP/s (emulated)"
                if "bf16_check" in r
                else ""
            ),
            "",
            "| engine | precision | passages/s wall / cpu | roofline passages/s wall / cpu "
            "| fraction wall / cpu | x pipeline (cpu) | tokens/passage | padding eff. "
            "| agreement |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for e in r["engines"]:
            if "wall_s" not in e:
                lines.append(f"| {e['engine']} | {e['precision']} | error: {e['error']} |")
                continue
            agree = (
                f"min cos {e['min_cosine_vs_fp32']}"
                if "min_cosine_vs_fp32" in e
                else (f"max dp {e['max_abs_dp_vs_fp32']}" if "max_abs_dp_vs_fp32" in e else "")
            )
            if "max_abs_diff_vs_nn_linear" in e:
                agree += f" (vs nn.Linear: max diff {e['max_abs_diff_vs_nn_linear']:.1e})"
            if "max_abs_dp_vs_eager" in e:
                agree += f" (vs eager {e['max_abs_dp_vs_eager']})"
            frac = f"{e['fraction_wall']:.2f} / {e['fraction_cpu']:.2f}"
            pad = f"{e['padding_efficiency']:.3f}" if e.get("padding_seen", True) else "-"
            if "fraction_of_best_cpu" in e:
                frac += f" (of best: {e['fraction_of_best_cpu']:.2f} cpu)"
            if r["isa_caps"] and e["precision"] not in ("fp32", "bf16"):
                frac += " (not emulated: ONNX Runtime/OpenVINO pick kernels by CPUID)"
            lines.append(
                f"| {e['engine']} | {e['precision']} | {e['passages_per_s_wall']:.1f} / "
                f"{e['passages_per_s_cpu']:.1f} | {e['roofline_passages_per_s_wall']:.1f} / "
                f"{e['roofline_passages_per_s_cpu']:.1f} | {frac} | "
                f"{e.get('x_best_pipeline_cpu', float('nan')):.2f} | "
                f"{e['tokens_per_passage']:.1f} | {pad} | {agree} |"
            )
        lines.append("")
    return "\n".join(lines)


# ---- where the time goes (--profile) ------------------------------------------------
OP_GROUPS = {
    "GEMM (linear, matmul)": ("addmm", "mm", "bmm", "matmul", "linear", "mkldnn", "mkl_"),
    "attention (sdpa)": ("scaled_dot_product", "flash_attention", "softmax"),
    "GELU": ("gelu",),
    "LayerNorm": ("layer_norm",),
    "adds, copies, casts": ("add", "copy_", "to_copy", "mul", "div", "where", "fill_"),
}


def _group(op: str) -> str:
    name = op.removeprefix("aten::")
    for group, keys in OP_GROUPS.items():
        if any(name == k or name.startswith(k) or k in name for k in keys):
            return group
    return "other torch ops"


def profile_child(config: str, n: int, tokens: int = 0) -> dict:
    """Where the default model's predict() spends its time at each native precision:
    torch profiler self times (wall clock) grouped by op, the rest of the call's wall
    time (tokenizer, Python, pooling, heads) as "outside torch ops"; each group's share
    of the call's wall time, and that share of the call's process CPU time."""
    import torch
    from _machine import isa_caps, load_average
    from torch.profiler import ProfilerActivity, profile

    from annotate.classifier import load_classifier
    from annotate.classifier.device import cpu_has_bf16
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    _, inputs = texts_and_inputs(n, tokens)
    out: dict[str, Any] = {"config": config, "isa_caps": isa_caps(), "n": n}
    out["load_before"] = load_average()
    out["threads"] = torch.get_num_threads()
    for p in ["fp32", "bf16"] if cpu_has_bf16() else ["fp32"]:
        clf = load_classifier(None, tax, precision=p)
        clf.predict(inputs)  # warm: every batch shape once (oneDNN kernels are per shape)
        t0 = clocks()
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            clf.predict(inputs)
        wall, cpu = since(t0)
        groups: dict[str, float] = {}
        for ev in prof.key_averages():
            if ev.key.startswith("aten::") or ev.key.startswith("mkldnn::"):
                g = _group(ev.key)
                groups[g] = groups.get(g, 0.0) + ev.self_cpu_time_total / 1e6
        in_torch = sum(groups.values())
        groups["outside torch ops (tokenizer, Python, pooling, heads)"] = max(wall - in_torch, 0)
        out[p] = {"cpu_s": cpu, "wall_s": wall, "groups": groups}
    out["load_after"] = load_average()
    return out


def profile_run(config: str, args: argparse.Namespace) -> dict:
    env = dict(os.environ)
    for k in CONFIGS["avx2"]:
        env.pop(k, None)
    env.update(CONFIGS[config])
    env.setdefault("HF_HUB_OFFLINE", "1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    if args.threads:
        env["OMP_NUM_THREADS"] = str(args.threads)
    cmd = [sys.executable, __file__, "--child", config, "--profile", "--n", str(args.n)]
    cmd += ["--tokens", str(args.tokens[0])]
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile_table(out: dict) -> str:
    precs = [p for p in ("fp32", "bf16") if p in out]
    lines = [
        f"### where the time goes: {out['config']} (caps {out['isa_caps'] or 'none'}; "
        f"{out['threads']} threads; {out['n']} passages; load {out['load_before']} -> "
        f"{out['load_after']})",
        "",
        "| op group | " + " | ".join(f"{p}: share (CPU s)" for p in precs) + " |",
        "|---|" + "---|" * len(precs),
    ]
    for g in out[precs[0]]["groups"]:
        cells = []
        for p in precs:
            share = out[p]["groups"].get(g, 0.0) / out[p]["wall_s"]
            cells.append(f"{share:.0%} ({share * out[p]['cpu_s']:.2f})")
        lines.append(f"| {g} | " + " | ".join(cells) + " |")
    lines.append(
        "| total (process CPU time) | " + " | ".join(f"{out[p]['cpu_s']:.2f}" for p in precs) + " |"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--n", type=int, default=2048, help="passages per engine (prelabel: 2,048 a call)"
    )
    ap.add_argument("--pipeline-n", type=int, default=512, help="passages for the pipeline")
    ap.add_argument("--configs", nargs="*", default=list(CONFIGS), choices=list(CONFIGS))
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    ap.add_argument("--rate-seconds", type=float, default=3.0, help="time per matmul rate")
    ap.add_argument(
        "--tokens",
        type=int,
        nargs="+",
        default=[0],
        help="passage length(s) in tokens: 0 = project passages as written (~37); e.g. "
        "89 = consecutive passages of a document joined to ~89 tokens (issue 11's length)",
    )
    ap.add_argument("--batch-size", type=int, default=32, help="frozen-encoder rows' batch")
    ap.add_argument(
        "--skip", nargs="*", default=[], choices=SKIPPABLE, help="engine groups to leave out"
    )
    ap.add_argument(
        "--no-compile", action="store_true", help="skip the torch.compile rows (~2 min each)"
    )
    ap.add_argument(
        "--profile",
        action="store_true",
        help="instead: where the default model's time goes, per op group (torch profiler)",
    )
    ap.add_argument(
        "--model",
        help="model directory for the default model's rows (default: models/default), e.g. "
        "one trained at precision onnx-int8",
    )
    ap.add_argument(
        "--model-precision",
        help="also run the model's rows and prelabel() at this precision (e.g. onnx-int8)",
    )
    ap.add_argument(
        "--json",
        type=Path,
        default=WORK / "roofline.json",
        help="where the results go (two runs side by side need two files)",
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--rates", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.rates:
        print(json.dumps(rates_only(args.rates, args.rate_seconds)))
        return
    if args.child and args.profile:
        print(json.dumps(profile_child(args.child, args.n, args.tokens[0])))
        return
    if args.child:
        args.tokens = args.tokens[0]
        res = child(args.child, args)
        print(json.dumps(res))
        return
    if args.profile:
        for config in args.configs:
            out = profile_run(config, args)
            print(profile_table(out))
        return
    import torch
    from _machine import cpu_flags, cpu_model, load_average

    WORK.mkdir(parents=True, exist_ok=True)
    res = {
        "machine": f"{cpu_model()}, {os.cpu_count()} cores visible, flags "
        f"{' '.join(cpu_flags())}, torch {torch.__version__}",
        "load_start": load_average(),
        "results": [],
    }
    all_tokens = args.tokens
    for tokens in all_tokens:
        for config in args.configs:
            print(f"[{config}, tokens {tokens or 'as written'}] ...", file=sys.stderr, flush=True)
            args.tokens = tokens
            res["results"].append(run_child(config, args))
    res["load_end"] = load_average()
    summarise(res)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(res, indent=2) + "\n")
    print(table(res))


if __name__ == "__main__":
    main()
