"""The report tells an auditor what is still open: passages sent to the lead and not yet
decided, and tasks reviewers skipped (a skip is a cancelled annotation, left out of the
snapshot, so nothing in the export said so before)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from tests.audit.fakes import (
    MUSEUM,
    PERSONAL,
    THREAT,
    StudioWithLead,
    annotation,
    lead_task,
    reviewed_tasks,
)
from tests.integration.helpers import choices


def test_the_report_counts_passages_waiting_for_the_lead_and_skipped_tasks(
    tmp_path: Path,
) -> None:
    tasks = reviewed_tasks()
    skip = annotation(199, 1, [], minute=9, lead_time=2.0)
    skip["was_cancelled"] = True  # user 1 skipped doc-b-p0 (two others answered it)
    tasks[2]["annotations"].append(skip)
    # the passages waiting for the lead are disputed: one vote each, a tie
    tasks[2]["annotations"][1]["result"] = [choices("category", ["news_reporting"])]
    tasks[3]["annotations"].append(
        annotation(109, 3, [choices("category", ["none"])], minute=8, lead_time=3.0)
    )
    decided = lead_task("doc-a-p1", THREAT, [choices("category", ["violent_threat"])])
    waiting = {**lead_task("doc-c-p0", PERSONAL, []), "id": 91, "annotations": []}
    waiting_too = {**lead_task("doc-b-p0", MUSEUM, []), "id": 92, "annotations": []}
    studio = StudioWithLead(tasks, [decided, waiting, waiting_too])
    out = tmp_path / "corpus"
    export("p", out, client=studio, salt="s")  # type: ignore[arg-type]
    review = json.loads((out / "manifest.json").read_text())["review"]
    assert review["awaiting_adjudication"] == 2
    assert review["skipped_by_reviewers"] == {"tasks": 1, "skips": 1}
    md = (out / "report" / "report.md").read_text()
    assert "Waiting for the lead: 2 passage(s) sent to adjudication and not yet decided" in md
    assert "Skipped by reviewers: 1 task(s) (1 skip(s))" in md
    numbers = json.loads((out / "report" / "report.json").read_text())
    assert numbers["awaiting_adjudication"] == 2


def test_ties_no_lead_was_asked_about_are_counted_apart(tmp_path: Path) -> None:
    """Before `annotate adjudicate` ran, the report said "Waiting for the lead: 0" while
    ties waited: they were in no adjudication project, so nothing counted them."""
    from tests.audit.fakes import FakeStudio

    tasks = reviewed_tasks()
    # a second reviewer disagrees with the only answer of doc-a-p0: one vote each, a tie
    tasks[0]["annotations"].append(
        annotation(
            102,
            2,
            [choices("category", ["counter_speech"]), choices("severity", ["low"])],
            minute=2,
            lead_time=5.0,
        )
    )
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    rows = [json.loads(x) for p in (out / "jsonl").glob("*.jsonl") for x in p.open()]
    assert [r["id"] for r in rows if r["resolution"] == "tie"] == ["doc-a-p0"]
    review = json.loads((out / "manifest.json").read_text())["review"]
    assert (review["awaiting_adjudication"], review["ties_not_sent_to_adjudication"]) == (0, 1)
    md = (out / "report" / "report.md").read_text()
    assert "Not sent to a lead: 1 tie(s)" in md and "`annotate adjudicate`" in md
    # once the lead holds it, it waits for the lead and is no longer "not sent"
    text = next(r["text"] for r in rows if r["id"] == "doc-a-p0")
    held = {**lead_task("doc-a-p0", text, []), "id": 93, "annotations": []}
    export("p", out, client=StudioWithLead(tasks, [held]), salt="s")  # type: ignore[arg-type]
    review = json.loads((out / "manifest.json").read_text())["review"]
    assert (review["awaiting_adjudication"], review["ties_not_sent_to_adjudication"]) == (1, 0)
    assert "Not sent to a lead" not in (out / "report" / "report.md").read_text()


def test_a_passage_its_reviewers_agree_on_again_no_longer_waits_for_the_lead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """doc-b-p0 was sent to the lead while its reviewers disagreed; one changed their
    answer, both now say "none". It used to count as waiting for the lead although the
    reviewers' unanimous vote decides it: it is reported as no longer needing the lead."""
    from annotate.review.collect import collect
    from annotate.taxonomy import load_taxonomy

    tasks = reviewed_tasks()  # doc-b-p0: "none" from users 2 and 3
    tasks[3]["annotations"].append(  # doc-c-p0: still disputed (incitement vs none)
        annotation(109, 3, [choices("category", ["none"])], minute=8, lead_time=3.0)
    )
    moot = {**lead_task("doc-b-p0", MUSEUM, []), "id": 92, "annotations": []}
    waiting = {**lead_task("doc-c-p0", PERSONAL, []), "id": 91, "annotations": []}
    studio = StudioWithLead(tasks, [moot, waiting])
    got = collect(studio, "p", load_taxonomy(), salt="s")  # type: ignore[arg-type]
    assert (got.awaiting_lead, got.no_longer_disputed) == (["doc-c-p0"], ["doc-b-p0"])

    out = tmp_path / "corpus"
    ran = export_cli(studio, out, monkeypatch)
    assert ran.exit_code == 0, ran.stderr
    rows = [json.loads(x) for p in (out / "jsonl").glob("*.jsonl") for x in p.open()]
    row = next(r for r in rows if r["id"] == "doc-b-p0")
    assert (row["resolution"], row["labels"], row["adjudicator"]) == ("unanimous", ["none"], None)
    review = json.loads((out / "manifest.json").read_text())["review"]
    assert (review["awaiting_adjudication"], review["adjudication_no_longer_needed"]) == (1, 1)
    assert review["ties_not_sent_to_adjudication"] == 0
    assert "1 passage(s) sent to adjudication still wait for the lead" in ran.stderr
    # doc-c-p0 is a tie (incitement vs none): its row has no vote on categories (passA50 P7)
    assert (
        "(label_tie true; 1 tied on categories: the categories split evenly are left out, 1 of "
        "them with no category left)"
    ) in " ".join(ran.stderr.split())
    assert "1 passage(s) sent to adjudication and not decided are no longer disputed" in (
        ran.stderr
    )
    md = (out / "report" / "report.md").read_text()
    assert "Waiting for the lead: 1 passage(s)" in md
    assert "Adjudication no longer needed: 1 passage(s)" in md
    numbers = json.loads((out / "report" / "report.json").read_text())
    assert (numbers["awaiting_adjudication"], numbers["adjudication_no_longer_needed"]) == (1, 1)


