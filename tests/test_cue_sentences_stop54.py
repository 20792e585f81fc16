"""Subtitle cue sentences, stop 54 (annotate.classifier.cue_sentences, reading 12):

1) a sentence closed by another speaker's line is linked through a condition: a cue
   holding a condition not yet given its consequence ("if you go to the cops") goes on
   into the cue opening the consequence ("I will cut your throat") or going on in lower
   case, as a cue ending with a comma goes on (break8's "I swear to God, Danny," /
   "if you go to the cops" / "I will cut your throat" / "- Danny!" was read cue by cue);
2) a sentence is bounded by what the model reads of it (cue_sentences.BUDGET characters),
   not by four cues: one of five cues or more is read whole;
3) a trailing ellipsis before a capitalised imperative with its object ends the sentence,
   after an infinitive's "to" too ("I'm going to..." / "Toss the knife." was one);
(4, ingest's cue deduplication keeping each cue's place: tests/test_ingest_cue_places.py.)

The cues are written for these tests."""

from __future__ import annotations

import pytest

from annotate.classifier import cue_sentences, turn_text
from tests.classifier.test_cue_ellipsis import _cues, _Threat


def _read(cues: list[str], doc: str = "s54.srt") -> list[str]:
    clf = _Threat()
    turn_text.predict_turns(clf, _cues(cues, doc))
    return clf.read[: len(cues)]


@pytest.mark.parametrize(
    ("cues", "first", "last"),
    [
        (["Hi.", "I swear to God, Danny,", "if you go to the cops", "I will slit your throat",
          "- Danny!"], 1, 4),
        (["Hi.", "Listen,", "if you ever", "go to the cops", "I'll slit your throat",
          "- What?"], 1, 5),
        (["Wait.", "Unless you pay by Friday", "we're gonna slit his throat", "[JOHN] No."],
         1, 3),
        (["Hi.", "I swear, Danny,", "once you talk to them", "I'm going to slit your throat",
          "- Stop!"], 1, 4),
    ],
)  # fmt: skip
def test_a_condition_links_its_consequence_up_to_another_speakers_line(
    cues: list[str], first: int, last: int
) -> None:
    read = _read(cues)
    assert read[first:last] == [" ".join(cues[first:last])] * (last - first), read


@pytest.mark.parametrize(
    "cues",
    [
        # the condition already has its consequence in its cue: nothing says it goes on
        ["Hi.", "If you go to the cops I'll slit your throat", "anyway the soup is ready",
         "- Thanks!"],
        ["Hi.", "I'll slit your throat if you go to the cops", "Anyway the soup is ready",
         "- Thanks!"],
        # no consequence opening the next cue, nor a lower-case word going on
        ["Hi.", "if you want", "Anyway I'll slit the cake", "- Thanks!"],
        # a phrase, no clause ("Once upon a time")
        ["Hi.", "Once upon a time", "I'll slit the cake", "- Thanks!"],
        # the file's end (or a cue missing from the input) is still no end
        ["Hi.", "I swear to God, Danny,", "if you go to the cops", "I will slit your throat"],
    ],
)  # fmt: skip
def test_no_link_where_the_condition_is_complete_or_nothing_goes_on(cues: list[str]) -> None:
    assert _read(cues) == cues


LONG = [
    "Listen to me, Danny,",
    "when this is over",
    "and the money is gone",
    "and your friends",
    "have all left town,",
    "and nobody in this harbour",
    "remembers your name,",
    "I will find you",
    "and slit your throat.",
]


@pytest.mark.parametrize("n", [5, 7, 9])
def test_a_sentence_of_five_cues_or_more_is_read_whole(n: int) -> None:
    cues = ["Hi.", *LONG[: n - 2], *LONG[-2:], "Bye."]
    sentence = " ".join(cues[1:-1])
    read = _read(cues)
    assert read == [cues[0], *[sentence] * n, cues[-1]], read


def test_a_sentence_longer_than_the_budget_is_read_cue_by_cue() -> None:
    """Each cue alone, its middle cue too (break8 M9: every cue of a sentence reads
    alike)."""
    trip = "and then we drove all the way down to the old harbour in the rain,"
    cues = ["Hi.", LONG[0], *[trip] * 10, *LONG[-2:], "Bye."]
    assert len(" ".join(cues[1:-1])) > cue_sentences.BUDGET
    assert len(cues) - 2 <= cue_sentences.REACH + 1
    assert _read(cues) == cues
    assert _read([*cues[:3], *cues[-3:]])[1] == " ".join([*cues[1:3], *cues[-3:-1]])


def test_a_sentence_of_more_cues_than_windows_carry_is_read_cue_by_cue() -> None:
    cues = ["Hi.", LONG[0], *["and so" for _ in range(cue_sentences.REACH)], *LONG[-2:], "Bye."]
    assert len(" ".join(cues[1:-1])) < cue_sentences.BUDGET
    assert _read(cues) == cues


@pytest.mark.parametrize(
    "cues",
    [
        # a capital opening a cue with nothing linking it to the cue before
        ["Really?", "Anyway, the soup is ready", "I'll slit your throat", "yeah yeah",
         "la la la", "Fine."],
        # captions in lower case, a full stop now and then
        ["so then", "we went", "to the shop", "and i said", "i'll slit your throat", "ok."],
    ],
)  # fmt: skip
def test_a_long_sentence_not_written_as_one_is_read_cue_by_cue(cues: list[str]) -> None:
    assert _read(cues) == cues


@pytest.mark.parametrize(
    ("cues", "joined"),
    [
        # an ellipsis before a capitalised imperative with its object: a new sentence
        (["I'm going to...", "Toss the knife."], False),
        (["What I really want is to...", "Burn your house down."], False),
        (["I'm gonna have to...", "Drop the gun or I'll slit your throat."], False),
        # ... in lower case the sentence goes on; a name goes on after "to"
        (["I'm going to...", "toss the knife."], True),
        (["I'm going to...", "...toss the knife."], True),
        (["I'm going to...", "Danny's place."], True),
        (["I told...", "Danny the truth."], True),  # a verb of telling: a name and object
    ],
)
def test_an_ellipsis_before_a_capitalised_imperative_ends_the_sentence(
    cues: list[str], joined: bool
) -> None:
    read = _read(["Hi.", *cues, "Bye."])
    assert (read[1] == " ".join(cues)) is joined, read
