"""`annotate train` reads every example as `prelabel` and `evaluate` read it (break49 B14):
a subtitle cue without its markup (`<v Caller>`, `<i>`), a subtitle file's character
references as their characters (`&amp;` -> `&`), a transcript's turns without their
speaker labels; gold spans moved onto that text (a span on a removed voice tag alone
left out, counted); span examples cut from it; the reading recorded in the model.
Training embedded the raw text, `</i>` and `KIPLAGAT: ` included."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest

from annotate.classifier.base import PassageInput
from annotate.classifier.turn_text import TRAINING_READING_VERSION, without_labels
from annotate.training import row_training
from annotate.training.config import TrainConfig
from annotate.training.reading import passage_input
from annotate.training.rows import load_rows
from tests.conftest import project_taxonomy

CUE = "<v Caller>I know where you sleep, Alice. <i>I will kill you</i> and your whole family.</v>"
THREAT_RAW = "I will kill you</i> and your whole family."
THREAT_READ = "I will kill you and your whole family."
CUE_READ = "I know where you sleep, Alice. " + THREAT_READ
AMP = "<v Host>Tom &amp; Jerry are on next, it&#39;s a repeat.</v>"
AMP_READ = "Tom & Jerry are on next, it's a repeat."
TURNS = [
    "ANCHOR: The mayor says she will not be intimidated after a man was arrested.",
    "KIPLAGAT: Police arrested a 53-year-old man this morning, the mayor told me.",
]


def _rows() -> list[dict]:
    a = CUE.index(THREAT_RAW)
    rows = [
        {
            "doc_id": "talk.vtt",
            "passage_index": 0,
            "text": CUE,
            "labels": ["violent_threat"],
            "spans": [
                {"start": a, "end": a + len(THREAT_RAW), "label": "threat"},
                # the voice tag alone: nothing the model reads
                {"start": 0, "end": len("<v Caller>"), "label": "threat"},
            ],
            "split": "train",
        },
        {"doc_id": "talk.vtt", "passage_index": 1, "text": AMP, "labels": ["none"]},
        *(
            {"doc_id": "radio.txt", "passage_index": i, "text": t, "labels": ["news_reporting"]}
            for i, t in enumerate(TURNS)
        ),
    ]
    for r in rows[1:]:
        r["split"] = "train"
    # validation rows, plain text
    rows += [
        {
            "doc_id": f"v{i}",
            "passage_index": 0,
            "text": f"The council met on day {i} to discuss the new bus timetable.",
            "labels": ["none"],
            "split": "validation",
        }
        for i in range(3)
    ]
    return rows


def _table(tmp_path: Path) -> Path:
    path = tmp_path / "reviewed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in _rows()), encoding="utf-8")
    return path


def _config(table: Path) -> TrainConfig:
    return TrainConfig.model_validate(
        {"data": [{"path": str(table)}], "taxonomy_examples_weight": 0.0}
    )


def test_train_rows_are_read_as_prelabel_reads_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tax = project_taxonomy()
    with caplog.at_level(logging.WARNING):
        rows, _ = load_rows(_config(_table(tmp_path)), tax)
    texts = rows["text"].tolist()
    assert CUE not in texts and AMP not in texts
    assert CUE_READ in texts and AMP_READ in texts
    assert "The mayor says she will not be intimidated after a man was arrested." in texts
    assert not any("ANCHOR:" in t or "KIPLAGAT:" in t or "</i>" in t for t in texts)
    # the cue's gold span on the text read; the one on the voice tag alone left out
    cue = rows[rows.text == CUE_READ].iloc[0]
    assert [(CUE_READ[a:b], lab) for a, b, lab in cue.spans] == [(THREAT_READ, "threat")]
    assert "1 evidence span lie" in caplog.text and "left out of training" in caplog.text
    # the span example: the words as the model reads them, no `</i>`
    span_rows = rows[rows.source.str.endswith(":spans")]
    assert span_rows.text.tolist() == [THREAT_READ]


def test_train_reads_a_passage_with_the_function_prelabel_reads_it_with(tmp_path: Path) -> None:
    """The text of each training row is what `without_labels` (the first step of
    `predict_turns`) gives the same passage as `evaluate` builds it."""
    from annotate.training.rows import load_split_examples

    tax = project_taxonomy()
    cfg = _config(_table(tmp_path))
    read, _ = load_split_examples(cfg, tax)
    cfg_raw = TrainConfig.model_validate({"data": [{"path": str(_table(tmp_path))}]})
    from annotate.training.rows import data_sources
    from annotate.training.sources import load_examples

    raw, _ = load_examples(data_sources(cfg_raw), tax, cfg.seed)
    by_id = {e.id: e for e in raw}
    passages = [passage_input(by_id[e.id], e.id) for e in read]
    expected, _ = without_labels(passages)
    assert [e.text for e in read] == [p.text for p in expected]
    assert isinstance(passages[0], PassageInput)


def test_the_model_records_the_reading_it_was_trained_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``training.reading`` in annotate_model.json (what verify compares with this
    annotate's): the record the trainer hands the model's ``save``."""
    saved: list[dict] = []

    class Stop(Exception):
        pass

    def save(out, extra):
        saved.append(extra)
        raise Stop

    model = SimpleNamespace(rules={}, threshold_sources={}, span_info={}, fit_info={}, save=save)
    with pytest.raises(Stop):
        row_training.train_on_rows(
            _config(_table(tmp_path)),
            tmp_path / "model",
            project_taxonomy(),
            lambda train, valid: (model, {}),
        )
    assert saved[0]["training"]["reading"] == TRAINING_READING_VERSION


def test_a_subtitle_file_told_by_its_content_is_read_as_subtitles_in_training() -> None:
    """A `.txt` holding WebVTT (ingest records `read_as_subtitles` in its meta, carried as
    `Example.subtitles`) is read as its `.vtt` copy is (character references decoded, as
    only a subtitle file's are): the flag reaches the reading."""
    from annotate.training.reading import read_examples
    from annotate.training.sources.examples import Example

    def ex(doc_key: str, subtitles: bool | None) -> Example:
        return Example(
            text=AMP,
            labels={"none"},
            known={"none"},
            split="train",
            source="t",
            doc_key=doc_key,
            subtitles=subtitles,
        )

    assert [e.text for e in read_examples([ex("talk.vtt", None)])] == [AMP_READ]
    assert [e.text for e in read_examples([ex("talk.txt", True)])] == [AMP_READ]
    assert [e.text for e in read_examples([ex("talk.txt", None)])] != [AMP_READ]
