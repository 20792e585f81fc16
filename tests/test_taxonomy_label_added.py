"""A category added to labels.yaml in the middle of a review. `push` of the new labels.yaml
(a minor version up) updated the labeling config of a project with answers without a
word, and every answer then read as made under the new version (the export stamped each
answer with the project's one version), though the answers made before could not choose
the new category: export, agreement and training read those passages as without it.

Now push warns (what was added, how many answered tasks, what to do), keeps in the new
config when the old version ended and what it added, and the export stamps each answer
with the version it was made under and warns. An export with the older labels.yaml of
answers that use the new category names the labels.yaml to use. No answer is changed."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from annotate.errors import ExportError
from annotate.studio.label_config import HistoryEntry, same_label_config, taxonomy_history
from annotate.studio.push import ensure_project
from annotate.taxonomy import Taxonomy, parse_taxonomy
from tests.audit.fakes import FakeStudio, reviewed_tasks
from tests.conftest import ROOT, project_taxonomy
from tests.integration.helpers import choices
from tests.test_open_work import export_cli

UNTIL = "2026-06-01T10:04:30+00:00"  # between the fixture's answers of minutes 4 and 5


def _labels_text(version: str) -> str:
    """The project's labels.yaml with a `harassment` category, at ``version``."""
    text = (ROOT / "labels.yaml").read_text(encoding="utf-8")
    added = text.replace(
        "  - name: news_reporting",
        "  - name: harassment\n    group: harmful\n    title: Harassment\n"
        "    definition: Targeted abuse.\n\n  - name: news_reporting",
        1,
    )
    assert added != text
    return added.replace("version: 1.0.0", f"version: {version}", 1)


def with_harassment(version: str) -> Taxonomy:
    return parse_taxonomy(_labels_text(version))


class Projects:
    """The calls ensure_project makes of a project that holds answered tasks."""

    def __init__(self, config: str, answered: int) -> None:
        self.config, self.answered, self.updates = config, answered, []

    def find_project(self, title: str) -> dict[str, Any]:
        return {"id": 1, "title": title, "label_config": self.config}

    def update_project(self, project_id: int, **fields: Any) -> None:
        if "label_config" in fields:  # view settings: updated too, not counted here
            self.updates.append(fields)
        self.config = fields.get("label_config", self.config)

    def count_annotated_tasks(self, project_id: int) -> int:
        return self.answered


def test_push_of_an_added_category_warns_and_keeps_when_the_old_version_ended(
    caplog: pytest.LogCaptureFixture,
) -> None:
    old, new = project_taxonomy(), with_harassment("1.1.0")
    studio = Projects(old.render_label_config(), answered=12)
    caplog.set_level(logging.WARNING, logger="annotate")
    ensure_project(studio, "Batch 1", new.render_label_config(), new, "m")  # type: ignore[arg-type]
    (warning,) = [r.getMessage() for r in caplog.records if "adds" in r.getMessage()]
    assert "labels.yaml 1.1.0 adds category:harassment to project 'Batch 1'" in warning
    assert "12 answered task(s) made under labels.yaml 1.0.0" in warning
    assert "could not choose the new label(s)" in warning
    assert "reviewers open and update those answers in Label Studio" in warning
    (entry,) = taxonomy_history(studio.config)
    assert (entry.version, entry.added, entry.next_version) == (
        "1.0.0",
        ("category:harassment",),
        "1.1.0",
    )
    # the next push of the same labels.yaml: the same config, history and all, no update
    assert same_label_config(studio.config, new.render_label_config())
    caplog.clear()
    ensure_project(studio, "Batch 1", new.render_label_config(), new, "m")  # type: ignore[arg-type]
    assert len(studio.updates) == 1 and "adds" not in caplog.text
    # a later version keeps the earlier entry and adds its own
    newer = parse_taxonomy(
        (ROOT / "labels.yaml").read_text(encoding="utf-8").replace("1.0.0", "1.2.0", 1)
    )
    studio.answered = 0  # nothing answered: no warning, the history still kept
    ensure_project(studio, "Batch 1", newer.render_label_config(), newer, "m")  # type: ignore[arg-type]
    assert [e.version for e in taxonomy_history(studio.config)] == ["1.0.0", "1.1.0"]


def test_no_answers_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    old, new = project_taxonomy(), with_harassment("1.1.0")
    studio = Projects(old.render_label_config(), answered=0)
    caplog.set_level(logging.WARNING, logger="annotate")
    ensure_project(studio, "p", new.render_label_config(), new, "m")  # type: ignore[arg-type]
    assert "adds" not in caplog.text and len(studio.updates) == 1


class ChangedStudio(FakeStudio):
    """A project whose config a push moved from 1.0.0 to 1.1.0 at :data:`UNTIL`."""

    def __init__(self, tasks: list[dict[str, Any]], config: str) -> None:
        super().__init__(tasks)
        self.config = config

    def get_project(self, project_id: int) -> dict[str, Any]:
        return {"id": project_id, "title": "p", "label_config": self.config}

    def users(self) -> list[dict[str, Any]]:
        return []


