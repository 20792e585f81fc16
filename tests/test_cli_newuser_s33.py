"""A new user's mistakes found in stop 33 (a moderation lead's first round): a comments
export ingested with the wrong ``--text-column`` (usernames became the passages, with no
word said); prelabel and push given the export itself, not ingest's passages."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from annotate.cli.review.push_review import import_order_note
from annotate.cli.review.status import short_of_k_line
from annotate.review.handover import ShortOfK
from annotate.tables import documents_table_fix
from tests.test_cli import _error_line, run

COMMENTS = (
    "comment_id;posted_at;comment_body;author\n"
    "c-1;2026-11-30;I hope someone finds that chairman and puts a bullet in him on Friday.;u_x91\n"
    "c-2;2026-11-30;Great article, thanks for covering this story so carefully.;u_anna\n"
    "c-3;2026-11-30;Somebody should pay that journalist a visit tonight, Elm street.;u_z\n"
)


def test_a_text_column_of_short_values_beside_a_longer_one_is_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="annotate")
    src = tmp_path / "comments.csv"
    src.write_text(COMMENTS, encoding="utf-8")
    args = ["ingest", str(src), "--delimiter", ";", "--id-column", "comment_id"]
    wrong = run(*args, "--text-column", "author", "--out", str(tmp_path / "a.parquet"))
    assert wrong.returncode == 0, wrong.stderr
    (line,) = [r.getMessage() for r in caplog.records if "holds short values" in r.getMessage()]
    assert "'author'" in line and "--text-column comment_body" in line, line

    caplog.clear()
    right = run(*args, "--text-column", "comment_body", "--out", str(tmp_path / "b.parquet"))
    assert right.returncode == 0, right.stderr
    assert "holds short values" not in caplog.text, caplog.text


def test_short_replies_alone_are_not_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Chat replies are short; only a much longer column beside them is suspicious."""
    caplog.set_level(logging.WARNING, logger="annotate")
    src = tmp_path / "chat.jsonl"
    src.write_text(
        '{"id": "1", "text": "ok", "user": "anna_k"}\n{"id": "2", "text": "gg", "user": "bo"}\n',
        encoding="utf-8",
    )
    ran = run("ingest", str(src), "--out", str(tmp_path / "p.parquet"))
    assert ran.returncode == 0, ran.stderr
    assert "holds short values" not in caplog.text, caplog.text


def test_prelabel_of_an_export_not_ingested_names_the_ingest_command(tmp_path: Path) -> None:
    """`prelabel comments.csv` (the comments system's export itself) said "rename the
    columns or pass a table with them": the fix is to ingest it, with its delimiter, text
    and id columns."""
    src = tmp_path / "comments export.csv"
    src.write_text(COMMENTS, encoding="utf-8")
    line = _error_line(run("prelabel", str(src), "--out", str(tmp_path / "p.parquet")))
    assert f"`annotate ingest '{src}' --delimiter ';' --text-column comment_body" in line
    assert "--id-column comment_id --out passages.parquet`, then pre-label" in line, line


def test_push_of_an_export_not_ingested_names_ingest_then_prelabel(tmp_path: Path) -> None:
    src = tmp_path / "transcripts.jsonl"
    src.write_text('{"id": "tr-1", "transcript": "Caller: I know where they park."}\n')
    line = _error_line(run("push", str(src), "--project", "P"))
    assert f"`annotate ingest {src} --text-column transcript --out passages.parquet`" in line
    assert "then `annotate prelabel passages.parquet --out prelabels.parquet`" in line, line


def test_a_table_of_passages_keeps_the_generic_fix() -> None:
    assert documents_table_fix(Path("p.csv"), ["id", "text"], "x") is None


def test_escalations_name_the_account_beside_the_pseudonym(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`annotate escalations` listed who raised a critical answer by pseudonym only: the
    lead who follows it up had to pair it with `review status`'s lines by hand."""
    from annotate.review.escalations import Escalation

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path))  # its salt: not the repository's

    def esc(reviewer: str, role: str = "reviewer") -> Escalation:
        return Escalation("p1", "c-1002", None, reviewer, "critical", [], "2026-12-03", "", role)

    monkeypatch.setattr("annotate.studio.client.connect", lambda: None)
    monkeypatch.setattr(
        "annotate.review.escalations.pending",
        lambda *a, **k: [esc("r-ana"), esc("r-lead", "adjudication"), esc("r-gone")],
    )
    monkeypatch.setattr(
        "annotate.cli.review.emails.emails_of",
        lambda names, client=None, salt=None: {
            "r-ana": "ana@news.example",
            "r-lead": "lead@news.example",
        },
    )
    rows = [ln.split("\t") for ln in run("escalations", "--project", "P").stdout.splitlines()]
    assert [r[3] for r in rows] == [
        "r-ana (ana@news.example)",
        "r-lead (lead@news.example) (lead)",
        "r-gone",  # a removed account: its pseudonym only
    ]


def test_passages_short_of_k_after_a_push_that_stopped_name_that_cause() -> None:
    """A push killed midway left passages in one queue of two; review status blamed
    --max-graphic-per-reviewer (never given) or pushing to fewer reviewers."""
    line = short_of_k_line(ShortOfK(2, 36, 36, unqueued=4))
    assert "or left so by a push that stopped midway" in line, line
    assert line.endswith("push the same pre-labels again to queue them)"), line


def test_each_exact_duplicate_dropped_is_named_with_v(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A second account's comment of the same text (a threat re-posted by u_x92) was only
    counted ("2 exact duplicates removed"): no line, not even with -v, said which
    document it was."""
    caplog.set_level(logging.INFO, logger="annotate")
    src = tmp_path / "comments.csv"
    src.write_text(
        COMMENTS + "c-4;2026-12-01;" + COMMENTS.splitlines()[1].split(";")[2] + ";u_x92\n"
    )
    ran = run(
        "ingest",
        str(src),
        "--delimiter",
        ";",
        "--text-column",
        "comment_body",
        "--id-column",
        "comment_id",
        "--out",
        str(tmp_path / "p.parquet"),
    )
    assert ran.returncode == 0, ran.stderr
    assert "(1 exact duplicate removed: -v names each," in ran.stderr, ran.stderr
    (line,) = [r.getMessage() for r in caplog.records if "exact duplicate of" in r.getMessage()]
    assert "row 4 (line 5) (document 'c-4') passage 1" in line, line


def test_tasks_added_behind_earlier_pushes_say_how_to_take_them_riskiest_first() -> None:
    """The day's comments (a threat to a named journalist among them) were pushed into
    queues holding the morning's 17 open passages: "Label All Tasks" served them last,
    and the push said nothing of it."""
    from annotate.review.fanout import ReviewerShare

    def share(
        created: int, queued_before: int, already: int, open_before: int = 9
    ) -> ReviewerShare:
        s = ReviewerShare("a@x", "r-a", 1, "u", already=already, queued_before=queued_before)
        s.created, s.open_before = created, open_before
        return s

    assert import_order_note([share(17, 0, 0)]) is None  # a new queue: import order = priority
    assert import_order_note([share(0, 24, 7)]) is None  # nothing added
    note = import_order_note([share(5, 17, 2), share(2, 17, 2), share(4, 0, 0)])
    assert note is not None and note.startswith("note: 7 tasks added to queues that hold")
    # yesterday's queue all answered: the new tasks are served first, no note
    assert import_order_note([share(5, 17, 2, open_before=0)]) is None
    assert import_order_note([share(5, 17, 2, 0), share(3, 4, 0, 1)]).startswith("note: 3 tasks")
    assert '"Label Tasks As Displayed"' in note, note
