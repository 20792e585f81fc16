"""Where `prelabel()` spends its CPU time, by component (issue 11, item 5).

Each component's functions are wrapped with a process-CPU-time timer; time is charged
to the innermost component running (exclusive: the encoder called by the quoted-content
rule counts as encoder, not as spans), and the rest of the call is "other" (reading and
checking rows, grouping documents, the rules not listed). Lighter than cProfile, which
charges every Python call and so overstates the pure-Python rules against the torch
calls (run O). Passages of ~89 tokens joined from data/project
(bench_roofline.texts_and_inputs), never seeds or shared data.

    OMP_NUM_THREADS=1 PYTHONPATH=$PWD .venv/bin/python benchmarks/profile_prelabel_parts.py \
        --n 512 --calls 3 [--precision fp32] [--json OUT]

Prints CPU seconds per 1,000 passages for each component, median of ``--calls`` warm
calls (one warm-up call first, not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

# component -> (module, attribute path) of each function charged to it
PARTS: dict[str, list[tuple[str, str]]] = {
    "tokenise": [
        ("annotate.classifier.encoder", "Encoder._tokenize"),
        ("annotate.prelabeling", "count_cut"),
    ],
    "encoder forward": [("annotate.classifier.encoder", "Encoder._hidden")],
    "collate + pooling": [
        ("annotate.classifier.encoder", "Encoder._collate"),
        ("annotate.classifier.encoder", "Encoder._pool"),
        ("annotate.classifier.encoder", "Encoder._pool_ranges"),
    ],
    "heads + calibration + labels": [
        ("annotate.classifier.frozen_linear", "LinearHead.logits"),
        ("annotate.classifier.frozen_linear", "calibrate_columns"),
        ("annotate.classifier.frozen_linear", "apply_labels"),
    ],
    "spans (segments, features, quote blocks)": [
        ("annotate.classifier.frozen_linear", "candidate_segments"),
        ("annotate.classifier.frozen_linear", "with_quote_blocks"),
        ("annotate.classifier.frozen_linear", "span_features"),
        ("annotate.classifier.frozen_linear", "block_ranges"),
        ("annotate.classifier.frozen_linear", "FrozenLinearClassifier._spans"),
        ("annotate.classifier.frozen_linear", "FrozenLinearClassifier._attributed_quote"),
        ("annotate.classifier.frozen_linear", "FrozenLinearClassifier._after_attribution"),
        ("annotate.classifier.frozen_linear", "FrozenLinearClassifier._quoted_content"),
        ("annotate.classifier.frozen_linear", "grammar_spans"),
    ],
    "threat grammar": [
        ("annotate.classifier.frozen_linear", "with_threat_floor"),
        ("annotate.classifier.frozen_linear", "keep_threat"),
    ],
    "idiom cap": [("annotate.classifier.frozen_linear", "with_idiom_cap")],
    "addressee rules": [
        ("annotate.classifier.frozen_linear", name)
        for name in (
            "calls_not_threats",
            "threats_not_calls",
            "calls_beside_threats",
            "too_short_for_context",
            "person_spans",
            "lone_recruit_spans",
            "call_spans",
        )
    ],
    "page furniture": [("annotate.classifier.frozen_linear", "furniture_labels")],
    "turns, cue sentences, paragraphs": [
        ("annotate.classifier.turn_text", "_without_labels"),
        ("annotate.classifier.turn_text", "in_sentences"),
        ("annotate.classifier.turn_text", "_paragraphs"),
    ],
    "language check": [("annotate.prelabeling", "count_foreign")],
    "writing": [
        ("annotate.prelabel_parts", "PartsStore.add"),
        ("annotate.prelabel_parts", "PartsStore.assemble"),
    ],
}


class Charger:
    """Exclusive CPU time per component: the innermost wrapped call is charged."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.t = 0.0
        self.total: dict[str, float] = {}

    def _switch(self) -> None:
        now = time.process_time()
        if self.stack:
            top = self.stack[-1]
            self.total[top] = self.total.get(top, 0.0) + now - self.t
        self.t = now

    def wrap(self, part: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*a: Any, **k: Any) -> Any:
            self._switch()
            self.stack.append(part)
            try:
                return fn(*a, **k)
            finally:
                self._switch()
                self.stack.pop()

        timed.__wrapped__ = fn  # type: ignore[attr-defined]
        return timed


def install(charger: Charger) -> None:
    import importlib

    for part, targets in PARTS.items():
        for mod_name, attr in targets:
            mod = importlib.import_module(mod_name)
            owner: Any = mod
            *path, name = attr.split(".")
            for p in path:
                owner = getattr(owner, p)
            setattr(owner, name, charger.wrap(part, getattr(owner, name)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=512)
    ap.add_argument("--tokens", type=int, default=89)
    ap.add_argument("--calls", type=int, default=3)
    ap.add_argument("--precision", default="fp32")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    import torch

    torch.set_num_threads(1)
    from bench_roofline import texts_and_inputs

    from annotate.classifier import load_classifier
    from annotate.prelabeling import prelabel
    from annotate.settings import default_model_dir
    from annotate.taxonomy import load_taxonomy

    _texts, inputs = texts_and_inputs(args.n, args.tokens)
    work = Path(tempfile.mkdtemp(prefix="prelabel_parts_"))
    src = work / "in.jsonl"
    src.write_text(
        "".join(
            json.dumps(
                {"id": p.id, "text": p.text, "doc_id": p.doc_id, "passage_index": p.passage_index}
            )
            + "\n"
            for p in inputs
        )
    )
    tax = load_taxonomy(ROOT / "labels.yaml")
    clf = load_classifier(default_model_dir(), tax, precision=args.precision)
    charger = Charger()
    install(charger)
    calls: list[dict[str, float]] = []
    for i in range(args.calls + 1):
        charger.total = {}
        t0 = time.process_time()
        prelabel(src, work / "out.jsonl", classifier=clf, taxonomy=tax)
        total = time.process_time() - t0
        parts = dict(charger.total)
        parts["other (read rows, windows, rest)"] = total - sum(parts.values())
        parts["prelabel() total"] = total
        if i:
            calls.append(parts)
    names = list(calls[0])
    per_k = {k: 1000 * statistics.median(c.get(k, 0.0) for c in calls) / args.n for k in names}
    total = per_k["prelabel() total"]
    print(
        f"{args.n} passages of ~{args.tokens} tokens, {args.precision}, 1 thread, "
        f"median of {args.calls} warm calls; load {os.getloadavg()[0]:.1f}"
    )
    print("| component | CPU s / 1,000 passages | share |")
    print("|---|---|---|")
    for k in sorted(names, key=lambda k: -per_k[k]):
        if k != "prelabel() total":
            print(f"| {k} | {per_k[k]:.2f} | {100 * per_k[k] / total:.1f} % |")
    print(f"| **`prelabel()` total** | {total:.2f} | 100 % |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "n": args.n,
                    "tokens": args.tokens,
                    "precision": args.precision,
                    "calls": calls,
                    "per_1000": per_k,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
