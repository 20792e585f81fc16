"""Issue 8's one-sentence group probe: threat recall and false-flag rates per kind, at the
model's shipped thresholds (the labels `annotate prelabel` writes).

The probe (benchmarks/probes/group_threats.yaml, project-written, EVALUATION ONLY) holds
one-sentence direct and normative threats against groups and people, neutral and
positive statements about groups, counter-speech replies and news sentences that quote
a threat. Per kind:

- direct, normative: recall = rows labelled ``violent_threat`` / rows (issue 8's goal
  >= 0.95); also the share given any harmful label;
- neutral, positive (goal <= 0.05), counter_speech (goal <= 0.10), quoted_news (no
  goal; the quoted words should be a span inside ``news_reporting``): false flags =
  rows given any harmful label / rows; also the share labelled ``news_reporting``.

Each rate comes with its Wilson 95% interval (``scipy.stats.binomtest``): the probe is
small (20-60 rows per kind). It is diagnosis only, never a selection rule (issue 8:
project-written text never decides a modelling choice; the cross-source table does).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/probe_group_threats.py [--model DIR]
[--prelabels FILE] [--probe YAML] [--out OUT.json]`` (no --prelabels: runs
:func:`annotate.prelabel` with the model, default models/default, on the probe written as
an ``id, text`` table; --probe: another probe file of the same kinds, e.g.
benchmarks/probes/personal_threats.yaml). Each kind's line also gives ``grammar``: the
share of its rows in which the threat grammar alone
(:func:`annotate.classifier.threat_grammar.threat_sentences`) reads a threat sentence.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from scipy.stats import binomtest

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "benchmarks" / "probes" / "group_threats.yaml"
THREAT = "violent_threat"
NEWS = "news_reporting"
THREAT_KINDS = ("direct", "normative")
# kind -> (figure, goal, comparison): issue 8's outside goals
GOALS: dict[str, tuple[str, float | None, str]] = {
    "direct": ("recall", 0.95, ">="),
    "normative": ("recall", 0.95, ">="),
    "neutral": ("false_flags", 0.05, "<="),
    "positive": ("false_flags", 0.05, "<="),
    "counter_speech": ("false_flags", 0.10, "<="),
    "quoted_news": ("false_flags", None, "<="),
}


def probe_rows(probe: Mapping[str, Sequence[str]]) -> list[dict[str, str]]:
    """The probe as table rows ``{id, kind, text}`` (id ``<kind>-<n>``, n from 1), in
    file order. Raises ValueError for a kind not in :data:`GOALS` or a text given twice."""
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for kind, texts in probe.items():
        if kind not in GOALS:
            raise ValueError(f"unknown probe kind {kind!r}: expected one of {sorted(GOALS)}")
        for n, text in enumerate(texts, 1):
            if text in seen:
                raise ValueError(f"probe text given twice: {text!r}")
            seen.add(text)
            rows.append({"id": f"{kind}-{n:02d}", "kind": kind, "text": text})
    return rows


def wilson(k: int, n: int) -> list[float]:
    """Wilson 95% interval [low, high] of k successes in n trials (n >= 1)."""
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return [round(float(ci.low), 4), round(float(ci.high), 4)]


def kind_figures(
    rows: Sequence[Mapping[str, Any]],
    labels: Mapping[str, Iterable[str]],
    harmful: Iterable[str],
) -> list[dict[str, Any]]:
    """Per kind, in order of first appearance: ``n``, the kind's figure (``recall`` for
    threat kinds, ``false_flags`` otherwise) as ``rate``, ``count``, its Wilson interval
    ``ci``, ``goal`` and ``meets_goal`` (None where the kind has none), ``any_harmful``
    (share with any harmful label), ``news`` (share labelled news_reporting) and ``rows``:
    the ids the figure counts against (threats missed, rows flagged).

    ``rows``: ``{id, kind}``; ``labels``: id -> label names given. Raises KeyError for a
    row without labels."""
    harm = set(harmful)
    out: list[dict[str, Any]] = []
    kinds = list(dict.fromkeys(r["kind"] for r in rows))
    for kind in kinds:
        ids = [r["id"] for r in rows if r["kind"] == kind]
        given = {i: set(labels[i]) for i in ids}
        flagged = [i for i in ids if given[i] & harm]
        figure, goal, cmp = GOALS[kind]
        if figure == "recall":
            hits = [i for i in ids if THREAT in given[i]]
            count, against = len(hits), [i for i in ids if i not in hits]
        else:
            count, against = len(flagged), flagged
        rate = count / len(ids)
        meets = None if goal is None else (rate >= goal if cmp == ">=" else rate <= goal)
        out.append(
            {
                "kind": kind,
                "n": len(ids),
                "figure": figure,
                "count": count,
                "rate": round(rate, 4),
                "ci": wilson(count, len(ids)),
                "goal": goal,
                "meets_goal": meets,
                "any_harmful": round(len(flagged) / len(ids), 4),
                "news": round(sum(NEWS in given[i] for i in ids) / len(ids), 4),
                "rows": against,
            }
        )
    return out


def _prelabel(rows: Sequence[Mapping[str, str]], model: str | None) -> list[dict[str, Any]]:
    from annotate import prelabel

    with tempfile.TemporaryDirectory() as tmp:
        table, out = Path(tmp) / "probe.jsonl", Path(tmp) / "prelabels.jsonl"
        with table.open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({"id": r["id"], "text": r["text"]}) + "\n")
        prelabel(table, out, model=model)
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", help="model directory (default: models/default)")
    p.add_argument("--prelabels", type=Path, help="score this prelabel output instead")
    p.add_argument("--probe", type=Path, default=PROBE, help="probe YAML (default: %(default)s)")
    p.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = p.parse_args()
    from annotate.classifier.threat_grammar import threat_sentences
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    rows = probe_rows(yaml.safe_load(args.probe.read_text(encoding="utf-8")))
    read = {r["id"] for r in rows if threat_sentences(r["text"])}
    if args.prelabels:
        lines = args.prelabels.read_text(encoding="utf-8").splitlines()
        scored = [json.loads(line) for line in lines if line.strip()]
    else:
        scored = _prelabel(rows, args.model)
    by_id = {r["id"]: r for r in scored}
    figs = kind_figures(rows, {i: r["labels"] for i, r in by_id.items()}, tax.harmful)
    text = {r["id"]: r["text"] for r in rows}
    for f in figs:
        ids = [r["id"] for r in rows if r["kind"] == f["kind"]]
        f["grammar"] = round(sum(i in read for i in ids) / len(ids), 4)
        f["grammar_rows"] = [i for i in ids if i in read]
        f["detail"] = [
            {
                "id": i,
                "text": text[i],
                "labels": by_id[i]["labels"],
                "grammar": i in read,
                "scores": {k: round(v, 3) for k, v in by_id[i]["scores"].items()},
            }
            for i in f["rows"]
        ]
    version = scored[0].get("model_version") if scored else None
    print(f"model {version}")
    head = f"{'kind':15} {'figure':12} {'n':>3} {'rate':>6} {'95% CI':>16} {'goal':>6}"
    print(f"{head} harmful news  grammar")
    for f in figs:
        goal = "" if f["goal"] is None else f"{f['goal']:.2f}"
        ci = f"[{f['ci'][0]:.3f}, {f['ci'][1]:.3f}]"
        print(
            f"{f['kind']:15} {f['figure']:12} {f['n']:>3} {f['rate']:>6.3f} {ci:>16} "
            f"{goal:>6} {f['any_harmful']:.3f}  {f['news']:.3f}  {f['grammar']:.3f}"
        )
    if args.out:
        out = {"model": version, "probe": args.probe.name, "kinds": figs}
        args.out.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
