"""Subtitle cue sentences, break12 M5 (annotate.classifier.cue_sentences, reading 13): a
cue "only addressing someone" (a vocative, keeping its own reading) was any word and two
capitalised words before a comma, so in ALL-CAPS captions the subject or verb half of a
sentence was one ("YOUR DAUGHTERS," / "WILL BE RAPED AND KILLED."), and took no threat
where its mixed-case copy did. The words decide now, not their case. The cues are
written for these tests."""

from __future__ import annotations

import pytest

from annotate.classifier.cue_sentences import vocative
from tests.test_cue_sentences_break10 import _read


@pytest.mark.parametrize(
    "text",
    ["YOUR DAUGHTERS,", "I'LL SLIT,", "I’LL SLIT,", "IF YOU TALK,", "WE WILL BOMB,",
     "KILL THEM ALL,", "Death To America,", "Shoot Him,", "WE WILL FIND THEM,"],
)  # fmt: skip
def test_a_clause_in_capitals_is_no_vocative(text: str) -> None:
    assert not vocative(text)


@pytest.mark.parametrize(
    "text",
    ["Kids,", "KIDS,", "Uncle Rob,", "UNCLE ROB,", "and nana,", "AND GRANDMA,", "Listen,",
     "LISTEN,", "Oh slit,", "MY LORD,", "YOU PEOPLE,", "Cousin Bea,", "O'BRIEN,"],
)  # fmt: skip
def test_names_and_addressees_stay_vocatives(text: str) -> None:
    assert vocative(text)


def test_an_all_caps_sentence_reads_as_its_mixed_case_copy() -> None:
    # the stub reads "slit" (lower case) as a threat; the rest of the caption is in capitals
    mixed = ["Hello.", "Your daughters,", "we will slit their throats.", "- Ha!"]
    caps = ["HELLO.", "YOUR DAUGHTERS,", "WE WILL slit THEIR THROATS.", "- HA!"]
    read_mixed, labels_mixed = _read(mixed)
    read_caps, labels_caps = _read(caps)
    assert [r.lower() for r in read_caps] == [r.lower() for r in read_mixed]
    assert labels_caps == labels_mixed == [["none"], *[["violent_threat"]] * 2, ["none"]], (
        labels_caps,
        labels_mixed,
    )
