"""An empty .txt/.md file inside an ingested folder is skipped and counted, as an empty
table row is; it stopped the whole run with an error before (a folder of scraped posts
often holds a few empty ones). Named on the command line it is still an error."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest


def _folder(tmp_path):
    root = tmp_path / "posts"
    (root / "2026").mkdir(parents=True)
    (root / "a.txt").write_text("The council condemned the attack on the market.\n")
    (root / "2026" / "empty.txt").write_bytes(b"")
    (root / "2026" / "bom.md").write_bytes(b"\xef\xbb\xbf\r\n")  # Notepad's empty file
    (root / "2026" / "b.md").write_text("# Report\n\nPolice said two men were arrested.\n")
    return root


def test_empty_files_in_a_folder_are_skipped_and_counted(tmp_path):
    out = tmp_path / "p.jsonl"
    stats = ingest([_folder(tmp_path)], out)
    assert stats.documents == 2 and stats.empty_documents == 2
    docs = sorted(json.loads(line)["doc_id"] for line in out.read_text().splitlines())
    assert docs == ["posts/2026/b.md", "posts/a.txt"]


def test_the_cli_names_the_skipped_empty_files(tmp_path, caplog):
    out = tmp_path / "p.parquet"
    result = CliRunner().invoke(app, ["ingest", "-q", str(_folder(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 empty documents skipped" in result.output
    assert "empty.txt: the file is empty; skipped" in caplog.text
    assert out.exists()


def test_a_folder_of_only_empty_files_is_one_error(tmp_path):
    root = tmp_path / "blank"
    root.mkdir()
    (root / "a.txt").write_bytes(b"  \n")
    with pytest.raises(InputError, match="no text in this folder: its 1 supported") as info:
        ingest([root], tmp_path / "p.jsonl")
    assert "Fix:" in str(info.value) and not (tmp_path / "p.jsonl").exists()


def test_an_empty_file_named_on_the_command_line_is_still_an_error(tmp_path):
    src = tmp_path / "empty.txt"
    src.write_bytes(b"")
    with pytest.raises(InputError, match="the file is empty"):
        ingest([src], tmp_path / "p.jsonl")


def test_a_file_of_white_space_is_said_to_hold_only_white_space(tmp_path, caplog):
    """passG52 G9: a file of spaces, tabs and line ends was said to be "empty"."""
    root = tmp_path / "docs"
    root.mkdir()
    (root / "a.txt").write_text("Officials said the depot was closed all week.", encoding="utf-8")
    (root / "ws.txt").write_bytes(b"  \t \n\n   \r\n")
    (root / "empty.txt").write_bytes(b"")
    ingest([root], tmp_path / "p.jsonl", min_chars=0)
    assert "ws.txt: the file holds only white space (spaces, tabs or line ends); skipped" in (
        caplog.text
    )
    assert "empty.txt: the file is empty; skipped" in caplog.text
    with pytest.raises(InputError, match=r"ws\.txt: the file holds only white space"):
        ingest([root / "ws.txt"], tmp_path / "q.jsonl")
