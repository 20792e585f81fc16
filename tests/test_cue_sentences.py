"""A subtitle cue is read within its sentence (stop 48 new-user F4): one threat over 4
.srt cues was 4 passages, each scored as a fragment alone. The passages stay the cues
(annotate.ingestion.subtitles); the classifier reads each with the cues of its sentence
(annotate.classifier.cue_sentences), keeps the evidence spans on the cue's own words,
and prelabel's windows carry the cues a window's edge cuts off."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from annotate.classifier.base import PassageInput, Prediction, Span
from annotate.classifier.turn_text import predict_turns
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel

SRT = (
    "1\n00:00:01,000 --> 00:00:03,000\nI know where you live,\n\n"
    "2\n00:00:03,000 --> 00:00:05,000\nand if you talk to the police...\n\n"
    "3\n00:00:05,000 --> 00:00:07,000\n<i>I will find you</i>\n\n"
    "4\n00:00:07,000 --> 00:00:09,000\nand break your legs.\n\n"
    "5\n00:00:10,000 --> 00:00:12,000\nGood night\n\n"
    "6\n00:00:12,000 --> 00:00:14,000\n- Who was that?\n- Nobody.\n"
)
SENTENCE = (
    "I know where you live, and if you talk to the police... I will find you and break your legs."
)


class _Reads:
    """Records what it reads; marks ``break your legs`` and ``find`` where it reads them."""

    version = "reads@0"
    context_passages = 0

    def __init__(self, labels: Sequence[str] = ("none",)) -> None:
        self.labels = list(labels)
        self.read: list[str] = []

    def predict(self, passages: Sequence[PassageInput], *, progress=None) -> list[Prediction]:
        self.read += [p.text for p in passages]
        out = []
        for p in passages:
            spans = [
                Span(p.text.index(w), p.text.index(w) + len(w), "threat", 0.9)
                for w in ("break your legs", "find")
                if w in p.text
            ]
            score = (sum(map(ord, p.text)) % 997) / 997
            scores = dict.fromkeys(self.labels, 0.0) | {self.labels[0]: score}
            out.append(Prediction(scores=scores, labels=[], spans=spans))
        if progress is not None:
            progress(len(passages))
        return out


def ingested_rows(tmp_path: Path, name: str, text: str, out: str = "") -> list[dict]:
    """The passage rows ingest writes (to ``tmp_path / out``, default ``NAME.jsonl``) of
    ``text`` saved as ``tmp_path / name``."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    dest = tmp_path / (out or f"{name}.jsonl")
    ingest([path], dest, min_chars=0)
    return [json.loads(line) for line in dest.read_text(encoding="utf-8").splitlines()]


def _cues(tmp_path: Path, name: str = "film.srt") -> list[dict]:
    return ingested_rows(tmp_path, name, SRT, out="p.jsonl")


def passage_inputs(rows: list[dict]) -> list[PassageInput]:
    """The classifier's inputs of ingest's rows (id, text, document, index)."""
    return [
        PassageInput(
            id=r["id"], text=r["text"], doc_id=r["doc_id"], passage_index=r["passage_index"]
        )
        for r in rows
    ]


def test_each_cue_is_read_within_its_sentence_and_keeps_its_own_spans(tmp_path: Path) -> None:
    rows = _cues(tmp_path)
    assert len(rows) == 7  # one passage per cue still (a line per speaker)
    clf = _Reads()
    preds = predict_turns(clf, passage_inputs(rows))
    assert clf.read[:7] == [SENTENCE] * 4 + ["Good night", "- Who was that?", "- Nobody."]
    # the cues holding the sentence's evidence get its scores; the others their own
    # (a neighbour's threat raises no cue: break48b #1)
    assert clf.read[7:] == [
        "I know where you live,",
        "and if you talk to the police...",
        "I will find you",
        "and break your legs.",
    ]
    assert (
        preds[2].scores
        == preds[3].scores
        == clf.predict([PassageInput(id="s", text=SENTENCE)])[0].scores
    )
    assert preds[0].scores == clf.predict([PassageInput(id="a", text=clf.read[7])])[0].scores
    marked = [
        [r["text"][s.start : s.end] for s in p.spans] for r, p in zip(rows, preds, strict=True)
    ]
    assert marked == [[], [], ["find"], ["break your legs"], [], [], []]


