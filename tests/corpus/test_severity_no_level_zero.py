"""A labels.yaml whose lowest severity is not level 0 (labels.yaml allows it: levels need
only be unique): the two severity contradictions were told apart by comparing with the
lowest level (break5 B8), so a context-only answer with the lowest (harmful) level was
named "a harmful category with severity `none`"; and a lead's "no harm" decision got that
lowest, harmful level: annotate itself wrote the contradiction it flags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotate.corpus.export import export
from annotate.corpus.rows import (
    HARMFUL_SEVERITY_NONE,
    SEVERITY_WITHOUT_HARM,
    contradiction_of,
    harm_severity_without_harm,
)
from annotate.review.report import review_reports
from annotate.taxonomy import Taxonomy, load_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.integration.helpers import choices

TAX = load_taxonomy()


def _no_level_zero() -> Taxonomy:
    """The project's labels.yaml without its level-0 severity (`none`)."""
    data = TAX.model_dump()
    data["severity"] = [s for s in data["severity"] if s["level"] != 0]
    return Taxonomy.model_validate(data)


def test_the_no_harm_severity_is_level_0_not_the_lowest() -> None:
    assert TAX.no_harm_severity == "none"
    tax = _no_level_zero()
    assert tax.no_harm_severity is None and tax.severity_names[0] == "low"
    assert harm_severity_without_harm(["news_reporting"], "low", tax)
    answer = {"severity": "", "severity_answered": "low"}
    assert contradiction_of(answer, tax.no_harm_severity) == SEVERITY_WITHOUT_HARM
    assert contradiction_of({"severity": "", "severity_answered": "none"}, "none") == (
        HARMFUL_SEVERITY_NONE
    )


def _rows(out: Path) -> dict[str, dict[str, Any]]:
    return {
        r["id"]: r
        for f in (out / "jsonl").glob("*.jsonl")
        for r in (json.loads(line) for line in f.read_text().splitlines())
    }


def test_export_and_agreement_file_a_context_answer_with_the_lowest_level_right(
    tmp_path: Path,
) -> None:
    """The fixture's doc-a-p0 answer: news_reporting with severity `low`, the lowest level
    here, and a harmful one: a severity without harm, not a harmful category with `none`."""
    tax = _no_level_zero()
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s", taxonomy=tax)  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["answers_severity_without_harm"]["examples"] == ["doc-a-p0"]
    assert manifest["answers_harmful_severity_none"]["answers"] == 0
    rows = list(_rows(out).values())
    agreement = review_reports(rows, [], tax)["agreement.json"]
    assert agreement["tasks_severity_without_harm"] == [11]
    assert agreement["tasks_harmful_severity_none"] == []


def test_a_leads_no_harm_decision_gets_no_harmful_severity(tmp_path: Path) -> None:
    from annotate.review.collect import SEVERITY_NO_HARM
    from tests.corpus.test_answer_start_traced import StudioWithLead, _lead, _tasks

    out = tmp_path / "c"
    result = [choices("category", ["news_reporting"])]
    studio = StudioWithLead(_tasks(), [_lead(result, None)])
    export("p", out, client=studio, salt="s", taxonomy=_no_level_zero())
    row = _rows(out)["doc-a-p1"]
    assert row["labels"] == ["news_reporting"]
    assert row["severity"] == ""  # not `low`: harmful here, the contradiction itself
    assert row["adjudication"]["severity_from"] == SEVERITY_NO_HARM


def test_no_harmful_severity_is_pre_selected_or_assumed() -> None:
    """The model pre-selected the lowest level for a passage it is sure is harmless, and a
    blank answer counted as the lowest level: `low` here, a harmful severity."""
    from annotate.corpus.model_view import _same_severity
    from annotate.studio.tasks import predicted_severity

    sure = {c: 0.01 for c in TAX.harmful}
    assert predicted_severity(sure, ["none"], TAX) == "none"
    tax = _no_level_zero()
    assert predicted_severity(sure, ["none"], tax) == ""
    assert _same_severity("", "none", TAX)
    assert not _same_severity("", "low", tax)
