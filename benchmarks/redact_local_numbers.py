"""What ``--redact``'s detection revision 3 masks that revision 2 left: North American
phone numbers written without their area code (``555-0142``,
:func:`annotate.audit.redact.local_numbers`). On prose every extra match is either such a
number or a false mask (an id, a count): each is printed to be looked at.

Inputs: as benchmarks/redact_phone_misfires.py (folders of ``.txt``/``.md``, ``--table
FILE:COLUMN``, ``--jsonl FILE``: data/project's passages). Run: ``.venv/bin/python -m
benchmarks.redact_local_numbers --jsonl data/project/harmful.jsonl --table
/work/shared/data/gab-hate-corpus/ghc_train.tsv:text --show 50``.

Measured at stop 51 (every match read by hand): data/project (4,456 passages) and the
test fixtures, 0 more; CrisisLex T26 tweets (27,959), 33 more, all phone numbers (relief
hotlines); Gab Hate Corpus (27,546), 1 more, a car's model number (``Model-J 534-2560``,
a false mask); Stormfront sentences (10,944), 1 more, a phone number; implicit-hate
(21,480), ISIS Kaggle tweets (17,410), Hatemoji (5,912): 0.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotate.audit.redact import RedactionSettings, Redactor
from benchmarks._texts import main_over_texts


def report(label: str, texts: Iterator[tuple[str, str]], show: int) -> None:
    """Print how many phone masks revision 3 adds to revision 2's, and the first ``show``."""
    before = Redactor(RedactionSettings(kinds=("phone",), revision=2))
    after = Redactor(RedactionSettings(kinds=("phone",), revision=3))
    docs, more = 0, []
    for name, text in texts:
        docs += 1
        old = [(m.start, m.end) for m in before.find(text)]
        for m in after.find(text):
            if not any(m.start < e and s < m.end for s, e in old):
                more.append((name, text[max(0, m.start - 30) : m.end + 15]))
    print(f"{label}: {docs:,} documents, {len(more)} more phone masks (local numbers)")
    for name, said in more[:show]:
        print(f"    {name}: {said!r}")


def main() -> None:
    main_over_texts(report, __doc__.split("\n\n")[0])


if __name__ == "__main__":
    main()
