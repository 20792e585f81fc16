"""`annotate review status` remembers the contradictions it listed (stop 52): a second
run reads only the answered tasks changed since the first (a task's ``updated_at`` moves
whenever an answer on it is saved), and still lists every open contradiction: one
corrected since goes, a new one comes, one whose task is gone goes; ``--full`` reads all."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from annotate._util.server_time import server_time
from annotate.corpus.resolve import pseudonym
from annotate.review import contradictions
from annotate.review.contradiction_memory import memory_path
from annotate.review.contradictions import open_contradictions
from annotate.taxonomy import parse_taxonomy
from tests.corpus.test_severity_without_harm import TAX, StatusStudio, _contradicted
from tests.integration.helpers import choices


class Touched(StatusStudio):
    """StatusStudio whose answered-task listing honours the ``updated_at`` filter (as the
    Data Manager does) and lists answered ids."""

    def __init__(self, tasks: list[dict[str, Any]]) -> None:
        super().__init__(tasks)
        self.filters: list[list[dict[str, Any]]] = []
        self.ids_listed = 0
        self.looked_up: list[int] = []

    def _answered(self) -> list[dict[str, Any]]:
        return [t for t in self.tasks if any(not a["was_cancelled"] for a in t["annotations"])]

    def iter_answered_tasks(
        self, project_id: int, filters: list[dict[str, Any]], include: str | None = None
    ) -> Any:
        self.filters.append(filters)
        self.include.append(include)
        since = None
        for f in filters:
            assert f["filter"] == "filter:tasks:updated_at", f
            assert f["operator"] == "greater_or_equal", f
            since = server_time(f["value"])
        for t in self._answered():
            if since is None or server_time(t["updated_at"]) >= since:  # type: ignore[operator]
                self.listed.append(int(t["id"]))
                yield json.loads(json.dumps(t))

    def iter_answered_ids(self, project_id: int, filters: list[dict[str, Any]]) -> Any:
        wanted = None
        for f in filters:  # one task looked up by id (recent.task_filter)
            assert (f["filter"], f["operator"]) == ("filter:tasks:id", "equal"), f
            wanted = int(f["value"])
        self.ids_listed += wanted is None
        self.looked_up += [] if wanted is None else [wanted]
        yield from (int(t["id"]) for t in self._answered() if wanted in (None, t["id"]))

    def count_answered_tasks(self, project_id: int, filters: list[dict[str, Any]]) -> int:
        assert filters == []
        return len(self._answered())


def _stamped() -> list[dict[str, Any]]:
    """The fixture, each task touched an hour after the one before (10:00 to 14:00)."""
    tasks = _contradicted()
    for i, t in enumerate(tasks):
        t["updated_at"] = f"2026-06-01T{10 + i:02d}:00:00Z"
    return tasks


def _named(found: Any) -> tuple[list[str], list[str]]:
    strip = lambda names: [n.split(" (")[0] for n in names]  # noqa: E731
    return strip(found.severity_without_harm.named), strip(found.harmful_severity_none.named)


def test_a_second_run_reads_only_the_changed_tasks_and_lists_the_same(tmp_path: Path) -> None:
    memory = tmp_path / "record.json"
    studio = Touched(_stamped())
    first = open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    assert first.tasks == 5 and first.answered == 5 and first.full_read
    assert _named(first) == (["task 11", "task 13"], [])
    studio.listed.clear()
    again = open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    # nothing changed: only the latest task (within the run's margin of the mark) is read
    assert studio.listed == [15] and again.tasks == 1 and not again.full_read
    assert again.answered == 5  # every answered task the listing covers (break6 K11)
    assert again.severity_without_harm == first.severity_without_harm
    assert again.harmful_severity_none == first.harmful_severity_none
    assert studio.filters[0] == [] and studio.filters[1][0]["value"].startswith("2026-06-01T13:5")
    # the record keeps findings and marks, never the passages' text
    record = memory.read_text(encoding="utf-8")
    assert "burn their cities" not in record and "2026-06-01T14:00:00Z" in record


def test_a_corrected_answer_goes_a_new_one_comes_a_deleted_task_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = tmp_path / "record.json"
    tasks = _stamped()
    studio = Touched(tasks)
    open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    by_id = {t["id"]: t for t in tasks}
    # task 11 corrected (news_reporting, severity none), task 14 given incitement + none
    by_id[11]["annotations"][0]["result"][-1] = choices("severity", ["none"])
    by_id[11]["updated_at"] = "2026-06-02T09:00:00Z"
    by_id[14]["annotations"][0]["result"][3] = choices("severity", ["none"])
    by_id[14]["updated_at"] = "2026-06-02T09:05:00Z"
    studio.listed.clear()
    found = open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    assert sorted(studio.listed) == [11, 14, 15]  # the changed ones (15: the mark)
    assert _named(found) == (["task 13"], ["task 14"])
    assert found.harmful_severity_none.named == [f"task 14 ({pseudonym(2, 's')})"]
    # task 13 deleted (untouched tasks' updated_at do not move): it goes all the same
    tasks.remove(by_id[13])
    studio.listed.clear()
    found = open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    assert _named(found) == ([], ["task 14"])
    # the two remembered tasks looked up by id (few beside one page of ids), no listing
    assert studio.looked_up == [11, 13, 13, 14] and studio.ids_listed == 0
    # many remembered ones beside the answered tasks: one ids listing instead
    monkeypatch.setattr(contradictions, "ID_CHECKS_PER_PAGE", 0)
    by_id[14]["annotations"][0]["was_cancelled"] = True  # its only answer now a skip
    found = open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    assert _named(found) == ([], []) and studio.ids_listed == 1
    # --full reads every answered task again, and finds the same
    studio.listed.clear()
    full = open_contradictions(studio, "p", TAX, salt="s", memory=memory, full=True)  # type: ignore[arg-type]
    assert sorted(studio.listed) == [11, 12, 15] and full.full_read
    assert _named(full) == _named(found)


def test_a_record_of_another_salt_or_labels_yaml_is_not_used(tmp_path: Path) -> None:
    memory = tmp_path / "record.json"
    studio = Touched(_stamped())
    open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    studio.listed.clear()
    other = open_contradictions(studio, "p", TAX, salt="t", memory=memory)  # type: ignore[arg-type]
    assert other.full_read and len(studio.listed) == 5
    assert other.severity_without_harm.named[0] == f"task 11 ({pseudonym(1, 't')})"
    memory.write_text("{not json", encoding="utf-8")  # a broken record: read as none
    studio.listed.clear()
    assert open_contradictions(studio, "p", TAX, salt="t", memory=memory).full_read  # type: ignore[arg-type]
    assert len(studio.listed) == 5


def test_review_status_keeps_the_record_in_the_work_folder(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`review status` (read_contradictions) writes the record under $ANNOTATE_HOME and a
    second run reads from it; --full (full=True) reads every task."""
    from annotate.cli.review.exposure import read_contradictions

    monkeypatch.setenv("ANNOTATE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s")
    studio = Touched(_stamped())
    assert read_contradictions(studio, "p", None)["full_read"] is True  # type: ignore[arg-type]
    path = memory_path(studio.url, "p")
    assert path.is_file() and path.is_relative_to(tmp_path / "home" / "review-contradictions")
    doc = read_contradictions(studio, "p", None)  # type: ignore[arg-type]
    assert doc["full_read"] is False and doc["tasks_read"] == 1
    assert doc["answered_tasks"] == 5  # tasks_read's meaning before stop 52 (break6 K11)
    assert doc["severity_without_harm"]["total"] == 2
    doc = read_contradictions(studio, "p", None, True)  # type: ignore[arg-type]
    assert doc["full_read"] is True and doc["tasks_read"] == 5 and doc["answered_tasks"] == 5


