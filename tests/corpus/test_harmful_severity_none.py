"""An answer that pairs a harmful category with severity `none` (labels.yaml level 0,
"No harmful content"): passC50 R1, a threat exported as `violent_threat` with severity
`none` and no warning. It is now read as no severity given (the reviewer's choice kept in
``severity_answered``), counted in the manifest with its task ids, and warned once by
export, agreement and review status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.cli.export import harmful_severity_none_warning
from annotate.corpus.export import export
from annotate.corpus.rows import harmful_with_no_harm_severity
from annotate.taxonomy import load_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.corpus.test_none_with_other import _rows
from tests.integration.helpers import choices

TAX = load_taxonomy()


def _contradicted() -> list[dict[str, Any]]:
    """reviewed_tasks() with the only answer on doc-c-p0 (incitement, medium) given
    severity `none`."""
    tasks = reviewed_tasks()
    task = next(t for t in tasks if t["data"]["passage_id"] == "doc-c-p0")
    [answer] = task["annotations"]
    answer["result"] = [
        r if r["from_name"] != "severity" else choices("severity", ["none"])
        for r in answer["result"]
    ]
    return tasks


def test_the_rule_comes_from_labels_yaml() -> None:
    assert harmful_with_no_harm_severity(["violent_threat"], "none", TAX)
    assert not harmful_with_no_harm_severity(["violent_threat"], "low", TAX)
    assert not harmful_with_no_harm_severity(["news_reporting"], "none", TAX)
    assert not harmful_with_no_harm_severity(["violent_threat"], "", TAX)


def test_a_harmful_category_with_severity_none_is_read_as_no_severity_and_warned(
    tmp_path: Path,
) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(_contradicted()), salt="s")  # type: ignore[arg-type]
    row = _rows(out)["doc-c-p0"]
    assert row["labels"] == ["incitement"]
    assert row["severity"] == ""  # not "none" beside incitement
    answer = row["annotations"][0]
    assert answer["severity"] == "" and answer["severity_answered"] == "none"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    found = manifest["answers_harmful_severity_none"]
    assert found["answers"] == 1 and found["examples"] == ["doc-c-p0"]
    assert found["tasks"] == [14]
    said = harmful_severity_none_warning(manifest)
    assert said is not None and "1 reviewer answer(s) (task(s) 14)" in said
    assert "severity `none`" in said and "read as no severity" in said
    # every other answer records its severity in both (but doc-a-p0's, news_reporting
    # with severity low: the reverse contradiction, tests/corpus/test_severity_without_harm)
    assert all(
        a["severity_answered"] == a["severity"]
        for rid, r in _rows(out).items()
        if rid not in ("doc-c-p0", "doc-a-p0")
        for a in r["annotations"]
    )


def test_an_export_without_such_answers_says_nothing(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["answers_harmful_severity_none"]["answers"] == 0
    assert harmful_severity_none_warning(manifest) is None


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
    assert report["tasks_harmful_severity_none"] == [14]
    said = [line for line in summary_lines(report) if "category with severity `none`" in line]
    assert len(said) == 1 and "task(s) 14" in said[0], said


def test_review_status_names_them_by_task_and_pseudonym_never_by_text() -> None:
    from annotate.cli.review.exposure import contradiction_status_lines
    from annotate.corpus.resolve import pseudonym
    from annotate.review.contradictions import open_contradictions
    from tests.audit.fakes import ADJUDICATION, lead_task
    from tests.corpus.test_severity_without_harm import StatusStudio

    class WithLead(StatusStudio):
        def find_project(self, title: str) -> dict[str, Any] | None:
            return (
                dict(ADJUDICATION)
                if title.endswith("adjudication")
                else super().find_project(title)
            )

        def iter_answered_tasks(
            self, project_id: int, filters: list[dict[str, Any]], include: str | None = None
        ) -> Any:
            if project_id == ADJUDICATION["id"]:
                result = [choices("category", ["violent_threat"]), choices("severity", ["none"])]
                return iter([lead_task("doc-a-p1", "We will come for you.", result)])
            return super().iter_answered_tasks(project_id, filters, include)

    tasks = _contradicted()
    next(t for t in tasks if t["data"]["passage_id"] == "doc-a-p0")["annotations"][0]["result"][
        -1
    ] = choices("severity", ["none"])  # news_reporting + none: no contradiction
    found = open_contradictions(WithLead(tasks), "p", TAX, salt="s")  # type: ignore[arg-type]
    assert found.harmful_severity_none.named == [
        f"task 14 ({pseudonym(2, 's')})",
        f"passage doc-a-p1 (lead {pseudonym(4, 's')})",
    ]
    assert found.severity_without_harm.total == 0
    [line] = contradiction_status_lines(found)
    assert line.startswith("warning: 2 answer(s) of this project") and "task 14" in line
    text = next(t for t in tasks if t["data"]["passage_id"] == "doc-c-p0")["data"]["text"]
    assert text[:20] not in line


def test_a_leads_harmful_category_with_severity_none_is_read_as_no_severity(
    tmp_path: Path,
) -> None:
    """passC50 R1: the lead ticked "Violent threat", left severity on `none` and
    submitted; the export wrote the threat with severity `none` and no warning."""
    from annotate.review.collect import SEVERITY_FROM_VOTE
    from tests.corpus.test_answer_start_traced import StudioWithLead, _export, _lead, _tasks

    result = [choices("category", ["violent_threat"]), choices("severity", ["none"])]
    rows, manifest, _ = _export(tmp_path, StudioWithLead(_tasks(), [_lead(result, None)]))
    row = rows["doc-a-p1"]
    assert row["labels"] == ["violent_threat"]
    assert row["severity"] == "high"  # the reviewers' vote, not the lead's "none"
    adj = row["adjudication"]
    assert adj["severity"] == "none"  # the lead's answer as given
    # what the lead gave and that it contradicts, not "the lead gave none" (stop 52)
    assert adj["severity_from"] == (
        "reviewers' vote (the lead gave none, which contradicts the harmful category chosen)"
    )
    assert adj["severity_from"].startswith(SEVERITY_FROM_VOTE.partition(" (")[0])
    assert manifest["answers_harmful_severity_none"]["lead"] == ["doc-a-p1"]
    said = harmful_severity_none_warning(manifest)
    assert said is not None and "1 lead answer(s) in the adjudication project" in said
