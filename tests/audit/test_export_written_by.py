"""An answer last written by another account than the reviewer it is credited to (Label
Studio's ``updated_by``: the admin rewrote it, or made it through the API in the
reviewer's name) was exported as that reviewer's own, with no word (passM55 #1): the
row's annotation now names who wrote it (``written_by``), the manifest and report list
it, the review is stated not blind, and ``export --strict`` fails on it. Also what
``--strict`` checks beyond ``--require-complete`` (passM55 #8), and the classification of
a review set's passages short of K answers by their own reviewers (passM55 #3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.cli.export import integrity_findings
from annotate.corpus.resolve import pseudonym
from annotate.corpus.salt import reviewer_salt
from annotate.review.collect import short_of_own_reviewers
from annotate.review.mode import review_mode
from tests.audit.cli_run import run_cli
from tests.audit.fakes import FakeStudio, reviewed_tasks

ADMIN = 9


def _rewritten_studio() -> FakeStudio:
    tasks = reviewed_tasks()
    # user 1's answer on doc-a-p0, last changed by the admin (user 9)
    tasks[0]["annotations"][0]["updated_by"] = ADMIN
    # user 1's own answers elsewhere: updated_by is the author (no finding)
    for t in tasks[1:]:
        for a in t["annotations"]:
            a["updated_by"] = a["completed_by"]
    return FakeStudio(tasks)


def _rows(out: Path) -> list[dict]:
    return [
        json.loads(line)
        for f in sorted((out / "jsonl").glob("*.jsonl"))
        for line in f.read_text().splitlines()
    ]


def test_an_answer_rewritten_by_another_account_is_marked_and_fails_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("annotate.corpus.export.connect", _rewritten_studio)
    out = tmp_path / "a"
    code, said = run_cli(["export", "--project", "p", "--out", str(out)], capsys)
    assert code == 0, said
    flat = " ".join(said.split())
    admin = pseudonym(ADMIN, reviewer_salt())
    assert "warning: 1 answer(s) were last written by another account than the one" in flat
    assert f"on doc-a-p0, written by {admin}" in flat, flat
    (row,) = [r for r in _rows(out) if r["id"] == "doc-a-p0"]
    assert [a["written_by"] for a in row["annotations"]] == [admin]
    others = [
        a["written_by"] for r in _rows(out) if r["id"] != "doc-a-p0" for a in r["annotations"]
    ]
    assert others and set(others) == {None}
    manifest = json.loads((out / "manifest.json").read_text())
    record = manifest["review"]["answers_written_by_another_account"]
    assert record["answers"] == 1 and record["passages"] == 1 and record["by"] == {admin: 1}
    assert record["listed"][0]["passage"] == "doc-a-p0"
    assert record["listed"][0]["reviewer"] == pseudonym(1, reviewer_salt())
    mode = manifest["review"]["mode"]
    assert mode["statement"].startswith("Not the credited reviewers' own: 1 reviewer answer")
    md = (out / "report" / "report.md").read_text()
    assert "Answers not written by the account credited: 1 answer(s)" in md
    report = json.loads((out / "report" / "report.json").read_text())
    assert report["answers_written_by_another_account"]["answers"] == 1
    # --require-complete checks that work is done, not who wrote it; --strict fails
    code, said = run_cli(
        ["export", "--project", "p", "--out", str(tmp_path / "b"), "-q", "--require-complete"],
        capsys,
    )
    assert code == 0, said
    code, said = run_cli(
        ["export", "--project", "p", "--out", str(tmp_path / "c"), "-q", "--strict"], capsys
    )
    flat = " ".join(said.split())
    assert code == 1, said
    assert "error: --strict: the review of 'p' has what an auditor would reject: 1 answer" in flat
    assert "last written by another account than the one credited" in flat
    assert "Fix: have each reviewer answer them again from their own login" in flat
    assert "Traceback" not in said and (tmp_path / "c" / "manifest.json").is_file()


def test_answers_written_by_their_reviewers_pass_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def own() -> FakeStudio:
        tasks = reviewed_tasks()
        for t in tasks:
            for a in t["annotations"]:
                a["updated_by"] = a["completed_by"]
        return FakeStudio(tasks)

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("annotate.corpus.export.connect", own)
    code, said = run_cli(
        ["export", "--project", "p", "--out", str(tmp_path / "a"), "--strict"], capsys
    )
    assert code == 0, said
    assert "written by another account" not in said
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["review"]["answers_written_by_another_account"]["answers"] == 0


def test_what_strict_checks() -> None:
    assert integrity_findings({"review": {}}) == []
    manifest = {
        "review": {
            "answers_written_by_another_account": {"answers": 2, "lead_answers": 1},
            "answers_in_other_queues": {"answers": 110, "queues": 2},
            "passages_short_of_own_reviewers": {
                "reviewers_per_task": 2,
                "by_reason": {"skipped": 3, "no_task_left": 1},
            },
            "adjudicated_by_admin": {"passages": 1},
            "adjudicated_by_own_reviewer": {"passages": 0},
            "flagged_reviewers": ["r-7246742966"],
        }
    }
    found = [what for what, _ in integrity_findings(manifest, 0.8)]
    assert found == [
        "3 answers last written by another account than the one credited "
        "(review.answers_written_by_another_account)",
        "110 answers made in 2 reviewer queues by another account than its reviewer "
        "(review.answers_in_other_queues)",
        "1 passage short of 2 answers with no task open or skipped to account for it: a task "
        "deleted in Label Studio or never made (review.passages_short_of_own_reviewers)",
        "1 passage decided in adjudication under the shared admin account "
        "(review.adjudicated_by_admin)",
        "1 reviewer below --gold-min-accuracy 0.8 whose answers count in the vote "
        "(r-7246742966; review.flagged_reviewers)",
    ]  # a skip is the reviewer's choice, said in the report: not a finding


def test_passages_short_of_their_own_reviewers_say_why() -> None:
    def row(pid: str, *answers: tuple[str, int], skipped: bool = False) -> dict:
        anns = [{"reviewer": who, "ls_project_id": q} for who, q in answers]
        return {"id": pid, "annotations": anns, "skipped_by": ["r-b"] if skipped else []}

    queues = {1: "r-a", 2: "r-b"}
    rows = [
        row("full", ("r-a", 1), ("r-b", 2)),
        row("open", ("r-a", 1)),
        row("twice", ("r-a", 1)),  # r-a answered it in r-b's queue too: one vote
        row("admin", ("r-a", 1), ("r-admin", 2)),
        row("skipped", ("r-a", 1), skipped=True),
        row("deleted", ("r-a", 1)),
    ]
    found = short_of_own_reviewers(
        rows, 2, queues, open_passages={"open"}, answered_twice={"twice"}
    )
    assert found["passages"] == 5
    assert found["by_reason"] == {
        "open": 1,
        "answered_twice_by_one_account": 1,
        "answered_by_another_account": 1,
        "skipped": 1,
        "no_task_left": 1,
    }
    assert found["examples"]["no_task_left"] == ["deleted"]


def test_a_review_set_with_answers_in_another_queue_is_not_stated_blind() -> None:
    common = {"review_set": True, "reviewer_projects": 3, "reviewers_per_task": 2, "shared": 0}
    assert review_mode(**common)["blind"] is True
    mode = review_mode(
        **common,
        other_queues={"answers": 110, "queues": 2, "by": {"r-fcc78cb6a0": 110}},
    )
    assert mode["blind"] is False
    assert mode["statement"].startswith(
        "Not blind as run: 110 answers in 2 reviewer queues were made by another account "
        "than the queue's reviewer (r-fcc78cb6a0: 110)"
    )
    mode = review_mode(**common, written_by={"answers": 2, "passages": 1, "by": {"r-x": 2}})
    assert mode["blind"] is False and "Not the credited reviewers' own" in mode["statement"]


def test_an_answer_written_by_another_account_is_left_out_of_agreement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The admin rewrote reviewer 2's answer to doc-a-p1 (updated_by): export marked it
    written_by, but agreement.json still counted it as reviewer 2's independent judgement
    (s56 left #1). It is now left out of the agreement figures, and said so in
    agreement.json, `annotate agreement`'s lines and the report."""
    from annotate.review.agreement import summary_lines

    def studio() -> FakeStudio:
        tasks = reviewed_tasks()
        for t in tasks:
            for a in t["annotations"]:
                a["updated_by"] = ADMIN if a["id"] == 103 else a["completed_by"]
        return FakeStudio(tasks)

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("annotate.corpus.export.connect", studio)
    out = tmp_path / "a"
    code, said = run_cli(["export", "--project", "p", "--out", str(out), "-q"], capsys)
    assert code == 0, said
    agreement = json.loads((out / "agreement.json").read_text())
    salt = reviewer_salt()
    admin, two = pseudonym(ADMIN, salt), pseudonym(2, salt)
    left = agreement["answers_written_by_another_account"]
    assert left["answers"] == 1 and left["passages"] == ["doc-a-p1"], left
    assert left["by_reviewer"] == {two: 1} and left["by_writer"] == {admin: 1}
    assert left["passages_without_two_own_answers"] == []  # reviewers 1 and 3 remain
    # reviewers 1 and 2 share only doc-a-p1: nothing left to compare them on
    one = pseudonym(1, salt)
    (pair,) = [p for p in agreement["pairwise_kappa"] if set(p["reviewers"]) == {one, two}]
    assert pair["n_items"] == 0, pair
    lines = " ".join(summary_lines(agreement))
    assert f"1 answer last written by another account than the reviewer credited ({admin}: 1;" in (
        lines
    ), lines
    assert "is left out of these figures" in lines, lines
    # the export's warning and the review mode's statement say so too
    assert "they vote but the agreement figures leave them out" in " ".join(said.split()), said
    manifest = json.loads((out / "manifest.json").read_text())
    assert "the agreement figures leave the reviewer answers out" in " ".join(
        manifest["review"]["mode"]["statement"].split()
    )
    md = " ".join((out / "report" / "report.md").read_text().split())
    assert "is left out of the agreement figures below (`agreement.json`)" in md
    # the vote keeps it: the row's answers are unchanged
    (row,) = [r for r in _rows(out) if r["id"] == "doc-a-p1"]
    assert [a["written_by"] for a in row["annotations"]].count(admin) == 1
