"""break47 F14: violent_threat recall of a threat probe's rows with a chat turn's speaker
label in front of them, the model reading the label (as before the fix) or not
(:func:`annotate.classifier.turn_text.predict_turns`, as prelabel does now).

Rows of kind direct and normative of a probe (default benchmarks/probes/
blind_threats_5.yaml: blind, its texts are never printed: only rates), each scored bare,
as ``Dave: <text>`` and as ``[12:05] dave: <text>``, one passage per document, at the
model's shipped thresholds. Per kind and prefix: recall = rows labelled violent_threat /
rows, with the plain ``classifier.predict`` (``before``) and with ``predict_turns``
(``after``); the goal is prefixed recall equal to the bare text's. ``name`` is the row
alone (a plain name label outside a conversation is read as written: it is a headline's
attribution as often); ``name_in_chat`` is the row as the second turn of a two-passage
document after ``Sam: what did you say?`` (a conversation: the labels are read).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/probe_turn_labels.py [--model DIR]
[--probe YAML]`` (with ANNOTATE_CACHE_DIR, ANNOTATE_PRECISION=fp32 as ``make model``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from annotate.classifier.base import PassageInput
from annotate.classifier.loader import load_classifier
from annotate.classifier.turn_text import predict_turns
from annotate.taxonomy import as_taxonomy
from benchmarks.probe_group_threats import THREAT, THREAT_KINDS, probe_rows

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "benchmarks" / "probes" / "blind_threats_5.yaml"
PREFIXES = {
    "bare": "",
    "name": "Dave: ",
    "name_in_chat": "Dave: ",
    "stamped": "[12:05] dave: ",
}
OPENER = "Sam: what did you say?"  # the turn before the row's, in name_in_chat


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", help="model directory (default: models/default)")
    p.add_argument("--probe", type=Path, default=PROBE)
    args = p.parse_args()
    probe = yaml.safe_load(args.probe.read_text(encoding="utf-8"))
    rows = [r for r in probe_rows(probe) if r["kind"] in THREAT_KINDS]
    clf = load_classifier(args.model, as_taxonomy(None))
    out: dict[str, dict[str, dict[str, float | int]]] = {}
    for name, prefix in PREFIXES.items():
        inputs = []
        chat = name == "name_in_chat"
        for r in rows:
            if chat:  # the row as a chat's second turn
                inputs.append(PassageInput(r["id"] + ":0", OPENER, doc_id=r["id"], passage_index=0))
            inputs.append(
                PassageInput(r["id"], prefix + r["text"], doc_id=r["id"], passage_index=int(chat))
            )
        row_at = {p.id: i for i, p in enumerate(inputs)}
        runs = {"before": clf.predict(inputs), "after": predict_turns(clf, inputs)}
        for kind in THREAT_KINDS:
            at = [row_at[r["id"]] for r in rows if r["kind"] == kind]
            figures: dict[str, float | int] = {"n": len(at)}
            for run, preds in runs.items():
                figures[run] = round(sum(THREAT in preds[i].labels for i in at) / len(at), 4)
            out.setdefault(kind, {})[name] = figures
    print(json.dumps({"probe": args.probe.name, "recall": out}, indent=1))


if __name__ == "__main__":
    main()
