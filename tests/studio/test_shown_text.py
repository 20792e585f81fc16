"""Reviewers read a subtitle cue without its markup (annotate.studio.shown_text): the
text shown maps onto the passage's characters both ways, push puts the model's spans on
it, and export gives the reviewers' spans back on the passage (and so the document).
The real server: tests/integration/test_subtitle_shown_text.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotate.corpus.rows import task_to_row
from annotate.errors import ExportError
from annotate.studio.label_config import parse_label_config
from annotate.studio.shown_text import (
    SOURCE_MAP_FIELD,
    SOURCE_TEXT_FIELD,
    shown_for_row,
    shown_text,
)
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import load_taxonomy
from tests.test_cue_sentences import ingested_rows

TAX = load_taxonomy()
CONFIG = parse_label_config(TAX.render_label_config())
FIXTURE = Path(__file__).parents[1] / "fixtures" / "prelabels.jsonl"

VTT = (
    "WEBVTT\n\n"
    "00:00:01.000 --> 00:00:04.000\n<v Bob><i>I will</i> find you</v>\n\n"
    "00:00:04.000 --> 00:00:06.000\nand break<00:00:05.200><c> your legs.</c>\n\n"
    "00:00:06.000 --> 00:00:08.000\n{\\an8}Nobody heard it.\n"
)
# (cue text, what reviewers read)
SHOWN = [
    ("<v Bob><i>I will</i> find you</v>", "Bob: I will find you"),
    ("and break<00:00:05.200><c> your legs.</c>", "and break your legs."),
    ("{\\an8}Nobody heard it.", "Nobody heard it."),
    ("<v.loud Jane Doe>Stop.\n<v Tom>No.", "Jane Doe: Stop.\nTom: No."),
    ("<v>no name</v>", "no name"),
    ("<i></i>", ""),
    # character references: WebVTT writes "&", "<", ">" so (break49 B10)
    ("<v Alice><i>Let's move on</i> &amp; take it.</v>", "Alice: Let's move on & take it."),
    (
        "&lt;sigh&gt; no&nbsp;way &#39;x&#x2019; &bogus; &amp",
        "<sigh> no\xa0way 'x\u2019 &bogus; &amp",
    ),
    ("<v Tom &amp; Ann>Hi.", "Tom & Ann: Hi."),
]


@pytest.mark.parametrize(("raw", "shown"), SHOWN)
def test_the_text_shown_is_the_cue_without_markup_a_speaker_kept_as_a_label(
    raw: str, shown: str
) -> None:
    assert shown_text(raw).shown == shown


@pytest.mark.parametrize(("raw", "shown"), SHOWN)
def test_spans_on_the_passages_characters_go_there_and_back_unchanged(raw: str, shown: str) -> None:
    del shown
    mapped = shown_text(raw)
    copied = {
        i for i in range(len(raw)) if not any(a <= i < b for a, b in _markup(raw))
    }  # the characters shown as they are
    for a in sorted(copied):
        for b in range(a + 1, len(raw) + 1):
            if b - 1 not in copied:
                continue
            there = mapped.to_shown(a, b)
            assert there is not None
            assert raw[a:b].startswith(mapped.shown[there[0] : there[0] + 1])
            assert mapped.to_raw(*there) == (a, b), (a, b, there)


@pytest.mark.parametrize(("raw", "shown"), SHOWN)
def test_spans_on_the_text_shown_go_there_and_back_unchanged(raw: str, shown: str) -> None:
    mapped = shown_text(raw)
    label = _labels(mapped.pieces)
    for a in range(len(shown)):
        for b in range(a + 1, len(shown) + 1):
            there = mapped.to_raw(a, b)
            back = mapped.to_shown(*there)
            if a in label or b - 1 in label:  # a label's characters are its whole voice tag
                assert back is not None and back[0] <= a and back[1] >= b
            else:
                assert back == (a, b), (a, b, there, back)


def test_markup_inside_a_span_is_covered_and_none_outside_it() -> None:
    raw = "I <i>will</i> hurt you"
    mapped = shown_text(raw)
    assert mapped.shown == "I will hurt you"
    # a reviewer's span over the italic word and beyond: the tags inside it are covered
    start = mapped.shown.index("I will hurt")
    a, b = mapped.to_raw(start, start + len("I will hurt"))
    assert raw[a:b] == "I <i>will</i> hurt"
    # ... the italic word alone: its own characters, not the tags around it
    start = mapped.shown.index("will")
    a, b = mapped.to_raw(start, start + 4)
    assert raw[a:b] == "will"
    # the model's span over the same characters, tags and all, is shown on the words
    a, b = raw.index("<i>"), raw.index("</i>") + len("</i>")
    there = mapped.to_shown(a, b)
    assert there is not None and mapped.shown[there[0] : there[1]] == "will"


def test_a_span_starting_or_ending_inside_markup_snaps_to_the_words_around_it() -> None:
    raw = "<v Bob><i>I will</i> find you</v>"
    mapped = shown_text(raw)
    assert mapped.shown == "Bob: I will find you"
    # starting inside "<i>", ending inside "</i>": on "I will"
    there = mapped.to_shown(raw.index("<i>") + 1, raw.index("</i>") + 2)
    assert there is not None and mapped.shown[there[0] : there[1]] == "I will"
    # starting inside the voice tag (not at it): after its label
    there = mapped.to_shown(2, raw.index(" find"))
    assert there is not None and mapped.shown[there[0] : there[1]] == "I will"
    # starting at the voice tag: with its label
    there = mapped.to_shown(0, raw.index(" find"))
    assert there is not None and mapped.shown[there[0] : there[1]] == "Bob: I will"
    # on markup alone: nothing of it is shown
    assert mapped.to_shown(raw.index("</i>"), raw.index("</i>") + 4) is None
    assert mapped.to_shown(1, 5) is None
    # a reviewer's span starting inside the label "Bob: ": the whole voice tag
    a, b = mapped.to_raw(1, len("Bob: I will"))
    assert (a, raw[a:b]) == (0, "<v Bob><i>I will")


def _markup(raw: str) -> list[tuple[int, int]]:
    """Markup and character references: what is not shown as it is written."""
    from annotate.ingestion.subtitles import markup_ranges

    ranges = markup_ranges(raw)
    for m in re.finditer(r"&(?:amp|lt|gt|nbsp|#39|#x2019);", raw):
        if not any(a <= m.start() < b for a, b in ranges):
            ranges.append(m.span())
    return ranges


def test_a_character_reference_is_shown_as_its_character_and_spans_cover_it_whole() -> None:
    raw = "Tom &amp; Ann said &lt;sigh&gt;"
    mapped = shown_text(raw)
    assert mapped.shown == "Tom & Ann said <sigh>"
    # a reviewer's span on "&" or "<sigh>": the references' whole characters
    a, b = mapped.to_raw(4, 5)
    assert raw[a:b] == "&amp;"
    start = mapped.shown.index("<sigh>")
    a, b = mapped.to_raw(start, start + 6)
    assert raw[a:b] == "&lt;sigh&gt;"
    # the model's span ending inside a reference: short of it; on it whole: the character
    there = mapped.to_shown(0, raw.index("&amp;") + 2)
    assert there is not None and mapped.shown[there[0] : there[1]] == "Tom "
    there = mapped.to_shown(0, raw.index("&amp;") + 5)
    assert there is not None and mapped.shown[there[0] : there[1]] == "Tom &"
    # a cue whose only markup is a reference is shown decoded, the passage kept as source
    row = {"doc_id": "talk.vtt", "text": raw}
    shown = shown_for_row(row)
    assert shown is not None and shown.shown == "Tom & Ann said <sigh>"


def _labels(pieces: tuple[tuple[int, int], ...]) -> set[int]:
    """The shown characters of speaker labels ("Bob: "): pieces shown other than as is."""
    out, at = set(), 0
    for shown, raw in pieces:
        if shown and shown != raw:
            out |= set(range(at, at + shown))
        at += shown
    return out


# ---- push and export ----------------------------------------------------------------
def cue_rows(tmp_path: Path, name: str = "call.vtt") -> list[dict]:
    """Pre-label rows of the cues of :data:`VTT` saved as ``name``: ingest's rows with
    the fixture's violent-threat prediction, the model's span on "find you" of the
    first cue and on "break ... legs" of the second (passage offsets, markup inside)."""
    pred = json.loads(FIXTURE.read_text().splitlines()[1])
    rows = ingested_rows(tmp_path, name, VTT)
    out = []
    for row, part in zip(rows, ["find you", "break<00:00:05.200><c> your legs", None], strict=True):
        spans = []
        if part:
            start = row["text"].index(part)
            spans = [{"start": start, "end": start + len(part), "label": "threat", "score": 0.9}]
        keep = ("scores", "labels", "model_version")
        out.append({**row, **{k: pred[k] for k in keep}, "spans": spans})
    return out


def test_push_shows_a_cue_without_markup_and_the_models_span_on_it(tmp_path: Path) -> None:
    rows = cue_rows(tmp_path)
    assert [r["text"] for r in rows] == [raw for raw, _ in SHOWN[:3]]
    for row, (raw, shown), words in zip(
        rows, SHOWN, ["find you", "break your legs", None], strict=False
    ):
        task = row_to_task(row, TAX, CONFIG, where="t")
        data = task["data"]
        assert data["text"] == shown
        assert data[SOURCE_TEXT_FIELD] == raw  # the file's characters, for who needs them
        assert "subtitle markup hidden" in data["provenance"]
        # passC50 R7: no Data Manager field name a reviewer cannot make sense of
        assert SOURCE_TEXT_FIELD not in data["provenance"]
        spans = [r for r in task["predictions"][0]["result"] if r["type"] == "labels"]
        if words is None:
            assert spans == []
            continue
        (value,) = [r["value"] for r in spans]
        assert shown[value["start"] : value["end"]] == words


def test_other_passages_tasks_are_as_before(tmp_path: Path) -> None:
    """The same text in a .txt file, and a cue without markup: no source text, the text
    as it is (the task exactly as one built without the subtitle check)."""
    (row, *_) = cue_rows(tmp_path)
    for other in ({**row, "doc_id": "call.txt"}, {**row, "doc_id": None}):
        assert shown_for_row(other) is None
        data = row_to_task(other, TAX, CONFIG, where="t")["data"]
        assert data["text"] == row["text"]
        assert SOURCE_TEXT_FIELD not in data and SOURCE_MAP_FIELD not in data
        assert "subtitle" not in data["provenance"]
    plain = {**row, "text": "I will find you", "spans": []}
    data = row_to_task(plain, TAX, CONFIG, where="t")["data"]
    assert data["text"] == "I will find you" and SOURCE_TEXT_FIELD not in data
    # markup alone (a table's row under a .vtt name; ingest cuts no such cue): as it is,
    # not an empty task
    bare = {**row, "text": "<i> </i>{\\an8}", "spans": []}
    data = row_to_task(bare, TAX, CONFIG, where="t")["data"]
    assert data["text"] == bare["text"] and SOURCE_TEXT_FIELD not in data


def answered(task: dict, shown: str, words: str) -> dict:
    """``task`` (as push built it) as Label Studio exports it, a reviewer's span on
    ``words`` of the text shown."""
    start = shown.index(words)
    region = {
        "from_name": "evidence",
        "to_name": "passage",
        "type": "labels",
        "value": {"start": start, "end": start + len(words), "text": words, "labels": ["threat"]},
    }
    category = {
        "from_name": "category",
        "to_name": "passage",
        "type": "choices",
        "value": {"choices": ["violent_threat"]},
    }
    prediction = {**task["predictions"][0], "id": 5}
    ann = {"id": 9, "completed_by": 1, "created_at": "t", "updated_at": "t"}
    return {
        "id": 1,
        "data": task["data"],
        "predictions": [prediction],
        "annotations": [{**ann, "result": [category, region], "parent_prediction": 5}],
    }


def test_export_gives_the_reviewers_and_the_models_spans_on_the_passage_and_document(
    tmp_path: Path,
) -> None:
    rows = cue_rows(tmp_path)
    document = VTT
    for row, (raw, shown), words in zip(
        rows, SHOWN, ["Bob: I will", "break your legs"], strict=False
    ):
        task = row_to_task(row, TAX, CONFIG, where="t")
        out = task_to_row(answered(task, shown, words), TAX, salt="s")
        assert out["text"] == raw and out["shown_text"] == shown
        (span,) = out["spans"]
        assert raw[span["start"] : span["end"]] == span["text"]
        a, b = out["start"] + span["start"], out["start"] + span["end"]
        assert document[a:b] == span["text"]  # the document's characters
        assert [(s["start"], s["end"]) for s in out["model_spans"]] == [
            (s["start"], s["end"]) for s in row["spans"]
        ]
    first = task_to_row(
        answered(row_to_task(rows[0], TAX, CONFIG, where="t"), SHOWN[0][1], "Bob: I will"),
        TAX,
        salt="s",
    )
    assert first["spans"][0]["text"] == "<v Bob><i>I will"  # the label: its voice tag


def test_an_edited_source_map_is_an_error_naming_the_task(tmp_path: Path) -> None:
    task = row_to_task(cue_rows(tmp_path)[0], TAX, CONFIG, where="t")
    task["data"][SOURCE_MAP_FIELD] = "[[3,3]]"
    with pytest.raises(ExportError, match=r"task 1: the task's 'source_text'"):
        task_to_row(answered(task, SHOWN[0][1], "find you"), TAX, salt="s")
