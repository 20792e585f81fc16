"""`annotate train` on an export made with another labels.yaml (retrain56 findings 2, 6).

An export made under labels.yaml 1.0.0 trains under 2.0.0, which renames labels and
declares ``migrations: [{from: 1.0.0, ...}]``: its rows are read through that migration
(as `annotate export --labels` reads older answers), recorded in the training record and
the model card; without one it is refused, naming what labels.yaml declares and both
fixes. An export made under a newer minor labels.yaml (a label added) trains under the
older one with the label dropped, and every message names the export's own labels.yaml
copy (``--labels EXPORT/labels.yaml``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.cli.train import export_taxonomy_lines
from annotate.corpus.export import export
from annotate.errors import TrainingError
from annotate.evaluation.model_card import training_data_lines
from annotate.taxonomy import load_taxonomy, parse_taxonomy
from annotate.training.sources import DataSource, load_examples, read_export
from annotate.training.sources.export_taxonomy import migration_said
from tests.corpus.test_taxonomy_migration import (
    V1,
    V2,
    OldProject,
    reviewed_under_v1,
    v2_text,
)
from tests.test_train_unknown_labels import added_label


def exported_under_v1(tmp_path: Path) -> Path:
    """An export (hf/, jsonl/, manifest, labels.yaml copy) of a project reviewed and
    exported under labels.yaml 1.0.0: one passage labelled incitement, with a
    call_to_violence span and severity critical."""
    out = tmp_path / "corpus"
    export("p", out, client=OldProject(reviewed_under_v1()), taxonomy=V1, salt="s")  # type: ignore[arg-type]
    row = json.loads((out / "jsonl" / "train.jsonl").read_text().splitlines()[0])
    assert row["labels"] == ["incitement"] and (out / "labels.yaml").is_file()
    return out


def test_an_export_under_1_trains_under_2_through_its_migration(tmp_path: Path) -> None:
    data = exported_under_v1(tmp_path)
    found: dict[str, Any] = {}
    [ex] = read_export(data, V2, found=found)
    assert ex.labels == {"incitement_to_violence"}
    # the renamed category is supervised (the export's labels.yaml offered it as incitement)
    assert "incitement_to_violence" in ex.known
    assert [s[-1] for s in ex.spans] == ["call_to_attack"]
    migration = found["taxonomy_migration"]
    assert migration["from"] == "1.0.0" and migration["to"] == "2.0.0"
    assert migration["categories"] == {"incitement": "incitement_to_violence"}
    assert migration["passages"] == 1


def test_the_migration_is_recorded_for_the_card_and_said_by_train(tmp_path: Path) -> None:
    data = exported_under_v1(tmp_path)
    _, described = load_examples([DataSource(str(data))], V2, 13)
    [entry] = [d for d in described if d.get("kind") == "export"]
    assert entry["taxonomy_migration"]["spans"] == {"call_to_violence": "call_to_attack"}
    card = "\n".join(training_data_lines([{**entry, "rows": 1}]))
    assert "Read through labels.yaml's migration" in card
    assert "category incitement -> incitement_to_violence" in card
    assert "span call_to_violence -> call_to_attack" in card
    model = {"training": {"data": [entry]}}
    [said] = export_taxonomy_lines(model, "labels.yaml 2.0.0")
    assert said.startswith("note: ") and "labels.yaml 1.0.0 -> 2.0.0" in said


def test_a_tied_rows_votes_are_read_through_the_migration(tmp_path: Path) -> None:
    """Tied categories come from the answers: renamed as well, or the tied category is
    not masked under its new name."""
    data = tmp_path / "tied"
    (data / "jsonl").mkdir(parents=True)
    (data / "manifest.json").write_text(json.dumps({"taxonomy": {"version": "1.0.0"}}))
    row = {
        "id": "t",
        "text": "We will burn it down tonight.",
        "labels": ["violent_threat"],
        "label_tie": True,
        "annotations": [
            {"categories": ["violent_threat", "incitement"]},
            {"categories": ["violent_threat"]},
        ],
    }
    (data / "jsonl" / "train.jsonl").write_text(json.dumps(row) + "\n")
    [ex] = read_export(data, V2)
    assert "incitement_to_violence" not in ex.known and "violent_threat" in ex.known


def test_without_a_migration_it_is_refused_naming_what_is_declared_and_the_fixes(
    tmp_path: Path,
) -> None:
    data = exported_under_v1(tmp_path)
    with pytest.raises(TrainingError) as err:
        read_export(data, parse_taxonomy(v2_text("")))
    said, fix = str(err.value), err.value.fix
    assert "exported with labels.yaml 1.0.0" in said and "no migration from 1.0.0" in said
    assert "declares no `migrations:`" in said
    assert "migrations: [{from: 1.0.0" in fix
    assert f"--labels {data / 'labels.yaml'}" in fix
    elsewhere = v2_text("\nmigrations:\n  - from: 1.5.0\n    categories: {}\n")
    with pytest.raises(TrainingError, match=r"declares migrations from 1\.5\.0 only"):
        read_export(data, parse_taxonomy(elsewhere))


def test_a_newer_minor_exports_label_is_dropped_naming_the_exports_labels_yaml(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An export made under 1.1.0 (self_harm added), trained under 1.0.0: the fix names
    the export's own copy, the record keeps the labels dropped, train says so at its end."""
    newer = load_taxonomy(added_label(tmp_path))
    data = tmp_path / "corpus-h"
    (data / "jsonl").mkdir(parents=True)
    (data / "labels.yaml").write_text(added_label(tmp_path).read_text())
    manifest = {"taxonomy": {"version": newer.version, "file": "labels.yaml"}}
    (data / "manifest.json").write_text(json.dumps(manifest))
    rows = [
        {"id": "a", "text": "Just hurt yourself.", "labels": ["self_harm"]},
        {"id": "b", "text": "The weather is mild.", "labels": ["none"]},
    ]
    (data / "jsonl" / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    with caplog.at_level("WARNING", logger="annotate.training.sources"):
        _, described = load_examples([DataSource(str(data))], V1, 13)
    assert f"--labels {data / 'labels.yaml'}" in caplog.text
    assert "the model will not learn them" in caplog.text
    [entry] = [d for d in described if d.get("kind") == "export"]
    assert entry["labels_dropped"] == {
        "version": "1.1.0",
        "labels": {"self_harm": 1},
        "file": "labels.yaml",
    }
    card = "\n".join(training_data_lines([{**entry, "rows": 1}]))
    assert "not learned: self_harm (1 passage(s))" in card
    [said] = export_taxonomy_lines({"training": {"data": [entry]}}, "labels.yaml 1.0.0")
    assert said.startswith("warning: the model has not learned self_harm")
    assert f"--labels {data / 'labels.yaml'}" in said


def test_one_split_file_read_alone_goes_through_the_migration(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A split file of an export made under 1.0.0, copied out of its folder and trained
    under 2.0.0: read as the whole export is, through labels.yaml's migration, recorded
    for the card and logged (s56 left: it applied none, so the old names read as labels
    2.0.0 lacks)."""
    data = exported_under_v1(tmp_path)
    alone = tmp_path / "elsewhere" / "train.jsonl"
    alone.parent.mkdir()
    alone.write_text((data / "jsonl" / "train.jsonl").read_text())
    with caplog.at_level("INFO", logger="annotate.training.sources"):
        exs, described = load_examples([DataSource(str(alone))], V2, 13)
    [ex] = exs
    assert ex.labels == {"incitement_to_violence"} and "incitement_to_violence" in ex.known
    assert [s[-1] for s in ex.spans] == ["call_to_attack"]
    [entry] = described
    migration = entry["taxonomy_migration"]
    assert (migration["from"], migration["to"], migration["passages"]) == ("1.0.0", "2.0.0", 1)
    assert "read through labels.yaml's migration" in caplog.text
    card = "\n".join(training_data_lines([{**entry, "rows": 1}]))
    assert "category incitement -> incitement_to_violence" in card
    # without a migration from 1.0.0: refused with the fixes, as a whole export is
    with pytest.raises(TrainingError) as err:
        load_examples([DataSource(str(alone))], parse_taxonomy(v2_text("")), 13)
    assert "no migration from 1.0.0" in str(err.value)
    assert "migrations: [{from: 1.0.0" in (err.value.fix or "")


def test_passages_whose_labels_were_renamed_are_counted_apart_from_votes(
    tmp_path: Path,
) -> None:
    """A row whose resolved labels keep their names, where only one reviewer's answer
    chose the renamed category, was counted among the passages renamed (s56 left): the
    labels renamed and the answers alone renamed are counted, and said, apart."""
    data = tmp_path / "votes"
    (data / "jsonl").mkdir(parents=True)
    (data / "manifest.json").write_text(json.dumps({"taxonomy": {"version": "1.0.0"}}))
    rows = [
        {  # labels renamed
            "id": "a",
            "text": "Go burn their houses down.",
            "labels": ["incitement"],
            "annotations": [{"categories": ["incitement"]}, {"categories": ["incitement"]}],
        },
        {  # only one vote renamed: the resolved labels keep their names
            "id": "b",
            "text": "Burn it all, they said on the news.",
            "labels": ["news_reporting"],
            "annotations": [
                {"categories": ["news_reporting"]},
                {"categories": ["news_reporting"]},
                {"categories": ["incitement"]},
            ],
        },
    ]
    (data / "jsonl" / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    found: dict[str, Any] = {}
    read_export(data, V2, found=found)
    record = found["taxonomy_migration"]
    assert record["passages"] == 1, record
    assert record["passages_only_answers_renamed"] == 1, record
    said = migration_said(record)
    assert "1 passage(s) with labels renamed" in said, said
    assert "1 more with only a reviewer's answer renamed" in said, said


def test_a_split_file_mixing_labels_yaml_versions_is_refused(tmp_path: Path) -> None:
    """reader57 #6: split files of exports made under 1.0.0 and 2.0.0, joined into one,
    were all migrated as their first row's version; now refused, naming both versions."""
    data = exported_under_v1(tmp_path)
    row = json.loads((data / "jsonl" / "train.jsonl").read_text().splitlines()[0])
    newer = {**row, "id": f"{row['id']}-b", "taxonomy_version": "2.0.0"}
    mixed = tmp_path / "elsewhere" / "train.jsonl"
    mixed.parent.mkdir()
    mixed.write_text("".join(json.dumps(r) + "\n" for r in (row, newer)))
    with pytest.raises(TrainingError) as err:
        load_examples([DataSource(str(mixed))], V2, 13)
    assert "2 labels.yaml versions" in str(err.value), err.value
    assert "1.0.0 (1 row(s)), 2.0.0 (1 row(s))" in str(err.value)
    assert "source of its own" in (err.value.fix or "")
