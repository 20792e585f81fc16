"""`ingest --previous` reads the earlier file's settings from its ``ingest_run`` column.

They were in a sidecar ``NAME.ingest.json`` beside the file, a second record of the
same run: lost when the file was copied or concatenated with another batch, and only
one run per file. Every distinct run in the column is now checked (batches
concatenated into one file hold several), and no sidecar is written."""

from __future__ import annotations

import logging
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotate.errors import InputError
from annotate.ingestion import ingest
from annotate.ingestion.record import recorded_runs

DOC = (
    "The council met on Tuesday to discuss the new bus lane on Harbour Road. "
    "Residents said the lane would cut them off from the market. "
    "Write to the organiser or call the office to join the petition. "
    "The vote is on the 14th at the library."
)


def _folder(root: Path, name: str, text: str) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / f"{name}.txt").write_text(text + "\n")
    return folder


def test_no_sidecar_is_written_beside_the_output(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    ingest([_folder(tmp_path, "a", DOC)], out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "p.jsonl"]


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_every_run_of_a_concatenated_file_is_checked(tmp_path: Path, suffix: str) -> None:
    """Two batches, the second cut with --max-chars 120, concatenated into one file: the
    file's first rows are cut like this run, the others are not."""
    one, two = tmp_path / f"one{suffix}", tmp_path / f"two{suffix}"
    ingest([_folder(tmp_path, "a", DOC)], one)
    ingest([_folder(tmp_path, "b", "Another post about the market.")], two, max_chars=120)
    both = tmp_path / f"both{suffix}"
    if suffix == ".jsonl":
        both.write_text(one.read_text() + two.read_text())
    else:
        pq.write_table(pa.concat_tables([pq.read_table(one), pq.read_table(two)]), both)
    found = recorded_runs(both)
    assert len(found.records) == 2 and found.rows_without == 0
    assert sorted(r["settings"]["max_chars"] for r in found.records.values() if r) == [120, 700]
    week2 = _folder(tmp_path, "c", DOC)
    with pytest.raises(InputError, match=r"--max-chars 120 \(this run: 700\)"):
        ingest([week2], tmp_path / "w2.jsonl", previous=[both])
    # compared anyway: the passages cut alike (batch one's) are still found
    stats = ingest(
        [week2], tmp_path / "w3.jsonl", previous=[both], allow_other_previous_settings=True
    )
    assert stats.duplicates_of_previous == 1 and stats.passages == 0


def test_rows_of_an_older_batch_in_the_same_file_are_noted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A file holding a batch from before ``ingest_run`` and one with it: the recorded
    run is checked, the rows without a record are noted (their cutting is unknown)."""
    import json

    one = tmp_path / "one.jsonl"
    ingest([_folder(tmp_path, "a", DOC)], one)
    older = tmp_path / "older.jsonl"
    ingest([_folder(tmp_path, "b", "Another post about the market.")], older)
    rows = [json.loads(line) for line in older.read_text().splitlines()]
    old_lines = "".join(
        json.dumps({k: v for k, v in r.items() if k != "ingest_run"}) + "\n" for r in rows
    )
    both = tmp_path / "both.jsonl"
    both.write_text(one.read_text() + old_lines)
    assert recorded_runs(both).rows_without == len(rows)
    with caplog.at_level(logging.INFO, logger="annotate.ingestion.previous"):
        ingest([_folder(tmp_path, "c", DOC)], tmp_path / "w2.jsonl", previous=[both])
    assert f"records no ingest settings on {len(rows)} row(s)" in caplog.text


def test_an_exported_corpus_is_checked_against_its_manifests_runs(tmp_path: Path) -> None:
    """An exported corpus's rows name their run by id only; the settings are in its
    manifest's ``ingest_runs``, which is read for them (before, it was not checked)."""
    import json

    cut = tmp_path / "cut.jsonl"
    ingest([_folder(tmp_path, "a", DOC)], cut, max_chars=120, min_chars=40)
    rows = [json.loads(line) for line in cut.read_text().splitlines()]
    record = json.loads(rows[0]["ingest_run"])
    corpus = tmp_path / "corpus"
    (corpus / "jsonl").mkdir(parents=True)
    train = corpus / "jsonl" / "train.jsonl"
    train.write_text(
        "".join(
            json.dumps({**r, "ingest_run": record["run"], "ingest_redaction": None}) + "\n"
            for r in rows
        )
    )
    week2 = _folder(tmp_path, "c", DOC)
    # no manifest beside it: not checked, as before
    ingest([week2], tmp_path / "w1.jsonl", previous=[train])
    manifest = {"ingest_runs": {"runs": [{**record, "rows": len(rows)}], "rows_without_record": 0}}
    (corpus / "manifest.json").write_text(json.dumps(manifest))
    assert recorded_runs(train).records == {record["run"]: record}
    with pytest.raises(InputError, match=r"--max-chars 120 \(this run: 700\)"):
        ingest([week2], tmp_path / "w2.jsonl", previous=[train])
    stats = ingest([week2], tmp_path / "w3.jsonl", max_chars=120, min_chars=40, previous=[train])
    assert stats.passages == 0 and stats.duplicates_of_previous == len(rows)


def test_an_unreadable_line_in_the_earlier_file_is_a_clear_error(tmp_path: Path) -> None:
    """The runs are read by DuckDB; a line it cannot read is read again row by row, so
    the table reader's error (naming the line) is what the user gets, not DuckDB's."""
    from typer.testing import CliRunner

    from annotate.cli import app

    earlier = tmp_path / "one.jsonl"
    ingest([_folder(tmp_path, "a", DOC)], earlier)
    earlier.write_text(earlier.read_text() + '{"id": "x", "doc_id": \n')
    out = tmp_path / "w2.jsonl"
    result = CliRunner().invoke(
        app, ["ingest", str(_folder(tmp_path, "c", DOC)), "--out", str(out),
              "--previous", str(earlier), "-q"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "line 2" in result.output and "Traceback" not in result.output
    assert "duckdb" not in result.output.lower()
