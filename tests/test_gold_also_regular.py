"""A passage pushed earlier as gold that later comes in regular pre-labels stays gold:
export keeps it out of the corpus and now says so (log, manifest, report, CLI) instead
of dropping it silently; a review set holding it as gold in one queue and regular in
another treats it as gold whichever queue is read first."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from annotate.review.gold import ALSO_REGULAR, GOLD_META_KEY
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.test_export_pseudonymous_projects import REVIEWERS, ReviewSetStudio

GOLD = {"labels": ["none"], "severity": ""}


def exported_ids(out: Path) -> set[str]:
    return {
        json.loads(line)["id"]
        for split in ("train", "validation", "test")
        for line in (out / "jsonl" / f"{split}.jsonl").read_text().splitlines()
    }


def test_export_says_how_many_passages_it_kept_out_because_they_are_gold(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tasks = reviewed_tasks()
    # doc-b-p0 was pushed as gold; the push of the regular data found it and marked it
    tasks[2]["meta"] = {GOLD_META_KEY: {**GOLD, ALSO_REGULAR: True}}
    tasks[0]["meta"] = {GOLD_META_KEY: GOLD}  # an ordinary gold task: not counted
    out = tmp_path / "corpus"
    with caplog.at_level(logging.INFO):  # the CLI prints the warning; the library logs
        export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    assert "doc-b-p0" not in exported_ids(out)
    assert "1 passage(s) of the regular data were skipped because they are gold" in caplog.text
    review = json.loads((out / "manifest.json").read_text())["review"]
    assert review["gold_passages"] == 2 and review["gold_passages_also_regular"] == 1
    md = (out / "report" / "report.md").read_text()
    assert "1 passage(s) of the regular data were skipped because they are gold tasks" in md


class MixedQueues(ReviewSetStudio):
    """doc-b-p0 is gold in cai's queue (read last) and regular in ben's."""

    def _mine(self, project_id: int) -> list[dict[str, Any]]:
        tasks = super()._mine(project_id)
        if project_id == REVIEWERS[3][0]:
            for t in tasks:
                if t["data"]["passage_id"] == "doc-b-p0":
                    t["meta"] = {GOLD_META_KEY: GOLD}
        return tasks


def test_gold_in_one_queue_and_regular_in_another_is_gold(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("Week 49", out, client=MixedQueues(), salt="s")  # type: ignore[arg-type]
    assert "doc-b-p0" not in exported_ids(out)  # was a corpus row: ben's copy came first
    review = json.loads((out / "manifest.json").read_text())["review"]
    assert review["gold_passages_also_regular"] == 1
