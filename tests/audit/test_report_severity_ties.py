"""The report's "By resolved severity" table counted a passage whose reviewers split
evenly on the severity (a tie no lead decided yet) at the highest tied severity, as if
decided, without saying so. The rows holding such ties are now marked, with a line
saying where they are counted."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.audit.report import write_report
from annotate.corpus.export import export
from tests.integration.helpers import choices

from .fakes import FakeStudio, annotation, reviewed_tasks, task

SPLIT = "The flyer names the street and the hour, and says bring something heavy."


def tied_on_severity() -> dict:
    """Two reviewers agreeing on the category and splitting on the severity."""
    return task(
        20,
        "doc-t-p0",
        SPLIT,
        doc="doc-t",
        index=0,
        model_labels=["incitement"],
        annotations=[
            annotation(
                120,
                1,
                [choices("category", ["incitement"]), choices("severity", ["low"])],
                minute=20,
                lead_time=9.0,
            ),
            annotation(
                121,
                2,
                [choices("category", ["incitement"]), choices("severity", ["critical"])],
                minute=21,
                lead_time=11.0,
            ),
        ],
    )


def test_rows_holding_undecided_severity_ties_are_marked(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    client = FakeStudio([*reviewed_tasks(), tied_on_severity()])
    export("p", corpus, client=client, salt="s")  # type: ignore[arg-type]
    result = write_report(corpus, tmp_path / "rep")
    c = result.numbers["counts"]
    assert c["by_severity"]["critical"] >= 1
    assert c["by_severity_undecided"] == {"critical": 1}
    md = result.markdown.read_text(encoding="utf-8")
    section = md.split("### By resolved severity", 1)[1].split("###", 1)[0]
    assert "| severity | passages | of them undecided ties |" in section
    critical = next(line for line in section.splitlines() if line.startswith("| critical |"))
    assert critical.rstrip().endswith("| 1 |"), section
    low = next(line for line in section.splitlines() if line.startswith("| low |"))
    assert low.replace(" ", "").endswith("||"), section
    assert "1 passage(s) whose reviewers split evenly on the severity" in " ".join(section.split())
    assert json.loads((tmp_path / "rep" / "report.json").read_text())["counts"][
        "by_severity_undecided"
    ] == {"critical": 1}


def test_a_corpus_without_such_ties_keeps_the_two_column_table(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    export("p", corpus, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    result = write_report(corpus, tmp_path / "rep")
    assert result.numbers["counts"]["by_severity_undecided"] == {}
    md = result.markdown.read_text(encoding="utf-8")
    section = md.split("### By resolved severity", 1)[1].split("###", 1)[0]
    assert "| severity | passages |" in section and "undecided" not in section