class Pushed(Touched):
    """Touched whose project holds the labeling config of its latest push (``config``)."""

    def __init__(self, tasks: list[dict[str, Any]], config: str) -> None:
        super().__init__(tasks)
        self.config = config

    def get_project(self, project_id: int) -> dict[str, Any]:
        return {**super().get_project(project_id), "label_config": self.config}


def _config_of(version: str) -> str:
    """The labeling config a push of labels.yaml ``version`` gives the project."""
    text = (Path(__file__).resolve().parents[1] / "labels.yaml").read_text(encoding="utf-8")
    return parse_taxonomy(
        text.replace("version: 1.0.0", f"version: {version}")
    ).render_label_config()


def test_a_re_push_with_another_labels_yaml_reads_the_project_whole_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The record kept a project's findings across a re-push with another labels.yaml
    version: the answers are read under the version the project's config records, so
    what they read as changed, but no task's ``updated_at`` moved and the stale findings
    were listed. A changed config now reads the project whole again, with a log line."""
    memory = tmp_path / "record.json"
    studio = Pushed(_stamped(), TAX.render_label_config())
    first = open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    assert _named(first) == (["task 11", "task 13"], []) and first.config_changed == []
    studio.listed.clear()
    same = open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    assert studio.listed == [15] and not same.full_read and same.config_changed == []
    # a colleague re-pushes the project with labels.yaml 2.0.0 (a major version this
    # 1.0.0 declares no migration from): its answers cannot be read with this labels.yaml
    studio.config = _config_of("2.0.0")
    studio.listed.clear()
    with caplog.at_level(logging.INFO, logger="annotate.review.contradictions"):
        moved = open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    assert sorted(studio.listed) == [11, 12, 13, 14, 15] and moved.full_read
    assert moved.config_changed == ["p"]
    assert "has another labeling config" in caplog.text
    assert "labels.yaml 2.0.0, was 1.0.0" in caplog.text
    assert _named(moved) == ([], []) and moved.unreadable.total == 5  # not the stale two
    assert "labels.yaml 2.0.0" in moved.unreadable_why
    # the record now holds the new config: the next run reads only what changed
    studio.listed.clear()
    after = open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    assert studio.listed == [15] and after.config_changed == [] and after.unreadable.total == 5


def test_a_record_kept_before_configs_were_recorded_is_read_whole_once(tmp_path: Path) -> None:
    """A record written before its parts kept the config (stop 52) cannot tell whether the
    project was re-pushed since: its project is read whole once, then as before."""
    memory = tmp_path / "record.json"
    studio = Pushed(_stamped(), TAX.render_label_config())
    open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    doc = json.loads(memory.read_text(encoding="utf-8"))
    for part in doc["projects"].values():
        assert part.pop("config") and part.pop("labels_version") == "1.0.0"
    memory.write_text(json.dumps(doc), encoding="utf-8")
    studio.listed.clear()
    old = open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    assert len(studio.listed) == 5 and old.full_read and old.config_changed == ["p"]
    studio.listed.clear()
    open_contradictions(studio, "p", TAX, salt="s", memory=memory)  # type: ignore[arg-type]
    assert studio.listed == [15]
