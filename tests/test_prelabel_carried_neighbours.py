"""`annotate prelabel` of an `ingest --previous` batch: a changed passage is read with the
neighbours its row carries (``context_before``/``context_after``: passages of its edited
document dropped as already seen), so it gets the scores, labels and spans it gets in the
whole document. Before, the model read it without them: a quoted call to violence after
the attribution line "... he says:" in the dropped passage before it was labelled as the
author's own threat, with own-voice spans, instead of news reporting with quoted spans.
(The same batch on the Ray engine: tests/test_prelabel_ray.py, on the Ray its tests share.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.classifier import DEFAULT_MODEL_DIR, load_classifier
from annotate.ingestion import ingest
from annotate.prelabeling import prelabel, window_inputs
from annotate.tables import iter_rows
from tests.conftest import ROOT

ATTRIBUTION = (
    "Fighting in the north resumed on Monday. In a video released by the group, its "
    "commander addresses the fighters. According to a translation by the monitoring "
    "group, he says:"
)
QUOTE = (
    "Hold every street and every house. Kill the soldiers who come for you and burn "
    "their vehicles, so that no one dares to return."
)
EDITED_QUOTE = QUOTE.replace("vehicles", "trucks").replace("return", "come back")
AFTER = (
    "The army said on Tuesday that it had retaken two villages near the border and that "
    "the road to the city was open again."
)

needs_model = pytest.mark.skipif(
    not (DEFAULT_MODEL_DIR / "annotate_model.json").is_file(),
    reason="models/default is not built (run `make model`)",
)


def _document(path: Path, paragraphs: list[str]) -> Path:
    doc = {"doc_id": "report-1", "title": "Fighting resumes", "text": "\n\n".join(paragraphs)}
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    return path


def ingest_batches(tmp: Path) -> tuple[Path, Path]:
    """(the week-2 batch of the document edited in its quote, the whole edited document),
    ingested into ``tmp``."""
    ingest([_document(tmp / "v1.jsonl", [ATTRIBUTION, QUOTE, AFTER])], tmp / "week1.jsonl")
    edited = _document(tmp / "v2.jsonl", [ATTRIBUTION, EDITED_QUOTE, AFTER])
    ingest([edited], tmp / "week2.jsonl", previous=[tmp / "week1.jsonl"])
    ingest([edited], tmp / "whole.jsonl")
    return tmp / "week2.jsonl", tmp / "whole.jsonl"


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return ingest_batches(tmp_path_factory.mktemp("batches"))


def unpadded_classifier():  # type: ignore[no-untyped-def]
    """The default model with one passage per encoder batch: no padding noise between
    two runs."""
    from annotate.taxonomy import load_taxonomy

    return load_classifier(None, load_taxonomy(ROOT / "labels.yaml"), batch_size=1)


@pytest.fixture(scope="module")
def classifier():  # type: ignore[no-untyped-def]
    return unpadded_classifier()


def rows_by_id(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in iter_rows(path)}


def test_window_inputs_place_each_carried_neighbour_once() -> None:
    rows = [
        {"id": "a1", "doc_id": "a", "passage_index": 1, "text": "one"},
        {"id": "a2", "doc_id": "a", "passage_index": 2, "text": "two", "context_after": "3"},
        # passage 3 is carried by both neighbours; 4 is in the window, so not read from 5
        {"id": "a4", "doc_id": "a", "passage_index": 4, "text": "four", "context_before": "3"},
        {"id": "a5", "doc_id": "a", "passage_index": 5, "text": "five", "context_before": "4"},
        {"id": "x", "text": "no document", "context_before": "unplaced"},
    ]
    inputs, positions = window_inputs(rows)
    assert [(p.doc_id, p.passage_index, p.text) for p in inputs] == [
        ("a", 1, "one"),
        ("a", 2, "two"),
        ("a", 3, "3"),
        ("a", 4, "four"),
        ("a", 5, "five"),
        (None, None, "no document"),
    ]
    assert [inputs[i].id for i in positions] == ["a1", "a2", "a4", "a5", "x"]
    assert window_inputs(rows, carried=False)[1] == [0, 1, 2, 3, 4]


@needs_model
@pytest.mark.parametrize("chunk_size", [1, 2048])
def test_a_changed_passage_is_labelled_as_in_the_whole_document(
    tmp_path: Path, batches: tuple[Path, Path], classifier, chunk_size: int
) -> None:
    batch, whole = batches
    prelabel(batch, tmp_path / "batch.jsonl", classifier=classifier, chunk_size=chunk_size)
    prelabel(whole, tmp_path / "whole.jsonl", classifier=classifier, chunk_size=chunk_size)
    got, want = rows_by_id(tmp_path / "batch.jsonl"), rows_by_id(tmp_path / "whole.jsonl")
    (changed,) = got.values()  # the edited quote; its neighbours were dropped
    assert changed["text"] == EDITED_QUOTE and changed["context_before"] == ATTRIBUTION
    reference = want[changed["id"]]
    for key in ("labels", "spans", "scores", "model_version"):
        assert changed[key] == reference[key], key
    # the fixture exercises the neighbour: read after the attribution line the quote is
    # reported speech (alone, the model calls it an own-voice threat)
    assert "news_reporting" in changed["labels"], changed["labels"]
    assert any(s["label"] == "quoted_propaganda" for s in changed["spans"])
