"""A table without rows (an empty CSV or JSONL, blank lines only, a CSV header alone)
inside an ingested folder is skipped and counted, as an empty .txt file is; it stopped
the whole run with an error before, after the files read before it (a folder of daily
exports often holds one for a day without posts), even under --skip-bad-files. Named on
the command line it is a bad file found before any work (``empty``), with the others,
and its fix is to remove it, not to re-encode it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from annotate.cli import app
from annotate.errors import InputError
from annotate.ingestion import ingest

TEXT = "The council condemned the attack on the market and promised more patrols."


def _folder(tmp_path):
    root = tmp_path / "exports"
    root.mkdir()
    (root / "a.csv").write_text(f'id,text\na1,"{TEXT}"\n')
    (root / "b.csv").write_bytes(b"")  # a day without posts, written as nothing
    (root / "c.csv").write_text("id,text\n")  # ... or as a header alone
    (root / "d.jsonl").write_text("\n\n")
    return root


def test_empty_tables_in_a_folder_are_skipped_and_counted(tmp_path, caplog):
    out = tmp_path / "p.jsonl"
    stats = ingest([_folder(tmp_path)], out)
    assert stats.documents == 1 and stats.empty_documents == 3
    assert [json.loads(line)["doc_id"] for line in out.read_text().splitlines()] == ["a1"]
    assert "c.csv: the CSV has a header but no rows; skipped" in caplog.text


def test_a_folder_of_only_empty_tables_is_one_error(tmp_path):
    root = tmp_path / "blank"
    root.mkdir()
    (root / "a.csv").write_text("id,text\n")
    with pytest.raises(InputError, match="no text in this folder"):
        ingest([root], tmp_path / "p.jsonl")


def test_empty_tables_named_on_the_command_line_are_named_before_any_work(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(f'id,text\ng1,"{TEXT}"\n')
    (tmp_path / "head.csv").write_text("id,text\n")
    (tmp_path / "none.jsonl").write_bytes(b"")
    out = tmp_path / "p.parquet"
    args = ["ingest", "-q", str(good), str(tmp_path / "head.csv"), str(tmp_path / "none.jsonl")]
    result = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = result.output.strip().splitlines()[-1]
    assert "2 input files cannot be ingested (2 empty)" in line
    assert "remove the empty files" in line and "re-encode" not in line
    assert not out.exists()
    result = CliRunner().invoke(app, [*args, "--skip-bad-files", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_one_empty_table_alone_is_its_own_error(tmp_path):
    (tmp_path / "head.csv").write_text("id,text\n")
    with pytest.raises(InputError, match="header but no rows") as info:
        ingest([tmp_path / "head.csv"], tmp_path / "p.jsonl")
    assert "remove it from the input" in str(info.value)
