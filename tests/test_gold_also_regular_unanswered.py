"""A gold passage that came in regular pre-labels too (the push skipped it) was counted by
`agreement` and export only once a reviewer answered it: before, `review status` warned
and they said nothing (manifest ``gold_passages_also_regular`` 0), so a lead who read the
export first took the passage for regular data still to come. They count it from the task
lists now, answered or not."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.corpus.export import export
from annotate.review.collect import collect
from annotate.review.gold import ALSO_REGULAR, GOLD_META_KEY
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.conftest import project_taxonomy

GOLD = {"labels": ["none"], "severity": ""}


def tasks_with_an_unanswered_gold_passage() -> list[dict]:
    tasks = reviewed_tasks()
    tasks[2]["meta"] = {GOLD_META_KEY: {**GOLD, ALSO_REGULAR: True}}  # doc-b-p0
    tasks[2]["annotations"] = []  # nobody answered it yet
    tasks[0]["meta"] = {GOLD_META_KEY: GOLD}  # an ordinary gold task: not counted
    return tasks


def test_collect_counts_a_gold_passage_also_regular_before_any_answer() -> None:
    got = collect(
        FakeStudio(tasks_with_an_unanswered_gold_passage()),  # type: ignore[arg-type]
        "p",
        project_taxonomy(),
        salt="s",
    )
    assert got.gold_also_regular == ["doc-b-p0"]
    assert "doc-b-p0" not in {r["id"] for r in [*got.rows, *got.gold_rows]}  # no row yet


def test_export_counts_it_in_the_manifest_and_the_report(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("p", out, client=FakeStudio(tasks_with_an_unanswered_gold_passage()), salt="s")  # type: ignore[arg-type]
    review = json.loads((out / "manifest.json").read_text())["review"]
    assert review["gold_passages_also_regular"] == 1
    md = (out / "report" / "report.md").read_text()
    assert "1 passage(s) of the regular data were skipped because they are gold tasks" in md
