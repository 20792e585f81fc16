"""The held-back record keeps the --max-graphic-per-reviewer cap of a review set's latest
push (read by `annotate review reassign`, which warns when a hand-over takes a reviewer
above it). Before, the cap was written only beside passages a push held back: a push
whose cap held nothing back left no record of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.review.held_back import (
    CAP_KEY,
    _path,
    export_record,
    held_back,
    record_held,
    recorded_cap,
)

SERVER, SET = "http://127.0.0.1:8080", "triage"


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_a_cap_that_held_nothing_back_is_recorded_and_the_latest_push_decides(
    home: Path, tmp_path: Path
) -> None:
    assert recorded_cap(SERVER, SET) is None
    record_held(SERVER, SET, tmp_path / "a.jsonl", {}, max_graphic=3, k=2)
    assert recorded_cap(SERVER, SET) == 3
    assert held_back(SERVER, SET, ()) == [] and export_record(SERVER, SET)["records"] == {}
    record_held(SERVER, SET, tmp_path / "b.jsonl", {"p1": 1}, max_graphic=1, k=2)
    assert recorded_cap(SERVER, SET) == 1
    assert [h.passages for h in held_back(SERVER, SET, ())] == [("p1",)]
    record_held(SERVER, SET, tmp_path / "c.jsonl", {}, max_graphic=None, k=2)
    assert recorded_cap(SERVER, SET) is None  # pushed without a cap since
    assert [h.passages for h in held_back(SERVER, SET, ())] == [("p1",)]  # still waits


def test_a_record_written_before_the_cap_was_recorded_still_reads(
    home: Path, tmp_path: Path
) -> None:
    path = _path(SERVER, SET)
    path.parent.mkdir(parents=True)
    old = {
        "project": SET,
        str(tmp_path / "a.jsonl"): {"max_graphic": 2, "k": 2, "passages": ["p1"]},
    }
    path.write_text(json.dumps(old), encoding="utf-8")
    assert recorded_cap(SERVER, SET) == 2
    assert [h.passages for h in held_back(SERVER, SET, ())] == [("p1",)]
    record_held(SERVER, SET, tmp_path / "b.jsonl", {}, max_graphic=4, k=2)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data[CAP_KEY] == 4 and data[str(tmp_path / "a.jsonl")]["passages"] == ["p1"]
