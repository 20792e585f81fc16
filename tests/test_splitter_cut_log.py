"""The splitter's warning says how a too-long sentence was cut: a run with no whitespace
is cut mid-word (it said "cutting ... at whitespace" for a 3,000,000-character word)."""

from __future__ import annotations

import logging

import pytest

from annotate.ingestion.splitter import split_passages


def _warnings(caplog: pytest.LogCaptureFixture) -> str:
    return " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_a_word_without_spaces_is_told_as_hard_cuts(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="annotate")
    segs = split_passages("x" * 3000, max_chars=1000, min_chars=0)
    assert [s.end - s.start for s in segs] == [1000, 1000, 1000]
    said = _warnings(caplog)
    assert "at whitespace" not in said
    assert (
        "cutting a 3000-character sentence: 2 hard cut(s) mid-word, no whitespace found within"
        in said
    )


def test_a_sentence_with_spaces_is_still_cut_at_whitespace(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="annotate")
    split_passages("word " * 600, max_chars=1000, min_chars=0)
    said = _warnings(caplog)
    assert "cutting a 2999-character sentence at whitespace" in said, said
    assert "hard cut" not in said


def test_a_mixed_sentence_counts_both_kinds_of_cut(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="annotate")
    split_passages("y" * 2500 + " word" * 300, max_chars=1000, min_chars=0)
    said = _warnings(caplog)
    assert (
        "2 hard cut(s) mid-word, no whitespace found within 1000 characters; 1 cut(s) at whitespace"
        in said
    ), said


def test_ingest_names_the_document_it_cut(tmp_path, caplog: pytest.LogCaptureFixture) -> None:
    """ "cutting a 15634-character sentence at whitespace" named no file: in a folder of
    thousands of chat exports nobody could tell which one was cut."""
    from annotate.ingestion import ingest

    folder = tmp_path / "chats"
    folder.mkdir()
    (folder / "short.txt").write_text("A short post. Nothing to cut here.", encoding="utf-8")
    (folder / "log.txt").write_text("word " * 600, encoding="utf-8")
    caplog.set_level(logging.WARNING, logger="annotate")
    ingest([folder], tmp_path / "p.parquet", max_chars=1000)
    said = _warnings(caplog)
    assert (
        f"{folder / 'log.txt'}, document 'chats/log.txt': cutting a 2999-character sentence" in said
    ), said


def test_ingest_counts_the_sentences_it_cut(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The cuts were warned about one by one, but the closing summary (and the stats
    ingest returns) did not count them: a run that cut many said nothing at its end."""
    from annotate.ingestion import ingest
    from tests.test_cli import run

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "log.txt").write_text(
        "word " * 120 + "\n\n" + "chat " * 120 + "\n\nA short line.", encoding="utf-8"
    )
    (tmp_path / "in" / "ok.txt").write_text("Nothing long here.", encoding="utf-8")
    stats = ingest([tmp_path / "in"], tmp_path / "p.jsonl", max_chars=500, min_chars=0)
    assert stats.long_sentences_cut == 2
    proc = run("ingest", str(tmp_path / "in"), "--out", str(tmp_path / "q.jsonl"))
    assert proc.returncode == 0, proc.stderr
    assert "longer than a passage cut" not in proc.stderr  # the default limit: none cut
    proc = run(
        "ingest", str(tmp_path / "in"), "--out", str(tmp_path / "r.jsonl"), "--max-chars", "500"
    )
    assert proc.returncode == 0, proc.stderr
    summary = [line for line in proc.stderr.splitlines() if " passages in " in line][-1]
    assert summary.endswith(", 2 sentences longer than a passage cut)"), proc.stderr
