"""Subtitle cue sentences after break8 (annotate.classifier.cue_sentences, reading 11):

M1) a sentence without final punctuation was closed by another speaker's line or the
    file's end wherever a comma stood in it, so in subtitles that drop full stops an
    innocent cue ("Anyway the soup is ready", song lines, credit lines) was read with
    the threat before it and took its label;
M11) a passage missing from prelabel's input (a file split or filtered) read as the
    file's end (or start): a cue's label depended on how the input was cut;
M9) the middle cue of a sentence of more than REACH + 1 cues was read with the whole
    sentence, its neighbours alone: the label landed on one arbitrary cue;
M2) "Until Marco pays..." / "I keep his daughter." and "What I really want is to..." /
    "Burn your house down ..." were no longer read as one sentence (the second is two
    again since stop 54: a capitalised imperative after an ellipsis opens a sentence).

The cues are written for these tests (the first three M1 rows are break8's)."""

from __future__ import annotations

import pytest

from annotate.classifier import turn_text
from annotate.classifier.base import PassageInput
from tests.classifier.test_cue_ellipsis import _cues, _Threat


def _read(cues: list[PassageInput]) -> list[str]:
    clf = _Threat()
    turn_text.predict_turns(clf, cues)
    return clf.read[: len(cues)]


@pytest.mark.parametrize(
    "cues",
    [
        ["Really?", "I'll slit your throat, I swear", "Anyway the soup is ready", "- Thanks!"],
        [
            "Oh, the weather outside is frightful",
            "but the fire is so delightful",
            "I'm gonna slit your throat in your sleep",
        ],
        [
            "Why?",
            "I'm going to slit your throat, Danny",
            "Sync and corrections by n17t01",
            "www.addic7ed.com",
        ],
        ["Why?", "Because, Danny, I'm going to slit your throat", "Subtitles by explosiveskull"],
        ["Good night, sweetheart", "Tomorrow I'll slit your throat", "Sleep well", "- Mom?"],
        # a comma links the first two, nothing the last two
        ["Why?", "Listen, Danny,", "I'll slit your throat", "Lunch is ready", "- Thanks!"],
        # an address among them: a credit line, no sentence's part
        ["I'll slit your throat,", "www.addic7ed.com", "- Next!"],
    ],
)
def test_a_comma_somewhere_does_not_join_cues_up_to_another_speaker_or_the_end(
    cues: list[str],
) -> None:
    assert _read(_cues(cues, "fansub.srt")) == cues


def test_innocent_cue_keeps_none_after_an_unpunctuated_threat() -> None:
    clf = _Threat()
    cues = ["Really?", "I'll slit your throat, I swear", "Anyway the soup is ready", "- Thanks!"]
    preds = turn_text.predict_turns(clf, _cues(cues, "fansub.srt"))
    assert [p.labels for p in preds] == [["none"], ["violent_threat"], ["none"], ["none"]]


def test_cues_linked_by_punctuation_still_end_at_another_speakers_line() -> None:
    cues = ["Hi.", "I swear to God, Danny,", "if you go to the cops,", "I will slit your throat"]
    read = _read(_cues([*cues, "- Danny!"], "s.srt"))
    assert read[1:4] == [" ".join(cues[1:])] * 3


FILE = ["Really?", "Anyway, the soup is ready", "I'll slit your throat", "yeah yeah"]


@pytest.mark.parametrize("cut", [1, 2, 3])
def test_a_cue_reads_alike_whatever_part_of_its_file_is_given(cut: int) -> None:
    """M11: the first ``cut`` cues given alone (a passages file split or filtered) read
    as in the whole file, and so do the rest (their passage indices not from 0)."""
    whole = _cues(FILE, "gap.srt")
    assert _read(whole[:cut]) == _read(whole)[:cut]
    assert _read(whole[cut:]) == _read(whole)[cut:]


def test_a_missing_cue_is_no_start_of_the_file() -> None:
    """M11: a cue whose predecessor is missing from the input (index above 0) does not
    start a sentence there; the file's first cue (index 0) does."""
    rest = [
        PassageInput(id=str(i), text=t, doc_id="g.srt", passage_index=i)
        for i, t in [(5, "and I will"), (6, "slit your throat.")]
    ]
    assert _read(rest) == ["and I will", "slit your throat."]
    first = _cues(["and I will", "slit your throat."], "g.srt")
    assert _read(first) == ["and I will slit your throat."] * 2


def test_every_cue_of_a_long_sentence_reads_alike() -> None:
    """M9: a sentence of more than REACH + 1 cues is read cue by cue, its middle cue
    too (it alone reached both ends and took the sentence's label)."""
    cues = [
        "Really?",
        "Anyway, the soup is ready",
        "I'll slit your throat",
        "yeah yeah",
        "la la la",
        "mm hmm",
        "ok ok",
        "Fine.",
    ]
    clf = _Threat()
    preds = turn_text.predict_turns(clf, _cues(cues, "long.srt"))
    assert clf.read[: len(cues)] == cues
    assert [p.labels for p in preds][3:] == [["none"]] * 5


@pytest.mark.parametrize(
    ("cues", "joined"),
    [
        # M2: a name and its verb after until/before/once: a clause's subject
        (["Until Marco pays...", "I keep his daughter slit."], True),
        (["Before Danny wakes up...", "I'll slit his throat."], True),
        (["Once Sarah signed...", "I slit the tyres."], True),
        (["Since Monday...", "I've kept a knife to slit throats."], False),  # a phrase
        # an infinitive broken off before a capitalised verb with its article or
        # possessive: a new sentence since stop 54 (the writer's capital; "I'm going
        # to..." / "Toss the knife." was one), lower case goes on
        (["What I really want is to...", "Burn your house down, slit your throat."], False),
        (["I'm going to...", "Slit the tyres."], False),
        (["I'm going to...", "slit the tyres."], True),
        # ... not with an object pronoun or particle, nor after a preposition "to"
        (["I was only trying to...", "Beat it, or I'll slit your throat."], False),
        (["Give the money to...", "Slit the bag open."], False),
    ],
)
def test_a_name_subject_and_an_infinitives_verb_go_on(cues: list[str], joined: bool) -> None:
    read = _read(_cues(cues, "m2.srt"))
    assert (read[0] == " ".join(cues)) is joined, read


def test_an_interruption_before_a_missing_cue_is_not_known_to_end_there() -> None:
    """M11: a cue ending ``--`` whose next cue is not in the input (a chunk's last, or
    the file's end, which looks alike) may be resumed there: its sentence is not
    joined up to it."""
    cues = ["Hi.", "If you call them,", "I'll slit your throat --", "-- and I mean it", "- What?"]
    whole = _cues(cues, "i.srt")
    assert _read(whole)[1:4] == [" ".join(cues[1:4])] * 3
    assert _read(whole[:3]) == cues[:3]
