"""A subtitle cue reads the same in any window of prelabel's (break6's check, stop 52;
stop 53 keeps it): random subtitle files of cues drawn from the forms cue_sentences reads
(ellipses, names, conditions, titles, sound cues, speaker ids and labels, voice tags,
dialogue lines, interruptions and their resumption, cues without punctuation), each cue
read with only its ``LOOK`` neighbours each side against the whole file.

    PYTHONPATH=. .venv/bin/python benchmarks/cue_windows.py [--files 3000] [--seed 53]

Prints the files read, the cues compared and those reading otherwise (0 expected), with
the first few. tests/test_cue_sentences_leftovers.py runs 300 files of it.
"""

from __future__ import annotations

import argparse
import random
import sys

from annotate.classifier import turn_text
from annotate.classifier.base import PassageInput
from annotate.classifier.cue_sentences import LOOK, in_sentences
from annotate.classifier.turn_text import _kept, _text
from annotate.ingestion.subtitles import markup_ranges
from annotate.ingestion.turn_labels import named_speakers

POOL = [
    "I told...",
    "Danny to leave.",
    "[door slams]",
    "(sighs)",
    "If you talk...",
    "I'll kill you.",
    "and then",
    "we go.",
    "- Run!",
    "Previously on X...",
    "You die.",
    "the...",
    "Wait,",
    "<v Bob>hi",
    "<v Ann>and",
    "...and more",
    "so",
    "Stop!",
    "♪ la la ♪",
    "You say one word...",
    "Once upon a time...",
    "Beat it, or I die.",
    "I swear --",
    "-- if you touch it",
    "JOHN: [laughs]",
    "[JOHN]",
    "no punctuation here",
    "I'll burn it down.",
    "Once you talk...",
    "Toss the knife.",
    "MARY: you know",
    "- What?",
    "and if you touch it",
    "I was only trying to...",
    # a sentence of many cues, linked by commas, lower case and a condition (stop 54)
    "Listen to me, Danny,",
    "when this is over",
    "and the money is gone",
    "have all left town,",
    "if you go to the cops",
    "I will cut your throat",
    "and then we drove all the way down to the old harbour in the rain,",
]


def windows_differ(
    files: int, seed: int = 53, counted: list[int] | None = None
) -> list[tuple[list[str], int]]:
    """Random subtitle files of POOL's cues (1 to 3 * LOOK of them) whose cue ``i`` reads
    otherwise with only its LOOK neighbours each side than in the whole file: each as
    (cues, i). Empty where every cue reads the same in any window. ``counted`` gets the
    number of cues compared appended."""
    rng = random.Random(seed)
    bad = []
    n = 0
    for _ in range(files):
        texts = [rng.choice(POOL) for _ in range(rng.randint(1, 3 * LOOK))]
        # ingest records whether the whole file is a conversation (two named speakers or
        # more: its labels read as labels) on each passage, as prelabel's windows get it
        named = set().union(*(named_speakers(_text(t, _kept(t, markup_ranges(t)))) for t in texts))
        ps = [
            PassageInput(
                id=str(i), text=t, doc_id="w.srt", passage_index=i, conversation=len(named) >= 2
            )
            for i, t in enumerate(texts)
        ]
        alone, _, turns = turn_text._without_labels(ps, headers=True)
        full, _ = in_sentences(ps, alone, turns)
        n += len(ps)
        for i in range(len(ps)):
            lo, hi = max(0, i - LOOK), min(len(ps), i + LOOK + 1)
            a2, _, t2 = turn_text._without_labels(ps[lo:hi], headers=True)
            part, _ = in_sentences(ps[lo:hi], a2, t2)
            if part[i - lo].text != full[i].text:
                bad.append((texts, i))
    if counted is not None:
        counted.append(n)
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=53)
    args = ap.parse_args(argv)
    counted: list[int] = []
    bad = windows_differ(args.files, args.seed, counted)
    print(f"{args.files} files, {counted[0]} cues, LOOK {LOOK}: {len(bad)} read otherwise")
    for texts, i in bad[:5]:
        print(f"  cue {i} of {texts}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
