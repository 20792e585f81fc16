"""Two licence gaps of the export: a passage held by several tasks (duplicates, a review
set's copies) was exported under its oldest task's licence, silently; and an export over a
previous one did not say when a passage's licence changed between the two. Now the latest
push's licence is exported, every licence is listed in the manifest, and the comparison
with the previous export counts licence changes (manifest, report, CLI)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from annotate.audit.verify import compare, verify
from annotate.cli.export import licence_warnings
from annotate.corpus.export import export
from annotate.corpus.licenses import PUSHED_LICENCES, merged_license, several_licences
from annotate.studio.pull import merge_duplicate_passages
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.test_export_pseudonymous_projects import REVIEWERS, ReviewSetStudio


def _rows(corpus: Path) -> dict[str, dict[str, Any]]:
    return {
        r["id"]: r
        for f in sorted((corpus / "jsonl").glob("*.jsonl"))
        for r in (json.loads(line) for line in f.read_text().splitlines())
    }


def _licensed(licences: list[str | None]) -> list[dict[str, Any]]:
    tasks = copy.deepcopy(reviewed_tasks())
    for t, lic in zip(tasks, licences, strict=True):
        t["data"]["license"] = lic
    return tasks


def _copy_of(task: dict[str, Any], task_id: int, licence: str | None) -> dict[str, Any]:
    """A second task of the same passage, pushed later (a higher id), answered by user 9."""
    dup = copy.deepcopy(task)
    dup["id"] = task_id
    dup["data"]["license"] = licence
    for n, a in enumerate(dup["annotations"]):
        a["id"], a["completed_by"] = 900 + n, 9
    return dup


def test_the_latest_push_that_records_a_licence_wins() -> None:
    tasks = [{"id": 11, "data": {"passage_id": "p", "license": "MIT"}}]
    assert merged_license(tasks[0]) == "MIT" and several_licences(tasks[0]) == []
    tasks += [
        {"id": 40, "data": {"passage_id": "p", "license": None}},  # pushed without one
        {"id": 30, "data": {"passage_id": "p", "license": "CC-BY-4.0"}},
    ]
    (merged,) = merge_duplicate_passages(tasks)
    assert merged["id"] == 11  # the oldest task is kept, with every licence
    assert merged[PUSHED_LICENCES] == [(11, "MIT"), (30, "CC-BY-4.0"), (40, None)]
    assert merged_license(merged) == "CC-BY-4.0"
    assert several_licences(merged) == ["MIT", "CC-BY-4.0"]


def test_duplicate_tasks_export_the_latest_licence_and_list_them_all(tmp_path: Path) -> None:
    tasks = _licensed(["MIT", "MIT", "CC0-1.0", None, None])
    tasks.append(_copy_of(tasks[0], 99, "CC-BY-4.0"))  # doc-a-p0 pushed again, later
    tasks.append(_copy_of(tasks[2], 98, None))  # doc-b-p0 again, recording none
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(tasks), salt="s")  # type: ignore[arg-type]
    rows = _rows(out)
    assert rows["doc-a-p0"]["license"] == "CC-BY-4.0"
    assert rows["doc-b-p0"]["license"] == "CC0-1.0"  # a push that recorded none says nothing
    manifest = json.loads((out / "manifest.json").read_text())
    several = manifest["licenses"]["passages_with_several"]
    assert several["passages"] == 1 and "most recently pushed" in several["rule"]
    assert several["examples"] == [
        {"passage": "doc-a-p0", "licenses": ["MIT", "CC-BY-4.0"], "exported": "CC-BY-4.0"}
    ]
    assert manifest["licenses"]["changed_since_previous_export"] is None  # a new folder
    text = (out / "report" / "report.md").read_text()
    assert "**1 passage(s) were pushed under more than one licence** (e.g. doc-a-p0: MIT " in text
    said = licence_warnings(manifest["licenses"], out)
    assert said == [
        "warning: 1 passage(s) were pushed under more than one licence (e.g. doc-a-p0: MIT "
        "then CC-BY-4.0); each is exported under the licence of its latest push "
        "(manifest.json licenses.passages_with_several lists them)"
    ]
    verify(out)


def test_an_export_over_a_previous_one_counts_licence_changes(tmp_path: Path) -> None:
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(_licensed(["MIT", "MIT", None, None, None])), salt="s")  # type: ignore[arg-type]
    same = _licensed(["MIT", "MIT", None, None, None])
    export("p", out, client=FakeStudio(same), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text())
    unchanged = manifest["licenses"]["changed_since_previous_export"]
    assert unchanged == {
        "passages_compared": 5,
        "previous_recorded": True,
        "changed": 0,
        "changes": {},
        "examples": [],
    }
    assert licence_warnings(manifest["licenses"], out) == []
    assert (
        "Licences unchanged since the previous export (5 passage(s) in both)."
        in (out / "report" / "report.md").read_text()
    )
    # the task of doc-a-p1 edited in Label Studio, doc-b-p0 given one, doc-a-p0 lost its own
    now = _licensed([None, "CC-BY-4.0", "CC0-1.0", None, None])
    export("p", out, client=FakeStudio(now), salt="s")  # type: ignore[arg-type]
    manifest = json.loads((out / "manifest.json").read_text())
    changed = manifest["licenses"]["changed_since_previous_export"]
    assert changed["changed"] == 3 and changed["passages_compared"] == 5
    assert changed["changes"] == {"MIT -> CC-BY-4.0": 1, "MIT -> none": 1, "none -> CC0-1.0": 1}
    assert {e["passage"]: (e["previous"], e["now"]) for e in changed["examples"]} == {
        "doc-a-p0": ("MIT", None),
        "doc-a-p1": ("MIT", "CC-BY-4.0"),
        "doc-b-p0": (None, "CC0-1.0"),
    }
    (line,) = licence_warnings(manifest["licenses"], out)
    assert line.startswith(
        f"warning: 3 passage(s) have another licence than in the previous export in {out} "
        "(MIT -> CC-BY-4.0: 1, MIT -> none: 1, none -> CC0-1.0: 1; e.g. doc-a-p0)"
    )
    report = json.loads((out / "report" / "report.json").read_text())
    assert report["licenses"]["changed_since_previous_export"]["changed"] == 3
    text = (out / "report" / "report.md").read_text()
    assert "**3 of 5 passage(s) have another licence than in the previous export**" in text
    verify(out)
    # the same review state exported into a new folder is the same data: the comparison
    # with a previous export is about the folder's history
    fresh = tmp_path / "fresh"
    export("p", fresh, client=FakeStudio(now), salt="s")  # type: ignore[arg-type]
    assert compare(out, fresh).same, compare(out, fresh).report_differs


def test_a_previous_export_from_before_licences_counts_no_change(tmp_path: Path) -> None:
    out = tmp_path / "c"
    export("p", out, client=FakeStudio(reviewed_tasks()), salt="s")  # type: ignore[arg-type]
    for f in (out / "jsonl").glob("*.jsonl"):  # as an export made before the column
        lines = [json.loads(x) for x in f.read_text().splitlines()]
        for r in lines:
            del r["license"]
        f.write_text("".join(json.dumps(r) + "\n" for r in lines))
    export("p", out, client=FakeStudio(_licensed(["MIT"] * 5)), salt="s")  # type: ignore[arg-type]
    changed = json.loads((out / "manifest.json").read_text())["licenses"][
        "changed_since_previous_export"
    ]
    assert changed["previous_recorded"] is False and changed["changed"] == 0


class ToppedUpQueues(ReviewSetStudio):
    """A review set whose last reviewer's copies were pushed later (higher task ids) from
    a file ingested again: under CC-BY-4.0, but doc-c's without a licence."""

    def _mine(self, project_id: int) -> list[dict[str, Any]]:
        tasks = copy.deepcopy(super()._mine(project_id))
        for t in tasks:
            if project_id == REVIEWERS[3][0]:
                t["id"] += 1000
                doc_c = t["data"]["doc_id"] == "doc-c"
                t["data"]["license"] = None if doc_c else "CC-BY-4.0"
            else:
                t["data"]["license"] = "MIT"
        return tasks


def test_a_review_sets_copies_give_the_latest_push_s_licence(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    export("Week 49", out, client=ToppedUpQueues(), salt="s")  # type: ignore[arg-type]
    rows = _rows(out)
    cai = {  # the passages cai answered: the export reads the tasks holding an answer
        str(t["data"]["passage_id"])
        for t in reviewed_tasks()
        if any(a["completed_by"] == 3 for a in t["annotations"])
    }
    topped = {pid for pid in cai if rows[pid]["doc_id"] != "doc-c"}
    assert topped and len(topped) < len(rows)
    assert {pid: r["license"] for pid, r in rows.items()} == {
        pid: "CC-BY-4.0" if pid in topped else "MIT" for pid in rows
    }
    several = json.loads((out / "manifest.json").read_text())["licenses"]["passages_with_several"]
    assert several["passages"] == len(topped)
    assert all(e["licenses"] == ["MIT", "CC-BY-4.0"] for e in several["examples"])
