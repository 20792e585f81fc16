"""passG52 G11: a one-word header in front of a threat erased it. "I will find where you
live and hurt you badly." is violent_threat 0.22 with a threat span alone, but "Re: ",
"Update: ", "Message: " in front made it none (0.01 to 0.02, no span): the threat
grammar reads a clause that opens its sentence, and the encoder read the header as words
of the message. Prediction now reads past a header label a line opens with (as it reads
past a speaker label), the passage's text unchanged, its spans on its own characters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate import prelabel
from annotate.classifier import DEFAULT_MODEL_DIR
from annotate.classifier.base import PassageInput, Prediction, Span
from annotate.classifier.turn_text import header_ranges, predict_turns, without_labels

THREAT = "I will find where you live and hurt you badly."


def test_header_ranges_are_the_leading_header_labels_of_each_line() -> None:
    assert header_ranges("Re: Fwd: hello there") == [(0, 9)]
    assert header_ranges("RE[2]: hi\nMessage: I will\nUpdate 2: more") == [
        (0, 7),
        (10, 19),
        (26, 36),
    ]
    # a header alone on its line, a word that names who speaks or what the words are,
    # and a header word inside a line are read as they are
    assert header_ranges("Re:\nI will find you") == []
    assert header_ranges("Trump: we will win") == []
    assert header_ranges("Breaking: a man was hurt") == []
    assert header_ranges("the re: line said hi") == []
    # after a speaker label's end
    assert header_ranges("Dave: Re: I will", after=[6]) == [(6, 10)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("RE:FW: I will kill you", [(0, 7)]),
        ("Re:I will kill you", [(0, 3)]),
        ("Fwd:RE:Fw:hello", [(0, 10)]),
        ("Re : Subject:hi", [(0, 13)]),
        # a digit, a slash or nothing after the colon: a time, a web address, a header
        # alone on its line
        ("Re:10 people came", []),
        ("Note:5pm tomorrow", []),
        ("message://abc@example.com", []),
        ("Re:", []),
        ("Re:\nI will", []),
        # a word that says who speaks stays, with or without a space
        ("Trump:we will win", []),
    ],
)
def test_a_header_without_a_space_after_its_colon_is_read_past(
    text: str, found: list[tuple[int, int]]
) -> None:
    """break6 K9: "RE:FW: I will kill you" and "Re:I will kill you" kept their headers
    (a space or tab was needed after each colon), as some mail clients write them."""
    assert header_ranges(text) == found


class _Recorder:
    """A classifier that records what it read and marks "I will find" in it."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def predict(self, passages, progress=None):  # type: ignore[no-untyped-def]
        out = []
        for p in passages:
            self.read.append(p.text)
            at = p.text.find("I will find")
            spans = [] if at < 0 else [Span(at, at + 11, "threat", 0.9)]
            out.append(Prediction(scores={}, labels=[], spans=spans))
        return out


def test_the_classifier_reads_past_the_header_and_spans_land_on_the_passage() -> None:
    text = "Re: Fwd: " + THREAT
    rec = _Recorder()
    (pred,) = predict_turns(rec, [PassageInput(id="p", text=text)])  # type: ignore[arg-type]
    assert rec.read == [THREAT]
    (span,) = pred.spans
    assert text[span.start : span.end] == "I will find"


def test_training_reads_its_examples_with_their_headers() -> None:
    # prediction's reading only (as the paragraph and cue readings): the shipped models
    # were trained on reading 5, which keeps a header (TRAINING_READING_VERSION unchanged)
    (read,), _ = without_labels([PassageInput(id="p", text="Re: " + THREAT)])
    assert read.text == "Re: " + THREAT


@pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)
def test_a_threat_under_a_header_is_labelled_as_the_threat_alone(tmp_path: Path) -> None:
    heads = ["", "Re: ", "Update: ", "Message: ", "Subject: ", "Fwd: "]
    rows = [{"id": f"h{i}", "text": h + THREAT} for i, h in enumerate(heads)]
    src = tmp_path / "p.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    prelabel(src, tmp_path / "l.jsonl")
    out = [json.loads(x) for x in (tmp_path / "l.jsonl").read_text("utf-8").splitlines()]
    bare = out[0]["scores"]["violent_threat"]
    for row in out:
        assert "violent_threat" in row["labels"], row
        assert row["scores"]["violent_threat"] == pytest.approx(bare, abs=1e-4)
        (span,) = [s for s in row["spans"] if s["label"] == "threat"]
        assert row["text"][span["start"] :].startswith("I will find")


def test_the_classifier_reads_past_a_header_without_a_space() -> None:
    """break6 K9: the model read "RE:FW:" as words of the message."""
    text = "RE:FW:" + THREAT
    rec = _Recorder()
    (pred,) = predict_turns(rec, [PassageInput(id="p", text=text)])  # type: ignore[arg-type]
    assert rec.read == [THREAT]
    assert [(s.start, s.end) for s in pred.spans] == [(6, 17)]
    assert text[6:17] == "I will find"
