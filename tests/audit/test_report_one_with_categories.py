"""The report's resolutions table counted a passage of two answers, only one of which chose
categories, in its "one answer (no agreement to measure)" row (resolution ``single`` since
break4 B5), and compared that answer's severity with the category-less one's: the row was a
severity tie "waiting for a lead" no lead was ever sent. The row is split now, and an answer
without categories is compared with nobody, as agreement and adjudicate read it."""

from __future__ import annotations

from pathlib import Path

from annotate.audit.report import ONE_WITH_CATEGORIES, SINGLE_ANSWER, write_report
from annotate.corpus.export import export
from tests.integration.helpers import choices

from .fakes import FakeStudio, annotation, reviewed_tasks, task

TEXT = "The flyer names the street and the hour, and says bring something heavy."


def one_with_categories() -> dict:
    """Two answers: one chose incitement (high), the other only a severity (low)."""
    return task(
        20,
        "doc-t-p0",
        TEXT,
        doc="doc-t",
        index=0,
        model_labels=["incitement"],
        annotations=[
            annotation(
                120,
                1,
                [choices("category", ["incitement"]), choices("severity", ["high"])],
                minute=20,
                lead_time=9.0,
            ),
            annotation(121, 2, [choices("severity", ["low"])], minute=21, lead_time=11.0),
        ],
    )


def test_the_row_says_what_it_holds_and_no_severity_tie_is_made_of_it(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    client = FakeStudio([*reviewed_tasks(), one_with_categories()])
    export("p", corpus, client=client, salt="s")  # type: ignore[arg-type]
    result = write_report(corpus, tmp_path / "rep")
    n = result.numbers
    # reviewed_tasks: doc-a-p0, doc-c-p0, doc-c-p1 have one answer each
    assert n["raw_agreement"]["single_answer"] == 3
    assert n["raw_agreement"]["one_with_categories"] == 1
    # two answers, but not "the same categories from every reviewer": one chose none
    assert n["raw_agreement"]["unanimous_categories"] == 1  # doc-b-p0 only
    assert n["counts"]["by_severity_undecided"] == {}
    assert "doc-t-p0" not in [u["id"] for u in n["adjudications"]["undecided"]]
    md = result.markdown.read_text(encoding="utf-8")
    assert f"| {SINGLE_ANSWER} | 3 |" in md, md
    assert f"| {ONE_WITH_CATEGORIES} | 1 |" in md, md


def test_an_older_exports_single_row_marked_tied_is_no_undecided_severity() -> None:
    """Rows exported before stop 51 carry label_tie for such a passage."""
    from annotate.audit import stats

    row = {
        "id": "doc-t-p0",
        "labels": ["incitement"],
        "severity": "high",
        "label_tie": True,
        "resolution": "single",
        "annotations": [
            {"categories": ["incitement"], "severity": "high"},
            {"categories": [], "severity": "low"},
        ],
    }
    assert not stats.severity_undecided(row)
    assert stats.adjudications([row])["undecided"] == []
