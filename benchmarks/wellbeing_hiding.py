"""Which passages the wellbeing rule hides: the current rule (model label
graphic_violence or graphic score >= 0.5) against lower hiding thresholds and the
graphic-term backstop (annotate.review.graphic_terms), with the default model.

Per data set: recall of graphic passages hidden (gold label graphic_violence) and the
share of non-graphic passages hidden (news_reporting, counter_speech, none, other).
Data: the project's test split (data/project, split by the model's training seed: the
passages the model was not fitted on), the project's regression fixtures (tests/fixtures),
the demo corpus (annotate/resources/sample_corpus, one passage a paragraph; its README
labels documents, so 05_aftermath_account's paragraphs count as graphic, the others'
as not), and, read-only, public sets without a graphic label (hide rates of news and
counter-speech only): CrisisLexT26 crisis tweets and CrowdCounter counter-speech replies.

    PYTHONPATH=$PWD python benchmarks/wellbeing_hiding.py [--sample 400]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotate.classifier.loader import load_classifier  # noqa: E402
from annotate.evaluation.evaluate import predict_examples, scored_examples, split_seed  # noqa: E402
from annotate.review.graphic_terms import DEFAULT_HIDE_TERMS, graphic_term  # noqa: E402
from annotate.taxonomy import load_taxonomy  # noqa: E402
from annotate.training.sources import DataSource, Example  # noqa: E402
from benchmarks._machine import run_header  # noqa: E402

G = "graphic_violence"
SHARED = ROOT.parent / "shared" / "data"
OWN: set[str] = set()
CHOSEN = "label or score >= 0.1 + terms"  # the default (annotate.review.exposure.HidingRule)


def fixtures() -> list[Example]:
    out = []
    for path in sorted((ROOT / "tests" / "fixtures").glob("regression_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                labels = set(r.get("labels") or [])
                out.append(
                    Example(
                        text=r["text"],
                        labels=labels,
                        known=labels,
                        split="test",
                        source=path.name,
                        doc_key=f"{path.name}:{r['doc_id']}",
                        index=int(r.get("passage_index") or 0),
                        title=r.get("title") or None,
                    )
                )
    return out


def demo() -> list[Example]:
    out = []
    for path in sorted((ROOT / "annotate/resources/sample_corpus").glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        label = G if path.name.startswith("05_") else "none"
        paras = [x.strip() for x in body.split("\n\n") if x.strip()]
        out += [
            Example(
                text=t,
                labels={label},
                known={label},
                split="test",
                source=path.name,
                doc_key=path.stem,
                index=i,
                title=title.strip(),
            )
            for i, t in enumerate(paras)
        ]
    return out


def _plain(text: str, source: str, key: str, label: str) -> Example:
    return Example(
        text=text, labels={label}, known={label}, split="test", source=source, doc_key=key
    )


def crisislex(n: int, rng: random.Random) -> list[Example]:
    rows = []
    for path in sorted(SHARED.glob("crisislex-t26/*/*labeled.csv")):
        with path.open(encoding="utf-8") as f:
            for r in csv.DictReader(f, skipinitialspace=True):
                if r.get("Informativeness") == "Related and informative":
                    rows.append((path.parent.name, r))
    rng.shuffle(rows)
    return [
        _plain(r["Tweet Text"], f"crisislex:{ev}:{r['Information Type']}", f"cl{i}", "news")
        for i, (ev, r) in enumerate(rows[:n])
    ]


def crowdcounter(n: int, rng: random.Random) -> list[Example]:
    lines = (SHARED / "crowdcounter" / "Test.json").read_text(encoding="utf-8").splitlines()
    replies = sorted({json.loads(x)["counterspeech"] for x in lines if x.strip()})
    rng.shuffle(replies)
    return [
        _plain(t, "crowdcounter", f"cc{i}", "counter_speech") for i, t in enumerate(replies[:n])
    ]


Rule = Callable[[Example, Any], str]  # "" (shown) or why hidden


def rules() -> dict[str, Rule]:
    def model(t: float | None) -> Rule:
        def rule(ex: Example, p: Any) -> str:
            s = p.scores.get(G, 0.0)
            if t is None and (G in p.labels or s >= 0.5):
                return "model"
            if t is not None and (G in p.labels or s >= t):
                return "model"
            return ""

        return rule

    def terms(base: Rule | None) -> Rule:
        def rule(ex: Example, p: Any) -> str:
            if base is not None and base(ex, p):
                return "model"
            return "term" if graphic_term(ex.text, DEFAULT_HIDE_TERMS) else ""

        return rule

    out: dict[str, Rule] = {"current (label or score >= 0.5)": model(None)}
    for t in (0.3, 0.2, 0.15, 0.1, 0.05):
        out[f"label or score >= {t}"] = model(t)
    out["terms alone"] = terms(None)
    out["current + terms"] = terms(model(None))
    for t in (0.2, 0.1):
        out[f"label or score >= {t} + terms"] = terms(model(t))
    return out


def measure(examples: Sequence[Example], preds: Sequence[Any]) -> dict[str, Any]:
    res: dict[str, Any] = {}
    for name, rule in rules().items():
        cells: dict[str, list[int]] = {}
        for ex, p in zip(examples, preds, strict=True):
            hidden = bool(rule(ex, p))
            if G in ex.labels:
                group = "graphic"
            else:
                group = next(
                    (g for g in ("news_reporting", "counter_speech", "none") if g in ex.labels),
                    "news_reporting"
                    if "news" in ex.labels
                    else ("other_harmful" if ex.labels else "unlabelled"),
                )
            c = cells.setdefault(group, [0, 0])
            c[0] += int(hidden)
            c[1] += 1
        non = [sum(v[i] for k, v in cells.items() if k != "graphic") for i in (0, 1)]
        res[name] = {
            "graphic_hidden": cells.get("graphic", [0, 0]),
            "non_graphic_hidden": non,
            "by_group": cells,
        }
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=400)
    ap.add_argument("--out", default=str(ROOT / "benchmarks/results/wellbeing_hiding.json"))
    args = ap.parse_args()
    tax = load_taxonomy(ROOT / "labels.yaml")
    clf = load_classifier(ROOT / "models" / "default", tax)
    seed = split_seed(clf, None)[0]
    project = [DataSource(str(p)) for p in sorted((ROOT / "data" / "project").glob("*.jsonl"))]
    OWN.update({"project test split", "regression fixtures", "demo corpus (per paragraph)"})
    sets: dict[str, list[Example]] = {
        "project test split": scored_examples([clf], tax, project, "test", seed)[0],
        "regression fixtures": fixtures(),
        "demo corpus (per paragraph)": demo(),
    }
    rng = random.Random(0)
    if SHARED.is_dir():
        sets["crisislex-t26 (sample)"] = crisislex(args.sample, rng)
        sets["crowdcounter test replies (sample)"] = crowdcounter(args.sample, rng)
    report: dict[str, Any] = {
        "command": f"PYTHONPATH=$PWD python benchmarks/wellbeing_hiding.py --sample {args.sample}",
        "machine": run_header(),
        "chosen": CHOSEN,
        "model": clf.version,
        "split_seed": seed,
        "terms": list(DEFAULT_HIDE_TERMS),
        "sets": {},
    }
    for name, examples in sets.items():
        preds = predict_examples(clf, examples)
        got = measure(examples, preds)
        missed = [
            {"text": e.text[:160], "score": round(p.scores.get(G, 0.0), 3)}
            for e, p in zip(examples, preds, strict=True)
            if G in e.labels and not rules()["current (label or score >= 0.5)"](e, p)
        ]
        term_hits = [
            {"text": e.text[:160], "term": graphic_term(e.text), "labels": sorted(e.labels)}
            for e in examples
            if G not in e.labels and graphic_term(e.text)
        ]
        own = name in OWN  # public sets: counts only, never their text in the project
        report["sets"][name] = {
            "n": len(examples),
            "rules": got,
            "graphic_missed_by_current": missed if own else len(missed),
            "non_graphic_term_hits": term_hits if own else len(term_hits),
        }
        print(f"## {name} (n={len(examples)})")
        for rule, r in got.items():
            g, n = r["graphic_hidden"], r["non_graphic_hidden"]
            gr = f"{g[0]}/{g[1]}" if g[1] else "-"
            print(f"  {rule:34s} graphic hidden {gr:8s} non-graphic hidden {n[0]}/{n[1]}")
    Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
