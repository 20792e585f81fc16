"""A Markdown file's YAML front matter is metadata, not passage text.

Before, ``ingest`` of a static-site export (``---`` / ``title: ...`` / ``---``) sent the
block to reviewers and the classifier as the first passage's text, and named every such
document ``---`` (the first line that looked like a title)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest

BODY = (
    "# Rally in the park\n\n"
    "The rally turned violent when men with bats attacked counter-protesters.\n\n"
    "Officials condemned the violence and promised an inquiry into the police response.\n"
)
FRONT = "---\ntitle: Front Matter Title\ndate: 2026-11-01\nauthor: someone\ntags: [a, b]\n---\n"


def _ingest(tmp_path: Path, files: dict[str, str]) -> pd.DataFrame:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8", newline="")
    out = tmp_path / "passages.parquet"
    ingest([docs], out)
    return pd.read_parquet(out)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_front_matter_gives_title_date_meta_and_stays_out_of_the_text(
    tmp_path: Path, newline: str
) -> None:
    raw = (FRONT + "\n" + BODY).replace("\n", newline)
    rows = _ingest(tmp_path, {"a.md": raw})
    assert not rows["text"].str.contains("title:").any()
    assert not rows["text"].str.startswith("---").any()
    assert rows["text"].iloc[0].startswith("# Rally in the park")
    assert set(rows["title"]) == {"Front Matter Title"}
    assert set(rows["date"]) == {"2026-11-01"}
    assert json.loads(rows["meta"].iloc[0]) == {"author": "someone", "tags": ["a", "b"]}
    for r in rows.itertuples():  # offsets still index the whole file, hashed as it is
        assert raw[r.start : r.end] == r.text
        assert r.document_sha256 == hashlib.sha256(raw.encode()).hexdigest()


def test_without_a_title_key_the_first_heading_after_it_names_the_document(
    tmp_path: Path,
) -> None:
    rows = _ingest(tmp_path, {"b.md": "---\nauthor: x\n---\n" + BODY})
    assert set(rows["title"]) == {"Rally in the park"}


def test_a_text_file_and_a_rule_that_is_not_yaml_keep_their_text(tmp_path: Path) -> None:
    rule = "---\nJust a line: and: more: colons\n---\n" + BODY
    rows = _ingest(tmp_path, {"notes.txt": FRONT + BODY, "rule.md": rule})
    by_doc = {d: g for d, g in rows.groupby("doc_id")}
    assert by_doc["docs/notes.txt"]["text"].iloc[0].startswith("---\ntitle:")
    assert by_doc["docs/rule.md"]["text"].iloc[0].startswith("---\nJust a line")


def test_front_matter_without_text_after_it_is_an_empty_document(tmp_path: Path) -> None:
    rows = _ingest(tmp_path, {"only.md": FRONT, "a.md": FRONT + BODY})
    assert set(rows["doc_id"]) == {"docs/a.md"}
    lone = tmp_path / "only.md"
    lone.write_text(FRONT, encoding="utf-8")
    with pytest.raises(InputError, match="front matter and no text"):
        ingest([lone], tmp_path / "lone.parquet")


def test_a_rule_line_is_not_taken_for_the_title(tmp_path: Path) -> None:
    """A document opening with a rule (``---``, ``***``) was titled ``---``."""
    rows = _ingest(tmp_path, {"r.txt": "***\n\nMeeting notes\n\n" + BODY.split("\n\n", 1)[1]})
    assert set(rows["title"]) == {"Meeting notes"}


def test_front_matter_with_yaml_aliases_is_read_as_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An alias repeats a node: nine nested lists of nine aliases are 1 KB of YAML and
    9**9 values once written as JSON meta, which hung ingest (a "billion laughs" file in a
    corpus of adversarial content). Front matter needs no alias: such a block stays text.
    (Three levels here, so that the check fails without hanging.)"""
    from annotate.ingestion.front_matter import read_front_matter

    lines = ["---", 'a: &a ["lol", "lol", "lol"]', "b: &b [*a, *a, *a]", "c: [*b, *b, *b]"]
    text = "\n".join([*lines, "---", BODY])
    with caplog.at_level("WARNING", logger="annotate"):
        assert read_front_matter(text, "x.md") == (0, {})
    assert "YAML aliases" in caplog.text