def test_a_tie_on_the_severity_alone_is_not_called_a_tie_on_categories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two reviewers chose the same category and two severities: a tie on the severity
    only, whose row keeps its category. Export's note called it "tied on categories,
    label_tie true: no categories and the highest tied severity" (passH53 H3); the
    manifest now counts the ties waiting for the lead by kind and the note says which."""
    tasks = reviewed_tasks()
    # doc-a-p1: violent_threat from users 1 and 2, severity high vs critical
    del tasks[1]["annotations"][2]
    tasks[1]["annotations"][1]["result"] = [
        choices("category", ["violent_threat"]),
        choices("severity", ["critical"]),
    ]
    waiting = {**lead_task("doc-a-p1", THREAT, []), "id": 91, "annotations": []}
    out = tmp_path / "corpus"
    ran = export_cli(StudioWithLead(tasks, [waiting]), out, monkeypatch)
    assert ran.exit_code == 0, ran.stderr
    row = next(
        json.loads(x)
        for p in (out / "jsonl").glob("*.jsonl")
        for x in p.open()
        if json.loads(x)["id"] == "doc-a-p1"
    )
    assert (row["label_tie"], row["labels"], row["severity"]) == (
        True,
        ["violent_threat"],
        "critical",
    )
    review = json.loads((out / "manifest.json").read_text())["review"]
    assert review["awaiting_adjudication_ties"] == {
        "categories": 0,
        "no_categories": 0,
        "severity_only": 1,
    }
    said = " ".join(ran.stderr.split())
    assert "tied on categories" not in said and "no categories" not in said
    assert (
        "(label_tie true; 1 tied on severity only: the categories agreed, the severity is the "
        "highest tied level)"
    ) in said
    # the report says so too (break9 N12: its "Undecided" line said "without the
    # categories they split on evenly", and the severity table "`annotate adjudicate`
    # sends them" of a passage already sent)
    md = " ".join((out / "report" / "report.md").read_text(encoding="utf-8").split())
    assert "without the categories they split on evenly" not in md
    assert "tied on categories" not in md
    assert (
        "Undecided: 1 tied passage(s) no lead has decided yet; their labels are the "
        "reviewers' vote (1 tied on severity only: the categories agreed, the severity is "
        "the highest tied level)."
    ) in md, md
    assert (
        "Waiting for the lead: 1 passage(s) sent to adjudication and not yet decided (their "
        "labels are the reviewers' vote until the lead answers; 1 tied on severity only"
    ) in md
    assert "a lead decides them (sent to adjudication: they wait for the lead's answer)." in md
    assert "`annotate adjudicate` sends them" not in md


def run_cli(*args: str) -> Any:
    from typer.testing import CliRunner

    from annotate.cli import app

    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def export_cli(client: Any, out: Path, monkeypatch: Any, *argv: str) -> Any:
    """`annotate export --project p --out OUT [ARGV]` run against ``client`` (a fake
    Label Studio) with the pseudonym salt "s": the library export is patched to use them.
    Without -q, which would hide the notes these tests read (no bar is drawn here: the
    output is no terminal)."""
    import annotate.corpus.export as corpus_export

    real = corpus_export.export
    monkeypatch.setattr(
        corpus_export,
        "export",
        lambda project, out, **kw: real(project, out, client=client, salt="s", **kw),
    )
    return run_cli("export", "--project", "p", "--out", str(out), *argv)