@pytest.mark.parametrize(
    ("second", "joined"),
    [
        ("and I mean it.", True),
        ("- and I mean it.", False),  # a dialogue line: another speaker
        ("<v Bob>and I mean it.", False),  # a voice tag opens another speaker's line
    ],
)
def test_a_sentence_stops_where_another_speaker_starts(second: str, joined: bool) -> None:
    inputs = [
        PassageInput(id="1", text="I will find you", doc_id="a.vtt", passage_index=0),
        PassageInput(id="2", text=second, doc_id="a.vtt", passage_index=1),
    ]
    clf = _Reads()
    predict_turns(clf, inputs)
    assert (clf.read[0] == "I will find you and I mean it.") is joined


def test_passages_of_other_files_are_read_alone() -> None:
    """A chat's turns end without a full stop as often as not: they are no fragments."""
    inputs = [
        PassageInput(id="1", text="I will find you", doc_id="chat.txt", passage_index=0),
        PassageInput(id="2", text="and break your legs", doc_id="chat.txt", passage_index=1),
    ]
    clf = _Reads()
    predict_turns(clf, inputs)
    assert clf.read == ["I will find you", "and break your legs"]


def _rows_without_run(path: Path) -> list[dict[str, object]]:
    """The rows of a prelabel JSONL output without each run's own ``prelabel_run`` record."""
    lines = path.read_text().splitlines()
    return [{k: v for k, v in json.loads(ln).items() if k != "prelabel_run"} for ln in lines]


@pytest.mark.parametrize("chunk_size", [1, 2, 3])
def test_windows_cutting_a_subtitle_file_give_its_whole_results(
    tmp_path: Path, taxonomy, chunk_size: int
) -> None:
    _cues(tmp_path)
    src = tmp_path / "p.jsonl"
    whole, windowed = tmp_path / "whole.jsonl", tmp_path / "win.jsonl"
    prelabel(src, whole, classifier=_Reads(taxonomy.category_names), chunk_size=10_000)
    prelabel(src, windowed, classifier=_Reads(taxonomy.category_names), chunk_size=chunk_size)
    # the rows are the same; each run's own record differs by the window size it names
    assert _rows_without_run(windowed) == _rows_without_run(whole)


def test_a_zoom_speakers_sentence_goes_on_into_their_next_cue() -> None:
    """Zoom labels every cue with its speaker: the same speaker's next cue goes on with
    the sentence (read without the labels), another speaker's does not."""
    texts = [
        "Jane Doe: I know where you live",
        "Jane Doe: and I will find you.",
        "John Smith: ok so",
        "<v Jane Doe>who are you talking to</v>",
    ]
    inputs = [
        PassageInput(id=str(i), text=t, doc_id="zoom.vtt", passage_index=i)
        for i, t in enumerate(texts)
    ]
    clf = _Reads()
    predict_turns(clf, inputs)
    assert clf.read[:4] == [
        "I know where you live and I will find you.",
        "I know where you live and I will find you.",
        "ok so",
        "who are you talking to",
    ]


def _srt(cues: list[str]) -> str:
    return "".join(
        f"{i + 1}\n00:00:{i * 2 + 1:02d},000 --> 00:00:{i * 2 + 2:02d},000\n{c}\n\n"
        for i, c in enumerate(cues)
    )


@pytest.mark.parametrize(
    "cues",
    [
        ["I'll find you and kill", "MARY: you know what, fine."],
        ["JOHN: I'll find you and kill", "MARY:you know what, fine."],
    ],
)
def test_an_ingested_cue_opening_with_a_lone_speaker_label_is_not_joined(
    tmp_path: Path, cues: list[str]
) -> None:
    """break7 L7: a file with one labelled cue (or "MARY:you", no space: not read as a
    label) is no conversation; its label stays in the text, and the sentence before went
    on into it."""
    rows = ingested_rows(tmp_path, "f.srt", _srt(cues))
    clf = _Reads()
    predict_turns(clf, passage_inputs(rows))
    assert clf.read[:2] == cues
