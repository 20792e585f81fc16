"""An answer choosing a harmful severity (`low` and up) with no harmful category (only
`none`, or only context labels such as `news_reporting`): the reverse of passC50 R1's
harmful category with severity `none`, which export, agreement and review status flag and
read as no severity. The reverse was flagged nowhere: a passage labelled "None of these"
was exported with severity `high`. It is now read and warned the same way; and review
status lists every such open answer of the project, not only those on passages answered
since --since (a lead wants to see them all until they are corrected)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.cli.export import severity_without_harm_warning
from annotate.corpus.export import export
from annotate.corpus.rows import harm_severity_without_harm
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.corpus.test_none_with_other import _rows
from tests.integration.helpers import choices

TAX = load_taxonomy()


def _contradicted() -> list[dict[str, Any]]:
    """reviewed_tasks() with reviewer 2's answer on doc-b-p0 (museum: `none`) given
    severity `high`. (doc-a-p0's only answer is news_reporting with severity `low`: the
    fixture's own case of a harmful severity with only a context label.)"""
    tasks = reviewed_tasks()
    task = next(t for t in tasks if t["data"]["passage_id"] == "doc-b-p0")
    task["annotations"][0]["result"].append(choices("severity", ["high"]))
    return tasks


def test_the_rule_comes_from_labels_yaml() -> None:
    assert harm_severity_without_harm(["none"], "high", TAX)
    assert harm_severity_without_harm(["news_reporting"], "low", TAX)
    assert harm_severity_without_harm(["news_reporting", "counter_speech"], "critical", TAX)
    assert not harm_severity_without_harm(["news_reporting", "violent_threat"], "low", TAX)
    assert not harm_severity_without_harm(["none"], "none", TAX)
    assert not harm_severity_without_harm(["none"], "", TAX)
    assert not harm_severity_without_harm([], "high", TAX)  # incomplete: nothing to contradict


def test_export_reads_them_as_no_severity_counts_and_warns(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_contradicted()), salt="s")  # type: ignore[arg-type]
    rows = _rows(out)
    museum = rows["doc-b-p0"]
    first, second = museum["annotations"]
    assert (first["severity"], first["severity_answered"]) == ("", "high")
    assert (second["severity"], second["severity_answered"]) == ("", "")
    assert museum["labels"] == ["none"] and museum["severity"] == ""  # not "high"
    news = rows["doc-a-p0"]
    assert news["severity"] == "" and news["annotations"][0]["severity_answered"] == "low"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    found = manifest["answers_severity_without_harm"]
    assert found["answers"] == 2 and found["examples"] == ["doc-a-p0", "doc-b-p0"]
    assert found["tasks"] == [11, 13] and found["lead"] == []
    # the first case's record is not mixed with it
    assert manifest["answers_harmful_severity_none"]["answers"] == 0
    said = severity_without_harm_warning(manifest)
    assert said is not None and "2 reviewer answer(s) (task(s) 11, 13)" in said, said
    assert "harmful severity" in said and "no harmful category" in said
    assert "read as no severity" in said and "Fix:" in said


def test_agreement_leaves_them_out_of_the_severity_figures_and_names_their_tasks(
    tmp_path: Path,
) -> None:
    from annotate.review.agreement import agreement, summary_lines

    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_contradicted()), salt="s")  # type: ignore[arg-type]
    rows = list(_rows(out).values())
    report = agreement(
        rows,
        TAX.category_names,
        TAX.severity_names,
        resamples=10,
        no_harm_severity=TAX.no_harm_severity,
    )
    assert report["tasks_severity_without_harm"] == [11, 13]
    assert report["tasks_harmful_severity_none"] == []
    said = [line for line in summary_lines(report) if "no harmful category" in line]
    assert len(said) == 1 and "task(s) 11, 13" in said[0], said


def test_a_leads_harmful_severity_without_a_harmful_category_is_read_as_no_severity(
    tmp_path: Path,
) -> None:
    from annotate.review.collect import SEVERITY_NO_HARM
    from tests.corpus.test_answer_start_traced import StudioWithLead, _export, _lead, _tasks

    result = [choices("category", ["news_reporting"]), choices("severity", ["high"])]
    rows, manifest, _ = _export(tmp_path, StudioWithLead(_tasks(), [_lead(result, None)]))
    row = rows["doc-a-p1"]
    assert row["labels"] == ["news_reporting"]
    assert row["severity"] == "none"  # no harm decided: not the lead's "high"
    assert row["adjudication"]["severity"] == "high"  # the lead's answer as given
    # the record says what the lead gave and that it contradicts, where it said "the lead
    # gave no usable severity" of a lead who gave high (stop 52)
    said_from = row["adjudication"]["severity_from"]
    assert said_from.startswith(SEVERITY_NO_HARM.partition(" (")[0]), said_from
    assert "the lead gave high, which contradicts no harmful category chosen" in said_from
    assert "gave no usable severity" not in said_from
    assert manifest["answers_severity_without_harm"]["lead"] == ["doc-a-p1"]
    said = severity_without_harm_warning(manifest)
    assert said is not None and "1 lead answer(s) in the adjudication project" in said


