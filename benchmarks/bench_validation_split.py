"""Near-duplicate grouping of a held-out validation split, and near-copies across the
public sources' own splits.

1. Cost: :func:`annotate.training.validation_split.hold_out_validation` on N training
   examples of the mapped public sources (their train split, every row put in train),
   with the MinHash LSH search (``search=True``, the default) against the obvious
   alternative in the same run, whole documents only (``search=False``); seconds, ratio,
   documents held out and how many of those are near-copies of a training passage.
2. Leakage of the sources' own split rules (``split: ... by:`` of models/mappings/*.yaml):
   per source, the share of its test (and validation) rows with a near-duplicate
   (ingest's MinHash LSH, threshold 0.8) in its train rows.
3. With a training config (CONFIG, e.g. the default recipe with its paths made to reach
   the data): per source of it, test rows with a near-copy in the same source's train
   rows and in the other sources' train rows (what a cross-source fold holding the source
   out trains on).

Reads the public data where the default recipe does (``../shared/data`` beside the
repository, or DATA); writes nothing. Run: ``PYTHONPATH=. .venv/bin/python
benchmarks/bench_validation_split.py [N] [DATA] [CONFIG]``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from annotate.taxonomy import load_taxonomy
from annotate.training.sources import Example, load_mapping, read_mapped
from annotate.training.validation_split import hold_out_validation, searched_groups
from benchmarks._machine import run_header

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {  # the default recipe's public sources: data (glob) under DATA, mapping
    "implicit-hate": "implicit-hate/implicit_hate_v1_stg1_posts.tsv",
    "gab-hate-corpus": "gab-hate-corpus/ghc_train.tsv",
    "hatemoji-build": "hatemoji-build/*.csv",
    "crowdcounter": "crowdcounter/[TV]*.json",
    "crisislex-t26": "crisislex-t26/*/*-tweets_labeled.csv",
    "stormfront-vicomtech": "stormfront-vicomtech/stormfront_sentences.csv",
}


def load(data: Path, name: str, tax) -> list[Example]:
    mapping = load_mapping(ROOT / "models" / "mappings" / f"{name}.yaml", tax)
    return read_mapped(data / SOURCES[name], mapping, tax, seed=13)


def cross_split(examples: list[Example]) -> dict[str, object]:
    """Rows of validation / test with a near-duplicate among the train rows."""
    groups = searched_groups(examples)
    train_groups = {g for g, ex in zip(groups, examples, strict=True) if g and ex.split == "train"}
    out: dict[str, object] = {}
    for split in ("validation", "test"):
        rows = [g for g, ex in zip(groups, examples, strict=True) if ex.split == split]
        hit = sum(g in train_groups for g in rows)
        out[split] = {"rows": len(rows), "near_copy_in_train": hit}
        out[f"{split}_rate"] = round(hit / len(rows), 4) if rows else None
    return out


def recipe_leakage(config: str, tax) -> dict[str, object]:
    """Per source of ``config``'s data: test rows with a near-copy in its own train rows
    and in the other sources' train rows."""
    from annotate.training.config import fit_to_taxonomy, load_train_config
    from annotate.training.rows import data_sources
    from annotate.training.sources import load_examples

    cfg = fit_to_taxonomy(load_train_config(config), tax)
    exs, _ = load_examples(data_sources(cfg), tax, cfg.seed)
    t0 = time.perf_counter()
    groups = searched_groups(exs)
    seconds = time.perf_counter() - t0
    train_sources: dict[str, set[str]] = {}
    for g, ex in zip(groups, exs, strict=True):
        if g and ex.split == "train":
            train_sources.setdefault(g, set()).add(ex.source)
    out: dict[str, object] = {"rows": len(exs), "search_seconds": round(seconds, 1)}
    for src in sorted({ex.source for ex in exs}):
        for split in ("validation", "test"):
            rows = [
                (g, ex)
                for g, ex in zip(groups, exs, strict=True)
                if ex.source == src and ex.split == split
            ]
            own = sum(1 for g, _ in rows if g and src in train_sources.get(g, ()))
            other = sum(1 for g, _ in rows if g and train_sources.get(g, set()) - {src})
            out[f"{src} {split}"] = {
                "rows": len(rows),
                "in_own_train": own,
                "in_other_train": other,
            }
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    data = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT.parent / "shared" / "data"
    tax = load_taxonomy(ROOT / "labels.yaml")
    report: dict[str, object] = {"machine": run_header(), "rows": n, "sources": {}}
    if len(sys.argv) > 3:
        report["recipe"] = recipe_leakage(sys.argv[3], tax)
        print(json.dumps(report, indent=1))
        return
    pool: list[Example] = []
    for name in SOURCES:
        exs = load(data, name, tax)
        t0 = time.perf_counter()
        report["sources"][name] = {**cross_split(exs), "seconds": time.perf_counter() - t0}
        print(name, json.dumps(report["sources"][name]), flush=True)
        pool += [ex for ex in exs if ex.split == "train"]
    pool = pool[:n]
    timing = {}
    for search in (False, True):
        for ex in pool:
            ex.split = "train"
        t0 = time.perf_counter()
        held = hold_out_validation(pool, 13, search=search)
        seconds = time.perf_counter() - t0
        val = [ex for ex in pool if ex.split == "validation"]
        timing["search" if search else "documents_only"] = {
            "seconds": round(seconds, 2),
            "documents_held": held,
            "validation_rows": len(val),
        }
    # validation rows (whole documents only) that have a near-copy in train
    for ex in pool:
        ex.split = "train"
    hold_out_validation(pool, 13, search=False)
    groups = searched_groups(pool)
    train_groups = {g for g, ex in zip(groups, pool, strict=True) if g and ex.split == "train"}
    leaked = sum(
        1
        for g, ex in zip(groups, pool, strict=True)
        if ex.split == "validation" and g in train_groups
    )
    timing["documents_only"]["validation_rows_with_near_copy_in_train"] = leaked
    timing["ratio"] = round(timing["search"]["seconds"] / timing["documents_only"]["seconds"], 1)
    report["hold_out"] = timing
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
