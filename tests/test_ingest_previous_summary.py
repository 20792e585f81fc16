"""`annotate ingest --previous`: a passage marked as a near-copy of an earlier run's passage
is not a near-duplicate group of this run. Before, the summary read "0 near-duplicate groups
across documents (1 passages marked in near_dup_group)"."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from annotate.cli import app
from annotate.ingestion import ingest

STATEMENT = (
    "The council confirmed on Tuesday that the footbridge over the river will stay closed "
    "for repairs until the end of the month while engineers replace the rusted railings."
)
FERRY = "The ferry timetable changes in March: the last boat leaves the harbour at ten."


def test_a_near_copy_of_an_earlier_run_is_told_as_such(tmp_path: Path) -> None:
    week1 = tmp_path / "week1"
    week1.mkdir()
    (week1 / "statement.txt").write_text(STATEMENT + "\n")
    week2 = tmp_path / "week2"
    week2.mkdir()
    (week2 / "repost.txt").write_text(STATEMENT.replace("railings", "handrails") + "\n")
    (week2 / "ferry.txt").write_text(FERRY + "\n")
    earlier = tmp_path / "week1.jsonl"
    ingest([week1], earlier)
    args = ["ingest", str(week2), "--out", str(tmp_path / "w2.jsonl"), "-q"]
    result = CliRunner().invoke(app, [*args, "--previous", str(earlier)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert (
        "0 exact duplicates of this run removed, 0 near-duplicate groups across documents of "
        "this run;" in out
    )
    assert "passages marked in near_dup_group" not in out
    assert (
        "against the passages of 1 --previous file: 0 exact copies dropped, "
        "1 passage marked as a near-copy of an earlier run's" in out
    ), out


def test_one_document_one_passage_in_the_singular(tmp_path: Path) -> None:
    (tmp_path / "ferry.txt").write_text(FERRY + "\n")
    args = ["ingest", str(tmp_path / "ferry.txt"), "--out", str(tmp_path / "p.jsonl"), "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1 document -> 1 passage in " in result.output, result.output


def test_a_document_all_copies_of_an_earlier_run_is_not_said_to_be_in_exact_copies(
    tmp_path: Path,
) -> None:
    """newuser61 F13: next week's comments export repeated two of last week's comments; the
    summary said "2 documents were all copies (no passage of its own, named in
    exact_copies)", but no row of the new output names them: an earlier run's passage is
    not written again, and the copies are in ingest_run.exact_copies_dropped."""
    week1 = tmp_path / "week1"
    week1.mkdir()
    (week1 / "statement.txt").write_text(STATEMENT + "\n")
    week2 = tmp_path / "week2"
    week2.mkdir()
    (week2 / "statement-again.txt").write_text(STATEMENT + "\n")
    (week2 / "ferry.txt").write_text(FERRY + "\n")
    earlier = tmp_path / "week1.jsonl"
    ingest([week1], earlier)
    args = ["ingest", str(week2), "--out", str(tmp_path / "w2.jsonl"), "-q"]
    result = CliRunner().invoke(app, [*args, "--previous", str(earlier)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "1 document was all copies" in out, out
    assert "named in exact_copies)" not in out, out
    assert "ingest_run.exact_copies_dropped" in out, out
