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
