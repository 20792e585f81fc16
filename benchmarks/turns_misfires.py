"""Which documents ingest reads as conversations (annotate/ingestion/turns.py): a check
that the turn patterns do not fire on prose. Every ``.txt``/``.md`` file under the folders
given (e.g. the BBC News articles as benchmarks/journalism_false_flags.write_articles
writes them), and the text column of CSV/TSV tables (``--table FILE:COLUMN``, e.g. a
public set of tweets, one author a row: ingest never reads turns in table rows, this
shows what it would find there).

Run: ``.venv/bin/python benchmarks/turns_misfires.py [FOLDER ...] [--table FILE:COLUMN]
[--show N]``. Prints, per input, how many documents hold turns and the first ``--show``
of them with their speakers. A few seconds for the 2,225 BBC articles, one core.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from annotate.ingestion.turns import find_turns


def folder_texts(folder: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of every .txt/.md file under ``folder`` (bytes not UTF-8 replaced)."""
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in (".txt", ".md") and path.is_file():
            yield str(path), path.read_bytes().decode("utf-8", "replace")


def table_texts(spec: str) -> Iterator[tuple[str, str]]:
    """(name, text) of each row of ``FILE:COLUMN`` (CSV; tab-separated for .tsv)."""
    name, _, column = spec.rpartition(":")
    csv.field_size_limit(sys.maxsize)
    with open(name, encoding="utf-8", newline="") as fh:
        delimiter = "\t" if name.endswith(".tsv") else ","
        for i, row in enumerate(csv.DictReader(fh, delimiter=delimiter), start=1):
            if row.get(column):
                yield f"{name} row {i}", row[column]


def report(label: str, texts: Iterator[tuple[str, str]], show: int) -> None:
    """Print how many of ``texts`` hold turns, and the first ``show`` of them."""
    total = 0
    hits: list[tuple[str, str, list[str | None]]] = []
    for name, text in texts:
        total += 1
        turns = find_turns(text)
        if turns:
            hits.append((name, text, [t.speaker for t in turns]))
    print(f"{label}: {len(hits)} of {total:,} documents read as conversations")
    for name, text, speakers in hits[:show]:
        print(f"  {name}: speakers {speakers}")
        print(f"    {text[:160]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--table", action="append", default=[], metavar="FILE:COLUMN")
    parser.add_argument("--show", type=int, default=5)
    args = parser.parse_args()
    for folder in args.folders:
        report(str(folder), folder_texts(folder), args.show)
    for spec in args.table:
        report(spec, table_texts(spec), args.show)


if __name__ == "__main__":
    main()
