"""An export of 169 passages put no graphic_violence or extremist_propaganda passage in
validation and none of three labels in test (a document's split is a hash draw, not
stratified), and said nothing: the README says the export says so. A retrain on it then
had no validation passage to calibrate those labels or choose their thresholds on. The
export now names, per held-out split, the corpus's labels it lacks."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.cli.export import missing_labels_note
from annotate.corpus.export import export, labels_missing_from_splits
from tests.audit.fakes import FakeStudio, reviewed_tasks

CATS = ["violent_threat", "incitement", "news_reporting", "none"]


def test_labels_a_held_out_split_lacks_are_named_in_taxonomy_order() -> None:
    labels = [["violent_threat"], ["news_reporting", "none"], ["none"], ["violent_threat"]]
    splits = ["train", "train", "validation", "test"]
    assert labels_missing_from_splits(labels, splits, CATS) == {
        "validation": ["violent_threat", "news_reporting"],  # incitement: in no passage
        "test": ["news_reporting", "none"],
    }
    # an empty split has its own note; a split holding every label none
    assert labels_missing_from_splits([["none"], ["none"]], ["train", "test"], CATS) == {}


def test_the_export_says_which_labels_validation_and_test_lack(tmp_path: Path) -> None:
    # 3 documents, 5 passages: doc-a (news_reporting; violent_threat), doc-b (none),
    # doc-c (incitement; none); seed 0 at these ratios puts doc-b in validation and
    # doc-c in test
    result = export(
        "p",
        tmp_path / "c",
        client=FakeStudio(reviewed_tasks()),  # type: ignore[arg-type]
        salt="s",
        ratios=(0.34, 0.33, 0.33),
    )
    rows = [
        json.loads(line)
        for f in sorted((tmp_path / "c" / "jsonl").glob("*.jsonl"))
        for line in f.read_text().splitlines()
    ]
    assert sorted((r["split"], r["doc_id"]) for r in rows) == [
        ("test", "doc-c"),
        ("test", "doc-c"),
        ("train", "doc-a"),
        ("train", "doc-a"),
        ("validation", "doc-b"),
    ]
    assert result.labels_missing == {
        "validation": ["violent_threat", "incitement", "news_reporting"],
        "test": ["violent_threat", "news_reporting"],
    }
    note = missing_labels_note(result.labels_missing)
    assert note.startswith(
        "note: validation has no passage of violent_threat, incitement, news_reporting; "
        "test has no passage of violent_threat, news_reporting (splits keep whole documents"
    )
    assert "`annotate train` cannot calibrate a label without validation passages" in note
    assert missing_labels_note({}) == ""
