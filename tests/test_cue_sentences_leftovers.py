"""Subtitle cue sentences, stop 53's leftovers (annotate.classifier.cue_sentences):

a) a condition without "if" ("You say one word..." / "I'll burn your house down.") was
   read cue by cue: the threat's condition never reached the model with it;
b) a finished phrase opening with a word that may subordinate ("Once upon a time...")
   took the next cue's "I" into its sentence;
c) after a clause broken off on a word no clause ends with, an imperative missing from
   the list of sentence openers went on as if it were a name ("I was only trying to..." /
   "Beat it, or I'll slit your throat.");
d) a sentence resumed after "--" whose last cue has no final punctuation ("I swear I'll
   slit your throat --" / "-- if you touch it") was read as two, where another speaker's
   line follows (the file's end too until break8 M11: tests/test_cue_sentences_break8.py).

The cues are written for these tests. The property that a cue reads the same in any
window of ``LOOK`` neighbours is checked on random files here too (the benchmark with more
files: benchmarks/cue_windows.py)."""

from __future__ import annotations

import pytest

from annotate.classifier import turn_text
from benchmarks.cue_windows import windows_differ
from tests.classifier.test_cue_ellipsis import _cues, _Threat


def _read(cues: list[str], doc: str = "s53.srt") -> list[str]:
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(cues, doc))
    return clf.read


@pytest.mark.parametrize(
    ("cues", "joined"),
    [
        # a) a condition without "if": a present-tense clause of "you" (or anyone) and a
        # consequence "I'll ..." / "I will" / "I'm gonna"
        (["You say one word...", "I'll burn your house down."], True),
        (["You tell anyone about this...", "I will find you."], True),
        (["You so much as look at her...", "I'm gonna break your arm."], True),
        (["You ever touch my car again...", "I'll slit your throat."], True),
        (["Anyone moves...", "I'll shoot."], True),
        (["And you call the cops...", "I'm going to hurt her."], True),
        # not a condition: a discourse marker, a past or auxiliary clause, no consequence
        (["You know...", "I'll think about it."], False),
        (["You said you loved me...", "I'll never forgive you."], False),
        (["You asked for it...", "I'll give it to you."], False),
        (["You were right...", "I'll go."], False),
        (["You're fired...", "I'll call security."], False),
        (["You say one word...", "I don't care."], False),
        (["You talk to...", "I'll slit your throat."], False),  # broken off: not a clause
    ],
)
def test_a_condition_without_if_goes_on_into_its_consequence(cues: list[str], joined: bool) -> None:
    read = _read(cues)
    assert (read[0] == " ".join(cues)) is joined, read


@pytest.mark.parametrize(
    ("cues", "joined"),
    [
        # b) a phrase opening with a word that also subordinates: no clause
        (["Once upon a time...", "I killed a man."], False),
        (["Once again...", "I'm sorry."], False),
        (["Before the war...", "I'll slit your throat."], False),
        (["Since then...", "I've kept a knife."], False),
        (["After it...", "I ran."], False),  # a pronoun object, no subject
        (["Since that day...", "I've kept a knife."], False),
        (["Before you...", "I'll slit your throat."], False),  # broken off at the subject
        # ... and a clause it opens: a subject and more
        (["Once you talk...", "I'll slit your throat."], True),
        (["Once the cops leave...", "I'll slit your throat."], True),
        (["Before he wakes up...", "I'll be gone."], True),
        (["Until they pay...", "I keep the girl."], True),
        (["Once it's over...", "I'll slit your throat."], True),
        (["Since there was no money...", "I took the girl."], True),
        (["When in doubt...", "I'll ask."], True),  # a conjunction only: as before
    ],
)
def test_only_a_clause_opened_by_a_subordinating_word_takes_the_word_i(
    cues: list[str], joined: bool
) -> None:
    read = _read(cues)
    assert (read[0] == " ".join(cues)) is joined, read


@pytest.mark.parametrize(
    ("cues", "joined"),
    [
        # c) imperatives the opener list lacks: a verb with its object pronoun, a
        # particle, or (after no verb of telling) a determiner
        (["I was only trying to...", "Beat it, or I'll slit your throat."], False),
        (["Honey, have you seen my...", "Toss the knife or I'll slit your throat."], False),
        (["We were going to the...", "Clear off before I slit your throat."], False),
        (["Mom, I swear it wasn't my...", "Scram it or I'll slit your throat."], False),
        (["I was just looking for the...", "Hand me the money."], False),
        (["Give the money to...", "Piss off."], False),
        (["I was going to ask if...", "Grab him!"], False),
        # names going on, as before; a name and its object after a verb of telling
        (["I told...", "Danny to leave."], True),
        (["I told...", "Danny the truth."], True),
        (["I told...", "Danny's brother to leave."], True),
        (["Give the money to...", "Sergeant Reyes."], True),
        (["We found the...", "Harbour Master dead."], True),
        (["You tell...", "Marco he's next."], True),
        (["Give the money to...", "Danny at the bar."], True),
        (["I went to the...", "Ritz that night."], True),
    ],
)
def test_an_imperative_with_its_object_or_particle_is_no_name(
    cues: list[str], joined: bool
) -> None:
    read = _read(cues)
    assert (read[0] == " ".join(cues)) is joined, read


@pytest.mark.parametrize(
    ("cues", "sentence"),
    [
        # d) another speaker's line closes a sentence its punctuation links (not the
        # file's end since break8 M11: it looks like a passage missing from the input)
        (["I swear I'll slit your throat --", "-- if you touch it", "- What?"], 2),
        (["Hi.", "I swear I'll slit your throat --", "-- if you touch it", "- What?"], 2),
        (["I swear I'll slit your throat --", "-- if you touch it", "[JOHN] What?"], 2),
        (["I know where you live,", "and I will slit your throat", "- What?"], 2),
    ],
)
def test_a_punctuated_sentence_ends_at_another_speakers_line(
    cues: list[str], sentence: int
) -> None:
    read = _read(cues)
    first = 1 if cues[0] == "Hi." else 0
    whole = " ".join(cues[first : first + sentence])
    assert read[first : first + sentence] == [whole] * sentence, read


@pytest.mark.parametrize(
    "cues",
    [
        # captions without punctuation stay cue by cue at the file's end too
        ["so first you chop the onions", "then i will kill you", "with the knife"],
        ["and then we went home", "- i slit your throat"],
        # the file's end (or a passage missing from the input: break8 M11)
        ["I swear I'll slit your throat --", "-- if you touch it"],
        ["I know where you live,", "and I will slit your throat"],
        # a file's end beyond reach of the sentence's start
        [
            "I swear I'll slit your throat --",
            "-- if",
            "you",
            "touch",
            "my",
            "car",
            "or",
            "my",
            "bike",
        ],
    ],
)
def test_an_unpunctuated_end_stays_unjoined(cues: list[str]) -> None:
    read = _read(cues)
    assert read[: len(cues)] == cues, read


def test_a_cue_reads_the_same_in_any_window() -> None:
    """break6's check (3,000 files then; benchmarks/cue_windows.py runs as many): a cue
    read with only its LOOK neighbours reads as in the whole file. 80 files here since
    stop 54 (files of up to 3 * LOOK cues, LOOK 32: each window reads more)."""
    assert windows_differ(80) == []
