"""Ingest's id-column hints leave out columns that name another row or a person (passL54
finding 8: a comments export without ``--id-column`` was told ``pass --id-column NAME
(e.g. comment_id, parent_id)``; taking ``parent_id`` would merge whole threads)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.ingestion.readers import id_column_fix, id_like


def _csv(path: Path, first_parent: str) -> Path:
    path.write_text(
        "comment_id,parent_id,in_reply_to_status_id,user_id,body\n"
        f"c001,{first_parent},,u1,The council should close the park at night.\n"
        "c002,c001,,u2,I disagree with closing the park at night.\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("first_parent", ["", "c000"])
def test_positional_ids_hint_names_the_rows_own_id_only(
    first_parent: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    path = _csv(tmp_path / "comments.csv", first_parent)
    ingest([path], tmp_path / "p.parquet", text_column="body", min_chars=10)
    assert "pass --id-column NAME (e.g. comment_id)" in caplog.text
    for other in ("parent_id", "in_reply_to_status_id", "user_id"):
        assert other not in caplog.text


def test_missing_id_column_fix_does_not_suggest_a_parent_column(tmp_path: Path) -> None:
    path = _csv(tmp_path / "comments.csv", "")
    with pytest.raises(InputError) as caught:
        ingest([path], tmp_path / "p.parquet", text_column="body", id_column="id")
    fix = caught.value.fix or ""
    assert "comment_id" in fix
    assert "parent_id" not in fix and "user_id" not in fix


@pytest.mark.parametrize(
    ("column", "like"),
    [
        ("comment_id", True),
        ("commentId", True),
        ("uuid", True),
        ("thread_id", True),  # a table of threads is named by it
        ("parent_id", False),
        ("parentId", False),
        ("in_reply_to_status_id", False),
        ("reply_to_id", False),
        ("root_id", False),
        ("user_id", False),
        ("author_id", False),
        ("paid", False),
    ],
)
def test_id_like(column: str, like: bool) -> None:
    assert id_like(column) is like


def test_id_column_fix_hint() -> None:
    fix = id_column_fix(["comment_id", "parent_id", "body"], "post_id")
    assert "--id-column 'comment_id'" in fix
    assert "parent_id" not in fix


def test_positional_ids_hint_of_a_replies_table(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """break13 #12: a replies table (reply_id, comment_id, text): ``reply_id`` is the
    row's own id; ``comment_id`` (the comment replied to) repeats and is not suggested as
    the id (taking it merges every reply to c1 into one document)."""
    caplog.set_level(logging.WARNING)
    path = tmp_path / "rep.csv"
    path.write_text(
        "reply_id,comment_id,text\n"
        "r1,c1,This reply answers comment c1 and says so plainly.\n"
        "r2,c1,Another reply to the same comment c1 here.\n"
        "r3,c2,A reply to the other comment c2 this time.\n",
        encoding="utf-8",
    )
    ingest([path], tmp_path / "rep.jsonl", min_chars=10)
    assert "pass --id-column NAME (e.g. reply_id; not comment_id, whose values repeat" in (
        caplog.text
    )
    assert "(e.g. comment_id" not in caplog.text


def test_positional_ids_hint_lists_both_when_both_are_unique(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    path = tmp_path / "t.csv"
    path.write_text(
        "post_id,comment_id,text\n"
        "p1,c1,The council should close the park at night.\n"
        "p2,c2,I disagree with closing the park at night.\n",
        encoding="utf-8",
    )
    ingest([path], tmp_path / "t.jsonl", min_chars=10)
    assert "(e.g. post_id, comment_id)" in caplog.text
