"""Which documents ingest reads as conversations (annotate/ingestion/turns.py): a check
that the turn patterns do not fire on prose. Every ``.txt``/``.md`` file under the folders
given (e.g. the BBC News articles as benchmarks/journalism_false_flags.write_articles
writes them), and the text column of CSV/TSV tables (``--table FILE:COLUMN``, e.g. a
public set of tweets, one author a row: ingest never reads turns in table rows, this
shows what it would find there).

Run: ``.venv/bin/python -m benchmarks.turns_misfires [FOLDER ...] [--table FILE:COLUMN]
[--show N]``. Prints, per input, how many documents hold turns and the first ``--show``
of them with their speakers. A few seconds for the 2,225 BBC articles, one core.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotate.ingestion.turns import find_turns
from benchmarks._texts import main_over_texts


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
    main_over_texts(report, __doc__.split("\n\n")[0])


if __name__ == "__main__":
    main()