def _changed_project() -> ChangedStudio:
    from annotate.studio.label_config import with_history

    new = with_harassment("1.1.0")
    entry = HistoryEntry("1.0.0", UNTIL, ("category:harassment",), "1.1.0")
    tasks = reviewed_tasks()
    last = tasks[-1]["annotations"][-1]  # minute 8: after the change
    last["result"] = [choices("category", ["harassment"])]
    return ChangedStudio(tasks, with_history(new.render_label_config(), [entry]))


def test_export_stamps_each_answer_with_its_version_and_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    labels = tmp_path / "labels.yaml"
    labels.write_text(_labels_text("1.1.0"), encoding="utf-8")
    out = tmp_path / "c"
    ran = export_cli(_changed_project(), out, monkeypatch, "--labels", str(labels))
    assert ran.exit_code == 0, ran.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    # minutes 1-4 before the change, 5-8 after it
    assert manifest["taxonomy_versions_of_answers"] == {"1.0.0": 4, "1.1.0": 4}
    rows = [
        json.loads(line)
        for split in ("train", "validation", "test")
        for line in (out / "jsonl" / f"{split}.jsonl").read_text().splitlines()
    ]
    harassed = [r for r in rows if "harassment" in r["labels"]]
    assert len(harassed) == 1 and harassed[0]["annotations"][-1]["taxonomy_version"] == "1.1.0"
    said = " ".join(ran.stderr.split())
    assert (
        "warning: 4 answer(s) were made under an older labels.yaml than 1.1.0, the one read "
        "with (4 under 1.0.0)" in said
    )
    assert "could not choose those labels" in said and said.count("older labels.yaml") == 1
    assert "manifest.json taxonomy_versions_of_answers" in said and "export again then" in said


def test_agreement_warns_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`annotate agreement` with the new labels.yaml: the category's agreement mixes
    answers that could not choose it; it says so as the export does."""
    from typer.testing import CliRunner

    from annotate.cli import app

    labels = tmp_path / "labels.yaml"
    labels.write_text(_labels_text("1.1.0"), encoding="utf-8")
    monkeypatch.setenv("ANNOTATE_PSEUDONYM_SALT", "s")
    monkeypatch.setattr("annotate.studio.client.connect", lambda *a, **k: _changed_project())
    ran = CliRunner().invoke(app, ["agreement", "--project", "p", "--labels", str(labels)])
    assert ran.exit_code == 0, ran.output
    said = " ".join(ran.output.split())
    assert "warning: 4 answer(s) were made under an older labels.yaml than 1.1.0" in said
    assert "export again" not in said


def test_export_with_the_older_labels_yaml_names_the_one_to_use(tmp_path: Path) -> None:
    from annotate.corpus.export import export

    with pytest.raises(ExportError) as err:
        export("p", tmp_path / "c", client=_changed_project(), salt="s")  # type: ignore[arg-type]
    assert "category 'harassment' is not in labels.yaml 1.0.0 (answer made under 1.1.0)" in str(
        err.value
    )
    assert err.value.fix.startswith("use labels.yaml 1.1.0, which the answer was made under")
    assert not (tmp_path / "c").exists()


def test_export_with_the_older_labels_yaml_of_a_moved_project_names_both_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A push of labels.yaml 1.1.0 added `harassment` to the project after every answer
    was made; an export with the default labels.yaml (1.0.0) succeeded silently, with a
    corpus schema without the new label (F13). It says so now, naming both versions."""
    from annotate.studio.label_config import with_history

    new = with_harassment("1.1.0")
    entry = HistoryEntry("1.0.0", "2026-06-01T11:00:00+00:00", ("category:harassment",), "1.1.0")
    studio = ChangedStudio(reviewed_tasks(), with_history(new.render_label_config(), [entry]))
    out = tmp_path / "c"
    caplog.set_level(logging.WARNING, logger="annotate")
    ran = export_cli(studio, out, monkeypatch)
    assert ran.exit_code == 0, ran.stderr
    said = " ".join(caplog.text.split())
    assert (
        "project 'p' has the labeling config of labels.yaml 1.1.0, with label(s) "
        "category:harassment that labels.yaml 1.0.0, the one this export reads with, lacks"
    ) in said
    assert "--labels PATH, version 1.1.0" in said
    caplog.clear()  # with the project's labels.yaml: nothing to say
    labels = tmp_path / "labels.yaml"
    labels.write_text(_labels_text("1.1.0"), encoding="utf-8")
    monkeypatch.undo()  # the library export again, not the one export_cli patched
    from annotate.corpus.export import export

    export("p", tmp_path / "d", client=studio, salt="s", taxonomy=labels)  # type: ignore[arg-type]
    assert "has the labeling config of" not in caplog.text
