"""The splitter's version in what ingest records (``ingest_run``'s ``settings.splitter``).

Stop 50 taught the splitter other scripts' full stops (CJK ``。．``, Indic ``।``, Arabic
``؟``, ...; not a CJK full stop between digits): a document holding them is cut into other
passages (other texts, other ids) than before. No setting recorded that, so an
``ingest --previous`` across the change said nothing while copies of the earlier
passages went unfound (new-user pass, stop 51). Every run now records the version, and
``--previous`` warns when an earlier run's differs (a record without one: version 1),
saying what changed and which annotate cut the earlier batch."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from annotate.ingestion import ingest
from annotate.ingestion.splitter import SPLITTER_VERSION

CJK = "今日は晴れです。明日は雨が降るでしょう。" * 3
# longer than a passage (--max-chars 700): cut at sentence ends, which version 2 reads
# in CJK and version 1 did not (break5 B12: CJK above is one passage either way)
LONG_CJK = CJK * 15


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _as_older(path: Path) -> None:
    """``path``'s passages as an annotate before the version was recorded wrote them."""
    rows = _rows(path)
    for row in rows:
        run = json.loads(row["ingest_run"])
        run["settings"].pop("splitter")
        run["revision"] = "git " + "1" * 40
        row["ingest_run"] = json.dumps(run)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_every_run_records_the_splitter_version(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(CJK, encoding="utf-8")
    ingest([doc], tmp_path / "p.jsonl", near_dup_threshold=None)
    (row, *_) = _rows(tmp_path / "p.jsonl")
    assert json.loads(row["ingest_run"])["settings"]["splitter"] == SPLITTER_VERSION == 2


def test_previous_cut_by_another_splitter_version_is_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(LONG_CJK, encoding="utf-8")
    ingest([doc], tmp_path / "same.jsonl", near_dup_threshold=None)
    with caplog.at_level(logging.WARNING):
        ingest(
            [doc], tmp_path / "b.jsonl", near_dup_threshold=None, previous=[tmp_path / "same.jsonl"]
        )
    assert "splitter version" not in caplog.text  # the same version: nothing to say
    older = tmp_path / "older.jsonl"
    ingest([doc], older, near_dup_threshold=None)
    _as_older(older)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        ingest([doc], tmp_path / "c.jsonl", near_dup_threshold=None, previous=[older])
    said = caplog.text
    assert (
        "was cut by splitter version 1 (recorded before ingest recorded its version) and "
        f"this run by version {SPLITTER_VERSION}" in said
    ), said
    assert "a CJK full stop" in said and "other passage ids" in said
    n = len(_rows(older))
    assert n > 1 and f"{n} of its passages hold these characters" in said, said
    # the git revision names the annotate that cut it, not the package version every
    # build reports (break5 B13)
    assert (
        "ingest this batch with an annotate from before 6 Dec 2026, of splitter version 1 "
        "(the earlier run's: git 1111111)" in said
    ), said
    assert "0.1.0" not in said


def test_short_cjk_documents_of_an_older_previous_are_cut_alike(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A sentence end cuts only a paragraph longer than a passage: short CJK posts (one
    passage each under either version) are found again, so no warning (break5 B12)."""
    doc = tmp_path / "a.jsonl"
    doc.write_text(
        json.dumps({"id": "1", "text": "Hello there. This is a test post about nothing."})
        + "\n"
        + json.dumps({"id": "2", "text": CJK})
        + "\n",
        encoding="utf-8",
    )
    older = tmp_path / "older.jsonl"
    ingest([doc], older, near_dup_threshold=None)
    _as_older(older)
    with caplog.at_level(logging.INFO, logger="annotate.ingestion"):
        ingest([doc], tmp_path / "c.jsonl", near_dup_threshold=None, previous=[older])
    said = [r for r in caplog.records if "splitter version 1" in r.getMessage()]
    assert [r.levelno for r in said] == [logging.INFO], caplog.text
    assert "every document is cut alike" in said[0].getMessage()


def test_a_line_ending_in_a_new_stop_before_lowercase_is_warned_of_at_any_length(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Version 1 read "...है।" then a line opening in lowercase as one soft-wrapped
    paragraph, version 2 as two: a short document is cut otherwise too."""
    doc = tmp_path / "a.txt"
    doc.write_text(
        "यह एक लंबा वाक्य है जो यहाँ खत्म होता है और आगे बढ़ता है, और फिर भी यह वाक्य चलता ही "
        "रहता है।\nbhai ye line lowercase se shuru hoti hai aur kaafi lambi bhi hai yaar, "
        "sach mein bahut lambi",
        encoding="utf-8",
    )
    older = tmp_path / "older.jsonl"
    ingest([doc], older, near_dup_threshold=None)
    _as_older(older)
    first, _ = _rows(older)  # as version 2 cuts it; version 1 kept it one passage:
    text = doc.read_text(encoding="utf-8")
    first.update(text=text, end=len(text))
    older.write_text(json.dumps(first) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        ingest([doc], tmp_path / "c.jsonl", near_dup_threshold=None, previous=[older])
    assert "1 of its passages holds these characters" in caplog.text, caplog.text


def test_the_report_table_shows_the_splitter_version() -> None:
    from annotate.audit.provenance import ingest_run_lines

    def run(name: str, **settings: object) -> dict[str, object]:
        recorded = {"max_chars": 700, "min_chars": 80, "near_dup_threshold": None, **settings}
        return {"run": name, "rows": 2, "annotate_version": "0.1.0", "settings": recorded}

    lines = ingest_run_lines({"runs": [run("ingest-a", splitter=2), run("ingest-b")]})
    (a,) = [line for line in lines if "ingest-a" in line]
    (b,) = [line for line in lines if "ingest-b" in line]
    assert "| 700/80, splitter 2 |" in a, a
    assert "| 700/80, splitter 1 |" in b, b  # recorded before the version was


def test_an_older_previous_without_those_characters_is_cut_alike(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Most corpora hold no CJK, Indic or Arabic full stop: every document is cut alike,
    so an older --previous file of theirs gets a note under -v, not a warning."""
    doc = tmp_path / "a.txt"
    doc.write_text("The council met today. It voted on the new bus routes.", encoding="utf-8")
    older = tmp_path / "older.jsonl"
    ingest([doc], older, near_dup_threshold=None)
    _as_older(older)
    with caplog.at_level(logging.INFO, logger="annotate.ingestion"):
        ingest([doc], tmp_path / "c.jsonl", near_dup_threshold=None, previous=[older])
    said = [r for r in caplog.records if "splitter version 1" in r.getMessage()]
    assert [r.levelno for r in said] == [logging.INFO], caplog.text
    assert "every document is cut alike" in said[0].getMessage()


def test_a_previous_cut_by_a_later_splitter_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text(CJK, encoding="utf-8")
    later = tmp_path / "later.jsonl"
    ingest([doc], later, near_dup_threshold=None)
    rows = _rows(later)
    for row in rows:
        run = json.loads(row["ingest_run"])
        run["settings"]["splitter"] = SPLITTER_VERSION + 1
        row["ingest_run"] = json.dumps(run)
    later.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        ingest([doc], tmp_path / "c.jsonl", near_dup_threshold=None, previous=[later])
    assert f"was cut by splitter version {SPLITTER_VERSION + 1}, which this annotate" in caplog.text
    assert "Fix: ingest with that annotate (or a later one)" in caplog.text
