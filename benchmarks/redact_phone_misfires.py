"""What ``--redact``'s widened phone rule and numbered placeholders do on real text.

1. Phone numbers: each phone match of scrubadub's PhoneDetector (valid numbers, once per
   region, as ``annotate.audit.redact.Redactor`` ran it before) and each one found only by
   the widened rule (numbers written with ``+country`` that ``phonenumbers`` calls possible
   but not valid: a new or unassigned range, Ofcom's fictional 07700 900xxx;
   :func:`annotate.audit.redact.possible_international_numbers`; and national numbers of
   possible length with a trunk 0 in the configured regions, ``07700 900456``:
   :func:`annotate.audit.redact.possible_national_numbers`): on prose, every extra match
   is a false mask to look at.
2. Numbered placeholders: documents with a placeholder, and documents holding 2+
   distinct values of a kind, which read alike before (``[HANDLE]`` twice) and are told
   apart now (``[HANDLE-1]``, ``[HANDLE-2]``).

Inputs: every ``.txt``/``.md`` file under the folders given (e.g. the BBC News articles as
benchmarks/journalism_false_flags.write_articles writes them), and the text column of
CSV/TSV tables (``--table FILE:COLUMN``, one post a document).

Run: ``.venv/bin/python -m benchmarks.redact_phone_misfires [FOLDER ...] [--table
FILE:COLUMN] [--show N]``. About 10 s for the 2,225 BBC articles, one core.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from annotate.audit.redact import RedactionSettings, Redactor
from benchmarks._texts import main_over_texts


def report(label: str, texts: Iterator[tuple[str, str]], show: int) -> None:
    """Print the phone matches (valid, and widened only) and what numbering tells apart."""
    before = Redactor(RedactionSettings(kinds=("phone",), international_possible=False))
    phones = Redactor(RedactionSettings(kinds=("phone",)))
    redactor = Redactor()
    docs = masked_docs = 0
    valid: list[tuple[str, str]] = []
    widened: list[tuple[str, str]] = []
    told: Counter[str] = Counter()
    for name, text in texts:
        docs += 1
        old = {(m.start, m.end) for m in before.find(text)}
        new = {(m.start, m.end) for m in phones.find(text)}
        valid += [(name, text[s:e]) for s, e in sorted(old)]
        widened += [(name, text[s:e]) for s, e in sorted(new - old)]
        matches = redactor.redact(text).matches
        masked_docs += bool(matches)
        distinct = Counter(kind for kind, _ in {(m.kind, m.placeholder) for m in matches})
        told.update(kind for kind, n in distinct.items() if n >= 2)
    print(f"{label}: {docs:,} documents, {masked_docs:,} with a placeholder")
    print(f"  phone numbers masked before (valid): {len(valid)}")
    for name, said in valid[:show]:
        print(f"    {name}: {said!r}")
    print(f"  more masked by the widened rule (possible: +country, national 0...): {len(widened)}")
    for name, said in widened[:show]:
        print(f"    {name}: {said!r}")
    print(f"  documents with 2+ distinct values of a kind (told apart now): {dict(told)}")


def main() -> None:
    main_over_texts(report, __doc__.split("\n\n")[0])


if __name__ == "__main__":
    main()