class StatusStudio(FakeStudio):
    """FakeStudio with the Data Manager's answered-task listing, page by page."""

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        super().__init__(tasks)
        self.listed: list[int] = []
        self.include: list[str | None] = []

    def iter_answered_tasks(
        self, project_id: int, filters: list[dict[str, Any]], include: str | None = None
    ) -> Any:
        assert filters == []  # every answered task, whenever answered
        self.include.append(include)
        for t in self.tasks:
            if any(not a["was_cancelled"] for a in t["annotations"]):
                self.listed.append(int(t["id"]))
                yield json.loads(json.dumps(t))


def test_review_status_lists_every_open_contradiction_whenever_answered() -> None:
    """The fixture's answers were made on 2026-06-01: a status run today (--since: today)
    read none of them, so it named none; every one is named now, by task and pseudonym."""
    from annotate.corpus.resolve import pseudonym
    from annotate.review.contradictions import open_contradictions

    tasks = _contradicted()
    harm = next(t for t in tasks if t["data"]["passage_id"] == "doc-c-p0")
    harm["annotations"][0]["result"][-2] = choices("severity", ["none"])  # incitement + none
    client = StatusStudio(tasks)
    found = open_contradictions(client, "p", TAX, salt="s", shown=1)  # type: ignore[arg-type]
    assert sorted(client.listed) == [11, 12, 13, 14, 15]
    # break5 B6: not every field of every answered task (predictions are the bulk)
    # ... and the task's updated_at, the mark of the next run (stop 52)
    assert client.include == ["id,data,annotations,project,updated_at"]
    assert found.severity_without_harm.total == 2
    assert found.severity_without_harm.named == [f"task 11 ({pseudonym(1, 's')})"]  # shown=1
    assert found.harmful_severity_none.total == 1
    assert found.harmful_severity_none.named == [f"task 14 ({pseudonym(2, 's')})"]


