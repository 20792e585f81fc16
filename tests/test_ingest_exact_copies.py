"""Ingest's exact-duplicate removal keeps the first passage of a text and names, on it,
the copies it dropped (``exact_copies``): the same threat posted in three documents was
written once, and the other two documents were in no output (not the passages, the
export, the escalations nor the audit)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import annotate.ingestion as ingestion
from annotate.ingestion import ingest, passage_id
from annotate.tables import iter_rows

THREAT = (
    "If you show your face at the depot again I will break your legs, I swear. Everyone "
    "on the night shift knows what you did to my brother."
)
NOTES = (
    "Depot notes from Monday: the loading bay was closed for repairs all afternoon and "
    "the forklift was serviced."
)


def _inputs(root: Path) -> Path:
    folder = root / "posts"
    folder.mkdir()
    (folder / "dup1.txt").write_text(f"{NOTES}\n\n{THREAT}\n", encoding="utf-8")
    (folder / "dup2.txt").write_text(f"{THREAT}\n", encoding="utf-8")
    (folder / "dup_copy.md").write_text(f"# Copy\n\n{NOTES} Again.\n\n{THREAT}\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("near", [0.7, None], ids=["near-dup search", "no near-dup search"])
def test_the_kept_passage_names_the_copies_dropped(tmp_path: Path, near: float | None) -> None:
    out = tmp_path / "p.jsonl"
    stats = ingest([_inputs(tmp_path)], out, near_dup_threshold=near)
    assert stats.duplicates == 2
    rows = list(iter_rows(out))
    (kept,) = [r for r in rows if r["text"] == THREAT]
    assert kept["doc_id"] == "posts/dup1.txt"
    recorded = json.loads(kept["exact_copies"])
    assert recorded["count"] == 2
    assert recorded["copies"] == [
        {
            "passage_id": passage_id("posts/dup2.txt", THREAT),
            "doc_id": "posts/dup2.txt",
            "input_file": "posts/dup2.txt",
            "input_row": None,
            "start": 0,
            "end": len(THREAT),
        },
        {
            "passage_id": passage_id("posts/dup_copy.md", THREAT),
            "doc_id": "posts/dup_copy.md",
            "input_file": "posts/dup_copy.md",
            "input_row": None,
            "start": len(f"# Copy\n\n{NOTES} Again.\n\n"),
            "end": len(f"# Copy\n\n{NOTES} Again.\n\n{THREAT}"),
        },
    ]
    # the copies' offsets index their own documents
    text = (tmp_path / "posts" / "dup_copy.md").read_text(encoding="utf-8")
    second = recorded["copies"][1]
    assert text[second["start"] : second["end"]] == THREAT
    assert all(r["exact_copies"] is None for r in rows if r["text"] != THREAT)


def test_copies_past_the_cap_are_counted_not_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingestion, "MAX_COPIES", 1)
    out = tmp_path / "p.parquet"
    ingest([_inputs(tmp_path)], out, near_dup_threshold=None)
    (kept,) = [r for r in iter_rows(out) if r["text"] == THREAT]
    recorded = json.loads(kept["exact_copies"])
    assert recorded["count"] == 2
    assert [c["doc_id"] for c in recorded["copies"]] == ["posts/dup2.txt"]


def test_keep_duplicates_records_no_copies(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    ingest([_inputs(tmp_path)], out, dedupe=False, near_dup_threshold=None)
    rows = list(iter_rows(out))
    assert sum(r["text"] == THREAT for r in rows) == 3
    assert all(r["exact_copies"] is None for r in rows)


def test_the_summary_says_how_many_documents_were_all_copies(tmp_path: Path) -> None:
    """dup2.txt held only the threat: it is in no row of its own, which the summary says
    (an auditor counting input files finds it in the kept passage's exact_copies)."""
    from tests.test_cli import run

    ran = run("ingest", str(_inputs(tmp_path)), "--out", str(tmp_path / "p.jsonl"))
    assert ran.returncode == 0, ran.stderr
    said = " ".join(ran.stderr.split())
    assert "(2 exact duplicates removed: -v names each, and the passage kept lists them in " in said
    assert "1 document was all copies (no passage of its own, named in exact_copies)" in said
