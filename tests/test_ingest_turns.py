"""`annotate ingest` of a folder of conversations saved as text (a forum thread, a chat
log, a transcript) keeps each speaker's turn apart; prose and news beside them are split
as before (the same passages and ids with --no-turns), and --no-turns is recorded.

The fixture folder tests/fixtures/conversations holds the documents (see
tests/test_splitter_turns.py for the splitter's cases one by one)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from annotate.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "conversations"
TURN_FREE = ("conversations/news.md", "conversations/notice.txt")


def _ingest(tmp_path: Path, out: str, *extra: str) -> tuple[pd.DataFrame, str]:
    folder = tmp_path / "conversations"
    if not folder.exists():
        shutil.copytree(FIXTURES, folder)
    result = CliRunner().invoke(
        app, ["ingest", str(folder), "--out", str(tmp_path / out), "--no-near-dups", *extra]
    )
    assert result.exit_code == 0, result.output
    return pd.read_json(tmp_path / out, lines=True, dtype=False), result.output


def _passages(rows: pd.DataFrame, doc: str) -> list[str]:
    return (
        rows[rows["doc_id"] == f"conversations/{doc}"].sort_values("passage_index")["text"].tolist()
    )


def test_each_turn_is_a_passage_and_prose_is_split_as_before(tmp_path: Path) -> None:
    rows, said = _ingest(tmp_path, "turns.jsonl")
    assert "3 documents split at speaker turns (--no-turns splits them as prose)" in said
    thread = _passages(rows, "forum_thread.txt")
    threat = [t for t in thread if "dragged out and shot" in t]
    # the threat's author alone; the moderator's reply holds the quote it condemns
    assert threat[0] == (
        "Posted by throwaway_881 on 3 Dec 2026, 09:31\n"
        "Whoever planned this should be dragged out and shot."
    )
    assert threat[1].startswith("Posted by mod_karen") and "Threats get you banned." in threat[1]
    assert "Posted by night_owl on 3 Dec 2026, 09:20\nAgreed." in thread
    chat = _passages(rows, "chat_log.txt")
    assert not [t for t in chat if "<dave_k>" in t and "<sam>" in t]
    transcript = _passages(rows, "transcript.txt")
    assert "SPEAKER 2: No problem." in transcript
    assert not [t for t in transcript if "SPEAKER 1" in t and "SPEAKER 2" in t]
    for r in rows.itertuples():  # offsets still index the file
        text = (tmp_path / r.doc_id).read_text(encoding="utf-8")
        assert text[r.start : r.end] == r.text
    settings = json.loads(rows["ingest_run"].iloc[0])["settings"]
    assert "turns" not in settings  # the default is not recorded: run ids stay as they were

    off, said_off = _ingest(tmp_path, "no_turns.jsonl", "--no-turns")
    assert "speaker turns" not in said_off
    assert json.loads(off["ingest_run"].iloc[0])["settings"]["turns"] is False
    merged = _passages(off, "forum_thread.txt")
    assert any("Agreed." in t and "dragged out and shot" in t for t in merged)  # the defect
    # documents without turns: the same passages, with the same ids, either way
    for doc in TURN_FREE:
        a = rows[rows["doc_id"] == doc][["id", "start", "end", "text"]].reset_index(drop=True)
        b = off[off["doc_id"] == doc][["id", "start", "end", "text"]].reset_index(drop=True)
        assert len(a) > 0
        pd.testing.assert_frame_equal(a, b)


def test_previous_cut_with_no_turns_is_refused_by_a_run_with_turns(tmp_path: Path) -> None:
    _ingest(tmp_path, "no_turns.jsonl", "--no-turns")
    result = CliRunner().invoke(
        app,
        [
            "ingest",
            str(tmp_path / "conversations"),
            "--out",
            str(tmp_path / "batch2.jsonl"),
            "--previous",
            str(tmp_path / "no_turns.jsonl"),
        ],
    )
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert "--no-turns (this run: speaker turns read)" in said
    assert "Traceback" not in result.output


def test_the_audit_report_says_a_run_read_no_turns() -> None:
    """An auditor tells a --no-turns run (conversations cut as prose) from one that read
    turns by the report's ingest table; a default run's row reads as before."""
    from annotate.audit.provenance import ingest_run_lines

    def row(settings: dict[str, object]) -> str:
        runs = {"runs": [{"run": "ingest-1", "rows": 2, "settings": settings}]}
        return next(line for line in ingest_run_lines(runs) if "`ingest-1`" in line)

    no_turns = {"max_chars": 700, "min_chars": 80, "turns": False}
    assert "| 700/80, no turns, splitter 1 |" in row(no_turns)
    assert "| 700/80, splitter 1 |" in row({"max_chars": 700, "min_chars": 80})
