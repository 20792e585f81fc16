"""Violent words used idiomatically (issue 8): how often a model gives a harmful label to
harmless sentences such as "I'm going to kill it at the audition", "I could murder a
pizza", "we got slaughtered in the final", "kill the lights", "mondays are murder",
"break a leg", and how many threats that use the same verbs ("I will murder your
family.") it still labels ``violent_threat``.

Data: benchmarks/idiom_sentences.jsonl, 165 idiomatic harmless sentences in seven
families (``perform``, ``body``, ``food``, ``sport``, ``argue``, ``hyper``, ``saying``;
groups and people as subjects, lower case and slang among them) and 60 one-sentence
threats (``threat``: true), all written for the project by s52-idiom before the reader
(annotate.classifier.idioms) was written, and used to write it: a check of the rule on
the sentences it was written from, not a blind one.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/idiom_false_flags.py MODEL_DIR
[MODEL_DIR ...] [--out OUT.json] [--sentences FILE.jsonl]``: per model and family,
sentences with any harmful label (threats: with ``violent_threat``), and each sentence
whose reading is wrong.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from annotate.classifier import PassageInput, load_classifier
from annotate.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = Path(__file__).resolve().parent / "idiom_sentences.jsonl"


def score(model: str, rows: list[dict]) -> dict:
    tax = load_taxonomy(ROOT / "labels.yaml")
    clf = load_classifier(model, tax)
    inputs = [PassageInput(id=r["id"], text=r["text"], doc_id=r["id"]) for r in rows]
    harmful = set(tax.harmful)
    flagged, total, wrong = Counter(), Counter(), []
    for r, p in zip(rows, clf.predict(inputs), strict=True):
        hit = "violent_threat" in p.labels if r["threat"] else bool(harmful & set(p.labels))
        flagged[r["family"]] += hit
        total[r["family"]] += 1
        if hit != r["threat"]:
            wrong.append(
                {
                    "id": r["id"],
                    "labels": p.labels,
                    "violent_threat": round(p.scores.get("violent_threat", 0.0), 3),
                }
            )
    return {
        "model": model,
        "by_family": {f: [flagged[f], total[f]] for f in sorted(total)},
        "idioms_flagged": sum(v for f, v in flagged.items() if f != "threat"),
        "idioms": sum(v for f, v in total.items() if f != "threat"),
        "threats_caught": flagged["threat"],
        "threats": total["threat"],
        "wrong": wrong,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="+")
    ap.add_argument("--out", type=Path)
    ap.add_argument(
        "--sentences",
        type=Path,
        default=SENTENCES,
        help="a JSONL file of id, text, family and threat (true/false) per line",
    )
    args = ap.parse_args()
    text = args.sentences.read_text(encoding="utf-8")
    rows = [json.loads(x) for x in text.splitlines() if x]
    out = []
    for m in args.models:
        res = score(m, rows)
        out.append(res)
        print(
            f"{m}: idioms flagged {res['idioms_flagged']}/{res['idioms']}, threats caught "
            f"{res['threats_caught']}/{res['threats']}; by family {res['by_family']}"
        )
    if args.out:
        args.out.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
