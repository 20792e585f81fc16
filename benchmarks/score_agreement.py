"""Score agreement of two models (or one model at two precisions) on the project's own
passages (data/project, every file, documents in passage order with their titles).

Per category and overall: max and mean |p_B - p_A|; the passages whose label sets differ
(with both sets), and each side's precision as it ran. A model trained at another
precision than the one it runs at is named by the encoder's warning in the log.

Run: ``.venv/bin/python benchmarks/score_agreement.py A_DIR B_DIR OUT.json
[--a-precision auto] [--b-precision auto]`` (a DIR of ``default``: models/default).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import numpy as np

from annotate.classifier import PassageInput, load_classifier
from annotate.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent


def project_inputs() -> list[PassageInput]:
    """Every data/project passage, grouped by document in ``passage_index`` order."""
    rows: list[dict] = []
    for p in sorted((ROOT / "data" / "project").glob("*.jsonl")):
        rows += [json.loads(x) | {"_f": p.stem} for x in p.read_text().splitlines() if x]
    rows.sort(key=lambda r: (r["_f"], r["doc_id"], r["passage_index"]))
    return [
        PassageInput(
            id=f"{r['_f']}/{r['doc_id']}/{r['passage_index']}",
            text=r["text"],
            doc_id=f"{r['_f']}/{r['doc_id']}",
            title=r.get("title") or None,
            passage_index=r["passage_index"],
        )
        for r in rows
    ]


def run(model: str, precision: str, tax, inputs: list[PassageInput]) -> dict:
    path = None if model == "default" else Path(model)
    clf = load_classifier(path, tax, precision=precision)
    t0, c0 = time.perf_counter(), time.process_time()
    preds = clf.predict(inputs)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    enc = getattr(clf, "encoder", None)
    return {
        "model": model,
        "version": getattr(clf, "version", None),
        "requested": precision,
        "ran_at": getattr(enc, "precision", None),
        "calibrated_at": getattr(enc, "trained_precision", None),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "scores": np.array([[p.scores[c] for c in tax.category_names] for p in preds]),
        "labels": [sorted(p.labels) for p in preds],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("out")
    ap.add_argument("--a-precision", default="auto")
    ap.add_argument("--b-precision", default="auto")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    tax = load_taxonomy(ROOT / "labels.yaml")
    inputs = project_inputs()
    a = run(args.a, args.a_precision, tax, inputs)
    b = run(args.b, args.b_precision, tax, inputs)
    d = np.abs(b["scores"] - a["scores"])
    differ = [
        {"id": p.id, "a": la, "b": lb}
        for p, la, lb in zip(inputs, a["labels"], b["labels"], strict=True)
        if la != lb
    ]
    out = {
        "passages": len(inputs),
        "a": {k: v for k, v in a.items() if k not in ("scores", "labels")},
        "b": {k: v for k, v in b.items() if k not in ("scores", "labels")},
        "max_abs_dp": round(float(d.max()), 5),
        "mean_abs_dp": round(float(d.mean()), 5),
        "per_category": {
            c: {
                "max_abs_dp": round(float(d[:, j].max()), 5),
                "mean_abs_dp": round(float(d[:, j].mean()), 5),
            }
            for j, c in enumerate(tax.category_names)
        },
        "label_sets_differ": len(differ),
        "differ": differ,
    }
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({k: v for k, v in out.items() if k != "differ"}, indent=1))


if __name__ == "__main__":
    main()
