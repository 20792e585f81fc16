"""The model card's training-data entries (passD51 D3): a mapped source whose rows are
negatives only (Stormfront: `labels: []`, `known: [violent_threat, incitement]`) printed
"test: ; train: ; validation: ", its rule "label=noHate -> " and its cap " <= 3000";
the project-written data in `data/project/` printed "licence not recorded"."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.evaluation.model_card import mapping_lines, training_data_lines
from annotate.settings import PROJECT_ROOT
from annotate.training.sources import DataSource, load_examples
from tests.conftest import project_taxonomy

MAPPING = """
name: negatives-only
license: CC-BY-4.0
text: text
rules:
  - when: {label: noHate}
    labels: []
    known: [violent_threat, incitement]
  - drop: true
split: {validation: 0.3, test: 0.3, by: user_id}
sample_train: {"": 3000}
"""


def test_a_source_of_negatives_only_is_counted_per_split(tmp_path: Path) -> None:
    table = tmp_path / "sentences.csv"
    rows = [f"{i},u{i},noHate,Sentence number {i} about the harbour." for i in range(30)]
    table.write_text("id,user_id,label,text\n" + "\n".join(rows) + "\n", encoding="utf-8")
    mapping = tmp_path / "negatives.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    tax = project_taxonomy()
    _, (entry,) = load_examples([DataSource(str(table), str(mapping))], tax, 13)
    assert sum(entry["unlabelled_counts"].values()) == 30
    assert entry["negatives_for"] == ["violent_threat", "incitement"]
    line = training_data_lines([{**entry, "mapping": None}])[0]
    assert "train: ;" not in line and "test: ;" not in line
    for split, n in entry["unlabelled_counts"].items():
        assert f"{split}: no label {n} (negatives for violent_threat, incitement)" in line
    rules = "\n".join(mapping_lines(str(mapping)))
    assert "label=noHate -> no label: a negative for violent_threat, incitement only" in rules
    assert "subsampled (seeded): rows without a label <= 3000;" in rules


def test_the_projects_own_data_records_the_projects_licence() -> None:
    table = PROJECT_ROOT / "data" / "project" / "harmful.jsonl"
    tax = project_taxonomy()
    _, (entry,) = load_examples([DataSource(str(table))], tax, 13)
    assert entry["licenses"] == {"Apache-2.0": entry["rows"]}
    assert "annotate project's licence" in entry["license_source"]
    line = training_data_lines([entry])[0]
    assert "licences: Apache-2.0 260 passages (project-written data" in line
    assert "licence not recorded" not in "\n".join(training_data_lines([entry]))


def test_a_table_elsewhere_without_a_licence_is_still_not_recorded(tmp_path: Path) -> None:
    table = tmp_path / "harmful.jsonl"
    table.write_text(json.dumps({"text": "I will kill you.", "labels": ["violent_threat"]}) + "\n")
    _, (entry,) = load_examples([DataSource(str(table))], project_taxonomy(), 13)
    assert "licenses" not in entry
    assert "licence not recorded" in training_data_lines([entry])[0]