def test_review_status_prints_them_whatever_since(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """`review status` printed the contradictions of the answers read for exposure (since
    --since, today by default) only; they are read whatever --since, and --json gets them
    too (break5 B15: it had no key for them), by task id and pseudonym."""
    from annotate.cli.review.exposure import read_contradictions

    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s")
    doc = read_contradictions(StatusStudio(_contradicted()), "p", None)  # type: ignore[arg-type]
    said = " ".join(capsys.readouterr().err.split())
    assert "warning: 2 answer(s) of this project (all of them, whenever answered) chose a " in said
    assert "harmful severity (`low` or above) with no harmful category" in said, said
    assert "task 11 (" in said and "task 13 (" in said, said
    assert doc["error"] is None and doc["tasks_read"] == 5
    assert doc["severity_without_harm"]["total"] == 2
    assert [n.split(" (")[0] for n in doc["severity_without_harm"]["named"]] == [
        "task 11",
        "task 13",
    ]
    assert doc["harmful_severity_none"] == {"named": [], "total": 0}
    assert doc["unreadable"] == {"named": [], "total": 0}
    assert "burn their cities" not in json.dumps(doc)  # never the text


def test_one_unreadable_older_answer_hides_no_other_contradiction(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """break5 B5: the first answer the labels.yaml cannot read (a label since removed)
    stopped the listing, so one such answer anywhere in history hid every contradiction.
    It is skipped and named by task id; the others are listed."""
    from annotate.cli.review.exposure import read_contradictions

    tasks = _contradicted()
    bad = next(t for t in tasks if t["id"] == 12)  # between the two contradictions
    bad["annotations"][0]["result"][0] = choices("category", ["violent_threatt"])
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s")
    doc = read_contradictions(StatusStudio(tasks), "p", None)  # type: ignore[arg-type]
    said = " ".join(capsys.readouterr().err.split())
    assert doc["error"] is None, doc
    assert doc["severity_without_harm"]["total"] == 2, doc
    assert doc["unreadable"] == {"named": ["task 12"], "total": 1}
    assert "'violent_threatt' is not in labels.yaml" in doc["unreadable_why"]
    assert "task 11 (" in said and "task 13 (" in said, said
    assert "1 answered task(s) of this project could not be read" in said, said
    assert "(task 12)" in said, said


def test_a_listing_that_fails_leaves_status_running_with_a_warning(
    monkeypatch,  # type: ignore[no-untyped-def]
    capsys,
) -> None:
    """The answered tasks cannot be listed at all (not one answer: the request): status
    goes on, says why, and --json carries the reason."""
    from annotate.cli.review.exposure import read_contradictions
    from annotate.errors import ExportError

    class Unlisted(StatusStudio):
        def iter_answered_tasks(self, project_id: int, *args: Any) -> Any:
            raise ExportError("project 7: no such view.")

    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s")
    doc = read_contradictions(Unlisted(reviewed_tasks()), "p", None)  # type: ignore[arg-type]
    said = " ".join(capsys.readouterr().err.split())
    assert "could not be listed: project 7: no such view." in said, said
    assert doc == {"error": "project 7: no such view."}


def test_the_audit_report_says_both_contradictions_were_read_as_no_severity(
    tmp_path: Path,
) -> None:
    """break5 B18: the report (the document a dataset's reader gets) never said why some
    answers' severities were missing from its figures; an export before the manifest
    keys says nothing."""
    tasks = _contradicted()
    harm = next(t for t in tasks if t["data"]["passage_id"] == "doc-c-p0")
    harm["annotations"][0]["result"][-2] = choices("severity", ["none"])  # incitement + none
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    report = " ".join((out / "report" / "report.md").read_text(encoding="utf-8").split())
    said = (
        "Answers whose severity contradicts their categories were read as no severity "
        "given: 1 chose a harmful category with severity `none` (manifest "
        "`answers_harmful_severity_none`); 2 a harmful severity with no harmful category "
        "(manifest `answers_severity_without_harm`)."
    )
    assert said in report, report
    assert "(passages `doc-c-p0`, `doc-a-p0`, `doc-b-p0`)." in report
    assert "burn their cities" not in report.split("## Agreement and gold")[1].split("##")[0]
    # an export before the keys, and one without such answers
    from annotate.audit.report import _severity_contradiction_lines

    assert _severity_contradiction_lines({}) == []
    none = {"answers": 0, "passages": 0, "examples": [], "tasks": [], "lead": []}
    assert _severity_contradiction_lines({"answers_severity_without_harm": none}) == []


def test_agreeing_answers_beside_a_contradicted_severity_are_unanimous(tmp_path: Path) -> None:
    """passI53 I7: three reviewers chose `none`; two gave severity `none`, one `low`
    (read as no severity given). An answer without a severity does not vote on it, so
    the two severities given agree and so do all three category sets: `unanimous`, not
    `majority`."""
    from tests.audit.fakes import annotation

    tasks = reviewed_tasks()
    task = next(t for t in tasks if t["data"]["passage_id"] == "doc-b-p0")
    first, second = task["annotations"]
    first["result"].append(choices("severity", ["low"]))
    second["result"].append(choices("severity", ["none"]))
    task["annotations"].append(
        annotation(
            109,
            1,
            [choices("category", ["none"]), choices("severity", ["none"])],
            minute=9,
            lead_time=5.0,
        )
    )
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    museum = _rows(out)["doc-b-p0"]
    assert [a["severity"] for a in museum["annotations"]].count("") == 1
    assert (museum["resolution"], museum["severity"]) == ("unanimous", "none")


def test_agreement_counts_the_answers_as_export_does_not_their_tasks(tmp_path: Path) -> None:
    """Two reviewers' contradicting answers on one task are two answers (newuser60 F1:
    agreement said "104 reviewer answer(s)" where export and review status said 173 of the
    same project: it counted the tasks holding them)."""
    from annotate.review.agreement import agreement, summary_lines

    tasks = _contradicted()
    museum = next(t for t in tasks if t["data"]["passage_id"] == "doc-b-p0")
    for answer in museum["annotations"]:  # both reviewers: `none` with severity `high`
        answer["result"] = [
            part for part in answer["result"] if part.get("from_name") != "severity"
        ] + [choices("severity", ["high"])]
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    exported = manifest["answers_severity_without_harm"]["answers"]
    assert exported == 3  # doc-b-p0's two and doc-a-p0's one
    report = agreement(
        list(_rows(out).values()),
        TAX.category_names,
        TAX.severity_names,
        resamples=10,
        no_harm_severity=TAX.no_harm_severity,
    )
    assert report["tasks_severity_without_harm"] == [11, 13]  # each task once
    assert report["answers_severity_without_harm"] == exported
    said = [line for line in summary_lines(report) if "no harmful category" in line]
    assert len(said) == 1 and "3 reviewer answer(s) (task(s) 11, 13)" in said[0], said
