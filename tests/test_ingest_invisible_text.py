"""Text that shows nothing (zero-width spaces, joiners, bidi marks, no-break and
ideographic spaces) is empty text: a table row of it is skipped and counted as a blank
row is, a file of it in a folder too, and one named on the command line is a bad file
before any work. `str.strip()` keeps format characters, so such a cell became a passage
reviewers saw as empty."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest

TEXT = "Police said the suspect posted threats against the synagogue hours before."
INVISIBLE = "\u200b\u200b\u00a0\u3000\u200d\u200e\ufeff"


def test_blank_is_what_shows_nothing() -> None:
    from annotate.ingestion.readers import blank

    assert blank(INVISIBLE) and blank("") and blank(" \n\t")
    assert not blank("\u200b.") and not blank("🔥") and not blank("שלום")


def test_a_row_of_invisible_text_is_skipped_as_empty(tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    rows = [{"id": "a", "text": TEXT}, {"id": "b", "text": INVISIBLE}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "p.jsonl"
    stats = ingest([src], out)
    docs = [json.loads(x)["doc_id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert docs == ["a"]
    assert stats.empty_documents == 1


def test_a_file_of_invisible_text(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "zw.txt").write_text(INVISIBLE + "\n", encoding="utf-8")
    stats = ingest([folder], tmp_path / "p.jsonl")
    assert stats.documents == 1 and stats.empty_documents == 1
    with pytest.raises(InputError, match=r"zw\.txt: the file shows no text"):
        ingest([folder / "zw.txt"], tmp_path / "q.jsonl")
    assert not (tmp_path / "q.jsonl").exists()
