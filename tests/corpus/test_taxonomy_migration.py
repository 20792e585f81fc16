"""Answers read under the labels.yaml they were made with (issue 12, item 10).

labels.yaml 2.0.0 renames ``incitement`` and declares ``migrations: [{from: 1.0.0, ...}]``;
answers of a project labelled under 1.0.0 export under 2.0.0 through that mapping, and the
rows and manifest say which version each answer was made under. Real server:
tests/integration/test_taxonomy_change.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from annotate.corpus.export import export
from annotate.corpus.model_view import task_model_view
from annotate.errors import ExportError, TaxonomyError
from annotate.settings import resource
from annotate.studio.label_config import config_taxonomy_version
from annotate.studio.pull import parse_result, project_taxonomy_version, stamp_taxonomy_versions
from annotate.taxonomy import Taxonomy, load_taxonomy, parse_taxonomy
from tests.audit.fakes import FakeStudio, annotation, task
from tests.integration.helpers import choices, span

V1 = load_taxonomy()
TEXT = 'Police said the group urged followers to "burn their cities" on Friday.'

MIGRATION = """
migrations:
  - from: 1.0.0
    categories: {incitement: incitement_to_violence}
    spans: {call_to_violence: call_to_attack}
    severity: {critical: high}
"""


def v2_text(migrations: str = MIGRATION, version: str = "2.0.0") -> str:
    """labels.yaml with incitement, call_to_violence renamed and severity critical removed."""
    text = resource("labels.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\bincitement\b", "incitement_to_violence", text)
    text = re.sub(r"\bcall_to_violence\b", "call_to_attack", text)
    text = re.sub(r"\n  - name: critical\n(    .*\n)+", "\n", text)
    return text.replace("version: 1.0.0", f"version: {version}") + migrations


V2 = parse_taxonomy(v2_text())


def severity(value: str) -> dict[str, Any]:
    return choices("severity", [value])


@pytest.mark.parametrize(
    ("version", "result", "categories", "spans", "sev"),
    [
        # made under 1.0.0: the old names go through the declared mapping
        ("1.0.0", [choices("category", ["incitement"])], ["incitement_to_violence"], [], ""),
        (
            "1.0.0",
            [choices("category", ["incitement", "violent_threat"]), severity("critical")],
            ["violent_threat", "incitement_to_violence"],
            [],
            "high",
        ),
        (
            "1.0.0",
            [span(TEXT, "burn their cities", "call_to_violence")],
            [],
            [("burn their cities", "call_to_attack")],
            "",
        ),
        # names the mapping does not list keep their name
        ("1.0.0", [choices("category", ["news_reporting"])], ["news_reporting"], [], ""),
        # made under this version, or a minor one of it: read as they are
        (
            "2.0.0",
            [choices("category", ["incitement_to_violence"])],
            ["incitement_to_violence"],
            [],
            "",
        ),
        (
            "2.1.0",
            [choices("category", ["incitement_to_violence"])],
            ["incitement_to_violence"],
            [],
            "",
        ),
        (
            None,
            [choices("category", ["incitement_to_violence"])],
            ["incitement_to_violence"],
            [],
            "",
        ),
    ],
)
def test_answers_read_through_the_declared_mapping(
    version: str | None,
    result: list[dict[str, Any]],
    categories: list[str],
    spans: list[tuple[str, str]],
    sev: str,
) -> None:
    parsed = parse_result(result, V2, TEXT, where="task 1", version=version)
    assert parsed["categories"] == categories
    assert [(s.text, s.label) for s in parsed["spans"]] == spans
    assert parsed["severity"] == sev


@pytest.mark.parametrize(
    ("version", "result", "error", "match"),
    [
        # an old name in an answer said to be made under 2.0.0 (or unknown): not guessed
        ("2.0.0", [choices("category", ["incitement"])], ExportError, "'incitement' is not in"),
        (None, [choices("category", ["incitement"])], ExportError, "'incitement' is not in"),
        ("1.0.0", [severity("extreme")], ExportError, "severity 'extreme'.*made under 1.0.0"),
        # another major version without a declared migration
        ("3.0.0", [choices("category", ["none"])], TaxonomyError, "declares no migration from"),
        ("0.9.0", [choices("category", ["none"])], TaxonomyError, "declares no migration from"),
    ],
)
def test_answers_that_cannot_be_read_are_one_clear_error(
    version: str | None, result: list[dict[str, Any]], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match) as exc:
        parse_result(result, V2, TEXT, where="task 1", version=version)
    assert "\n" not in str(exc.value)


def test_several_old_labels_may_merge_into_one() -> None:
    merged = parse_taxonomy(
        v2_text(
            "migrations:\n  - from: 1.0.0\n    categories:\n"
            "      incitement: incitement_to_violence\n"
            "      extremist_propaganda: incitement_to_violence\n"
        )
    )
    parsed = parse_result(
        [choices("category", ["incitement", "extremist_propaganda"])],
        merged,
        TEXT,
        where="t",
        version="1.0.0",
    )
    assert parsed["categories"] == ["incitement_to_violence"]


INTO_NONE = parse_taxonomy(
    v2_text("migrations:\n  - from: 1.0.0\n    categories: {incitement: none}\n")
)


@pytest.mark.parametrize(
    ("old", "categories"),
    [
        # a merge into none leaves none out when another label remains ...
        (["incitement", "news_reporting"], ["news_reporting"]),
        (["incitement", "violent_threat"], ["violent_threat"]),
        # ... and keeps it alone when it is the only one
        (["incitement"], ["none"]),
        (["incitement", "none"], ["none"]),
        (["none"], ["none"]),
    ],
)
def test_a_merge_into_none_keeps_none_exclusive(old: list[str], categories: list[str]) -> None:
    parsed = parse_result([choices("category", old)], INTO_NONE, TEXT, where="t", version="1.0.0")
    assert parsed["categories"] == categories


def test_a_prediction_merged_into_none_keeps_none_exclusive() -> None:
    pred = {
        "id": 7,
        "model_version": "m1",
        "taxonomy_version": "1.0.0",
        "result": [choices("category", ["incitement", "news_reporting"])],
    }
    t = {"id": 1, "data": {"text": TEXT, "model_version": "m1"}, "predictions": [pred]}
    assert task_model_view(t, INTO_NONE, parse_result).categories == ["news_reporting"]


def test_an_answer_under_this_version_is_read_as_made() -> None:
    # no migration applied: the reviewer's own choices are not rewritten
    parsed = parse_result(
        [choices("category", ["news_reporting", "none"])], INTO_NONE, TEXT, where="t"
    )
    assert parsed["categories"] == ["news_reporting", "none"]


@pytest.mark.parametrize(
    ("migrations", "match"),
    [
        ("migrations:\n  - from: 1.0.0\n    categories: {incitement: nope}\n", "not in this file"),
        ("migrations:\n  - from: 1.0.0\n    spans: {threat: nope}\n", "not in this file"),
        ("migrations:\n  - from: 2.0.0\n", "own version"),
        ("migrations:\n  - from: one\n", "semantic version"),
        ("migrations:\n  - from: 1.0.0\n  - from: 1.0.0\n", "duplicate migration"),
        ("migrations:\n  - from: 1.0.0\n    labels: {a: b}\n", "labels"),
    ],
)
def test_a_bad_migration_is_refused_when_labels_yaml_loads(migrations: str, match: str) -> None:
    with pytest.raises(TaxonomyError, match=match):
        parse_taxonomy(v2_text(migrations))


@pytest.mark.parametrize("tax", [V1, V2], ids=["1.0.0", "2.0.0"])
def test_the_labeling_config_records_its_taxonomy_version(tax: Taxonomy) -> None:
    config = tax.render_label_config()
    assert config_taxonomy_version(config) == tax.version
    assert project_taxonomy_version({"label_config": config}) == tax.version


@pytest.mark.parametrize(
    ("project", "version"),
    [
        (
            {"label_config": "<View/>", "description": "violent-content 1.0.0: pre-labelled"},
            "1.0.0",
        ),
        ({"label_config": "<View/>", "description": "hand-made"}, None),
        ({}, None),
    ],
)
def test_projects_made_before_configs_recorded_it(
    project: dict[str, Any], version: str | None
) -> None:
    assert project_taxonomy_version(project) == version


def test_predictions_are_read_under_the_version_they_were_pushed_with() -> None:
    t = {
        "data": {"model_version": "m1", "taxonomy_version": "1.0.0"},
        "annotations": [{"id": 1}],
        "predictions": [{"model_version": "m1"}, {"model_version": "m2"}],
    }
    stamp_taxonomy_versions([t], "1.1.0")
    assert t["annotations"][0]["taxonomy_version"] == "1.1.0"
    assert [p["taxonomy_version"] for p in t["predictions"]] == ["1.0.0", "1.1.0"]


class OldProject(FakeStudio):
    """A project whose labeling config was rendered from labels.yaml 1.0.0."""

    def require_project(self, title: str) -> dict[str, Any]:
        return {"id": 7, "title": title, "label_config": V1.render_label_config()}


def reviewed_under_v1() -> list[dict[str, Any]]:
    return [
        task(
            1,
            "p1",
            TEXT,
            doc="d1",
            index=0,
            model_labels=["incitement"],
            annotations=[
                annotation(
                    11,
                    1,
                    [
                        choices("category", ["incitement"]),
                        span(TEXT, "burn their cities", "call_to_violence"),
                        severity("critical"),
                    ],
                    minute=1,
                    lead_time=3.0,
                )
            ],
        )
    ]


def test_a_project_reviewed_under_1_exports_under_2(tmp_path: Path) -> None:
    tasks = reviewed_under_v1()
    tasks[0]["predictions"][0]["result"] = [choices("category", ["incitement"])]
    out = tmp_path / "corpus"
    export("p", out, client=OldProject(tasks), taxonomy=V2, salt="s")  # type: ignore[arg-type]
    row = json.loads((out / "jsonl" / "train.jsonl").read_text().splitlines()[0])
    assert row["labels"] == ["incitement_to_violence"] and row["severity"] == "high"
    assert [s["label"] for s in row["spans"]] == ["call_to_attack"]
    assert row["model_labels"] == ["incitement_to_violence"] and row["model_agreed"] is False
    assert row["taxonomy_version"] == "2.0.0"
    assert [a["taxonomy_version"] for a in row["annotations"]] == ["1.0.0"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["taxonomy"]["version"] == "2.0.0"
    assert manifest["taxonomy_versions_of_answers"] == {"1.0.0": 1}
    assert [m["from"] for m in manifest["taxonomy_migrations_applied"]] == ["1.0.0"]
    from datasets import load_from_disk

    hf = load_from_disk(str(out / "hf"))["train"]
    names = hf.features["labels"].feature.names
    assert [names[i] for i in hf[0]["labels"]] == ["incitement_to_violence"]


def test_a_project_reviewed_under_1_exported_under_2_without_a_mapping_fails_whole(
    tmp_path: Path,
) -> None:
    out = tmp_path / "corpus"
    no_mapping = parse_taxonomy(v2_text(""))
    with pytest.raises(TaxonomyError, match=r"declares no migration from 1\.0\.0"):
        export("p", out, client=OldProject(reviewed_under_v1()), taxonomy=no_mapping, salt="s")  # type: ignore[arg-type]
    assert not out.exists()


class OldConfigProject(OldProject):
    """:class:`OldProject` whose project (as export reads it again) has the 1.0.0 config."""

    def get_project(self, project_id: int) -> dict[str, Any]:
        return {"id": project_id, "title": "p", "label_config": V1.render_label_config()}


def test_an_export_through_the_migration_says_what_it_renamed_not_to_go_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """retrain56 finding 3: export --labels 2.0.0 read the 1.0.0 project's answers through
    the declared migration, then warned to export with labels.yaml 1.0.0 instead (which
    undoes the rename). It says what was migrated now; the warning is for labels the
    migration does not map."""
    from annotate.cli.export import migrations_note

    out = tmp_path / "corpus"
    with caplog.at_level("INFO", logger="annotate"):
        export("p", out, client=OldConfigProject(reviewed_under_v1()), taxonomy=V2, salt="s")  # type: ignore[arg-type]
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert not [w for w in warned if "labeling config of labels.yaml" in w], warned
    assert "category:incitement -> incitement_to_violence" in caplog.text
    manifest = json.loads((out / "manifest.json").read_text())
    said = migrations_note(manifest)
    assert said is not None and said.startswith("note: 1 answer(s) made under labels.yaml 1.0.0")
    assert "category incitement -> incitement_to_violence" in said
    assert "span call_to_violence -> call_to_attack" in said


def test_a_label_the_migration_does_not_map_is_warned_about_with_the_migration_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    partial = parse_taxonomy(
        v2_text(
            "\nmigrations:\n  - from: 1.0.0\n    categories: {incitement: incitement_to_violence}\n"
            "    severity: {critical: high}\n"
        )
    )
    tasks = reviewed_under_v1()
    answer = tasks[0]["annotations"][0]
    answer["result"] = [r for r in answer["result"] if r.get("from_name") != "evidence"]
    out = tmp_path / "corpus"
    with caplog.at_level("WARNING", logger="annotate"):
        export("p", out, client=OldConfigProject(tasks), taxonomy=partial, salt="s")  # type: ignore[arg-type]
    said = " ".join(caplog.text.split())
    assert "with label(s) evidence:call_to_violence that labels.yaml 2.0.0" in said
    assert "its migration from 1.0.0 does not map" in said
    assert "`migrations:` entry from 1.0.0" in said
    assert "Pass the labels.yaml the project was pushed with" not in said
