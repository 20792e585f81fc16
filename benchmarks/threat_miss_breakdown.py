"""Why a threat is missed: for each gold threat a model does not label ``violent_threat``,
whether its raw threat score (the category head's calibrated probability, before any
rule) was already below the label's threshold, or was at or above it and a decision rule
took the label away (which rule). Diagnosis for issue 8 (one-sentence threats), never a
selection rule.

Sources: probe files (``--probe``, kinds ``direct`` and ``normative`` are the threats;
the other kinds are scored for false flags) and the public threat rows of a training
config (``--public``: implicit-hate ``threatening``, HatemojiBuild threats, every row
labelled ``violent_threat`` by its mapping; Gab's ``cv`` rows, which its mapping makes
incitement with the threat unknown, are listed as ``gab-cv``, a hit there being either
label). Each passage is read alone (its own document), as prelabel reads a one-line table.

Per miss, the stage that removed it:

- ``raw_below``: raw score < threshold and the grammar reads no threat;
- ``cap``: raw >= threshold, lowered below it by a cap (lawful warning, self-directed,
  idiom);
- ``context``: the score stays >= threshold, but a context label (news, counter-speech)
  fired more probable and the own-voice label yielded to it;
- ``call``: the label fired and the addressee rules moved it to incitement;
- ``other``: anything else.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/threat_miss_breakdown.py [--model DIR]
[--probe YAML ...] [--public] [--config models/default.train.yaml] [--split test]
[--out OUT.json]``. Prints one line per source: threats, caught, and misses per stage,
plus the raw-score quantiles of the misses relative to the threshold.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
THREAT = "violent_threat"
CALL = "incitement"
# the public sources with threat rows, by their example source name
PUBLIC = {"implicit-hate": "implicit-hate", "hatemoji-build": "hatemoji", "gab-hate-corpus": "gab"}


def public_rows(config: Path, split: str | None) -> list[dict[str, Any]]:
    """The config's public threat rows ``{id, kind, text}``: kind ``<source>`` for rows
    labelled violent_threat, ``gab-cv`` for Gab rows labelled incitement with the threat
    unknown (the `cv` posts); ``split``: keep that split only (None: all)."""
    from annotate.taxonomy import load_taxonomy
    from annotate.training.config import load_train_config
    from annotate.training.rows import data_sources
    from annotate.training.sources import load_examples

    cfg = load_train_config(config)
    tax = load_taxonomy(ROOT / "labels.yaml")
    examples, _ = load_examples(data_sources(cfg), tax, cfg.seed)
    rows = []
    seen: set[str] = set()
    for e in examples:
        src = Path(e.source).name.lower()
        public = src in PUBLIC
        if not public or (split and e.split != split) or e.text in seen:
            continue
        if THREAT in e.labels:
            kind = PUBLIC[src]
        elif src == "gab-hate-corpus" and CALL in e.labels and THREAT not in e.known:
            kind = "gab-cv"
        else:
            continue
        seen.add(e.text)
        rows.append(
            {"id": f"{kind}-{len(rows):05d}", "kind": kind, "text": e.text, "split": e.split}
        )
    return rows


def probe_rows(path: Path) -> list[dict[str, Any]]:
    """A probe file's rows ``{id, kind, text}``, kinds as in the file, prefixed by its name."""
    stem = path.stem
    out = []
    for kind, texts in yaml.safe_load(path.read_text(encoding="utf-8")).items():
        for n, text in enumerate(texts, 1):
            out.append({"id": f"{stem}:{kind}-{n:02d}", "kind": f"{stem}:{kind}", "text": text})
    return out


def is_threat_kind(kind: str) -> bool:
    tail = kind.split(":")[-1]
    return tail in ("direct", "normative") or ":" not in kind


