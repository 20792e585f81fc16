"""What ``--redact``'s phone detectors mask in prose: a check that widening them (numbers
written with ``+country`` that ``phonenumbers`` calls possible but not valid: a new or
unassigned range, Ofcom's fictional 07700 900xxx) does not mask news text.

Every ``.txt``/``.md`` file under the folders given (e.g. the BBC News articles as
benchmarks/journalism_false_flags.write_articles writes them) is read, and each phone
match printed with its kind: ``valid`` (scrubadub's PhoneDetector, once per region, as
``annotate.audit.redact.Redactor`` runs it) or ``possible`` (found only by the widened
rule, :func:`annotate.audit.redact.possible_international_numbers`).

Run: ``.venv/bin/python benchmarks/redact_phone_misfires.py FOLDER [...] [--show N]``.
About a minute for the 2,225 BBC articles, one core.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from annotate.audit.redact import RedactionSettings, Redactor, possible_international_numbers
from benchmarks.turns_misfires import folder_texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    # the detectors without the widened rule: what was masked before it
    redactor = Redactor(RedactionSettings(kinds=("phone",), international_possible=False))
    plus = re.compile(r"\+\s?\d")  # any "+digit": how often a widened rule could fire
    docs = valid_docs = possible_docs = plus_docs = 0
    valid: list[tuple[str, str]] = []
    possible: list[tuple[str, str]] = []
    for folder in args.folders:
        for name, text in folder_texts(folder):
            docs += 1
            plus_docs += bool(plus.search(text))
            found = [m for m in redactor.find(text) if m.kind == "phone"]
            spans = {(m.start, m.end) for m in found}
            widened = [
                (s, e) for s, e in possible_international_numbers(text) if (s, e) not in spans
            ]
            valid += [(name, text[m.start : m.end]) for m in found]
            possible += [(name, text[s:e]) for s, e in widened]
            valid_docs += bool(found)
            possible_docs += bool(widened)
    print(f"{docs:,} documents, {plus_docs} with a '+' before a digit")
    print(f"phone numbers masked now (valid): {len(valid)} in {valid_docs} documents")
    for name, said in valid[: args.show]:
        print(f"  {name}: {said!r}")
    print(f"more masked when widened (+country, possible): {len(possible)} in {possible_docs}")
    for name, said in possible[: args.show]:
        print(f"  {name}: {said!r}")


if __name__ == "__main__":
    main()
