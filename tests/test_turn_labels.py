"""A passage's speaker labels (annotate.ingestion.turn_labels.label_ranges), read for the
classifier to score a chat turn's words without them (break47 F14), and the evidence
spans moved back onto the passage's own characters (annotate.classifier.turn_text)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from annotate.classifier.base import PassageInput, Prediction, Span
from annotate.classifier.turn_text import predict_turns, without_labels
from annotate.ingestion.turn_labels import label_ranges

MESSAGE = "not joking, I will break his legs"


@pytest.mark.parametrize(
    "label",
    [
        "Dave: ",
        "[12:05] dave: ",
        "12/05/26, 21:05 - Dave: ",
        "12/05/26, 21:05 - [PHONE-1]: ",
        "12/05/26, 21:02 - +1 415-555-2671: ",
        "[2026-12-05 21:02] alice: ",
        "[12:01:33] <alice> ",
        "<[HANDLE-1]> ",
        "[EMAIL-2]: ",
        "SPEAKER 1: ",
        "John Smith: ",
        "Speaker 1 (00:01:23): ",
        "**Interviewer:** ",
        "Posted by alice: ",
        "alice — Today at 10:02 PM\n",
        "Jane Doe  0:03\n\n",
    ],
)
def test_a_turn_label_is_found_up_to_its_message(label: str) -> None:
    text = label + MESSAGE
    assert label_ranges(text) == [(0, len(label))]


@pytest.mark.parametrize(
    "text",
    [
        MESSAGE,
        "Note: the meeting moved to Friday",
        "Update: I will break his legs is what he wrote",
        'Smith: "We will break their legs," the report quoted.',
        "@bob: I will break his legs",
        "[12:05] I will break his legs",
        "Dave: ",
        "He said: I will break his legs",
        "Example1: break the legs of the table",
    ],
)
def test_no_label_where_prose_or_a_quote_opens(text: str) -> None:
    assert label_ranges(text) == []


def test_a_burst_of_one_speakers_stamped_lines_loses_every_label() -> None:
    text = "12/05/26, 21:05 - Dave: hey\n12/05/26, 21:06 - Dave: " + MESSAGE
    (read,), _ = without_labels([PassageInput(id="p", text=text)])
    assert read.text == "hey\n" + MESSAGE


def test_a_label_inside_a_passage_that_opens_without_one_is_kept() -> None:
    text = "the match was great\nDave: " + MESSAGE
    (read,), _ = without_labels([PassageInput(id="p", text=text)])
    assert read.text == text


class _SpanOnWord:
    """A classifier that reads what it is given and marks the word ``break`` (and the
    read text's first 3 characters) as spans, keeping the texts it read."""

    version = "test"

    def __init__(self) -> None:
        self.labels = ["none"]
        self.read: list[str] = []

    def predict(self, passages: Sequence[PassageInput], *, progress=None) -> list[Prediction]:
        self.read = [p.text for p in passages]
        out = []
        for p in passages:
            at = p.text.index("break")
            spans = [Span(at, at + len("break his legs"), "threat", 0.9), Span(0, 3, "x", 0.5)]
            out.append(Prediction(scores={"none": 1.0}, labels=["none"], spans=spans))
        return out


def test_spans_land_on_the_passages_characters() -> None:
    texts = [
        "[12:05] dave: " + MESSAGE,
        MESSAGE,
        "12/05/26, 21:05 - Dave: ok\n12/05/26, 21:06 - Dave: " + MESSAGE,
        "alice — Today at 10:02 PM\n" + MESSAGE,
    ]
    clf = _SpanOnWord()
    preds = predict_turns(clf, [PassageInput(id=str(i), text=t) for i, t in enumerate(texts)])
    assert clf.read[0] == MESSAGE and clf.read[1] == MESSAGE and clf.read[3] == MESSAGE
    assert clf.read[2] == "ok\n" + MESSAGE
    for text, read, pred in zip(texts, clf.read, preds, strict=True):
        threat, first = pred.spans
        assert text[threat.start : threat.end] == "break his legs"
        assert text[first.start : first.end] == read[:3]


def test_a_plain_name_label_is_read_only_in_a_conversation() -> None:
    """``Trump: ...`` alone is a headline's attribution as often as a speaker's label;
    a document whose passages open with 2 speakers' labels is a conversation."""
    alone = [PassageInput(id="a", text="Trump: " + MESSAGE, doc_id="news")]
    assert without_labels(alone)[0][0].text == "Trump: " + MESSAGE
    chat = [
        PassageInput(id="1", text="Sam: you coming tonight?", doc_id="chat"),
        PassageInput(id="2", text="Dave: " + MESSAGE, doc_id="chat"),
    ]
    assert [p.text for p in without_labels(chat)[0]] == ["you coming tonight?", MESSAGE]
    one_row = [PassageInput(id="r", text="Sam: why\nDave: " + MESSAGE, doc_id="row")]
    assert without_labels(one_row)[0][0].text == "why\n" + MESSAGE


def test_a_stamped_label_is_read_alone() -> None:
    assert label_ranges("[12:05] dave: " + MESSAGE, conversation=False) == [(0, 14)]
    assert label_ranges("Dave: " + MESSAGE, conversation=False) == []


def test_subtitle_markup_is_not_read_and_spans_land_on_the_cue() -> None:
    """A subtitle cue's markup (stop 48 new-user F5): WebVTT's voice tag names the speaker
    (read as the message's first word before), italics, YouTube's word timings and an
    SRT position code are no words of the message; the Zoom cue's ``Jane Doe:`` label
    is a label still, once the markup before it is gone."""
    texts = [
        "<v Dave>not joking, I <i>will</i> break his legs</v>",
        "not<00:00:00.500><c> joking,</c><00:00:01.000><c> I</c><00:00:01.200><c> will</c>"
        "<00:00:01.400><c> break his legs</c>",
        '{\\an8}<font color="#ffff00">' + MESSAGE + "</font>",
    ]
    clf = _SpanOnWord()
    preds = predict_turns(clf, [PassageInput(id=str(i), text=t) for i, t in enumerate(texts)])
    assert clf.read == [MESSAGE] * 3
    for text, pred in zip(texts, preds, strict=True):
        threat, first = pred.spans
        assert text[threat.start : threat.end] == "break his legs"
        assert text[first.start : first.end] == "not"
    zoom = [
        PassageInput(id="1", text="<v Jane Doe>Jane Doe: you there?</v>", doc_id="zoom.vtt"),
        PassageInput(id="2", text="<i>Dave: " + MESSAGE + "</i>", doc_id="zoom.vtt"),
    ]
    assert [p.text for p in without_labels(zoom)[0]] == ["you there?", MESSAGE]
