"""Span offsets in Label Studio's unit, code points (issue 12, item 1), without a server.

The real server and browser are in tests/integration/test_offsets.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.corpus.rows import task_to_row
from annotate.errors import ExportError
from annotate.studio.label_config import parse_label_config
from annotate.studio.tasks import row_to_task
from annotate.taxonomy import load_taxonomy

TAX = load_taxonomy()
CONFIG = parse_label_config(TAX.render_label_config())
FIXTURE = Path(__file__).parents[1] / "fixtures" / "prelabels.jsonl"

# (text, the part a span covers): emoji, a ZWJ emoji sequence, combining marks, CRLF
CASES = [
    (
        "😡😡😡🔪 Last warning, Tom. Tomorrow night I am coming to your flat with a knife…",
        "knife",
    ),
    ("😡😡😡🔪 Last warning, Tom.", "🔪"),  # a span on the emoji itself
    ("police 👮\u200d♀️ now say: I will shoot", "shoot"),
    ("Cafe\u0301 owner: we will burn it down", "burn it down"),  # e + combining acute
    ("Zalgo t\u0336e\u0336x\u0336t then I stab him", "stab him"),
    ("first line\r\nsecond line\r\nI will kill you", "kill you"),
    ("plain ascii threat: I will hurt you", "hurt you"),
]


def prelabel_row(text: str, part: str) -> dict:
    row = json.loads(FIXTURE.read_text().splitlines()[1])
    start = text.index(part)
    return {
        **row,
        "text": text,
        "spans": [{"start": start, "end": start + len(part), "label": "threat"}],
    }


def region(start: int, end: int, shown: str) -> dict:
    return {
        "from_name": "evidence",
        "to_name": "passage",
        "type": "labels",
        "value": {"start": start, "end": end, "text": shown, "labels": ["threat"]},
    }


def snapshot(text: str, results: list[dict]) -> dict:
    return {
        "id": 1,
        "data": {"text": text, "passage_id": "p", "model_version": "m"},
        "predictions": [],
        "annotations": [
            {"id": 9, "completed_by": 1, "created_at": "t", "updated_at": "t", "result": results}
        ],
    }


@pytest.mark.parametrize(("text", "part"), CASES)
def test_pre_annotation_offsets_are_code_points(text: str, part: str) -> None:
    task = row_to_task(prelabel_row(text, part), TAX, CONFIG, where="t")
    value = next(
        r["value"] for r in task["predictions"][0]["result"] if r["from_name"] == "evidence"
    )
    assert (value["start"], value["end"]) == (text.index(part), text.index(part) + len(part))
    assert text[value["start"] : value["end"]] == value.get("text", part) == part


@pytest.mark.parametrize(("text", "part"), CASES)
def test_a_reviewer_span_maps_back_exactly(text: str, part: str) -> None:
    start = text.index(part)
    row = task_to_row(snapshot(text, [region(start, start + len(part), part)]), TAX, salt="s")
    assert row["spans"] == [
        {"start": start, "end": start + len(part), "label": "threat", "text": part}
    ]


@pytest.mark.parametrize(("text", "part"), [c for c in CASES if not c[0].isascii()])
def test_a_span_pushed_in_utf16_units_by_an_older_version_is_still_read(
    text: str, part: str
) -> None:
    cp = text.index(part)
    u16 = len(text[:cp].encode("utf-16-le")) // 2
    u16_end = u16 + len(part.encode("utf-16-le")) // 2
    if (u16, u16_end) == (cp, cp + len(part)):
        pytest.skip("no astral character before the span: both units agree")
    row = task_to_row(snapshot(text, [region(u16, u16_end, part)]), TAX, salt="s")
    assert row["spans"][0]["text"] == part and row["spans"][0]["start"] == cp


@pytest.mark.parametrize(("start", "end"), [(0, 99), (-1, 3), (5, 2)])
def test_a_span_outside_the_text_names_the_region(start: int, end: int) -> None:
    text = "😡 short"
    with pytest.raises(ExportError, match="task 1, annotation 9: span"):
        task_to_row(snapshot(text, [region(start, end, "x")]), TAX, salt="s")
