"""Texts the misfire benchmarks read (benchmarks/turns_misfires.py,
benchmarks/redact_phone_misfires.py, benchmarks/redact_local_numbers.py): every
``.txt``/``.md`` file under folders, the text column of CSV/TSV tables (``FILE:COLUMN``,
one post a document) and the ``text`` of JSON Lines files."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path


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


def jsonl_texts(name: str) -> Iterator[tuple[str, str]]:
    """(name, text) of each line of a JSON Lines file with a ``text`` (data/project's)."""
    with open(name, encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            text = json.loads(line).get("text") if line.strip() else None
            if isinstance(text, str) and text:
                yield f"{name} line {i}", text


def main_over_texts(
    report: Callable[[str, Iterator[tuple[str, str]], int], None], description: str
) -> None:
    """The benchmarks' command line: ``[FOLDER ...] [--table FILE:COLUMN] [--jsonl FILE]
    [--show N]``; ``report(label, texts, show)`` once per folder, table and JSON Lines
    file (its ``text``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--table", action="append", default=[], metavar="FILE:COLUMN")
    parser.add_argument("--jsonl", action="append", default=[], metavar="FILE")
    parser.add_argument("--show", type=int, default=5)
    args = parser.parse_args()
    for folder in args.folders:
        report(str(folder), folder_texts(folder), args.show)
    for spec in args.table:
        report(spec, table_texts(spec), args.show)
    for name in args.jsonl:
        report(name, jsonl_texts(name), args.show)