def stages(clf: Any, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per row: raw threat score, the score after the grammar floor and caps, the final
    labels, whether the grammar read it, and the stage that removed a threat label."""
    from annotate.classifier.base import PassageInput
    from annotate.classifier.idioms import with_idiom_cap
    from annotate.classifier.threat_grammar import with_threat_floor

    cfg = clf.config
    col = clf.labels.index(THREAT)
    thr = cfg.thresholds[THREAT]
    passages = [PassageInput(id=r["id"], text=r["text"], doc_id=r["id"]) for r in rows]
    raw = clf.scores(passages)[0]
    floored, hits = with_threat_floor(
        raw,
        col,
        [r["text"] for r in rows],
        thr,
        cap=cfg.lawful_warning_cap,
        self_cap=cfg.self_directed_cap,
    )
    if cfg.idiom_cap is not None:
        floored = with_idiom_cap(
            floored,
            [col],
            [r["text"] for r in rows],
            [thr],
            cfg.idiom_cap,
            keep=[bool(h) for h in hits],
        )
    preds = clf.predict(passages)
    out = []
    for i, r in enumerate(rows):
        labels = list(preds[i].labels)
        got = THREAT in labels or (r["kind"] == "gab-cv" and CALL in labels)
        stage = None
        if not got:
            if raw[i, col] < thr and not hits[i]:
                stage = "raw_below"
            elif floored[i, col] < thr:
                stage = "cap"
            elif CALL in labels:
                stage = "call"
            elif any(lbl in cfg.context for lbl in labels):
                stage = "context"
            else:
                stage = "other"
        out.append(
            {
                **r,
                "raw": float(raw[i, col]),
                "after_rules": float(floored[i, col]),
                "threshold": thr,
                "grammar": bool(hits[i]),
                "labels": labels,
                "hit": got,
                "stage": stage,
            }
        )
    return out


def summary(scored: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per kind: n, caught, grammar reads, raw >= threshold, misses per stage, and the
    misses' raw score / threshold quantiles (10, 50, 90%)."""
    out = []
    for kind in dict.fromkeys(r["kind"] for r in scored):
        rs = [r for r in scored if r["kind"] == kind]
        miss = [r for r in rs if not r["hit"]]
        ratio = [r["raw"] / r["threshold"] for r in miss]
        out.append(
            {
                "kind": kind,
                "threat_kind": is_threat_kind(kind),
                "n": len(rs),
                "labelled": sum(r["hit"] for r in rs),
                "any_threat_label": sum(THREAT in r["labels"] for r in rs),
                "grammar": sum(r["grammar"] for r in rs),
                "raw_at_or_above": sum(r["raw"] >= r["threshold"] for r in rs),
                "miss_stages": dict(Counter(r["stage"] for r in miss)),
                "miss_raw_over_threshold_q10_50_90": (
                    [round(float(q), 3) for q in np.quantile(ratio, [0.1, 0.5, 0.9])]
                    if ratio
                    else []
                ),
            }
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=None)
    ap.add_argument("--probe", type=Path, action="append", default=[])
    ap.add_argument("--public", action="store_true")
    ap.add_argument("--config", type=Path, default=ROOT / "models" / "default.train.yaml")
    ap.add_argument("--split", default=None, help="public rows of this split only")
    ap.add_argument("--precision", default="fp32")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    from annotate.classifier.loader import load_classifier
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    clf = load_classifier(args.model, tax, precision=args.precision)
    rows: list[dict[str, Any]] = []
    for p in args.probe:
        rows += probe_rows(p)
    if args.public:
        rows += public_rows(args.config, args.split)
    scored = stages(clf, rows)
    figs = summary(scored)
    print(f"model {clf.version}")
    for f in figs:
        threat = f["threat_kind"]
        count = f["labelled"] if threat else f["any_threat_label"]
        line = (
            f"{f['kind']:28} n={f['n']:4} {'caught' if threat else 'threat-labelled'}={count:4}"
            f" grammar={f['grammar']:4} raw>=thr={f['raw_at_or_above']:4}"
        )
        if threat:
            q = f["miss_raw_over_threshold_q10_50_90"]
            line += f" misses={f['miss_stages']} raw/thr q10,50,90={q}"
        print(line)
    if args.out:
        no_text = [{k: v for k, v in r.items() if k != "text"} for r in scored]
        args.out.write_text(
            # no texts: public rows are read at run time, never copied (ids and scores only)
            json.dumps({"model": clf.version, "kinds": figs, "rows": no_text}, indent=1) + "\n"
        )


if __name__ == "__main__":
    main()
