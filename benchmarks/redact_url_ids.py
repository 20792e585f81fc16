"""What ``--redact``'s detection revision 4 no longer masks that revision 3 did: digit runs
that are a whole part of a web address's path or query (a status's, post's or item's id)
read as phone numbers (:func:`annotate.audit.redact.url_id_runs`). Each phone mask
revision 3 made and revision 4 drops is printed to be looked at: an id (a false mask
gone) or a phone number (a miss).

Inputs: as benchmarks/redact_phone_misfires.py (folders of ``.txt``/``.md``, ``--table
FILE:COLUMN``, ``--jsonl FILE``). Run: ``.venv/bin/python -m benchmarks.redact_url_ids
--jsonl data/project/harmful.jsonl --table /work/shared/data/gab-hate-corpus/ghc_train.tsv:text
--show 20``.

Measured at stop 52 with the allow-list of id segments and keys (``ID_SEGMENTS``,
``ID_KEYS``, break6 K2; the deny-list of phone keys it replaced gave the same counts here
but left slugs' and camelCase keys' phone numbers unmasked): Gab Hate Corpus train
(22,036 posts), 2 fewer, both eBay item ids (``https://www.ebay.com/itm/113134159069``,
false masks gone); CrisisLex T26 tweets (27,959, the 26 events' CSVs, `` Tweet Text``),
ISIS Kaggle tweets (17,410), data/project's 18 JSON Lines files (4,456 passages): 0.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotate.audit.redact import RedactionSettings, Redactor
from benchmarks._texts import main_over_texts


def report(label: str, texts: Iterator[tuple[str, str]], show: int) -> None:
    """Print how many phone masks revision 4 drops from revision 3's, and the first ``show``."""
    before = Redactor(RedactionSettings(kinds=("phone",), revision=3))
    after = Redactor(RedactionSettings(kinds=("phone",), revision=4))
    docs, fewer = 0, []
    for name, text in texts:
        docs += 1
        if "/" not in text:
            continue
        now = {(m.start, m.end) for m in after.find(text)}
        for m in before.find(text):
            if (m.start, m.end) not in now:
                fewer.append((name, text[max(0, m.start - 40) : m.end + 10]))
    print(f"{label}: {docs:,} documents, {len(fewer)} fewer phone masks (ids in web addresses)")
    for name, said in fewer[:show]:
        print(f"    {name}: {said!r}")


def main() -> None:
    main_over_texts(report, __doc__.split("\n\n")[0])


if __name__ == "__main__":
    main()
